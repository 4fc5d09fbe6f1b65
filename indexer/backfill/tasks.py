"""The task a cluster worker runs for one revision: extract, dump, compress.

Plain Python, no Dask: the scheduler ships `evaluate_revision` and its
`TaskSpec` to a worker, which needs nixpkgs-pyindex, git and Nix, and the
repository (a path it can read, or a URL it mirrors into its own cache).
The tree is extracted as `reindex` extracts it and removed afterwards; the
dump goes back as compressed JSON lines (a tenth of their size), which the
client reads with the dump format's own checks before ingesting them.
"""

from __future__ import annotations

import os
import time
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from indexer.backfill.revisions import local_repository
from indexer.dump.evaluator import find_nix
from indexer.dump.format import Dump, read_dump
from indexer.dump.orchestrator import DumpOptions, dump
from indexer.paths import default_cache_dir
from indexer.reindex import extract_git_tree
from indexer.tempdirs import remove_tree

# zlib's fastest level: a 2018 dump (40 MB of JSON) compresses to a tenth of
# it in a fraction of its evaluation time.
COMPRESSION_LEVEL = 1


@dataclass(frozen=True)
class TaskSpec:
    repo: str  # a path the worker can read, or a URL
    rev: str
    excludes: tuple[str, ...] = ()
    dump_options: DumpOptions = field(default_factory=DumpOptions)
    cache_dir: str | None = None  # default: the worker's own


@dataclass(frozen=True)
class TaskResult:
    rev: str
    dump: bytes  # the dump's JSON lines, zlib-compressed
    seconds: float  # extracting and evaluating, on the worker
    worker_pid: int


def evaluate_revision(spec: TaskSpec) -> TaskResult:
    """Extract `spec.rev`, dump it, and return the compressed dump."""
    started = time.monotonic()
    cache_dir = Path(spec.cache_dir) if spec.cache_dir else default_cache_dir()
    repo = local_repository(spec.repo, cache_dir, want=[spec.rev])
    tree = extract_git_tree(repo, spec.rev, spec.excludes, cache_dir)
    try:
        result = dump(find_nix(), tree, spec.dump_options)
    finally:
        remove_tree(tree)
    return TaskResult(spec.rev, compress(result), time.monotonic() - started, os.getpid())


def compress(result: Dump) -> bytes:
    return zlib.compress(b"\n".join(result.lines()), COMPRESSION_LEVEL)


def decompress(data: bytes) -> Dump:
    """The dump back, checked as a dump file is (MalformedDump if not)."""
    return read_dump(zlib.decompress(data).split(b"\n"))


__all__ = ["TaskResult", "TaskSpec", "compress", "decompress", "evaluate_revision"]
