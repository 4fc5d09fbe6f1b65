"""Datasette metadata for browsing an index: canned queries for the audit.

`python -m indexer.audit.datasette > docs/datasette-metadata.json` writes the
file docs/datasette.md describes (a test checks that the committed file is
this module's output). The queries are plain SQLite and written for
Datasette 0.64–0.65, which passes an empty string, not NULL, for a parameter
left empty: every parameter is optional, and empty means the default.

Parameters, in every query that has them:

* `rev`: a revision by name (a nixpkgs commit, `dump-…`), a unique prefix
  of one, or a row id. Default: the newest audited revision (findings), or
  the newest revision (packages).
* `set`: a package set (`python313Packages`, `python3Packages`) or its
  Python version (`3.13`). Default: every set.
* `since`: the base revision of `new-findings` and `fixed-findings`, named
  like `rev`. Default: the audited revision before `rev`.
* `project`: a PyPI project name, in any spelling. Default: every project.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from indexer_schema1.audit.rules import RULES


def _revision(param: str, default: str) -> str:
    """The id of the revision a parameter names (name, unique prefix or row
    id; `default` when it is empty), as a scalar subquery."""
    return (
        f"(select case when coalesce(:{param}, '') = '' then ({default}) else coalesce("
        f"(select id from revisions where status = 'complete' and rev = :{param}), "
        f"(select case when count(*) = 1 then min(id) end from revisions"
        f" where status = 'complete' and substr(rev, 1, length(:{param})) = :{param}), "
        f"(select id from revisions where status = 'complete' and cast(id as text) = :{param})"
        f") end)"
    )


NEWEST_AUDITED = "select max(revision_id) from audits"
NEWEST = "select max(id) from revisions where status = 'complete'"


def _in_set(column: str, revision: str) -> str:
    """`column` (a set name) is the set :set names, or :set is empty."""
    return (
        f"(coalesce(:set, '') = '' or {column} = :set or {column} in ("
        f"select ps.name from package_sets ps where ps.revision_id = {revision}"
        f" and (ps.python_version = :set"
        f" or exists (select 1 from json_each(ps.same_as) where value = :set))))"
    )


def _project(param: str = "project") -> str:
    """:project in PEP 503 form (lower case, runs of -_. as one dash)."""
    text = f"lower(trim(:{param}))"
    for sep in ("_", "."):
        text = f"replace({text}, '{sep}', '-')"
    for _ in range(3):  # "a__b" → "a--b" → "a-b"
        text = f"replace({text}, '--', '-')"
    return text


def _rule_query(rule: str) -> str:
    kind = "json_extract(f.evidence, '$.kind') as kind, " if rule == "eval-error" else ""
    return (
        f"with chosen as (select {_revision('rev', NEWEST_AUDITED)} as id)\n"
        f"select f.attr, {kind}group_concat(f.set_name, ' ') as sets, f.pypi_name, f.message,"
        " f.suggestion, f.position, r.rev\n"
        "from chosen join (select * from findings"
        f" where rule = '{rule}' and revision_id = (select id from chosen) order by set_name) f\n"
        "join revisions r on r.id = f.revision_id\n"
        f"where {_in_set('f.set_name', 'chosen.id')}\n"
        "group by f.attr, f.pypi_name, f.message, f.suggestion, f.position\n"
        "order by f.attr, f.pypi_name, f.message"
    )


REV_HELP = (
    "rev: a revision (nixpkgs commit, dump-…, a unique prefix, or a row id); "
    "empty: the newest audited one."
)
SET_HELP = "set: python313Packages, python3Packages or 3.13; empty: every set."


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _rules_table() -> str:
    rows = ", ".join(f"({_literal(r.id)}, {_literal(r.title)})" for r in RULES.values())
    return f"rules(rule, title) as (values {rows})"


def queries() -> dict[str, dict[str, Any]]:
    result: dict[str, dict[str, Any]] = {}
    result["findings-by-rule"] = {
        "hide_sql": True,
        "title": "Findings per rule",
        "description": "How many attributes each rule found. " + REV_HELP + " " + SET_HELP,
        "params": ["rev", "set"],
        "sql": (
            f"with chosen as (select {_revision('rev', NEWEST_AUDITED)} as id),\n"
            f"{_rules_table()}\n"
            "select f.rule, rules.title, count(*) as findings,"
            " count(distinct f.attr) as attributes, r.rev\n"
            "from findings f\n"
            "join chosen on f.revision_id = chosen.id\n"
            "join revisions r on r.id = f.revision_id\n"
            "left join rules on rules.rule = f.rule\n"
            f"where {_in_set('f.set_name', 'chosen.id')}\n"
            "group by f.rule order by findings desc, f.rule"
        ),
    }
    for rule in RULES.values():
        result[rule.id] = {
            "title": f"{rule.id}: {rule.title}",
            "hide_sql": True,
            "description": rule.explanation
            + " One row per attribute, its sets merged. "
            + REV_HELP
            + " "
            + SET_HELP,
            "params": ["rev", "set"],
            "sql": _rule_query(rule.id),
        }
    result["eval-errors-by-kind"] = {
        "hide_sql": True,
        "title": "Evaluation errors by kind",
        "description": "The eval-error findings counted by kind. " + REV_HELP + " " + SET_HELP,
        "params": ["rev", "set"],
        "sql": (
            f"with chosen as (select {_revision('rev', NEWEST_AUDITED)} as id)\n"
            "select json_extract(f.evidence, '$.kind') as kind, count(*) as findings,"
            " count(distinct f.attr) as attributes\n"
            "from findings f join chosen on f.revision_id = chosen.id\n"
            f"where f.rule = 'eval-error' and {_in_set('f.set_name', 'chosen.id')}\n"
            "group by kind order by findings desc, kind"
        ),
    }
    since_default = "select max(revision_id) from audits where revision_id < (select id from a)"
    compare = (
        " (compared by rule, set, attribute and project, as `audit --since` does). "
        + REV_HELP
        + " since: named the same way; empty: the audited revision before rev. "
        + SET_HELP
    )
    for name, title, description, newer, older in (
        ("new-findings", "Findings new since a revision",
         "Findings of revision rev that revision since does not have", "a", "b"),
        ("fixed-findings", "Findings fixed since a revision",
         "Findings of revision since that revision rev no longer has", "b", "a"),
    ):  # fmt: skip
        result[name] = {
            "title": title,
            "hide_sql": True,
            "description": description + compare,
            "params": ["rev", "since", "set"],
            "sql": (
                f"with a as (select {_revision('rev', NEWEST_AUDITED)} as id),\n"
                f"b as (select {_revision('since', since_default)} as id)\n"
                "select f.rule, f.set_name, f.attr, f.pypi_name, f.message, f.suggestion,"
                " f.position, ra.rev as rev, rb.rev as since\n"
                "from findings f\n"
                "join revisions ra on ra.id = (select id from a)\n"
                "join revisions rb on rb.id = (select id from b)\n"
                f"where f.revision_id = (select id from {newer})\n"
                "  and f.key not in"
                f" (select key from findings where revision_id = (select id from {older}))\n"
                f"  and {_in_set('f.set_name', f'(select id from {newer})')}\n"
                "order by f.rule, f.attr, f.set_name"
            ),
        }
    result["provides"] = {
        "hide_sql": True,
        "title": "Which attributes provide a PyPI project",
        "description": (
            "The attributes whose package is PyPI project `project` (any spelling), with "
            "version, status and how the name was found. project: empty for every project. "
            "rev: a revision (nixpkgs commit, dump-…, a unique prefix, or a row id); empty: "
            "the newest one. " + SET_HELP
        ),
        "params": ["project", "rev", "set"],
        "sql": (
            f"with chosen as (select {_revision('rev', NEWEST)} as id)\n"
            "select n.pypi_name, p.set_name || '.' || p.attr as attr_path, p.version,"
            " case when p.error_kind = 'disabled' then 'disabled' else p.status end as status,"
            " p.name_source, p.confidence, p.broken, p.available, p.python_module, r.rev\n"
            "from chosen\n"
            "join revision_packages rp on rp.revision_id = chosen.id\n"
            "join names n on n.package_id = rp.package_id\n"
            "join packages p on p.id = n.package_id\n"
            "join revisions r on r.id = chosen.id\n"
            f"where (coalesce(:project, '') = '' or n.pypi_name = {_project()})\n"
            f"  and {_in_set('p.set_name', 'chosen.id')}\n"
            "order by n.pypi_name, p.set_name, p.attr"
        ),
    }
    result["project-history"] = {
        "hide_sql": True,
        "title": "History of a PyPI project",
        "description": (
            "Which indexed revisions had PyPI project `project` (any spelling), with which "
            "attributes and versions, oldest first, as `nixpkgs-pyindex history` prints it. "
            "project: empty for every project. set: python313Packages, python3Packages or "
            "3.13; empty: every set. channel: empty for every channel."
        ),
        "params": ["project", "set", "channel"],
        "sql": (
            "select n.pypi_name, r.rev, r.date, r.channel,"
            " group_concat(p.set_name || '.' || p.attr || ' ' || coalesce(p.version, '?')"
            " || case when p.status = 'ok' then '' else ' (' || coalesce(p.error_kind,"
            " p.status) || ')' end, ', ') as attributes\n"
            "from names n\n"
            "join packages p on p.id = n.package_id\n"
            "join revision_packages rp on rp.package_id = p.id\n"
            "join revisions r on r.id = rp.revision_id and r.status = 'complete'\n"
            f"where (coalesce(:project, '') = '' or n.pypi_name = {_project()})\n"
            "  and (coalesce(:channel, '') = '' or r.channel = :channel)\n"
            f"  and {_in_set('p.set_name', 'r.id')}\n"
            "group by n.pypi_name, r.id\n"
            "order by n.pypi_name, coalesce(r.date, r.indexed_at), r.id"
        ),
    }
    return result


def metadata() -> dict[str, Any]:
    """The whole metadata document, for the database named `index`
    (Datasette names a database after its file: index.sqlite)."""
    return {
        "title": "nixpkgs-pyindex",
        "description": (
            "nixpkgs Python attributes and their PyPI projects, with the audit's findings. "
            "See docs/datasette.md, docs/audit.md and docs/db-schema.md."
        ),
        "databases": {"index": {"queries": queries()}},
    }


def main() -> None:
    sys.stdout.write(json.dumps(metadata(), indent=2, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
