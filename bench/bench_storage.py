#!/usr/bin/env python3
"""Benchmark the index's storage across revisions: ten revisions that differ
in 5% of packages, against one.

A base dump (a synthetic tree of --packages packages, dumped once; the
embedded fixture with --packages 0; or --dump FILE) is revision 1. Each
next revision rewrites the previous one's records the way a nixpkgs update
does: --change (5%) of the records differ, cumulatively:

- version bumps: `version`, the version in `name`, the sources (name, urls,
  version, purls) and the purls of a package, in every set that has it; its
  direct dependents' input lists and its aliases name the new version, so
  they change too and count towards the 5%;
- a few packages removed (ones nothing depends on) and a few added (copies
  of a package under a new name).

Header `attributes` and footer `records` and `status` counts are kept
consistent. All revisions are ingested into one fresh database and revision
1 alone into another, side by side; both are VACUUMed into copies whose
file sizes are compared (the issue's goal: "well under twice the space of
one"), with the space per table (`dbstat`) and the ingest time of each
revision as a ratio to the first.

    python bench/bench_storage.py                 # synthetic, 2000 packages
    python bench/bench_storage.py --packages 10000
    python bench/bench_storage.py --packages 0    # the embedded fixture
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import random
import re
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
GENERATOR = ROOT / "bench" / "gen_synthetic.py"
MIB = 1024 * 1024
# "Well under 2×": the verdict line says whether the ratio is below this.
WELL_UNDER = 1.5

Record = dict[str, Any]


def run(argv: list[str]) -> str:
    env = {**os.environ, "NIX_REMOTE": ""}
    done = subprocess.run(argv, check=True, capture_output=True, text=True, cwd=ROOT, env=env)
    return done.stdout


def base_dump(scratch: Path, packages: int, dump: Path | None) -> Path:
    """Revision 1: --dump, else a dump of a synthetic tree or of the fixture."""
    if dump is not None:
        return dump
    out = scratch / "r1.jsonl"
    indexer = [sys.executable, "-m", "indexer", "dump", "-q", "-o", str(out)]
    if packages:
        tree = scratch / "tree"
        run([sys.executable, str(GENERATOR), str(tree), "--packages", str(packages)])
        indexer += ["--nixpkgs", str(tree)]
    run(indexer)
    return out


@dataclass
class Dump:
    header: Record
    records: list[Record]
    footer: Record

    @classmethod
    def read(cls, path: Path) -> Dump:
        lines = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
        return cls(lines[0], lines[1:-1], lines[-1])

    def write(self, path: Path) -> None:
        """The dump with its counts recomputed, records in dump order."""
        order = {s["set"]: n for n, s in enumerate(self.header["sets"])}
        self.records.sort(key=lambda r: (order[r["set"]], r["attr"]))
        per_set = Counter(r["set"] for r in self.records)
        for s in self.header["sets"]:
            s["attributes"] = per_set[s["set"]]
        self.footer["records"] = len(self.records)
        self.footer["status"] = dict(sorted(Counter(r["status"] for r in self.records).items()))
        with path.open("w") as f:
            for line in (self.header, *self.records, self.footer):
                f.write(json.dumps(line, separators=(",", ":"), ensure_ascii=False) + "\n")


_LAST_NUMBER = re.compile(r"([0-9]+)(?!.*[0-9])")


def bump(version: str) -> str:
    """The next version: its last number plus one (`6.0.2` → `6.0.3`)."""
    if _LAST_NUMBER.search(version):
        return _LAST_NUMBER.sub(lambda m: str(int(m.group(1)) + 1), version, count=1)
    return version + ".1"


def renamed(text: str, old: str, new: str) -> str:
    """`text` with the version `old` replaced by `new` where it is a whole
    version (`v4.1.2.tar.gz` and `@4.1.2`, not `14.1.2` nor `4.1.2.1`)."""
    return re.sub(rf"(?<![0-9.]){re.escape(old)}(?![0-9]|\.[0-9])", new, text)


def input_items(inputs: object) -> Iterator[Record]:
    """Every input of a record's `inputs` (optional-dependencies included)."""
    if not isinstance(inputs, dict):
        return
    for value in inputs.values():
        lists = value.values() if isinstance(value, dict) else [value]
        for items in lists:
            for item in items or []:
                if isinstance(item, dict) and isinstance(item.get("name"), str):
                    yield item


class Revisions:
    """Successive revisions of one dump, each derived from the previous."""

    def __init__(self, dump: Dump, change: float, rng: random.Random) -> None:
        self.dump = dump
        self.change = change
        self.rng = rng
        self.added = 0

    def next(self) -> tuple[Dump, int]:
        """The next revision, and how many of its records differ from this one's."""
        dump = copy.deepcopy(self.dump)
        ok = [r for r in dump.records if r["status"] == "ok"]
        budget = max(1, round(self.change * len(ok)))
        by_key = {(r["set"], r["attr"]): r for r in dump.records}
        dependents: dict[tuple[str, str], list[Record]] = {}
        for r in ok:
            for item in input_items(r.get("inputs")):
                dependents.setdefault((r["set"], item["name"]), []).append(r)
        aliases: dict[tuple[str, str], list[Record]] = {}
        for r in dump.records:
            if r["status"] == "alias" and r.get("alias_of"):
                aliases.setdefault((r["set"], r["alias_of"]), []).append(r)
        sets_of: dict[str, list[Record]] = {}
        for r in ok:
            sets_of.setdefault(r["attr"], []).append(r)

        changed: set[tuple[str, str]] = set()
        # A few removals (nothing depends on them) and additions, then bumps.
        removals = max(1, budget // 40)
        additions = max(1, budget // 20)
        leaves = [r for r in ok if not dependents.get((r["set"], r["name"]))]
        for r in self.rng.sample(leaves, min(removals, len(leaves))):
            if not aliases.get((r["set"], r["attr"])):
                dump.records.remove(r)
                changed.add((r["set"], r["attr"]))
        for r in self.rng.sample(ok, additions):
            added = self.copy_as_new(r, by_key)
            if added is not None:
                dump.records.append(added)
                changed.add((added["set"], added["attr"]))
        attrs = list(sets_of)
        self.rng.shuffle(attrs)
        for attr in attrs:
            if len(changed) >= budget:
                break
            group = [r for r in sets_of[attr] if (r["set"], r["attr"]) not in changed]
            if len(group) != len(sets_of[attr]):
                continue
            touched = {(r["set"], r["attr"]) for r in group}
            for r in group:
                touched.update(
                    (d["set"], d["attr"]) for d in dependents.get((r["set"], r["name"]), [])
                )
                touched.update((a["set"], a["attr"]) for a in aliases.get((r["set"], attr), []))
            if touched & changed or len(changed) + len(touched) > budget:
                continue
            for r in group:
                old_name, old_version = r["name"], r.get("version")
                if not isinstance(old_version, str):
                    continue
                new_version = bump(old_version)
                self.set_version(r, old_version, new_version)
                for d in dependents.get((r["set"], old_name), []):
                    for item in input_items(d.get("inputs")):
                        if item["name"] == old_name:
                            item["name"] = r["name"]
                            item["version"] = new_version
                for a in aliases.get((r["set"], attr), []):
                    a["name"], a["version"] = r["name"], new_version
            changed |= touched
        self.dump = dump
        return dump, len(changed)

    def copy_as_new(self, record: Record, by_key: dict[tuple[str, str], Record]) -> Record | None:
        """`record` under a new attribute and PyPI name (a package added upstream)."""
        self.added += 1
        attr = f"{record['attr']}-next{self.added}"
        if (record["set"], attr) in by_key:
            return None
        new = copy.deepcopy(record)
        old_pname, new_pname = record.get("pname"), f"{record.get('pname')}-next{self.added}"
        text = json.dumps({k: v for k, v in new.items() if k != "inputs"})
        if isinstance(old_pname, str):
            text = text.replace(old_pname, new_pname)
        new.update(json.loads(text))
        new["attr"] = attr
        new["position"] = f"pkgs/development/python-modules/{attr}/default.nix:10"
        return new

    @staticmethod
    def set_version(record: Record, old: str, new: str) -> None:
        record["version"] = new
        name = record["name"]
        record["name"] = name[: -len(old)] + new if name.endswith(old) else renamed(name, old, new)
        record["purls"] = [renamed(p, old, new) for p in record.get("purls") or []]
        for src in record.get("src") or []:
            if not isinstance(src, dict):
                continue
            for key in ("name", "version", "rev"):
                if isinstance(src.get(key), str):
                    src[key] = renamed(src[key], old, new)
            for key in ("urls", "purls"):
                src[key] = [renamed(u, old, new) for u in src.get(key) or []]


@dataclass(frozen=True)
class Ingested:
    rev: str
    records: int
    changed: int
    new_packages: int
    seconds: float  # the ingest's own time
    wall: float  # the command's, Python start included


def ingest(dump: Path, db: Path, rev: str, changed: int) -> Ingested:
    started = time.perf_counter()
    out = run([sys.executable, "-m", "indexer", "ingest", str(dump), "--db", str(db),
               "--rev", rev, "--json", "-q"])  # fmt: skip
    wall = time.perf_counter() - started
    result = json.loads(out)
    return Ingested(
        rev, result["records"], changed, result["new_packages"], result["seconds"], wall
    )


def vacuumed(db: Path) -> tuple[Path, dict[str, int]]:
    """A VACUUMed copy of `db`, and its bytes per table and per index (from
    dbstat; none when SQLite is built without it), plus two figures under
    names in parentheses: the bytes of `packages.record` (the records' JSON)
    and the number of packages stored."""
    copy_path = db.with_suffix(".vacuumed.sqlite")
    conn = sqlite3.connect(db)
    try:
        conn.execute("VACUUM INTO ?", [str(copy_path)])
    finally:
        conn.close()
    conn = sqlite3.connect(copy_path)
    try:
        try:
            rows = conn.execute("select name, sum(pgsize) from dbstat group by name").fetchall()
        except sqlite3.OperationalError:  # SQLite built without dbstat
            rows = []
        sizes = {name: size for name, size in rows}
        record_bytes, packages = conn.execute(
            "select sum(length(cast(record as blob))), count(*) from packages"
        ).fetchone()
        sizes["(packages.record)"] = record_bytes or 0
        sizes["(packages stored)"] = packages
    finally:
        conn.close()
    return copy_path, sizes


def mib(size: float) -> str:
    return f"{size / MIB:.2f}"


def ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}×" if b else "–"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--packages", type=int, default=2000,
        help="synthetic tree size (default 2000; 0: the embedded fixture)",
    )  # fmt: skip
    parser.add_argument("--dump", type=Path, help="use this dump as revision 1")
    parser.add_argument("--revisions", type=int, default=10, help="revisions (default 10)")
    parser.add_argument(
        "--change", type=float, default=0.05,
        help="fraction of ok records each revision changes (default 0.05)",
    )  # fmt: skip
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--keep", type=Path, help="keep the dumps and databases in this folder")
    args = parser.parse_args()
    rng = random.Random(args.seed)

    with tempfile.TemporaryDirectory(prefix="bench-storage-") as tmp:
        scratch = args.keep or Path(tmp)
        scratch.mkdir(parents=True, exist_ok=True)
        first = base_dump(scratch, args.packages, args.dump)
        revisions = Revisions(Dump.read(first), args.change, rng)
        dumps = [(first, 0)]
        for k in range(2, args.revisions + 1):
            dump, changed = revisions.next()
            path = scratch / f"r{k}.jsonl"
            dump.write(path)
            dumps.append((path, changed))

        one_db, all_db = scratch / "one.sqlite", scratch / "all.sqlite"
        for path in (one_db, all_db):
            for suffix in ("", "-wal", "-shm"):
                Path(str(path) + suffix).unlink(missing_ok=True)
        ingest(first, one_db, "r1", 0)
        runs = [ingest(path, all_db, f"r{k}", n) for k, (path, n) in enumerate(dumps, 1)]
        one_copy, one_tables = vacuumed(one_db)
        all_copy, all_tables = vacuumed(all_db)
        one_size, all_size = one_copy.stat().st_size, all_copy.stat().st_size
        dump_sizes = sum(path.stat().st_size for path, _ in dumps)

        source = (
            str(args.dump) if args.dump
            else f"synthetic {args.packages}" if args.packages else "the embedded fixture"
        )  # fmt: skip
        print(
            f"revision 1: {source}, {runs[0].records} records; {args.revisions} revisions, "
            f"each changing {args.change:.0%} of the ok records of the one before"
        )
        print()
        print("| database (VACUUMed) | MiB | ratio | dumps, MiB |")
        print("| --- | --- | --- | --- |")
        print(f"| revision 1 only | {mib(one_size)} | 1.00× | {mib(first.stat().st_size)} |")
        print(
            f"| {args.revisions} revisions | {mib(all_size)} | {ratio(all_size, one_size)} | "
            f"{mib(dump_sizes)} |"
        )
        print()
        packages_one = one_tables.pop("(packages stored)")
        packages_all = all_tables.pop("(packages stored)")
        record_one = one_tables.pop("(packages.record)")
        record_all = all_tables.pop("(packages.record)")
        measured = all_size / one_size
        print(
            f"Packages stored: {packages_one} for revision 1, {packages_all} for all "
            f"{args.revisions} ({ratio(packages_all, packages_one)}): the floor, in records, of any design "
            "that stores each distinct record once. The records' JSON (`packages.record`) "
            f"takes {mib(record_one)} MiB ({record_one / one_size:.0%} of the file) for "
            f"revision 1, {mib(record_all)} MiB ({record_all / all_size:.0%}) for all."
        )
        print()
        floor = packages_all / packages_one
        verdict = "met" if measured < 2 else "NOT met"
        print(
            f"Goal (ten revisions 5% apart in well under twice the space of one): {verdict}: "
            f"{measured:.2f}×, against a floor of {floor:.2f}× for storing each changed "
            f"package once ({(measured / floor - 1):.0%} above it)."
            + ("" if measured < WELL_UNDER else f" Above {WELL_UNDER}×: see the tables below.")
        )
        print()
        first_run = runs[0]
        print(
            "| revision | records | records changed | packages stored | ingest s | "
            "vs r1 | command s | vs r1 |"
        )
        print("| --- | --- | --- | --- | --- | --- | --- | --- |")
        for r in runs:
            print(
                f"| {r.rev} | {r.records} | {r.changed} | {r.new_packages} | {r.seconds:.2f} | "
                f"{ratio(r.seconds, first_run.seconds)} | {r.wall:.2f} | "
                f"{ratio(r.wall, first_run.wall)} |"
            )
        later = sorted(r.seconds for r in runs[1:])
        if later:
            median = later[len(later) // 2]
            print()
            print(
                f"A revision mostly stored already ingests in {median:.2f} s (median of r2–r"
                f"{args.revisions}), {ratio(median, first_run.seconds)} the first's "
                f"{first_run.seconds:.2f} s."
            )
        if all_tables:
            print()
            print(f"| table or index | revision 1, MiB | {args.revisions} revisions, MiB | ratio |")
            print("| --- | --- | --- | --- |")
            for name, size in sorted(all_tables.items(), key=lambda t: -t[1]):
                if size < 16 * 4096 and one_tables.get(name, 0) < 16 * 4096:
                    continue
                print(
                    f"| {name} | {mib(one_tables.get(name, 0))} | {mib(size)} | "
                    f"{ratio(size, one_tables.get(name, 0))} |"
                )


if __name__ == "__main__":
    main()
