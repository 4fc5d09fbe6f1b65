#!/usr/bin/env python3
"""Benchmark `nixpkgs-pyindex audit` on a large revision.

Builds an index of a dump (--dump FILE, e.g. of a synthetic 10k tree; by
default a synthetic tree of --packages packages is generated and dumped),
then measures side by side, in the same run (medians of --repeat):

- the audit itself (`run_audit`, every rule, PyPI names given, not stored);
- the audit with its findings stored in the database;
- baseline: reading the revision's packages from SQLite (`load_packages`);
- baseline: `export --format json` of the same revision (the library call).

The goal of issue #4 is an audit of a 10k-package revision in at most 2 s;
the table gives the time and its ratio to the baselines.

    python bench/bench_audit.py --packages 10000
    python bench/bench_audit.py --dump /tmp/syn10k.jsonl
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from indexer.audit.run import load_packages, run_audit  # noqa: E402
from indexer.query.export import export_json  # noqa: E402
from indexer.query.index import Index  # noqa: E402
from indexer.store.ingest import RevisionInfo, file_lines, ingest  # noqa: E402


def median_seconds(run: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def make_dump(scratch: Path, packages: int) -> Path:
    tree = scratch / "tree"
    dump = scratch / "dump.jsonl"
    subprocess.run(
        [sys.executable, str(ROOT / "bench" / "gen_synthetic.py"), str(tree),
         "--packages", str(packages)],
        check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    subprocess.run(
        [sys.executable, "-m", "indexer", "dump", "-q", "--nixpkgs", str(tree), "-o", str(dump)],
        check=True,
        cwd=ROOT,
    )
    return dump


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dump", type=Path, help="a dump to index (default: a synthetic tree)")
    parser.add_argument("--packages", type=int, default=10000, help="synthetic tree size")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-audit-") as tmp:
        scratch = Path(tmp)
        dump = args.dump or make_dump(scratch, args.packages)
        db = scratch / "index.sqlite"
        ingest(db, file_lines(dump), RevisionInfo(rev="bench"))
        with Index.open(db) as index:
            revision = index.revision()
            packages = load_packages(index.conn, revision.id)
            # Every name the revision claims exists, plus none: both PyPI rules run.
            names = {p.pypi_name for p in packages if p.pypi_name}

            def read() -> object:
                return load_packages(index.conn, revision.id)

            def export() -> object:
                return export_json(index, None)

            baseline_read = median_seconds(read, args.repeat)
            baseline_export = median_seconds(export, args.repeat)

        def audit(store: bool) -> Callable[[], object]:
            return lambda: run_audit(db, pypi_names=names, store=store)

        audit_only = median_seconds(audit(False), args.repeat)
        audit_stored = median_seconds(audit(True), args.repeat)
        findings = len(run_audit(db, pypi_names=names, store=False).findings)

    attrs = len(packages)
    print(f"{attrs} attributes ({sum(p.status == 'ok' for p in packages)} ok), "
          f"{findings} findings; medians of {args.repeat}")  # fmt: skip
    print()
    print("| run | seconds | vs reading the packages | vs export json |")
    print("| --- | --- | --- | --- |")
    rows = [
        ("audit, every rule", audit_only),
        ("audit, findings stored", audit_stored),
        ("baseline: read the revision's packages", baseline_read),
        ("baseline: export --format json", baseline_export),
    ]
    for label, seconds in rows:
        print(f"| {label} | {seconds:.2f} | {seconds / baseline_read:.2f}× "
              f"| {seconds / baseline_export:.2f}× |")  # fmt: skip


if __name__ == "__main__":
    main()
