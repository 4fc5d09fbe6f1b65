"""The provider's queries: candidates for a PEP 508 requirement, and show."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from indexer.errors import NotFound
from indexer.query.index import Index, InvalidQuery


@pytest.fixture(scope="module")
def index(fixture_index: Path) -> Index:
    return Index.open(fixture_index)


# (requirement, python, the attributes that provide it, best first)
CANDIDATES = [
    ("PyYAML>=6", "3.13", ["pyyaml"]),
    ("pyyaml<6", "3.13", []),
    ("PyYAML", "3.12", ["pyyaml"]),
    # Several versions: newest first; on a tie the canonical attribute first.
    ("django", "3.13", ["django", "django_5", "django_4"]),
    ("Django<5", "3.13", ["django_4"]),
    ("django==5.1.4", "3.13", ["django", "django_5"]),
    ("django~=4.2", "3.13", ["django_4"]),
    # A variant after its base.
    ("h5py", "3.13", ["h5py", "h5py-mpi"]),
    # Names in any spelling PEP 503 folds together.
    ("zope.interface>=7", "3.13", ["zope-interface"]),
    ("Zope_Interface", "3.13", ["zope-interface"]),
    ("3to2", "3.13", ["py3to2"]),
    ("GitPython", "3.13", ["GitPython"]),
    ("pygithub", "3.13", ["pygithub"]),
    ("jaxlib", "3.13", ["jaxlib-bin"]),
    # GitHub-only sources named by the curated overrides; aliases are not providers.
    ("torch>=2", "3.13", ["torch"]),
    ("opencv-python", "3.13", ["opencv4"]),
    # Not on PyPI: caffe shadows an unrelated PyPI project and provides nothing.
    ("caffe", "3.13", []),
    # Disabled on 3.13 only.
    ("nose", "3.13", []),
    ("nose", "3.12", ["nose"]),
    # Broken, and applications / non-Python derivations, are left out.
    ("pyside2", "3.13", []),
    ("httpie", "3.13", []),
    ("swig", "3.13", []),
    # A version that is not PEP 440 matches no specifier, only none.
    ("tinygrad", "3.13", ["tinygrad"]),
    ("tinygrad>=0", "3.13", []),
    # The version, not the URL's: markupsafe's URL says 3.0.1.
    ("markupsafe==3.0.2", "3.13", ["markupsafe"]),
    ("markupsafe==3.0.1", "3.13", []),
    # Markers are evaluated for the interpreter.
    ('requests; python_version < "3.13"', "3.12", ["requests"]),
    ('requests; python_version < "3.13"', "3.13", []),
    (
        'requests; implementation_name == "cpython" and sys_platform == "linux"',
        "3.13",
        ["requests"],
    ),  # fmt: skip
    ("no-such-project", "3.13", []),
]


@pytest.mark.parametrize(
    ("requirement", "python", "attrs"), CANDIDATES, ids=[f"{c[0]}@{c[1]}" for c in CANDIDATES]
)
def test_candidates(index: Index, requirement: str, python: str, attrs: list[str]) -> None:
    found = index.candidates(requirement, python=python)
    assert [c.attr for c in found] == attrs
    assert all(c.set_name == f"python{python.replace('.', '')}Packages" for c in found)


@pytest.mark.parametrize(
    ("requirement", "flag", "attr"),
    [
        ("pyside2", "include_broken", "pyside2"),
        ("nose", "include_disabled", "nose"),
        ("httpie", "include_non_modules", "httpie"),
        ("swig", "include_non_modules", "swig"),
    ],
)
def test_excluded_candidates_come_back_when_asked(
    index: Index, requirement: str, flag: str, attr: str
) -> None:
    assert index.candidates(requirement, python="3.13") == []
    found = index.candidates(requirement, python="3.13", **{flag: True})
    assert [c.attr for c in found] == [attr]


def test_an_empty_answer_says_why(index: Index) -> None:
    assert index.answer("nose", python="3.13").excluded == {"disabled": 1}
    assert index.answer("pyyaml<6", python="3.13").excluded == {"version": 1}
    assert index.answer('six; python_version < "3"', python="3.13").marker_excludes


def test_a_candidate_carries_what_a_resolver_needs(index: Index) -> None:
    (c,) = index.candidates("cryptography", python="3.13")
    assert c.attr_path == "python313Packages.cryptography"
    assert c.also_as == ("python3Packages.cryptography",)
    assert (c.pypi_name, c.version, c.name_source, c.confidence) == (
        "cryptography",
        "44.0.0",
        "purl",
        "verified",
    )
    assert (c.attribute_kind, c.broken, c.available, c.disabled) == (
        "canonical",
        False,
        True,
        False,
    )
    assert {(n.list_key, n.name) for n in c.natives} == {
        ("nativeBuildInputs", "pkg-config-0.29.2"),
        ("nativeBuildInputs", "rustc-1.83.0"),
        ("nativeBuildInputs", "cargo-1.83.0"),
        ("buildInputs", "openssl-3.3.2"),
    }
    assert 'pick "buildInputs" 0 "openssl-3.3.2"' in c.natives_nix


def test_extras_are_reported(index: Index) -> None:
    (c,) = index.candidates("requests[socks,brotli]>=2", python="3.13")
    assert dict(c.extras) == {"socks": ("pysocks",)}
    assert c.missing_extras == ("brotli",)


def test_the_default_interpreter_is_python3s(index: Index) -> None:
    assert [c.attr_path for c in index.candidates("six")] == ["python313Packages.six"]
    assert [c.attr_path for c in index.candidates("six", python="python3Packages")] == [
        "python313Packages.six"
    ]
    assert [c.attr_path for c in index.candidates("six", python="python312Packages")] == [
        "python312Packages.six"
    ]


def test_revisions_by_name_or_prefix(index: Index) -> None:
    assert index.revision().rev == "fixture-rev"
    assert index.revision("fixture").rev == "fixture-rev"
    assert index.candidates("six", rev="fixture-rev")
    with pytest.raises(NotFound, match="'deadbeef' is not indexed"):
        index.revision("deadbeef")


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda i: i.candidates("PyYAML>=>6"), InvalidQuery, "not a PEP 508 requirement"),
        (lambda i: i.candidates("six", python="2.7"), NotFound, "no package set for Python 2.7"),
        (lambda i: i.show("no-such-attr"), NotFound, "no attribute 'no-such-attr'"),
        (lambda i: i.show("python27Packages.six"), NotFound, "no package set 'python27Packages'"),
    ],
    ids=["bad-requirement", "unknown-python", "unknown-attr", "unknown-set"],
)
def test_bad_questions_get_one_line_errors(
    index: Index, call: object, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        call(index)  # type: ignore[operator]


def test_repeated_questions_are_answered_from_the_cache(index: Index) -> None:
    first = index.answer("PyYAML>=6", python="3.13")
    assert index.answer("PyYAML>=6", python="3.13") is first


def test_the_index_is_opened_read_only(fixture_index: Path) -> None:
    with (
        Index.open(fixture_index) as index,
        pytest.raises(sqlite3.OperationalError, match="readonly"),
    ):
        index.conn.execute("delete from packages")


def test_show_gives_every_sets_record(index: Index) -> None:
    shown = index.show("pyyaml")
    assert [r["attr_path"] for r in shown] == [
        "python312Packages.pyyaml",
        "python313Packages.pyyaml",
    ]
    assert shown[1]["also_as"] == ["python3Packages.pyyaml"]
    natives = [i["name"] for i in shown[1]["inputs"] if i["native"]]
    assert natives == ["libyaml-0.2.5"]
    (alias,) = index.show("python3Packages.PyGithub")
    assert (alias["status"], alias["alias_target"]) == ("alias", "pygithub")
    (disabled,) = index.show("python313Packages.nose")
    assert disabled["error"]["kind"] == "disabled"


def test_an_index_in_a_read_only_location_can_be_queried(
    fixture_index: Path, tmp_path: Path
) -> None:
    # The Nix store is read-only: SQLite cannot create the WAL's -shm file there.
    import shutil
    import subprocess

    source, mount = tmp_path / "src", tmp_path / "ro"
    source.mkdir()
    mount.mkdir()
    shutil.copy(fixture_index, source / "index.sqlite")
    bind = subprocess.run(["mount", "--bind", str(source), str(mount)], capture_output=True)
    if bind.returncode != 0:
        pytest.skip("cannot bind-mount here (needs root): " + bind.stderr.decode().strip())
    try:
        subprocess.run(["mount", "-o", "remount,ro,bind", str(mount)], check=True)
        with Index.open(mount / "index.sqlite") as index:
            assert [c.attr for c in index.candidates("pyyaml")] == ["pyyaml"]
    finally:
        subprocess.run(["umount", str(mount)], check=True)


# The statements Index runs per question, and the index each must search
# by first: none may scan a whole revision, nor read a member by anything
# but its package where it starts from the packages (SQLite plans by the
# order the SQL is written in, as the database has no statistics).
PLANS = [
    ("PACKAGES_OF_NAME", "names", "SEARCH n USING PRIMARY KEY (pypi_name=?)"),
    ("SHOWN", "attribute", "SEARCH p USING INDEX idx_packages_attr (attr=?)"),
    ("MACH_NIX_PACKAGES", "set",
     "SEARCH m USING COVERING INDEX idx_members_chain_id_set_id_last_id (chain_id=? AND set_id=?"),
]  # fmt: skip
# Plan steps on the small tables: the set's and the revision's one row.
_LOOKUPS = ("SEARCH st ", "SEARCH sets ", "SEARCH revisions ", "SCALAR", "REUSE")


@pytest.mark.parametrize(("statement", "by", "first"), PLANS, ids=[p[0] for p in PLANS])
def test_lookups_search_by_their_key(index: Index, statement: str, by: str, first: str) -> None:
    from indexer.query import rows

    params = {"revision": 1, "name": "pyyaml", "set": "python313Packages", "attr": "pyyaml"}
    plan = [
        r[3] for r in index.conn.execute("explain query plan " + getattr(rows, statement), params)
    ]
    steps = [step for step in plan if not step.startswith(_LOOKUPS)]
    assert steps[0].startswith(first), plan
    assert not any(step.startswith("SCAN") for step in plan), plan
    if by != "set":
        assert any(s.startswith("SEARCH m USING PRIMARY KEY (package_id=? AND set_id=? AND chain_id=?") for s in plan), plan
