#!/usr/bin/env bash
# Set everything up (Nix, a virtualenv with the project) and run the main
# job on the embedded example nixpkgs. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
ensure_nix
ensure_venv test
mkdir -p out
.venv/bin/nixpkgs-pyindex dump -o out/fixture.jsonl
echo "wrote out/fixture.jsonl; the command is .venv/bin/nixpkgs-pyindex (try --help)" >&2
