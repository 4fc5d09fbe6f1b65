"""The index in the real Datasette, with docs/datasette-metadata.json: every
canned query as people open it, with its parameters left empty (Datasette
passes "" for those, not NULL) and then with each parameter set.

The server runs on a free loopback port for this module and is stopped by
the fixture's teardown.
"""

from __future__ import annotations

import json
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from indexer.audit.datasette import metadata
from indexer.audit.run import run_audit
from indexer.pypinames import PyPINames
from indexer.store.ingest import RevisionInfo, dump_lines, ingest

from .helpers import PYPI_NAMES, RULE_CASES, TODAY, edited

ROOT = Path(__file__).resolve().parent.parent
METADATA = ROOT / "docs" / "datasette-metadata.json"
QUERIES: dict[str, dict[str, Any]] = metadata()["databases"]["index"]["queries"]
BASE = "4f1d2ab0c3e5a7f9b1d3c5e7a9b1c3d5e7f9a1b3"  # a nixpkgs commit; the next is dump-…
STARTUP_SECONDS = 60


def test_the_committed_metadata_is_the_generated_one() -> None:
    # Regenerate with: python -m indexer.audit.datasette > docs/datasette-metadata.json
    assert json.loads(METADATA.read_text()) == metadata()


RULE_QUERIES = [
    "non-normalized", "digit-first", "multiple-versions", "variants", "pname-mismatch",
    "version-mismatch", "bad-pypi-url", "not-on-pypi", "shadowing", "duplicate-claim",
    "not-a-module", "non-pep440-version", "eval-error",
]  # fmt: skip


def test_the_metadata_has_these_queries_and_parameters() -> None:
    # Written by hand, not from the generator: a query lost or a parameter
    # renamed in both the generator and the committed file still fails here.
    committed = json.loads(METADATA.read_text())["databases"]["index"]["queries"]
    assert {name: query["params"] for name, query in committed.items()} == {
        "findings-by-rule": ["rev", "set"],
        **{rule: ["rev", "set"] for rule in RULE_QUERIES},
        "eval-errors-by-kind": ["rev", "set"],
        "new-findings": ["rev", "since", "set"],
        "fixed-findings": ["rev", "since", "set"],
        "provides": ["project", "rev", "set"],
        "project-history": ["project", "set", "channel"],
    }


@dataclass(frozen=True)
class Served:
    url: str
    db: Path
    new: str  # the newest revision's name, dump-…

    def rows(self, query: str, **params: str) -> list[dict[str, Any]]:
        """The canned query's rows, as Datasette's JSON gives them."""
        args = urllib.parse.urlencode({"_shape": "objects", **params})
        # Loopback only: no proxy, whatever the environment says.
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        try:
            with opener.open(f"{self.url}/index/{query}.json?{args}", timeout=30) as answer:
                document = json.load(answer)
        except urllib.error.HTTPError as e:
            raise AssertionError(f"{query} {params}: HTTP {e.code}: {e.read()[:500]!r}") from e
        assert document.get("ok", True), document
        assert document["truncated"] is False
        rows: list[dict[str, Any]] = document["rows"]
        return rows


@pytest.fixture(scope="module")
def audited_index(fixture_lines: list[bytes], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two audited revisions of a channel: the fixture at a commit, then a
    dump-… revision where six became Six (a new finding) and GitPython
    gitpython (a fixed one). Datasette names a database after its file:
    index.sqlite is the database "index" of the metadata."""
    db = tmp_path_factory.mktemp("datasette") / "index.sqlite"
    ingest(db, dump_lines(fixture_lines), RevisionInfo(rev=BASE, channel="nixpkgs-unstable",
                                                       date="2026-11-20"))  # fmt: skip

    def rename(record: dict[str, Any]) -> dict[str, Any]:
        attr = {"six": "Six", "GitPython": "gitpython"}.get(record["attr"], record["attr"])
        return {**record, "attr": attr}

    ingest(db, dump_lines(edited(fixture_lines, rename)),
           RevisionInfo(channel="nixpkgs-unstable", date="2026-11-24"))  # fmt: skip
    for rev in (BASE, None):
        run_audit(db, rev, pypi_names=PyPINames(PYPI_NAMES, "tests"), today=TODAY)
    return db


def free_loopback_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def served(audited_index: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    log_path = tmp_path_factory.mktemp("datasette-log") / "datasette.log"
    port = free_loopback_port()
    url = f"http://127.0.0.1:{port}"
    with open(log_path, "wb") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "datasette", "serve", str(audited_index),
             "--metadata", str(METADATA), "--setting", "sql_time_limit_ms", "5000",
             "--host", "127.0.0.1", "--port", str(port)],  # as docs/datasette.md has it
            stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            if server.poll() is not None:
                pytest.fail(f"datasette exited with {server.returncode}:\n{log_path.read_text()}")
            try:
                with opener.open(f"{url}/-/versions.json", timeout=5) as answer:
                    versions = json.load(answer)
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail(f"datasette did not answer in {STARTUP_SECONDS} s:\n"
                                f"{log_path.read_text()}")  # fmt: skip
                time.sleep(0.1)
        assert versions["datasette"]["version"].startswith(("0.64", "0.65"))
        with sqlite3.connect(audited_index) as conn:
            (new,) = conn.execute("select rev from revisions where id = 2").fetchone()
        assert new.startswith("dump-")
        yield Served(url, audited_index, new)
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def test_the_server_serves_every_canned_query_of_the_metadata(served: Served) -> None:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(f"{served.url}/index.json", timeout=30) as answer:
        database = json.load(answer)
    assert {q["name"] for q in database["queries"]} == set(QUERIES)


# ---- every query, first without parameters, then with each --------------

Check = Callable[[Served, list[dict[str, Any]]], None]


def attrs(rows: list[dict[str, Any]]) -> set[str]:
    return {r["attr"] for r in rows}


def revs(rows: list[dict[str, Any]], column: str = "rev") -> set[str]:
    return {r[column] for r in rows}


def newest(served: Served, rows: list[dict[str, Any]]) -> None:
    assert rows and revs(rows) == {served.new}


def base(served: Served, rows: list[dict[str, Any]]) -> None:
    assert rows and revs(rows) == {BASE}


def only_sets(*sets: str) -> Check:
    def check(served: Served, rows: list[dict[str, Any]]) -> None:
        assert rows
        seen = {s for r in rows for s in (r.get("sets") or r.get("set_name") or "").split()}
        seen |= {r["attr_path"].split(".")[0] for r in rows if "attr_path" in r}
        assert seen == set(sets)

    return check


def empty(served: Served, rows: list[dict[str, Any]]) -> None:
    assert rows == []


# Findings per rule of the fixture, written down once and checked by hand
# against its packages where they can be: eval-error is the 15 error records
# (python312Packages has no nose, hence 7 there), non-normalized, variants and
# duplicate-claim as tests/test_audit.py has them; not-on-pypi and shadowing
# count tinygrad, to which PyPI's list gives no name (pyside2 it names: its
# pname and its download URL's folder spell pyside2). The newest revision renames
# six to Six and GitPython to gitpython: one non-normalized finding in, one
# out, the counts unchanged.
FIXTURE_COUNTS = {
    "not-on-pypi": 24, "eval-error": 15, "bad-pypi-url": 8, "non-normalized": 6,
    "multiple-versions": 4, "not-a-module": 4, "shadowing": 4, "variants": 4, "digit-first": 2,
    "duplicate-claim": 2, "non-pep440-version": 2, "pname-mismatch": 2, "version-mismatch": 2,
}  # fmt: skip
PY312_COUNTS = {
    rule: count // 2 for rule, count in FIXTURE_COUNTS.items() if rule != "eval-error"
} | {"eval-error": 7}


def counts_of(rev: str | None, counts: dict[str, int]) -> Check:
    def check(served: Served, rows: list[dict[str, Any]]) -> None:
        assert {r["rule"]: r["findings"] for r in rows} == counts
        assert revs(rows) == {rev or served.new}
        assert all(r["title"] for r in rows)

    return check


def rule_cases() -> list[tuple[str, dict[str, str], Check]]:
    cases: list[tuple[str, dict[str, str], Check]] = []
    for rule, triggers, near_misses in RULE_CASES:

        def fixture_cases(served: Served, rows: list[dict[str, Any]],
                          triggers: list[str] = triggers, near_misses: list[str] = near_misses) -> None:  # fmt: skip
            base(served, rows)
            assert set(triggers) <= attrs(rows)
            assert not attrs(rows) & set(near_misses)

        cases += [
            (rule, {}, newest),
            (rule, {"rev": BASE}, fixture_cases),
            (rule, {"rev": "1"}, base),  # a row id
            (rule, {"set": "python3Packages"}, only_sets("python313Packages")),
            (rule, {"set": "3.13", "rev": BASE[:7]}, only_sets("python313Packages")),
        ]
    return cases


def renamed_six(served: Served, rows: list[dict[str, Any]]) -> None:
    newest(served, rows)
    assert "Six" in attrs(rows) and "GitPython" not in attrs(rows)


def new_six(*sets: str) -> Check:
    def check(served: Served, rows: list[dict[str, Any]]) -> None:
        assert {(r["rule"], r["set_name"], r["attr"]) for r in rows} == {
            ("non-normalized", s, "Six") for s in sets
        }
        assert revs(rows) == {served.new} and revs(rows, "since") == {BASE}

    return check


def fixed_gitpython(served: Served, rows: list[dict[str, Any]]) -> None:
    assert {(r["rule"], r["set_name"], r["attr"]) for r in rows} == {
        ("non-normalized", s, "GitPython") for s in ("python312Packages", "python313Packages")
    }
    assert revs(rows) == {served.new} and revs(rows, "since") == {BASE}


def provides(*attr_paths: str, rev: str | None = None) -> Check:
    def check(served: Served, rows: list[dict[str, Any]]) -> None:
        assert [r["attr_path"] for r in rows] == list(attr_paths)
        assert revs(rows) == {rev or served.new}

    return check


def provides_everything(served: Served, rows: list[dict[str, Any]]) -> None:
    newest(served, rows)
    names = {r["pypi_name"] for r in rows}
    assert {"pyyaml", "django", "zope-interface", "3to2", "nose"} <= names
    (nose,) = [r for r in rows if r["attr_path"] == "python313Packages.nose"]
    assert nose["status"] == "disabled"


def history_of_six(*lines: tuple[str, str]) -> Check:
    def check(served: Served, rows: list[dict[str, Any]]) -> None:
        assert [(r["rev"], r["attributes"]) for r in rows] == [
            (rev.format(new=served.new), text) for rev, text in lines
        ]
        assert {r["channel"] for r in rows} == {"nixpkgs-unstable"}
        assert [r["date"] for r in rows] == ["2026-11-20", "2026-11-24"][: len(rows)]

    return check


def history_of_everything(served: Served, rows: list[dict[str, Any]]) -> None:
    assert revs(rows) == {BASE, served.new}
    assert {"pyyaml", "django", "six"} <= {r["pypi_name"] for r in rows}


def kinds(*expected: str) -> Check:
    def check(served: Served, rows: list[dict[str, Any]]) -> None:
        assert {r["kind"] for r in rows} == set(expected)
        assert all(r["findings"] >= r["attributes"] > 0 for r in rows)

    return check


SIX_12_13 = "python312Packages.{0} 1.17.0, python313Packages.{0} 1.17.0"

CASES: list[tuple[str, dict[str, str], Check]] = [
    ("findings-by-rule", {}, counts_of(None, FIXTURE_COUNTS)),
    ("findings-by-rule", {"rev": BASE[:8]}, counts_of(BASE, FIXTURE_COUNTS)),
    ("findings-by-rule", {"set": "3.12"}, counts_of(None, PY312_COUNTS)),
    *rule_cases(),
    ("non-normalized", {}, renamed_six),
    ("non-normalized", {"rev": "no-such-revision"}, empty),
    ("eval-errors-by-kind", {}, kinds("crash", "disabled", "removed")),
    ("eval-errors-by-kind", {"set": "3.12", "rev": BASE}, kinds("crash", "removed")),
    ("new-findings", {}, new_six("python312Packages", "python313Packages")),
    ("new-findings", {"rev": "{new}", "since": BASE}, new_six("python312Packages", "python313Packages")),  # noqa: E501
    ("new-findings", {"since": BASE[:10]}, new_six("python312Packages", "python313Packages")),
    ("new-findings", {"set": "python313Packages"}, new_six("python313Packages")),
    ("new-findings", {"rev": BASE}, empty),  # no audited revision before it
    ("fixed-findings", {}, fixed_gitpython),
    ("fixed-findings", {"rev": "2", "since": "1"}, fixed_gitpython),
    ("fixed-findings", {"set": "3.12"}, only_sets("python312Packages")),
    ("provides", {}, provides_everything),
    ("provides", {"project": "PyYAML"},
     provides("python312Packages.pyyaml", "python313Packages.pyyaml")),
    ("provides", {"project": "Django", "set": "3.13"},
     provides("python313Packages.django", "python313Packages.django_4", "python313Packages.django_5")),
    ("provides", {"project": "zope_interface", "set": "python3Packages"},
     provides("python313Packages.zope-interface")),
    ("provides", {"project": "six", "rev": BASE},
     provides("python312Packages.six", "python313Packages.six", rev=BASE)),
    ("provides", {"project": "six", "rev": "{new}"},
     provides("python312Packages.Six", "python313Packages.Six")),
    ("project-history", {}, history_of_everything),
    ("project-history", {"project": "SIX"},
     history_of_six((BASE, SIX_12_13.format("six")), ("{new}", SIX_12_13.format("Six")))),
    ("project-history", {"project": "six", "set": "3.13"},
     history_of_six((BASE, "python313Packages.six 1.17.0"), ("{new}", "python313Packages.Six 1.17.0"))),  # noqa: E501
    ("project-history", {"project": "six", "channel": "nixpkgs-unstable"},
     history_of_six((BASE, SIX_12_13.format("six")), ("{new}", SIX_12_13.format("Six")))),
    ("project-history", {"project": "six", "channel": "nixos-24.11"}, empty),
]  # fmt: skip


def test_every_query_and_parameter_has_a_case() -> None:
    assert {name for name, _, _ in CASES} == set(QUERIES)
    for name, query in QUERIES.items():
        assert any(n == name and not p for n, p, _ in CASES), f"{name} without parameters"
        tried = {param for n, params, _ in CASES if n == name for param in params}
        assert tried == set(query["params"]), name


@pytest.mark.parametrize(
    ("query", "params", "check"),
    CASES,
    ids=[f"{n}-{urllib.parse.urlencode(p) or 'no-parameters'}" for n, p, _ in CASES],
)
def test_canned_query(served: Served, query: str, params: dict[str, str], check: Check) -> None:
    rows = served.rows(query, **{k: v.format(new=served.new) for k, v in params.items()})
    check(served, rows)
