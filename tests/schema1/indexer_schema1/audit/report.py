"""The audit's findings as a table, JSON, CSV or a Markdown report.

The Markdown report is what a maintainer pastes into an issue: counts per
rule, then a checklist per rule, findings of several sets merged into one
item, with the ready-made rename and alias lines.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass

from indexer_schema1.audit.checks import Finding
from indexer_schema1.audit.rules import REPORT_FORMATS, RULES
from indexer_schema1.audit.run import AuditResult

FORMATS = REPORT_FORMATS


@dataclass(frozen=True)
class _Item:
    """Findings of one rule about one attribute, merged across sets."""

    rule: str
    attr: str
    message: str
    suggestion: str | None
    position: str | None
    sets: tuple[str, ...]
    alias: str | None
    new_attr: str | None


def _merged(findings: tuple[Finding, ...]) -> list[_Item]:
    items: dict[tuple[str, str, str, str | None], list[Finding]] = {}
    for f in findings:
        items.setdefault((f.rule, f.attr, f.message, f.suggestion), []).append(f)
    return [
        _Item(
            rule,
            attr,
            message,
            suggestion,
            group[0].position,
            tuple(f.set_name for f in group),
            group[0].evidence.get("alias"),
            group[0].evidence.get("new_attr"),
        )
        for (rule, attr, message, suggestion), group in items.items()
    ]


def render(result: AuditResult, fmt: str) -> str:
    return {"table": _table, "json": _json, "csv": _csv, "markdown": _markdown}[fmt](result)


def _header_lines(result: AuditResult) -> Iterator[str]:
    scope = f"revision {result.rev}"
    if result.base_rev is not None:
        scope += f", new since {result.base_rev}"
    yield scope
    if result.skipped_rules:
        yield f"skipped (need --pypi-names): {', '.join(result.skipped_rules)}"


def _table(result: AuditResult) -> str:
    lines = [f"# {line}" for line in _header_lines(result)]
    for item in _merged(result.findings):
        lines.append(f"{item.rule}\t{item.attr}\t{item.message}\t[{' '.join(item.sets)}]")
        if item.suggestion:
            lines.append(f"\t→ {item.suggestion}")
    counts = ", ".join(f"{n} {rule}" for rule, n in result.counts().items() if n)
    lines.append(f"# {len(result.findings)} findings" + (f": {counts}" if counts else ""))
    return "\n".join(lines) + "\n"


def _json(result: AuditResult) -> str:
    return (
        json.dumps(
            {
                "revision": result.rev,
                "since": result.base_rev,
                "rules": list(result.rules),
                "skipped_rules": list(result.skipped_rules),
                "pypi_names": result.pypi_names_source,
                "counts": result.counts(),
                "findings": [f.as_json() for f in result.findings],
            },
            indent=2,
        )
        + "\n"
    )


def _csv(result: AuditResult) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["rule", "set", "attr", "pypi_name", "message", "suggestion", "position"])
    for f in result.findings:
        writer.writerow([f.rule, f.set_name, f.attr, f.pypi_name or "", f.message,
                         f.suggestion or "", f.position or ""])  # fmt: skip
    return out.getvalue()


def _markdown(result: AuditResult) -> str:
    counts = result.counts()
    lines = ["# Python attribute names: packaging health report", ""]
    lines += [line[0].upper() + line[1:] + "." for line in _header_lines(result)]
    if result.pypi_names_source:
        lines.append(f"PyPI project names: {result.pypi_names_source}.")
    lines += ["", "| rule | findings | what it checks |", "| --- | ---: | --- |"]
    for rule, n in counts.items():
        lines.append(f"| [{rule}](#{rule}) | {n} | {RULES[rule].title} |")
    items = _merged(result.findings)
    for rule in result.rules:
        mine = [i for i in items if i.rule == rule]
        if not mine:
            continue
        lines += ["", f"## {rule}", "", f"{RULES[rule].title}: {RULES[rule].explanation}", ""]
        for item in mine:
            where = f" — `{item.position}`" if item.position else ""
            rename = f" → rename to `{item.new_attr}`" if item.new_attr else ""
            lines.append(
                f"- [ ] `{item.attr}`{rename}: {item.message} ({', '.join(item.sets)}){where}"
            )
            if item.suggestion and not item.alias:
                lines.append(f"  - {item.suggestion}")
        aliases = sorted({i.alias for i in mine if i.alias})
        if aliases:
            lines += ["", "Alias lines for `pkgs/top-level/python-aliases.nix`:", "", "```nix"]
            lines += aliases
            lines.append("```")
    return "\n".join(lines) + "\n"
