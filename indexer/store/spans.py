"""Spans: what holds over a run of a channel's revisions, stored once.

Revisions of one channel form a chain (`revisions.chain_id`), ordered by
id. A span row says that its key (a package of a set, a position, an
input's version, a finding) holds in every revision of the chain whose id
lies in [first_id, last_id]. A span still holding at the chain's newest
revision is open: its last_id is OPEN, so a new revision that keeps it
costs nothing. Adding revision N (always the newest of its chain, ids only
grow) closes the open spans whose key N lacks, at the previous revision,
and opens a span for each key N adds: the writes follow the changes, not
the size of the revision.

Membership of revision R is `chain_id = R's chain and first_id <= R and
last_id >= R`. Deleting revisions needs no change to the spans that still
cover another revision; spans covering none are removed (`drop_empty`).

The four span tables share this module's statements; each names its key
columns in SPAN_TABLES, the one place that lists them.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Hashable, Iterable, Sequence

OPEN = 1 << 62  # last_id of a span that holds through the chain's newest revision

# Span table → its key columns (besides chain_id, first_id, last_id).
SPAN_TABLES: dict[str, tuple[str, ...]] = {
    "members": ("set_id", "package_id"),
    "position_spans": ("attr", "set_id", "position_id"),
    "input_versions": ("set_id", "name", "version"),
    "finding_spans": ("finding_id",),
}

# A span's membership of revision `:revision` (table alias `alias`).
def covers(alias: str, revision: str = ":revision") -> str:
    return (
        f"{alias}.chain_id = (select chain_id from revisions where id = {revision})"
        f" and {alias}.first_id <= {revision} and {alias}.last_id >= {revision}"
    )


def advance(
    conn: sqlite3.Connection,
    table: str,
    chain_id: int,
    revision_id: int,
    previous_id: int | None,
    keys: Iterable[Sequence[Hashable]],
) -> None:
    """Make the chain's open spans of `table` hold exactly `keys` from the
    new newest revision `revision_id` on (`previous_id`: the chain's
    revision before it, None for the first)."""
    columns = SPAN_TABLES[table]
    key_list = ", ".join(columns)
    present = {tuple(k) for k in keys}
    open_spans = {
        tuple(row[1:]): row[0]
        for row in conn.execute(
            f"select first_id, {key_list} from {table} where chain_id = ? and last_id = ?",
            [chain_id, OPEN],
        )
    }
    where = " and ".join(f"{c} is ?" for c in columns)
    # A span opened at this very revision (its audit stored again) goes;
    # an older one ends at the revision before.
    gone = [(first, key) for key, first in open_spans.items() if key not in present]
    conn.executemany(
        f"update {table} set last_id = ? where chain_id = ? and first_id = ? and {where}",
        [(previous_id, chain_id, first, *key) for first, key in gone if first != revision_id],
    )
    conn.executemany(
        f"delete from {table} where chain_id = ? and first_id = ? and {where}",
        [(chain_id, first, *key) for first, key in gone if first == revision_id],
    )
    # A key back after a gap opens a new span; one whose span ends just
    # before (a revision's audit stored out of order) has it reopened.
    added = [key for key in present if key not in open_spans]
    ended = {
        tuple(row[1:]): row[0]
        for row in conn.execute(
            f"select first_id, {key_list} from {table} where chain_id = ? and last_id = ?",
            [chain_id, previous_id],
        )
    } if added and previous_id is not None else {}  # fmt: skip
    conn.executemany(
        f"update {table} set last_id = ? where chain_id = ? and first_id = ? and {where}",
        [(OPEN, chain_id, ended[key], *key) for key in added if key in ended],
    )
    marks = ", ".join("?" for _ in columns)
    conn.executemany(
        f"insert into {table} (chain_id, {key_list}, first_id, last_id)"
        f" values (?, {marks}, ?, ?)",
        [(chain_id, *key, revision_id, OPEN) for key in added if key not in ended],
    )


def replace_at(
    conn: sqlite3.Connection,
    table: str,
    chain_id: int,
    revision_id: int,
    keys: Iterable[Sequence[Hashable]],
) -> None:
    """Make `keys` exactly what holds at `revision_id`, any revision of the
    chain (a new audit of an old revision): the spans covering it are cut
    around it, and the new keys hold at it alone (or from it on, for the
    newest)."""
    previous_id, next_id = _neighbours(conn, chain_id, revision_id)
    if next_id is None:
        advance(conn, table, chain_id, revision_id, previous_id, keys)
        return
    columns = SPAN_TABLES[table]
    key_list = ", ".join(columns)
    covering = conn.execute(
        f"select first_id, last_id, {key_list} from {table}"
        " where chain_id = ? and first_id <= ? and last_id >= ?",
        [chain_id, revision_id, revision_id],
    ).fetchall()
    where = " and ".join(f"{c} is ?" for c in columns)
    marks = ", ".join("?" for _ in columns)
    insert = (
        f"insert into {table} (chain_id, {key_list}, first_id, last_id)"
        f" values (?, {marks}, ?, ?)"
    )
    for first, last, *key in covering:
        conn.execute(
            f"delete from {table} where chain_id = ? and first_id = ? and {where}",
            [chain_id, first, *key],
        )
        if first < revision_id and previous_id is not None and first <= previous_id:
            conn.execute(insert, [chain_id, *key, first, previous_id])
        if next_id is not None and last >= next_id:
            conn.execute(insert, [chain_id, *key, next_id, last])
    # Joined to the spans just before and just after it where the key holds
    # there too: an older revision audited again costs no row more.
    for key in {tuple(k) for k in keys}:
        left = conn.execute(
            f"select first_id from {table} where chain_id = ? and last_id = ? and {where}",
            [chain_id, previous_id, *key],
        ).fetchone()
        right = conn.execute(
            f"select last_id from {table} where chain_id = ? and first_id = ? and {where}",
            [chain_id, next_id, *key],
        ).fetchone()
        last = revision_id
        if right is not None:
            last = right[0]
            conn.execute(
                f"delete from {table} where chain_id = ? and first_id = ? and {where}",
                [chain_id, next_id, *key],
            )
        if left is not None:
            conn.execute(
                f"update {table} set last_id = ? where chain_id = ? and first_id = ? and {where}",
                [last, chain_id, left[0], *key],
            )
        else:
            conn.execute(insert, [chain_id, *key, revision_id, last])


def drop_empty(conn: sqlite3.Connection) -> None:
    """Remove the spans that cover no stored revision (after a prune)."""
    for table in SPAN_TABLES:
        conn.execute(
            f"delete from {table} where not exists (select 1 from revisions r"
            f" where r.chain_id = {table}.chain_id"
            f" and r.id between {table}.first_id and {table}.last_id)"
        )


def previous_revision(conn: sqlite3.Connection, chain_id: int, revision_id: int) -> int | None:
    """The chain's revision before `revision_id`."""
    before = conn.execute(
        "select max(id) from revisions where chain_id = ? and id < ?", [chain_id, revision_id]
    ).fetchone()[0]
    return None if before is None else int(before)


def _neighbours(
    conn: sqlite3.Connection, chain_id: int, revision_id: int
) -> tuple[int | None, int | None]:
    before = previous_revision(conn, chain_id, revision_id)
    after = conn.execute(
        "select min(id) from revisions where chain_id = ? and id > ?", [chain_id, revision_id]
    ).fetchone()[0]
    return before, after
