#!/usr/bin/env bash
# Install what is missing, then lint, type-check and run the tests.
# Extra arguments go to pytest (e.g. scripts/test.sh -k dump -x).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
ensure_nix
ensure_current_nix
ensure_minisign
ensure_venv dev
# Every test that evaluates runs once under each Nix listed here (tests/conftest.py).
export NIXPKGS_PYINDEX_TEST_NIX="${NIXPKGS_PYINDEX_TEST_NIX:-$(command -v nix)${CURRENT_NIX:+:$CURRENT_NIX}}"
.venv/bin/ruff check indexer mapping tests bench
.venv/bin/mypy
.venv/bin/python -m pytest -q "$@"
