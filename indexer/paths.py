"""Where the tool keeps its files by default: the index, the cache, the scratch trees.

Every default location is decided here and nowhere else; callers take an
explicit path when one is given (`--db`, a `cache_dir` argument) and ask this
module otherwise.
"""

from __future__ import annotations

import os
from pathlib import Path

# The index's location, when set (the systemd unit and the workflow set it).
ENV_DB = "NIXPKGS_PYINDEX_DB"
# Where `reindex` extracts its trees, when set.
SCRATCH_ENV = "NIXPKGS_PYINDEX_SCRATCH"


# default_db_path in a few words, for --help.
DEFAULT_DB_SHOWN = f"${ENV_DB} or ~/.local/share/nixpkgs-pyindex/index.sqlite"


def default_db_path() -> Path:
    """`$NIXPKGS_PYINDEX_DB`, else `$XDG_DATA_HOME/nixpkgs-pyindex/index.sqlite`."""
    if os.environ.get(ENV_DB):
        return Path(os.environ[ENV_DB])
    data_home = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data_home) / "nixpkgs-pyindex" / "index.sqlite"


def default_cache_dir() -> Path:
    """`$XDG_CACHE_HOME/nixpkgs-pyindex`: fetched tarballs, the PyPI names, trees."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "nixpkgs-pyindex"


def scratch_dir(cache_dir: Path) -> Path:
    """Where a run extracts its tree (not created here): a RAM file system when
    there is one.

    A nixpkgs tree is tens of thousands of small files, written once, read by
    one dump and deleted: on a disk that alone can take longer than the
    evaluation (8 s against 0.4 s on tmpfs for the 2018 tree here).
    `$NIXPKGS_PYINDEX_SCRATCH` chooses the place; else /dev/shm when
    writable, else the cache."""
    chosen = os.environ.get(SCRATCH_ENV)
    if chosen:
        base = Path(chosen)
    elif os.access("/dev/shm", os.W_OK):
        base = Path("/dev/shm")
    else:
        base = cache_dir
    return base / "nixpkgs-pyindex-trees"

# Where PyPI's project list is read from (PEP 691), unless --pypi-index-url.
DEFAULT_INDEX_URL = "https://pypi.org/simple/"
