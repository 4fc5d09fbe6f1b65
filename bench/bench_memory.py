#!/usr/bin/env python3
"""Peak memory of one dump worker against the number of records, and what
recycling it at a soft limit costs.

A worker's heap keeps everything it has evaluated (nixpkgs' fixpoint holds
every value), so its peak grows with the records it has dumped. On
synthetic trees of --packages sizes (bench/gen_synthetic.py), each under
each --nix, side by side in the same run:

- nix-env -qaP --json --meta of the same set: the baseline (its peak RSS);
- the dump with one worker and no memory limit: the worker's peak (sampled
  by the dump, `dump --json`'s peak_worker_mib), as a ratio to nix-env's,
  and per thousand records;
- the dump with the soft limit at half that peak: the worker's peak, how
  often it was recycled, and the wall time as a ratio to the unlimited run.

    python bench/bench_memory.py --packages 10000,20000,30000 \\
        --nix /usr/bin/nix --nix ~/.cache/nixpkgs-pyindex/nix-trixie/bin/nix
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GENERATOR = ROOT / "bench" / "gen_synthetic.py"
SET = "python313Packages"
UNLIMITED_MB = 1 << 20


@dataclass(frozen=True)
class Dumped:
    seconds: float
    records: int
    peak_mib: float
    recycled: int
    retries: int


def nix_version(nix: str) -> str:
    out = subprocess.run([nix, "--version"], capture_output=True, text=True, check=True).stdout
    return out.split()[-1]


def nix_env_peak(nix: str, tree: Path) -> float:
    """Peak RSS (MiB) of nix-env listing the set."""
    nix_env = str(Path(nix).parent / "nix-env")
    process = subprocess.Popen(
        [nix_env, "-qaP", "--json", "--meta", "-f", str(tree), "-A", SET],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    _, status, usage = os.wait4(process.pid, 0)
    if os.waitstatus_to_exitcode(status):
        raise SystemExit(f"nix-env failed on {tree}")
    return usage.ru_maxrss / 1024


def dump(nix: str, tree: Path, soft_mb: int, output: Path) -> Dumped:
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "indexer", "dump", "--json", "-o", str(output),
         "--nixpkgs", str(tree), "--set", SET, "--workers", "1",
         "--max-memory", str(UNLIMITED_MB), "--recycle-memory", str(soft_mb)],
        capture_output=True, text=True, cwd=ROOT, env={**os.environ, "NIX_PYINDEX_NIX": nix},
    )  # fmt: skip
    seconds = time.perf_counter() - started
    if done.returncode:
        raise SystemExit(f"dump failed on {tree}: {done.stderr.strip()}")
    summary = json.loads(done.stderr.strip().splitlines()[-1])
    return Dumped(seconds, summary["records"], summary["peak_worker_mib"],
                  summary["recycled"], summary["memory_retries"])  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--packages", default="10000,20000,30000", help="synthetic tree sizes")
    parser.add_argument(
        "--nix", action="append", default=[], metavar="PATH",
        help="a `nix` to run under, with its `nix-env` beside it (default: the one on PATH)",
    )  # fmt: skip
    args = parser.parse_args()
    evaluators = [shutil.which(n) or n for n in args.nix or ["nix"]]
    print("| records | Nix | nix-env peak | worker peak, no limit | per 1k records "
          "| soft limit | worker peak | recycled | time |")  # fmt: skip
    print("|" + " --- |" * 9)
    with tempfile.TemporaryDirectory(prefix="bench-memory-") as tmp:
        for packages in (int(p) for p in args.packages.split(",")):
            tree = Path(tmp) / f"synthetic-{packages}"
            subprocess.run([sys.executable, str(GENERATOR), str(tree), "--packages", str(packages)],
                           check=True, stdout=subprocess.DEVNULL)  # fmt: skip
            for nix in evaluators:
                base = nix_env_peak(nix, tree)
                free = dump(nix, tree, UNLIMITED_MB, Path(tmp) / "free.jsonl")
                soft = int(free.peak_mib // 2)
                recycled = dump(nix, tree, soft, Path(tmp) / "recycled.jsonl")
                if (Path(tmp) / "free.jsonl").read_bytes() != (
                    Path(tmp) / "recycled.jsonl"
                ).read_bytes():
                    raise SystemExit("the recycled worker's dump differs")
                print(
                    f"| {free.records} | {nix_version(nix)} | {base:.0f} MiB "
                    f"| {free.peak_mib:.0f} MiB ({free.peak_mib / base:.2f}×) "
                    f"| {free.peak_mib / free.records * 1000:.1f} MiB "
                    f"| {soft} MiB | {recycled.peak_mib:.0f} MiB | {recycled.recycled} "
                    f"| {recycled.seconds / free.seconds:.2f}× |",
                    flush=True,
                )
            shutil.rmtree(tree)


if __name__ == "__main__":
    main()
