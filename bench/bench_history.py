#!/usr/bin/env python3
r"""Benchmark the index on real history: many daily revisions of nixpkgs, in order.

The input is a folder of dumps, one per revision, named `NNN-<commit>.jsonl`
(ingested in the order of their names), with an optional `revisions.tsv`
beside them (`NNN<TAB>commit<TAB>commit date`, ISO 8601). Each side
(`--baseline DIR`, and `--candidate DIR`) is a checkout of nixpkgs-pyindex with its own `.venv`; each runs in a worker
process of its own Python, so both are measured side by side on the same
machine state, taking turns revision by revision. Per side, every revision is
stored in a fresh index as a scheduled `reindex` stores it, through the
Python API (`indexer.store.ingest.ingest`, as `ingest --rev C --channel
nixpkgs-unstable --date D` does, then `indexer.audit.run.run_audit`, stored,
as `reindex` and `audit --rev C` do); the audit's date is the revision's own
day, as a daily schedule would have audited it (`--audit-date today`: the
machine's). The change against the previous revision (`diff_revisions`, as
`reindex` reports it) is timed apart.

Reported per side, and candidate/baseline:

- the size of a VACUUMed copy (`VACUUM INTO`) after every revision, and the
  space per table and its indexes (`dbstat`) after the first and the last;
- the median seconds of ingest, audit and diff per revision;
- `history NAME` (default `requests`) after the first and the last revision:
  through the Python API (`project_history` on an open `Index`, and with
  `Index.open` in every call; p50/p99 of up to --calls calls within
  --budget seconds per side, the sides taking turns every quarter second) and through the CLI (`nixpkgs-pyindex history NAME
  --db …`, median of --cli-runs runs, taking turns; both sides' outputs
  compared);
- with `--projection`, a year (--days) of daily revisions extrapolated from
  the measured growth, at the measured size and at --scale times the
  records (today's nixpkgs has about three times 2018's Python records).

The 2018 input (not committed: it is nixpkgs, fetched) is the last
first-parent commit of each UTC day, 2018-03-10 to 2018-05-08, of
nixpkgs-unstable, in a bare clone whose missing
`pkgs/development/haskell-modules/hackage-packages.nix` blobs are stubbed
(the Python sets need Haskell only for pypandoc and git-annex-adapter,
which are then recorded as crashes: 8 records a revision). `git replace` of the blob alone does not satisfy `git
archive`, so each `haskell-modules` tree is replaced:

    git clone --bare --shared MIRROR h3-nixpkgs-2018.git && cd h3-nixpkgs-2018.git
    stub=$(printf '{ pkgs, stdenv, callPackage }: self: {}\n' | git hash-object -w --stdin)
    git rev-list --first-parent nixpkgs-unstable --since=2018-01-01 --until=2018-06-01 |
      while read c; do git rev-parse "$c:pkgs/development/haskell-modules"; done | sort -u |
      while read t; do git replace -f "$t" "$(git ls-tree "$t" | awk -v s="$stub" \
        'BEGIN{FS=OFS="\t"} $2=="hackage-packages.nix"{split($1,a," "); $1=a[1]" "a[2]" "s} 1' |
        git mktree)"; done
    TZ=UTC git log --first-parent --date=iso-strict-local --format='%H %cd' nixpkgs-unstable \
      --since=2018-03-01 --until=2018-05-12   # the first line of each day, 03-10 … 05-08

each tree extracted (`git archive COMMIT | tar x -C TREE`), dumped by the
schema-1 code (all five Python sets, 2 workers, Nix 2.8), and removed:

    NIX_REMOTE= nixpkgs-pyindex dump --nixpkgs TREE --workers 2 -o dumps/NNN-COMMIT.jsonl

and `dumps/revisions.tsv` lists `NNN, commit, commit date in UTC, %cI`.

The runs (`--keep DIR` keeps the databases; `--from-json FILE` prints a
saved `--json` run as tables again):

    # schema 1 against itself (the sanity check, and the baseline figures)
    .venv/bin/python bench/bench_history.py /work/scratch/dumps --baseline /work/wt/baseline \
        --candidate /work/wt/baseline --projection --json > schema1-vs-schema1.json
    # schema 2 (a checkout of branch schema2) against schema 1
    .venv/bin/python bench/bench_history.py /work/scratch/dumps --baseline /work/wt/baseline \
        --candidate /work/wt/cand --projection --json --keep dbs > schema1-vs-schema2.json
    .venv/bin/python bench/bench_history.py --from-json schema1-vs-schema2.json --projection
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO, Any

MIB = 1024 * 1024
MIN_CALLS = 10  # history calls timed per side however slow they are
ROUND_SECONDS = 0.25  # one side's turn of history calls
CHANNEL = "nixpkgs-unstable"
Json = dict[str, Any]


# ---- the worker: runs inside one side's Python ---------------------------


def worker_main() -> None:
    """Answer one JSON command per line of stdin, on the original stdout;
    whatever the indexer prints goes to stderr."""
    out = os.fdopen(os.dup(1), "w", buffering=1)
    sys.stdout = sys.stderr
    for line in sys.stdin:
        command = json.loads(line)
        if command["op"] == "quit":
            break
        try:
            reply = HANDLERS[command["op"]](command)
        except Exception:  # noqa: BLE001 - reported to the orchestrator, which stops
            reply = {"error": traceback.format_exc()}
        out.write(json.dumps(reply) + "\n")


def handle_hello(command: Json) -> Json:
    import indexer

    schema: Any = None
    with contextlib.suppress(ImportError, AttributeError):
        from indexer.store import schema as schema_module

        schema = schema_module.SCHEMA_VERSION
    return {"indexer": str(Path(indexer.__file__).resolve()), "schema": schema}


def handle_store(command: Json) -> Json:
    """Ingest one dump as a revision, audit it (stored), and diff it against
    the previous revision: what a reindex does after the evaluation."""
    from datetime import date

    from indexer.audit.run import run_audit
    from indexer.query.history import diff_revisions
    from indexer.query.index import Index
    from indexer.store.ingest import RevisionInfo, file_lines, ingest

    db = Path(command["db"])
    _close_index(db)  # the writer works alone, as in a reindex
    info = RevisionInfo(rev=command["rev"], channel=CHANNEL, date=command["date"], source=None)
    started = time.perf_counter()
    result = ingest(db, file_lines(Path(command["dump"])), info)
    ingested = time.perf_counter()
    today = date.fromisoformat(command["audit_date"]) if command["audit_date"] else None
    audit = run_audit(db, command["rev"], store=True, today=today)
    audited = time.perf_counter()
    changes: int | None = None
    if command["previous"]:
        with Index.open(db) as index:
            a, b = index.revision(command["previous"]), index.revision(command["rev"])
            diff = diff_revisions(index, (a.id, a.rev), (b.id, b.rev))
            changes = sum(diff.counts().values())
    return {
        "ingest_s": ingested - started,
        "audit_s": audited - ingested,
        "diff_s": time.perf_counter() - audited,
        "records": result.records,
        "new_packages": result.new_packages,
        "findings": len(audit.findings),
        "changes": changes,
    }


def handle_history(command: Json) -> Json:
    """One round of timed `project_history` calls (the function `history`
    calls): on an Index kept open between rounds ("query"), or with an
    `Index.open` in every call ("open_query"); as many as fit in `seconds`
    (at least one, at most `calls`)."""
    from indexer.query.history import project_history
    from indexer.query.index import Index

    db, name = Path(command["db"]), command["name"]
    if command["mode"] == "query":
        index = _open_index(db)
        project_history(index, name)  # warm: pages and statements

        def call() -> int:
            return len(project_history(index, name))
    else:

        def call() -> int:
            with Index.open(db) as fresh:
                return len(project_history(fresh, name))

    samples: list[float] = []
    entries = 0
    deadline = time.perf_counter() + command["seconds"]
    while not samples or (len(samples) < command["calls"] and time.perf_counter() < deadline):
        started = time.perf_counter()
        entries = call()
        samples.append(time.perf_counter() - started)
    return {"entries": entries, "samples": samples}


_OPEN: dict[Path, Any] = {}  # db → an Index kept open between rounds


def _open_index(db: Path) -> Any:
    from indexer.query.index import Index

    if db not in _OPEN:
        _OPEN[db] = Index.open(db)
    return _OPEN[db]


def _close_index(db: Path) -> None:
    index = _OPEN.pop(db, None)
    if index is not None:
        index.close()


HANDLERS = {"hello": handle_hello, "store": handle_store, "history": handle_history}


# ---- the orchestrator -----------------------------------------------------


@dataclass(frozen=True)
class Revision:
    number: int
    commit: str
    date: str | None
    dump: Path


@dataclass
class Worker:
    """One side's worker process and the index it builds."""

    label: str
    tree: Path
    db: Path
    process: subprocess.Popen[str]

    def ask(self, op: str, **arguments: Any) -> Json:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(json.dumps({"op": op, **arguments}) + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            sys.exit(f"bench_history: the {self.label} worker died (see its stderr above)")
        reply: Json = json.loads(line)
        if "error" in reply:
            sys.exit(f"bench_history: {self.label} {op} failed:\n{reply['error']}")
        return reply

    def close(self) -> None:
        if self.process.poll() is None:
            with contextlib.suppress(BrokenPipeError, ValueError):
                self.ask_nowait("quit")
            self.process.wait(timeout=60)

    def ask_nowait(self, op: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps({"op": op}) + "\n")
        self.process.stdin.close()


@dataclass
class Side:
    label: str
    tree: str
    indexer: str
    schema: Any
    steps: list[Json] = field(default_factory=list)  # per revision
    tables_first: dict[str, Json] = field(default_factory=dict)
    tables_last: dict[str, Json] = field(default_factory=dict)
    history: dict[str, Json] = field(default_factory=dict)  # "first"/"last" → figures


def read_revisions(folder: Path, limit: int | None) -> list[Revision]:
    dates: dict[str, str] = {}
    listing = folder / "revisions.tsv"
    if listing.is_file():
        for line in listing.read_text().splitlines():
            parts = line.split("\t")
            if len(parts) >= 3:
                dates[parts[1]] = parts[2]
    dumps = sorted(folder.glob("[0-9]*-*.jsonl"))
    if not dumps:
        sys.exit(f"bench_history: no NNN-<commit>.jsonl dumps in {folder}")
    revisions = []
    for number, path in enumerate(dumps[:limit], 1):
        commit = path.stem.partition("-")[2]
        revisions.append(Revision(number, commit, dates.get(commit), path))
    return revisions


def start_worker(label: str, tree: Path, db: Path) -> Worker:
    python = tree / ".venv" / "bin" / "python"
    if not python.is_file():
        sys.exit(f"bench_history: {python} is missing (make the {label} tree's .venv)")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    process = subprocess.Popen(
        [str(python), str(Path(__file__).resolve()), "--worker"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=tree, env=env,
    )  # fmt: skip
    return Worker(label, tree, db, process)


def vacuumed_size(db: Path, scratch: Path, tables: bool) -> tuple[int, dict[str, Json]]:
    """The bytes of a VACUUMed copy of `db`; with `tables`, each table's
    bytes (its indexes included) and rows."""
    copy = scratch / f"{db.stem}.vacuumed.sqlite"
    copy.unlink(missing_ok=True)
    with contextlib.closing(sqlite3.connect(db)) as conn:
        conn.execute("VACUUM INTO ?", [str(copy)])
    size = copy.stat().st_size
    per_table = table_sizes(copy) if tables else {}
    copy.unlink()
    return size, per_table


def table_sizes(db: Path) -> dict[str, Json]:
    with contextlib.closing(sqlite3.connect(db)) as conn:
        owner = dict(conn.execute("select name, tbl_name from sqlite_master"))
        sizes: dict[str, Json] = {}
        for name, pages in conn.execute("select name, sum(pgsize) from dbstat group by name"):
            table = owner.get(name, name)
            entry = sizes.setdefault(table, {"bytes": 0, "rows": None})
            entry["bytes"] += pages
        for table in sizes:
            if table in owner and not table.startswith("sqlite_"):
                entry = sizes[table]
                entry["rows"] = conn.execute(f'select count(*) from "{table}"').fetchone()[0]
    return dict(sorted(sizes.items(), key=lambda item: -int(item[1]["bytes"])))


def file_size(db: Path) -> int:
    return sum(p.stat().st_size for p in (db, Path(f"{db}-wal")) if p.exists())


def percentile(samples: Sequence[float], q: float) -> float:
    """Nearest rank."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


def time_cli(tree: Path, db: Path, name: str) -> tuple[float, bytes]:
    cli = tree / ".venv" / "bin" / "nixpkgs-pyindex"
    started = time.perf_counter()
    done = subprocess.run([str(cli), "history", name, "--db", str(db)], capture_output=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"bench_history: {cli} history failed: {done.stderr.decode().strip()}")
    return seconds, done.stdout


def api_samples(workers: Sequence[Worker], mode: str, args: argparse.Namespace) -> list[Json]:
    """Rounds of about ROUND_SECONDS per side, the sides taking turns, until
    each has --calls samples or --budget seconds per side have passed (and
    each has at least MIN_CALLS)."""
    samples: list[list[float]] = [[] for _ in workers]
    entries = [0 for _ in workers]
    deadline = time.perf_counter() + args.budget * len(workers)
    turn = 0
    while any(len(s) < args.calls for s in samples) and (
        any(len(s) < MIN_CALLS for s in samples) or time.perf_counter() < deadline
    ):
        order = list(enumerate(workers))
        for i, w in order[::-1] if turn % 2 else order:
            if len(samples[i]) >= args.calls:
                continue
            reply = w.ask("history", db=str(w.db), name=args.project, mode=mode,
                          seconds=ROUND_SECONDS, calls=args.calls - len(samples[i]))  # fmt: skip
            samples[i] += reply["samples"]
            entries[i] = reply["entries"]
        turn += 1
    return [{"samples": s, "entries": e} for s, e in zip(samples, entries, strict=True)]


def measure_history(workers: Sequence[Worker], args: argparse.Namespace) -> list[Json]:
    """History figures of each side, the sides taking turns; the CLI outputs compared."""
    query = api_samples(workers, "query", args)
    opened = api_samples(workers, "open_query", args)
    cli: list[list[float]] = [[] for _ in workers]
    outputs: list[bytes] = [b"" for _ in workers]
    for run_number in range(args.cli_runs):
        order = list(enumerate(workers))
        for i, w in order[::-1] if run_number % 2 else order:
            seconds, outputs[i] = time_cli(w.tree, w.db, args.project)
            cli[i].append(seconds)
    figures = []
    for q, o, c, output in zip(query, opened, cli, outputs, strict=True):
        figures.append(
            {
                "entries": q["entries"],
                "calls": len(q["samples"]),
                "open_calls": len(o["samples"]),
                "query_p50_ms": percentile(q["samples"], 0.5) * 1000,
                "query_p99_ms": percentile(q["samples"], 0.99) * 1000,
                "open_query_p50_ms": percentile(o["samples"], 0.5) * 1000,
                "open_query_p99_ms": percentile(o["samples"], 0.99) * 1000,
                "cli_runs": len(c),
                "cli_median_s": statistics.median(c),
                "cli_output_bytes": len(output),
                "cli_output_same_as_baseline": output == outputs[0],
            }
        )
    return figures


def store_revision(w: Worker, side: Side, r: Revision, previous: Revision | None,
                   args: argparse.Namespace, scratch: Path, tables: bool) -> Json:  # fmt: skip
    audit_date = (r.date or "")[:10] if args.audit_date == "revision" else ""
    step = w.ask(
        "store", db=str(w.db), dump=str(r.dump), rev=r.commit, date=r.date,
        audit_date=audit_date or None, previous=previous.commit if previous else None,
    )  # fmt: skip
    size, per_table = vacuumed_size(w.db, scratch, tables)
    step.update(number=r.number, rev=r.commit, date=r.date, vacuumed=size, file=file_size(w.db))
    side.steps.append(step)
    return per_table


@contextlib.contextmanager
def workers_of(sides: Sequence[tuple[str, Path]], scratch: Path) -> Iterator[list[Worker]]:
    workers: list[Worker] = []
    try:
        for label, tree in sides:
            db = scratch / f"{label}.sqlite"
            for suffix in ("", "-wal", "-shm", ".lock"):
                Path(f"{db}{suffix}").unlink(missing_ok=True)
            workers.append(start_worker(label, tree, db))
        yield workers
    finally:
        for w in workers:
            w.close()


def run(args: argparse.Namespace, scratch: Path) -> tuple[list[Revision], list[Side]]:
    revisions = read_revisions(args.dumps, args.revisions)
    pairs = [("baseline", args.baseline.resolve())]
    if args.candidate is not None:
        pairs.append(("candidate", args.candidate.resolve()))
    with workers_of(pairs, scratch) as workers:
        sides = [hello(w) for w in workers]
        last = len(revisions)
        for r in revisions:
            previous = revisions[r.number - 2] if r.number > 1 else None
            # Taking turns: neither side is always the one after the other.
            order = list(zip(workers, sides, strict=True))
            if r.number % 2 == 0:
                order.reverse()
            for w, side in order:
                tables = store_revision(w, side, r, previous, args, scratch,
                                        r.number in (1, last))  # fmt: skip
                if r.number == 1:
                    side.tables_first = tables
                if r.number == last:
                    side.tables_last = tables
            log_step(r, last, sides)
            if r.number in (1, last):
                key = "first" if r.number == 1 else "last"
                for side, figures in zip(sides, measure_history(workers, args), strict=True):
                    side.history[key] = figures
    return revisions, sides


def hello(w: Worker) -> Side:
    reply = w.ask("hello")
    if not Path(reply["indexer"]).is_relative_to(w.tree):
        sys.exit(f"bench_history: the {w.label} worker imports {reply['indexer']}, not {w.tree}")
    return Side(w.label, str(w.tree), reply["indexer"], reply["schema"])


def log_step(r: Revision, total: int, sides: Sequence[Side]) -> None:
    parts = []
    for side in sides:
        s = side.steps[-1]
        parts.append(
            f"{side.label} {s['ingest_s']:.1f}+{s['audit_s']:.1f}+{s['diff_s']:.1f} s "
            f"{s['vacuumed'] / MIB:.1f} MiB"
        )
    print(f"[{r.number}/{total}] {r.commit[:12]} {(r.date or '')[:10]}: " + "; ".join(parts),
          file=sys.stderr, flush=True)  # fmt: skip


# ---- figures ---------------------------------------------------------------


def summary(side: Side, args: argparse.Namespace) -> Json:
    steps = side.steps
    first, last = steps[0], steps[-1]
    n = len(steps)
    growth = (last["vacuumed"] - first["vacuumed"]) / (n - 1) if n > 1 else 0.0
    both = [s["ingest_s"] + s["audit_s"] for s in steps]
    figures: Json = {
        "revisions": n,
        "vacuumed_first": first["vacuumed"],
        "vacuumed_last": last["vacuumed"],
        "file_last": last["file"],
        "growth_per_revision": growth,
        "growth_median": statistics.median(
            b["vacuumed"] - a["vacuumed"] for a, b in zip(steps, steps[1:], strict=False)
        )
        if n > 1
        else 0.0,
        "ingest_median_s": statistics.median(s["ingest_s"] for s in steps),
        "audit_median_s": statistics.median(s["audit_s"] for s in steps),
        "ingest_audit_median_s": statistics.median(both),
        "ingest_audit_first_s": both[0],
        "diff_median_s": statistics.median(s["diff_s"] for s in steps[1:]) if n > 1 else None,
    }
    if args.projection:
        figures["projection"] = projection(figures, args.days, args.scale)
    return figures


def projection(figures: Json, days: int, scale: float) -> Json:
    """A year of daily revisions from the measured mean growth per revision:
    the size grows by it each day; ingest and audit take the median each."""
    size = figures["vacuumed_first"] + figures["growth_per_revision"] * (days - 1)
    hours = figures["ingest_audit_median_s"] * days / 3600
    return {
        "days": days,
        "scale": scale,
        "size": size,
        "size_scaled": size * scale,
        "ingest_audit_hours": hours,
        "ingest_audit_hours_scaled": hours * scale,
    }


def ratio(candidate: float | None, baseline: float | None) -> str:
    if candidate is None or not baseline:
        return "–"
    value = candidate / baseline
    return f"{value:.2f}×" if value >= 0.1 else f"{value:.2g}×"


def render(revisions: Sequence[Revision], sides: Sequence[Side], args: argparse.Namespace) -> str:
    lines: list[str] = []
    dates = [r.date[:10] for r in revisions if r.date]
    span = f" ({dates[0]} … {dates[-1]})" if dates else ""
    lines.append(f"{len(revisions)} revisions{span} of {args.dumps}; history of {args.project!r}")
    for side in sides:
        lines.append(f"  {side.label}: {side.tree} (schema {side.schema})")
    lines.append("")
    sums = [summary(s, args) for s in sides]
    lines += figure_table(sides, sums, len(revisions))
    lines.append("")
    lines += table_table(sides, len(revisions))
    if args.projection:
        lines.append("")
        lines += projection_table(sides, sums, args)
    lines.append("")
    lines += revision_table(sides)
    return "\n".join(lines)


def figure_rows(
    sums: Sequence[Json], sides: Sequence[Side], n: int
) -> list[tuple[str, list[float | None], str]]:
    """(label, value per side, format) of the headline table."""

    def h(key: str, field_name: str) -> list[float | None]:
        return [s.history.get(key, {}).get(field_name) for s in sides]

    def f(key: str, unit: float = 1.0) -> list[float | None]:
        return [None if s[key] is None else s[key] / unit for s in sums]

    return [
        ("VACUUMed after revision 1, MiB", f("vacuumed_first", MIB), "{:.2f}"),
        (f"VACUUMed after {n} revisions, MiB", f("vacuumed_last", MIB), "{:.2f}"),
        ("growth per revision, mean MiB", f("growth_per_revision", MIB), "{:.3f}"),
        ("growth per revision, median MiB", f("growth_median", MIB), "{:.3f}"),
        (f"file after {n} revisions (not VACUUMed), MiB", f("file_last", MIB), "{:.2f}"),
        ("ingest per revision, median s", f("ingest_median_s"), "{:.2f}"),
        ("audit per revision, median s", f("audit_median_s"), "{:.2f}"),
        ("ingest + audit per revision, median s", f("ingest_audit_median_s"), "{:.2f}"),
        ("ingest + audit of revision 1, s", f("ingest_audit_first_s"), "{:.2f}"),
        ("diff against the previous revision, median s", f("diff_median_s"), "{:.2f}"),
        ("history API p50 ms, 1 revision", h("first", "query_p50_ms"), "{:.2f}"),
        ("history API p99 ms, 1 revision", h("first", "query_p99_ms"), "{:.2f}"),
        (f"history API p50 ms, {n} revisions", h("last", "query_p50_ms"), "{:.2f}"),
        (f"history API p99 ms, {n} revisions", h("last", "query_p99_ms"), "{:.2f}"),
        (f"history API with Index.open p50 ms, {n} revisions", h("last", "open_query_p50_ms"), "{:.2f}"),
        (f"history API with Index.open p99 ms, {n} revisions", h("last", "open_query_p99_ms"), "{:.2f}"),
        ("history CLI median s, 1 revision", h("first", "cli_median_s"), "{:.3f}"),
        (f"history CLI median s, {n} revisions", h("last", "cli_median_s"), "{:.3f}"),
    ]  # fmt: skip


def figure_table(sides: Sequence[Side], sums: Sequence[Json], n: int) -> list[str]:
    header = "| measure | " + " | ".join(s.label for s in sides)
    header += " | candidate / baseline |" if len(sides) > 1 else " |"
    lines = [header, "|" + " --- |" * (len(sides) + 1 + (len(sides) > 1))]
    for label, values, fmt in figure_rows(sums, sides, n):
        cells = ["–" if v is None else fmt.format(v) for v in values]
        row = f"| {label} | " + " | ".join(cells) + " |"
        if len(sides) > 1:
            row += f" {ratio(values[1], values[0])} |"
        lines.append(row)
    for key, when in (("first", "1 revision"), (("last", f"{n} revisions"))):
        same = [s.history.get(key, {}).get("cli_output_same_as_baseline") for s in sides]
        calls = [s.history.get(key, {}).get("calls") for s in sides]
        lines.append(f"| history calls timed / CLI output as baseline's, {when} | "
                     + " | ".join(f"{c} / {'same' if x else 'DIFFERS'}" for c, x in zip(calls, same, strict=True))
                     + (" | |" if len(sides) > 1 else " |"))  # fmt: skip
    return lines


def table_table(sides: Sequence[Side], n: int) -> list[str]:
    lines = [f"| side | table (with its indexes) | rows, 1 revision | MiB, 1 revision | rows, {n} | MiB, {n} | share of {n} |",
             "| --- | --- | --- | --- | --- | --- | --- |"]  # fmt: skip
    for side in sides:
        total = sum(int(t["bytes"]) for t in side.tables_last.values()) or 1
        for name, last in side.tables_last.items():
            first = side.tables_first.get(name, {"bytes": 0, "rows": None})
            lines.append(
                f"| {side.label} | {name} | {_rows(first['rows'])} | {first['bytes'] / MIB:.2f} | "
                f"{_rows(last['rows'])} | {last['bytes'] / MIB:.2f} | {last['bytes'] / total:.1%} |"
            )
    return lines


def _rows(rows: int | None) -> str:
    return "–" if rows is None else f"{rows:,}"


def projection_table(
    sides: Sequence[Side], sums: Sequence[Json], args: argparse.Namespace
) -> list[str]:
    lines = [f"Projection: {args.days} daily revisions from the measured mean growth; "
             f"×{args.scale:g}: at {args.scale:g} times the records (today's nixpkgs).", "",
             "| side | size, GiB | size ×scale, GiB | ingest + audit, h | ingest + audit ×scale, h |",
             "| --- | --- | --- | --- | --- |"]  # fmt: skip
    for side, s in zip(sides, sums, strict=True):
        p = s["projection"]
        lines.append(
            f"| {side.label} | {p['size'] / 1024 / MIB:.3f} | {p['size_scaled'] / 1024 / MIB:.3f} | "
            f"{p['ingest_audit_hours']:.2f} | {p['ingest_audit_hours_scaled']:.2f} |"
        )
    return lines


def revision_table(sides: Sequence[Side]) -> list[str]:
    head = "| # | commit | date | records | new packages | changes |"
    rule = "| --- | --- | --- | --- | --- | --- |"
    for side in sides:
        head += f" {side.label} MiB | {side.label} ingest+audit s |"
        rule += " --- | --- |"
    lines = [head, rule]
    for i, step in enumerate(sides[0].steps):
        row = (f"| {step['number']} | {step['rev'][:12]} | {(step['date'] or '')[:10]} | "
               f"{step['records']} | {step['new_packages']} | {step['changes'] if step['changes'] is not None else '–'} |")  # fmt: skip
        for side in sides:
            s = side.steps[i]
            row += f" {s['vacuumed'] / MIB:.2f} | {s['ingest_s'] + s['audit_s']:.2f} |"
        lines.append(row)
    return lines


def as_json(revisions: Sequence[Revision], sides: Sequence[Side], args: argparse.Namespace) -> Json:
    return {
        "dumps": str(args.dumps),
        "project": args.project,
        "audit_date": args.audit_date,
        "revisions": [{"number": r.number, "rev": r.commit, "date": r.date} for r in revisions],
        "sides": [{**asdict(s), "summary": summary(s, args)} for s in sides],
    }


def from_json(path: Path, args: argparse.Namespace) -> tuple[list[Revision], list[Side]]:
    """A run saved with --json, to print again (projected anew)."""
    data = json.loads(path.read_text())
    args.dumps, args.project = Path(data["dumps"]), data["project"]
    revisions = [Revision(r["number"], r["rev"], r["date"], Path()) for r in data["revisions"]]
    names = set(Side.__dataclass_fields__)
    sides = [Side(**{k: v for k, v in side.items() if k in names}) for side in data["sides"]]
    return revisions, sides


# ---- the command line ------------------------------------------------------


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("dumps", type=Path, nargs="?", help="folder of NNN-<commit>.jsonl dumps")
    parser.add_argument("--baseline", type=Path, help="a checkout with its .venv")
    parser.add_argument("--candidate", type=Path, help="another checkout with its .venv")
    parser.add_argument("--revisions", type=int, help="only the first N dumps")
    parser.add_argument("--project", default="requests", help="history of this PyPI project")
    parser.add_argument("--calls", type=int, default=1000, help="history API calls timed (at most)")
    parser.add_argument("--budget", type=float, default=30.0,
                        help="seconds for the history API calls of one side, per mode "
                        f"(at least {MIN_CALLS} calls)")  # fmt: skip
    parser.add_argument("--cli-runs", type=int, default=5, help="history CLI runs timed")
    parser.add_argument("--audit-date", choices=("revision", "today"), default="revision",
                        help="the date the audit runs on: each revision's day (as a daily "
                        "schedule), or the machine's")  # fmt: skip
    parser.add_argument("--projection", action="store_true", help="project a year of revisions")
    parser.add_argument("--days", type=int, default=365, help="revisions projected")
    parser.add_argument("--scale", type=float, default=3.0, help="records factor projected")
    parser.add_argument("--keep", type=Path, help="keep the databases in this folder")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--from-json", type=Path, metavar="FILE", help="print a --json run again")
    args = parser.parse_args(argv)
    if args.from_json is None and (args.dumps is None or args.baseline is None):
        parser.error("give DUMPS and --baseline (or --from-json FILE)")
    return args


def main() -> None:
    if sys.argv[1:] == ["--worker"]:
        worker_main()
        return
    args = parse_args()
    if args.from_json is not None:
        revisions, sides = from_json(args.from_json, args)
    else:
        if args.keep is not None:
            args.keep.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix="bench-history-") as tmp:
            revisions, sides = run(args, args.keep or Path(tmp))
    out: IO[str] = sys.stdout
    if args.json:
        out.write(json.dumps(as_json(revisions, sides, args), indent=2) + "\n")
    else:
        out.write(render(revisions, sides, args) + "\n")


if __name__ == "__main__":
    main()
