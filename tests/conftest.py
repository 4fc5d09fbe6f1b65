"""Shared fixtures: the embedded nixpkgs, dumped by the real Nix.

Every test that evaluates asks for the `nix` fixture (directly, through a
fixture that does, or with `pytest.mark.usefixtures("nix")`) and runs once
under each evaluator NIXPKGS_PYINDEX_TEST_NIX lists (scripts/test.sh: Debian
bookworm's Nix 2.8 and trixie's 2.26), else under the one on PATH. Tests
that only read a dump run once, on the first evaluator's.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

import pytest

from indexer.dump.evaluator import Nix, find_nix
from indexer.dump.orchestrator import DumpOptions, DumpResult, dump
from indexer.errors import NixNotFound
from indexer.source import default_nixpkgs

FIXTURE = default_nixpkgs()
T = TypeVar("T")


@cache
def evaluators_under_test() -> tuple[Nix, ...]:
    """The evaluators to test with, first the one tests that only read a dump use."""
    listed = [p for p in os.environ.get("NIXPKGS_PYINDEX_TEST_NIX", "").split(os.pathsep) if p]
    try:
        found = [find_nix(p) for p in listed] if listed else [find_nix()]
    except NixNotFound:
        return ()
    return tuple({n.version: n for n in found}.values())


def primary_nix() -> Nix:
    evaluators = evaluators_under_test()
    if not evaluators:
        find_nix()  # raises NixNotFound with its message
    return evaluators[0]


def use_evaluator(environ: pytest.MonkeyPatch | None, nix: Nix) -> None:
    """Point the tool (NIX_PYINDEX_NIX) and plain `nix-instantiate` (PATH) at `nix`."""
    folder = str(Path(nix.executable).parent)
    path = folder + os.pathsep + os.environ.get("PATH", "")
    if environ is None:
        os.environ["NIX_PYINDEX_NIX"] = nix.executable
        os.environ["PATH"] = path
    else:
        environ.setenv("NIX_PYINDEX_NIX", nix.executable)
        environ.setenv("PATH", path)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "nix" in metafunc.fixturenames:
        evaluators: list[Nix | None] = list(evaluators_under_test()) or [None]
        ids = [f"nix-{n.version}" if n else "no-nix" for n in evaluators]
        metafunc.parametrize("nix", evaluators, ids=ids, indirect=True)


@pytest.fixture(scope="session", autouse=True)
def _single_user_nix() -> Iterator[None]:
    # Root without a daemon: the guide's daemon-less single-user store.
    if os.geteuid() == 0 and not Path("/nix/var/nix/daemon-socket/socket").exists():
        os.environ["NIX_REMOTE"] = ""
    # Tests that do not ask for `nix` see the first evaluator only.
    if evaluators_under_test():
        use_evaluator(None, primary_nix())
    yield


@pytest.fixture(scope="session", autouse=True)
def _nothing_left_behind(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The suite's runs, in process and in subprocesses, use a temporary folder
    of the suite's own; at the end nothing of the tool's may be left in it."""
    folder = tmp_path_factory.mktemp("tmpdir")
    saved = os.environ.get("TMPDIR"), tempfile.tempdir
    os.environ["TMPDIR"] = tempfile.tempdir = str(folder)
    yield
    if saved[0] is None:
        del os.environ["TMPDIR"]
    else:
        os.environ["TMPDIR"] = saved[0]
    tempfile.tempdir = saved[1]
    left = sorted(p.name for p in folder.iterdir() if p.name.startswith("nixpkgs-pyindex"))
    assert left == [], f"the tests left {left} in the temporary folder"


@pytest.fixture
def nix(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Nix:
    """The evaluator of this run of the test (see the module docstring)."""
    evaluator: Nix | None = request.param
    if evaluator is None:
        find_nix()  # raises NixNotFound with its message
        raise AssertionError("unreachable")
    use_evaluator(monkeypatch, evaluator)
    return evaluator


_PER_NIX: dict[tuple[str, str], Any] = {}


def once_per_nix(nix: Nix, key: str, make: Callable[[], T]) -> T:
    """A session-wide value (a dump, an indexed history) made once per evaluator."""
    if (nix.executable, key) not in _PER_NIX:
        _PER_NIX[(nix.executable, key)] = make()
    value: T = _PER_NIX[(nix.executable, key)]
    return value


def run_dump(nix: Nix, tree: Path, **options: Any) -> DumpResult:
    return dump(nix, tree, DumpOptions(**options))


class Records:
    """A dump's records, looked up by set and attribute."""

    def __init__(self, result: DumpResult) -> None:
        self.result = result
        self.by_key = {(r["set"], r["attr"]): r for r in result.records}

    def __call__(self, attr: str, set_name: str = "python313Packages") -> dict[str, Any]:
        return self.by_key[(set_name, attr)]


@pytest.fixture
def fixture_dump(nix: Nix) -> Records:
    """The fixture's dump by this test's evaluator."""
    return once_per_nix(nix, "fixture", lambda: Records(run_dump(nix, FIXTURE, workers=2)))


@pytest.fixture(scope="session")
def primary_dump() -> Records:
    """The fixture's dump by the first evaluator, for tests that read a dump."""
    nix = primary_nix()
    return once_per_nix(nix, "fixture", lambda: Records(run_dump(nix, FIXTURE, workers=2)))


def nix_eval(expr: str, tree: Path = FIXTURE) -> tuple[Any, str]:
    """Value and stderr of an expression, evaluated independently of the dump
    with plain nix-instantiate; drvPaths are computed without a store."""
    done = subprocess.run(
        ["nix-instantiate", "--eval", "--strict", "--json", "--store", "dummy://",
         "-I", f"nixpkgs={tree}", "-E", expr],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return json.loads(done.stdout), done.stderr


def nix_eval_json(expr: str, tree: Path = FIXTURE) -> Any:
    """The value of an expression (see nix_eval)."""
    return nix_eval(expr, tree)[0]


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
def fixture_lines(primary_dump: Records) -> list[bytes]:
    """The fixture's dump as the JSON lines `dump -o` writes."""
    return [line + b"\n" for line in primary_dump.result.lines()]


@pytest.fixture(scope="session")
def fixture_index(fixture_lines: list[bytes], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real SQLite index of the fixture dump, revision "fixture-rev"."""
    from indexer.store.ingest import RevisionInfo, dump_lines, ingest

    path = tmp_path_factory.mktemp("index") / "index.sqlite"
    ingest(path, dump_lines(fixture_lines), RevisionInfo(rev="fixture-rev", channel="fixture"))
    return path
