"""`python -m indexer` is the `nixpkgs-pyindex` command."""

from indexer.cli import main

main(prog_name="nixpkgs-pyindex")
