#!/usr/bin/env python3
"""Benchmark a published index: its size, a fetch with nothing to do, and
decompressing and installing it (issue 17's goals).

The index is --db (the storage change's history bench: 60 daily 2018
revisions of nixpkgs-unstable), or one built here by ingesting --dumps (dump
files named NNN-COMMIT.jsonl, their dates from --revisions, lines of
"COMMIT DATE"). It is published with a throwaway key into a temporary
folder, served by http.server on 127.0.0.1, and fetched:

- size: index.sqlite.zst against the goal (3 MiB); gzip -9 of the same
  VACUUMed file beside it, for scale;
- nothing to do: `fetch()` in this process (manifest and signature
  downloaded and verified, the installed file hashed), median of --runs; and
  the `nixpkgs-pyindex fetch` command, side by side with `nixpkgs-pyindex
  --version` (the start-up any command pays);
- decompress and install: `fetch()` into an empty folder (download over
  loopback, check, decompress, check, open, rename), median of --runs, side
  by side with `zstd -dc` of the same file into a file (the reference
  decompressor doing only the decompression).

    python bench/bench_publish.py --db /work/scratch/history-schema2.sqlite
    python bench/bench_publish.py --dumps '/work/scratch/dumps/*.jsonl' --revisions /work/scratch/revisions.txt
"""

from __future__ import annotations

import argparse
import functools
import glob
import gzip
import http.server
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import minisign

from indexer.publish.fetch import fetch
from indexer.publish.publish import publish
from indexer.publish.sign import public_key

MIB = 1024 * 1024
GOAL_SIZE = 3 * MIB
GOAL_NOTHING_TO_DO = 0.2
GOAL_INSTALL = 1.0


def build_index(dumps: list[Path], revisions: Path | None, db: Path) -> Path:
    from indexer.store.ingest import RevisionInfo, file_lines, ingest

    dates = {}
    if revisions is not None:
        for line in revisions.read_text().splitlines():
            commit, _, date = line.partition(" ")
            dates[commit] = date.strip() or None
    for n, dump in enumerate(dumps, 1):
        commit = dump.stem.partition("-")[2] or dump.stem
        started = time.monotonic()
        ingest(db, file_lines(dump),
               RevisionInfo(rev=commit, channel="nixpkgs-unstable", date=dates.get(commit)))  # fmt: skip
        print(f"  ingested {n}/{len(dumps)} {commit[:12]} in {time.monotonic() - started:.1f} s",
              file=sys.stderr)  # fmt: skip
    return db


@contextmanager
def served(folder: Path) -> Iterator[str]:
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02})
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


def median_seconds(
    action: Callable[[], object], runs: int, before: Callable[[], None] | None = None
) -> float:
    times = []
    for _ in range(runs):
        if before is not None:
            before()
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def command(*args: str) -> Callable[[], object]:
    def run() -> object:
        return subprocess.run(args, check=True, capture_output=True)

    return run


def verdict(value: float, goal: float) -> str:
    return "meets the goal" if value <= goal else "MISSES the goal"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, help="the index to publish")
    parser.add_argument("--dumps", help="dumps to ingest instead (a glob, in name order)")
    parser.add_argument("--revisions", type=Path, help="'COMMIT DATE' lines, for --dumps")
    parser.add_argument("--runs", type=int, default=7, help="runs per timing (median)")
    parser.add_argument("--level", type=int, default=19, help="zstd level of publish")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-publish-"))
    try:
        if args.db is not None:
            db = args.db
        elif args.dumps:
            dumps = [Path(p) for p in sorted(glob.glob(args.dumps))]
            print(f"building an index of {len(dumps)} dumps…", file=sys.stderr)
            db = build_index(dumps, args.revisions, work / "index.sqlite")
        else:
            parser.error("give --db or --dumps")
        run(db, work, args.runs, args.level)
    finally:
        shutil.rmtree(work)


def run(db: Path, work: Path, runs: int, level: int) -> None:
    pair = minisign.KeyPair.generate()
    (work / "key").write_bytes(bytes(pair.secret_key) + b"\n")
    pub = public_key(pair.public_key.to_base64().decode())
    public = work / "public"
    started = time.perf_counter()
    result = publish(db, public, work / "key", level=level)
    publish_seconds = time.perf_counter() - started
    f = result.manifest.file
    unpacked = work / "unpacked.sqlite"
    subprocess.run(["zstd", "-q", "-d", "-f", str(public / "index.sqlite.zst"), "-o", str(unpacked)],
                   check=True)  # fmt: skip
    gzipped = len(gzip.compress(unpacked.read_bytes(), 9))
    print(
        f"index: {db} ({db.stat().st_size / MIB:.1f} MiB), {len(result.manifest.revisions())} revisions"
    )
    print(f"publish (VACUUM INTO, checks, zstd -{level}, sign): {publish_seconds:.1f} s")
    print(f"size: index.sqlite.zst {f.size} bytes = {f.size / MIB:.2f} MiB "
          f"(goal ≤ 3 MiB: {verdict(f.size, GOAL_SIZE)}); VACUUMed {f.uncompressed_size / MIB:.1f} MiB, "
          f"gzip -9 of it {gzipped / MIB:.2f} MiB = {gzipped / f.size:.2f}x zstd's")  # fmt: skip
    with served(public) as url:
        target = work / "installed" / "index.sqlite"

        def fresh() -> None:
            shutil.rmtree(target.parent, ignore_errors=True)

        install = median_seconds(lambda: fetch(url, pub, target), runs, before=fresh)
        reference = median_seconds(
            command(
                "zstd",
                "-q",
                "-d",
                "-f",
                str(public / "index.sqlite.zst"),
                "-o",
                str(work / "z.sqlite"),
            ),
            runs,
        )
        print(f"decompress and install (fetch into an empty folder, over loopback): median {install:.3f} s "
              f"(goal ≤ 1 s: {verdict(install, GOAL_INSTALL)}); zstd -d alone {reference:.3f} s = "
              f"{install / reference:.1f}x")  # fmt: skip
        fetch(url, pub, target)
        nothing = median_seconds(lambda: fetch(url, pub, target), runs)
        assert fetch(url, pub, target).action == "up-to-date"
        tool = [sys.executable, "-m", "indexer"]
        cli = median_seconds(
            command(*tool, "fetch", url, "--pubkey", pub.base64, "--db", str(target)), runs
        )
        startup = median_seconds(command(*tool, "--version"), runs)
        print(f"nothing to do: fetch() median {nothing:.3f} s (goal ≤ 0.2 s: {verdict(nothing, GOAL_NOTHING_TO_DO)}); "
              f"the command {cli:.3f} s, against {startup:.3f} s for `nixpkgs-pyindex --version` "
              f"= {cli / startup:.2f}x start-up")  # fmt: skip
    print(f"load: {os.getloadavg()[0]:.1f} (2 cores, shared)")


if __name__ == "__main__":
    main()
