"""The package's own files, found with importlib.resources.

`indexer/nix` (the evaluator's scripts, top-level `nix/`) and `indexer/data`
(the embedded nixpkgs and the curated overrides, top-level `data/`): an
installed package carries them there, and in a checkout they are links to
the top-level folders, so one lookup serves both.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def _package_folder(name: str) -> Path:
    # A Path, not a Traversable: Nix is handed these folders by name.
    return Path(str(files("indexer_schema1") / name)).resolve()


def nix_scripts_dir() -> Path:
    """The folder holding dump.nix."""
    folder = _package_folder("nix")
    if not (folder / "dump.nix").is_file():
        raise FileNotFoundError("nix/dump.nix is missing from this installation")
    return folder


def data_path(name: str) -> Path:
    """A file or folder of data/."""
    path = _package_folder("data") / name
    if not path.exists():
        raise FileNotFoundError(f"data/{name} is missing from this installation")
    return path
