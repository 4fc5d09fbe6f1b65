"""backfill on a git history of the fixture nixpkgs, on a real Dask LocalCluster:
the index it makes is the index a sequential reindex of the same revisions
makes, row for row, even when a worker is killed in the middle; a killed
client resumes; a revision that keeps failing is skipped with its error."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import distributed  # the [cluster] extra, which the tests install
import pytest

from indexer.backfill.revisions import choose_revisions
from indexer.backfill.run import BackfillOptions, Progress, backfill
from indexer.dump.evaluator import Nix
from indexer.dump.orchestrator import DumpOptions
from indexer.pypinames import load_pypi_names

from .conftest import once_per_nix
from .fixture_history import deterministic, edit, git, new_repository
from .helpers import PYPI_NAMES, cli, own_cache

ROOT = Path(__file__).resolve().parent.parent
MODULES = "pkgs/development/python-modules"
PACKAGES = "pkgs/top-level/python-packages.nix"
RETRIES = 1


@pytest.fixture(scope="module", autouse=True)
def _own_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    with own_cache(tmp_path_factory):
        yield


def commit(repo: Path, message: str, when: str) -> str:
    """Commit everything, dated `when` (the days backfill chooses among)."""
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message,
        env={"GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when})  # fmt: skip
    return git(repo, "rev-parse", "HEAD")


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """Daily commits of the fixture: add, bump, a day that does not evaluate,
    its fix, a docs-only day (reused), a removal; two commits on day 2."""
    repo = new_repository(tmp_path_factory.mktemp("history"))
    packages = repo / PACKAGES
    deterministic(repo)  # two runs must not differ by chance
    revs = {"base": commit(repo, "the fixture", "2024-01-01T09:00:00Z")}

    shutil.copytree(repo / MODULES / "six", repo / MODULES / "sixer")
    edit(repo / MODULES / "sixer/default.nix", 'pname = "six"', 'pname = "sixer"')
    edit(packages, "  six = callPackage",
         "  sixer = callPackage ../development/python-modules/sixer { };\n\n  six = callPackage")  # fmt: skip
    revs["add"] = commit(repo, "sixer: init at 1.17.0", "2024-01-02T09:00:00Z")
    edit(repo / MODULES / "six/default.nix", 'version = "1.17.0"', 'version = "1.18.0"')
    revs["bump"] = commit(repo, "six: 1.17.0 -> 1.18.0", "2024-01-02T18:00:00Z")

    text = packages.read_text()
    packages.write_text(text + " ) broken\n")
    revs["broken"] = commit(repo, "a syntax error", "2024-01-03T09:00:00Z")
    packages.write_text(text)
    edit(packages, "  tinygrad = callPackage ../development/python-modules/tinygrad { };\n", "")
    revs["fixed"] = commit(repo, "fix; tinygrad: remove", "2024-01-04T09:00:00Z")

    (repo / "doc").mkdir(exist_ok=True)
    (repo / "doc/python.md").write_text("# Python\n")
    revs["docs"] = commit(repo, "doc: python section", "2024-01-05T09:00:00Z")

    edit(packages, "  GitPython = callPackage", "  gitpython = callPackage")
    revs["rename"] = commit(repo, "GitPython: rename to gitpython", "2024-01-06T09:00:00Z")
    return repo, revs


# The revisions --since 2024-01-01 --until 2024-01-06 takes: the last of each day.
DAILY = ["base", "bump", "broken", "fixed", "docs", "rename"]


# ---- choosing the revisions ------------------------------------------------


@pytest.mark.parametrize(
    ("selection", "expected"),
    [
        ({"since": "2024-01-01", "until": "2024-01-06"}, DAILY),
        ({"since": "2024-01-01"}, DAILY),
        ({"since": "2024-01-02", "until": "2024-01-03"}, ["bump", "broken"]),
        ({"since": "2024-01-01", "until": "2024-01-06", "every": "2d"}, ["bump", "fixed", "rename"]),
        ({"since": "2024-01-02T00:00:00Z", "until": "2024-01-02T12:00:00Z", "every": "12h"}, ["add"]),
        ({"since": "2024-01-01", "every": "1w"}, ["rename"]),
        ({"revs": ("docs", "add", "add")}, ["add", "docs"]),
    ],
    ids=["daily", "daily-until-now", "two-days", "every-2d", "12h", "weekly", "explicit"],
)  # fmt: skip
def test_which_revisions_are_chosen(
    history: tuple[Path, dict[str, str]], selection: dict[str, Any], expected: list[str]
) -> None:
    repo, revs = history
    if "revs" in selection:  # by commit, oldest first whatever the order given
        selection = {"revs": tuple(revs[n] for n in selection["revs"])}
    chosen = choose_revisions(repo, ref="main", **selection)
    assert [r.rev for r in chosen] == [revs[name] for name in expected]


# ---- the index equals a sequential reindex --------------------------------


@pytest.fixture(scope="module")
def pypi_list(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """PyPI's names with releases, as both sides name the packages with:
    docopt's newest of an older series than the fixture's 0.6.2 makes it
    another project (mapping/candidates.py)."""
    path = tmp_path_factory.mktemp("pypi") / "pypi.tsv"
    rows = [f"{n}\t{'0.5.0' if n == 'docopt' else '1.0'}" for n in sorted({*PYPI_NAMES, "docopt"})]
    path.write_text("name\tversion\n" + "\n".join(rows) + "\n")
    os.utime(path, (1_800_000_000, 1_800_000_000))  # its date, recorded per revision
    return path


def snapshot(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every table of the index but the ledger, without run-specific columns
    (when a revision was indexed or audited)."""
    run_specific = {"revisions": "indexed_at", "audits": "audited_at"}
    out: dict[str, list[tuple[Any, ...]]] = {}
    with sqlite3.connect(db) as conn:
        tables = [t for (t,) in conn.execute("select name from sqlite_master where type = 'table'")]
        for table in tables:
            if table == "backfill_ledger":
                continue
            columns = [c[1] for c in conn.execute(f"pragma table_info({table})")]
            kept = [c for c in columns if c != run_specific.get(table)]
            out[table] = sorted(
                conn.execute(f"select {', '.join(kept)} from {table}").fetchall(), key=repr
            )
    return out


def ledger(db: Path) -> dict[str, tuple[str, int, str | None]]:
    with sqlite3.connect(db) as conn:
        return {
            rev: (state, attempts, error)
            for rev, state, attempts, error in conn.execute(
                "select rev, state, attempts, error from backfill_ledger"
            )
        }


@pytest.fixture
def sequential(
    nix: Nix,
    history: tuple[Path, dict[str, str]],
    pypi_list: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> Path:
    """The daily revisions reindexed one by one, as a schedule would have."""

    def walk() -> Path:
        repo, revs = history
        db = tmp_path_factory.mktemp("sequential") / "index.sqlite"
        for name in DAILY:
            run = cli("reindex", "--channel", "unstable", "--git", str(repo), "--ref", revs[name],
                      "--db", str(db), "--workers", "1", "--pypi-names", str(pypi_list),
                      "--json")  # fmt: skip
            assert run.returncode == (3 if name == "broken" else 0), run.stderr
        return db

    return once_per_nix(nix, "sequential", walk)


@pytest.fixture
def cluster(nix: Nix) -> Iterator[Any]:
    """A LocalCluster of two worker processes, started after `nix` chose the
    evaluator (the workers inherit the environment)."""
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
        silence_logs=50,
    ) as local:  # fmt: skip
        yield local


def options(db: Path, repo: Path, **kw: Any) -> BackfillOptions:
    return BackfillOptions(channel="unstable", db_path=db, repo=str(repo), ref="main",
                           since="2024-01-01", until="2024-01-06", retries=RETRIES,
                           dump_options=DumpOptions(workers=1), **kw)  # fmt: skip


def test_a_worker_killed_midway_and_the_index_equals_a_sequential_reindex(
    history: tuple[Path, dict[str, str]],
    sequential: Path,
    pypi_list: Path,
    cluster: Any,
    tmp_path: Path,
) -> None:
    repo, revs = history
    db = tmp_path / "index.sqlite"
    killed: list[int] = []
    with distributed.Client(cluster) as spy:
        pids: dict[str, int] = spy.run(os.getpid)

        def kill_a_busy_worker(progress: Progress) -> None:
            # After the first revision is indexed, while later ones evaluate.
            if killed:
                return
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                busy = [w for w, keys in spy.processing().items() if keys]
                if busy:
                    killed.append(pids[busy[0]])
                    os.kill(pids[busy[0]], signal.SIGKILL)
                    return
                time.sleep(0.01)
            raise AssertionError("no worker was busy")

        names = load_pypi_names(str(pypi_list))
        result = backfill(options(db, repo, scheduler=cluster.scheduler_address,
                                  pypi_names=names),
                          progress=kill_a_busy_worker)  # fmt: skip
        assert killed and killed[0] not in spy.run(os.getpid).values()
    actions = {o.rev: o.action for o in result.revisions}
    assert actions == {revs["base"]: "indexed", revs["bump"]: "indexed",
                       revs["broken"]: "skipped", revs["fixed"]: "indexed",
                       revs["docs"]: "reused", revs["rename"]: "indexed"}  # fmt: skip
    assert snapshot(db) == snapshot(sequential)
    with sqlite3.connect(db) as conn:  # the list named the packages
        assert conn.execute(
            "select distinct pypi_name, name_source from packages where attr = 'docopt'"
        ).fetchall() == [(None, "pypi-list")]
    states = ledger(db)
    assert {rev: state for rev, (state, _, _) in states.items()} == {
        revs[name]: "skipped" if name == "broken" else "done" for name in DAILY
    }
    state, attempts, error = states[revs["broken"]]
    assert attempts == RETRIES + 1
    assert error is not None and "syntax error, unexpected ')'" in error


# ---- resuming, skipping, the command line ----------------------------------


def start(
    db: Path, repo: Path, pypi_list: Path, *args: str, pause_at: str | None = None
) -> subprocess.Popen[str]:
    env = {**os.environ}
    if pause_at:
        env["NIXPKGS_PYINDEX_PAUSE_AT"] = pause_at
    return subprocess.Popen(
        [sys.executable, "-m", "indexer", "backfill", "--channel", "unstable", "--git", str(repo),
         "--ref", "main", "--since", "2024-01-01", "--until", "2024-01-06", "--db", str(db),
         "--workers", "2", "--retries", str(RETRIES), "--pypi-names", str(pypi_list), "--json",
         *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
        start_new_session=True, cwd=ROOT,
    )  # fmt: skip


def kill_group(process: subprocess.Popen[str]) -> None:
    """SIGKILL the run with its Dask workers, and wait until every one of
    them is gone: a worker not reaped yet still owns its temporary folders,
    which the next run then rightly leaves alone."""
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            os.killpg(process.pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.05)
    raise AssertionError("the killed run's processes are still there after 30 s")


def wait_for_pause(process: subprocess.Popen[str], name: str) -> None:
    assert process.stderr is not None
    for line in process.stderr:
        if line.strip() == f"nixpkgs-pyindex: paused at {name}":
            return
    raise AssertionError(f"{name} never reached")


@pytest.mark.usefixtures("nix")
def test_a_killed_client_resumes_without_evaluating_again(
    history: tuple[Path, dict[str, str]], sequential: Path, pypi_list: Path, tmp_path: Path
) -> None:
    repo, revs = history
    db = tmp_path / "index.sqlite"
    process = start(db, repo, pypi_list, pause_at="backfilled-2")
    wait_for_pause(process, "backfilled-2")
    kill_group(process)
    assert [s for s, _, _ in ledger(db).values()].count("done") == 2
    rerun = start(db, repo, pypi_list)
    out, err = rerun.communicate(timeout=300)
    assert rerun.returncode == 17, err
    summary = json.loads(out)
    actions = [o["action"] for o in summary["revisions"]]
    assert actions == ["done", "done", "skipped", "indexed", "reused", "indexed"]
    # The killed run's trees are gone once the next run has extracted its own.
    trees = Path(os.environ["NIXPKGS_PYINDEX_SCRATCH"]) / "nixpkgs-pyindex-trees"
    assert list(trees.iterdir()) == []
    assert snapshot(db) == snapshot(sequential)
    # A third run has nothing left to do: the skipped revision stays skipped.
    third = start(db, repo, pypi_list)
    out, err = third.communicate(timeout=300)
    assert third.returncode == 17
    assert {o["action"] for o in json.loads(out)["revisions"]} == {"done", "skipped"}
    assert err == ""  # nothing evaluated, nothing to report on


def test_retry_skipped_tries_a_skipped_revision_again_within_the_bound(
    history: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    repo, revs = history
    db = tmp_path / "index.sqlite"
    run = cli("backfill", "--channel", "unstable", "--git", str(repo), revs["broken"],
              "--db", str(db), "--workers", "1", "--retries", "0", "--json")  # fmt: skip
    assert run.returncode == 17, run.stderr
    assert ledger(db)[revs["broken"]][:2] == ("skipped", 1)
    again = cli("backfill", "--channel", "unstable", "--git", str(repo), revs["broken"],
                "--db", str(db), "--workers", "1", "--retries", "2", "--retry-skipped")  # fmt: skip
    assert again.returncode == 17
    assert ledger(db)[revs["broken"]][:2] == ("skipped", 3)
    assert f"skipped {revs['broken']} (2024-01-03) after 3 attempts: " in again.stdout
    assert f"[1/1] {revs['broken'][:12]} 2024-01-03: skipped after 3 attempts" in again.stderr
    with sqlite3.connect(db) as conn:
        assert conn.execute("select count(*) from revisions").fetchone() == (0,)


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--since", "2024-01-01", "--every", "fortnight"], 2,
         "--every 'fortnight': give a period such as 1d, 7d, 12h or 2w"),
        (["--since", "yesterday"], 2, "--since 'yesterday': give a date such as 2018-03-10"),
        (["--since", "2024-01-05", "--until", "2024-01-01"], 2, "is not after --since"),
        ([], 2, "give the revisions: --since DATE"),
        (["--since", "2024-01-01", "HEAD"], 2, "give either commits or --since"),
        (["--since", "2030-01-01"], 2, "is not after --since"),
        (["--since", "2020-01-01", "--until", "2020-12-31"], 13,
         "no first-parent commit of main from 2020-01-01 to 2020-12-31"),
        (["no-such-commit"], 13, "ref 'no-such-commit' does not exist in"),
        (["--ref", "nope", "--since", "2024-01-01"], 13, "ref 'nope' does not exist in"),
        (["--not-a-repo", "--since", "2024-01-01"], 13, "is not a git repository"),
        (["--scheduler", "tcp://127.0.0.1:9", "HEAD"], 16, "cannot reach the scheduler"),
        (["--workers", "0", "HEAD"], 2, "Invalid value for '--workers'"),
    ],
    ids=["bad-every", "bad-since", "until-before-since", "no-revisions", "both",
         "future", "empty-period", "no-such-commit", "no-such-ref", "not-a-repository",
         "no-scheduler", "no-workers"],
)  # fmt: skip
def test_bad_arguments_are_one_line_errors(
    history: tuple[Path, dict[str, str]], tmp_path: Path, args: list[str], code: int, message: str
) -> None:
    repo, _ = history
    db = tmp_path / "index.sqlite"
    if args and args[0] == "--not-a-repo":
        repo, args = tmp_path, args[1:]
    # Dask's own setting: how long to try reaching a scheduler.
    quick = {"DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT": "2s"}
    run = cli("backfill", "--channel", "c", "--git", str(repo), "--ref", "main", "--db", str(db),
              *args, env=quick, timeout=120)  # fmt: skip
    assert run.returncode == code, run.stderr
    assert message in run.stderr and len(run.stderr.strip().splitlines()) == 1, run.stderr


def test_without_dask_it_says_what_to_install(tmp_path: Path) -> None:
    # A module named `distributed` that cannot be imported, first on the path.
    (tmp_path / "distributed.py").write_text("raise ImportError('not installed')\n")
    run = cli("backfill", "--channel", "c", "--git", str(tmp_path), "HEAD",
              env={"PYTHONPATH": str(tmp_path)})  # fmt: skip
    assert run.returncode == 16
    assert run.stderr.strip() == (
        "nixpkgs-pyindex: error: backfill needs Dask distributed: "
        "pip install 'nixpkgs-pyindex[cluster]'"
    )
