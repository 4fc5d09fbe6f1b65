"""The audit of one revision: read its packages, run the rules, store the findings.

The rules themselves are pure (`indexer.audit.checks`); this module does
their I/O: the packages are read through `Index`, the findings written in
one transaction.
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from collections.abc import Container, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from indexer.audit.checks import (
    RULE_FUNCTIONS,
    AuditContext,
    Finding,
    Package,
    RuleFunction,
    alias_line,
    audit_packages,
    new_since,
    undated,
)
from indexer.audit.rules import RULES
from indexer.errors import AuditInputError
from indexer.query.index import Index
from indexer.store.writer import FindingRow, Writer
from mapping.candidates import NO_RELEASES

if TYPE_CHECKING:
    from indexer.pypinames import PyPINames

__all__ = [
    "RULES",
    "RULE_FUNCTIONS",
    "AuditContext",
    "AuditInputError",
    "AuditResult",
    "Finding",
    "Package",
    "RuleFunction",
    "alias_line",
    "audit_packages",
    "load_packages",
    "new_since",
    "run_audit",
    "store_audit",
    "store_findings",
]


# ---- from and to the index ----------------------------------------------


def load_packages(
    index: Index | sqlite3.Connection,
    revision_id: int,
    sets: Iterable[str] | None = None,
    records: bool = False,
) -> list[Package]:
    """The packages of a revision (of `sets`, default all), as the rules read
    them; `records`: for rules that decide names with a PyPI list."""
    if not isinstance(index, Index):
        index = Index(index)  # a bare connection, as before `Index` did every read
    wanted = set(sets) if sets else None
    return [
        Package.from_row(row)
        for row in index.audit_packages(revision_id, records)
        if wanted is None or row.set_name in wanted
    ]


def store_findings(
    writer: Writer,
    revision_id: int,
    findings: Sequence[Finding],
    pypi_names_source: str | None,
    audited_at: str,
) -> None:
    """Replace the revision's stored findings (one transaction)."""
    counts: dict[str, int] = defaultdict(int)
    for f in findings:
        counts[f.rule] += 1
    writer.replace_findings(
        revision_id,
        audited_at=audited_at,
        pypi_names_source=pypi_names_source,
        counts=counts,
        findings=[stored_finding(f) for f in findings],
    )


def stored_finding(f: Finding) -> FindingRow:
    """What the index keeps of a finding: the same in every revision it
    holds over. No day (`undated`), and no position, which moves with every
    edit above the package in a shared file: the revision's own, read back
    from where the package is defined (the `revision_findings` view)."""
    evidence = {k: v for k, v in f.evidence.items() if k not in ("position", "positions")}
    return (
        f.key, f.rule, f.set_name, f.attr, f.pypi_name, f.message,
        f.suggestion and undated(f.suggestion), undated(json.dumps(evidence, sort_keys=True)),
    )  # fmt: skip


# ---- one audit of one revision ------------------------------------------


@dataclass(frozen=True)
class AuditResult:
    rev: str
    base_rev: str | None
    rules: tuple[str, ...]
    skipped_rules: tuple[str, ...]  # need --pypi-names
    pypi_names_source: str | None
    findings: tuple[Finding, ...]

    def counts(self) -> dict[str, int]:
        counts = {rule: 0 for rule in self.rules}
        for f in self.findings:
            counts[f.rule] += 1
        return counts

    def fired(self, fail_on: Container[str]) -> list[str]:
        """The rules of `fail_on` (rule ids, or "any") that found something."""
        counts = self.counts()
        return [r for r in counts if counts[r] and ("any" in fail_on or r in fail_on)]


def check_fail_on(fail_on: Iterable[str]) -> None:
    """`--fail-on` names rules of the catalogue, or "any"."""
    for rule in fail_on:
        if rule != "any" and rule not in RULES:
            raise AuditInputError(f"unknown rule {rule!r} in --fail-on")


def run_audit(
    db_path: Path,
    rev: str | None = None,
    *,
    sets: Sequence[str] = (),
    rules: Sequence[str] = (),
    pypi_names: PyPINames | None = None,
    since: str | None = None,
    store: bool = True,
    today: date | None = None,
    index: Index | None = None,
) -> AuditResult:
    """Audit revision `rev` (default: the newest) of the index; with `since`,
    keep only the findings that revision `since` does not have. `pypi_names`:
    PyPI's list, for the rules that need it (its names and releases; its
    source is stored with the findings). `index`: an open reader of
    `db_path` to read through (default: one opened here)."""
    unknown = [r for r in rules if r not in RULES]
    if unknown:
        raise AuditInputError(f"unknown rule {unknown[0]!r} (rules: {', '.join(RULES)})")
    chosen = tuple(rules) or tuple(RULES)
    skipped = tuple(r for r in chosen if RULES[r].needs_pypi_names and pypi_names is None)
    releases = NO_RELEASES if pypi_names is None else pypi_names.releases
    pypi_names_source = None if pypi_names is None else pypi_names.source
    ctx = AuditContext(today or date.today(), pypi_names, releases)
    if index is None:
        with Index.open(db_path) as opened:
            revision_id, result = _audit(opened, rev, sets, chosen, skipped, since, ctx)
    else:
        revision_id, result = _audit(index, rev, sets, chosen, skipped, since, ctx)
    if store:
        store_audit(db_path, revision_id, result.all_findings, pypi_names_source)
    return AuditResult(
        result.rev,
        result.base_rev,
        chosen,
        skipped,
        pypi_names_source,
        result.findings,
    )


@dataclass(frozen=True)
class _Audited:
    rev: str
    base_rev: str | None
    findings: tuple[Finding, ...]  # the ones to report (new since `since`)
    all_findings: tuple[Finding, ...]  # the ones to store


def _audit(
    index: Index,
    rev: str | None,
    sets: Sequence[str],
    chosen: tuple[str, ...],
    skipped: tuple[str, ...],
    since: str | None,
    ctx: AuditContext,
) -> tuple[int, _Audited]:
    revision = index.revision(rev)
    wanted = _wanted_sets(index, revision.id, revision.rev, sets)
    with_list = ctx.pypi_names is not None
    packages = load_packages(index, revision.id, wanted or None, with_list)
    findings = tuple(audit_packages(packages, rules=chosen, ctx=ctx))
    if since is None:
        return revision.id, _Audited(revision.rev, None, findings, findings)
    base = index.revision(since)
    base_packages = load_packages(index, base.id, wanted or None, with_list)
    old = audit_packages(base_packages, rules=chosen, ctx=ctx)
    return revision.id, _Audited(revision.rev, base.rev, new_since(findings, old), findings)


def _wanted_sets(index: Index, revision_id: int, rev: str, sets: Sequence[str]) -> list[str]:
    """The sets named (by name or alias: python3Packages), as the revision names them."""
    known_sets = {s.name for s in index.package_sets(revision_id)}
    aliases = {a: s.name for s in index.package_sets(revision_id) for a in s.same_as}
    wanted = [aliases.get(s, s) for s in sets]
    for s in wanted:
        if s not in known_sets:
            raise AuditInputError(f"no package set {s!r} in revision {rev}")
    return wanted


def store_audit(
    db_path: Path, revision_id: int, findings: Sequence[Finding], source: str | None
) -> None:
    """Store an audit of a revision: its `findings`, with the PyPI names' `source`."""
    with Writer.open(db_path) as writer:
        audited_at = datetime.now(timezone.utc).isoformat(timespec="seconds")
        store_findings(writer, revision_id, findings, source, audited_at)
