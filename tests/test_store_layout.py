"""Schema 2's layout: factored strings, spans over a channel, and storage
that grows with change (indexer/store/factoring.py, spans.py, ingest.py)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from indexer.store import spans
from indexer.store.factoring import (
    INPUT_VERSION,
    INTERPRETER,
    LIB_PREFIX,
    SetStrings,
    can_factor,
    can_factor_json,
    expand,
    expand_json,
    factor,
    factor_json,
    input_derivations,
    version_template,
)
from indexer.store.ingest import IngestResult, RevisionInfo, dump_lines, ingest
from indexer.store.writer import Writer

from .helpers import edited

PY313 = SetStrings("python3.13", "python3-3.13.1")

# ---- factoring: every string comes back as it was ----------------------------


@pytest.mark.parametrize(
    ("text", "strings", "factored"),
    [
        ("python3.13-pyyaml-6.0.2", PY313, f"{LIB_PREFIX}-pyyaml-6.0.2"),
        ("python3-3.13.1", PY313, INTERPRETER),
        ("nose-1.3.7 not supported for interpreter python3.13", PY313,
         f"nose-1.3.7 not supported for interpreter {LIB_PREFIX}"),
        ("python3.12-pyyaml-6.0.2", PY313, "python3.12-pyyaml-6.0.2"),  # another set's: kept
        ("libyaml-0.2.5", PY313, "libyaml-0.2.5"),
        # pypy's name holds its libPrefix: the longer string factors first, whole.
        ("pypy3.10-7.3.17", SetStrings("pypy3.10", "pypy3.10-7.3.17"), INTERPRETER),
        ("pypy3.10-numpy-2.1", SetStrings("pypy3.10", "pypy3.10-7.3.17"),
         f"{LIB_PREFIX}-numpy-2.1"),
        ("python2.7-six-1.11.0", SetStrings("python2.7", None), f"{LIB_PREFIX}-six-1.11.0"),
        ("python2.7-six-1.11.0", SetStrings(None, None), "python2.7-six-1.11.0"),
        ("", PY313, ""),
    ],  # fmt: skip
)
def test_factoring_a_string_and_expanding_it_gives_it_back(
    text: str, strings: SetStrings, factored: str
) -> None:
    assert can_factor(text)
    assert factor(text, strings) == factored
    assert expand(factor(text, strings), strings) == text


@pytest.mark.parametrize(
    ("text", "plain", "as_json"),
    [
        ("a\x01b", False, False),
        ("a\x03", False, False),
        ("a\\u0001b", True, False),  # a backslash before u0001 reads as an escape in JSON text
        ("tab\there", True, True),  # orjson escapes a tab as \t, not \u0009
        ("bell\x07", True, False),
        ("python3.13 plain", True, True),
    ],
)
def test_text_holding_a_placeholder_or_a_control_escape_is_not_factored(
    text: str, plain: bool, as_json: bool
) -> None:
    import orjson

    assert can_factor(text) is plain
    assert can_factor_json(orjson.dumps({"description": text}).decode()) is as_json


@pytest.mark.parametrize(
    ("name", "version", "template"),
    [
        ("python3.13-pytest-8.3.3", "8.3.3", f"python3.13-pytest-{INPUT_VERSION}"),
        ("openssl-3.3.2", "3.3.2", f"openssl-{INPUT_VERSION}"),
        ("pkg-config-wrapper-0.29.2", "0.29.2", f"pkg-config-wrapper-{INPUT_VERSION}"),
        ("hook", None, None),
        ("foo-1.0-dev", "1.0", None),  # the name does not end in the version
        ("foo-1.0", "", None),
        ("foo1.0", "1.0", None),  # no dash before it
    ],
)
def test_an_input_is_stored_by_reference_only_when_its_name_ends_in_its_version(
    name: str, version: str | None, template: str | None
) -> None:
    assert version_template(name, version) == template


def test_a_factored_json_record_expands_to_the_same_text() -> None:
    import orjson

    record = {
        "attr": "pyyaml",
        "name": "python3.13-pyyaml-6.0.2",
        "interpreter": "python3-3.13.1",
        "inputs": {"dependencies": [{"name": f"python3.13-cython-{INPUT_VERSION}",
                                     "pname": "cython", "version": INPUT_VERSION}]},
        "description": 'quotes " and \\ backslashes',
    }  # fmt: skip
    text = orjson.dumps(record, option=orjson.OPT_SORT_KEYS).decode()
    factored = factor_json(text, PY313)
    assert "python3.13" not in factored and "python3-3.13.1" not in factored
    json.loads(factored)  # still JSON, as SQLite's json_extract needs
    versions = {f"{LIB_PREFIX}-cython-{INPUT_VERSION}": "3.0.11"}
    expected = orjson.dumps(
        {**record, "inputs": {"dependencies": [
            {"name": "python3.13-cython-3.0.11", "pname": "cython", "version": "3.0.11"}]}},
        option=orjson.OPT_SORT_KEYS,
    ).decode()  # fmt: skip
    assert expand_json(factored, PY313, versions) == expected


# ---- spans: what each revision holds, and how many rows it takes -------------

HISTORIES = [
    # keys per revision → spans stored
    pytest.param([{"a"}, {"a"}, {"a"}], 1, id="unchanged-one-span"),
    pytest.param([{"a"}, {"b"}, {"a"}], 3, id="back-and-forth-three-spans"),
    pytest.param([{"a", "b"}, {"a"}, {"a", "b"}], 3, id="removed-then-back"),
    pytest.param([set(), {"a"}, set(), set()], 1, id="one-revision-only"),
    pytest.param([{"a", "b", "c"}] * 10, 3, id="ten-revisions-three-keys"),
]


def _chain(tmp_path: Path) -> tuple[Writer, Callable[[set[str]], int]]:
    writer = Writer.connect(tmp_path / "spans.sqlite")

    def add(keys: set[str]) -> int:
        with writer.transaction():
            revision_id, chain_id = writer.add_revision(
                rev=f"r{len(keys)}-{writer.conn.execute('select count(*) from revisions').fetchone()[0]}",
                channel="c", date=None, source=None, nixpkgs_version=None, nix_version=None,
                system=None, indexed_at="2026-12-07T00:00:00+00:00", dump_sha256="x",
                mapping_version="m", records=0, counts={},
            )  # fmt: skip
            positions = [(k, 0, writer.position_id(f"{k}.nix:1") or 0) for k in sorted(keys)]
            writer.add_spans(chain_id, revision_id, members=[], positions=positions,
                             input_versions=[])  # fmt: skip
        return revision_id

    return writer, add


def _held(conn: sqlite3.Connection, table: str, column: str, revision_id: int) -> set[Any]:
    return {
        row[0]
        for row in conn.execute(
            f"select s.{column} from {table} s where {spans.covers('s', '?')}", [revision_id] * 3
        )
    }


@pytest.mark.parametrize(("history", "stored"), HISTORIES)
def test_spans_hold_exactly_each_revisions_keys(
    tmp_path: Path, history: list[set[str]], stored: int
) -> None:
    writer, add = _chain(tmp_path)
    ids = [add(keys) for keys in history]
    for revision_id, keys in zip(ids, history, strict=True):
        assert _held(writer.conn, "position_spans", "attr", revision_id) == keys
    assert writer.conn.execute("select count(*) from position_spans").fetchone()[0] == stored
    writer.close()


@pytest.mark.parametrize("audited", [0, 1, 2])
def test_storing_a_revisions_findings_again_changes_that_revision_only(
    tmp_path: Path, audited: int
) -> None:
    writer, add = _chain(tmp_path)
    ids = [add(set()) for _ in range(3)]
    row = ("rule:set:attr:x", "rule", "set", "attr", "x", "message", None, "{}")
    other = ("rule:set:other:y", "rule", "set", "other", "y", "message", None, "{}")
    for revision_id in ids:
        writer.replace_findings(revision_id, audited_at="t", pypi_names_source=None, counts={},
                                findings=[row])  # fmt: skip
    assert writer.conn.execute("select count(*) from finding_spans").fetchone()[0] == 1
    writer.replace_findings(ids[audited], audited_at="t", pypi_names_source=None, counts={},
                            findings=[other])  # fmt: skip
    for n, revision_id in enumerate(ids):
        held = _held(writer.conn, "finding_spans", "finding_id", revision_id)
        keys = {k for (k,) in writer.conn.execute(
            f"select key from findings where id in ({','.join(map(str, held)) or 'null'})")}  # fmt: skip
        assert keys == ({other[0]} if n == audited else {row[0]})
    assert writer.conn.execute("select count(*) from findings").fetchone()[0] == 2
    writer.close()


# ---- ingest: one row per change --------------------------------------------------


def _ingest(db: Path, lines: list[bytes], rev: str) -> IngestResult:
    return ingest(db, dump_lines(lines), RevisionInfo(rev=rev, channel="unstable"))


def _bump_input(name: str, old: str, new: str) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """Every record whose inputs name `name` at `old` now has it at `new`."""

    def edit(record: dict[str, Any]) -> dict[str, Any]:
        for item in input_derivations(record.get("inputs")):
            if item.get("pname") == name and item.get("version") == old:
                item["name"] = item["name"][: -len(old)] + new
                item["version"] = new
        return record

    return edit


def test_one_package_in_two_sets_is_stored_once(fixture_lines: list[bytes], tmp_path: Path) -> None:
    db = tmp_path / "i.sqlite"
    result = _ingest(db, fixture_lines, "r1")
    conn = sqlite3.connect(db)
    (members,) = conn.execute("select count(*) from members").fetchone()
    assert members == result.records
    # Every record of python312Packages shares its row with python313Packages',
    # but where the two differ in more than their interpreter's strings.
    shared = conn.execute(
        "select count(*) from members a join members b on a.package_id = b.package_id"
        " and a.set_id < b.set_id"
    ).fetchone()[0]
    assert shared > result.records / 3
    assert result.new_packages == result.records - shared


def test_a_dependencys_bump_stores_the_dependency_alone(
    fixture_lines: list[bytes], tmp_path: Path
) -> None:
    db = tmp_path / "i.sqlite"
    _ingest(db, fixture_lines, "r1")
    bumped = edited(fixture_lines, _bump_input("openssl", "3.3.2", "3.3.3"))
    assert bumped != fixture_lines
    assert _ingest(db, bumped, "r2").new_packages == 0  # openssl is no record of its own
    conn = sqlite3.connect(db)
    versions = dict(conn.execute(
        "select r.rev, v.version from input_versions v join revisions r"
        " on r.chain_id = v.chain_id and r.id between v.first_id and v.last_id"
        " where v.name = 'openssl-' || char(3) group by r.rev"))  # fmt: skip
    assert versions == {"r1": "3.3.2", "r2": "3.3.3"}


def test_the_stored_record_is_the_dumped_record(fixture_lines: list[bytes], tmp_path: Path) -> None:
    """Factoring loses nothing: every record comes back as the dump had it,
    in a revision where an input was bumped too."""
    db = tmp_path / "i.sqlite"
    _ingest(db, fixture_lines, "r1")
    bumped = edited(fixture_lines, _bump_input("openssl", "3.3.2", "3.3.3"))
    _ingest(db, bumped, "r2")
    conn = sqlite3.connect(db)
    (revision_id,) = conn.execute("select id from revisions where rev = 'r2'").fetchone()
    import orjson

    for line in bumped:
        record = orjson.loads(line)
        if record["type"] != "attr":
            continue
        text, factored = conn.execute(
            "select p.record, p.factored from packages p join members m on m.package_id = p.id"
            " join sets st on st.id = m.set_id"
            f" where {spans.covers('m', '?')} and st.name = ? and p.attr = ?",
            [revision_id] * 3 + [record["set"], record["attr"]],
        ).fetchone()
        if factored:
            strings = SetStrings(*conn.execute(
                "select lib_prefix, interpreter from package_sets where revision_id = ? and name = ?",
                [revision_id, record["set"]]).fetchone())  # fmt: skip
            versions = dict(conn.execute(
                "select v.name, v.version from input_versions v join sets st on st.id = v.set_id"
                f" where {spans.covers('v', '?')} and st.name = ?",
                [revision_id] * 3 + [record["set"]]))  # fmt: skip
            text = expand_json(text, strings, versions)
        stored = orjson.loads(text)
        expected = {k: v for k, v in record.items() if k not in ("set", "position")}
        assert stored == expected, record["attr"]


def test_a_set_repeating_another_is_marked(fixture_lines: list[bytes], tmp_path: Path) -> None:
    """2018's python2Packages repeated python27Packages record for record."""
    import orjson

    lines: list[bytes] = []
    for line in fixture_lines:
        value = orjson.loads(line)
        if value["type"] == "header":
            copy = dict(next(s for s in value["sets"] if s["set"] == "python313Packages"))
            value["sets"].append({**copy, "set": "python313Copy", "same_as": []})
        lines.append(orjson.dumps(value) + b"\n")
        if value["type"] == "attr" and value["set"] == "python313Packages":
            lines.append(orjson.dumps({**value, "set": "python313Copy"}) + b"\n")
    lines = edited(lines, lambda r: r)  # the footer's counts
    db = tmp_path / "i.sqlite"
    result = _ingest(db, lines, "r1")
    alone = _ingest(tmp_path / "alone.sqlite", fixture_lines, "r1")
    assert result.new_packages == alone.new_packages  # no row more
    conn = sqlite3.connect(db)
    marked = dict(conn.execute("select name, same_records_as from package_sets"))
    assert marked == {"python312Packages": None, "python313Packages": None,
                      "python313Copy": "python313Packages"}  # fmt: skip


def test_an_open_index_sees_revisions_added_and_pruned_in_history(
    fixture_lines: list[bytes], tmp_path: Path
) -> None:
    from indexer.query.history import project_history
    from indexer.query.index import Index

    db = tmp_path / "i.sqlite"
    _ingest(db, fixture_lines, "r1")
    with Index.open(db) as index:
        assert [e.rev for e in project_history(index, "six")] == ["r1"]
        _ingest(db, edited(fixture_lines, _bump_input("openssl", "3.3.2", "3.3.3")), "r2")
        assert [e.rev for e in project_history(index, "six")] == ["r1", "r2"]
        with Writer.open(db) as writer:
            assert writer.prune_channel("unstable", 1) == ["r1"]
        assert [e.rev for e in project_history(index, "six")] == ["r2"]
