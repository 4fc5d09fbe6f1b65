#!/usr/bin/env python3
"""Benchmark `nixpkgs-pyindex dump` against `nix-env -qaP --json --meta`.

Both run side by side on the same tree and set, in the same run, under the
same Nix (each --nix, e.g. Nix 2.8 and 2.26: the dump's `nix` and the
`nix-env` beside it); the table gives wall time and peak memory as ratios
to nix-env (medians of --repeat runs). Trees: the embedded fixture (without its uncatchable attributes,
which abort nix-env), a synthetic tree of --packages packages, and any
--tree NAME=PATH (e.g. a real nixpkgs checkout). A last table compares a
synthetic tree with --uncatchable K crashing attributes against the same
tree without them.

    python bench/bench_dump.py --packages 10000 --tree real=/path/to/nixpkgs:python36Packages \
        --nix /usr/bin/nix --nix ~/.cache/nixpkgs-pyindex/nix-trixie/bin/nix
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "data" / "nixpkgs"
GENERATOR = ROOT / "bench" / "gen_synthetic.py"

# The fixture's attributes that abort nix-env, removed for the baseline.
UNCATCHABLE_FIXTURE = [
    "abort-on-eval",
    "infinite-recursion",
    "missing-attr-in-dep",
    "stack-overflow",
]


@dataclass
class Run:
    seconds: float
    peak_mib: float
    returncode: int


@dataclass(frozen=True)
class Evaluator:
    nix: str
    version: str

    @property
    def nix_env(self) -> str:
        return str(Path(self.nix).parent / "nix-env")

    @property
    def env(self) -> dict[str, str]:
        return {**os.environ, "NIX_PYINDEX_NIX": self.nix}


def evaluator(nix: str) -> Evaluator:
    path = shutil.which(nix) or nix
    out = subprocess.run([path, "--version"], capture_output=True, text=True, check=True)
    return Evaluator(path, out.stdout.split()[-1])


def measure(argv: list[str], env: dict[str, str] | None = None) -> Run:
    """Wall time and peak RSS (of the largest process of the tree) of one command."""
    started = time.perf_counter()
    process = subprocess.Popen(
        argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env or os.environ.copy()
    )
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    return Run(seconds, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status))


def measure_all(argvs: list[list[str]], env: dict[str, str]) -> Run:
    """Commands one after the other: their times added, the largest peak."""
    runs = [measure(argv, env) for argv in argvs]
    return Run(
        sum(r.seconds for r in runs),
        max(r.peak_mib for r in runs),
        max(r.returncode for r in runs),
    )


def median_run(argvs: list[list[str]], repeat: int, env: dict[str, str]) -> Run:
    runs = [measure_all(argvs, env) for _ in range(repeat)]
    return Run(
        statistics.median(r.seconds for r in runs),
        statistics.median(r.peak_mib for r in runs),
        max(r.returncode for r in runs),
    )


def nix_env(nix: Evaluator, tree: Path, sets: str) -> list[list[str]]:
    """nix-env lists one set a run: one run per set (SET,SET,...)."""
    return [
        [nix.nix_env, "-qaP", "--json", "--meta", "-f", str(tree), "-A", set_name]
        for set_name in sets.split(",")
    ]


def dump(tree: Path, sets: str, workers: int) -> list[list[str]]:
    """One dump of every set (SET,SET,...)."""
    set_options = [option for s in sets.split(",") for option in ("--set", s)]
    return [[
        sys.executable, "-m", "indexer", "dump", "-q",
        "--nixpkgs", str(tree), *set_options, "--workers", str(workers),
    ]]  # fmt: skip


def cell(run: Run) -> str:
    return f"{run.seconds:.2f} s, {run.peak_mib:.0f} MiB" + (" (FAILED)" if run.returncode else "")


def fixture_without_uncatchable(into: Path) -> Path:
    tree = into / "fixture"
    shutil.copytree(FIXTURE, tree)
    (tree / "default.nix").rename(tree / "fixture-default.nix")
    # Switched off as nixpkgs does it (null), which nix-env skips.
    removals = " ".join(f"{a} = null;" for a in UNCATCHABLE_FIXTURE)
    (tree / "default.nix").write_text(
        "{ ... }@args: import ./fixture-default.nix (args // { overlays = (args.overlays or [ ]) ++ [\n"
        "  (final: prev: { pythonPackagesExtensions = prev.pythonPackagesExtensions ++ [\n"
        f"    (pyfinal: pyprev: {{ {removals} }}) ]; }})\n"
        "]; })\n"
    )
    return tree


def synthetic(into: Path, packages: int, uncatchable: int) -> Path:
    tree = into / f"synthetic-{packages}-{uncatchable}"
    subprocess.run(
        [sys.executable, str(GENERATOR), str(tree), "--packages", str(packages),
         "--uncatchable", str(uncatchable)],
        check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    return tree


def ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}×" if b else "–"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--packages", type=int, default=10000, help="synthetic tree size")
    parser.add_argument("--uncatchable", type=int, default=100, help="crashing attributes")
    parser.add_argument("--workers", default="1,2", help="worker counts to compare")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--set", dest="set_name", default="python313Packages")
    parser.add_argument(
        "--nix", action="append", default=[], metavar="PATH",
        help="a `nix` to run under, with its `nix-env` beside it (default: the one on PATH)",
    )  # fmt: skip
    parser.add_argument(
        "--tree", action="append", default=[], metavar="NAME=PATH[:SET]",
        help="another tree, e.g. a real nixpkgs; SET may be SET,SET,... (nix-env then runs"
        " once per set, the dump once for all; default: --set)",
    )  # fmt: skip
    args = parser.parse_args()
    workers = [int(w) for w in args.workers.split(",")]
    evaluators = [evaluator(n) for n in args.nix or ["nix"]]

    with tempfile.TemporaryDirectory(prefix="bench-dump-") as tmp:
        scratch = Path(tmp)
        trees: list[tuple[str, Path, str]] = [
            ("fixture", fixture_without_uncatchable(scratch), args.set_name),
            (f"synthetic {args.packages}", synthetic(scratch, args.packages, 0), args.set_name),
        ]
        for spec in args.tree:
            name, _, rest = spec.partition("=")
            path, _, set_name = rest.partition(":")
            trees.append((name, Path(path), set_name or args.set_name))

        head = "| tree | set | Nix | nix-env | " + " | ".join(
            f"dump, {w} worker{'s' * (w > 1)}" for w in workers
        )
        print(head + " |")
        print("|" + " --- |" * (4 + len(workers)))
        for name, tree, set_name in trees:
            for nix in evaluators:
                base = median_run(nix_env(nix, tree, set_name), args.repeat, nix.env)
                cells = [cell(base)]
                for w in workers:
                    run = median_run(dump(tree, set_name, w), args.repeat, nix.env)
                    cells.append(
                        f"{run.seconds:.2f} s ({ratio(run.seconds, base.seconds)}), "
                        f"{run.peak_mib:.0f} MiB ({ratio(run.peak_mib, base.peak_mib)})"
                        + (" (FAILED)" if run.returncode else "")
                    )
                print(f"| {name} | {set_name} | {nix.version} | " + " | ".join(cells) + " |")

        if args.uncatchable:
            crashing = synthetic(scratch, args.packages, args.uncatchable)
            clean = scratch / f"synthetic-{args.packages}-0"
            print()
            print(f"| {args.packages} packages, {args.uncatchable} uncatchable | Nix | workers | "
                  "dump without | dump with | ratio | nix-env with |")  # fmt: skip
            print("| --- | --- | --- | --- | --- | --- | --- |")
            for nix in evaluators:
                aborted = measure_all(nix_env(nix, crashing, args.set_name), nix.env)
                verdict = "aborts" if aborted.returncode else "completes"
                for w in workers:
                    without = median_run(dump(clean, args.set_name, w), args.repeat, nix.env)
                    with_errors = median_run(dump(crashing, args.set_name, w), args.repeat, nix.env)
                    print(
                        f"| | {nix.version} | {w} | {without.seconds:.2f} s | "
                        f"{with_errors.seconds:.2f} s | "
                        f"{ratio(with_errors.seconds, without.seconds)} | {verdict} |"
                    )


if __name__ == "__main__":
    main()
