"""nixpkgs-pyindex: storage, orchestration and the command line."""

__version__ = "0.1.0"
