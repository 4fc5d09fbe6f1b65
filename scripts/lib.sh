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
