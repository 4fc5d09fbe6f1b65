"""`provide LOCK`: what nixpkgs provides of each package a lock pins, on the fixture index."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from indexer import Index
from indexer.query.provide import provide, rank_revisions
from indexer.store.ingest import RevisionInfo, dump_lines, ingest
from mapping.locks import Lock, LockedPackage, SourceKind
from tests.helpers import cli, edited

from .conftest import nix_eval_json


@pytest.fixture
def index(fixture_index: Path) -> Any:
    with Index.open(fixture_index) as opened:
        yield opened


def locked(
    name: str, version: str, marker: str | None = None, source: SourceKind = "registry"
) -> LockedPackage:
    return LockedPackage(name, version, marker, 1, source)


def lock_of(*packages: LockedPackage) -> Lock:
    """A pinned requirements file of these packages: each marker decides."""
    return Lock("requirements", packages, ())


@pytest.mark.parametrize(
    ("package", "python", "verdict", "attr_path", "nixpkgs_version"),
    [
        # reuse: exactly that version, the best attribute of it.
        (locked("pyyaml", "6.0.2"), None, "reuse", "python313Packages.pyyaml", "6.0.2"),
        (locked("pyyaml", "6.0.2.0"), None, "reuse", "python313Packages.pyyaml", "6.0.2"),
        (locked("django", "4.2.17"), None, "reuse", "python313Packages.django_4", "4.2.17"),
        (locked("django", "5.1.4"), None, "reuse", "python313Packages.django", "5.1.4"),
        (locked("pyyaml", "6.0.2"), "3.12", "reuse", "python312Packages.pyyaml", "6.0.2"),
        # inherit: another version, from the candidate of the nearest version.
        (locked("cryptography", "43.0.3"), None, "inherit", "python313Packages.cryptography",
         "44.0.0"),
        (locked("django", "3.2.25"), None, "inherit", "python313Packages.django_4", "4.2.17"),
        (locked("django", "4.2.9"), None, "inherit", "python313Packages.django_4", "4.2.17"),
        (locked("django", "5.0.1"), None, "inherit", "python313Packages.django", "5.1.4"),
        (locked("django", "6.0"), None, "inherit", "python313Packages.django", "5.1.4"),
        # own-source: git, path, directory, editable, URL; nixpkgs' natives if it has the project.
        (locked("cryptography", "", source="vcs"), None, "own-source",
         "python313Packages.cryptography", "44.0.0"),
        (locked("django", "4.2.0", source="directory"), None, "own-source",
         "python313Packages.django_4", "4.2.17"),
        (locked("pyyaml", "6.0.2", source="path"), None, "own-source", "python313Packages.pyyaml",
         "6.0.2"),
        (locked("not-in-nixpkgs", "1.0", source="editable"), None, "own-source", None, None),
        # unknown: nothing usable (not in nixpkgs; disabled; an application).
        (locked("not-in-nixpkgs", "1.0"), None, "unknown", None, None),
        (locked("nose", "1.3.7"), None, "unknown", None, None),
        (locked("httpie", "3.2.4"), None, "unknown", None, None),
        # The marker is evaluated for the interpreter.
        (locked("tomli", "2.2.1", 'python_version < "3.11"'), None, "not-needed", None, None),
        (locked("pyyaml", "6.0.2", 'python_version < "3.13"'), None, "not-needed", None, None),
        (locked("pyyaml", "6.0.2", 'python_version < "3.13"'), "3.12", "reuse",
         "python312Packages.pyyaml", "6.0.2"),
    ],
)  # fmt: skip
def test_each_locked_package_is_reused_inherited_or_unknown(
    index: Index,
    package: LockedPackage,
    python: str | None,
    verdict: str,
    attr_path: str | None,
    nixpkgs_version: str | None,
) -> None:
    (provision,) = provide(index, lock_of(package), python)
    assert (provision.verdict, provision.attr_path, provision.nixpkgs_version) == (
        verdict,
        attr_path,
        nixpkgs_version,
    )


def test_inherit_carries_the_natives_and_their_expression_as_candidates_has_them(
    index: Index,
) -> None:
    (provision,) = provide(index, lock_of(locked("cryptography", "43.0.3")))
    (candidate,) = index.candidates("cryptography")
    assert provision.natives == candidate.natives
    assert [n.name for n in provision.natives if n.list_key == "buildInputs"] == ["openssl-3.3.2"]
    assert provision.natives_nix == candidate.natives_nix
    (reused,) = provide(index, lock_of(locked("cryptography", "44.0.0")))
    assert reused.natives_nix is None  # reuse builds nothing


@pytest.fixture
def revisions(fixture_index: Path, fixture_lines: list[bytes], tmp_path: Path) -> Path:
    """fixture-rev, then "without-yaml" (no pyyaml), then "same-again" (as fixture-rev)."""
    db = tmp_path / "index.sqlite"
    shutil.copy(fixture_index, db)
    no_yaml = edited(fixture_lines, lambda r: None if r["attr"] == "pyyaml" else r)
    ingest(db, dump_lines(no_yaml), RevisionInfo(rev="without-yaml", channel="fixture"))
    ingest(db, dump_lines(fixture_lines), RevisionInfo(rev="same-again", channel="fixture"))
    return db


def test_revisions_are_ranked_by_exact_reuse_then_newest(revisions: Path) -> None:
    lock = lock_of(
        locked("pyyaml", "6.0.2"),
        locked("django", "4.2.17"),
        locked("cryptography", "43.0.3"),  # inherited: reused nowhere
        locked("tomli", "2.2.1", 'python_version < "3.11"'),  # not needed: not counted
        locked("pyyaml-fork", "1", source="vcs"),  # its own source: no revision has it
    )
    with Index.open(revisions) as index:
        ranked = rank_revisions(index, provide(index, lock))
    # same-again and fixture-rev hold the same packages: the newer first.
    assert [(r.rev, r.reused, r.of) for r in ranked] == [
        ("same-again", 2, 3),
        ("fixture-rev", 2, 3),
        ("without-yaml", 1, 3),
    ]


REQUIREMENTS = """\
# pinned
PyYAML==6.0.2 \\
    --hash=sha256:aaaa
django==4.2.17
cryptography==43.0.3
not-in-nixpkgs==1.0
tomli==2.2.1 ; python_version < "3.11"
-e .
"""

UV_LOCK = """\
version = 1
revision = 3
requires-python = ">=3.10"

[[package]]
name = "app"
version = "0.1.0"
source = { editable = "." }
dependencies = [
    { name = "pyyaml" },
    { name = "django" },
    { name = "cryptography" },
    { name = "not-in-nixpkgs" },
    { name = "tomli", marker = "python_full_version < '3.11'" },
]

[[package]]
name = "pyyaml"
version = "6.0.2"
source = { registry = "https://example.invalid/simple" }

[[package]]
name = "django"
version = "4.2.17"
source = { registry = "https://example.invalid/simple" }

[[package]]
name = "cryptography"
version = "43.0.3"
source = { registry = "https://example.invalid/simple" }

[[package]]
name = "not-in-nixpkgs"
version = "1.0"
source = { registry = "https://example.invalid/simple" }

[[package]]
name = "tomli"
version = "2.2.1"
source = { registry = "https://example.invalid/simple" }
"""


@pytest.mark.parametrize(
    ("name", "text"), [("requirements.txt", REQUIREMENTS), ("uv.lock", UV_LOCK)]
)
def test_provide_prints_each_answer_and_a_summary(
    fixture_index: Path, tmp_path: Path, name: str, text: str
) -> None:
    lock = tmp_path / name
    lock.write_text(text)
    result = cli("provide", str(lock), "--db", str(fixture_index))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "reuse\tpyyaml\t6.0.2\tpython313Packages.pyyaml\t6.0.2"
    assert lines[1] == "reuse\tdjango\t4.2.17\tpython313Packages.django_4\t4.2.17"
    assert lines[2] == "inherit\tcryptography\t43.0.3\tpython313Packages.cryptography\t44.0.0"
    assert "  buildInputs: openssl-3.3.2" in lines
    assert "unknown\tnot-in-nixpkgs\t1.0" in lines
    assert "not-needed\ttomli\t2.2.1" in lines
    assert lines[-1].startswith("skipped\t")  # -e . ; the project, a root
    fmt = "requirements" if name.endswith(".txt") else "uv"
    assert result.stderr == (
        f"{lock}: 5 packages ({fmt}) against fixture-rev for Python 3.13: "
        "2 reuse, 1 inherit, 1 unknown, 1 not-needed; 1 skipped\n"
    )


def test_provide_as_json(fixture_index: Path, tmp_path: Path) -> None:
    lock = tmp_path / "requirements.txt"
    lock.write_text(REQUIREMENTS)
    result = cli("provide", str(lock), "--db", str(fixture_index), "--json", "--python", "3.12")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert (data["format"], data["revision"], data["python"]) == (
        "requirements",
        "fixture-rev",
        "3.12",
    )
    assert data["counts"] == {
        "reuse": 2,
        "inherit": 1,
        "own-source": 0,
        "unknown": 1,
        "not-needed": 1,
    }
    assert (data["groups"], data["extras"]) == ([], [])
    first = data["packages"][0]
    assert first == {
        "name": "pyyaml",
        "version": "6.0.2",
        "source": "registry",
        "marker": None,
        "line": 2,
        "verdict": "reuse",
        "attr_path": "python312Packages.pyyaml",
        "nixpkgs_version": "6.0.2",
        "natives": {"buildInputs": ["libyaml-0.2.5"]},
        "natives_nix": None,
    }
    assert data["packages"][2]["natives_nix"].startswith("# Generated by nixpkgs-pyindex")
    assert data["skipped"] == [{"line": 8, "entry": "-e .", "reason": "editable"}]
    assert "revisions" not in data


def test_provide_across_revisions(revisions: Path, tmp_path: Path) -> None:
    lock = tmp_path / "requirements.txt"
    lock.write_text(REQUIREMENTS)
    result = cli("provide", str(lock), "--db", str(revisions), "--across-revisions")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "same-again\tfixture\t-\t2/4",
        "fixture-rev\tfixture\t-\t2/4",
        "without-yaml\tfixture\t-\t1/4",
    ]
    as_json = cli("provide", str(lock), "--db", str(revisions), "--across-revisions", "--json")
    assert [r["rev"] for r in json.loads(as_json.stdout)["revisions"]] == [
        "same-again",
        "fixture-rev",
        "without-yaml",
    ]


@pytest.mark.parametrize(
    ("name", "text", "code", "stderr"),
    [
        ("requirements.txt", "a==1\nb>=2\n", 15, "requirements.txt:2: 'b>=2' is not pinned"),
        ("requirements.txt", "-r base.txt\n", 15, "requirements.txt:1: -r includes another file"),
        ("uv.lock", "version = 1\n[[package]\n", 15, "uv.lock:2: not TOML"),
        ("pylock.toml", 'lock-version = "1.0"\n[[packages]]\nversion = "1"\n', 15,
         "pylock.toml:2: a package has no name"),
        ("requirements.txt", "a==1\n\xff==2\n", 15, "requirements.txt:2: not UTF-8"),
    ],
)  # fmt: skip
def test_a_bad_lock_is_one_line_and_exit_code_15(
    fixture_index: Path, tmp_path: Path, name: str, text: str, code: int, stderr: str
) -> None:
    lock = tmp_path / name
    lock.write_bytes(text.encode("latin-1"))
    result = cli("provide", str(lock), "--db", str(fixture_index))
    assert result.returncode == code
    assert result.stderr.startswith(f"nixpkgs-pyindex: error: {tmp_path}/{stderr}")
    assert result.stderr.count("\n") == 1
    assert result.stdout == ""


def test_a_missing_lock_is_bad_usage(fixture_index: Path, tmp_path: Path) -> None:
    result = cli("provide", str(tmp_path / "nope.txt"), "--db", str(fixture_index))
    assert result.returncode == 2
    assert "does not exist" in result.stderr


@pytest.mark.usefixtures("nix")
def test_provide_writes_the_overlay_of_the_lock_alone(fixture_index: Path, tmp_path: Path) -> None:
    # The export's pyproject.nix overlay, for what this lock pins and nixpkgs has.
    lock = tmp_path / "requirements.txt"
    lock.write_text("pyyaml==6.0.1\ncryptography==44.0.0\nnot-in-nixpkgs==1.0\n")
    overlay = tmp_path / "overrides.nix"
    result = cli("provide", str(lock), "--db", str(fixture_index), "--nix", str(overlay))
    assert result.returncode == 0, result.stderr
    text = overlay.read_text()
    assert [
        line.split(" = ")[0].strip() for line in text.splitlines() if " = override " in line
    ] == [
        "cryptography",
        "pyyaml",
    ]
    # Real Nix: over a scope that also has requests, only the locked projects
    # are overridden, with nixpkgs' natives.
    expression = (
        "let pkgs = import <nixpkgs> { };"
        ' mk = n: pkgs.stdenv.mkDerivation { pname = n; version = "1"; };'
        ' scope = { pyyaml = mk "pyyaml"; requests = mk "requests"; };'
        f" overridden = (import {overlay} {{ inherit pkgs; }}) scope scope;"
        " in { names = builtins.attrNames overridden;"
        " natives = map (d: d.name) overridden.pyyaml.buildInputs; }"
    )
    assert nix_eval_json(expression) == {"names": ["pyyaml"], "natives": ["libyaml-0.2.5"]}


def test_prebuilt_is_for_nix(fixture_index: Path, tmp_path: Path) -> None:
    lock = tmp_path / "requirements.txt"
    lock.write_text("pyyaml==6.0.2\n")
    result = cli("provide", str(lock), "--db", str(fixture_index), "--prebuilt")
    assert result.returncode == 2
    assert "--prebuilt is for --nix" in result.stderr


CHOICES_LOCK = """\
version = 1
revision = 3
requires-python = ">=3.10"

[[package]]
name = "app"
version = "0.1.0"
source = { editable = "." }
dependencies = [{ name = "six" }]

[package.optional-dependencies]
web = [{ name = "django" }]

[package.dev-dependencies]
dev = [{ name = "pyyaml" }]
crypto = [{ name = "cryptography" }]

[[package]]
name = "six"
version = "1.17.0"
source = { registry = "https://example.invalid/simple" }

[[package]]
name = "django"
version = "4.2.17"
source = { registry = "https://example.invalid/simple" }

[[package]]
name = "pyyaml"
version = "6.0.2"
source = { registry = "https://example.invalid/simple" }

[[package]]
name = "cryptography"
version = "44.0.0"
source = { git = "https://example.invalid/cryptography.git?rev=44.0.0#0123abcd" }
"""


@pytest.mark.parametrize(
    ("args", "verdicts", "choice"),
    [
        ((), {"six": "reuse", "django": "not-needed", "pyyaml": "reuse",
              "cryptography": "not-needed"}, "; groups dev"),
        (("--no-default-groups",), {"pyyaml": "not-needed"}, ""),
        (("--group", "crypto"), {"pyyaml": "reuse", "cryptography": "own-source"},
         "; groups crypto, dev"),
        (("--all-groups", "--extra", "web"), {"django": "reuse", "cryptography": "own-source"},
         "; groups crypto, dev; extras web"),
        (("--all-extras", "--no-default-groups"), {"django": "reuse", "pyyaml": "not-needed"},
         "; extras web"),
    ],
)  # fmt: skip
def test_groups_and_extras_are_chosen_as_uv_chooses_them(
    fixture_index: Path,
    tmp_path: Path,
    args: tuple[str, ...],
    verdicts: dict[str, str],
    choice: str,
) -> None:
    lock = tmp_path / "uv.lock"
    lock.write_text(CHOICES_LOCK)
    result = cli("provide", str(lock), "--db", str(fixture_index), *args)
    assert result.returncode == 0, result.stderr
    got = {line.split("\t")[1]: line.split("\t")[0] for line in result.stdout.splitlines()
           if not line.startswith(("  ", "skipped"))}  # fmt: skip
    assert got.items() >= verdicts.items()
    assert f"for Python 3.13{choice}: " in result.stderr


def test_a_package_of_its_own_source_gets_nixpkgs_natives(
    fixture_index: Path, tmp_path: Path
) -> None:
    lock = tmp_path / "uv.lock"
    lock.write_text(CHOICES_LOCK)
    result = cli("provide", str(lock), "--db", str(fixture_index), "--group", "crypto")
    lines = result.stdout.splitlines()
    at = lines.index("own-source\tcryptography\t44.0.0\tpython313Packages.cryptography\t44.0.0")
    assert lines[at + 1] == "  buildInputs: openssl-3.3.2"
    assert "1 own-source" in result.stderr


@pytest.mark.parametrize(
    ("name", "text", "args", "code", "stderr"),
    [
        ("uv.lock", 'version = 1\nrequires-python = ">=3.11, <3.12"\n', ("--python", "3.13"), 22,
         "uv.lock: the lock is for Python >=3.11, <3.12 (requires-python), not 3.13.1"),
        ("poetry.lock", '[metadata]\nlock-version = "2.1"\npython-versions = "~3.11"\n', (), 22,
         "poetry.lock: the lock is for Python ~3.11 (python-versions), not 3.13.1"),
        ("uv.lock", CHOICES_LOCK, ("--group", "docs"), 2,
         "uv.lock: no group 'docs' in the lock (it has: dev, crypto)"),
        ("uv.lock", CHOICES_LOCK, ("--extra", "api"), 2,
         "uv.lock: no extra 'api' in the lock (it has: web)"),
        ("requirements.txt", 'six==1.17.0\na==1 ; "dev" in dependency_groups\n', (), 15,
         "requirements.txt:2: a: cannot evaluate the marker"),
    ],
)  # fmt: skip
def test_a_lock_this_install_cannot_use_is_one_line_and_an_exit_code(
    fixture_index: Path,
    tmp_path: Path,
    name: str,
    text: str,
    args: tuple[str, ...],
    code: int,
    stderr: str,
) -> None:
    lock = tmp_path / name
    lock.write_text(text)
    result = cli("provide", str(lock), "--db", str(fixture_index), *args)
    assert (result.returncode, result.stdout) == (code, "")
    assert result.stderr.startswith(f"nixpkgs-pyindex: error: {tmp_path}/{stderr}")
    assert result.stderr.count("\n") == 1


@pytest.mark.parametrize(
    "data",
    [
        b"\xef\xbb\xbfpyyaml==6.0.2\r\nsix==1.17.0\r\n",
        b"\xff\xfe" + "pyyaml==6.0.2\r\nsix==1.17.0\r\n".encode("utf-16-le"),
        b"\xfe\xff" + "pyyaml==6.0.2\nsix==1.17.0\n".encode("utf-16-be"),
    ],
)
def test_a_requirements_file_with_a_byte_order_mark_or_in_utf16_is_read(
    fixture_index: Path, tmp_path: Path, data: bytes
) -> None:
    lock = tmp_path / "requirements.txt"
    lock.write_bytes(data)
    result = cli("provide", str(lock), "--db", str(fixture_index))
    assert result.returncode == 0, result.stderr
    assert [line.split("\t")[:3] for line in result.stdout.splitlines()] == [
        ["reuse", "pyyaml", "6.0.2"],
        ["reuse", "six", "1.17.0"],
    ]


def test_across_revisions_takes_the_interpreter_from_python(
    fixture_index: Path, fixture_lines: list[bytes], tmp_path: Path
) -> None:
    # "no-312", newer than fixture-rev, has no Python 3.12 at all.
    db = tmp_path / "index.sqlite"
    shutil.copy(fixture_index, db)
    without = []
    for line in edited(fixture_lines, lambda r: None if r["set"] == "python312Packages" else r):
        value = json.loads(line)
        if value["type"] == "header":
            value["sets"] = [s for s in value["sets"] if s["set"] != "python312Packages"]
        without.append(json.dumps(value).encode() + b"\n")
    ingest(db, dump_lines(without), RevisionInfo(rev="no-312", channel="fixture"))
    lock = tmp_path / "requirements.txt"
    lock.write_text(REQUIREMENTS)
    args = ("provide", str(lock), "--db", str(db), "--across-revisions")
    result = cli(*args, "--python", "3.12", "--rev", "fixture-rev")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["fixture-rev\tfixture\t-\t2/4", "no-312\tfixture\t-\t0/4"]
    # Its answers are for --rev; the newest revision has no 3.12 to answer for.
    newest = cli(*args, "--python", "3.12")
    assert newest.returncode == 11
    assert "no package set for Python 3.12" in newest.stderr
