"""mapping.overrides: the curated document, validated strictly, and how entries match."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from mapping.names import canonical_name, is_valid_project_name
from mapping.overrides import NO_OVERRIDES, Override, Overrides, parse_overrides

SHIPPED = Path(__file__).resolve().parents[1] / "data" / "pypi-overrides.json"

REASON = "because"


def document(*entries: object, **extra: object) -> dict[str, object]:
    return {"schema": 1, "overrides": list(entries), **extra}


def entry(match: object, pypi: object = "torch", reason: object = REASON) -> dict[str, object]:
    return {"match": match, "pypi": pypi, "reason": reason}


# --- the shipped file --------------------------------------------------------


def shipped() -> Overrides:
    return parse_overrides(json.loads(SHIPPED.read_text(encoding="utf-8")))


def test_shipped_overrides_parse_and_every_entry_has_a_reason() -> None:
    overrides = shipped()
    assert len(overrides) > 0
    for override in overrides:
        assert override.reason.strip(), override
        assert override.pypi_name is None or is_valid_project_name(override.pypi_name)


@pytest.mark.parametrize(
    ("attr", "pname", "github", "pypi_name"),
    [
        pytest.param("torch", "torch", "pytorch/pytorch", "torch", id="pytorch-github"),
        pytest.param("pytorch", "pytorch", None, "torch", id="pytorch-2018-pname"),
        pytest.param("opencv4", "opencv", "opencv/opencv", "opencv-python", id="opencv-github"),
        pytest.param("opencv", "opencv", "Itseez/opencv", "opencv-python", id="opencv-old-org"),
        pytest.param("caffe", "caffe", "BVLC/caffe", None, id="caffe-not-on-pypi"),
        pytest.param("pyqt5", "PyQt", None, "PyQt5", id="pyqt5-2018"),
        pytest.param("magic", "file", None, "file-magic", id="file-magic"),
        pytest.param("python", "python3", None, None, id="interpreter"),
    ],
)
def test_shipped_overrides_cover(
    attr: str, pname: str, github: str | None, pypi_name: str | None
) -> None:
    found = shipped().find(attr, pname, github)
    assert found is not None
    assert found.pypi_name == pypi_name


def test_shipped_overrides_do_not_match_ordinary_packages() -> None:
    assert shipped().find("requests", "requests", "psf/requests") is None
    # `magic` needs both matchers: another package called magic is not file's binding.
    assert shipped().find("magic", "python-magic", None) is None


# --- parsing -----------------------------------------------------------------


def test_parse_overrides_reads_entries_in_order() -> None:
    overrides = parse_overrides(
        document(
            entry({"github": "pytorch/pytorch"}, "torch", " GitHub source "),
            entry({"attr": "caffe", "pname": "caffe"}, None),
        )
    )
    assert overrides.entries == (
        Override(None, None, "pytorch/pytorch", "torch", "GitHub source"),
        Override("caffe", "caffe", None, None, REASON),
    )


def test_parse_overrides_accepts_a_description() -> None:
    assert len(parse_overrides(document(description="what this is"))) == 0


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        pytest.param({"overrides": []}, r"schema must be 1, got None", id="no-schema"),
        pytest.param(
            {"schema": 2, "overrides": []}, r"schema must be 1, got 2", id="future-schema"
        ),
        pytest.param(
            {"schema": True, "overrides": []}, r"schema must be 1, got True", id="bool-schema"
        ),
        pytest.param({"schema": 1}, r"'overrides' must be a list", id="no-overrides"),
        pytest.param(
            {"schema": 1, "overrides": {}}, r"'overrides' must be a list", id="overrides-object"
        ),
        pytest.param(
            document(comment="x"), r"unknown keys \['comment'\]", id="unknown-document-key"
        ),
        pytest.param(
            document("torch"), r"overrides\[0\]: must be an object, got str", id="entry-not-object"
        ),
        pytest.param(
            document({"match": {"attr": "a"}, "pypi": "a"}),
            r"overrides\[0\]: missing 'reason'",
            id="missing-reason",
        ),
        pytest.param(
            document({"match": {"attr": "a"}, "reason": REASON}),
            r"overrides\[0\]: missing 'pypi'",
            id="missing-pypi",
        ),
        pytest.param(
            document({"pypi": "a", "reason": REASON}),
            r"overrides\[0\]: missing 'match'",
            id="missing-match",
        ),
        pytest.param(
            document(entry({"attr": "a"}, reason="")),
            r"overrides\[0\]: 'reason' must be a non-empty string",
            id="empty-reason",
        ),
        pytest.param(
            document(entry({"attr": "a"}, reason="   ")),
            r"'reason' must be a non-empty string",
            id="blank-reason",
        ),
        pytest.param(
            document(entry({"attr": "a"}, reason=None)),
            r"'reason' must be a non-empty string",
            id="null-reason",
        ),
        pytest.param(
            document({**entry({"attr": "a"}), "note": "x"}),
            r"overrides\[0\]: unknown keys \['note'\]",
            id="unknown-entry-key",
        ),
        pytest.param(document(entry({})), r"'match' must be a non-empty object", id="empty-match"),
        pytest.param(
            document(entry("torch")), r"'match' must be a non-empty object", id="match-string"
        ),
        pytest.param(
            document(entry({"name": "torch"})),
            r"unknown match keys \['name'\]",
            id="unknown-match-key",
        ),
        pytest.param(
            document(entry({"attr": ""})),
            r"match 'attr' must be a non-empty string",
            id="empty-matcher",
        ),
        pytest.param(
            document(entry({"attr": " torch"})),
            r"match 'attr' must be a non-empty string",
            id="padded-matcher",
        ),
        pytest.param(
            document(entry({"pname": 3})),
            r"match 'pname' must be a non-empty string",
            id="matcher-not-string",
        ),
        pytest.param(
            document(entry({"github": "pytorch"})),
            r"match 'github' must be 'owner/repo', got 'pytorch'",
            id="github-without-owner",
        ),
        pytest.param(
            document(entry({"github": "https://github.com/pytorch/pytorch"})),
            r"match 'github' must be 'owner/repo'",
            id="github-url",
        ),
        pytest.param(
            document(entry({"attr": "a"}, pypi="not a name")),
            r"'pypi' must be a PyPI project name or null, got 'not a name'",
            id="invalid-pypi-name",
        ),
        pytest.param(
            document(entry({"attr": "a"}, pypi=["torch"])),
            r"'pypi' must be a PyPI project name or null",
            id="pypi-list",
        ),
        pytest.param(
            document(entry({"attr": "a"}), entry({"attr": "b"}), entry({"attr": "a"})),
            r"overrides\[2\]: same match as overrides\[0\]",
            id="duplicate-match",
        ),
        pytest.param(
            document(entry({"github": "PyTorch/PyTorch"}), entry({"github": "pytorch/pytorch"})),
            r"overrides\[1\]: same match as overrides\[0\]",
            id="duplicate-github-any-case",
        ),
        pytest.param(
            document(entry({"pname": "Foo_Bar"}), entry({"pname": "foo-bar"})),
            r"overrides\[1\]: same match as overrides\[0\]",
            id="duplicate-pname-canonically",
        ),
    ],
)
def test_parse_overrides_rejects(bad: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_overrides(bad)


# --- matching ----------------------------------------------------------------

OVERRIDES = parse_overrides(
    document(
        entry({"github": "pytorch/pytorch"}, "torch"),
        entry({"attr": "magic", "pname": "file"}, "file-magic"),
        entry({"pname": "Foo_Bar"}, "foo-bar-project"),
        entry({"attr": "caffe"}, None),
    )
)


@pytest.mark.parametrize(
    ("attr", "pname", "github", "pypi_name"),
    [
        pytest.param("torch", "torch", "pytorch/pytorch", "torch", id="github"),
        pytest.param("x", "x", "PyTorch/PyTorch", "torch", id="github-any-case"),
        pytest.param("x", "x", "pytorch/pytorch.git", "torch", id="github-dot-git"),
        pytest.param("magic", "file", None, "file-magic", id="all-matchers-agree"),
        pytest.param("magic", "python-magic", None, "-", id="one-matcher-disagrees"),
        pytest.param("file", "file", None, "-", id="attr-missing"),
        pytest.param("x", "foo.bar", None, "foo-bar-project", id="pname-canonical"),
        pytest.param("x", None, None, "-", id="no-pname"),
        pytest.param("caffe", None, None, None, id="not-on-pypi"),
        pytest.param("Caffe", None, None, "-", id="attr-exact"),
    ],
)
def test_overrides_find(
    attr: str, pname: str | None, github: str | None, pypi_name: str | None
) -> None:
    found = OVERRIDES.find(attr, pname, github)
    if pypi_name == "-":
        assert found is None
    else:
        assert found is not None
        assert found.pypi_name == pypi_name


def test_first_matching_override_wins() -> None:
    overrides = parse_overrides(
        document(entry({"attr": "a"}, "first"), entry({"attr": "a", "pname": "a"}, "second"))
    )
    found = overrides.find("a", "a", None)
    assert found is not None and found.pypi_name == "first"


def test_no_overrides_finds_nothing() -> None:
    assert NO_OVERRIDES.find("pytorch", "pytorch", "pytorch/pytorch") is None
    assert len(NO_OVERRIDES) == 0


def test_shipped_pypi_names_are_distinct_from_their_pnames() -> None:
    # An override that says what the evidence already says is dead weight.
    for override in shipped():
        if override.match_pname is not None and override.pypi_name is not None:
            assert canonical_name(override.match_pname) != canonical_name(override.pypi_name)
