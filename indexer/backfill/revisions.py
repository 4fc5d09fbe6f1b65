"""Which revisions a backfill indexes: chosen from a git repository's history.

`--since/--until/--every 7d` takes, for each period of that length from
`--since` on, the last first-parent commit of REF committed in it (what the
channel's branch pointed to at the end of the period); a period without a
commit adds nothing. An explicit list of commits is taken as given. Either
way the revisions are indexed oldest first, by commit date.

A repository given as a URL is mirrored once into the cache (a bare clone,
fetched again when a commit is missing), so that the client and every
worker on a machine read the same local copy.
"""

from __future__ import annotations

import fcntl
import hashlib
import re
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from indexer.errors import ChannelError, InvalidQuery
from indexer.reindex import resolve_git_head

EVERY_UNITS = {"h": timedelta(hours=1), "d": timedelta(days=1), "w": timedelta(weeks=1)}


@dataclass(frozen=True)
class Revision:
    rev: str
    date: str  # the commit date, ISO 8601 as git prints it


def parse_every(text: str) -> timedelta:
    """`12h`, `1d`, `7d`, `2w`: the length of a period."""
    found = re.fullmatch(r"\s*([1-9][0-9]*)\s*([hdw])\s*", text)
    if found is None:
        raise InvalidQuery(f"--every {text!r}: give a period such as 1d, 7d, 12h or 2w")
    return int(found[1]) * EVERY_UNITS[found[2]]


def parse_day(text: str, option: str) -> datetime:
    """A day (YYYY-MM-DD) or a moment (ISO 8601), as an aware UTC datetime."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise InvalidQuery(f"{option} {text!r}: give a date such as 2018-03-10") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc)


def is_url(spec: str) -> bool:
    return "://" in spec


def local_repository(spec: str, cache_dir: Path, want: Sequence[str] = ()) -> Path:
    """The local git repository of `spec` (a path, or a URL mirrored into
    the cache); for a URL, fetched again when a commit of `want` is missing."""
    if not is_url(spec):
        return Path(spec).expanduser().resolve()
    mirrors = cache_dir / "git-mirrors"
    mirrors.mkdir(parents=True, exist_ok=True)
    target = mirrors / hashlib.sha256(spec.encode()).hexdigest()[:16]
    # One clone or fetch at a time per machine: the workers share the mirror.
    with open(mirrors / (target.name + ".lock"), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (target / "HEAD").exists():
            _run_git(["clone", "-q", "--mirror", spec, str(target)], f"cannot clone {spec}")
        elif want and not all(_has_commit(target, rev) for rev in want):
            _run_git(["-C", str(target), "fetch", "-q", "--prune"], f"cannot fetch {spec}")
    return target


def _has_commit(repo: Path, rev: str) -> bool:
    done = subprocess.run(
        ["git", "-C", str(repo), "cat-file", "-e", f"{rev}^{{commit}}"], capture_output=True
    )
    return done.returncode == 0


def _run_git(args: list[str], what: str) -> str:
    done = subprocess.run(["git", *args], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        lines = done.stderr.strip().splitlines()
        raise ChannelError(f"{what}: {lines[-1] if lines else 'git failed'}")
    return done.stdout


def explicit_revisions(repo: Path, revs: Sequence[str]) -> list[Revision]:
    """Each named commit, resolved; oldest first by commit date (a stable sort)."""
    chosen: dict[str, Revision] = {}
    for name in revs:
        rev, when = resolve_git_head(repo, name)
        chosen.setdefault(rev, Revision(rev, when or ""))
    return sorted(chosen.values(), key=lambda r: _timestamp(r.date))


def periodic_revisions(
    repo: Path,
    ref: str,
    since: datetime,
    until: datetime | None,
    every: timedelta,
) -> list[Revision]:
    """The last first-parent commit of `ref` in each period of `every` from
    `since` up to `until` (default: now), oldest first."""
    resolve_git_head(repo, ref)  # a one-line error for a bad repository or ref
    end = until or datetime.now(timezone.utc)
    if end <= since:
        raise InvalidQuery(f"--until {end.date()} is not after --since {since.date()}")
    log = _run_git(
        ["-C", str(repo), "log", "--first-parent", "--format=%H %ct %cI",
         f"--since={int(since.timestamp())}", f"--until={int(end.timestamp())}", ref],
        f"cannot read the history of {ref}",
    )  # fmt: skip
    last_of_period: dict[int, Revision] = {}
    for line in log.splitlines():  # newest first: the first seen of a period is its last
        rev, stamp, when = line.split(" ")
        moment = datetime.fromtimestamp(int(stamp), timezone.utc)
        if not since <= moment < end:
            continue  # git's date limits are approximate on a history with clock skew
        period = (moment - since) // every
        last_of_period.setdefault(period, Revision(rev, when))
    return [last_of_period[p] for p in sorted(last_of_period)]


def choose_revisions(
    repo: Path,
    *,
    ref: str = "HEAD",
    revs: Sequence[str] = (),
    since: str | None = None,
    until: str | None = None,
    every: str | None = None,
) -> list[Revision]:
    """The revisions a backfill indexes (see the module docstring)."""
    if revs and (since or until or every):
        raise InvalidQuery("give either commits or --since/--until/--every, not both")
    if not revs and since is None:
        raise InvalidQuery(
            "give the revisions: --since DATE [--until DATE] [--every 1d], or COMMITs"
        )
    if revs:
        chosen = explicit_revisions(repo, revs)
    else:
        assert since is not None
        end = None
        if until is not None:
            # `--until 2018-03-29` includes that whole day.
            end = parse_day(until, "--until") + (
                timedelta(days=1) if _is_day(until) else timedelta()
            )
        period = parse_every(every or "1d")
        chosen = periodic_revisions(repo, ref, parse_day(since, "--since"), end, period)
    if not chosen:
        raise ChannelError(f"no first-parent commit of {ref} from {since} to {until or 'now'}")
    return chosen


def _is_day(text: str) -> bool:
    return re.fullmatch(r"\d{4}-\d{2}-\d{2}", text.strip()) is not None


def _timestamp(when: str) -> float:
    try:
        return datetime.fromisoformat(when).timestamp()
    except ValueError:
        return 0.0


__all__ = [
    "Revision",
    "choose_revisions",
    "local_repository",
    "parse_every",
]
