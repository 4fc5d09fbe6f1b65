"""The SQLite index: its schema, and opening it for reading (writing is
indexer/store/writer.py's).

The schema is documented in docs/db-schema.md; `SCHEMA_VERSION` changes
whenever a table or a column changes meaning, and a database of another
version is refused with a clear error rather than misread.

Storage grows with change, not with revisions: a package row is the
content of one dump record (plus what the mapping derived from it), with
its set's interpreter strings and its inputs' versions factored out
(indexer/store/factoring.py), stored once however many sets and revisions
contain it; spans over each channel's revisions say which do
(indexer/store/spans.py).
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from indexer.errors import DatabaseError
from indexer.store.ledger import create_ledger

if TYPE_CHECKING:  # sqlite-utils is imported only where a database is written
    import sqlite_utils

SCHEMA_VERSION = 2
APPLICATION_ID = 0x70796978  # "pyix": tells our files from other SQLite files


def create_schema(db: sqlite_utils.Database) -> None:
    """Create every table and index (the caller holds the transaction)."""
    db.table("meta").create({"key": str, "value": str}, pk="key")
    db.table("meta").insert({"key": "schema_version", "value": str(SCHEMA_VERSION)})
    # A chain is the revisions of one channel (or of none), in id order:
    # what spans run over (indexer/store/spans.py).
    db.table("chains").create({"id": int, "channel": str}, pk="id", not_null={"channel"})
    db.table("chains").create_index(["channel"], unique=True)
    db.table("revisions").create(
        {
            "id": int,
            "rev": str,
            "channel": str,
            "chain_id": int,
            "date": str,
            "source": str,
            "nixpkgs_version": str,
            "nix_version": str,
            "system": str,
            "status": str,
            "indexed_at": str,
            "dump_sha256": str,
            "mapping_version": str,
            "records": int,
            "counts": str,
            # Which PyPI project list decided the names without source
            # evidence (mapping/candidates.py): its date and size; NULL
            # when none was used (--pypi-names none).
            "pypi_names_date": str,
            "pypi_names_count": int,
        },
        pk="id",
        not_null={"rev", "status", "indexed_at", "dump_sha256", "chain_id"},
        foreign_keys=[("chain_id", "chains", "id")],
    )
    db.table("revisions").create_index(["rev"], unique=True)
    db.table("revisions").create_index(["channel", "id"])
    db.table("revisions").create_index(["chain_id", "id"])
    # Set names, numbered: spans name a set by its number.
    db.table("sets").create({"id": int, "name": str}, pk="id", not_null={"name"})
    db.table("sets").create_index(["name"], unique=True)
    db.table("package_sets").create(
        {
            "revision_id": int,
            "name": str,
            "same_as": str,
            "interpreter": str,
            "implementation": str,
            "python_version": str,
            "interpreter_version": str,
            "attributes": int,
            "lib_prefix": str,
            "same_records_as": str,
        },
        pk=("revision_id", "name"),
        foreign_keys=[("revision_id", "revisions", "id")],
    )
    db.table("packages").create(
        {
            "id": int,
            "content_sha256": str,
            "shape_sha256": str,
            "attr": str,
            "status": str,
            "factored": int,
            "drv_name": str,
            "pname": str,
            "version": str,
            "version_normalized": str,
            "version_valid": int,
            "python_module": int,
            "application": int,
            "pypi_name": str,
            "pypi_spelled": str,
            "name_source": str,
            "confidence": str,
            "override_reason": str,
            "url_version": str,
            "version_mismatch": int,
            "name_evidence": str,
            "fetchpypi_pname": str,
            "src_urls": str,
            "homepage": str,
            "description": str,
            "broken": int,
            "unfree": int,
            "insecure": int,
            "available": int,
            "alias_target": str,
            "error_kind": str,
            "inputs_from": str,
            "record": str,
        },
        pk="id",
        not_null={"content_sha256", "shape_sha256", "attr", "status", "factored"},
    )
    db.table("packages").create_index(["content_sha256"], unique=True)
    # The stored text alone (without its inputs' PyPI names): a record seen
    # before in any set or revision, whose PyPI name ingest need not work out.
    db.table("packages").create_index(["shape_sha256"])
    db.table("packages").create_index(["attr"])
    _create_without_rowid(
        db,
        "inputs",
        {
            "package_id": int,
            "seq": int,
            "list_key": str,
            "position": int,
            "kind": str,
            "extra": str,
            "name": str,
            "pname": str,
            "version": str,
            "python": int,
            "native": int,
            "pypi_name": str,
        },
        pk=("package_id", "seq"),
        foreign_keys=[("package_id", "packages", "id")],
    )
    _create_without_rowid(
        db,
        "names",
        {"pypi_name": str, "package_id": int},
        pk=("pypi_name", "package_id"),
        foreign_keys=[("package_id", "packages", "id")],
    )
    db.table("eval_errors").create(
        {"package_id": int, "kind": str, "cause": str, "message": str},
        pk="package_id",
        foreign_keys=[("package_id", "packages", "id")],
    )
    db.table("eval_errors").create_index(["kind"])
    db.table("positions").create({"id": int, "position": str}, pk="id", not_null={"position"})
    db.table("positions").create_index(["position"], unique=True)
    # The spans (indexer/store/spans.py): which packages each set has, where
    # each attribute is defined, each input's version, each finding.
    _create_spans(db, "members", {"set_id": int, "package_id": int},
                  pk=("package_id", "set_id", "chain_id", "first_id"),
                  by_revision=("chain_id", "set_id", "last_id"))  # fmt: skip
    # set_id 0: the position of the attribute in every set that has it.
    _create_spans(db, "position_spans", {"attr": str, "set_id": int, "position_id": int},
                  pk=("chain_id", "attr", "set_id", "first_id"))  # fmt: skip
    _create_spans(db, "input_versions", {"set_id": int, "name": str, "version": str},
                  pk=("chain_id", "set_id", "name", "first_id"))  # fmt: skip
    db.table("audits").create(
        {"revision_id": int, "audited_at": str, "pypi_names": str, "counts": str},
        pk="revision_id",
        foreign_keys=[("revision_id", "revisions", "id")],
    )
    # A finding stored once, whatever the number of revisions it holds over.
    db.table("findings").create(
        {
            "id": int,
            "content_sha256": str,
            "key": str,
            "rule": str,
            "set_name": str,
            "attr": str,
            "pypi_name": str,
            "message": str,
            "suggestion": str,
            "evidence": str,
        },
        pk="id",
        not_null={"content_sha256", "key", "rule"},
    )
    db.table("findings").create_index(["content_sha256"], unique=True)
    db.table("findings").create_index(["rule"])
    _create_spans(db, "finding_spans", {"finding_id": int},
                  pk=("finding_id", "chain_id", "first_id"))  # fmt: skip
    # The spans as one row per revision, for SQL written by hand (Datasette's
    # canned queries, docs/db-schema.md); the tool reads the spans directly.
    db.execute(
        "create view revision_packages as"
        " select r.id as revision_id, st.name as set_name, m.package_id"
        " from members m join revisions r on r.chain_id = m.chain_id"
        " and r.id between m.first_id and m.last_id join sets st on st.id = m.set_id"
    )
    # A finding's position is where its package is defined in the revision.
    db.execute(
        "create view revision_findings as"
        " select r.id as revision_id, f.key, f.rule, f.set_name, f.attr, f.pypi_name,"
        " f.message, f.suggestion,"
        " (select pos.position from position_spans ps join positions pos on pos.id = ps.position_id"
        "  where ps.chain_id = r.chain_id and ps.attr = f.attr"
        "  and ps.set_id in ((select id from sets where name = f.set_name), 0)"
        "  and ps.first_id <= r.id and ps.last_id >= r.id order by ps.set_id desc limit 1)"
        " as position, f.evidence"
        " from finding_spans fs join findings f on f.id = fs.finding_id"
        " join revisions r on r.chain_id = fs.chain_id and r.id between fs.first_id and fs.last_id"
        " join audits a on a.revision_id = r.id"
    )
    create_ledger(db)  # backfill's ledger (indexer/store/ledger.py)
    create_list_decisions(db)
    db.execute(f"PRAGMA application_id = {APPLICATION_ID}")


# The decisions of PyPI's list (mapping.candidates), per stored text of a
# record whose name a list decides: the names it asks the list for, which of
# them the list had, the newest releases it read, and the name it gave. With them, ingest knows what a
# record reads of any list from a lookup, and the name again where the list
# has the same of them (and the same releases), instead of working it out each revision (issue 18: a
# list costs at most 5% more). Made on demand, so that an index written
# before it existed gets it on its next ingest.
LIST_DECISIONS_DDL = (
    "create table if not exists list_decisions (shape_sha256 text primary key,"
    " candidates text not null, listed text not null, released text not null,"
    " outdated text not null, pypi_name text, confidence text not null) without rowid"
)


def create_list_decisions(db: sqlite_utils.Database) -> None:
    db.execute(LIST_DECISIONS_DDL)


def _create_spans(
    db: sqlite_utils.Database,
    name: str,
    key: dict[str, type],
    *,
    pk: tuple[str, ...],
    by_revision: tuple[str, ...] = ("chain_id", "last_id"),
) -> None:
    """A span table: its key, over [first_id, last_id] of a chain; an index
    for one revision's spans (and the open ones: last_id = OPEN)."""
    columns: dict[str, type] = {"chain_id": int, **key, "first_id": int, "last_id": int}
    _create_without_rowid(db, name, columns, pk=pk, foreign_keys=[("chain_id", "chains", "id")])
    db.table(name).create_index(list(by_revision))
    if by_revision[:2] != ("chain_id", "last_id"):
        db.table(name).create_index(["chain_id", "last_id"])


def _create_without_rowid(
    db: sqlite_utils.Database,
    name: str,
    columns: dict[str, type],
    pk: tuple[str, ...],
    foreign_keys: list[tuple[str, str, str]],
) -> None:
    """A table keyed by its primary key alone: half the space of a rowid
    table with the same key (no separate key index)."""
    sql = db.create_table_sql(name, columns, pk=pk, foreign_keys=foreign_keys)
    db.execute(sql.rstrip().rstrip(";") + " WITHOUT ROWID")


def open_for_reading(path: Path) -> sqlite3.Connection:
    """A read-only connection: `mode=ro`, so a resolver can never write.

    In a read-only location (an index in the Nix store) SQLite cannot create
    the WAL's shared-memory file; nothing can write there either, so the file
    is opened as immutable instead."""
    if not path.exists():
        raise DatabaseError(f"{path}: no index here (create one with `nixpkgs-pyindex index`)")
    uri = f"file:{quote(str(path.resolve()))}?mode=ro"
    try:
        try:
            return _checked(sqlite3.connect(uri, uri=True, check_same_thread=False), path)
        except sqlite3.OperationalError:
            if os.access(path.parent, os.W_OK):
                raise
            immutable = uri + "&immutable=1"
            return _checked(sqlite3.connect(immutable, uri=True, check_same_thread=False), path)
    except sqlite3.DatabaseError as e:
        raise DatabaseError(f"{path}: {e}") from None


def _checked(conn: sqlite3.Connection, path: Path) -> sqlite3.Connection:
    try:
        check_schema(conn, path)
    except BaseException:
        conn.close()  # not left open for the garbage collector
        raise
    return conn


def check_schema(conn: sqlite3.Connection, path: Path) -> None:
    (application_id,) = conn.execute("PRAGMA application_id").fetchone()
    if application_id != APPLICATION_ID:
        raise DatabaseError(f"{path}: not a nixpkgs-pyindex database")
    row = conn.execute("select value from meta where key = 'schema_version'").fetchone()
    version = int(row[0]) if row else None
    if version != SCHEMA_VERSION:
        raise DatabaseError(f"{path}: {_other_version(version, path)}")


def _other_version(version: int | None, path: Path) -> str:
    """What to do with an index of another schema version, in one line.
    An older index is not migrated: it is rebuilt from nixpkgs, which the
    commands that made it do again (docs/db-schema.md, "Schema 1 files")."""
    if version is not None and version < SCHEMA_VERSION:
        return (
            f"database schema version {version}, this nixpkgs-pyindex reads version "
            f"{SCHEMA_VERSION}: rebuild it: `mv {path} {path}.schema{version}`, then run the "
            f"command that made it again (`nixpkgs-pyindex index --db {path}`, or `reindex`/"
            "`backfill` for a channel's history)"
        )
    return (
        f"database schema version {version}, this nixpkgs-pyindex reads version "
        f"{SCHEMA_VERSION}; index again into a new database, or upgrade nixpkgs-pyindex"
    )
