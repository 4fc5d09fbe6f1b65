"""nixpkgs-pyindex: storage, orchestration and the command line.

The Python API is one import:

    >>> from indexer_schema1 import Index
    >>> with Index.open("index.sqlite") as index:
    ...     [c.attr_path for c in index.candidates("PyYAML>=6", python="3.13")]
    ['python313Packages.pyyaml']
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = ["Index", "__version__"]

if TYPE_CHECKING:
    from indexer_schema1.query.index import Index


def __getattr__(name: str) -> Any:
    # Loaded on first use: the command line imports this package for
    # __version__ at start-up, and needs no query machinery for most commands.
    if name == "Index":
        from indexer_schema1.query.index import Index

        return Index
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
