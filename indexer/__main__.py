"""`python -m indexer` is the `nixpkgs-pyindex` command."""

from .cli import main

main(prog_name="nixpkgs-pyindex")
