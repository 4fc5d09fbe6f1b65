"""A whole lock against the index: what nixpkgs provides of each locked package.

The lock is read as its installer reads it (mapping/locks.py,
mapping/lockselect.py): for the interpreter of `--python` and the chosen
groups and extras, each locked package is taken or not. For each one answer:

- **reuse**: nixpkgs has exactly that version (PEP 440 equality): the
  attribute, prebuilt in the binary cache;
- **inherit**: nixpkgs has another version: build the locked one from PyPI
  with the native inputs of nixpkgs' attribute of the nearest version
  (their names, and the Nix expression `candidates --nix` prints);
- **own-source**: the lock takes it from a source of its own (git, a path,
  a directory, an editable tree, a URL): PyPI cannot give it, nixpkgs can
  give its natives (the nearest version's, when nixpkgs has the project);
- **unknown**: nixpkgs has nothing usable to inherit from;
- **not-needed**: the install does not take it for this interpreter and
  choice (its marker, or every edge that reaches it, excludes it).

A lock whose own Python range excludes the interpreter is refused
(`LockExcludesPython`), as PEP 751 and poetry refuse it.

Candidates are `Index.answer`'s (broken, disabled and non-module packages
left out), so a lock of N packages costs N cached questions.

`rank_revisions` answers "which nixpkgs to pin for the most cache hits": the
complete revisions by how many locked packages each would reuse at exact
versions, for one interpreter, from one read of the locked names' packages
across revisions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from indexer.errors import BadLock, BadSelection, LockExcludesPython
from indexer.query.index import Answer, Candidate, Index, marker_environment
from indexer.query.nativeexpr import NativeInput
from mapping.locks import Lock, LockedPackage, LockError, decode_lock, parse_lock
from mapping.lockselect import Chosen, Selection, SelectionError, choose, excluded_python, select
from mapping.versions import distance, same_version

__all__ = [
    "VERDICTS",
    "Provision",
    "RevisionReuse",
    "provide",
    "rank_revisions",
    "read_lock",
    "verdict",
]

Verdict = Literal["reuse", "inherit", "own-source", "unknown", "not-needed"]
VERDICTS: tuple[Verdict, ...] = ("reuse", "inherit", "own-source", "unknown", "not-needed")


@dataclass(frozen=True)
class Provision:
    """What nixpkgs provides of one locked package."""

    package: LockedPackage
    verdict: Verdict
    attr_path: str | None = (
        None  # reuse: the attribute; inherit, own-source: the one inherited from
    )
    nixpkgs_version: str | None = None
    natives: tuple[NativeInput, ...] = ()
    natives_nix: str | None = None  # inherit, own-source: the natives' Nix expression

    def as_json(self) -> dict[str, Any]:
        natives: dict[str, list[str]] = {}
        for n in self.natives:
            natives.setdefault(n.list_key, []).append(n.name)
        return {
            "name": self.package.name,
            "version": self.package.version,
            "source": self.package.source,
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
        return parse_lock(str(path), decode_lock(str(path), path.read_bytes()))
    except LockError as e:
        raise BadLock(str(e)) from None


def verdict(package: LockedPackage, answer: Answer) -> Provision:
    """The rule: `answer` is the index's answer for the package's name, every version."""
    if answer.marker_excludes:
        return Provision(package, "not-needed")
    if package.source != "registry":
        if not answer.candidates:
            return Provision(package, "own-source")
        return _provision(package, "own-source", _nearest(package, answer), True)
    exact = [c for c in answer.candidates if same_version(c.version, package.version)]
    if exact:
        return _provision(package, "reuse", exact[0])
    if answer.candidates:
        return _provision(package, "inherit", _nearest(package, answer), True)
    return Provision(package, "unknown")


def _nearest(package: LockedPackage, answer: Answer) -> Candidate:
    """The candidate of the version nearest the locked one; the best among equals."""
    if not package.version:
        return answer.candidates[0]
    return min(answer.candidates, key=lambda c: distance(c.version, package.version))


def _provision(package: LockedPackage, kind: Verdict, c: Candidate, nix: bool = False) -> Provision:
    return Provision(
        package, kind, c.attr_path, c.version, c.natives, c.natives_nix if nix else None
    )


def chosen_for(lock: Lock, selection: Selection) -> Chosen:
    try:
        return choose(lock, selection)
    except SelectionError as e:
        raise BadSelection(str(e)) from None


def provide(
    index: Index,
    lock: Lock,
    python: str | None = None,
    rev: str | None = None,
    selection: Selection | None = None,
) -> list[Provision]:
    """Each locked package's provision, in the lock's order, for interpreter
    `python` of revision `rev` and the groups and extras of `selection`."""
    package_set = index.package_set(index.revision(rev).id, python)
    environment = marker_environment(package_set)
    if why := excluded_python(lock, environment):
        raise LockExcludesPython(why)
    chosen = chosen_for(lock, selection or Selection())
    try:
        taken = select(lock, environment, chosen)
    except LockError as e:
        raise BadLock(str(e)) from None
    return [
        verdict(p, index.answer(p.name, python, rev)) if take else Provision(p, "not-needed")
        for p, take in zip(lock.packages, taken, strict=True)
    ]


@dataclass(frozen=True)
class RevisionReuse:
    rev: str
    channel: str | None
    date: str | None
    reused: int  # locked packages it has at exact versions
    of: int  # locked packages needed for the interpreter


def rank_revisions(
    index: Index, provisions: Sequence[Provision], python: str | None = None, rev: str | None = None
) -> list[RevisionReuse]:
    """Every complete revision by how many of the needed locked packages it
    would reuse at exact versions (PEP 440 equality), most first, then the
    newest. The interpreter is `python` (default: python3's in `rev`, the
    newest by default), in every revision: one without it reuses nothing.
    Packages of their own source are not counted: no revision has them."""
    needed = [p.package for p in provisions if p.verdict not in ("not-needed", "own-source")]
    package_set = index.package_set(index.revision(rev).id, python)
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
