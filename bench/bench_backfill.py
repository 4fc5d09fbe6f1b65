#!/usr/bin/env python3
"""Benchmark `backfill` on a LocalCluster against the sequential reindex loop.

Side by side in one run, on the same revisions (the last first-parent
commit of each day from --since to --until):

- loop: `reindex --ref C` for each revision C, oldest first, into an empty
  database (what a schedule that had run every day would have done);
- backfill: `backfill --workers N` of the same revisions into another one.

Prints the wall times and their ratio (goal: backfill ≤ 1.1× the loop on
this 2-core machine), the per-revision costs (evaluation on a worker,
indexing and auditing on the client) and checks that both databases hold
the same revisions with the same dumps.

    python bench/bench_backfill.py --git /work/scratch/nixpkgs-2018.git --ref bench-2018-03 \\
        --since 2018-03-10 --until 2018-03-29
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(argv: list[str]) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([sys.executable, "-m", "indexer", *argv], capture_output=True,
                          text=True, cwd=ROOT)  # fmt: skip
    if done.returncode not in (0, 17):
        sys.exit(f"{' '.join(argv[:2])} failed ({done.returncode}): {done.stderr.strip()}")
    return done


def revisions(args: argparse.Namespace) -> list[tuple[str, str]]:
    sys.path.insert(0, str(ROOT))
    from indexer.backfill.revisions import choose_revisions

    chosen = choose_revisions(Path(args.git), ref=args.ref, since=args.since, until=args.until,
                              every=args.every)  # fmt: skip
    return [(r.rev, r.date) for r in chosen]


def loop(args: argparse.Namespace, revs: list[tuple[str, str]], db: Path) -> list[float]:
    times = []
    for rev, _ in revs:
        started = time.monotonic()
        run(["reindex", "--channel", "bench", "--git", args.git, "--ref", rev, "--db", str(db),
             "-q", *args.extra])  # fmt: skip
        times.append(time.monotonic() - started)
        print(f"  loop {len(times)}/{len(revs)} {rev[:12]}: {times[-1]:.1f} s", file=sys.stderr)
    return times


def backfill(args: argparse.Namespace, db: Path) -> dict[str, object]:
    done = run(["backfill", "--channel", "bench", "--git", args.git, "--ref", args.ref,
                "--since", args.since, "--until", args.until, "--every", args.every,
                "--workers", str(args.workers), "--db", str(db), "--json", "-q", *args.extra])  # fmt: skip
    result: dict[str, object] = json.loads(done.stdout)
    return result


def stored(db: Path) -> list[tuple[str, str, int]]:
    with sqlite3.connect(db) as conn:
        return conn.execute("select rev, dump_sha256, records from revisions order by id").fetchall()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--git", required=True, help="a nixpkgs git repository")
    parser.add_argument("--ref", default="HEAD")
    parser.add_argument("--since", required=True)
    parser.add_argument("--until", required=True)
    parser.add_argument("--every", default="1d")
    parser.add_argument("--workers", type=int, default=2, help="backfill's LocalCluster workers")
    parser.add_argument("--exclude", action="append", default=[], help="passed to both")
    args = parser.parse_args()
    args.extra = [a for path in args.exclude for a in ("--exclude", path)]
    revs = revisions(args)
    print(f"{len(revs)} revisions, {revs[0][1]} to {revs[-1][1]}", file=sys.stderr)
    with tempfile.TemporaryDirectory(prefix="bench-backfill-") as tmp:
        loop_db, backfill_db = Path(tmp) / "loop.sqlite", Path(tmp) / "backfill.sqlite"
        started = time.monotonic()
        loop_times = loop(args, revs, loop_db)
        loop_wall = time.monotonic() - started
        started = time.monotonic()
        result = backfill(args, backfill_db)
        backfill_wall = time.monotonic() - started
        same = stored(loop_db) == stored(backfill_db)
        sizes = (loop_db.stat().st_size, backfill_db.stat().st_size)
    outcomes = result["revisions"]
    assert isinstance(outcomes, list)
    evaluated = [o["evaluation_seconds"] for o in outcomes if o["action"] == "indexed"]
    indexed = [o["seconds"] for o in outcomes if o["action"] in ("indexed", "reused")]
    print(f"revisions: {len(revs)} ({result['counts']})")
    print(f"loop (reindex per revision):  {loop_wall:7.1f} s  "
          f"median {statistics.median(loop_times):.1f} s a revision")  # fmt: skip
    print(f"backfill, {args.workers} workers:        {backfill_wall:7.1f} s  "
          f"= {backfill_wall / loop_wall:.2f}x the loop")  # fmt: skip
    print(f"  per revision, on a worker (extract + evaluate + compress): "
          f"median {statistics.median(evaluated):.1f} s, max {max(evaluated):.1f} s")  # fmt: skip
    print(f"  per revision, on the client (ingest + audit): "
          f"median {statistics.median(indexed):.1f} s, max {max(indexed):.1f} s")  # fmt: skip
    print(f"same revisions and dumps in both: {same}; sizes {sizes[0]} and {sizes[1]} bytes")


if __name__ == "__main__":
    main()
