"""The backfill's client: revisions out to the cluster, dumps into the index in order.

One run: choose the revisions (indexer/backfill/revisions.py); take the
database's lock, as `reindex` does; plan them in the ledger
(indexer/store/ledger.py), leaving out those done already; then keep a
window of revisions evaluating on the cluster (one Dask task each,
indexer/backfill/tasks.py) while the client indexes the finished ones
strictly oldest first, each with `reindex`'s own `index_revision` (its own
transactions: ingest, then audit), so that the index ends up as a
sequential `reindex` of the same revisions leaves it. A revision that
`reindex` would take over from the previous one (nothing it evaluates
changed) is not sent out at all.

A failed evaluation is sent out again, up to `retries` more times, then
recorded as skipped with its error; a worker that dies is Dask's to
replace (its task runs again elsewhere). Killing the client loses at most
the revisions in flight: the next run resumes after the last one indexed.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from indexer.backfill.revisions import Revision, choose_revisions, is_url, local_repository
from indexer.backfill.tasks import TaskResult, TaskSpec, decompress, evaluate_revision
from indexer.checkpoints import checkpoint
from indexer.dump.format import Dump
from indexer.dump.orchestrator import DumpOptions
from indexer.errors import ClusterError, NixNotFound, PyindexError
from indexer.paths import default_cache_dir
from indexer.query.index import Index
from indexer.reindex import (
    ReindexOptions,
    ReindexResult,
    database_lock,
    index_revision,
    will_reuse,
)
from indexer.store.ingest import ProgressCallback
from indexer.store.ledger import Ledger
from indexer.store.writer import Writer

if TYPE_CHECKING:
    from indexer.pypinames import PyPINames

INSTALL_HINT = "pip install 'nixpkgs-pyindex[cluster]'"


@dataclass(frozen=True)
class BackfillOptions:
    channel: str
    db_path: Path
    repo: str  # a path or a URL
    ref: str = "HEAD"
    revs: tuple[str, ...] = ()
    since: str | None = None
    until: str | None = None
    every: str | None = None
    workers: int = 2
    scheduler: str | None = None
    retries: int = 2
    retry_skipped: bool = False
    # Revisions evaluating or evaluated ahead of the one being indexed, per
    # worker thread: enough to keep every worker busy while one is ingested.
    ahead_per_thread: int = 2
    excludes: tuple[str, ...] = ()
    dump_options: DumpOptions = field(default_factory=DumpOptions)
    pypi_names: PyPINames | None = None
    wait: float = 0.0
    cache_dir: Path | None = None


@dataclass(frozen=True)
class RevisionOutcome:
    rev: str
    date: str
    # indexed, reused, audited, up-to-date (by reindex's rules); done (in the
    # ledger already); skipped (now or by an earlier run)
    action: str
    attempts: int = 0
    records: int = 0
    new_packages: int = 0
    error: str | None = None
    evaluation_seconds: float = 0.0  # on the worker
    seconds: float = 0.0  # indexing and auditing, on the client

    def as_json(self) -> dict[str, Any]:
        out = dict(self.__dict__)
        out["evaluation_seconds"] = round(self.evaluation_seconds, 3)
        out["seconds"] = round(self.seconds, 3)
        return out


@dataclass(frozen=True)
class BackfillResult:
    channel: str
    cluster: str
    seconds: float
    revisions: tuple[RevisionOutcome, ...]

    def counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for outcome in self.revisions:
            counts[outcome.action] = counts.get(outcome.action, 0) + 1
        return counts

    @property
    def skipped(self) -> tuple[RevisionOutcome, ...]:
        return tuple(o for o in self.revisions if o.action == "skipped")

    def as_json(self) -> dict[str, Any]:
        return {
            "channel": self.channel,
            "cluster": self.cluster,
            "seconds": round(self.seconds, 3),
            "counts": self.counts(),
            "revisions": [o.as_json() for o in self.revisions],
        }


@dataclass(frozen=True)
class Progress:
    """Where a run stands, after each revision."""

    total: int
    finished: int  # indexed, reused, done already or skipped
    skipped: int
    evaluating: int  # sent out and not indexed yet
    last: RevisionOutcome | None


ProgressHook = Callable[[Progress], None]


class _EvaluationFailed(Exception):
    """A revision's task failed (its error is the revision's, not the run's)."""


def backfill(options: BackfillOptions, progress: ProgressHook | None = None) -> BackfillResult:
    started = time.monotonic()
    distributed = _import_distributed()
    cache_dir = options.cache_dir or default_cache_dir()
    repo = local_repository(options.repo, cache_dir)
    revisions = choose_revisions(
        repo, ref=options.ref, revs=options.revs, since=options.since,
        until=options.until, every=options.every,
    )  # fmt: skip
    with database_lock(options.db_path, options.wait), Writer.open(options.db_path) as writer:
        ledger = Ledger(writer.conn, options.db_path)
        ledger.plan(options.channel, [(r.rev, r.date) for r in revisions])
        entries = ledger.entries(options.channel, [r.rev for r in revisions])
        if options.retry_skipped:
            for entry in entries.values():
                if entry.state == "skipped":
                    ledger.reset(options.channel, entry.rev)
            entries = ledger.entries(options.channel, [r.rev for r in revisions])
        outcomes: dict[str, RevisionOutcome] = {}
        todo: list[Revision] = []
        for r in revisions:
            entry = entries[r.rev]
            if entry.state in ("done", "skipped"):
                action = "done" if entry.state == "done" else "skipped"
                outcomes[r.rev] = RevisionOutcome(r.rev, r.date, action, entry.attempts,
                                                  error=entry.error)  # fmt: skip
            else:
                todo.append(r)
        cluster = "none"
        if todo:
            with _client(distributed, options) as (client, cluster):
                run = _Run(options, client, repo, writer, ledger, revisions, outcomes, progress)
                run.index(todo)
    ordered = tuple(outcomes[r.rev] for r in revisions)
    return BackfillResult(options.channel, cluster, time.monotonic() - started, ordered)


def _import_distributed() -> Any:
    try:
        import distributed
    except ImportError:
        raise ClusterError(f"backfill needs Dask distributed: {INSTALL_HINT}") from None
    return distributed


@contextmanager
def _client(distributed: Any, options: BackfillOptions) -> Iterator[tuple[Any, str]]:
    """A client of the given scheduler, or of a LocalCluster of worker processes."""
    if options.scheduler is not None:
        try:
            # Dask's distributed.comm.timeouts.connect says how long to try.
            client = distributed.Client(options.scheduler)
        except (OSError, TimeoutError) as e:
            raise ClusterError(f"cannot reach the scheduler {options.scheduler}: {e}") from None
        with client:
            yield client, options.scheduler
        return
    cluster = distributed.LocalCluster(
        n_workers=options.workers,
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
        # Dask's own notices (a worker restarted) are not the tool's output.
        silence_logs=logging.CRITICAL,
    )
    with cluster, distributed.Client(cluster) as client:
        yield client, f"LocalCluster of {options.workers} worker processes"


class _Run:
    def __init__(
        self,
        options: BackfillOptions,
        client: Any,
        repo: Path,
        writer: Writer,
        ledger: Ledger,
        revisions: list[Revision],
        outcomes: dict[str, RevisionOutcome],
        progress: ProgressHook | None,
    ) -> None:
        self.options = options
        self.client = client
        self.repo = repo
        self.writer = writer
        self.ledger = ledger
        self.total = len(revisions)
        self.outcomes = outcomes
        self.progress = progress or (lambda p: None)
        self.futures: dict[str, Any] = {}
        self.submitted: dict[str, int] = {}
        threads = sum(client.nthreads().values()) or options.workers
        self.ahead = max(1, threads * options.ahead_per_thread)
        self.reindex_options = ReindexOptions(
            channel=options.channel,
            db_path=options.db_path,
            git=repo,
            excludes=options.excludes,
            dump_options=options.dump_options,
            pypi_names=options.pypi_names,
        )

    # ---- what goes out -------------------------------------------------

    def _plan_evaluations(self, todo: list[Revision]) -> list[Revision]:
        """The revisions to send out: not stored yet, and not what reindex
        would take over from the one before (checked again when indexed)."""
        with Index.open(self.options.db_path) as index:
            stored = {r.rev for r in todo if index.stored_revision(r.rev) is not None}
            previous = index.previous_revision(self.options.channel)
        before = previous.rev if previous is not None else None
        out: list[Revision] = []
        for r in todo:
            if r.rev not in stored and not will_reuse(self.reindex_options, before, r.rev):
                out.append(r)
            before = r.rev
        return out

    def _submit(self, r: Revision) -> None:
        attempt = self.submitted.get(r.rev, 0) + 1
        self.submitted[r.rev] = attempt
        spec = TaskSpec(
            repo=self.options.repo if is_url(self.options.repo) else str(self.repo),
            rev=r.rev,
            excludes=self.options.excludes,
            dump_options=self.options.dump_options,
            cache_dir=str(self.options.cache_dir) if self.options.cache_dir else None,
        )
        self.ledger.running(self.options.channel, r.rev)
        # Oldest first on the cluster too; a new key for each attempt.
        self.futures[r.rev] = self.client.submit(
            evaluate_revision, spec, key=f"nixpkgs-pyindex-{r.rev}-{attempt}",
            pure=False, priority=-len(self.submitted),
        )  # fmt: skip

    def _top_up(self, queue: list[Revision]) -> None:
        while queue and len(self.futures) < self.ahead:
            self._submit(queue.pop(0))

    # ---- what comes back -----------------------------------------------

    def index(self, todo: list[Revision]) -> None:
        queue = self._plan_evaluations(todo)
        for r in todo:
            if r in queue:  # indexed in order: it cannot wait behind later ones
                queue.remove(r)
                self._submit(r)
            self._top_up(queue)
            self.outcomes[r.rev] = self._index_one(r)
            self.progress(self._progress(self.outcomes[r.rev]))
            finished = sum(1 for o in self.outcomes.values())
            checkpoint(f"backfilled-{finished}")

    def _index_one(self, r: Revision) -> RevisionOutcome:
        failures = 0
        while True:
            timing: dict[str, float] = {}
            started = time.monotonic()

            def evaluate(
                _callback: ProgressCallback | None, timing: dict[str, float] = timing
            ) -> Dump:
                return self._dump_of(r, timing)

            try:
                result = index_revision(
                    replace(self.reindex_options, ref=r.rev), r.rev, r.date, self._source(r),
                    evaluate, writer=self.writer,
                )  # fmt: skip
            except _EvaluationFailed as e:
                failures += 1
                skip = failures > self.options.retries
                self.ledger.failed(self.options.channel, r.rev, str(e), skip=skip)
                if skip:
                    entry = self.ledger.entries(self.options.channel, [r.rev])[r.rev]
                    return RevisionOutcome(r.rev, r.date, "skipped", entry.attempts, error=str(e))
                continue
            self.ledger.done(self.options.channel, r.rev, evaluated="evaluation" in timing)
            entry = self.ledger.entries(self.options.channel, [r.rev])[r.rev]
            return _outcome(r, result, entry.attempts, timing.get("evaluation", 0.0),
                            time.monotonic() - started - timing.get("waiting", 0.0))  # fmt: skip

    def _dump_of(self, r: Revision, timing: dict[str, float]) -> Dump:
        """The revision's dump, from its task (sent out now if it was not)."""
        if r.rev not in self.futures:
            self._submit(r)
        future = self.futures.pop(r.rev)
        waiting = time.monotonic()
        try:
            result: TaskResult = future.result()
        except NixNotFound:
            raise  # the workers', not the revision's
        except Exception as e:
            if type(e).__name__ == "CancelledError":  # the scheduler went away
                raise ClusterError(f"the cluster stopped while evaluating {r.rev}") from None
            raise _EvaluationFailed(_message(e)) from None
        finally:
            timing["waiting"] = time.monotonic() - waiting
        timing["evaluation"] = result.seconds
        try:
            return decompress(result.dump)
        except PyindexError as e:
            raise _EvaluationFailed(_message(e)) from None

    def _source(self, r: Revision) -> str:
        # What `reindex --git REPO --ref COMMIT` stores as the source.
        where = self.options.repo if is_url(self.options.repo) else str(self.repo)
        return f"git:{where}#{r.rev}"

    def _progress(self, last: RevisionOutcome) -> Progress:
        finished = len(self.outcomes)
        skipped = sum(1 for o in self.outcomes.values() if o.action == "skipped")
        return Progress(self.total, finished, skipped, len(self.futures), last)


def _outcome(
    r: Revision, result: ReindexResult, attempts: int, evaluation: float, seconds: float
) -> RevisionOutcome:
    return RevisionOutcome(r.rev, r.date, result.action, attempts, result.records,
                           result.new_packages, None, evaluation, seconds)  # fmt: skip


def _message(e: BaseException) -> str:
    """One line: a tool's error as it says it, anything else with its type."""
    text = str(e) if isinstance(e, PyindexError) else f"{type(e).__name__}: {e}"
    lines = text.strip().splitlines()
    return lines[0] if lines else type(e).__name__


__all__ = [
    "INSTALL_HINT",
    "BackfillOptions",
    "BackfillResult",
    "Progress",
    "RevisionOutcome",
    "backfill",
]
