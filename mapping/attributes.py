"""How an attribute name relates to the PyPI project it builds.

nixpkgs names most packages after their project (`pyyaml` for PyYAML), but
also keeps several versions side by side (`django_4`), variants (`h5py-mpi`,
`jaxlib-bin`, `torchWithCuda`), legacy spellings (`GitPython`) and
workarounds for names Nix cannot start an attribute with (`py3to2` for
`3to2`). Resolvers prefer the plain attribute; audits group the others.
"""

from __future__ import annotations

import re
from typing import Literal

from packaging.version import InvalidVersion, Version

from mapping.names import canonical_name

__all__ = [
    "ATTRIBUTE_KINDS",
    "AttributeKind",
    "attribute_kind",
    "attribute_rank",
    "CandidateRank",
    "candidate_rank",
    "is_digit_workaround",
    "version_suffix",
]

AttributeKind = Literal["canonical", "versioned", "variant", "other"]
ATTRIBUTE_KINDS: tuple[AttributeKind, ...] = ("canonical", "versioned", "variant", "other")

# `django_4`, `django_4_2`, `numpy_1`, `pytest_7`, `ansible-core_2_15`, `protobuf4`
_VERSION_SUFFIX = re.compile(r"^(?P<base>.+?)(?:[_-]v?|(?<=[a-z]))(?P<version>[0-9]+(?:_[0-9]+)*)$")


def _normalized(attr: str) -> str:
    # PEP 503 folds `_` and `.` into `-` as well: `zope_interface`, `GitPython`.
    return canonical_name(attr)


def is_digit_workaround(attr: str, pypi_name: str) -> bool:
    """`py3to2` for `3to2`: a project name that starts with a digit."""
    return pypi_name[:1].isdigit() and _normalized(attr) in (
        "py" + pypi_name,
        "py-" + pypi_name,
        "python-" + pypi_name,
    )


def version_suffix(attr: str, pypi_name: str) -> str | None:
    """The version an attribute carries beside the project name (`4` for
    `django_4`), or None when it carries none."""
    match = _VERSION_SUFFIX.match(attr)
    if match is None:
        return None
    base = _normalized(match.group("base"))
    if base == pypi_name or is_digit_workaround(match.group("base"), pypi_name):
        return match.group("version").replace("_", ".")
    return None


def attribute_kind(attr: str, pypi_name: str) -> AttributeKind:
    """canonical: the project's own name (any spelling PEP 503 folds together,
    or the digit-first workaround); versioned: the name plus a version;
    variant: the name plus a qualifier (`h5py-mpi`, `torchWithCuda`); other:
    a name of its own (`pytorch` for torch, `opencv4` for opencv-python)."""
    pypi_name = canonical_name(pypi_name)
    normalized = _normalized(attr)
    if normalized == pypi_name or is_digit_workaround(attr, pypi_name):
        return "canonical"
    if version_suffix(attr, pypi_name) is not None:
        return "versioned"
    if normalized.startswith(pypi_name):
        return "variant"
    return "other"


def attribute_rank(attr: str, pypi_name: str) -> int:
    """Sort key among attributes of one project and version: canonical first."""
    return ATTRIBUTE_KINDS.index(attribute_kind(attr, pypi_name))


CandidateRank = tuple[bool, bool, tuple[int, object], int, str]


def candidate_rank(
    attr: str, kind: AttributeKind, version: str | None, *, broken: bool, disabled: bool
) -> CandidateRank:
    """Sort key among the attributes that provide one requirement, best
    first: usable, then broken, then disabled; then the newest PEP 440
    version (a version that is not PEP 440 after every one that is, by its
    spelling), then the attribute's kind (canonical first), then its name."""
    try:
        version_key: tuple[int, object] = (0, _Descending(Version(version or "")))
    except InvalidVersion:
        version_key = (1, version or "")
    return (disabled, broken, version_key, ATTRIBUTE_KINDS.index(kind), attr)


class _Descending:
    """Sorts versions newest first inside an otherwise ascending key."""

    __slots__ = ("version",)

    def __init__(self, version: Version) -> None:
        self.version = version

    def __lt__(self, other: _Descending) -> bool:
        return self.version > other.version

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Descending) and self.version == other.version

    def __hash__(self) -> int:
        return hash(self.version)
