"""The index's command line: the main job, ingest, candidates, show, export."""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import sqlite3
import stat
import subprocess
from pathlib import Path

import pytest

from .helpers import cli, edited


@pytest.fixture
def db(fixture_index: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "index.sqlite"
    shutil.copy(fixture_index, copy)
    return copy


@pytest.mark.usefixtures("nix")
def test_index_is_the_main_job_and_is_idempotent(
    tmp_path: Path, fixture_lines: list[bytes]
) -> None:
    attributes = sum(b'"type":"attr","set":"python313Packages"' in line for line in fixture_lines)
    db = tmp_path / "new" / "index.sqlite"
    first = cli("index", "--db", str(db), "--set", "python313Packages", "--rev", "r1")
    assert first.returncode == 0, first.stderr
    assert first.stdout.startswith(f"indexed revision r1: {attributes} attributes (")
    assert f"{attributes} new packages stored" in first.stdout
    again = cli("index", "--db", str(db), "--set", "python313Packages", "--rev", "r1", "--json")
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["already_indexed"] is True


@pytest.mark.usefixtures("nix")
def test_the_default_database_path_comes_from_the_environment(tmp_path: Path) -> None:
    db = tmp_path / "env.sqlite"
    result = cli("index", "-q", "--set", "python312Packages", env={"NIXPKGS_PYINDEX_DB": str(db)})
    assert result.returncode == 0, result.stderr
    assert str(db) in result.stdout and db.exists()


def test_ingest_a_dump_file(tmp_path: Path, fixture_lines: list[bytes]) -> None:
    dump = tmp_path / "dump.jsonl"
    dump.write_bytes(b"".join(fixture_lines))
    db = tmp_path / "index.sqlite"
    result = cli("ingest", str(dump), "--db", str(db), "--rev", "abc", "--channel", "unstable",
                 "--date", "2026-11-01", "--json")  # fmt: skip
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["records"] == len(fixture_lines) - 2
    with sqlite3.connect(db) as conn:
        # The two sets share the rows of the packages they have alike.
        assert report["new_packages"] == conn.execute("select count(*) from packages").fetchone()[0]
        assert report["records"] / 2 <= report["new_packages"] < report["records"]
        assert conn.execute("select rev, channel, date, status from revisions").fetchall() == [
            ("abc", "unstable", "2026-11-01", "complete")
        ]


@pytest.mark.parametrize(
    ("damage", "code", "message"),
    [
        (lambda lines: lines[:-1], 9, "truncated dump: no footer line"),
        (
            lambda lines: [*lines[:4], b"{oops\n", *lines[5:]],
            9,
            "line 5: not JSON (",
        ),
    ],
    ids=["truncated", "line-5"],
)
def test_ingest_refuses_a_damaged_dump_with_one_line(
    tmp_path: Path, fixture_lines: list[bytes], damage: object, code: int, message: str
) -> None:
    dump = tmp_path / "dump.jsonl"
    dump.write_bytes(b"".join(damage(fixture_lines)))  # type: ignore[operator]
    result = cli("ingest", str(dump), "--db", str(tmp_path / "index.sqlite"))
    assert result.returncode == code
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith(f"nixpkgs-pyindex: error: {message}")  # orjson words the rest


def test_ingest_exit_codes_for_conflicts_and_foreign_databases(
    tmp_path: Path, fixture_lines: list[bytes], db: Path
) -> None:
    dump = tmp_path / "dump.jsonl"
    dump.write_bytes(b"".join(edited(fixture_lines, lambda r: r if r["attr"] != "six" else None)))
    conflict = cli("ingest", str(dump), "--db", str(db), "--rev", "fixture-rev")
    assert conflict.returncode == 10, conflict.stderr
    with sqlite3.connect(db) as conn:
        conn.execute("update meta set value = '0' where key = 'schema_version'")
    old = cli("candidates", "six", "--db", str(db))
    assert old.returncode == 8
    assert "database schema version 0" in old.stderr


def test_candidates_prints_attributes_and_natives(db: Path) -> None:
    result = cli("candidates", "cryptography>=40", "--db", str(db), "--python", "3.13")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "python313Packages.cryptography\t44.0.0\tcanonical purl/verified",
        "  buildInputs: openssl-3.3.2",
        "  nativeBuildInputs: pkg-config-0.29.2 rustc-1.83.0 cargo-1.83.0",
    ]


def test_candidates_as_json(db: Path) -> None:
    result = cli("candidates", "django>=4", "--db", str(db), "--json")
    answer = json.loads(result.stdout)
    assert answer["python"] == "3.13" and answer["revision"] == "fixture-rev"
    assert [c["attr_path"] for c in answer["candidates"]] == [
        "python313Packages.django",
        "python313Packages.django_5",
        "python313Packages.django_4",
    ]
    assert answer["candidates"][2]["attribute_kind"] == "versioned"


@pytest.mark.parametrize(
    ("args", "code", "stderr"),
    [
        (
            ["nose", "--python", "3.13"],
            1,
            "nose: nothing provides it for Python 3.13 in fixture-rev (excluded: 1 disabled)",
        ),  # noqa: E501
        (["six; python_version < '3'"], 1, "its marker excludes Python 3.13"),
        (["six>>1"], 2, "not a PEP 508 requirement"),
        (["six", "--rev", "nope"], 11, "revision 'nope' is not indexed"),
        (["six", "--python", "2.7"], 11, "no package set for Python 2.7"),
    ],
    ids=["none", "marker", "invalid", "unknown-rev", "unknown-python"],
)
def test_candidates_exit_codes(db: Path, args: list[str], code: int, stderr: str) -> None:
    result = cli("candidates", *args, "--db", str(db))
    assert result.returncode == code
    assert stderr in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_candidates_without_an_index(tmp_path: Path) -> None:
    result = cli("candidates", "six", "--db", str(tmp_path / "missing.sqlite"))
    assert result.returncode == 8
    assert "no index here (create one with `nixpkgs-pyindex index`)" in result.stderr


def test_show(db: Path) -> None:
    result = cli("show", "python313Packages.pyyaml", "--db", str(db))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "python313Packages.pyyaml (= python3Packages.pyyaml)"
    assert "  pypi_name: pyyaml" in lines
    assert "  broken: False" in lines
    assert "  native buildInputs: libyaml-0.2.5" in lines
    shown = json.loads(cli("show", "django_4", "--db", str(db), "--json").stdout)
    assert {r["attr_path"] for r in shown} == {
        "python312Packages.django_4",
        "python313Packages.django_4",
    }


def test_export_json(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "mapping.json.gz"
    result = cli("export", "--db", str(db), "-o", str(out))
    assert result.returncode == 0, result.stderr
    document = json.loads(gzip.decompress(out.read_bytes()))
    assert document["revision"]["rev"] == "fixture-rev"
    assert [e["attr"] for e in document["projects"]["django"]["3.13"]] == [
        "python313Packages.django",
        "python313Packages.django_4",
        "python313Packages.django_5",
    ]
    assert document["projects"]["nose"]["3.13"][0]["status"] == "disabled"
    assert document["projects"]["3to2"]["3.12"][0]["attr"] == "python312Packages.py3to2"
    assert "caffe" not in document["projects"]


def test_export_mach_nix_legacy(db: Path) -> None:
    result = cli("export", "--format", "mach-nix-legacy", "--python", "3.12", "--db", str(db))
    index = json.loads(result.stdout)
    assert index["pyyaml"] == "PyYAML@6.0.2"
    assert index["PyGithub"] == index["pygithub"] == "PyGithub@2.5.0"
    assert index["nose"] == "nose@1.3.7"
    assert "pyside2" not in index  # broken, as mach-nix's own index leaves out
    assert index["caffe"] == "N/A"  # not on PyPI: no PyPI name to claim


def test_export_mach_nix(db: Path) -> None:
    result = cli("export", "--format", "mach-nix", "--python", "3.12", "--db", str(db))
    index = json.loads(result.stdout)
    assert index["pyyaml"] == {"pname": "PyYAML", "version": "6.0.2", "requirements": None}
    assert index["PyGithub"] == index["pygithub"]
    assert "pyside2" not in index
    assert index["caffe"] is None


def test_help_teaches(db: Path) -> None:
    for command in ("index", "ingest", "candidates", "show", "export"):
        result = cli(command, "--help")
        assert result.returncode == 0
        assert "Example" in result.stdout and "Exit codes" in result.stdout


# Every file and path argument of every command, given something unusable:
# one line on stderr and a documented exit code, never a traceback.
BAD_PATHS = [
    (["export", "--db", "{db}", "-o", "/proc/nope/x.json"], 14,
     "cannot write /proc/nope/x.json: No such file or directory (/proc/nope)"),
    (["export", "--db", "{db}", "-o", "{file}/x.json"], 14, "/x.json: Not a directory"),
    (["export", "--db", "{db}", "-o", "/sys/x.json"], 14,
     "cannot write /sys/x.json: … (/sys)"),  # the folder, not the temporary file
    (["export", "--db", "{db}", "-o", ""], 2, "'--output': the path is empty"),
    (["export", "--db", "{db}", "-o", "{tmp}"], 2, "is a directory"),
    (["export", "--db", ""], 2, "'--db': the path is empty"),
    (["export", "--db", "{tmp}"], 2, "is a directory"),
    (["export", "--db", "{db}", "--rev", ""], 11, "the revision name is empty"),
    (["audit", "--db", "{db}", "--no-store", "-o", "/proc/nope/r.md"], 14,
     "cannot write /proc/nope/r.md"),
    (["audit", "--db", "{db}", "--no-store", "--pypi-names", ""], 2,
     "'--pypi-names': the value is empty"),
    (["audit", "--db", "{db}", "--no-store", "--pypi-names", "{tmp}"], 2,
     "is a directory, not a list of PyPI project names"),
    (["history", "", "--db", "{db}"], 2, "'' is not a PyPI project name"),
    (["history", "   ", "--db", "{db}"], 2, "'   ' is not a PyPI project name"),
    (["history", "six>=1", "--db", "{db}"], 2, "'six>=1' is not a PyPI project name"),
    (["history", "six", "--python", "2.7", "--db", "{db}"], 1,
     "no indexed revision has six for Python 2.7"),
    (["history", "six", "--db", "{tmp}/missing.sqlite"], 8, "no index here"),
    (["candidates", "six", "--db", "{file}"], 8, "file is not a database"),
    (["candidates", "six", "--db", "{db}", "--rev", ""], 11, "the revision name is empty"),
    (["show", "six", "--db", "{tmp}"], 2, "is a directory"),
    (["diff", "", "fixture-rev", "--db", "{db}"], 11, "the revision name is empty"),
    (["ingest", "{tmp}/missing.jsonl", "--db", "{tmp}/i.sqlite"], 2, "does not exist"),
    (["ingest", "{tmp}", "--db", "{tmp}/i.sqlite"], 2, "is a directory"),
    (["ingest", "", "--db", "{tmp}/i.sqlite"], 2, "'DUMP': the path is empty"),
    (["ingest", "{file}", "--db", "/proc/nope/i.sqlite"], 8, "cannot create /proc/nope"),
    (["index", "--db", ""], 2, "'--db': the path is empty"),
    (["index", "--nixpkgs", ""], 2, "'--nixpkgs': the value is empty"),
    (["reindex", "--channel", "c", "--git", "", "--db", "{tmp}/r.sqlite"], 2,
     "'--git': the path is empty"),
    (["reindex", "--channel", "c", "--git", "{tmp}", "--db", "{tmp}/r.sqlite"], 13,
     "is not a git repository"),
    (["reindex", "--channel", "c", "--git", "{tmp}", "--db", "/proc/nope/r.sqlite"], 8,
     "cannot create the lock file /proc/nope/r.sqlite.lock"),
    (["reindex", "--channel", "c", "--git", "{tmp}", "--db", "{tmp}/r.sqlite",
      "--pypi-names", "{tmp}/missing.txt"], 2, "missing.txt: no such file"),
    (["reindex", "--channel", "c", "--url", "", "--db", "{tmp}/r.sqlite"], 2,
     "'--url': the value is empty"),
    (["nosuchcommand"], 2, "No such command 'nosuchcommand'."),
    (["history"], 2, "Missing argument 'NAME'. (see nixpkgs-pyindex history --help)"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("args", "code", "message"),
    BAD_PATHS,
    ids=[f"{a[0]}-{i}" for i, (a, _, _) in enumerate(BAD_PATHS)],
)
def test_bad_paths_are_one_line_and_an_exit_code(
    db: Path, tmp_path: Path, fixture_lines: list[bytes], args: list[str], code: int, message: str
) -> None:
    dump = tmp_path / "dump.jsonl"
    dump.write_bytes(b"".join(fixture_lines))  # a good dump, and a file that is no database
    argv = [a.format(db=db, tmp=tmp_path, file=dump) for a in args]
    result = cli(*argv, env={"XDG_CACHE_HOME": str(tmp_path / "cache")})
    assert result.returncode == code, result.stderr
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("nixpkgs-pyindex: ")
    # "…" stands for a reason worded by the system.
    parts = message.format(tmp=tmp_path).split("…")
    assert re.search(".*".join(map(re.escape, parts)), line), line


def test_an_output_that_is_not_a_regular_file_is_written_not_replaced(
    db: Path, tmp_path: Path
) -> None:
    # A pipe (as /dev/stdout may be) is written to; a symbolic link's file is
    # the one replaced, the link stays.
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    reader = subprocess.Popen(["cat", str(fifo)], stdout=subprocess.PIPE)
    try:
        result = cli("export", "--db", str(db), "--format", "mach-nix", "-o", str(fifo))
        out, _ = reader.communicate(timeout=60)
    finally:
        reader.kill()
    assert result.returncode == 0, result.stderr
    assert json.loads(out)["pyyaml"]["version"] == "6.0.2"
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    real = tmp_path / "real.json"
    real.write_text("old\n")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    assert cli("export", "--db", str(db), "-o", str(link)).returncode == 0
    assert link.is_symlink() and json.loads(real.read_text())["schema"] == 1
