"""A whole lock against the index: what nixpkgs provides of each locked package.

For each locked package (mapping/locks.py) one answer:

- **reuse**: nixpkgs has exactly that version (PEP 440 equality): the
  attribute, prebuilt in the binary cache;
- **inherit**: nixpkgs has another version: build the locked one from PyPI
  with the native inputs of nixpkgs' best candidate (the newest; their
  names, and the Nix expression `candidates --nix` prints);
- **unknown**: nixpkgs has nothing usable to inherit from;
- **not-needed**: the package's marker excludes the interpreter.

Candidates are `Index.answer`'s (broken, disabled and non-module packages
left out), so a lock of N packages costs N cached questions.

`rank_revisions` answers "which nixpkgs to pin for the most cache hits": the
complete revisions by how many locked packages each would reuse at exact
versions, from one read of the locked names' packages across revisions.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from indexer_schema1.errors import BadLock
from indexer_schema1.query.index import Answer, Candidate, Index
from indexer_schema1.query.nativeexpr import NativeInput
from mapping.locks import Lock, LockedPackage, LockError, parse_lock
from mapping.versions import same_version

__all__ = [
    "VERDICTS",
    "Provision",
    "RevisionReuse",
    "provide",
    "rank_revisions",
    "read_lock",
    "verdict",
]

Verdict = Literal["reuse", "inherit", "unknown", "not-needed"]
VERDICTS: tuple[Verdict, ...] = ("reuse", "inherit", "unknown", "not-needed")


@dataclass(frozen=True)
class Provision:
    """What nixpkgs provides of one locked package."""

    package: LockedPackage
    verdict: Verdict
    attr_path: str | None = None  # reuse: the attribute; inherit: the one inherited from
    nixpkgs_version: str | None = None
    natives: tuple[NativeInput, ...] = ()
    natives_nix: str | None = None  # inherit: the natives' Nix expression

    def as_json(self) -> dict[str, Any]:
        natives: dict[str, list[str]] = {}
        for n in self.natives:
            natives.setdefault(n.list_key, []).append(n.name)
        return {
            "name": self.package.name,
            "version": self.package.version,
            "marker": self.package.marker,
            "line": self.package.line,
            "verdict": self.verdict,
            "attr_path": self.attr_path,
            "nixpkgs_version": self.nixpkgs_version,
            "natives": natives,
            "natives_nix": self.natives_nix,
        }


def read_lock(path: Path) -> Lock:
    """The lock at `path`; BadLock names the file and line of what is wrong."""
    try:
        text = path.read_bytes().decode()
    except UnicodeDecodeError as e:
        line = path.read_bytes()[: e.start].count(b"\n") + 1
        raise BadLock(f"{path}:{line}: not UTF-8") from None
    try:
        return parse_lock(str(path), text)
    except LockError as e:
        raise BadLock(str(e)) from None


def verdict(package: LockedPackage, answer: Answer) -> Provision:
    """The rule: `answer` is the index's answer for the package's name (and
    marker), every version."""
    if answer.marker_excludes:
        return Provision(package, "not-needed")
    exact = [c for c in answer.candidates if same_version(c.version, package.version)]
    if exact:
        return _provision(package, "reuse", exact[0])
    if answer.candidates:
        best = answer.candidates[0]
        return _provision(package, "inherit", best, best.natives_nix)
    return Provision(package, "unknown")


def _provision(
    package: LockedPackage, kind: Verdict, c: Candidate, natives_nix: str | None = None
) -> Provision:
    return Provision(package, kind, c.attr_path, c.version, c.natives, natives_nix)


def provide(
    index: Index,
    packages: Iterable[LockedPackage],
    python: str | None = None,
    rev: str | None = None,
) -> list[Provision]:
    """Each locked package's provision, in the lock's order."""
    return [
        verdict(p, index.answer(p.name + (f" ; {p.marker}" if p.marker else ""), python, rev))
        for p in packages
    ]


@dataclass(frozen=True)
class RevisionReuse:
    rev: str
    channel: str | None
    date: str | None
    reused: int  # locked packages it has at exact versions
    of: int  # locked packages needed for the interpreter


def rank_revisions(
    index: Index, provisions: Sequence[Provision], python: str | None = None
) -> list[RevisionReuse]:
    """Every complete revision by how many of the needed locked packages it
    would reuse at exact versions (PEP 440 equality), most first, then the
    newest. The interpreter's set is the newest revision's for `python`."""
    needed = [p.package for p in provisions if p.verdict != "not-needed"]
    package_set = index.package_set(index.revision().id, python)
    found = index.locked_in_revisions([p.name for p in needed], package_set.name)
    # Few distinct (name, version) pairs: the same packages in every revision.
    wanted: dict[str, list[str]] = {}
    for p in needed:
        wanted.setdefault(p.name, []).append(p.version)
    matches: dict[tuple[str, str | None], tuple[tuple[str, str], ...]] = {}
    reused: dict[int, set[tuple[str, str]]] = {}
    for row in found:
        key = (row.pypi_name, row.version)
        hits = matches.get(key)
        if hits is None:
            hits = matches[key] = tuple(
                (row.pypi_name, v)
                for v in wanted.get(row.pypi_name, ())
                if same_version(row.version, v)
            )
        if hits:
            reused.setdefault(row.revision_id, set()).update(hits)
    ranked = [
        RevisionReuse(r.rev, r.channel, r.date, len(reused.get(r.id, ())), len(needed))
        for r in sorted(index.revisions(), key=lambda r: r.id, reverse=True)
    ]
    ranked.sort(key=lambda r: -r.reused)  # stable: the newest first among equals
    return ranked
