#!/usr/bin/env python3
"""Benchmark a one-commit bump against a full index of the same revision.

For each commit C (default: two commits made on a copy of the embedded
fixture: a version bump and a docs-only change; or --git REPO --ref C ...),
side by side in the same run (medians of --repeat):

- full: `reindex` of C into an empty database;
- bump: `reindex` of C into a database that holds C's parent already
  (what a schedule does when the channel moves by one commit).

    python bench/bench_reindex.py
    python bench/bench_reindex.py --git ~/nixpkgs --ref 183f56f --exclude pkgs/development/haskell-modules/hackage-packages.nix
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
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "data" / "nixpkgs"


def git(repo: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "b", "GIT_AUTHOR_EMAIL": "b@example.org",
           "GIT_COMMITTER_NAME": "b", "GIT_COMMITTER_EMAIL": "b@example.org"}  # fmt: skip
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True,
                          text=True, env=env).stdout.strip()  # fmt: skip


def fixture_repo(into: Path) -> tuple[Path, list[tuple[str, str]]]:
    repo = into / "nixpkgs"
    shutil.copytree(FIXTURE, repo)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "base")
    six = repo / "pkgs/development/python-modules/six/default.nix"
    six.write_text(six.read_text().replace('version = "1.17.0"', 'version = "1.18.0"'))
    git(repo, "commit", "-qam", "six: 1.17.0 -> 1.18.0")
    bump = git(repo, "rev-parse", "HEAD")
    (repo / "doc").mkdir()
    (repo / "doc/python.md").write_text("# Python\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "doc: python")
    docs = git(repo, "rev-parse", "HEAD")
    return repo, [("fixture, a version bump", bump), ("fixture, a docs-only commit", docs)]


def reindex(repo: Path, ref: str, db: Path, excludes: list[str]) -> float:
    argv = [sys.executable, "-m", "indexer", "reindex", "--channel", "bench", "--git", str(repo),
            "--ref", ref, "--db", str(db), "-q"]  # fmt: skip
    for path in excludes:
        argv += ["--exclude", path]
    started = time.perf_counter()
    subprocess.run(argv, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--git", type=Path, help="a nixpkgs repository (default: the fixture's)")
    parser.add_argument("--ref", action="append", default=[], help="commits to measure")
    parser.add_argument("--exclude", action="append", default=[], help="passed to reindex")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-reindex-") as tmp:
        scratch = Path(tmp)
        os.environ["XDG_CACHE_HOME"] = str(scratch / "cache")
        if args.git is None:
            repo, commits = fixture_repo(scratch)
        else:
            repo, commits = args.git, [(ref, ref) for ref in args.ref]
        print("| commit | full index | one-commit bump | bump / full |")
        print("| --- | --- | --- | --- |")
        for label, ref in commits:
            full, bump = [], []
            for i in range(args.repeat):
                fresh = scratch / f"full-{i}.sqlite"
                full.append(reindex(repo, ref, fresh, args.exclude))
                parent = scratch / f"bump-{i}.sqlite"
                reindex(repo, f"{ref}~1", parent, args.exclude)
                bump.append(reindex(repo, ref, parent, args.exclude))
                for path in (fresh, parent):
                    path.unlink()
            f, b = statistics.median(full), statistics.median(bump)
            print(f"| {label} | {f:.2f} s | {b:.2f} s | {b / f:.2f}× |")


if __name__ == "__main__":
    main()
