"""`export --format mach-nix`: the shape mach-nix ≥ 3.4 loads, entry by
entry; the legacy shape of mach-nix ≤ 3.3; what is left out, and said."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from indexer.query.export import CONFIDENCES, mach_nix_selection
from indexer.query.index import Index

from .helpers import cli

PY = "3.12"

# Fixture attribute → its entry at the default confidence (declared).
# mach-nix's loader reads exactly `pname`, `version`, `requirements`, and
# skips a null; nixpkgs never sets `requirements` (mach-nix's own attribute).
ENTRIES: list[tuple[str, Any]] = [
    # verified by a purl: the PyPI spelling, the derivation's version
    ("pyyaml", {"pname": "PyYAML", "version": "6.0.2", "requirements": None}),
    ("django_4", {"pname": "Django", "version": "4.2.17", "requirements": None}),
    ("py3to2", {"pname": "3to2", "version": "1.1.1", "requirements": None}),
    ("zope-interface", {"pname": "zope.interface", "version": "7.2", "requirements": None}),
    # an alias stands for its target's package
    ("PyGithub", {"pname": "PyGithub", "version": "2.5.0", "requirements": None}),
    ("dateutil", {"pname": "python-dateutil", "version": "2.9.0.post0", "requirements": None}),
    ("pytorch", {"pname": "torch", "version": "2.5.1", "requirements": None}),
    # declared by an override
    ("opencv4", {"pname": "opencv-python", "version": "4.10.0", "requirements": None}),
    ("torch", {"pname": "torch", "version": "2.5.1", "requirements": None}),
    # the source says 3.0.1 where the derivation says 3.0.2: the source's
    ("markupsafe", {"pname": "markupsafe", "version": "3.0.1", "requirements": None}),
    # not on PyPI (an override says so), or no version: null, as mach-nix's own
    ("caffe", None),
    ("python", None),
    ("pythonRelaxDepsHook", None),
]

# Left out of the document altogether.
ABSENT = [
    "pyside2",  # broken, as mach-nix's own index leaves out
    "docopt",  # inferred from a pname: below the default confidence
    "swig",
    "tinygrad",  # inferred, and its version (unstable-2024-01-01) is not PEP 440
]


@pytest.fixture(scope="module")
def document(fixture_index: Path) -> dict[str, Any]:
    result = cli("export", "--format", "mach-nix", "--python", PY, "--db", str(fixture_index))
    assert result.returncode == 0, result.stderr
    parsed: dict[str, Any] = json.loads(result.stdout)
    return parsed


@pytest.mark.parametrize(("attr", "entry"), ENTRIES)
def test_mach_nix_entry(document: dict[str, Any], attr: str, entry: Any) -> None:
    assert document[attr] == entry


@pytest.mark.parametrize("attr", ABSENT)
def test_mach_nix_leaves_out(document: dict[str, Any], attr: str) -> None:
    assert attr not in document


def test_mach_nix_every_entry_has_exactly_the_loaders_keys(document: dict[str, Any]) -> None:
    entries = [e for e in document.values() if e is not None]
    assert entries
    assert all(set(e) == {"pname", "version", "requirements"} for e in entries)


@pytest.mark.parametrize(
    ("attr", "legacy"),
    [
        ("pyyaml", "PyYAML@6.0.2"),
        ("PyGithub", "PyGithub@2.5.0"),
        ("markupsafe", "markupsafe@3.0.1"),
        ("caffe", "N/A"),
        ("docopt", None),
        ("pyside2", None),
    ],
)
def test_mach_nix_legacy_has_the_same_selection_as_strings(
    fixture_index: Path, attr: str, legacy: str | None
) -> None:
    result = cli(
        "export", "--format", "mach-nix-legacy", "--python", PY, "--db", str(fixture_index)
    )
    assert json.loads(result.stdout).get(attr) == legacy


# --min-confidence: which names each level keeps (verified ⊂ declared ⊂ inferred).
@pytest.mark.parametrize(
    ("level", "kept", "below"),
    [
        ("verified", {"pyyaml", "markupsafe"}, {"torch", "opencv4", "docopt", "httpie"}),
        ("declared", {"pyyaml", "torch", "opencv4"}, {"docopt", "httpie", "swig", "tinygrad"}),
        ("inferred", {"pyyaml", "torch", "docopt", "httpie", "swig"}, set()),
    ],
)
def test_min_confidence(fixture_index: Path, level: str, kept: set[str], below: set[str]) -> None:
    with Index.open(fixture_index) as index:
        selection = mach_nix_selection(index, python=PY, min_confidence=level)
    assert kept <= selection.entries.keys()
    assert set(selection.below_confidence) >= below
    assert not below & selection.entries.keys()
    assert all(
        CONFIDENCES.index(c) > CONFIDENCES.index(level) for c in selection.below_confidence.values()
    )


def test_a_version_that_is_not_pep440_is_left_out_and_named(fixture_index: Path) -> None:
    result = cli(
        "export", "--format", "mach-nix", "--python", PY, "--min-confidence", "inferred",
        "--db", str(fixture_index),
    )  # fmt: skip
    assert "tinygrad" not in json.loads(result.stdout)
    assert result.stderr.splitlines() == [
        "export mach-nix of python312Packages: 88 attributes, 78 named; left out:"
        " 0 named below inferred confidence, 1 with a version that is not PEP 440"
        " (tinygrad unstable-2024-01-01)"
    ]


def test_the_default_confidence_is_declared_and_said(fixture_index: Path) -> None:
    result = cli("export", "--format", "mach-nix", "--python", PY, "--db", str(fixture_index))
    assert result.stderr.splitlines() == [
        "export mach-nix of python312Packages: 85 attributes, 75 named; left out:"
        " 4 named below declared confidence, 0 with a version that is not PEP 440"
    ]


def test_json_export_says_nothing_and_refuses_min_confidence(fixture_index: Path) -> None:
    assert cli("export", "--db", str(fixture_index)).stderr == ""
    refused = cli("export", "--min-confidence", "verified", "--db", str(fixture_index))
    assert refused.returncode == 2
    assert "--min-confidence applies to the mach-nix formats only" in refused.stderr
