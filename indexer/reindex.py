"""Reindex a channel when it moves: resolve its head, and index it if new.

One run: take the database's lock; resolve the channel's head to a revision
(a git repository and ref, or a channel URL's `git-revision`); stop there if
that revision is indexed and audited; otherwise extract the tree, dump it,
ingest it (one transaction), audit it (another), prune old revisions of the
channel (a third), and report the change against the channel's previous
revision. A run killed at any point leaves every committed revision intact
and readable, and the next run completes what is missing.

A bump is cheap where that is provably safe: when the commits since the
previous revision touch no file the evaluation can read (only `.github/`,
`doc/` or Markdown), the new revision takes the previous one's packages
without evaluating (tests/test_reindex.py checks it against a full index).
"""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from indexer.audit.checks import Finding
from indexer.audit.run import run_audit, store_audit
from indexer.checkpoints import checkpoint
from indexer.dump.evaluator import find_nix
from indexer.dump.format import Dump
from indexer.dump.orchestrator import DumpOptions, dump
from indexer.errors import (
    ChannelError,
    DatabaseError,
    FetchError,
    NotANixpkgsTree,
    ReindexLocked,
)
from indexer.paths import default_cache_dir, scratch_dir
from indexer.query.history import RevisionDiff, diff_revisions
from indexer.query.index import Index
from indexer.query.rows import RevisionRef
from indexer.source import decode_sha256, download, unpack_tarball
from indexer.store.ingest import ProgressCallback, RevisionInfo, ingest_dump
from indexer.store.writer import Writer
from indexer.tempdirs import owned_name, remove_abandoned, remove_tree, temporary_dir

if TYPE_CHECKING:
    from indexer.pypinames import PyPINames

ProgressFactory = Callable[[str], Any]

# Paths whose change cannot change an evaluation of the package sets.
INERT_PREFIXES = (".github/", "doc/")
INERT_SUFFIXES = (".md",)


@dataclass(frozen=True)
class ReindexOptions:
    channel: str
    db_path: Path
    git: Path | None = None
    ref: str = "HEAD"
    url: str | None = None
    sha256: str | None = None
    keep: int | None = None
    wait: float = 0.0
    excludes: tuple[str, ...] = ()
    dump_options: DumpOptions = field(default_factory=DumpOptions)
    # Names the packages whose source names none (ingest), and feeds the audit's PyPI rules.
    pypi_names: PyPINames | None = None
    cache_dir: Path | None = None


@dataclass(frozen=True)
class ReindexResult:
    channel: str
    rev: str
    action: str  # "up-to-date", "indexed", "audited", "reused"
    previous: str | None
    seconds: float
    records: int = 0
    new_packages: int = 0
    pruned: tuple[str, ...] = ()
    diff: RevisionDiff | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "channel": self.channel,
            "rev": self.rev,
            "action": self.action,
            "previous": self.previous,
            "seconds": round(self.seconds, 3),
            "records": self.records,
            "new_packages": self.new_packages,
            "pruned": list(self.pruned),
            "diff": self.diff.as_json() if self.diff else None,
        }


# ---- the lock -----------------------------------------------------------


@contextmanager
def database_lock(db_path: Path, wait: float) -> Iterator[None]:
    """One reindex per database at a time; readers never need it."""
    lock_path = db_path.with_name(db_path.name + ".lock")
    try:
        lock_path.parent.mkdir(parents=True, exist_ok=True)
        handle: IO[str] = open(lock_path, "a+")  # noqa: SIM115 - held for the whole block
    except OSError as e:
        raise DatabaseError(f"cannot create the lock file {lock_path}: {e.strerror}") from None
    with handle:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    handle.seek(0)
                    holder = handle.read().strip() or "?"
                    raise ReindexLocked(
                        f"another reindex of {db_path} is running (pid {holder}); "
                        "try again later or pass --wait SECONDS"
                    ) from None
                time.sleep(0.2)
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


# ---- the channel's head -------------------------------------------------


def _git(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", "-C", str(repo), *args], capture_output=True, text=True, check=False
    )


def resolve_git_head(repo: Path, ref: str) -> tuple[str, str | None]:
    """(commit, commit date) of `ref` in `repo`."""
    if shutil.which("git") is None:
        raise ChannelError("git is not installed")
    if not repo.is_dir() or _git(repo, "rev-parse", "--git-dir").returncode != 0:
        raise ChannelError(f"{repo} is not a git repository")
    found = _git(repo, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    if found.returncode != 0:
        raise ChannelError(f"ref {ref!r} does not exist in {repo}")
    rev = str(found.stdout).strip()
    date = str(_git(repo, "show", "-s", "--format=%cI", rev).stdout).strip() or None
    return rev, date


def changed_paths(repo: Path, old: str, new: str) -> list[str] | None:
    """Paths that differ between two commits; None if git cannot tell."""
    result = _git(repo, "diff", "--name-only", "--no-renames", old, new)
    if result.returncode != 0:
        return None
    return [line for line in result.stdout.splitlines() if line]


def is_inert(paths: list[str]) -> bool:
    return all(p.startswith(INERT_PREFIXES) or p.endswith(INERT_SUFFIXES) for p in paths)


def resolve_url_head(url: str) -> str:
    """The revision a channel URL serves (its `git-revision` file)."""
    base = url.rstrip("/")
    try:
        with urllib.request.urlopen(base + "/git-revision", timeout=60) as response:
            rev = str(response.read(200).decode("ascii", "replace")).strip()
    except (urllib.error.URLError, OSError, ValueError) as e:
        reason = getattr(e, "reason", e)
        raise ChannelError(f"cannot read {base}/git-revision: {reason}") from None
    if not rev or any(c.isspace() for c in rev):
        raise ChannelError(f"{base}/git-revision does not name a revision")
    return rev


# ---- the tree -----------------------------------------------------------


def _trees(cache_dir: Path) -> Path:
    """Where a run extracts its tree (indexer.paths.scratch_dir). Each run's
    folders end with their owner (indexer.tempdirs), so a killed run's
    leftovers are removed by the next one."""
    trees = scratch_dir(cache_dir)
    trees.mkdir(parents=True, exist_ok=True)
    remove_abandoned(trees, "")
    return trees


def extract_git_tree(repo: Path, rev: str, excludes: tuple[str, ...], cache_dir: Path) -> Path:
    """The tree of `rev`, extracted once into the cache (written whole or not at all)."""
    trees = _trees(cache_dir)
    target = trees / owned_name(f"git-{rev}")
    pathspecs = ["--", "."] + [f":(exclude){p}" for p in excludes]
    with temporary_dir(".extract-", trees) as tmp:
        archive = Path(tmp) / "tree.tar"
        with open(archive, "wb") as out:
            result = subprocess.run(
                ["git", "-C", str(repo), "archive", "--format=tar", rev, *pathspecs],
                stdout=out, stderr=subprocess.PIPE, check=False,
            )  # fmt: skip
        if result.returncode != 0:
            message = result.stderr.decode(errors="replace").strip().splitlines()
            raise ChannelError(
                f"cannot extract {rev}: {message[-1] if message else 'git archive failed'}"
            )
        tree = Path(tmp) / "tree"
        unpack_tarball(archive, tree)
        _check_nixpkgs(tree, rev)
        tree.rename(target)
    return target


def fetch_channel_tree(url: str, rev: str, sha256: str | None, cache_dir: Path) -> Path:
    """A channel's nixexprs.tar.xz, checked against `sha256` when given."""
    trees = _trees(cache_dir)
    target = trees / owned_name(f"channel-{rev}")
    source = url.rstrip("/") + "/nixexprs.tar.xz"
    with temporary_dir(".fetch-", trees) as tmp:
        archive = Path(tmp) / "nixexprs.tar.xz"
        digest = download(source, archive, timeout=300)
        if sha256 is not None and digest != decode_sha256(sha256):
            raise FetchError(f"{source}: sha256 is {digest.hex()}, not the pinned {sha256}")
        unpacked = Path(tmp) / "unpacked"
        unpack_tarball(archive, unpacked)
        roots = [p for p in [unpacked, *unpacked.iterdir()] if (p / "default.nix").is_file()]
        if not roots:
            raise NotANixpkgsTree(f"{source} holds no nixpkgs tree (no default.nix)")
        _check_nixpkgs(roots[0], rev)
        roots[0].rename(target)
    return target


def _check_nixpkgs(tree: Path, rev: str) -> None:
    if not (tree / "default.nix").is_file() or not (tree / "pkgs").is_dir():
        raise NotANixpkgsTree(f"revision {rev} is not a nixpkgs tree (no default.nix and pkgs/)")


# ---- one run ------------------------------------------------------------


def reindex(options: ReindexOptions, progress: ProgressFactory | None = None) -> ReindexResult:
    started = time.monotonic()
    cache_dir = options.cache_dir or default_cache_dir()
    if (options.git is None) == (options.url is None):
        raise ChannelError("give the channel's source: --git REPO or --url URL")
    with database_lock(options.db_path, options.wait):
        if options.git is not None:
            rev, date = resolve_git_head(options.git, options.ref)
            source = f"git:{options.git.resolve()}#{options.ref}"
        else:
            assert options.url is not None
            rev, date = resolve_url_head(options.url), None
            source = options.url

        def evaluate(callback: ProgressCallback | None) -> Dump:
            tree = (
                extract_git_tree(options.git, rev, options.excludes, cache_dir)
                if options.git is not None
                else fetch_channel_tree(source, rev, options.sha256, cache_dir)
            )
            checkpoint("extracted")
            try:
                result = dump(find_nix(), tree, options.dump_options, progress=callback)
            finally:
                # Extracted for this run only: a schedule must not fill the disk.
                remove_tree(tree)
            checkpoint("evaluated")
            return result

        result = index_revision(options, rev, date, source, evaluate, progress)
    return replace(result, seconds=time.monotonic() - started)


# The evaluation of a revision, asked for only when it cannot be reused:
# reindex extracts and dumps the tree, backfill waits for its cluster task.
Evaluate = Callable[[ProgressCallback | None], Dump]


def index_revision(
    options: ReindexOptions,
    rev: str,
    date: str | None,
    source: str,
    evaluate: Evaluate,
    progress: ProgressFactory | None = None,
    writer: Writer | None = None,
) -> ReindexResult:
    """Index, audit (and prune) one revision of a channel, as `reindex`
    does once it knows the revision; the caller holds `database_lock`.
    `backfill` calls it for each revision in order, so that both end up
    with the same rows. `writer`: the one writer to ingest through (else
    one opened for the ingest)."""
    started = time.monotonic()
    if not options.db_path.exists() or options.db_path.stat().st_size == 0:
        # Created up front, as the writer creates it: a run that fails later
        # (a full disk) still leaves a database with its tables.
        with Writer.open(options.db_path):
            pass
    # The run's one reader; the writes go through the store's writer.
    with Index.open(options.db_path) as index:
        run = _run(options, progress, index, rev, date, source, evaluate, writer)
    if isinstance(run, ReindexResult):
        return run
    # The writes that end the run, once the reader is closed: the last
    # connection to close moves the WAL into the database file, which
    # then holds the whole run by itself.
    names_source = None if options.pypi_names is None else options.pypi_names.source
    store_audit(options.db_path, run.revision_id, run.findings, names_source)
    pruned = _prune(options) if options.keep is not None else []
    return ReindexResult(options.channel, rev, run.action, run.previous and run.previous.rev,
                         time.monotonic() - started, run.records, run.new_packages,
                         tuple(pruned), run.diff)  # fmt: skip


@dataclass(frozen=True)
class _Indexed:
    """A run read and indexed, its audit still to store."""

    action: str
    previous: RevisionRef | None
    records: int
    new_packages: int
    revision_id: int
    findings: tuple[Finding, ...]
    diff: RevisionDiff | None


def _run(
    options: ReindexOptions,
    progress: ProgressFactory | None,
    index: Index,
    rev: str,
    date: str | None,
    source: str,
    evaluate: Evaluate,
    writer: Writer | None,
) -> _Indexed | ReindexResult:
    existing = index.stored_revision(rev)
    audited = existing is not None and index.is_audited(existing.id)
    previous = index.previous_revision(options.channel, existing.id if existing else None)
    if existing is not None and audited:
        return ReindexResult(options.channel, rev, "up-to-date", previous and previous[1], 0.0)

    action = "audited"
    records = new_packages = 0
    if existing is None:
        reused = _reuse_previous(options, previous, rev, date, source)
        if reused is not None:
            action, records = "reused", reused
        else:
            with _progress(progress, "evaluating") as callback:
                result = evaluate(callback)
            info = RevisionInfo(rev=rev, channel=options.channel, date=date, source=source)
            with _progress(progress, "ingesting") as callback:
                ingested = ingest_dump(
                    options.db_path, result, info, progress=callback, writer=writer,
                    pypi_names=options.pypi_names,
                )
            action, records, new_packages = "indexed", ingested.records, ingested.new_packages
    checkpoint("ingested")
    audit = run_audit(
        options.db_path,
        rev,
        pypi_names=options.pypi_names,
        store=False,  # stored by the caller, once this reader is closed
        index=index,
    )
    revision_id = index.revision(rev).id
    diff = _diff(index, previous, rev, audit.findings)
    return _Indexed(action, previous, records, new_packages, revision_id, audit.findings, diff)


def will_reuse(options: ReindexOptions, previous_rev: str | None, rev: str) -> bool:
    """Whether `index_revision` would take `rev` over from `previous_rev`
    without evaluating it (if that is the channel's previous revision then)."""
    if previous_rev is None or options.git is None:
        return False
    paths = changed_paths(options.git, previous_rev, rev)
    return paths is not None and is_inert(paths)


def _reuse_previous(
    options: ReindexOptions,
    previous: RevisionRef | None,
    rev: str,
    date: str | None,
    source: str,
) -> int | None:
    """Index `rev` as a copy of the previous revision when nothing the
    evaluation reads has changed, and it was named with the same PyPI list
    (or both without one: another list may name its packages otherwise);
    the number of records, or None."""
    if previous is None or not will_reuse(options, previous[1], rev):
        return None
    names = options.pypi_names
    listed = (None, None) if names is None else (names.date, len(names))
    with Writer.open(options.db_path) as w:
        if w.pypi_list_of(previous[0]) != listed:
            return None
        return w.copy_revision(
            previous[0], rev=rev, channel=options.channel, date=date, source=source
        )


def _prune(options: ReindexOptions) -> list[str]:
    assert options.keep is not None
    with Writer.open(options.db_path) as w:
        return w.prune_channel(options.channel, options.keep)


def _diff(
    index: Index, previous: RevisionRef | None, rev: str, findings: Sequence[Finding]
) -> RevisionDiff | None:
    """The change from the channel's previous revision to `rev`, whose
    audit's `findings` are not stored yet."""
    if previous is None:
        return None
    current = index.stored_revision(rev)
    if current is None or not index.has_revision(previous.id):
        return None
    return diff_revisions(index, previous, (current.id, rev), findings_b=findings)


@contextmanager
def _progress(factory: ProgressFactory | None, label: str) -> Iterator[Any]:
    if factory is None:
        yield None
    else:
        with factory(label) as callback:
            yield callback
