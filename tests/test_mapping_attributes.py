"""Attribute names against the project they build: canonical, versioned, variant."""

from __future__ import annotations

import pytest

from mapping.attributes import (
    CandidateRank,
    attribute_kind,
    attribute_rank,
    candidate_rank,
    version_suffix,
)

# (attribute, PyPI name, kind, version carried by the attribute)
CASES = [
    # The project's own name, in any spelling PEP 503 folds together.
    ("pyyaml", "pyyaml", "canonical", None),
    ("PyYAML", "pyyaml", "canonical", None),
    ("GitPython", "gitpython", "canonical", None),
    ("zope-interface", "zope-interface", "canonical", None),
    ("zope_interface", "zope-interface", "canonical", None),
    ("backports_ssl_match_hostname", "backports-ssl-match-hostname", "canonical", None),
    ("boto3", "boto3", "canonical", None),
    ("pyside2", "pyside2", "canonical", None),
    ("h5py", "h5py", "canonical", None),
    # A project name starting with a digit cannot be an attribute name.
    ("py3to2", "3to2", "canonical", None),
    ("python-3parclient", "3parclient", "canonical", None),
    # Several versions side by side.
    ("django_4", "django", "versioned", "4"),
    ("django_5", "django", "versioned", "5"),
    ("django_4_2", "django", "versioned", "4.2"),
    ("pytest_7", "pytest", "versioned", "7"),
    ("numpy_1", "numpy", "versioned", "1"),
    ("protobuf4", "protobuf", "versioned", "4"),
    ("ansible-core_2_15", "ansible-core", "versioned", "2.15"),
    ("Django_1_11", "django", "versioned", "1.11"),
    # Variants: the name plus a qualifier.
    ("h5py-mpi", "h5py", "variant", None),
    ("jaxlib-bin", "jaxlib", "variant", None),
    ("torchWithCuda", "torch", "variant", None),
    ("tensorflowWithoutCuda", "tensorflow", "variant", None),
    ("tensorflow-bin", "tensorflow", "variant", None),
    ("pyqt5_with_qtmultimedia", "pyqt5", "variant", None),
    # A name of its own.
    ("pytorch", "torch", "other", None),
    ("opencv4", "opencv-python", "other", None),
    ("dateutil", "python-dateutil", "other", None),
    ("pyqt5", "pyqt5-sip", "other", None),
    # Purely lexical: were boto3 a build of boto, it would be boto's version 3
    # (the identity, not the attribute, says it is a project of its own).
    ("boto3", "boto", "versioned", "3"),
]


@pytest.mark.parametrize(
    ("attr", "pypi_name", "kind", "version"), CASES, ids=[f"{c[0]}~{c[1]}" for c in CASES]
)
def test_attribute_kind_and_version_suffix(
    attr: str, pypi_name: str, kind: str, version: str | None
) -> None:
    assert attribute_kind(attr, pypi_name) == kind
    assert version_suffix(attr, pypi_name) == version


def test_canonical_attributes_rank_before_versioned_before_variants() -> None:
    ranked = sorted(["h5py-mpi", "django_4", "h5py"], key=lambda a: attribute_rank(a, "h5py"))
    assert ranked[0] == "h5py"
    assert attribute_rank("django", "django") < attribute_rank("django_4", "django")
    assert attribute_rank("django_4", "django") < attribute_rank("django-mpi", "django")
    assert attribute_rank("django-mpi", "django") < attribute_rank("djangox", "django-rest")


# Candidates for one requirement, best first: (attr, pypi name, version, broken, disabled).
RANKED = [
    pytest.param(
        [("django", "django", "5.1", False, False), ("django_4", "django", "4.2", False, False)],
        id="newest-version-first",
    ),
    pytest.param(
        [("django_5", "django", "5.1", False, False), ("django", "django", "4.2", False, False)],
        id="version-before-kind",
    ),
    pytest.param(
        [("h5py", "h5py", "3.12", False, False), ("h5py_3", "h5py", "3.12", False, False),
         ("h5py-mpi", "h5py", "3.12", False, False), ("hdf5py", "h5py", "3.12", False, False)],
        id="same-version-canonical-versioned-variant-other",
    ),
    pytest.param(
        [("a", "x", "1.0", False, False), ("b", "x", "1.0", False, False)],
        id="same-kind-by-name",
    ),
    pytest.param(
        [("x", "x", "1.10", False, False), ("x_1_9", "x", "1.9", False, False)],
        id="pep440-not-text-order",
    ),
    pytest.param(
        [("x", "x", "2.0rc1", False, False), ("x_1", "x", "1.0", False, False)],
        id="pre-release-is-newer",
    ),
    pytest.param(
        [("x", "x", "1.0", False, False), ("x_nover", "x", None, False, False),
         ("x_unstable", "x", "unstable-2024-01-01", False, False)],
        id="not-pep440-after-pep440-by-spelling",
    ),
    pytest.param(
        [("x_old", "x", "1.0", False, False), ("x", "x", "2.0", True, False),
         ("x_dis", "x", "3.0", False, True)],
        id="usable-then-broken-then-disabled",
    ),
]  # fmt: skip


@pytest.mark.parametrize("ranked", RANKED)
def test_candidate_rank(ranked: list[tuple[str, str, str | None, bool, bool]]) -> None:
    def key(c: tuple[str, str, str | None, bool, bool]) -> CandidateRank:
        attr, name, version, broken, disabled = c
        return candidate_rank(
            attr, attribute_kind(attr, name), version, broken=broken, disabled=disabled
        )

    for shuffled in (ranked, list(reversed(ranked))):
        assert sorted(shuffled, key=key) == ranked
