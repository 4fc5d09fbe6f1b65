"""Revisions over time: what changed between two, a project's history, pruning.

All read from the index as `ingest` and `audit` store it. Packages are
compared by (set, attribute); the audit's findings by their key (rule, set,
attribute, project), when both revisions were audited.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from mapping.names import canonical_name

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


_STATE = """
select p.set_name, p.attr, p.status, p.version, p.pypi_name, p.error_kind
from packages p join revision_packages rp on rp.package_id = p.id and rp.revision_id = ?
where p.status in ('ok', 'error')
"""


def _state(conn: sqlite3.Connection, revision_id: int) -> dict[Key, tuple[Any, ...]]:
    return {(r[0], r[1]): r[2:] for r in conn.execute(_STATE, [revision_id])}


def _findings(conn: sqlite3.Connection, revision_id: int) -> dict[str, tuple[Any, ...]] | None:
    audited = conn.execute("select 1 from audits where revision_id = ?", [revision_id]).fetchone()
    if audited is None:
        return None
    return {
        row[0]: row[1:]
        for row in conn.execute(
            "select key, rule, set_name, attr, message from findings where revision_id = ?",
            [revision_id],
        )
    }


def diff_revisions(
    conn: sqlite3.Connection, a: tuple[int, str], b: tuple[int, str]
) -> RevisionDiff:
    """What changed from revision `a` to revision `b` (each: id, rev)."""
    before, after = _state(conn, a[0]), _state(conn, b[0])
    added, removed, versions, names, failing, fixed = [], [], [], [], [], []
    for key in sorted(after.keys() - before.keys()):
        status, version, _, kind = after[key]
        added.append(Change(*key, None, version if status == "ok" else f"({kind})"))
    for key in sorted(before.keys() - after.keys()):
        status, version, _, kind = before[key]
        removed.append(Change(*key, version if status == "ok" else f"({kind})", None))
    for key in sorted(before.keys() & after.keys()):
        (s1, v1, n1, k1), (s2, v2, n2, k2) = before[key], after[key]
        if s1 == "ok" and s2 == "ok":
            if v1 != v2:
                versions.append(Change(*key, v1, v2))
            if n1 != n2:
                names.append(Change(*key, n1, n2))
        elif s1 == "ok":
            failing.append(Change(*key, v1, k2))
        elif s2 == "ok":
            fixed.append(Change(*key, k1, v2))
    old, new = _findings(conn, a[0]), _findings(conn, b[0])
    new_findings: list[Change] = []
    fixed_findings: list[Change] = []
    if old is not None and new is not None:
        for finding in sorted(new.keys() - old.keys()):
            rule, set_name, attr, message = new[finding]
            new_findings.append(Change(set_name, attr, None, f"{rule}: {message}"))
        for finding in sorted(old.keys() - new.keys()):
            rule, set_name, attr, message = old[finding]
            fixed_findings.append(Change(set_name, attr, f"{rule}: {message}", None))
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
    packages: tuple[tuple[str, str, str | None, str], ...]  # set, attr, version, status

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
    conn: sqlite3.Connection, name: str, python: str | None = None, channel: str | None = None
) -> list[HistoryEntry]:
    """For a PyPI project, every indexed revision (oldest first) with the
    attributes and versions it had ("which nixpkgs has numpy 1.14?")."""
    rows = conn.execute(
        "select r.id, r.rev, r.channel, r.date, p.set_name, p.attr, p.version, p.status,"
        " p.error_kind, s.python_version"
        " from names n join packages p on p.id = n.package_id"
        " join revision_packages rp on rp.package_id = p.id"
        " join revisions r on r.id = rp.revision_id and r.status = 'complete'"
        " join package_sets s on s.revision_id = r.id and s.name = p.set_name"
        " where n.pypi_name = ? and (? is null or r.channel = ?)"
        " order by coalesce(r.date, r.indexed_at), r.id, p.set_name, p.attr",
        [canonical_name(name), channel, channel],
    ).fetchall()
    entries: dict[int, tuple[str, str | None, str | None, list[tuple[str, str, str | None, str]]]]
    entries = {}
    for rid, rev, chan, date, set_name, attr, version, status, kind, py in rows:
        if python is not None and python not in (py, set_name):
            continue
        entry = entries.setdefault(rid, (rev, chan, date, []))
        entry[3].append((set_name, attr, version, kind if status == "error" else status))
    return [HistoryEntry(rev, chan, date, tuple(p)) for rev, chan, date, p in entries.values()]


def prune_channel(conn: sqlite3.Connection, channel: str, keep: int) -> list[str]:
    """Delete all but the newest `keep` revisions of `channel`, and the packages
    no remaining revision holds (the caller holds the transaction). Returns
    the pruned revisions."""
    doomed = conn.execute(
        "select id, rev from revisions where channel = ? order by id desc limit -1 offset ?",
        [channel, keep],
    ).fetchall()
    ids = [row[0] for row in doomed]
    _delete_revisions(conn, ids)
    return [row[1] for row in doomed]


def _delete_revisions(conn: sqlite3.Connection, ids: Iterable[int]) -> None:
    ids = list(ids)
    if not ids:
        return
    marks = ",".join("?" for _ in ids)
    for table in ("findings", "audits", "revision_packages", "package_sets"):
        conn.execute(f"delete from {table} where revision_id in ({marks})", ids)
    conn.execute(f"delete from revisions where id in ({marks})", ids)
    # Packages no revision holds any more, with what hangs off them.
    conn.execute("create temp table if not exists orphans (id integer primary key)")
    conn.execute("delete from orphans")
    # A set difference: the membership key starts with the revision, not the package.
    conn.execute(
        "insert into orphans select id from packages except select package_id from revision_packages"
    )
    for table in ("inputs", "names", "eval_errors"):
        conn.execute(f"delete from {table} where package_id in (select id from orphans)")
    conn.execute("delete from packages where id in (select id from orphans)")
    conn.execute(
        "delete from positions where id in"
        " (select id from positions except select position_id from revision_packages)"
    )
