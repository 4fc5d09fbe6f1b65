"""Is an index fit to publish? The checks `publish` runs before it signs.

A published index replaces the one every user has, so a run that went
wrong must not reach them:

- an unfinished revision: one the backfill ledger has pending or running
  (a backfill stopped midway), or a channel's revision left unaudited while
  an older one of the same channel is audited (a reindex stopped between its
  steps). The next reindex or backfill completes it;
- a package set whose newest revision (of its channel) has far fewer
  evaluated packages than the revision before: fewer than `SHRINK_LIMIT` of
  them. A day of nixpkgs changes a set by well under 1% (the 60 daily 2018
  revisions of bench/bench_publish.py: at most 0.22% fewer, 4 of
  python27Packages' 1844, from one revision to the next);
  a set that loses a tenth of its packages in a day has an evaluation that
  broke (a throw high in the tree, an interpreter gone missing). A set that
  is no longer there at all (nixpkgs drops an interpreter) is not a loss of
  packages. `publish --allow-shrink` publishes anyway, once a person looked.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from indexer.publish.manifest import short_rev

# A set's evaluated packages in a channel's newest revision, as a share of
# the revision before's: below this, publish refuses.
SHRINK_LIMIT = 0.9

_OK_PER_SET = (
    "select st.name, count(*) from members m join sets st on st.id = m.set_id"
    " join packages p on p.id = m.package_id"
    " where m.chain_id = :chain and m.first_id <= :revision and m.last_id >= :revision"
    " and p.status = 'ok' group by st.name"
)


@dataclass(frozen=True)
class Problem:
    kind: str  # "unfinished" or "shrunk"
    channel: str | None
    rev: str
    message: str


def problems(conn: sqlite3.Connection, allow_shrink: bool = False) -> list[Problem]:
    """What makes the index unfit, each in a sentence; none if it is fit."""
    found = _unfinished_in_ledger(conn) + _unaudited(conn)
    if not allow_shrink:
        found += _shrunk(conn)
    return found


def _unfinished_in_ledger(conn: sqlite3.Connection) -> list[Problem]:
    rows = conn.execute(
        "select channel, rev, state from backfill_ledger"
        " where state in ('pending', 'running') order by channel, date, rev"
    ).fetchall()
    return [
        Problem("unfinished", channel, rev,
                f"{channel}: revision {short_rev(rev)} is {state} in the backfill ledger: "
                "let the backfill finish (run it again)")
        for channel, rev, state in rows
    ]  # fmt: skip


def _unaudited(conn: sqlite3.Connection) -> list[Problem]:
    rows = conn.execute(
        "select r.channel, r.rev from revisions r"
        " where r.channel is not null and r.status = 'complete'"
        " and not exists (select 1 from audits a where a.revision_id = r.id)"
        " and exists (select 1 from revisions o join audits a on a.revision_id = o.id"
        "             where o.chain_id = r.chain_id and o.id < r.id)"
        " order by r.id"
    ).fetchall()
    return [
        Problem("unfinished", channel, rev,
                f"{channel}: revision {short_rev(rev)} is indexed but not audited: "
                "a reindex stopped between its steps (run it again)")
        for channel, rev in rows
    ]  # fmt: skip


def _shrunk(conn: sqlite3.Connection) -> list[Problem]:
    found: list[Problem] = []
    chains = conn.execute("select id, channel from chains order by id").fetchall()
    for chain_id, channel in chains:
        newest = conn.execute(
            "select id, rev from revisions where chain_id = ? and status = 'complete'"
            " order by id desc limit 2",
            [chain_id],
        ).fetchall()
        if len(newest) < 2:
            continue
        (new_id, new_rev), (old_id, old_rev) = newest
        before = dict(conn.execute(_OK_PER_SET, {"chain": chain_id, "revision": old_id}))
        after = dict(conn.execute(_OK_PER_SET, {"chain": chain_id, "revision": new_id}))
        sets_now = {row[0] for row in conn.execute(
            "select name from package_sets where revision_id = ?", [new_id])}  # fmt: skip
        for name, count in sorted(before.items()):
            if name not in sets_now or count == 0:
                continue
            now = after.get(name, 0)
            if now < SHRINK_LIMIT * count:
                found.append(Problem(
                    "shrunk", channel, new_rev,
                    f"{channel or 'no channel'}: {name} has {now} evaluated packages in "
                    f"{short_rev(new_rev)}, {count} in {short_rev(old_rev)} before it "
                    f"({now / count:.0%}; publish refuses below {SHRINK_LIMIT:.0%}): "
                    "a broken evaluation? (--allow-shrink publishes anyway)",
                ))  # fmt: skip
    return found
