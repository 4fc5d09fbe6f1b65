"""Revisions over time: what changed between two, a project's history, pruning.

All read through `Index` from the index as `ingest` and `audit` store it.
Packages are compared by (set, attribute); the audit's findings by their
key (rule, set, attribute, project), when both revisions were audited.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from indexer_schema1.query.index import Index
from indexer_schema1.query.rows import PackageState

Key = tuple[str, str]  # (set, attribute)


@dataclass(frozen=True)
class Change:
    set_name: str
    attr: str
    before: str | None
    after: str | None

    def as_json(self) -> dict[str, Any]:
        return {"set": self.set_name, "attr": self.attr, "before": self.before, "after": self.after}


@dataclass(frozen=True)
class RevisionDiff:
    rev_a: str
    rev_b: str
    added: tuple[Change, ...]  # after: version
    removed: tuple[Change, ...]  # before: version
    version_changes: tuple[Change, ...]
    name_changes: tuple[Change, ...]  # the PyPI name the mapping gives
    newly_failing: tuple[Change, ...]  # ok before, an error (after: its kind) now
    fixed: tuple[Change, ...]  # an error before, ok now
    new_findings: tuple[Change, ...] = field(default=())  # after: rule: message
    fixed_findings: tuple[Change, ...] = field(default=())
    audited: bool = False

    def counts(self) -> dict[str, int]:
        return {
            "added": len(self.added),
            "removed": len(self.removed),
            "version_changes": len(self.version_changes),
            "name_changes": len(self.name_changes),
            "newly_failing": len(self.newly_failing),
            "fixed": len(self.fixed),
            "new_findings": len(self.new_findings),
            "fixed_findings": len(self.fixed_findings),
        }

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"from": self.rev_a, "to": self.rev_b, "counts": self.counts()}
        for name in ("added", "removed", "version_changes", "name_changes", "newly_failing",
                     "fixed", "new_findings", "fixed_findings"):  # fmt: skip
            data[name] = [c.as_json() for c in getattr(self, name)]
        data["audited"] = self.audited
        return data

    def summary(self, limit: int = 10) -> str:
        """A short human summary: counts, then up to `limit` lines per kind."""
        counts = ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in self.counts().items())
        lines = [f"{self.rev_a} → {self.rev_b}: {counts}"]
        labels = {
            "added": "+", "removed": "-", "version_changes": "~", "name_changes": "name",
            "newly_failing": "fails", "fixed": "fixed", "new_findings": "new finding",
            "fixed_findings": "fixed finding",
        }  # fmt: skip
        for name, label in labels.items():
            changes: tuple[Change, ...] = getattr(self, name)
            for c in changes[:limit]:
                arrow = (
                    f"{c.before} → {c.after}"
                    if c.before is not None and c.after is not None
                    else c.after or c.before or ""
                )
                lines.append(f"  {label} {c.set_name}.{c.attr} {arrow}".rstrip())
            if len(changes) > limit:
                lines.append(f"  … and {len(changes) - limit} more {name.replace('_', ' ')}")
        return "\n".join(lines)


def _as_index(source: Index | sqlite3.Connection) -> Index:
    # A bare connection is still taken, as before `Index` did every read.
    return source if isinstance(source, Index) else Index(source)


def _state(index: Index, revision_id: int) -> dict[Key, PackageState]:
    return {(p.set_name, p.attr): p for p in index.package_states(revision_id)}


def _findings(index: Index, revision_id: int) -> dict[str, FindingLike] | None:
    if not index.is_audited(revision_id):
        return None
    return {f.key: f for f in index.findings(revision_id)}


def _shown(p: PackageState) -> str | None:
    """A version, or (the kind of error) for an attribute that failed."""
    return p.version if p.status == "ok" else f"({p.error_kind})"


class FindingLike(Protocol):
    """A finding, stored (FindingRow) or just made by the audit (its Finding)."""

    @property
    def key(self) -> str: ...
    @property
    def rule(self) -> str: ...
    @property
    def set_name(self) -> str: ...
    @property
    def attr(self) -> str: ...
    @property
    def message(self) -> str: ...


def diff_revisions(
    index: Index | sqlite3.Connection,
    a: tuple[int, str],
    b: tuple[int, str],
    *,
    findings_b: Iterable[FindingLike] | None = None,
) -> RevisionDiff:
    """What changed from revision `a` to revision `b` (each: id, rev);
    `findings_b`: b's audit, when it is not stored yet (reindex)."""
    index = _as_index(index)
    before, after = _state(index, a[0]), _state(index, b[0])
    added, removed, versions, names, failing, fixed = [], [], [], [], [], []
    for key in sorted(after.keys() - before.keys()):
        added.append(Change(*key, None, _shown(after[key])))
    for key in sorted(before.keys() - after.keys()):
        removed.append(Change(*key, _shown(before[key]), None))
    for key in sorted(before.keys() & after.keys()):
        p1, p2 = before[key], after[key]
        if p1.status == "ok" and p2.status == "ok":
            if p1.version != p2.version:
                versions.append(Change(*key, p1.version, p2.version))
            if p1.pypi_name != p2.pypi_name:
                names.append(Change(*key, p1.pypi_name, p2.pypi_name))
        elif p1.status == "ok":
            failing.append(Change(*key, p1.version, p2.error_kind))
        elif p2.status == "ok":
            fixed.append(Change(*key, p1.error_kind, p2.version))
    old = _findings(index, a[0])
    new = _findings(index, b[0]) if findings_b is None else {f.key: f for f in findings_b}
    new_findings: list[Change] = []
    fixed_findings: list[Change] = []
    if old is not None and new is not None:
        for finding in sorted(new.keys() - old.keys()):
            f = new[finding]
            new_findings.append(Change(f.set_name, f.attr, None, f"{f.rule}: {f.message}"))
        for finding in sorted(old.keys() - new.keys()):
            f = old[finding]
            fixed_findings.append(Change(f.set_name, f.attr, f"{f.rule}: {f.message}", None))
    return RevisionDiff(
        a[1], b[1], tuple(added), tuple(removed), tuple(versions), tuple(names),
        tuple(failing), tuple(fixed), tuple(new_findings), tuple(fixed_findings),
        audited=old is not None and new is not None,
    )  # fmt: skip


@dataclass(frozen=True)
class HistoryEntry:
    rev: str
    channel: str | None
    date: str | None
    # set, attr, version, status (or the kind of error; None if the store has none)
    packages: tuple[tuple[str, str, str | None, str | None], ...]

    def as_json(self) -> dict[str, Any]:
        return {
            "rev": self.rev,
            "channel": self.channel,
            "date": self.date,
            "packages": [
                {"attr": f"{s}.{a}", "version": v, "status": st} for s, a, v, st in self.packages
            ],
        }


def project_history(
    index: Index | sqlite3.Connection,
    name: str,
    python: str | None = None,
    channel: str | None = None,
) -> list[HistoryEntry]:
    """For a PyPI project, every indexed revision (oldest first) with the
    attributes and versions it had ("which nixpkgs has numpy 1.14?")."""
    entries: dict[
        int, tuple[str, str | None, str | None, list[tuple[str, str, str | None, str | None]]]
    ]
    entries = {}
    for p in _as_index(index).project_packages(name, channel):
        if python is not None and python not in (p.python_version, p.set_name):
            continue
        entry = entries.setdefault(p.revision_id, (p.rev, p.channel, p.date, []))
        status = p.error_kind if p.status == "error" else p.status
        entry[3].append((p.set_name, p.attr, p.version, status))
    return [HistoryEntry(rev, chan, date, tuple(p)) for rev, chan, date, p in entries.values()]
