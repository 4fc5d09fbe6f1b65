"""The index's rows, named, and the statements that read them.

Each row type lists the columns it reads; its statement's select list is
made from those names, so a row is read by name (`row.version`) and can
never drift from the SQL that fills it. The membership of a revision (its
packages: `packages` joined with the `members` spans that cover it, and
their set) is written once, `MEMBERS`, and every read of one revision's
packages starts from it.

Some stored text is factored (indexer/store/factoring.py): the rows that
carry it have a `factored` field, and `Index` expands them.

Statements bind named parameters (`:revision`, …). `Index` runs them;
nothing else in the package reads the database.
"""

from __future__ import annotations

import dataclasses
import functools
import sqlite3
from collections.abc import Callable, Mapping, Sequence
from typing import Any, NamedTuple, TypeVar

from indexer.query.nativeexpr import NativeInput
from indexer.store.spans import covers

# One revision's packages: `p` a package, `m` its membership span, `st` its set.
MEMBERS = (
    "packages p join members m on m.package_id = p.id and "
    + covers("m")
    + " join sets st on st.id = m.set_id"
)
# The same, read from the packages (by name or attribute) to their spans:
# SQLite keeps a cross join's order, and `+` keeps it off the revision's
# index for the spans, so that it takes each package's own.
MEMBERS_OF_PACKAGES = (
    "packages p cross join members m cross join sets st where m.package_id = p.id and "
    + covers("m").replace("m.last_id", "+m.last_id")
    + " and st.id = m.set_id"
)
# The members of set `:set` only.
IN_SET = "m.set_id = (select id from sets where name = :set)"


def _position_of(set_id: str) -> str:
    # The attribute's span of that set starting last before the revision,
    # if it reaches the revision: one seek of the primary key.
    return (
        "(select case when sp.last_id >= :revision then sp.position_id end"
        " from position_spans sp where sp.chain_id = m.chain_id and sp.attr = p.attr"
        f" and sp.set_id = {set_id} and sp.first_id <= :revision order by sp.first_id desc limit 1)"
    )


# Where the member's attribute is defined in the revision: its set's own
# position, else the one every set shares (set_id 0).
POSITION = (
    "(select position from positions where id = coalesce("
    + _position_of("m.set_id")
    + ", "
    + _position_of("0")
    + "))"
)


def expanded(column: str) -> str:
    """`column` of a factored package with its set's strings put back
    (indexer/store/factoring.py), in SQL: `ps` is the member's package_sets
    row. A row stored as it was (factored = 0) is left alone."""
    return (
        f"case when p.factored then replace(replace({column},"
        " char(1), coalesce(ps.lib_prefix, char(1))), char(2), coalesce(ps.interpreter, char(2)))"
        f" else {column} end"
    )
# Columns of the package rows that live elsewhere in schema 2.
_MOVED = {"set_name": "st.name"}


def members(
    columns: str, *, lead: str = "", joins: str = "", where: str = "", order: str = "",
    by_package: bool = False,
) -> str:  # fmt: skip
    """A select of the packages of revision `:revision`; `lead`: a table to
    start from, before the packages (its join condition goes in `where`);
    `by_package`: start from the packages `where` picks (by attribute).

    Otherwise SQLite starts from the revision's spans. A lookup by PyPI name
    reads the name's few packages, then their spans, instead of every
    member of the revision (checked with EXPLAIN QUERY PLAN in
    tests/test_queries.py)."""
    if lead or by_package:
        start = f"{lead} cross join " if lead else ""
        sql = f"select {columns} from {start}{MEMBERS_OF_PACKAGES}"
        if joins:
            raise ValueError("joins go with the revision's spans first")
        if where:
            sql += f" and {where}"
    else:
        sql = f"select {columns} from {MEMBERS}"
        if joins:
            sql += f" {joins}"
        if where:
            sql += f" where {where}"
    if order:
        sql += f" order by {order}"
    return sql


def select_list(row: type[Any], table: str = "p", **exprs: str) -> str:
    """`table.name` for each of the row's fields, or the expression given
    for it (`position=POSITION`), in the row's order."""
    moved = _MOVED if table == "p" else {}
    return ", ".join(
        exprs.get(name, moved.get(name, f"{table}.{name}")) for name in field_names(row)
    )


def field_names(row: type[Any]) -> tuple[str, ...]:
    if dataclasses.is_dataclass(row):
        return tuple(f.name for f in dataclasses.fields(row))
    names: tuple[str, ...] = row._fields
    return names


R = TypeVar("R")

_MAKERS: dict[type[Any], Callable[[Sequence[Any]], Any]] = {}


def _maker(row: type[R]) -> Callable[[Sequence[Any]], R]:
    """How to make a `row` of a result's values: for a NamedTuple, tuple's
    own constructor (no Python call per row: the resolver's hot path)."""
    make = _MAKERS.get(row)
    if make is None:
        if dataclasses.is_dataclass(row):
            make = _MAKERS[row] = lambda values: row(*values)
        else:
            make = _MAKERS[row] = functools.partial(tuple.__new__, row)  # type: ignore[type-var]
    return make


def read(
    conn: sqlite3.Connection, row: type[R], sql: str, params: Mapping[str, Any] = {}
) -> list[R]:
    """Every row of `sql`, whose select list is `row`'s fields (see select_list)."""
    return list(map(_maker(row), conn.execute(sql, params)))


def read_one(
    conn: sqlite3.Connection, row: type[R], sql: str, params: Mapping[str, Any] = {}
) -> R | None:
    values = conn.execute(sql, params).fetchone()
    return None if values is None else _maker(row)(values)


# ---- revisions ------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Revision:
    id: int
    rev: str
    channel: str | None
    date: str | None
    indexed_at: str
    nixpkgs_version: str | None
    source: str | None


REVISIONS = f"select {select_list(Revision, 'revisions')} from revisions where status = 'complete'"


class RevisionRef(NamedTuple):
    """A revision stored in any state, by id and commit."""

    id: int
    rev: str


REVISION_BY_REV = f"select {select_list(RevisionRef, 'revisions')} from revisions where rev = :rev"
REVISION_BY_ID = f"select {select_list(RevisionRef, 'revisions')} from revisions where id = :id"
PREVIOUS_OF_CHANNEL = (
    f"select {select_list(RevisionRef, 'revisions')} from revisions"
    " where channel = :channel and status = 'complete' and id != coalesce(:exclude, -1)"
    " order by id desc limit 1"
)
AUDITED = "select 1 from audits where revision_id = :revision"


class PackageSetRow(NamedTuple):
    name: str
    same_as: str | None  # JSON list
    python_version: str | None
    interpreter_version: str | None
    implementation: str | None


PACKAGE_SETS = (
    f"select {select_list(PackageSetRow, 'package_sets')} from package_sets"
    " where revision_id = :revision order by name"
)


# ---- a requirement's candidates -------------------------------------------


class NamedPackage(NamedTuple):
    """A package of one set that a PyPI name maps to."""

    id: int
    attr: str
    status: str
    version: str | None
    version_normalized: str | None
    version_valid: int | None
    name_source: str
    confidence: str
    override_reason: str | None
    broken: int | None
    available: int | None
    error_kind: str | None
    python_module: int | None
    inputs_from: str | None
    factored: int


PACKAGES_OF_NAME = members(
    select_list(NamedPackage),
    lead="names n",
    where=f"n.package_id = p.id and n.pypi_name = :name and {IN_SET}",
)

NATIVES = (
    f"select {select_list(NativeInput, 'inputs')} from inputs"
    " where package_id = :package and native = 1 and extra is null order by seq"
)
# The version of input :name of a set, stored by reference, in one revision.
INPUT_VERSION = (
    "select v.version from input_versions v where "
    + covers("v")
    + " and v.set_id = (select id from sets where name = :set) and v.name = :name"
)
SET_STRINGS = (
    "select lib_prefix, interpreter from package_sets where revision_id = :revision and name = :set"
)


class ExtraInput(NamedTuple):
    extra: str
    pypi_name: str | None


EXTRAS = (
    f"select {select_list(ExtraInput, 'inputs')} from inputs"
    " where package_id = :package and extra is not null order by seq"
)

# `show`: every column, as sqlite3.Row (the record, its hash and whether it
# is factored aside, by the caller), in the order schema 1 had them.
SHOWN_COLUMNS = (
    "id", "content_sha256", "set_name", "attr", "status", "drv_name", "pname", "version",
    "version_normalized", "version_valid", "python_version", "python_module", "application",
    "pypi_name", "pypi_spelled", "name_source", "confidence", "override_reason", "url_version",
    "version_mismatch", "name_evidence", "fetchpypi_pname", "src_urls", "homepage",
    "description", "broken", "unfree", "insecure", "available", "alias_target", "error_kind",
    "inputs_from", "record",
)  # fmt: skip
SHOWN = members(
    ", ".join(
        {"set_name": "st.name as set_name",
         "python_version": "(select python_version from package_sets where"
         " revision_id = :revision and name = st.name) as python_version"}.get(c, f"p.{c}")
        for c in SHOWN_COLUMNS
    )  # fmt: skip
    + f", {POSITION} as position, p.factored",
    where=f"p.attr = :attr and {IN_SET}",
    by_package=True,
)
SHOWN_INPUTS = "select * from inputs where package_id = :package order by seq"
SHOWN_ERROR = "select kind, cause, message from eval_errors where package_id = :package"


# ---- history --------------------------------------------------------------


class PackageState(NamedTuple):
    """What a revision diff compares of one attribute."""

    set_name: str
    attr: str
    status: str
    version: str | None
    pypi_name: str | None
    error_kind: str | None


PACKAGE_STATES = members(select_list(PackageState), where="p.status in ('ok', 'error')")


class FindingRow(NamedTuple):
    key: str
    rule: str
    set_name: str
    attr: str
    message: str


# Spans hold over the revisions of their chain whether audited or not: the
# findings of an audited revision only.
FINDINGS = (
    f"select {select_list(FindingRow, 'f')} from audits a cross join finding_spans fs"
    " join findings f on f.id = fs.finding_id where a.revision_id = :revision and "
    + covers("fs") + " order by f.key"
)


class ProjectPackage(NamedTuple):
    """One attribute of a PyPI project in one indexed revision."""

    revision_id: int
    rev: str
    channel: str | None
    date: str | None
    set_name: str
    attr: str
    version: str | None
    status: str
    error_kind: str | None
    python_version: str | None


class ProjectSpan(NamedTuple):
    """A package of a PyPI project, in one set, over a span of a chain."""

    set_name: str
    attr: str
    version: str | None
    status: str
    error_kind: str | None
    chain_id: int
    first_id: int
    last_id: int


# Every revision, so not MEMBERS: the project's packages and their spans
# (a few rows however many revisions); `Index` lays them over the revisions.
PROJECT_SPANS = (
    f"select {select_list(ProjectSpan, 'm', set_name='st.name', attr='p.attr', version='p.version', status='p.status', error_kind='p.error_kind')}"  # noqa: E501
    " from names n cross join packages p cross join members m cross join sets st"
    " where n.pypi_name = :name and p.id = n.package_id and m.package_id = p.id"
    " and st.id = m.set_id"
)


class ChainRevision(NamedTuple):
    id: int
    rev: str
    channel: str | None
    date: str | None
    indexed_at: str
    chain_id: int


CHAIN_REVISIONS = (
    f"select {select_list(ChainRevision, 'revisions')} from revisions"
    " where status = 'complete' order by id"
)
SET_PYTHON_VERSIONS = "select revision_id, name, python_version from package_sets"
# Changes when a revision is added or pruned.
REVISIONS_STATE = "select max(id), count(*) from revisions"


# ---- exports --------------------------------------------------------------


class ExportPackage(NamedTuple):
    """A package under one of its PyPI names (`export json`)."""

    pypi_name: str
    set_name: str
    attr: str
    version: str | None
    status: str
    error_kind: str | None
    name_source: str
    confidence: str
    broken: int | None
    available: int | None
    python_module: int | None


EXPORT_PACKAGES = members(
    select_list(ExportPackage, pypi_name="n.pypi_name"),
    lead="names n",
    where="p.id = n.package_id",
    order="n.pypi_name, st.name, p.attr",
)


class MachNixPackage(NamedTuple):
    """An attribute of one set as mach-nix's index names it."""

    attr: str
    status: str
    pname: str | None  # the PyPI spelling where known; None: not on PyPI
    version: str | None
    alias_target: str | None
    broken: int | None
    available: int | None
    confidence: str | None
    url_version: str | None  # the version the PyPI evidence carries
    version_mismatch: int | None


MACH_NIX_PACKAGES = members(
    select_list(
        MachNixPackage,
        # A package the overrides say is not on PyPI has no pname@version for mach-nix.
        pname="case when p.name_source = 'override' and p.pypi_name is null then null"
        " else coalesce(p.pypi_spelled, p.pname) end",
    ),
    where=f"{IN_SET} and p.status in ('ok', 'alias')",
    order="p.attr",
)


class OverlayPackage(NamedTuple):
    """A package of one set under one of its PyPI names (`export pyproject-nix`)."""

    id: int
    pypi_name: str
    attr: str
    version: str | None
    version_normalized: str | None
    confidence: str
    broken: int | None
    available: int | None
    python_module: int | None
    inputs_from: str | None


OVERLAY_PACKAGES = members(
    select_list(OverlayPackage, pypi_name="n.pypi_name"),
    lead="names n",
    where=f"p.id = n.package_id and {IN_SET} and p.status = 'ok'",
    order="n.pypi_name, p.attr",
)


class OverlayInput(NamedTuple):
    """A native input or a build system of a package of one set."""

    package_id: int
    list_key: str
    position: int
    name: str
    pname: str | None
    version: str | None
    pypi_name: str | None
    native: int
    factored: int


OVERLAY_INPUTS = members(
    select_list(OverlayInput, "i", package_id="i.package_id", factored="p.factored"),
    joins="join inputs i on i.package_id = p.id",
    where=f"{IN_SET} and p.status = 'ok'"
    " and ((i.native = 1 and i.extra is null) or i.list_key = 'build-system')",
    order="i.package_id, i.seq",
)


# ---- the audit ------------------------------------------------------------


class AuditPackage(NamedTuple):
    """What the audit's rules read of one package of a revision."""

    set_name: str
    attr: str
    status: str
    drv_name: str | None
    pname: str | None
    fetchpypi_pname: str | None
    version: str | None
    version_valid: int | None
    url_version: str | None
    version_mismatch: int | None
    pypi_name: str | None
    name_source: str | None
    python_module: int | None
    application: int | None
    position: str | None
    src_urls: str | None  # JSON list
    error_kind: str | None
    error_message: str | None
    alias_target: str | None
    factored: int
    # The stored record of a package whose name has no source evidence, for
    # the audit to decide that name with its PyPI list (`:records`, when it
    # has one); NULL for the others.
    record: str | None


AUDIT_PACKAGES = members(
    select_list(
        AuditPackage,
        position=POSITION,
        drv_name=expanded("p.drv_name"),
        error_message=expanded("e.message"),
        record="case when :records and p.name_source in ('pname', 'name', 'attr', 'pypi-list')"
        " then p.record end",
    ),
    joins="join package_sets ps on ps.revision_id = :revision and ps.name = st.name"
    " left join eval_errors e on e.package_id = p.id",
    order="st.name, p.attr",
)


# ---- provide: a lock across revisions ---------------------------------------


class LockedInRevision(NamedTuple):
    """A usable package of a locked name in one complete revision."""

    revision_id: int
    pypi_name: str
    version: str | None


# The locked names' usable packages (few per name: packages are shared
# between sets and revisions), then the revisions their spans in set :set
# cover. Usable as `candidates` has it by default: evaluated, not broken,
# available, a module.
LOCKED_IN_REVISIONS = (
    "with locked(name) as (select value from json_each(:names)),"
    " usable as materialized ("
    "select n.pypi_name as name, p.id as package_id, p.version as version"
    " from locked l cross join names n cross join packages p"
    " where n.pypi_name = l.name and p.id = n.package_id"
    " and p.status = 'ok' and coalesce(p.broken, 0) = 0 and coalesce(p.available, 1) != 0"
    " and p.python_module = 1)"
    " select r.id, u.name, u.version"
    " from usable u cross join members m cross join revisions r"
    " where m.package_id = u.package_id and m.set_id = (select id from sets where name = :set)"
    " and r.chain_id = m.chain_id and r.id between m.first_id and m.last_id"
    " and r.status = 'complete'"
)
