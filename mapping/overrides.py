"""Overrides: curated PyPI names for packages that evidence cannot name.

A package fetched from GitHub (``pytorch/pytorch``) carries no PyPI name, and
its pname may be a different project's (``pytorch`` on PyPI is a stub). The
document (``data/pypi-overrides.json``) is read elsewhere; this module only
validates it::

    {"schema": 1,
     "overrides": [{"match": {"github": "pytorch/pytorch"}, "pypi": "torch",
                    "reason": "..."}]}

``match`` holds one to three of ``attr`` (exact attribute name), ``pname``
(compared canonically) and ``github`` (``owner/repo``, any case); all given must
match. ``pypi`` is null for a project that is not on PyPI.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from mapping.names import canonical_name, is_valid_project_name

__all__ = ["NO_OVERRIDES", "SCHEMA", "Override", "Overrides", "parse_overrides"]

SCHEMA = 1

_DOCUMENT_KEYS = frozenset({"schema", "overrides", "description"})
_ENTRY_KEYS = frozenset({"match", "pypi", "reason"})
_MATCH_KEYS = frozenset({"attr", "pname", "github"})
_GITHUB_REPO = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")


@dataclass(frozen=True, slots=True)
class Override:
    """One curated statement: packages matching these say PyPI name ``pypi_name``.

    A ``None`` matcher matches anything; at least one is set. ``pypi_name`` is
    spelled as curated, None when the project is not on PyPI.
    """

    match_attr: str | None
    match_pname: str | None
    match_github: str | None
    pypi_name: str | None
    reason: str

    def matches(self, attr: str | None, pname: str | None, github: str | None) -> bool:
        """Whether every matcher this override sets agrees with the package."""
        if self.match_attr is not None and attr != self.match_attr:
            return False
        if self.match_pname is not None and (
            pname is None or canonical_name(pname) != canonical_name(self.match_pname)
        ):
            return False
        return self.match_github is None or (
            github is not None and _github_key(github) == _github_key(self.match_github)
        )


def _github_key(repo: str) -> str:
    return repo.lower().removesuffix(".git")


@dataclass(frozen=True, slots=True)
class Overrides:
    """The overrides in document order; the first that matches wins."""

    entries: tuple[Override, ...] = ()

    def find(self, attr: str | None, pname: str | None, github: str | None) -> Override | None:
        """The first override matching the attribute, pname or GitHub ``owner/repo``."""
        for entry in self.entries:
            if entry.matches(attr, pname, github):
                return entry
        return None

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self) -> Iterator[Override]:
        return iter(self.entries)


NO_OVERRIDES = Overrides()


def parse_overrides(document: Mapping[str, object]) -> Overrides:
    """Validate an overrides document strictly; ``ValueError`` names the bad entry."""
    unknown = sorted(set(document) - _DOCUMENT_KEYS)
    if unknown:
        raise ValueError(f"overrides document: unknown keys {unknown}")
    schema = document.get("schema")
    # bool is an int in Python; `true` is no schema number.
    if isinstance(schema, bool) or schema != SCHEMA:
        raise ValueError(f"overrides document: schema must be {SCHEMA}, got {schema!r}")
    entries = document.get("overrides")
    if not isinstance(entries, list):
        raise ValueError("overrides document: 'overrides' must be a list")
    parsed = tuple(_parse_entry(index, entry) for index, entry in enumerate(entries))
    _reject_duplicate_matches(parsed)
    return Overrides(parsed)


def _parse_entry(index: int, entry: object) -> Override:
    where = f"overrides[{index}]"
    if not isinstance(entry, Mapping):
        raise ValueError(f"{where}: must be an object, got {type(entry).__name__}")
    unknown = sorted(set(entry) - _ENTRY_KEYS)
    if unknown:
        raise ValueError(f"{where}: unknown keys {unknown}")
    for key in sorted(_ENTRY_KEYS):
        if key not in entry:
            raise ValueError(f"{where}: missing {key!r}")
    match = _parse_match(where, entry["match"])
    pypi = entry["pypi"]
    if pypi is not None and not (isinstance(pypi, str) and is_valid_project_name(pypi)):
        raise ValueError(f"{where}: 'pypi' must be a PyPI project name or null, got {pypi!r}")
    reason = entry["reason"]
    if not isinstance(reason, str) or not reason.strip():
        raise ValueError(f"{where}: 'reason' must be a non-empty string")
    return Override(
        match_attr=match.get("attr"),
        match_pname=match.get("pname"),
        match_github=match.get("github"),
        pypi_name=pypi,
        reason=reason.strip(),
    )


def _parse_match(where: str, match: object) -> dict[str, str]:
    if not isinstance(match, Mapping) or not match:
        raise ValueError(f"{where}: 'match' must be a non-empty object")
    unknown = sorted(set(match) - _MATCH_KEYS)
    if unknown:
        raise ValueError(f"{where}: unknown match keys {unknown}")
    result: dict[str, str] = {}
    for key, value in match.items():
        if not isinstance(value, str) or not value.strip() or value != value.strip():
            raise ValueError(f"{where}: match {key!r} must be a non-empty string")
        if key == "github" and not _GITHUB_REPO.match(value):
            raise ValueError(f"{where}: match 'github' must be 'owner/repo', got {value!r}")
        result[key] = value
    return result


def _reject_duplicate_matches(entries: tuple[Override, ...]) -> None:
    # A second entry with the same matchers could never apply: a curation slip.
    seen: dict[tuple[str | None, str | None, str | None], int] = {}
    for index, entry in enumerate(entries):
        key = (
            entry.match_attr,
            None if entry.match_pname is None else canonical_name(entry.match_pname),
            None if entry.match_github is None else _github_key(entry.match_github),
        )
        if key in seen:
            raise ValueError(f"overrides[{index}]: same match as overrides[{seen[key]}]")
        seen[key] = index
