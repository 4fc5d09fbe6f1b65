"""Ingest with PyPI's list: names decided by it, the list recorded per revision, rows shared."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from indexer.pypinames import PyPINames, load_pypi_names, load_pypi_names_option
from indexer.store.ingest import RevisionInfo, dump_lines, ingest
from tests.helpers import cli


def names_file(path: Path, names: list[str], mtime: int) -> PyPINames:
    path.write_text("\n".join(names) + "\n")
    os.utime(path, (mtime, mtime))
    return load_pypi_names(str(path))


def named(db: Path, rev: str, attr: str) -> tuple[str | None, str, str]:
    """A package's PyPI name in a revision, its source and its first evidence."""
    with sqlite3.connect(db) as conn:
        row = conn.execute(
            "select p.pypi_name, p.name_source, p.name_evidence from revision_packages rp"
            " join revisions r on r.id = rp.revision_id join packages p on p.id = rp.package_id"
            " where r.rev = ? and p.attr = ? limit 1",
            [rev, attr],
        ).fetchone()
    return row[0], row[1], json.loads(row[2])[0]


def tinygrad(db: Path, rev: str) -> tuple[str | None, str, str]:
    return named(db, rev, "tinygrad")


def listed(db: Path) -> list[tuple[str, str | None, int | None]]:
    with sqlite3.connect(db) as conn:
        return conn.execute(
            "select rev, pypi_names_date, pypi_names_count from revisions order by id"
        ).fetchall()


def test_none_is_no_list() -> None:
    assert load_pypi_names_option("none") is None
    assert load_pypi_names_option(None) is None


def test_the_list_names_a_package_and_is_recorded_and_only_what_it_read_keys_the_row(
    tmp_path: Path, fixture_lines: list[bytes]
) -> None:
    db = tmp_path / "index.sqlite"
    plain = ingest(db, dump_lines(fixture_lines), RevisionInfo(rev="r0"))
    assert tinygrad(db, "r0")[:2] == ("tinygrad", "pname")
    # tinygrad is built from GitHub: its pname and its repository name it.
    first = names_file(tmp_path / "a.txt", ["tinygrad", "six"], 1_700_000_000)
    one = ingest(db, dump_lines(fixture_lines), RevisionInfo(rev="r1"), pypi_names=first)
    assert tinygrad(db, "r1")[:2] == ("tinygrad", "pypi-list")
    assert one.new_packages > 0  # another mapping: new rows
    # A list of another day, with another project none of the packages looks
    # for: the same rows (storage does not grow with the list).
    later = names_file(tmp_path / "b.txt", ["tinygrad", "six", "zzz-unrelated"], 1_800_000_000)
    two = ingest(db, dump_lines(fixture_lines), RevisionInfo(rev="r2"), pypi_names=later)
    assert two.new_packages == 0
    # tinygrad gone from the list: it has no PyPI name, with the reason.
    gone = names_file(tmp_path / "c.txt", ["six"], 1_800_000_000)
    three = ingest(db, dump_lines(fixture_lines), RevisionInfo(rev="r3"), pypi_names=gone)
    assert three.new_packages > 0
    name, source, why = tinygrad(db, "r3")
    assert (name, source) == (None, "pypi-list")
    assert why.startswith("not on PyPI: ")
    assert listed(db) == [
        ("r0", None, None),
        ("r1", "2023-11-14T22:13:20Z", 2),
        ("r2", "2027-01-15T08:00:00Z", 3),
        ("r3", "2027-01-15T08:00:00Z", 1),
    ]
    assert plain.new_packages > 0


def names_in(db: Path, rev: str) -> list[tuple[object, ...]]:
    """Every package's name and every input's, as a revision has them."""
    with sqlite3.connect(db) as conn:
        packages = conn.execute(
            "select rp.set_name, p.attr, p.pypi_name, p.name_source, p.confidence,"
            " p.name_evidence from revision_packages rp join revisions r on r.id = rp.revision_id"
            " join packages p on p.id = rp.package_id where r.rev = ?",
            [rev],
        ).fetchall()
        inputs = conn.execute(
            "select rp.set_name, p.attr, i.seq, i.pypi_name from revision_packages rp"
            " join revisions r on r.id = rp.revision_id join packages p on p.id = rp.package_id"
            " join inputs i on i.package_id = p.id where r.rev = ?",
            [rev],
        ).fetchall()
    return sorted(packages + inputs, key=repr)


def with_tinygrad_as_an_input(lines: list[bytes]) -> list[bytes]:
    """The fixture's dump where every other ok record of tinygrad's set takes
    tinygrad as an input: an input named by a name PyPI's list decides."""
    records = [json.loads(line) for line in lines]
    built = next(r for r in records if r.get("attr") == "tinygrad" and r["status"] == "ok")
    tinygrad_input = {"name": built["name"], "pname": built.get("pname"),
                      "version": built.get("version"), "python_module": True}  # fmt: skip
    for record in records:
        if (
            record.get("set") == built["set"]
            and record.get("status") == "ok"
            and record is not built
        ):
            record.setdefault("inputs", {}).setdefault("propagatedBuildInputs", []).append(
                tinygrad_input
            )
    return [json.dumps(r).encode() + b"\n" for r in records]


def test_a_revision_after_one_with_a_list_decides_again_only_where_the_list_changed(
    tmp_path: Path, fixture_lines: list[bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    import mapping.identity

    decided: list[str] = []
    decide = mapping.identity.decide_with_list

    def counting(record: Any, *list_and_releases: Any) -> Any:
        decided.append(record["attr"])
        return decide(record, *list_and_releases)

    monkeypatch.setattr(mapping.identity, "decide_with_list", counting)
    db = tmp_path / "index.sqlite"
    first = names_file(tmp_path / "a.txt", ["tinygrad", "six"], 1_700_000_000)
    ingest(db, dump_lines(fixture_lines), RevisionInfo(rev="r1"), pypi_names=first)
    assert "tinygrad" in decided
    # Another day's list with the same of every package's candidates: no
    # decision is worked out again, each is read back.
    decided.clear()
    later = names_file(tmp_path / "b.txt", ["tinygrad", "six", "zzz-unrelated"], 1_800_000_000)
    ingest(db, dump_lines(fixture_lines), RevisionInfo(rev="r2"), pypi_names=later)
    assert decided == []
    # A list without tinygrad: only the records that look it up are decided again.
    gone = names_file(tmp_path / "c.txt", ["six"], 1_800_000_000)
    ingest(db, dump_lines(fixture_lines), RevisionInfo(rev="r3"), pypi_names=gone)
    assert decided and set(decided) == {"tinygrad"}
    # And the names read back are the names a new index works out, inputs'
    # too (with tinygrad an input of every other package of its set).
    lines = with_tinygrad_as_an_input(fixture_lines)
    db = tmp_path / "inputs.sqlite"
    for rev, names in (("r1", first), ("r2", later), ("r3", gone)):
        ingest(db, dump_lines(lines), RevisionInfo(rev=rev), pypi_names=names)
        fresh = tmp_path / f"fresh-{rev}.sqlite"
        ingest(fresh, dump_lines(lines), RevisionInfo(rev=rev), pypi_names=names)
        assert names_in(db, rev) == names_in(fresh, rev)


def test_without_a_list_a_name_a_list_decided_is_not_reused(
    tmp_path: Path, fixture_lines: list[bytes]
) -> None:
    lines = with_tinygrad_as_an_input(fixture_lines)
    db = tmp_path / "index.sqlite"
    gone = names_file(tmp_path / "c.txt", ["six"], 1_800_000_000)
    ingest(db, dump_lines(lines), RevisionInfo(rev="r1"), pypi_names=gone)
    assert tinygrad(db, "r1")[:2] == (None, "pypi-list")
    ingest(db, dump_lines(lines), RevisionInfo(rev="r2"))
    fresh = tmp_path / "fresh.sqlite"
    ingest(fresh, dump_lines(lines), RevisionInfo(rev="r2"))
    assert names_in(db, "r2") == names_in(fresh, "r2")
    assert "tinygrad" in {row[-1] for row in names_in(db, "r2")}  # the input is named


@pytest.mark.parametrize(
    ("listed", "why"),
    [
        (["tinygrad"], "  why: PyPI list has tinygrad, named by homepage and nixpkgs and repo\n"),
        (["six"], "  why: not on PyPI: no candidate is both a PyPI project and named by two"),
    ],
)
def test_show_says_why_the_list_gave_a_name_or_none(
    tmp_path: Path, fixture_lines: list[bytes], listed: list[str], why: str
) -> None:
    db = tmp_path / "index.sqlite"
    names = names_file(tmp_path / "names.txt", listed, 1_800_000_000)
    ingest(db, dump_lines(fixture_lines), RevisionInfo(rev="r1"), pypi_names=names)
    shown = cli("show", "tinygrad", "--db", str(db))
    assert shown.returncode == 0, shown.stderr
    assert "  name_source: pypi-list\n" in shown.stdout
    assert why in shown.stdout


def releases_file(path: Path, releases: dict[str, str], mtime: int) -> PyPINames:
    rows = "".join(f"{name}\t{version}\n" for name, version in releases.items())
    path.write_text("name\tversion\n" + rows)
    os.utime(path, (mtime, mtime))
    return load_pypi_names(str(path))


def test_a_list_with_releases_drops_a_name_whose_newest_release_is_of_an_older_series(
    tmp_path: Path, fixture_lines: list[bytes]
) -> None:
    # docopt 0.6.2 is built from PyPI's sdist elsewhere; in the fixture its
    # pname, homepage (docopt.org) and tarball name it.
    db = tmp_path / "index.sqlite"
    steps = [
        ("r1", {"docopt": "0.6.2"}, "docopt"),
        ("r2", {"docopt": "0.6.9"}, "docopt"),  # a patch ahead or behind: the same
        ("r3", {"docopt": "0.5.0"}, None),  # an older series: another project
        ("r4", {"docopt": "0.6.2"}, "docopt"),
    ]
    for number, (rev, releases, expected) in enumerate(steps):
        names = releases_file(tmp_path / f"{rev}.tsv", releases, 1_800_000_000 + number)
        ingest(db, dump_lines(fixture_lines), RevisionInfo(rev=rev), pypi_names=names)
        name, _, why = named(db, rev, "docopt")
        assert name == expected, rev
        if expected is None:
            assert why.startswith("not on PyPI: PyPI's newest release of docopt is of an older")
        fresh = tmp_path / f"fresh-{rev}.sqlite"
        ingest(fresh, dump_lines(fixture_lines), RevisionInfo(rev=rev), pypi_names=names)
        assert names_in(db, rev) == names_in(fresh, rev)
    # The rows of r1, r2 and r4 are the same: what the decision read is.
    with sqlite3.connect(db) as conn:
        ids = dict(conn.execute(
            "select r.rev, rp.package_id from revision_packages rp join revisions r"
            " on r.id = rp.revision_id join packages p on p.id = rp.package_id"
            " where p.attr = 'docopt'"
        ).fetchall())  # fmt: skip
    assert ids["r1"] == ids["r2"] == ids["r4"] != ids["r3"]


def test_pruning_revisions_drops_the_list_decisions_of_the_records_gone(
    tmp_path: Path, fixture_lines: list[bytes]
) -> None:
    from indexer.store.writer import Writer

    def bumped(lines: list[bytes]) -> list[bytes]:  # tinygrad at another version
        records = [json.loads(line) for line in lines]
        for record in records:
            if record.get("attr") == "tinygrad" and "version" in record:
                record["version"] = "unstable-2024-02-01"
        return [json.dumps(r).encode() + b"\n" for r in records]

    db = tmp_path / "index.sqlite"
    names = names_file(tmp_path / "names.txt", ["six"], 1_800_000_000)
    for rev, lines in (("r1", fixture_lines), ("r2", bumped(fixture_lines))):
        ingest(db, dump_lines(lines), RevisionInfo(rev=rev, channel="c"), pypi_names=names)

    def decisions() -> tuple[int, int]:
        with sqlite3.connect(db) as conn:
            return conn.execute(
                "select count(*), count(*) filter (where shape_sha256 not in"
                " (select shape_sha256 from packages)) from list_decisions"
            ).fetchone()

    before, _ = decisions()
    writer = Writer.connect(db)
    try:
        assert writer.prune_channel("c", keep=1) == ["r1"]
    finally:
        writer.close()
    after, orphans = decisions()
    assert orphans == 0 and after < before
