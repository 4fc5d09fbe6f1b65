"""Ingesting dumps: what each record becomes, all or nothing, shared storage."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from indexer.dump.format import read_dump
from indexer.errors import DatabaseError, MalformedDump, RevisionConflict
from indexer.query.index import Index
from indexer.store.factoring import input_derivations
from indexer.store.ingest import RevisionInfo, dump_lines, ingest, ingest_dump
from indexer.store.schema import SCHEMA_VERSION

from .helpers import edited


def rows(db: Path, sql: str, *args: Any) -> list[tuple[Any, ...]]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql, args).fetchall()


def counts(db: Path) -> dict[str, int]:
    tables = ["revisions", "package_sets", "packages", "inputs", "names", "eval_errors",
              "members", "position_spans", "input_versions"]  # fmt: skip
    return {t: rows(db, f"select count(*) from {t}")[0][0] for t in tables}


def package(
    db: Path, attr: str, set_name: str = "python313Packages", rev: str | None = None
) -> dict[str, Any]:
    """The package as a reader sees it (its factored strings expanded)."""
    with Index.open(db) as index:
        return index.show(f"{set_name}.{attr}", rev)[0]


# ---- what a record becomes ------------------------------------------------

# (attribute, set, PyPI name, name source, confidence, version)
IDENTITIES = [
    ("pyyaml", "python313Packages", "pyyaml", "purl", "verified", "6.0.2"),
    ("zope-interface", "python313Packages", "zope-interface", "purl", "verified", "7.2"),
    ("jaxlib-bin", "python313Packages", "jaxlib", "purl", "verified", "0.4.38"),
    ("attrs", "python313Packages", "attrs", "url", "verified", "24.3.0"),
    ("py3to2", "python313Packages", "3to2", "purl", "verified", "1.1.1"),
    ("GitPython", "python313Packages", "gitpython", "purl", "verified", "3.1.43"),
    ("django_4", "python313Packages", "django", "purl", "verified", "4.2.17"),
    ("h5py-mpi", "python313Packages", "h5py", "purl", "verified", "3.12.1"),
    ("torch", "python313Packages", "torch", "override", "declared", "2.5.1"),
    ("opencv4", "python313Packages", "opencv-python", "override", "declared", "4.10.0"),
    ("caffe", "python313Packages", None, "override", "declared", "1.0"),
    ("httpie", "python313Packages", "httpie", "pname", "inferred", "3.2.4"),
    ("tinygrad", "python313Packages", "tinygrad", "pname", "inferred", "unstable-2024-01-01"),
    # Disabled: the error message names the package.
    ("nose", "python313Packages", "nose", "name", "inferred", "1.3.7"),
    ("nose", "python312Packages", "nose", "purl", "verified", "1.3.7"),
]


@pytest.mark.parametrize(
    ("attr", "set_name", "pypi_name", "source", "confidence", "version"),
    IDENTITIES,
    ids=[f"{c[1]}.{c[0]}" for c in IDENTITIES],
)
def test_each_package_is_stored_with_its_pypi_identity(
    fixture_index: Path,
    attr: str,
    set_name: str,
    pypi_name: str | None,
    source: str,
    confidence: str,
    version: str,
) -> None:
    row = package(fixture_index, attr, set_name)
    assert (row["pypi_name"], row["name_source"], row["confidence"], row["version"]) == (
        pypi_name,
        source,
        confidence,
        version,
    )
    names = rows(fixture_index, "select pypi_name from names where package_id = ?", row["id"])
    assert names == ([(pypi_name,)] if pypi_name else [])


# (attribute, column, value)
FLAGS = [
    ("markupsafe", "version_mismatch", 1),
    ("markupsafe", "url_version", "3.0.1"),
    ("pyyaml", "version_mismatch", 0),
    ("tinygrad", "version_valid", 0),
    ("pyyaml", "version_valid", 1),
    ("python-dateutil", "version_normalized", "2.9.0.post0"),
    ("httpie", "application", 1),
    ("httpie", "python_module", 0),
    ("swig", "python_module", 0),
    ("swig", "application", 0),
    ("pyside2", "broken", 1),
    ("pyside2", "available", 0),
    ("PyGithub", "status", "alias"),
    ("PyGithub", "alias_target", "pygithub"),
    ("pyqt4", "status", "null"),
    ("buildPythonPackage", "status", "not-derivation"),
    ("nose", "error_kind", "disabled"),
    ("pytest-runner", "error_kind", "removed"),
    ("abort-on-eval", "error_kind", "crash"),
    (
        "pyyaml",
        "fetchpypi_pname",
        None,
    ),  # today's fetchPypi passes no pname: only its purl says PyYAML
    ("requests", "inputs_from", "declared"),
    ("opencv4", "inputs_from", "derivation"),
]


@pytest.mark.parametrize(("attr", "column", "value"), FLAGS, ids=[f"{a}.{c}" for a, c, _ in FLAGS])
def test_package_columns(fixture_index: Path, attr: str, column: str, value: object) -> None:
    assert package(fixture_index, attr)[column] == value


def test_positions_belong_to_the_revision(fixture_index: Path) -> None:
    position = package(fixture_index, "pyyaml")["position"]
    assert position == "pkgs/development/python-modules/pyyaml/default.nix:11"
    # The same in both sets: one span for the attribute (set 0), none per set.
    assert rows(fixture_index, "select set_id from position_spans where attr = 'pyyaml'") == [(0,)]


def test_a_moved_definition_is_not_stored_again(tmp_path: Path, fixture_lines: list[bytes]) -> None:
    # An edit above a package in a shared file moves its position only.
    db = tmp_path / "index.sqlite"
    ingest(db, dump_lines(fixture_lines), RevisionInfo(rev="r1"))

    def move(r: dict[str, Any]) -> dict[str, Any]:
        if isinstance(r.get("position"), str):
            path, _, line = r["position"].rpartition(":")
            return {**r, "position": f"{path}:{int(line) + 3}"}
        return r

    second = ingest(db, dump_lines(edited(fixture_lines, move)), RevisionInfo(rev="r2"))
    assert second.new_packages == 0
    lines = [package(db, "six", rev=rev)["position"] for rev in ("r1", "r2")]
    assert [line.rpartition(":")[2] for line in lines] == ["9", "12"]


def test_eval_errors_keep_kind_cause_and_message(fixture_index: Path) -> None:
    attrs = rows(
        fixture_index,
        "select p.attr from eval_errors e join packages p on p.id = e.package_id"
        " join revision_packages rp on rp.package_id = p.id"
        " where rp.set_name = 'python313Packages'",
    )
    errors = {}
    for (attr,) in attrs:
        error = package(fixture_index, attr)["error"]
        errors[attr] = f"{error['kind']}:{error['cause'] or ''}:{error['message']}"
    assert errors["infinite-recursion"] == "crash:infinite-recursion:infinite recursion encountered"
    assert errors["nose"] == "disabled::nose-1.3.7 not supported for interpreter python3.13"
    assert errors["stack-overflow"].startswith("crash:")


def inputs_of(db: Path, attr: str) -> list[tuple[Any, ...]]:
    return [
        (i["list_key"], i["kind"], i["name"], i["python"], i["native"], i["pypi_name"], i["extra"])
        for i in package(db, attr)["inputs"]
    ]


def test_inputs_are_split_into_python_and_native(fixture_index: Path) -> None:
    requests = inputs_of(fixture_index, "requests")
    assert ("dependencies", "dependencies", "python3.13-idna-3.10", 1, 0, "idna", None) in requests
    assert ("build-system", "build-system", "python3.13-setuptools-75.6.0", 1, 0, "setuptools",
            None) in requests  # fmt: skip
    # Check inputs as the author declared them, though the derivation drops them.
    assert ("nativeCheckInputs", "native-check", "python3.13-pytest-mock-3.14.0", 1, 0,
            "pytest-mock", None) in requests  # fmt: skip
    # A setup hook is neither a Python module nor a native to inherit.
    assert ("nativeCheckInputs", "native-check", "pytest-check-hook", 0, 0, None, None) in requests
    assert ("optional-dependencies", "optional", "python3.13-pysocks-1.7.1", 1, 0, "pysocks",
            "socks") in requests  # fmt: skip
    natives = {r[2] for r in inputs_of(fixture_index, "cryptography") if r[4]}
    assert natives == {"pkg-config-0.29.2", "rustc-1.83.0", "cargo-1.83.0", "openssl-3.3.2"}


def test_python_inputs_are_named_by_their_pypi_identity(fixture_index: Path) -> None:
    # PyYAML's own record says PyYAML; an input "python3.13-pyyaml-6.0.2" gets
    # its canonical name through that record, the same for every consumer.
    names = {r[5] for r in inputs_of(fixture_index, "GitPython") if r[3]}
    assert names == {"gitdb", "setuptools"}


# ---- all or nothing -----------------------------------------------------


def test_every_record_is_one_membership_and_the_sets_share_rows(
    fixture_index: Path, fixture_lines: list[bytes]
) -> None:
    records = sum(1 for line in fixture_lines if b'"type":"attr"' in line)
    n = counts(fixture_index)
    assert n["revisions"] == 1
    assert n["members"] == records
    # python312Packages and python313Packages differ in a few packages only.
    assert records / 2 <= n["packages"] < records * 0.6
    assert rows(fixture_index, "select name, python_version, same_as from package_sets") == [
        ("python312Packages", "3.12", "[]"),
        ("python313Packages", "3.13", '["python3Packages"]'),
    ]


def test_ingesting_the_same_dump_twice_changes_nothing(
    tmp_path: Path, fixture_lines: list[bytes]
) -> None:
    db = tmp_path / "index.sqlite"
    first = ingest(db, dump_lines(fixture_lines), RevisionInfo(rev="r1"))
    before = counts(db)
    again = ingest(db, dump_lines(fixture_lines), RevisionInfo(rev="r1"))
    assert not first.already_indexed and again.already_indexed
    assert again.revision_id == first.revision_id
    assert counts(db) == before
    # Without a rev the dump's hash names the revision: the same dump is the same revision.
    unnamed = ingest(db, dump_lines(fixture_lines))
    assert unnamed.rev.startswith("dump-") and not unnamed.already_indexed
    assert ingest(db, dump_lines(fixture_lines)).already_indexed


def table_contents(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    tables = ["revisions", "package_sets", "packages", "inputs", "names", "eval_errors",
              "positions", "members", "position_spans", "input_versions"]  # fmt: skip
    # indexed_at is the time of the ingest.
    return {
        t: rows(db, f"select * from {t} order by 1, 2")
        if t != "revisions"
        else rows(db, "select rev, dump_sha256, records, counts, mapping_version from revisions")
        for t in tables
    }


def test_a_dump_in_memory_is_stored_as_its_file_would_be(
    tmp_path: Path, primary_dump: Any, fixture_lines: list[bytes]
) -> None:
    # What `index` does: the records `dump` made, with no trip through JSON.
    result = primary_dump.result
    before = json.dumps([result.header, result.records, result.footer], sort_keys=True)
    from_file = ingest(tmp_path / "file.sqlite", dump_lines(fixture_lines))
    in_memory = ingest_dump(tmp_path / "memory.sqlite", result)
    assert in_memory.rev == from_file.rev  # the dump's hash
    assert (in_memory.records, in_memory.new_packages, in_memory.counts) == (
        from_file.records,
        from_file.new_packages,
        from_file.counts,
    )
    assert table_contents(tmp_path / "memory.sqlite") == table_contents(tmp_path / "file.sqlite")
    # The dump is left as it was (the caller may still write it).
    assert json.dumps([result.header, result.records, result.footer], sort_keys=True) == before
    # Each file line is parsed once into the same dump.
    assert read_dump(fixture_lines).records == result.records


def test_a_dump_in_memory_is_checked_like_a_file(
    tmp_path: Path, fixture_lines: list[bytes]
) -> None:
    dump = read_dump(fixture_lines)
    dump.footer["records"] -= 1
    with pytest.raises(MalformedDump, match="the footer counts"):
        ingest_dump(tmp_path / "index.sqlite", dump)
    dump = read_dump(fixture_lines)
    dump.header["schema"] = 99
    with pytest.raises(MalformedDump, match="line 1: dump schema 99"):
        ingest_dump(tmp_path / "index.sqlite", dump)
    assert not (tmp_path / "index.sqlite").exists()


def test_the_same_rev_from_another_dump_is_a_conflict(
    tmp_path: Path, fixture_lines: list[bytes]
) -> None:
    db = tmp_path / "index.sqlite"
    ingest(db, dump_lines(fixture_lines), RevisionInfo(rev="r1"))
    other = edited(fixture_lines, lambda r: r if r["attr"] != "six" else None)
    with pytest.raises(RevisionConflict, match="r1 is indexed already"):
        ingest(db, dump_lines(other), RevisionInfo(rev="r1"))


def malformed_at(lines: list[bytes], number: int, text: bytes) -> list[bytes]:
    broken = list(lines)
    broken[number - 1] = text
    return broken


@pytest.mark.parametrize(
    ("number", "text", "message"),
    [
        (50, b'{"type":"attr","set":"python313Packages",\n', "line 50: not JSON"),
        (7, b"[1, 2]\n", "line 7: not a dump record"),
        (9, b'{"type":"attr","attr":"x","status":"ok"}\n', "line 9: record without 'set'"),
        (1, b'{"type":"header","schema":99}\n', "line 1: dump schema 99"),
        (3, b'{"type":"mystery"}\n', "line 3: unknown record type"),
    ],
    ids=["truncated-json", "not-an-object", "no-set", "schema", "unknown-type"],
)
def test_a_malformed_line_aborts_with_its_number_and_leaves_the_database(
    tmp_path: Path, fixture_lines: list[bytes], number: int, text: bytes, message: str
) -> None:
    db = tmp_path / "index.sqlite"
    ingest(db, dump_lines(fixture_lines), RevisionInfo(rev="good"))
    before = counts(db)
    with pytest.raises(MalformedDump, match=message):
        ingest(db, dump_lines(malformed_at(fixture_lines, number, text)), RevisionInfo(rev="bad"))
    assert counts(db) == before


def test_a_truncated_dump_is_refused(tmp_path: Path, fixture_lines: list[bytes]) -> None:
    db = tmp_path / "index.sqlite"
    with pytest.raises(MalformedDump, match="truncated dump: no footer"):
        ingest(db, dump_lines(fixture_lines[:100]))
    # The database the failed ingest would have created is not left behind.
    assert not db.exists()


def test_a_failure_while_writing_rolls_the_revision_back(
    tmp_path: Path, fixture_lines: list[bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    import indexer.store.ingest as ingest_module

    db = tmp_path / "index.sqlite"
    ingest(db, dump_lines(fixture_lines), RevisionInfo(rev="r1"))
    before = counts(db)
    calls = {"n": 0}
    real = ingest_module._Storing._package_id

    def failing(self: Any, record: dict[str, Any], identity: Any) -> int:
        calls["n"] += 1
        if calls["n"] == 120:
            raise OSError("disk on fire")
        return real(self, record, identity)

    monkeypatch.setattr(ingest_module._Storing, "_package_id", failing)
    bumped = edited(fixture_lines, lambda r: {**r, "description": "changed"})
    with pytest.raises(OSError, match="disk on fire"):
        ingest(db, dump_lines(bumped), RevisionInfo(rev="r2"))
    assert counts(db) == before


def test_a_record_with_only_a_name_gets_its_version_from_it(
    tmp_path: Path, fixture_lines: list[bytes]
) -> None:
    # 2018 nixpkgs: `name = "psycopg2-2.7.1"`, no version attribute.
    def drop_version(r: dict[str, Any]) -> dict[str, Any]:
        if r["attr"] == "six" and r["status"] == "ok":
            return {**r, "version": None, "pname": None}
        return r

    db = tmp_path / "index.sqlite"
    ingest(db, dump_lines(edited(fixture_lines, drop_version)))
    six = package(db, "six")
    assert (six["version"], six["version_normalized"], six["pypi_name"]) == (
        "1.17.0",
        "1.17.0",
        "six",
    )


# ---- shared storage -----------------------------------------------------


def test_a_revision_stores_only_the_packages_that_changed(
    tmp_path: Path, fixture_lines: list[bytes]
) -> None:
    db = tmp_path / "index.sqlite"
    first = ingest(db, dump_lines(fixture_lines), RevisionInfo(rev="r1"))

    def bump_six(r: dict[str, Any]) -> dict[str, Any]:
        # six's record, and every input that names it: its dependents'.
        for item in input_derivations(r.get("inputs")):
            if item.get("pname") == "six":
                item.update(version="1.18.0", name=item["name"].replace("1.17.0", "1.18.0"))
        if r["attr"] == "six" and r["status"] == "ok":
            return {**r, "version": "1.18.0", "name": r["name"].replace("1.17.0", "1.18.0")}
        return r

    bumped = edited(fixture_lines, bump_six)
    assert sum(b"six-1.18.0" in line for line in bumped) > 2  # six has dependents
    second = ingest(db, dump_lines(bumped), RevisionInfo(rev="r2"))
    assert second.new_packages == 1  # six, one row for python312Packages and python313Packages
    n = counts(db)
    assert n["packages"] == first.new_packages + 1
    # Two spans more for each set's six; every other member's span goes on.
    assert n["members"] == first.records + 2
    versions = [(rev, package(db, "six", rev=rev)["version"]) for rev in ("r1", "r2")]
    assert versions == [("r1", "1.17.0"), ("r2", "1.18.0")]


# ---- the database itself ------------------------------------------------


def test_a_database_of_another_schema_version_is_refused(
    tmp_path: Path, fixture_index: Path, fixture_lines: list[bytes]
) -> None:
    db = tmp_path / "old.sqlite"
    shutil.copy(fixture_index, db)
    with sqlite3.connect(db) as conn:
        conn.execute("update meta set value = '99' where key = 'schema_version'")
    with pytest.raises(
        DatabaseError, match=f"schema version 99, .* reads version {SCHEMA_VERSION}"
    ):
        ingest(db, dump_lines(fixture_lines), RevisionInfo(rev="r2"))


def test_a_foreign_sqlite_file_is_refused(tmp_path: Path, fixture_lines: list[bytes]) -> None:
    db = tmp_path / "other.sqlite"
    with sqlite3.connect(db) as conn:
        conn.execute("create table t (x)")
    with pytest.raises(DatabaseError, match="not a nixpkgs-pyindex database"):
        ingest(db, dump_lines(fixture_lines))
    assert rows(db, "select name from sqlite_master") == [("t",)]


def test_the_index_is_in_wal_mode(fixture_index: Path) -> None:
    assert rows(fixture_index, "pragma journal_mode") == [("wal",)]


def test_a_refused_database_is_not_left_open(tmp_path: Path, fixture_lines: list[bytes]) -> None:
    # A scheduled job must be able to move or unmount the file it refused.
    db = tmp_path / "other.sqlite"
    with sqlite3.connect(db) as conn:
        conn.execute("create table t (x)")
    conn.close()
    with pytest.raises(DatabaseError):
        ingest(db, dump_lines(fixture_lines))
    open_files = {os.path.realpath(f"/proc/self/fd/{fd}") for fd in os.listdir("/proc/self/fd")}
    assert str(db.resolve()) not in open_files


def test_a_schema_1_dump_is_still_read(tmp_path: Path, fixture_lines: list[bytes]) -> None:
    # Version 1 had the wall time in its footer, and nothing else this reader uses.
    header = json.loads(fixture_lines[0])
    footer = json.loads(fixture_lines[-1])
    old = [
        json.dumps({**header, "schema": 1}).encode() + b"\n",
        *fixture_lines[1:-1],
        json.dumps({**footer, "seconds": 0.3}).encode() + b"\n",
    ]
    db = tmp_path / "index.sqlite"
    result = ingest(db, dump_lines(old), RevisionInfo(rev="old"))
    assert result.records == len(fixture_lines) - 2


@pytest.mark.parametrize(
    ("attr", "hooks"),
    [
        # maturin: today's Rust hooks are named like files.
        ("rpds-py", {"cargo-setup-hook.sh", "maturin-build-hook.sh", "pytest-check-hook"}),
        # sphinxHook is named python3.13-sphinx-hook but has no pythonModule.
        ("pyjwt", {"python3.13-sphinx-hook", "pytest-check-hook"}),
    ],
)
def test_a_hook_is_neither_a_python_input_nor_a_native(
    fixture_index: Path, attr: str, hooks: set[str]
) -> None:
    inputs = inputs_of(fixture_index, attr)
    assert {
        name for _, _, name, python, native, _, _ in inputs if not python and not native
    } == hooks
    assert not any(python or native for _, _, name, python, native, _, _ in inputs if name in hooks)
    assert {name for _, _, name, _, native, _, _ in inputs if native} == set()
