"""The one owner of every write to the index.

`Writer.open(path)` opens the database for writing (creating it, with its
schema, when it is new) and closes it afterwards; every row `ingest`, the
audit and `reindex` store goes through one of its methods, each written
once here. Transactions are the caller's: `with writer.transaction(): …`
is all of it or none of it.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import orjson

from indexer.checkpoints import checkpoint
from indexer.dump.format import SetEntry
from indexer.errors import DatabaseError
from indexer.store import spans
from indexer.store.schema import LIST_DECISIONS_DDL, check_schema, create_schema
from mapping.identity import Confidence, NameSource
from mapping.inputs import ClassifiedInput

if TYPE_CHECKING:  # sqlite-utils is imported only where a database is written
    import sqlite_utils

# One finding of the audit, as `findings` stores it: key, rule, set_name,
# attr, pypi_name, message, suggestion, evidence (JSON). No position: that
# is the revision's (where the package is defined), read from its spans.
FindingRow = tuple[str, str, str | None, str | None, str | None, str, str | None, str]

# A revision's spans: members (set id, package id), positions (attribute,
# set id or 0 for every set, position id), input versions (set id,
# factored name, version).
MemberKey = tuple[int, int]
PositionKey = tuple[str, int, int]
InputVersionKey = tuple[int, str, str]


class ListDecisionRow(NamedTuple):
    """A row of `list_decisions`: the same `listed` gives the same name."""

    candidates: tuple[str, ...]
    listed: tuple[str, ...]
    released: tuple[tuple[str, str], ...]
    outdated: tuple[str, ...]
    pypi_name: str | None
    confidence: Confidence


class Writer:
    """An open database for writing; see the module docstring."""

    def __init__(self, path: Path, db: sqlite_utils.Database, created: bool) -> None:
        self.path = path
        self.db = db
        self.conn: sqlite3.Connection = db.conn
        # Whether this writer created the file (then `discard` removes it).
        self.created = created
        self._positions: dict[str, int] = {}
        self._set_ids: dict[str, int] = {}

    # ---- opening and closing ---------------------------------------------

    @classmethod
    def connect(cls, path: Path) -> Writer:
        """Open (creating if needed) the index at `path`; close it when done.

        WAL mode: readers keep reading the last committed state while a
        revision is written.
        """
        import sqlite_utils

        created = not path.exists()
        if created:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as e:
                raise DatabaseError(f"cannot create {path.parent}: {e.strerror}") from None
        conn: sqlite3.Connection | None = None
        try:
            conn = sqlite3.connect(path, isolation_level=None, timeout=30)
            db = sqlite_utils.Database(conn)
            db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA foreign_keys = ON")
            db.execute("PRAGMA synchronous = NORMAL")
            if created or not db.table_names():
                with write_transaction(conn, path):
                    create_schema(db)
            else:
                check_schema(conn, path)
                conn.execute(LIST_DECISIONS_DDL)
        except BaseException as e:
            if conn is not None:
                conn.close()  # not left open for the garbage collector
            if isinstance(e, sqlite3.DatabaseError):
                raise DatabaseError(f"{path}: {e}") from None
            raise
        return cls(path, db, created)

    @classmethod
    @contextmanager
    def open(cls, path: Path) -> Iterator[Writer]:
        """A writer for the `with` block, closed afterwards."""
        writer = cls.connect(path)
        try:
            yield writer
        finally:
            writer.close()

    def close(self) -> None:
        self.conn.close()

    def discard(self) -> None:
        """Close, and remove the database if this writer created it (a
        failed first ingest leaves no empty index behind)."""
        self.conn.close()
        if self.created:
            for suffix in ("", "-wal", "-shm"):
                Path(str(self.path) + suffix).unlink(missing_ok=True)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        with write_transaction(self.conn, self.path):
            yield

    # ---- revisions (ingest) ------------------------------------------------

    def revision(self, rev: str) -> tuple[int, str] | None:
        """The id and dump hash of revision `rev`, if it is stored."""
        row = self.conn.execute(
            "select id, dump_sha256 from revisions where rev = ?", [rev]
        ).fetchone()
        return (int(row[0]), str(row[1])) if row is not None else None

    def add_revision(
        self,
        *,
        rev: str,
        channel: str | None,
        date: str | None,
        source: str | None,
        nixpkgs_version: str | None,
        nix_version: str | None,
        system: str | None,
        indexed_at: str,
        dump_sha256: str,
        mapping_version: str,
        records: int,
        counts: Mapping[str, int],
        pypi_names_date: str | None = None,
        pypi_names_count: int | None = None,
    ) -> tuple[int, int]:
        """The new revision's id, and its chain's (see spans.py)."""
        chain_id = self.chain_id(channel)
        cursor = self.conn.execute(
            "insert into revisions (rev, channel, chain_id, date, source, nixpkgs_version,"
            " nix_version, system, status, indexed_at, dump_sha256, mapping_version, records,"
            " counts, pypi_names_date, pypi_names_count)"
            " values (?, ?, ?, ?, ?, ?, ?, ?, 'complete', ?, ?, ?, ?, ?, ?, ?)",
            [
                rev,
                channel,
                chain_id,
                date,
                source,
                nixpkgs_version,
                nix_version,
                system,
                indexed_at,
                dump_sha256,
                mapping_version,
                records,
                json.dumps(dict(counts), sort_keys=True),
                pypi_names_date,
                pypi_names_count,
            ],
        )
        return int(cursor.lastrowid or 0), chain_id

    def chain_id(self, channel: str | None) -> int:
        """The chain of `channel` (revisions indexed without one form one too)."""
        name = channel or ""
        row = self.conn.execute("select id from chains where channel = ?", [name]).fetchone()
        if row is None:
            row = (self.conn.execute("insert into chains (channel) values (?)", [name]).lastrowid,)
        return int(row[0])

    def set_id(self, name: str) -> int:
        cached = self._set_ids.get(name)
        if cached is None:
            row = self.conn.execute("select id from sets where name = ?", [name]).fetchone()
            if row is None:
                row = (self.conn.execute("insert into sets (name) values (?)", [name]).lastrowid,)
            cached = self._set_ids[name] = int(row[0])
        return cached

    def add_package_set(
        self, revision_id: int, entry: SetEntry, same_records_as: str | None = None
    ) -> None:
        """A set of the revision; `same_records_as`: another set of it whose
        records this one repeats, but for the set's name."""
        interpreter: Mapping[str, object] = entry.get("interpreter") or {}
        self.set_id(entry["set"])
        self.conn.execute(
            "insert into package_sets values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                revision_id,
                entry["set"],
                json.dumps(entry.get("same_as") or []),
                interpreter.get("name"),
                interpreter.get("implementation"),
                interpreter.get("pythonVersion"),
                interpreter.get("version"),
                entry.get("attributes"),
                interpreter.get("libPrefix"),
                same_records_as,
            ],
        )

    def claim_of_shape(
        self, shape_sha256: str
    ) -> tuple[str | None, Confidence, NameSource | None] | None:
        """The PyPI name, confidence and name source of a package stored with
        this text already (in any set or revision), if any."""
        row = self.conn.execute(
            "select pypi_name, confidence, name_source from packages"
            " where shape_sha256 = ? limit 1",
            [shape_sha256],
        ).fetchone()
        return None if row is None or row[1] is None else (row[0], row[1], row[2])

    def list_decision(self, shape_sha256: str) -> ListDecisionRow | None:
        """What PyPI's list last decided about a record stored with this text
        (whatever the list), if a list decided its name before."""
        row = self.conn.execute(
            "select candidates, listed, released, outdated, pypi_name, confidence"
            " from list_decisions where shape_sha256 = ?",
            [shape_sha256],
        ).fetchone()
        if row is None:
            return None
        return ListDecisionRow(
            tuple(orjson.loads(row[0])),
            tuple(orjson.loads(row[1])),
            tuple((name, version) for name, version in orjson.loads(row[2])),
            tuple(orjson.loads(row[3])),
            row[4],
            row[5],
        )

    def list_decided_shapes(self) -> set[str]:
        """The stored texts `list_decisions` has a decision of."""
        return {sha for (sha,) in self.conn.execute("select shape_sha256 from list_decisions")}

    def set_list_decision(self, shape_sha256: str, decided: ListDecisionRow) -> None:
        self.conn.execute(
            "insert or replace into list_decisions values (?, ?, ?, ?, ?, ?, ?)",
            [shape_sha256, orjson.dumps(decided.candidates).decode(),
             orjson.dumps(decided.listed).decode(), orjson.dumps(decided.released).decode(),
             orjson.dumps(decided.outdated).decode(), decided.pypi_name, decided.confidence],
        )  # fmt: skip

    def package_with_content(self, content_sha256: str) -> tuple[int, NameSource | None] | None:
        """The package stored with this content already, if any, and the
        source of its PyPI name."""
        row = self.conn.execute(
            "select id, name_source from packages where content_sha256 = ?", [content_sha256]
        ).fetchone()
        return (int(row[0]), row[1]) if row is not None else None

    def add_package(
        self,
        columns: Mapping[str, object],
        *,
        pypi_name: str | None,
        error: Mapping[str, Any] | None,
        inputs: Sequence[ClassifiedInput],
    ) -> int:
        # An input's name and version are as the caller factored them
        # (indexer/store/factoring.py): a version by reference is None.
        """A package row (`columns` by name), its PyPI name, its error and its
        inputs; its id."""
        names = ", ".join(columns)
        marks = ", ".join("?" for _ in columns)
        cursor = self.conn.execute(
            f"insert into packages ({names}) values ({marks})", list(columns.values())
        )
        package_id = int(cursor.lastrowid or 0)
        if pypi_name is not None:
            self.conn.execute("insert into names values (?, ?)", [pypi_name, package_id])
        if error is not None:
            self.conn.execute(
                "insert into eval_errors values (?, ?, ?, ?)",
                [package_id, error.get("kind"), error.get("cause"), error.get("message")],
            )
        if inputs:
            self.conn.executemany(
                "insert into inputs values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        package_id,
                        seq,
                        i.list_key,
                        i.position,
                        i.kind,
                        i.extra,
                        i.name,
                        i.pname,
                        i.version,
                        int(i.python),
                        int(i.native),
                        i.pypi_name,
                    )
                    for seq, i in enumerate(inputs)
                ],  # fmt: skip
            )
        return package_id

    def position_id(self, position: object) -> int | None:
        """The id of a `meta.position` (stored once), None for none."""
        if not isinstance(position, str):
            return None
        cached = self._positions.get(position)
        if cached is None:
            row = self.conn.execute(
                "select id from positions where position = ?", [position]
            ).fetchone()
            if row is None:
                row = (self.conn.execute(
                    "insert into positions (position) values (?)", [position]
                ).lastrowid,)  # fmt: skip
            cached = self._positions[position] = int(row[0])
        return cached

    def add_spans(
        self,
        chain_id: int,
        revision_id: int,
        *,
        members: Iterable[MemberKey],
        positions: Iterable[PositionKey],
        input_versions: Iterable[InputVersionKey],
    ) -> None:
        """What revision `revision_id`, the newest of its chain, holds."""
        previous_id = spans.previous_revision(self.conn, chain_id, revision_id)
        for table, keys in (("members", members), ("position_spans", positions),
                            ("input_versions", input_versions)):  # fmt: skip
            spans.advance(self.conn, table, chain_id, revision_id, previous_id, keys)

    # ---- revisions (reindex) -----------------------------------------------

    def pypi_list_of(self, revision_id: int) -> tuple[str | None, int | None]:
        """The date and size of the PyPI list a revision was named with ((None,
        None): none)."""
        row = self.conn.execute(
            "select pypi_names_date, pypi_names_count from revisions where id = ?", [revision_id]
        ).fetchone()
        return (row[0], row[1]) if row is not None else (None, None)

    def copy_revision(
        self, previous_id: int, *, rev: str, channel: str, date: str | None, source: str
    ) -> int:
        """Store revision `rev` as a copy of revision `previous_id` (nothing
        the evaluation reads changed), in one transaction; its record count."""
        with self.transaction():
            cursor = self.conn.execute("select * from revisions where id = ?", [previous_id])
            columns = [d[0] for d in cursor.description]
            row = dict(zip(columns, cursor.fetchone(), strict=True))
            row.update(
                rev=rev,
                channel=channel,
                date=date,
                source=source,
                indexed_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
                dump_sha256=f"reused:{row['dump_sha256']}",
            )
            row.pop("id")
            row["chain_id"] = chain_id = self.chain_id(channel)
            cursor = self.conn.execute(
                f"insert into revisions ({', '.join(row)}) values ({', '.join('?' for _ in row)})",
                list(row.values()),
            )
            new_id = int(cursor.lastrowid or 0)
            self.conn.execute(
                "insert into package_sets select ?, name, same_as, interpreter, implementation,"
                " python_version, interpreter_version, attributes, lib_prefix, same_records_as"
                " from package_sets where revision_id = ?",
                [new_id, previous_id],
            )
            # The previous revision's spans hold on: nothing to write when it
            # is the newest of the same chain (its open spans cover new_id).
            self.add_spans(
                chain_id,
                new_id,
                **{
                    name: self._keys_at(table, previous_id)
                    for name, table in (
                        ("members", "members"),
                        ("positions", "position_spans"),
                        ("input_versions", "input_versions"),
                    )
                },  # fmt: skip
            )
            checkpoint("reusing")
        return int(row["records"] or 0)

    def _keys_at(self, table: str, revision_id: int) -> list[tuple[Any, ...]]:
        key = ", ".join(f"s.{c}" for c in spans.SPAN_TABLES[table])
        return self.conn.execute(
            f"select {key} from {table} s where {spans.covers('s', '?')}",
            [revision_id] * 3,
        ).fetchall()

    def prune_channel(self, channel: str, keep: int) -> list[str]:
        """Delete all but the newest `keep` revisions of `channel`, and the
        packages no remaining revision holds, in one transaction. Returns
        the pruned revisions."""
        with self.transaction():
            doomed = self.conn.execute(
                "select id, rev from revisions where channel = ? order by id desc"
                " limit -1 offset ?",
                [channel, keep],
            ).fetchall()
            self._delete_revisions(row[0] for row in doomed)
        return [row[1] for row in doomed]

    def _delete_revisions(self, ids: Iterable[int]) -> None:
        ids = list(ids)
        if not ids:
            return
        conn = self.conn
        marks = ",".join("?" for _ in ids)
        for table in ("audits", "package_sets"):
            conn.execute(f"delete from {table} where revision_id in ({marks})", ids)
        conn.execute(f"delete from revisions where id in ({marks})", ids)
        spans.drop_empty(conn)
        # Packages no revision holds any more, with what hangs off them.
        conn.execute("create temp table if not exists orphans (id integer primary key)")
        conn.execute("delete from orphans")
        conn.execute(
            "insert into orphans select id from packages except select package_id from members"
        )
        for table in ("inputs", "names", "eval_errors"):
            conn.execute(f"delete from {table} where package_id in (select id from orphans)")
        conn.execute("delete from packages where id in (select id from orphans)")
        conn.execute(
            "delete from list_decisions where shape_sha256 not in"
            " (select shape_sha256 from packages)"
        )
        conn.execute(
            "delete from positions where id in"
            " (select id from positions except select position_id from position_spans)"
        )
        conn.execute(
            "delete from findings where id in"
            " (select id from findings except select finding_id from finding_spans)"
        )

    # ---- the audit ---------------------------------------------------------

    def replace_findings(
        self,
        revision_id: int,
        *,
        audited_at: str,
        pypi_names_source: str | None,
        counts: Mapping[str, int],
        findings: Iterable[FindingRow],
    ) -> None:
        """Replace the revision's stored audit and findings (one
        transaction). A finding is stored once (its content's hash), and
        holds over the revisions its spans say."""
        with self.transaction():
            self.conn.execute("delete from audits where revision_id = ?", [revision_id])
            self.conn.execute(
                "insert into audits values (?, ?, ?, ?)",
                [
                    revision_id,
                    audited_at,
                    pypi_names_source,
                    json.dumps(dict(counts), sort_keys=True),
                ],
            )
            ids = [(self._finding_id(row),) for row in findings]
            (chain_id,) = self.conn.execute(
                "select chain_id from revisions where id = ?", [revision_id]
            ).fetchone()
            spans.replace_at(self.conn, "finding_spans", chain_id, revision_id, ids)

    def _finding_id(self, row: FindingRow) -> int:
        sha = hashlib.sha256(json.dumps(row).encode()).hexdigest()
        found = self.conn.execute(
            "select id from findings where content_sha256 = ?", [sha]
        ).fetchone()
        if found is None:
            found = (self.conn.execute(
                "insert into findings (content_sha256, key, rule, set_name, attr, pypi_name,"
                " message, suggestion, evidence) values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [sha, *row],
            ).lastrowid,)  # fmt: skip
        return int(found[0])


@contextmanager
def write_transaction(conn: sqlite3.Connection, path: Path) -> Iterator[None]:
    """BEGIN IMMEDIATE … COMMIT: all of it or none of it. SQLite's own
    failures (locked, read-only, disk full) become one-line DatabaseErrors."""
    try:
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:  # a failed COMMIT may have ended it already
                conn.execute("ROLLBACK")
            raise
    except sqlite3.OperationalError as e:
        raise DatabaseError(f"{path}: {e}") from None


__all__ = ["FindingRow", "Writer", "write_transaction"]
