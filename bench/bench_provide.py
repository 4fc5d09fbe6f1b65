#!/usr/bin/env python3
"""Benchmark `provide LOCK`: a whole lock's answers, and `--across-revisions`.

Builds an index of --dump (a synthetic tree's dump; default: the embedded
fixture, indexed) stored under --revisions revision names (the same dump
each time: its packages are stored once, each revision adds its
membership, as a channel's revisions share most packages), then writes a
uv.lock of --packages names of the set (about 60% at nixpkgs' version:
reuse; 30% at another version: inherit; 10% not in nixpkgs: unknown), a
graph: the project depends on a third of them, each package on the next
two, one edge in four with a marker that fails on --python; and measures,
in the same run, the median of --rounds rounds (ms):

- reading the lock (mapping/locks.py);
- the graph walk alone (mapping/lockselect.py);
- `provide()` on a fresh Index (cold: every name new), and again (warm);
- baseline: `candidates(name)` on a fresh Index for the same names, the
  questions `provide` asks, without the rule;
- `rank_revisions()` (`--across-revisions`) on a fresh Index, provide's
  answers included: one read of the locked names across revisions;
- baseline: the naive ranking, `candidates(name==version, rev=r)` for every
  locked package in every revision (once: it is slow).

The goals (issues #11, #16): 300 packages, graph walk included, in ≤ 50 ms, --across-revisions over 60
revisions of 20,000 packages in ≤ 1 s.

    python bench/bench_provide.py --revisions 5
    python bench/gen_synthetic.py /tmp/syn --packages 20000
    python -m indexer dump --nixpkgs /tmp/syn -o /tmp/syn.jsonl
    python bench/bench_provide.py --dump /tmp/syn.jsonl --revisions 60
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from indexer.dump.format import read_dump as read_dump_lines
from indexer.query.index import Index, marker_environment, parse_requirement
from indexer.query.provide import provide, rank_revisions
from indexer.store.ingest import RevisionInfo, file_lines, ingest_dump
from mapping.locks import parse_lock
from mapping.lockselect import Selection, choose, select

ROOT = Path(__file__).resolve().parent.parent


def build_index(db: Path, dump: Path | None, revisions: int) -> None:
    """The dump (or the fixture's, by the real Nix) under `revisions` names."""
    if dump is None:
        dump = db.parent / "fixture.jsonl"
        env = {**os.environ, "NIX_REMOTE": ""}
        argv = [sys.executable, "-m", "indexer", "dump", "-o", str(dump)]
        subprocess.run(argv, check=True, stderr=subprocess.DEVNULL, cwd=ROOT, env=env)
    parsed = read_dump_lines(file_lines(dump)())
    for n in range(revisions):
        info = RevisionInfo(rev=f"bench-{n:03d}", channel="bench", date=f"2026-01-{n % 28 + 1:02d}")
        ingest_dump(db, parsed, info)


def lock_text(index: Index, python: str, count: int, rng: random.Random) -> str:
    """A uv.lock of `count` packages of the set, with a dependency graph."""
    revision = index.revision()
    set_name = index.package_set(revision.id, python).name
    rows = index.conn.execute(
        "select n.pypi_name, max(p.version) from names n join packages p on p.id = n.package_id"
        " join members m on m.package_id = p.id"
        " where m.set_id = (select id from sets where name = ?) and p.status = 'ok'"
        " and p.version_valid = 1 group by n.pypi_name order by n.pypi_name",
        [set_name],
    ).fetchall()
    rng.shuffle(rows)
    pinned: list[tuple[str, str]] = []
    for i in range(count):
        if i % 10 == 9 or i >= len(rows):
            pinned.append((f"not-in-nixpkgs-{i}", "1.0"))
        else:
            name, version = rows[i]
            pinned.append((name, version if i % 10 < 6 else "0.0.1"))

    def edge(i: int) -> str:
        marker = ", marker = \"python_full_version < '3.8'\"" if i % 4 == 3 else ""
        return f'    {{ name = "{pinned[i][0]}"{marker} }},'

    out = ['version = 1', 'revision = 3', 'requires-python = ">=3.9"', "",
           "[[package]]", 'name = "bench-project"', 'version = "0.1.0"',
           'source = { editable = "." }', "dependencies = ["]
    out += [edge(i) for i in range(0, count, 3)]
    out.append("]")
    for i, (name, version) in enumerate(pinned):
        out += ["", "[[package]]", f'name = "{name}"', f'version = "{version}"',
                'source = { registry = "https://example.invalid/simple" }']
        following = [j for j in (i + 1, i + 2) if j < count]
        if following:
            out += ["dependencies = [", *(edge(j) for j in following), "]"]
        out.append('wheels = [{ url = "https://example.invalid/w.whl", hash = "sha256:00" }]')
    return "\n".join(out) + "\n"  # fmt: skip


def median_ms(make: Callable[[], Callable[[], object]], rounds: int) -> float:
    """Median over rounds of one call of what `make` sets up (set-up untimed)."""
    samples = []
    for _ in range(rounds):
        call = make()
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def fresh(db: Path) -> Index:
    parse_requirement.cache_clear()
    return Index.open(db)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dump", type=Path, help="the dump (default: the embedded fixture's)")
    parser.add_argument("--revisions", type=int, default=60, help="revisions (default 60)")
    parser.add_argument("--packages", type=int, default=300, help="lock size (default 300)")
    parser.add_argument("--python", default="3.13", help="interpreter (default 3.13)")
    parser.add_argument("--rounds", type=int, default=5, help="rounds (default 5)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    rng = random.Random(args.seed)

    with tempfile.TemporaryDirectory(prefix="bench-provide-") as tmp:
        db = Path(tmp) / "index.sqlite"
        started = time.perf_counter()
        build_index(db, args.dump, args.revisions)
        built = time.perf_counter() - started
        with Index.open(db) as index:
            text = lock_text(index, args.python, args.packages, rng)
            packages = index.conn.execute(
                "select count(*) from revision_packages where revision_id = ?",
                [index.revision().id],
            ).fetchone()[0]
        lock = parse_lock("uv.lock", text)
        names = [p.name for p in lock.packages]
        with Index.open(db) as index:
            environment = marker_environment(index.package_set(index.revision().id, args.python))
        chosen = choose(lock, Selection())
        source = args.dump.name if args.dump else "the embedded fixture"
        print(
            f"index of {source}: {args.revisions} revisions of {packages} records, built in "
            f"{built:.1f} s ({db.stat().st_size / 2**20:.0f} MiB); lock of {len(names)} "
            f"packages; median of {args.rounds} rounds"
        )

        def provide_cold() -> Callable[[], object]:
            index = fresh(db)
            return lambda: provide(index, lock, args.python)

        def provide_warm() -> Callable[[], object]:
            index = fresh(db)
            provide(index, lock, args.python)
            return lambda: provide(index, lock, args.python)

        def candidates_cold() -> Callable[[], object]:
            index = fresh(db)
            return lambda: [index.candidates(n, args.python) for n in names]

        def ranked_cold() -> Callable[[], object]:
            index = fresh(db)
            return lambda: rank_revisions(index, provide(index, lock, args.python))

        def naive_ranking() -> Callable[[], object]:
            index = fresh(db)
            revs = [r.rev for r in index.revisions()]
            return lambda: sorted(
                (
                    sum(
                        bool(index.candidates(f"{p.name}=={p.version}", args.python, r))
                        for p in lock.packages
                    ),
                    r,
                )
                for r in revs
            )

        results = [
            ("read the lock (parse_lock)", median_ms(lambda: lambda: parse_lock("uv.lock", text), args.rounds)),
            ("the graph walk (select)", median_ms(lambda: lambda: select(lock, environment, chosen), args.rounds)),
            ("provide(), graph walk included, cold", median_ms(provide_cold, args.rounds)),
            ("provide(), warm", median_ms(provide_warm, args.rounds)),
            ("baseline: candidates(name) × lock, cold", median_ms(candidates_cold, args.rounds)),
            (f"rank_revisions() over {args.revisions} revisions, cold", median_ms(ranked_cold, args.rounds)),
            ("baseline: candidates(name==version, rev) × lock × revisions", median_ms(naive_ranking, 1)),
        ]  # fmt: skip
        with fresh(db) as index:
            top = rank_revisions(index, provide(index, lock, args.python))[0]
            counts: dict[str, int] = {}
            for p in provide(index, lock, args.python):
                counts[p.verdict] = counts.get(p.verdict, 0) + 1
        print(f"answers: {counts}; best revision {top.rev}: {top.reused}/{top.of} reused")
        print()
        print("| step | ms |")
        print("| --- | --- |")
        for label, ms in results:
            print(f"| {label} | {ms:.1f} |")


if __name__ == "__main__":
    main()
