#!/usr/bin/env python3
"""Benchmark `Index.candidates()`: per-call latency against bare baselines.

A resolver asks `Index.candidates("PyYAML>=6", python="3.13")` thousands of
times per resolution. This builds an index (of the embedded fixture, or of
--dump FILE), then measures side by side, in the same run, the per-call
latency (perf_counter_ns around each call; p50 and p99 over every call of
--rounds rounds) of:

- `candidates()` cold: a fresh Index (and parse cache), every requirement new;
- `candidates()` warm: the same requirements again, on the same Index;
- baseline: a bare sqlite3 primary-key lookup on the same read-only connection;
- baseline: `packaging.requirements.Requirement(text)` alone;

and a simulated resolution: --queries queries over --names distinct names,
with repeats, on a fresh Index (total ms). Times are reported as ratios to
the baselines; no absolute time is asserted.

    python bench/bench_queries.py
    python bench/gen_synthetic.py /tmp/syn --packages 10000
    python -m indexer dump --nixpkgs /tmp/syn -o /tmp/syn.jsonl
    python bench/bench_queries.py --dump /tmp/syn.jsonl
"""

from __future__ import annotations

import argparse
import functools
import gc
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from packaging.requirements import Requirement

from indexer.query.index import Index, parse_requirement

ROOT = Path(__file__).resolve().parent.parent
T = TypeVar("T")

# Requirement shapes a resolver sends: {name} is the PyPI spelling, {extra}
# an extra the package offers (or a made-up one).
SHAPES = (
    "{name}",
    "{name}>=1",
    "{name}<2,!=1.5",
    '{name}[{extra}]; python_version>="3"',
)


@dataclass(frozen=True)
class Latency:
    label: str
    p50_us: float
    p99_us: float
    calls: int


def build_index(db: Path, dump: Path | None) -> None:
    """The index the queries run on: --dump ingested, else the fixture indexed."""
    env = {**os.environ, "NIX_REMOTE": ""}
    if dump is not None:
        argv = [sys.executable, "-m", "indexer", "ingest", str(dump), "--db", str(db), "-q"]
    else:
        argv = [sys.executable, "-m", "indexer", "index", "--db", str(db), "-q"]
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, cwd=ROOT, env=env)


def set_of(db: Path, python: str) -> str:
    """The set name `python` resolves to in the newest revision."""
    with Index.open(db) as index:
        revision = index.revision()
        return index.package_set(revision.id, python).name


def project_names(conn: sqlite3.Connection, set_name: str) -> list[tuple[str, str]]:
    """(PyPI spelling, an extra it offers or "extra") of every name in the set."""
    rows = conn.execute(
        "select n.pypi_name, coalesce(min(p.pypi_spelled), n.pypi_name),"
        " (select min(i.extra) from inputs i join names m on m.package_id = i.package_id"
        "  where m.pypi_name = n.pypi_name and i.extra is not null)"
        " from names n join packages p on p.id = n.package_id"
        " join revision_packages rp on rp.package_id = p.id"
        " where rp.set_name = ? group by n.pypi_name order by n.pypi_name",
        [set_name],
    ).fetchall()
    return [(spelled, extra or "extra") for _, spelled, extra in rows]


def requirements(names: Sequence[tuple[str, str]], count: int, rng: random.Random) -> list[str]:
    """`count` distinct requirement strings (fewer if the index has fewer)."""
    every = [shape.format(name=n, extra=e) for n, e in names for shape in SHAPES]
    rng.shuffle(every)
    return every[:count]


def timed(call: Callable[[T], object], args: Sequence[T]) -> list[int]:
    """Nanoseconds of `call(arg)` for each arg, in order."""
    clock = time.perf_counter_ns
    samples = []
    for arg in args:
        started = clock()
        call(arg)
        samples.append(clock() - started)
    return samples


def pk_lookup(conn: sqlite3.Connection, package_id: int) -> object:
    return conn.execute("select id from packages where id = ?", (package_id,)).fetchone()


def nothing(arg: object) -> None:
    return None


def percentile(sorted_samples: Sequence[int], fraction: float) -> float:
    return sorted_samples[round(fraction * (len(sorted_samples) - 1))] / 1000


def latency(label: str, samples: list[int]) -> Latency:
    samples.sort()
    return Latency(label, percentile(samples, 0.5), percentile(samples, 0.99), len(samples))


def fresh_index(db: Path) -> Index:
    """A new Index with nothing cached in-process (the OS file cache stays warm)."""
    parse_requirement.cache_clear()
    return Index.open(db)


def measure_calls(
    db: Path, python: str, reqs: list[str], ids: list[int], rounds: int
) -> list[Latency]:
    cold: list[int] = []
    warm: list[int] = []
    lookup: list[int] = []
    parse: list[int] = []
    timer: list[int] = []
    for _ in range(rounds):
        gc.collect()
        index = fresh_index(db)
        candidates = functools.partial(index.candidates, python=python)
        # Rounds interleave the five, so that they share the machine's state.
        cold += timed(candidates, reqs)
        warm += timed(candidates, reqs)
        lookup += timed(functools.partial(pk_lookup, index.conn), ids)
        parse += timed(Requirement, reqs)
        timer += timed(nothing, reqs)
        index.close()
    return [
        latency("`candidates()`, cold (fresh Index, new requirement)", cold),
        latency("`candidates()`, warm (same requirement again)", warm),
        latency("baseline: sqlite3 `select id from packages where id = ?`", lookup),
        latency("baseline: `Requirement(text)` parse", parse),
        latency("(timer and loop overhead: an empty call)", timer),
    ]


@dataclass(frozen=True)
class Resolution:
    queries: int
    distinct_requirements: int
    distinct_names: int
    total_ms: float
    lookups_ms: float
    parses_ms: float


def resolution_queries(
    names: Sequence[tuple[str, str]], queries: int, distinct: int, rng: random.Random
) -> tuple[list[str], int]:
    """A resolution's questions: `queries` requirements over `distinct` names,
    popular names asked often (Zipf-like), each in one of a few shapes."""
    chosen = rng.sample(list(names), min(distinct, len(names)))
    weights = [1 / (rank + 1) for rank in range(len(chosen))]
    asked = rng.choices(chosen, weights=weights, k=queries)
    return [rng.choice(SHAPES).format(name=n, extra=e) for n, e in asked], len(chosen)


def measure_resolution(
    db: Path, python: str, reqs: list[str], ids: list[int], rounds: int
) -> tuple[float, float, float]:
    """Median total ms of the queries on a fresh Index, and of as many
    primary-key lookups and Requirement parses."""
    totals: list[float] = []
    lookups: list[float] = []
    parses: list[float] = []
    for _ in range(rounds):
        gc.collect()
        index = fresh_index(db)
        started = time.perf_counter()
        for r in reqs:
            index.candidates(r, python=python)
        totals.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        for i in ids:
            pk_lookup(index.conn, i)
        lookups.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        for r in reqs:
            Requirement(r)
        parses.append((time.perf_counter() - started) * 1000)
        index.close()
    return statistics.median(totals), statistics.median(lookups), statistics.median(parses)


def ratio(a: float, b: float) -> str:
    if not b:
        return "–"
    return f"{a / b:.2f}×" if a < b else f"{a / b:.1f}×"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--dump", type=Path, help="ingest this dump (default: index the embedded fixture)"
    )
    parser.add_argument("--python", default="3.13", help="interpreter asked for (default 3.13)")
    parser.add_argument(
        "--calls", type=int, default=2000, help="distinct requirements per round (default 2000)"
    )
    parser.add_argument("--rounds", type=int, default=5, help="rounds to pool (default 5)")
    parser.add_argument(
        "--queries", type=int, default=2000, help="queries of the resolution (default 2000)"
    )
    parser.add_argument(
        "--names", type=int, default=300, help="distinct names of the resolution (default 300)"
    )
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    rng = random.Random(args.seed)

    with tempfile.TemporaryDirectory(prefix="bench-queries-") as tmp:
        db = Path(tmp) / "index.sqlite"
        started = time.perf_counter()
        build_index(db, args.dump)
        built = time.perf_counter() - started
        set_name = set_of(db, args.python)
        with Index.open(db) as index:
            names = project_names(index.conn, set_name)
            all_ids = [row[0] for row in index.conn.execute("select id from packages")]
        reqs = requirements(names, args.calls, rng)
        ids = [rng.choice(all_ids) for _ in reqs]
        source = args.dump.name if args.dump else "the embedded fixture"
        print(
            f"index of {source}: {len(all_ids)} packages, {len(names)} PyPI names in "
            f"{set_name}, built in {built:.1f} s; {len(reqs)} distinct requirements × "
            f"{args.rounds} rounds"
        )
        print()
        rows = measure_calls(db, args.python, reqs, ids, args.rounds)
        by_label = {row.label: row for row in rows}
        lookup = rows[2]
        parse = rows[3]
        print("| call | p50 µs | p99 µs | p50 / PK lookup | p50 / parse |")
        print("| --- | --- | --- | --- | --- |")
        for row in by_label.values():
            print(
                f"| {row.label} | {row.p50_us:.1f} | {row.p99_us:.1f} | "
                f"{ratio(row.p50_us, lookup.p50_us)} | {ratio(row.p50_us, parse.p50_us)} |"
            )

        queries, distinct_names = resolution_queries(names, args.queries, args.names, rng)
        lookup_ids = [rng.choice(all_ids) for _ in queries]
        total, lookups, parses = measure_resolution(
            db, args.python, queries, lookup_ids, args.rounds
        )
        print()
        print(
            "| simulated resolution | distinct requirements | total ms | µs per query | "
            "vs as many PK lookups | vs as many parses |"
        )
        print("| --- | --- | --- | --- | --- | --- |")
        print(
            f"| {len(queries)} queries, {distinct_names} names | {len(set(queries))} | "
            f"{total:.1f} | {total * 1000 / len(queries):.1f} | "
            f"{ratio(total, lookups)} ({lookups:.1f} ms) | {ratio(total, parses)} "
            f"({parses:.1f} ms) |"
        )


if __name__ == "__main__":
    main()
