"""Versions: a derivation's version string read as PEP 440 where it is one.

nixpkgs versions are free-form (``unstable-2024-01-01``, ``1.3_rev_361bb41``);
they are kept as spelled and compared as strings when PEP 440 cannot read them.
"""

from __future__ import annotations

from dataclasses import dataclass

from packaging.version import InvalidVersion, Version

__all__ = ["ParsedVersion", "distance", "parse_version", "release_is_older", "same_version"]


@dataclass(frozen=True, slots=True)
class ParsedVersion:
    """A version as spelled (``raw``) and, when PEP 440 reads it, normalized.

    ``normalized`` is ``str(Version(raw))``: ``1.0-beta`` → ``1.0b0``.
    """

    raw: str | None
    normalized: str | None
    valid: bool


def _pep440(raw: str) -> Version | None:
    try:
        return Version(raw)
    except InvalidVersion:
        return None


def parse_version(raw: str | None) -> ParsedVersion:
    """``raw`` with its PEP 440 normal form, if it has one. None is not valid."""
    if raw is None:
        return ParsedVersion(None, None, False)
    version = _pep440(raw)
    if version is None:
        return ParsedVersion(raw, None, False)
    return ParsedVersion(raw, str(version), True)


def same_version(a: str | None, b: str | None) -> bool:
    """PEP 440 equality when both are valid (``1.0`` == ``1.0.0``), else string equality.

    Two unknown versions (None, None) are the same; an unknown one and a known
    one are not.
    """
    if a is not None and b is not None:
        version_a, version_b = _pep440(a), _pep440(b)
        if version_a is not None and version_b is not None:
            return version_a == version_b
    return a == b


# A release component this large is a date (2024.1, 20160108), not a count.
_DATE_COMPONENT = 1900


def release_is_older(released: str, built: str) -> bool:
    """Whether a project's newest release is of an older release series
    (major.minor) than the version a derivation builds: both PEP 440, and
    both dates or neither (a snapshot ``20160108`` says nothing against a
    release ``1.0.5``). Anything else is not known to be older.

    The series, not the version: a project that stopped uploading to PyPI
    but tags on GitHub is a patch or two behind there (datashape 0.5.2 on
    PyPI, 0.5.4 in nixpkgs), while another project of the same name is
    usually a series apart (python-systemd 0.0.9, systemd's bindings 234);
    measured on bench/names_labelled.tsv."""
    newest, wanted = _pep440(released), _pep440(built)
    if newest is None or wanted is None:
        return False
    if (newest.release[0] >= _DATE_COMPONENT) != (wanted.release[0] >= _DATE_COMPONENT):
        return False
    return _series(newest) < _series(wanted)


def _series(version: Version) -> tuple[int, int]:
    release = (*version.release, 0)
    return release[0], release[1]


def distance(a: str | None, b: str | None) -> tuple[int, int, int]:
    """How far version `a` is from `b`, smaller is nearer: the release
    components they do not share (1.2.x is nearer 1.2.3 than 1.3), then the
    gap at the first that differs (44 is nearer 43 than 41), then newer
    before older at equal gaps. A version PEP 440 cannot read is farthest.
    """
    version_a = _pep440(a) if a is not None else None
    version_b = _pep440(b) if b is not None else None
    if version_a is None or version_b is None:
        return (1 << 30, 0, 0)
    ra, rb = version_a.release, version_b.release
    size = max(len(ra), len(rb))
    ra, rb = ra + (0,) * (size - len(ra)), rb + (0,) * (size - len(rb))
    shared = next((i for i in range(size) if ra[i] != rb[i]), size)
    if shared == size:
        return (0, 0, 0)
    return (size - shared, abs(ra[shared] - rb[shared]), int(ra[shared] < rb[shared]))
