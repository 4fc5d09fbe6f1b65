#!/usr/bin/env bash
# Install what is missing, then lint, type-check and run the tests.
# Extra arguments go to pytest (e.g. scripts/test.sh -k dump -x).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
ensure_nix
ensure_venv dev
.venv/bin/ruff check indexer mapping tests bench
.venv/bin/mypy
.venv/bin/python -m pytest -q "$@"
