# Shared by scripts/setup.sh and scripts/test.sh: install what is missing.
# Debian/Ubuntu get nix-bin and python3-venv from apt; elsewhere we say what
# to install and stop.

as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
        echo "need root to run: $*" >&2; return 1
    fi
}

apt_install() {
    if ! command -v apt-get >/dev/null; then
        echo "missing: $* — install it with your system's package manager" >&2
        return 1
    fi
    if [ -z "${APT_UPDATED:-}" ]; then
        as_root apt-get update -qq
        APT_UPDATED=1
    fi
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

ensure_nix() {
    if ! command -v nix >/dev/null; then
        echo "installing Nix (Debian package nix-bin)…" >&2
        apt_install nix-bin || {
            echo "Install Nix 2.4 or newer (https://nixos.org/download) and run this again." >&2
            exit 4
        }
    fi
    # Root without a running daemon: use the store directly (single-user).
    if [ "$(id -u)" = 0 ] && [ ! -S /nix/var/nix/daemon-socket/socket ]; then
        export NIX_REMOTE=
    fi
}

ensure_minisign() {
    # The tests check our signatures with the real minisign, and its with ours.
    if ! command -v minisign >/dev/null; then
        echo "installing minisign (Debian package minisign)…" >&2
        apt_install minisign || {
            echo "Install minisign (https://jedisct1.github.io/minisign/) and run this again." >&2
            exit 1
        }
    fi
}

ensure_venv() {
    # .venv holds the project and its dependencies; $1 is the pip extra.
    local extra=${1:-test}
    if [ ! -x .venv/bin/python ]; then
        python3 -m venv .venv 2>/dev/null || {
            rm -rf .venv
            apt_install python3-venv
            python3 -m venv .venv
        }
    fi
    .venv/bin/python -m pip install -q --disable-pip-version-check -e ".[$extra]"
}

# Nix as users run it today, next to the distribution's: Debian trixie's
# nix-bin (2.26), which needs trixie's libc, unpacked privately and started
# through trixie's own loader. Nothing is installed system-wide; its store is
# its own (local?root=…), apart from the system Nix's database, which a newer
# Nix may migrate. Sets CURRENT_NIX to its `nix` wrapper, or leaves it empty
# where this cannot be done (not Debian), with a word on stderr.
ensure_current_nix() {
    CURRENT_NIX=
    local suite=trixie
    local home="${XDG_CACHE_HOME:-$HOME/.cache}/nixpkgs-pyindex/nix-$suite"
    if [ -x "$home/bin/nix" ] && "$home/bin/nix" --version >/dev/null 2>&1; then
        CURRENT_NIX="$home/bin/nix"
        return 0
    fi
    if ! command -v apt-get >/dev/null || ! command -v dpkg >/dev/null; then
        echo "not Debian: testing with the Nix on PATH only (point NIXPKGS_PYINDEX_TEST_NIX at more)" >&2
        return 0
    fi
    echo "unpacking Debian $suite's nix-bin into $home…" >&2
    # The mirror is the one this machine's own apt configuration names for
    # its own release; only the suite differs.
    local codename uri
    codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
    uri=$(apt-get indextargets --format '$(REPO_URI)|$(RELEASE)' 2>/dev/null |
        awk -F'|' -v c="$codename" '$2 == c { print $1; exit }')
    if [ -z "$uri" ]; then
        as_root apt-get update -qq
        uri=$(apt-get indextargets --format '$(REPO_URI)|$(RELEASE)' 2>/dev/null |
            awk -F'|' -v c="$codename" '$2 == c { print $1; exit }')
    fi
    if [ -z "$uri" ]; then
        echo "cannot find this machine's Debian mirror in its apt configuration" >&2
        return 1
    fi
    local work
    work=$(mktemp -d)
    mkdir -p "$work/lists/partial" "$work/cache/archives/partial" "$work/debs" "$work/root"
    echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $uri $suite main" >"$work/sources.list"
    : >"$work/status"  # an empty dpkg status: resolve the whole Depends closure
    local apt_options=(
        -o "Dir::Etc::sourcelist=$work/sources.list" -o "Dir::Etc::sourceparts=-"
        -o "Dir::State::Lists=$work/lists" -o "Dir::Cache=$work/cache"
        -o "Dir::State::status=$work/status" -o "APT::Sandbox::User=root"
    )
    apt-get "${apt_options[@]}" -qq update
    local packages
    packages=$(apt-cache "${apt_options[@]}" depends --recurse --no-recommends --no-suggests \
        --no-conflicts --no-breaks --no-replaces --no-enhances nix-bin | grep -v '^[ <]' | sort -u)
    (cd "$work/debs" && apt-get "${apt_options[@]}" -qq download $packages)
    local deb
    for deb in "$work"/debs/*.deb; do dpkg -x "$deb" "$work/root"; done
    rm -rf "$home"
    mkdir -p "$home/bin" "$home/store"
    mv "$work/root" "$home/root"
    rm -rf "$work"
    local tool
    for tool in nix nix-instantiate nix-env nix-store; do
        cat >"$home/bin/$tool" <<WRAPPER
#!/bin/sh
# Debian $suite's $tool, unpacked by nixpkgs-pyindex's scripts/lib.sh and
# started through $suite's own loader. An unset or empty NIX_REMOTE means this
# Nix's own store, never the system Nix's database.
if [ -z "\${NIX_REMOTE:-}" ]; then NIX_REMOTE="local?root=$home/store"; export NIX_REMOTE; fi
exec "$home/root/usr/lib64/ld-linux-x86-64.so.2" --argv0 $tool \\
    --library-path "$home/root/usr/lib/x86_64-linux-gnu" "$home/root/usr/bin/nix" "\$@"
WRAPPER
        chmod +x "$home/bin/$tool"
    done
    "$home/bin/nix" --version >&2
    CURRENT_NIX="$home/bin/nix"
}
