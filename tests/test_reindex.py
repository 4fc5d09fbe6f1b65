"""reindex on a git repository of fixture nixpkgs revisions: idempotent,
atomic under SIGKILL, locked, readable while it writes; history, diff, prune."""

from __future__ import annotations

import http.server
import io
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tarfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from indexer.dump.evaluator import Nix

from .conftest import once_per_nix
from .fixture_history import MODULES, ROOT, commit, edit, git, new_repository
from .helpers import PYPI_NAMES, cli, own_cache

# Every test here evaluates nixpkgs (reindex dumps each new revision).
pytestmark = pytest.mark.usefixtures("nix")


@pytest.fixture(scope="module", autouse=True)
def _own_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    with own_cache(tmp_path_factory):
        yield


@pytest.fixture(scope="module")
def channel(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """A nixpkgs repository whose commits add, bump, remove and rename packages."""
    repo = new_repository(tmp_path_factory.mktemp("channel"))
    revs = {"base": commit(repo, "the fixture")}
    packages = repo / "pkgs/top-level/python-packages.nix"

    shutil.copytree(repo / MODULES / "six", repo / MODULES / "sixer")
    edit(repo / MODULES / "sixer/default.nix", 'pname = "six"', 'pname = "sixer"')
    edit(
        packages,
        "  six = callPackage",
        "  sixer = callPackage ../development/python-modules/sixer { };\n\n  six = callPackage",
    )
    revs["add"] = commit(repo, "sixer: init at 1.17.0")

    edit(repo / MODULES / "six/default.nix", 'version = "1.17.0"', 'version = "1.18.0"')
    revs["bump"] = commit(repo, "six: 1.17.0 -> 1.18.0")

    edit(packages, "  tinygrad = callPackage ../development/python-modules/tinygrad { };\n", "")
    revs["remove"] = commit(repo, "tinygrad: remove")

    edit(packages, "  GitPython = callPackage", "  gitpython = callPackage")
    edit(packages, "gitdb", "gitdb")  # unchanged: GitPython's dependents refer to it by argument
    revs["rename"] = commit(repo, "GitPython: rename to gitpython")

    (repo / "doc").mkdir(exist_ok=True)
    (repo / "doc/python.md").write_text("# Python\n")
    revs["docs"] = commit(repo, "doc: python section")
    return repo, revs


def reindex(
    db: Path, repo: Path, ref: str, *args: str, **kw: Any
) -> subprocess.CompletedProcess[str]:
    return cli("reindex", "--channel", "unstable", "--git", str(repo), "--ref", ref,
               "--db", str(db), "--json", "--workers", "1", *args, **kw)  # fmt: skip


def result_of(run: subprocess.CompletedProcess[str]) -> dict[str, Any]:
    assert run.returncode == 0, run.stderr
    data: dict[str, Any] = json.loads(run.stdout)
    return data


def snapshot(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Everything in the index, in a comparable form (every table; the
    revisions without the time they were indexed at)."""
    with sqlite3.connect(db) as conn:
        tables = [t for (t,) in conn.execute(
            "select name from sqlite_master where type = 'table' and name not like 'sqlite_%'")]  # fmt: skip
        columns = [c[1] for c in conn.execute("pragma table_info(revisions)") if c[1] != "indexed_at"]
        return {
            table: sorted(conn.execute(f"select * from {table}").fetchall(), key=repr)
            for table in tables
            if table != "revisions"
        } | {
            "revisions": conn.execute(
                f"select {', '.join(columns)} from revisions order by id"
            ).fetchall()
        }


@pytest.fixture
def walked(
    nix: Nix, channel: tuple[Path, dict[str, str]], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Any]:
    """The channel reindexed commit by commit, as a schedule would."""

    def walk() -> dict[str, Any]:
        repo, revs = channel
        db = tmp_path_factory.mktemp("walked") / "index.sqlite"
        results = {name: result_of(reindex(db, repo, rev)) for name, rev in revs.items()}
        return {"db": db, "results": results, "revs": revs, "repo": repo}

    return once_per_nix(nix, "walked", walk)


def test_first_run_indexes_and_has_nothing_to_compare(walked: dict[str, Any]) -> None:
    first = walked["results"]["base"]
    assert (first["action"], first["previous"], first["diff"]) == ("indexed", None, None)
    # The two sets share the rows of the packages they have alike.
    assert first["records"] / 2 <= first["new_packages"] < first["records"]


@pytest.mark.parametrize(
    ("step", "kind", "expected"),
    [
        ("add", "added", [("python312Packages", "sixer", None, "1.17.0"),
                          ("python313Packages", "sixer", None, "1.17.0")]),
        ("bump", "version_changes", [("python312Packages", "six", "1.17.0", "1.18.0"),
                                     ("python313Packages", "six", "1.17.0", "1.18.0")]),
        ("remove", "removed", [("python312Packages", "tinygrad", "unstable-2024-01-01", None),
                               ("python313Packages", "tinygrad", "unstable-2024-01-01", None)]),
        ("rename", "added", [("python312Packages", "gitpython", None, "3.1.43"),
                             ("python313Packages", "gitpython", None, "3.1.43")]),
        ("rename", "removed", [("python312Packages", "GitPython", "3.1.43", None),
                               ("python313Packages", "GitPython", "3.1.43", None)]),
    ],
    ids=["add", "bump", "remove", "rename-added", "rename-removed"],
)  # fmt: skip
def test_each_bump_reports_its_change(
    walked: dict[str, Any],
    step: str,
    kind: str,
    expected: list[tuple[str, str, str | None, str | None]],
) -> None:
    result = walked["results"][step]
    assert result["action"] == "indexed"
    changes = [(c["set"], c["attr"], c["before"], c["after"]) for c in result["diff"][kind]]
    assert changes == expected


def test_audit_findings_follow_the_bumps(walked: dict[str, Any]) -> None:
    rename = walked["results"]["rename"]["diff"]
    fixed = {(c["attr"], c["before"].split(":")[0]) for c in rename["fixed_findings"]}
    assert ("GitPython", "non-normalized") in fixed
    remove = walked["results"]["remove"]["diff"]
    assert {c["attr"] for c in remove["fixed_findings"]} == {"tinygrad"}


def test_an_indexed_head_is_a_quick_no_op(walked: dict[str, Any]) -> None:
    before = snapshot(walked["db"])
    again = result_of(reindex(walked["db"], walked["repo"], walked["revs"]["docs"]))
    assert again["action"] == "up-to-date"
    assert snapshot(walked["db"]) == before


def test_a_docs_only_commit_reuses_the_previous_revision_and_equals_a_full_index(
    walked: dict[str, Any], tmp_path: Path
) -> None:
    docs = walked["results"]["docs"]
    assert docs["action"] == "reused"
    assert docs["diff"]["counts"] == dict.fromkeys(docs["diff"]["counts"], 0)
    # The proof: a full index of the same commit holds the very same packages.
    fresh = tmp_path / "fresh.sqlite"
    assert result_of(reindex(fresh, walked["repo"], walked["revs"]["docs"]))["action"] == "indexed"

    def packages_of(db: Path, rev: str) -> list[str]:
        with sqlite3.connect(db) as conn:
            records = [json.loads(r) for (r,) in conn.execute(
                "select p.record from packages p join revision_packages rp"
                " on rp.package_id = p.id join revisions r on r.id = rp.revision_id"
                " where r.rev = ?", [rev])]  # fmt: skip
        for record in records:
            if record.get("error", {}).get("kind") == "crash":
                # How a stack overflow ends varies from run to run (a message
                # and exit 1, or SIGSEGV): the same crash either way.
                record["error"] = {"kind": "crash"}
        return sorted(json.dumps(r, sort_keys=True) for r in records)

    rev = walked["revs"]["docs"]
    assert packages_of(walked["db"], rev) == packages_of(fresh, rev)


def test_history_of_a_project(walked: dict[str, Any]) -> None:
    run = cli("history", "six", "--python", "3.13", "--db", str(walked["db"]), "--json")
    entries = json.loads(run.stdout)
    assert [(e["rev"], [p["version"] for p in e["packages"]]) for e in entries] == [
        (walked["revs"][step], [version])
        for step, version in [("base", "1.17.0"), ("add", "1.17.0"), ("bump", "1.18.0"),
                              ("remove", "1.18.0"), ("rename", "1.18.0"), ("docs", "1.18.0")]
    ]  # fmt: skip
    human = cli("history", "six", "--python", "3.13", "--db", str(walked["db"]))
    assert "python313Packages.six 1.18.0" in human.stdout.splitlines()[-1]


def test_diff_between_any_two_revisions(walked: dict[str, Any]) -> None:
    revs = walked["revs"]
    run = cli("diff", revs["base"][:10], revs["rename"][:10], "--db", str(walked["db"]), "--json")
    change = json.loads(run.stdout)
    assert change["counts"]["added"] == 4  # sixer and gitpython, in two sets
    assert change["counts"]["removed"] == 4  # tinygrad and GitPython
    text = cli("diff", revs["base"], revs["bump"], "--db", str(walked["db"])).stdout
    assert "  ~ python313Packages.six 1.17.0 → 1.18.0" in text.splitlines()


def walked_copy(walked: dict[str, Any], tmp_path: Path) -> tuple[Path, Path, dict[str, str]]:
    """A copy of the walked index, with the channel repository and its commits."""
    db = tmp_path / "index.sqlite"
    shutil.copy(walked["db"], db)
    return db, walked["repo"], walked["revs"]


@contextmanager
def branch_of_docs(repo: Path, revs: dict[str, str], name: str) -> Iterator[None]:
    """Commits on a branch from the last commit, then main again. -B: the
    channel repository is shared by the runs under each Nix."""
    git(repo, "checkout", "-q", "-B", name, revs["docs"])
    try:
        yield
    finally:
        git(repo, "checkout", "-q", "main")


def test_keep_prunes_old_revisions_but_not_shared_packages(
    walked: dict[str, Any], tmp_path: Path
) -> None:
    db, repo, revs = walked_copy(walked, tmp_path)
    with branch_of_docs(repo, revs, "prune-test"):
        (repo / "doc/more.md").write_text("more\n")
        head = commit(repo, "doc: more")
        result = result_of(reindex(db, repo, head, "--keep", "2"))
    assert result["pruned"] == [revs[s] for s in ("rename", "remove", "bump", "add", "base")]
    with sqlite3.connect(db) as conn:
        assert conn.execute("select rev from revisions order by id").fetchall() == [
            (revs["docs"],),
            (head,),
        ]
        orphans = conn.execute(
            "select count(*) from packages where id not in (select package_id from revision_packages)"
        ).fetchone()[0]
        assert orphans == 0
    # Every kept revision still answers.
    answer = cli("candidates", "six", "--rev", head, "--db", str(db), "--json")
    assert json.loads(answer.stdout)["candidates"][0]["version"] == "1.18.0"


def test_a_pypi_list_names_the_packages_and_feeds_the_audit(
    walked: dict[str, Any], tmp_path: Path
) -> None:
    # A TSV list with releases: docopt (0.6.2 in the fixture, no PyPI source)
    # is kept by its pname, homepage and tarball, but PyPI's newest docopt
    # here is of an older series, so it is another project: no PyPI name,
    # and the audit that reindex runs with the same list reports it.
    db, repo, revs = walked_copy(walked, tmp_path)
    listed = sorted({*PYPI_NAMES, "docopt"})
    names = tmp_path / "pypi.tsv"
    names.write_text("name\tversion\n" + "".join(
        f"{name}\t{'0.5.0' if name == 'docopt' else '1.0'}\n" for name in listed))  # fmt: skip
    with branch_of_docs(repo, revs, "list-test"):
        (repo / "doc/list.md").write_text("list\n")
        head = commit(repo, "doc: list")
        # A commit nothing evaluated reads is a copy of the one before, but
        # that was named without the list: evaluated again, named with it.
        assert result_of(reindex(db, repo, head, "--pypi-names", str(names)))["action"] == "indexed"
        (repo / "doc/list.md").write_text("list, again\n")
        again = commit(repo, "doc: list again")
        # The same list: a copy again.
        assert result_of(reindex(db, repo, again, "--pypi-names", str(names)))["action"] == "reused"
    with sqlite3.connect(db) as conn:
        revision_id, count = conn.execute(
            "select id, pypi_names_count from revisions where rev = ?", [head]
        ).fetchone()
        assert count == len(listed)
        docopt = conn.execute(
            "select distinct p.pypi_name, p.name_source, p.name_evidence from revision_packages rp"
            " join packages p on p.id = rp.package_id where rp.revision_id = ?"
            " and p.attr = 'docopt'",
            [revision_id],
        ).fetchall()
        reported = {attr for (attr,) in conn.execute(
            "select attr from revision_findings where revision_id = ? and rule = 'not-on-pypi'",
            [revision_id])}  # fmt: skip
    assert [(name, source) for name, source, _ in docopt] == [(None, "pypi-list")]
    assert json.loads(docopt[0][2])[0].startswith(
        "not on PyPI: PyPI's newest release of docopt is of an older series than 0.6.2"
    )
    assert "docopt" in reported


# ---- killed, locked, read while written ----------------------------------


def start(db: Path, repo: Path, ref: str, pause_at: str | None = None) -> subprocess.Popen[str]:
    env = {**os.environ}
    if pause_at:
        env["NIXPKGS_PYINDEX_PAUSE_AT"] = pause_at
    return subprocess.Popen(
        [sys.executable, "-m", "indexer", "reindex", "--channel", "unstable", "--git", str(repo),
         "--ref", ref, "--db", str(db), "--json", "--workers", "1"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
        start_new_session=True, cwd=ROOT,
    )  # fmt: skip


def wait_for_pause(process: subprocess.Popen[str], name: str) -> None:
    assert process.stderr is not None
    line = process.stderr.readline()
    assert line.strip() == f"nixpkgs-pyindex: paused at {name}", line


def kill_group(process: subprocess.Popen[str]) -> None:
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()


@pytest.mark.parametrize("point", ["extracted", "evaluated", "ingesting", "ingested"])
def test_a_run_killed_at_any_point_leaves_the_database_as_it_was(
    walked: dict[str, Any], tmp_path: Path, point: str
) -> None:
    db = tmp_path / "index.sqlite"
    repo, revs = walked["repo"], walked["revs"]
    result_of(reindex(db, repo, revs["base"]))
    before = snapshot(db)
    process = start(db, repo, revs["bump"], pause_at=point)
    wait_for_pause(process, point)
    kill_group(process)
    after_kill = snapshot(db)
    if point == "ingested":
        # Killed after the ingest's commit, before the audit: the revision is
        # whole; the next run audits it.
        assert after_kill["revisions"][:1] == before["revisions"]
        assert len(after_kill["revisions"]) == 2
    else:
        assert after_kill == before
    # Every earlier revision still answers, and the next run completes.
    assert json.loads(cli("candidates", "six", "--db", str(db), "--rev", revs["base"],
                          "--json").stdout)["candidates"]  # fmt: skip
    rerun = result_of(reindex(db, repo, revs["bump"]))
    assert rerun["action"] == ("audited" if point == "ingested" else "indexed")
    # The killed run's extracted tree is gone too.
    assert (
        list((Path(os.environ["NIXPKGS_PYINDEX_SCRATCH"]) / "nixpkgs-pyindex-trees").iterdir())
        == []
    )
    assert [(c["attr"], c["after"]) for c in rerun["diff"]["version_changes"]] == [
        ("six", "1.18.0"),
        ("six", "1.18.0"),
    ]


def test_a_second_run_meets_the_lock(walked: dict[str, Any], tmp_path: Path) -> None:
    db = tmp_path / "index.sqlite"
    first = start(db, walked["repo"], walked["revs"]["base"], pause_at="evaluated")
    try:
        wait_for_pause(first, "evaluated")
        second = reindex(db, walked["repo"], walked["revs"]["base"])
        assert second.returncode == 12
        assert "another reindex of" in second.stderr and "is running (pid" in second.stderr
        waited = reindex(db, walked["repo"], walked["revs"]["base"], "--wait", "0.5")
        assert waited.returncode == 12
    finally:
        kill_group(first)
    # The lock dies with its holder.
    assert result_of(reindex(db, walked["repo"], walked["revs"]["base"]))["action"] == "indexed"


def test_readers_only_ever_see_whole_revisions(walked: dict[str, Any], tmp_path: Path) -> None:
    db = tmp_path / "index.sqlite"
    repo, revs = walked["repo"], walked["revs"]
    result_of(reindex(db, repo, revs["base"]))
    seen: list[tuple[int, int]] = []
    errors: list[BaseException] = []
    stop = threading.Event()

    def read() -> None:
        try:
            conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
            while not stop.is_set():
                for rid, records in conn.execute("select id, records from revisions"):
                    (members,) = conn.execute(
                        "select count(*) from revision_packages where revision_id = ?", [rid]
                    ).fetchone()
                    seen.append((records, members))
            conn.close()
        except BaseException as e:  # pragma: no cover - reported below
            errors.append(e)

    reader = threading.Thread(target=read)
    reader.start()
    try:
        for step in ("add", "bump", "remove"):
            result_of(reindex(db, repo, revs[step]))
    finally:
        stop.set()
        reader.join()
    assert not errors
    assert len(seen) > 10
    assert all(records == members for records, members in seen)


# ---- bad input ----------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--ref", "no-such-branch"], 13, "ref 'no-such-branch' does not exist in"),
        (["--git-not-a-repo"], 13, "is not a git repository"),
    ],
    ids=["missing-ref", "not-a-repository"],
)
def test_bad_channel_sources(
    walked: dict[str, Any], tmp_path: Path, args: list[str], code: int, message: str
) -> None:
    db = tmp_path / "index.sqlite"
    if args == ["--git-not-a-repo"]:
        run = cli("reindex", "--channel", "c", "--git", str(tmp_path), "--db", str(db))
    else:
        run = cli("reindex", "--channel", "c", "--git", str(walked["repo"]), *args, "--db", str(db))
    assert run.returncode == code
    assert message in run.stderr and len(run.stderr.strip().splitlines()) == 1
    assert not db.exists()


def test_a_repository_that_is_not_nixpkgs(tmp_path: Path) -> None:
    repo = tmp_path / "other"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    (repo / "README").write_text("not nixpkgs\n")
    head = commit(repo, "readme")
    run = cli("reindex", "--channel", "c", "--git", str(repo), "--db", str(tmp_path / "i.sqlite"))
    assert run.returncode == 3
    assert f"revision {head} is not a nixpkgs tree" in run.stderr


def test_a_database_of_another_schema_version(walked: dict[str, Any], tmp_path: Path) -> None:
    db = tmp_path / "index.sqlite"
    shutil.copy(walked["db"], db)
    with sqlite3.connect(db) as conn:
        conn.execute("update meta set value = '3' where key = 'schema_version'")
    before = snapshot(db)
    run = reindex(db, walked["repo"], "main")
    assert run.returncode == 8
    assert "database schema version 3" in run.stderr
    assert snapshot(db) == before


def test_a_read_only_database_location(walked: dict[str, Any], tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    db = folder / "index.sqlite"
    shutil.copy(walked["db"], db)
    bind = subprocess.run(
        ["mount", "--bind", "-o", "ro", str(folder), str(folder)], capture_output=True
    )
    if bind.returncode != 0:
        pytest.skip("cannot mount read-only here: " + bind.stderr.decode().strip())
    try:
        subprocess.run(["mount", "-o", "remount,ro,bind", str(folder)], check=True)
        run = reindex(db, walked["repo"], walked["revs"]["base"])
        assert run.returncode == 8
        assert "read-only" in run.stderr.lower() or "readonly" in run.stderr.lower()
        assert len(run.stderr.strip().splitlines()) == 1
    finally:
        subprocess.run(["umount", str(folder)], check=True)


def test_a_full_disk(walked: dict[str, Any], tmp_path: Path) -> None:
    small = tmp_path / "small"
    small.mkdir()
    mount = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=300k", "tmpfs", str(small)],
                           capture_output=True)  # fmt: skip
    if mount.returncode != 0:
        pytest.skip("cannot mount a tmpfs here: " + mount.stderr.decode().strip())
    try:
        db = small / "index.sqlite"
        run = reindex(db, walked["repo"], walked["revs"]["base"])
        assert run.returncode == 8, run.stderr
        assert "full" in run.stderr and len(run.stderr.strip().splitlines()) == 1
        # Whatever got committed is whole: a revision with all its packages.
        conn = sqlite3.connect(db)
        try:
            for records, members in conn.execute(
                "select records, (select count(*) from revision_packages rp"
                " where rp.revision_id = r.id) from revisions r"
            ):
                assert records == members
        finally:
            conn.close()
        # With room again, the next run completes what is missing.
        subprocess.run(["mount", "-o", "remount,size=64m", str(small)], check=True)
        rerun = result_of(reindex(db, walked["repo"], walked["revs"]["base"]))
        assert rerun["action"] in ("indexed", "audited")
        assert result_of(reindex(db, walked["repo"], walked["revs"]["base"]))["action"] == (
            "up-to-date"
        )
    finally:
        subprocess.run(["umount", str(small)], check=True)


# ---- a channel URL ------------------------------------------------------


@pytest.fixture
def channel_server(walked: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """A local channel: /git-revision and /nixexprs.tar.xz of the 'bump' commit."""
    repo, rev = walked["repo"], walked["revs"]["bump"]
    raw = subprocess.run(["git", "-C", str(repo), "archive", "--format=tar",
                          f"--prefix=nixpkgs-{rev[:7]}/", rev], check=True, capture_output=True).stdout  # fmt: skip
    buffer = io.BytesIO()
    with (
        tarfile.open(fileobj=buffer, mode="w:xz") as out,
        tarfile.open(fileobj=io.BytesIO(raw)) as src,
    ):
        for member in src.getmembers():
            out.addfile(member, src.extractfile(member) if member.isfile() else None)
    state: dict[str, Any] = {"tarball": buffer.getvalue(), "rev": rev, "requests": []}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            state["requests"].append(self.path)
            body = {"/channel/git-revision": state["rev"].encode(),
                    "/channel/nixexprs.tar.xz": state["tarball"]}.get(self.path)  # fmt: skip
            self.send_response(200 if body is not None else 404)
            self.end_headers()
            self.wfile.write(body or b"")

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/channel", state
    finally:
        server.shutdown()


def test_reindex_from_a_channel_url(
    channel_server: tuple[str, dict[str, Any]], tmp_path: Path
) -> None:
    import hashlib

    url, state = channel_server
    db = tmp_path / "index.sqlite"
    env = {"XDG_CACHE_HOME": str(tmp_path / "cache"), "no_proxy": "*", "NO_PROXY": "*"}
    pin = hashlib.sha256(state["tarball"]).hexdigest()
    run = cli("reindex", "--channel", "c", "--url", url, "--sha256", pin, "--db", str(db),
              "--json", "--workers", "1", env=env)  # fmt: skip
    assert result_of(run)["rev"] == state["rev"]
    # The head is indexed: the second run asks for git-revision only.
    state["requests"].clear()
    again = cli("reindex", "--channel", "c", "--url", url, "--db", str(db), "--json", env=env)
    assert result_of(again)["action"] == "up-to-date"
    assert state["requests"] == ["/channel/git-revision"]
    # A wrong pin is refused, and nothing is indexed.
    state["rev"] = "0" * 40
    wrong = cli("reindex", "--channel", "c", "--url", url, "--sha256", "1" * 64, "--db", str(db),
                env=env)  # fmt: skip
    assert wrong.returncode == 6 and "not the pinned" in wrong.stderr


def test_a_run_killed_while_taking_over_a_revision_leaves_nothing(
    walked: dict[str, Any], tmp_path: Path
) -> None:
    db = tmp_path / "index.sqlite"
    repo, revs = walked["repo"], walked["revs"]
    result_of(reindex(db, repo, revs["rename"]))
    before = snapshot(db)
    process = start(db, repo, revs["docs"], pause_at="reusing")
    wait_for_pause(process, "reusing")
    kill_group(process)
    assert snapshot(db) == before
    assert result_of(reindex(db, repo, revs["docs"]))["action"] == "reused"
