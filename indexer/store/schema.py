"""The SQLite index: its schema, and opening it for reading (writing is
indexer/store/writer.py's).

The schema is documented in docs/db-schema.md; `SCHEMA_VERSION` changes
whenever a table or a column changes meaning, and a database of another
version is refused with a clear error rather than misread.

Storage is shared between revisions: a package row is the content of one
dump record (plus what the mapping derived from it), stored once however
many revisions contain it; `revision_packages` says which revisions do.
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

SCHEMA_VERSION = 1
APPLICATION_ID = 0x70796978  # "pyix": tells our files from other SQLite files


def create_schema(db: sqlite_utils.Database) -> None:
    """Create every table and index (the caller holds the transaction)."""
    db.table("meta").create({"key": str, "value": str}, pk="key")
    db.table("meta").insert({"key": "schema_version", "value": str(SCHEMA_VERSION)})
    db.table("revisions").create(
        {
            "id": int,
            "rev": str,
            "channel": str,
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
        },
        pk="id",
        not_null={"rev", "status", "indexed_at", "dump_sha256"},
    )
    db.table("revisions").create_index(["rev"], unique=True)
    db.table("revisions").create_index(["channel", "id"])
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
        },
        pk=("revision_id", "name"),
        foreign_keys=[("revision_id", "revisions", "id")],
    )
    db.table("packages").create(
        {
            "id": int,
            "content_sha256": str,
            "set_name": str,
            "attr": str,
            "status": str,
            "drv_name": str,
            "pname": str,
            "version": str,
            "version_normalized": str,
            "version_valid": int,
            "python_version": str,
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
        not_null={"content_sha256", "set_name", "attr", "status"},
    )
    db.table("packages").create_index(["content_sha256"], unique=True)
    db.table("packages").create_index(["set_name", "attr"])
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
    # Where an attribute is defined moves with every edit above it in a shared
    # file (python-packages.nix): a property of the revision, not of the
    # package, so that such edits do not store the package again.
    db.table("positions").create({"id": int, "position": str}, pk="id", not_null={"position"})
    db.table("positions").create_index(["position"], unique=True)
    # Membership rows are the only per-revision cost.
    _create_without_rowid(
        db,
        "revision_packages",
        {"revision_id": int, "package_id": int, "position_id": int},
        pk=("revision_id", "package_id"),
        foreign_keys=[
            ("revision_id", "revisions", "id"),
            ("package_id", "packages", "id"),
            ("position_id", "positions", "id"),
        ],
    )
    # The audit's findings per revision (indexer/audit.py), replaced whole by
    # each audit of that revision.
    db.table("audits").create(
        {"revision_id": int, "audited_at": str, "pypi_names": str, "counts": str},
        pk="revision_id",
        foreign_keys=[("revision_id", "revisions", "id")],
    )
    db.table("findings").create(
        {
            "revision_id": int,
            "key": str,
            "rule": str,
            "set_name": str,
            "attr": str,
            "pypi_name": str,
            "message": str,
            "suggestion": str,
            "position": str,
            "evidence": str,
        },
        pk=("revision_id", "key"),
        foreign_keys=[("revision_id", "revisions", "id")],
    )
    db.table("findings").create_index(["rule"])
    create_ledger(db)  # backfill's ledger (indexer/store/ledger.py)
    db.execute(f"PRAGMA application_id = {APPLICATION_ID}")


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
        raise DatabaseError(
            f"{path}: database schema version {version}, this nixpkgs-pyindex reads version "
            f"{SCHEMA_VERSION}; index again into a new database"
        )
