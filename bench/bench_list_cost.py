#!/usr/bin/env python3
"""What a PyPI list costs an ingest (issue 18 asks ≤ 5% more time): the same
dump ingested into a new index without a list and with one, alternately, in
one process each (the CPU time of the ingest alone, the list's loading
included), and the ratio of the medians.

    python bench/bench_list_cost.py --dump 030-c1e1690f.jsonl --pypi-names pypi.tsv [--runs 5]
    python bench/bench_list_cost.py --previous 029-….jsonl --dump 030-….jsonl --pypi-names pypi.tsv

--previous times what reindex does each day: the index holds the previous
revision (ingested untimed, with the same list or none), and the dump's
ingest is timed.

The list goes through its names index in the cache (made by a first load,
not timed); --no-index times reading the list whole each run instead.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from indexer.pypinames import load_pypi_names, read_names_file  # noqa: E402
from indexer.store.ingest import RevisionInfo, file_lines, ingest  # noqa: E402
from mapping import candidates  # noqa: E402


def one(dump: Path, names: str | None, index: bool, previous: Path | None = None) -> float:
    # Each run as a new process would start: the decision's memos empty.
    candidates.python_forms.cache_clear()
    candidates._upstream_pieces.cache_clear()
    with tempfile.TemporaryDirectory() as folder:
        if previous is not None:
            listed = None if names is None else load_pypi_names(names)
            ingest(Path(folder) / "index.sqlite", file_lines(previous), RevisionInfo(rev="p"),
                   pypi_names=listed)  # fmt: skip
            candidates.python_forms.cache_clear()
            candidates._upstream_pieces.cache_clear()
        start = time.process_time()
        listed = None
        if names is not None:
            listed = load_pypi_names(names) if index else read_names_file(Path(names))
        ingest(Path(folder) / "index.sqlite", file_lines(dump), RevisionInfo(rev="r"),
               pypi_names=listed)  # fmt: skip
        return time.process_time() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dump", type=Path, required=True)
    parser.add_argument("--pypi-names", required=True)
    parser.add_argument("--previous", type=Path, help="a dump ingested first, untimed")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-index", action="store_true")
    args = parser.parse_args()
    load_pypi_names(args.pypi_names)  # makes the names index, untimed
    times: dict[str, list[float]] = {"without": [], "with": []}
    for run in range(args.runs):
        # Each side first in every other pair: neither gains from going second.
        for side in ("without", "with") if run % 2 == 0 else ("with", "without"):
            names = None if side == "without" else args.pypi_names
            times[side].append(one(args.dump, names, not args.no_index, args.previous))
    medians = {k: statistics.median(v) for k, v in times.items()}
    for k, v in times.items():
        print(f"{k:8} median {medians[k]:.3f} s CPU  runs {' '.join(f'{t:.3f}' for t in v)}")
    print(f"with / without: {medians['with'] / medians['without']:.3f}")
    # Each pair ran back to back: its ratio is steadier on a machine whose
    # speed drifts (a VM's) than the ratio of the medians.
    pairs = [w / wo for w, wo in zip(times["with"], times["without"], strict=True)]
    print(f"with / without, median of pairs: {statistics.median(pairs):.3f}")


if __name__ == "__main__":
    main()
