"""Shared fixtures: the embedded nixpkgs, dumped once per session by the real Nix."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from indexer.dump import DumpOptions, DumpResult, dump
from indexer.nixcmd import find_nix
from indexer.source import default_nixpkgs

FIXTURE = default_nixpkgs()


@pytest.fixture(scope="session", autouse=True)
def _single_user_nix() -> Iterator[None]:
    # Root without a daemon: the guide's daemon-less single-user store.
    if os.geteuid() == 0 and not Path("/nix/var/nix/daemon-socket/socket").exists():
        os.environ["NIX_REMOTE"] = ""
    yield


def run_dump(tree: Path, **options: Any) -> DumpResult:
    return dump(find_nix(), tree, DumpOptions(**options))


class Records:
    """A dump's records, looked up by set and attribute."""

    def __init__(self, result: DumpResult) -> None:
        self.result = result
        self.by_key = {(r["set"], r["attr"]): r for r in result.records}

    def __call__(self, attr: str, set_name: str = "python313Packages") -> dict[str, Any]:
        return self.by_key[(set_name, attr)]


@pytest.fixture(scope="session")
def fixture_dump() -> Records:
    return Records(run_dump(FIXTURE, workers=2))


def nix_eval_json(expr: str, tree: Path = FIXTURE) -> Any:
    """Evaluate an expression independently of the dump, with plain nix-instantiate."""
    out = subprocess.run(
        ["nix-instantiate", "--eval", "--strict", "--json", "-I", f"nixpkgs={tree}", "-E", expr],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(out)


def copy_fixture(into: Path) -> Path:
    """A writable copy of the fixture nixpkgs, to add hostile packages to."""
    tree = into / "nixpkgs"
    shutil.copytree(FIXTURE, tree)
    return tree


def add_python_packages(tree: Path, packages_nix: str) -> None:
    """Add packages to every Python set of a copied tree (pythonPackagesExtensions)."""
    (tree / "hostile.nix").write_text(packages_nix)
    default = tree / "default.nix"
    default.rename(tree / "fixture-default.nix")
    default.write_text(
        "args: import ./fixture-default.nix (args // { overlays = (args.overlays or [ ]) ++ [\n"
        "  (final: prev: { pythonPackagesExtensions = prev.pythonPackagesExtensions\n"
        "    ++ [ (import ./hostile.nix) ]; })\n"
        "]; })\n"
    )


@pytest.fixture(scope="session")
def fixture_lines(fixture_dump: Records) -> list[bytes]:
    """The fixture's dump as the JSON lines `dump -o` writes."""
    return [line + b"\n" for line in fixture_dump.result.lines()]


@pytest.fixture(scope="session")
def fixture_index(fixture_lines: list[bytes], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real SQLite index of the fixture dump, revision "fixture-rev"."""
    from indexer.ingest import RevisionInfo, dump_lines, ingest

    path = tmp_path_factory.mktemp("index") / "index.sqlite"
    ingest(path, dump_lines(fixture_lines), RevisionInfo(rev="fixture-rev", channel="fixture"))
    return path
