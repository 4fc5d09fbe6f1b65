#!/usr/bin/env bash
# The two steps of nixpkgs-pyindex-reindex.service (see README.md next to it):
#
#   nixpkgs-pyindex-reindex.sh fetch           clone nixpkgs into $STATE_DIRECTORY/nixpkgs
#                                              the first time, `git fetch` it afterwards
#   nixpkgs-pyindex-reindex.sh reindex OPTION  nixpkgs-pyindex reindex --git $STATE_DIRECTORY/nixpkgs OPTION...
#
# systemd sets STATE_DIRECTORY and CACHE_DIRECTORY (StateDirectory=, CacheDirectory=).
# By hand: STATE_DIRECTORY=/srv/pyindex ./nixpkgs-pyindex-reindex.sh fetch
#
# Environment (the service sets the first two; the defaults are the same):
#   NIXPKGS_GIT_URL     the repository to clone (https://github.com/NixOS/nixpkgs.git)
#   NIXPKGS_BRANCH      the one branch cloned and fetched (nixpkgs-unstable); pass
#                       --ref origin/$NIXPKGS_BRANCH to reindex
#   NIXPKGS_PYINDEX_DB  the index (default: $STATE_DIRECTORY/index.sqlite)
#   XDG_CACHE_HOME      nixpkgs-pyindex's and Nix's cache (default: $CACHE_DIRECTORY)
set -euo pipefail

prog=${0##*/}
die() {
    printf '%s: %s\n' "$prog" "$*" >&2
    exit 2
}

[ -n "${STATE_DIRECTORY:-}" ] || die "STATE_DIRECTORY is not set (systemd sets it from StateDirectory=)"
# With several StateDirectory= entries systemd joins them with colons: the first is ours.
state=${STATE_DIRECTORY%%:*}
clone=$state/nixpkgs
url=${NIXPKGS_GIT_URL:-https://github.com/NixOS/nixpkgs.git}
branch=${NIXPKGS_BRANCH:-nixpkgs-unstable}

export NIXPKGS_PYINDEX_DB=${NIXPKGS_PYINDEX_DB:-$state/index.sqlite}
if [ -n "${CACHE_DIRECTORY:-}" ]; then
    export XDG_CACHE_HOME=${XDG_CACHE_HOME:-${CACHE_DIRECTORY%%:*}}
fi

fetch() {
    if [ -d "$clone/.git" ]; then
        echo "fetching $branch of $url into $clone"
        git -C "$clone" fetch origin
    else
        # Shallow and one branch: tens of MB instead of GBs. Later fetches add only the new
        # commits; reindex reads the tree of origin/$branch, so no checkout is needed.
        # Cloned aside and moved into place, so an interrupted clone is started over.
        echo "cloning $branch of $url into $clone"
        rm -rf "$clone.partial"
        git clone --depth 1 --single-branch --branch "$branch" --no-checkout "$url" "$clone.partial"
        mv "$clone.partial" "$clone"
    fi
}

case ${1:-} in
fetch)
    shift
    [ $# -eq 0 ] || die "fetch takes no arguments"
    fetch
    ;;
reindex)
    shift
    [ -d "$clone/.git" ] || die "no nixpkgs clone in $clone: run '$prog fetch' first"
    exec nixpkgs-pyindex reindex --git "$clone" "$@"
    ;;
*)
    die "usage: $prog fetch | $prog reindex [OPTION...]"
    ;;
esac
