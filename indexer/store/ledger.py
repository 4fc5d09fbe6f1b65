"""The backfill's ledger: where each revision of a channel's backfill stands.

One row per channel and revision: its state (pending, running, done,
skipped), how many evaluations of it have ended, the last error, and when
it was planned, last started and finished. A rerun of `backfill` reads it
to resume: done revisions are not evaluated again, and a skipped one keeps
its error. The rows describe runs, not nixpkgs: the index's answers never
read them.

Every statement on the table is here. Each change is its own short
transaction, so that a killed client loses at most the state of the
revisions in flight (which the index itself still tells: a revision is
ingested whole or not at all).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # sqlite-utils is imported only where a database is written
    import sqlite_utils

STATES = ("pending", "running", "done", "skipped")

DDL = """
create table if not exists backfill_ledger (
    channel text not null,
    rev text not null,
    date text,
    state text not null check (state in ('pending', 'running', 'done', 'skipped')),
    attempts integer not null default 0,
    error text,
    planned_at text not null,
    started_at text,
    finished_at text,
    primary key (channel, rev)
)
"""


def create_ledger(db: sqlite_utils.Database | sqlite3.Connection) -> None:
    """Create the table if it is missing (in create_schema's transaction, or
    on an index made before the ledger existed)."""
    db.execute(DDL)


@dataclass(frozen=True)
class LedgerEntry:
    channel: str
    rev: str
    date: str | None
    state: str
    attempts: int
    error: str | None
    planned_at: str
    started_at: str | None
    finished_at: str | None

    def as_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class Ledger:
    """The ledger of the index at `path`, through an open connection that
    may write (the backfill's writer's)."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self.conn = conn
        self.path = path
        with self._transaction():
            create_ledger(conn)

    def _transaction(self) -> AbstractContextManager[None]:
        # Imported here: the writer imports the schema, which creates this table.
        from indexer.store.writer import write_transaction

        return write_transaction(self.conn, self.path)

    def plan(self, channel: str, revisions: Iterable[tuple[str, str | None]]) -> None:
        """Add the revisions not in the ledger yet as pending; a revision left
        running by a killed run is pending again (its attempts kept)."""
        now = _now()
        with self._transaction():
            self.conn.executemany(
                "insert or ignore into backfill_ledger (channel, rev, date, state, planned_at)"
                " values (?, ?, ?, 'pending', ?)",
                [(channel, rev, date, now) for rev, date in revisions],
            )
            self.conn.execute(
                "update backfill_ledger set state = 'pending' where channel = ? and state = 'running'",
                [channel],
            )

    def entries(self, channel: str, revs: Iterable[str] | None = None) -> dict[str, LedgerEntry]:
        """The channel's rows (only those of `revs` if given), by revision."""
        rows = self.conn.execute(
            "select channel, rev, date, state, attempts, error, planned_at, started_at,"
            " finished_at from backfill_ledger where channel = ?",
            [channel],
        ).fetchall()
        wanted = set(revs) if revs is not None else None
        return {row[1]: LedgerEntry(*row) for row in rows if wanted is None or row[1] in wanted}

    def running(self, channel: str, rev: str) -> None:
        self._set(channel, rev, "state = 'running', started_at = ?", [_now()])

    def failed(self, channel: str, rev: str, error: str, *, skip: bool) -> None:
        """An evaluation ended in `error`: pending for another try, or skipped."""
        state = "skipped" if skip else "pending"
        self._set(
            channel,
            rev,
            "state = ?, attempts = attempts + 1, error = ?, finished_at = ?",
            [state, error, _now()],
        )

    def done(self, channel: str, rev: str, *, evaluated: bool) -> None:
        """Indexed and audited; `evaluated`: an evaluation of it ended here."""
        self._set(
            channel,
            rev,
            "state = 'done', attempts = attempts + ?, finished_at = ?",
            [int(evaluated), _now()],
        )

    def reset(self, channel: str, rev: str) -> None:
        """A skipped revision to try again (`backfill --retry-skipped`)."""
        self._set(channel, rev, "state = 'pending', attempts = 0", [])

    def _set(self, channel: str, rev: str, assignments: str, values: list[Any]) -> None:
        with self._transaction():
            self.conn.execute(
                f"update backfill_ledger set {assignments} where channel = ? and rev = ?",
                [*values, channel, rev],
            )


__all__ = ["STATES", "Ledger", "LedgerEntry", "create_ledger"]
