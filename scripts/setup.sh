#!/usr/bin/env bash
# Set everything up (Nix, a virtualenv with the project) and run the main
# job on the embedded example nixpkgs. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
ensure_nix
ensure_venv test
# The main job: dump the embedded nixpkgs and ingest it into the default index
# ($NIXPKGS_PYINDEX_DB or ~/.local/share/nixpkgs-pyindex/index.sqlite).
.venv/bin/nixpkgs-pyindex index
.venv/bin/nixpkgs-pyindex candidates 'PyYAML>=6'
echo "the command is .venv/bin/nixpkgs-pyindex (try --help)" >&2
