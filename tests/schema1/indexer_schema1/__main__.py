"""`python -m indexer` is the `nixpkgs-pyindex` command."""

from indexer_schema1.cli import main

main(prog_name="nixpkgs-pyindex")
