"""The command line: output, one-line errors and documented exit codes."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from .conftest import FIXTURE
from .helpers import cli


@pytest.mark.usefixtures("nix")
def test_dump_writes_json_lines_and_a_summary(tmp_path: Path) -> None:
    out = tmp_path / "dump.jsonl"
    result = cli("dump", "--set", "python312Packages", "-o", str(out))
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert lines[0]["type"] == "header" and lines[-1]["type"] == "footer"
    assert lines[-1]["records"] == len(lines) - 2
    assert result.stderr.startswith("dumped ")
    assert len(result.stderr.strip().splitlines()) == 1
    assert "python312Packages" in result.stderr


@pytest.mark.usefixtures("nix")
def test_output_into_a_new_directory_is_created_readable(tmp_path: Path) -> None:
    out = tmp_path / "new" / "dir" / "dump.jsonl"
    result = cli("dump", "--set", "python312Packages", "-q", "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert out.read_text().startswith('{"type":"header"')
    assert out.stat().st_mode & 0o044 == 0o044  # not mkstemp's private mode


@pytest.mark.usefixtures("nix")
def test_summary_as_json(tmp_path: Path) -> None:
    result = cli("dump", "--set", "python312Packages", "--json", "-o", str(tmp_path / "d.jsonl"))
    assert json.loads(result.stderr)["type"] == "footer"


def test_help_teaches_exit_codes() -> None:
    result = cli("dump", "--help")
    assert result.returncode == 0
    for code in (
        "3  not a nixpkgs tree",
        "4  Nix is missing",
        "5  unknown package set",
        "6  fetching",
    ):
        assert code in result.stdout


def make_broken_tree(tmp_path: Path) -> Path:
    tree = tmp_path / "broken"
    tree.mkdir()
    (tree / "default.nix").write_text("{ config ? {}, overlays ? [] }: {")
    return tree


@pytest.mark.usefixtures("nix")
@pytest.mark.parametrize(
    ("args", "env", "code", "message"),
    [
        (["--nixpkgs", "{tmp}/missing"], {}, 3, "no such file"),
        (["--nixpkgs", "{tmp}"], {}, 3, "no default.nix"),
        (["--nixpkgs", "{broken}"], {}, 3, "not a usable nixpkgs tree"),
        (["--set", "python27Packages"], {}, 5, "unknown package set 'python27Packages'"),
        (["--nixpkgs", "file:///nonexistent.tar.gz", "--sha256", "0" * 64], {}, 6, "cannot fetch"),
        ([], {"NIX_PYINDEX_NIX": "no-such-nix"}, 4, "Nix is not installed"),
    ],
    ids=[
        "missing-path",
        "not-a-tree",
        "does-not-evaluate",
        "unknown-set",
        "unreachable-url",
        "no-nix",
    ],
)
def test_bad_input_is_one_line_and_an_exit_code(
    tmp_path: Path, args: list[str], env: dict[str, str], code: int, message: str
) -> None:
    broken = make_broken_tree(tmp_path)
    (tmp_path / "empty").mkdir()
    args = [a.format(tmp=tmp_path / "empty", broken=broken) for a in args]
    out = tmp_path / "out.jsonl"
    out.write_text("previous good dump\n")
    result = cli("dump", *args, "-o", str(out), env=env)
    assert result.returncode == code, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert message in result.stderr
    assert out.read_text() == "previous good dump\n"  # nothing lost


@pytest.mark.usefixtures("nix")
@pytest.mark.parametrize(
    ("output", "code", "message"),
    [
        (
            "/proc/nope/dump.jsonl",
            14,
            "cannot write /proc/nope/dump.jsonl: No such file or directory",
        ),
        ("{tmp}/file/dump.jsonl", 14, "cannot write {tmp}/file/dump.jsonl: Not a directory"),
        ("", 2, "Invalid value for '-o' / '--output': the path is empty"),
        ("{tmp}", 2, "is a directory"),
    ],
    ids=["folder-cannot-be-created", "folder-is-a-file", "empty", "a-directory"],
)
def test_an_output_that_cannot_be_written_is_one_line_and_an_exit_code(
    tmp_path: Path, output: str, code: int, message: str
) -> None:
    (tmp_path / "file").write_text("a file, not a folder\n")
    result = cli("dump", "-q", "--set", "python312Packages", "-o", output.format(tmp=tmp_path))
    assert result.returncode == code, result.stderr
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("nixpkgs-pyindex: error: ")
    assert message.format(tmp=tmp_path) in line


def fixture_tarball(tmp_path: Path) -> tuple[Path, str]:
    archive = tmp_path / "nixpkgs.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(FIXTURE, arcname="nixpkgs-fixture")
    return archive, hashlib.sha256(archive.read_bytes()).hexdigest()


@pytest.mark.usefixtures("nix")
def test_pinned_file_tarball_dumps_offline(tmp_path: Path) -> None:
    archive, digest = fixture_tarball(tmp_path)
    env = {"XDG_CACHE_HOME": str(tmp_path / "cache")}
    from_tarball = cli(
        "dump",
        "--nixpkgs",
        archive.as_uri(),
        "--sha256",
        digest,
        "--set",
        "python312Packages",
        "-q",
        env=env,
    )
    assert from_tarball.returncode == 0, from_tarball.stderr
    local = cli("dump", "--set", "python312Packages", "-q")
    records = [line for line in from_tarball.stdout.splitlines() if '"type":"attr"' in line]
    assert records == [line for line in local.stdout.splitlines() if '"type":"attr"' in line]
    assert records


@pytest.mark.usefixtures("nix")
def test_tarball_with_wrong_sha256_is_refused(tmp_path: Path) -> None:
    archive, digest = fixture_tarball(tmp_path)
    wrong = ("0" if digest[0] != "0" else "1") + digest[1:]
    result = cli(
        "dump",
        "--nixpkgs",
        archive.as_uri(),
        "--sha256",
        wrong,
        env={"XDG_CACHE_HOME": str(tmp_path / "cache")},
    )
    assert result.returncode == 6
    assert "hash mismatch" in result.stderr


@pytest.mark.usefixtures("nix")
def test_dump_works_without_a_writable_home(tmp_path: Path) -> None:
    # A service's dynamic user has a read-only home; nix repl would exit when
    # it cannot create ~/.local/share/nix for its history.
    env = {k: v for k, v in os.environ.items() if not k.startswith("XDG_")}
    env["HOME"] = "/proc/no-such-home"
    result = subprocess.run(
        [sys.executable, "-m", "indexer", "dump", "-q", "--set", "python312Packages",
         "-o", str(tmp_path / "d.jsonl")],
        capture_output=True, text=True, env=env,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "d.jsonl").read_text().count('"type":"attr"') > 90
