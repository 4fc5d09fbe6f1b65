"""`publish`: the three files a published index is.

    index.sqlite.zst        a VACUUMed copy of the index, zstd-compressed
    manifest.json           what it holds, and its hashes (manifest.py)
    manifest.json.minisig   the manifest's minisign signature (sign.py)

The copy is taken first (`VACUUM INTO`, a consistent snapshot even while a
reindex writes), and everything after reads the copy: the checks of
fitness.py and the manifest describe exactly the file that is published.
The copy is switched to the rollback journal, so that the installed file
is one plain file that a reader opens read-only without creating any
(`-wal`, `-shm`). The files are made in a temporary folder inside the
output folder and renamed into place, the manifest last: a folder being
served never holds a manifest whose file is not there yet.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path

import zstandard

from indexer import __version__
from indexer.errors import DatabaseError, OutputError, UnfitIndex
from indexer.publish import fitness, sign
from indexer.publish.manifest import (
    INDEX_NAME,
    MANIFEST_FORMAT,
    MANIFEST_NAME,
    SIGNATURE_SUFFIX,
    ChannelEntry,
    FileEntry,
    Manifest,
    NewestRevision,
    PackageSetEntry,
    RevisionEntry,
    size_text,
)
from indexer.query.index import Index
from indexer.store.schema import SCHEMA_VERSION, open_for_reading
from indexer.tempdirs import make_dir, remove_tree

# nxv's level too: publishing is rare, downloads are many.
DEFAULT_LEVEL = 19
CHUNK = 1 << 20

Progress = Callable[[int, int], None]  # (bytes compressed so far, total)


@dataclass(frozen=True)
class PublishResult:
    manifest: Manifest
    out_dir: Path
    seconds: float

    @property
    def files(self) -> list[Path]:
        return [
            self.out_dir / n for n in (INDEX_NAME, MANIFEST_NAME, MANIFEST_NAME + SIGNATURE_SUFFIX)
        ]

    def as_json(self) -> dict[str, object]:
        return {
            "files": [str(p) for p in self.files],
            "seconds": round(self.seconds, 3),
            "manifest": asdict(self.manifest),
        }

    def summary(self) -> str:
        f = self.manifest.file
        return (
            f"published {self.out_dir / INDEX_NAME} ({size_text(f.size)}, {size_text(f.uncompressed_size)} "
            f"unpacked) in {self.seconds:.1f} s: {self.manifest.summary()}; signed "
            f"{self.out_dir / (MANIFEST_NAME + SIGNATURE_SUFFIX)}"
        )


def publish(
    db_path: Path,
    out_dir: Path,
    key_path: Path,
    *,
    password: str | None = None,
    level: int = DEFAULT_LEVEL,
    allow_shrink: bool = False,
    now: datetime | None = None,
    progress: Progress | None = None,
) -> PublishResult:
    started = time.monotonic()
    published_at = (now or datetime.now(timezone.utc)).astimezone(timezone.utc)
    key = sign.SecretKey(key_path, password)  # a wrong key or password fails at once
    try:
        source = open_for_reading(db_path)  # and so does a file that is not an index
        try:
            _make_folder(out_dir)
            try:  # inside the output folder: the renames stay on one file system
                work = make_dir(".publish-", out_dir)
            except OSError as e:
                raise _write_error(out_dir, e) from None
            try:
                manifest = _publish_in(work, source, out_dir, key, published_at, level,
                                       allow_shrink, progress)  # fmt: skip
            finally:
                remove_tree(work)
        finally:
            source.close()
    finally:
        key.close()
    return PublishResult(manifest, out_dir, time.monotonic() - started)


def _publish_in(
    work: Path,
    source: sqlite3.Connection,
    out_dir: Path,
    key: sign.SecretKey,
    published_at: datetime,
    level: int,
    allow_shrink: bool,
    progress: Progress | None,
) -> Manifest:
    copy = work / "index.sqlite"
    try:
        source.execute("VACUUM INTO ?", [str(copy)])
    except sqlite3.Error as e:
        raise _write_error(work, e) from None
    channels, newest = _checked_contents(copy, allow_shrink)
    file = _compress(copy, work / INDEX_NAME, level, progress)
    manifest = Manifest(
        format=MANIFEST_FORMAT,
        schema_version=SCHEMA_VERSION,
        tool_version=__version__,
        published_at=published_at.isoformat(timespec="seconds").replace("+00:00", "Z"),
        newest=newest,
        channels=channels,
        file=file,
    )
    data = manifest.to_json()
    signature = key.sign(data, sign.trusted_comment(MANIFEST_NAME))
    try:
        (work / MANIFEST_NAME).write_bytes(data)
        (work / (MANIFEST_NAME + SIGNATURE_SUFFIX)).write_bytes(signature)
        for name in (INDEX_NAME, MANIFEST_NAME + SIGNATURE_SUFFIX, MANIFEST_NAME):
            os.replace(work / name, out_dir / name)
    except OSError as e:
        raise _write_error(out_dir, e) from None
    return manifest


def _make_folder(out_dir: Path) -> None:
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise OutputError(f"cannot create {out_dir}: {e.strerror}") from None


def _write_error(where: Path, e: Exception) -> OutputError:
    reason = e.strerror if isinstance(e, OSError) and e.strerror else str(e)
    return OutputError(f"cannot write in {where}: {reason}")


def _checked_contents(
    copy: Path, allow_shrink: bool
) -> tuple[tuple[ChannelEntry, ...], NewestRevision]:
    """The copy's channels and newest revision, after the fitness checks;
    switched to the rollback journal on the way."""
    try:
        conn = sqlite3.connect(copy)
        try:
            conn.execute("PRAGMA journal_mode = DELETE")
            found = fitness.problems(conn, allow_shrink)
        finally:
            conn.close()
    except sqlite3.Error as e:
        raise DatabaseError(f"{copy}: {e}") from None
    if found:
        listed = "; ".join(p.message for p in found)
        plural = "s" * (len(found) != 1)
        raise UnfitIndex(f"the index is unfit to publish ({len(found)} problem{plural}): {listed}")
    with Index(open_for_reading(copy)) as index:
        revisions = index.revisions()
        if not revisions:
            raise UnfitIndex("the index holds no revision: nothing to publish")
        channels: dict[str | None, list[RevisionEntry]] = {}
        for r in revisions:
            sets = tuple(
                PackageSetEntry(s.name, s.python_version, s.interpreter_version, s.same_as)
                for s in index.package_sets(r.id)
            )
            channels.setdefault(r.channel, []).append(RevisionEntry(r.rev, r.date, sets))
        newest = revisions[-1]
    entries = tuple(ChannelEntry(name, tuple(revs)) for name, revs in channels.items())
    return entries, NewestRevision(newest.channel, newest.rev, newest.date)


def _compress(copy: Path, out: Path, level: int, progress: Progress | None) -> FileEntry:
    size = copy.stat().st_size
    plain, packed = hashlib.sha256(), hashlib.sha256()
    # All cores: the output is the same for any number of threads.
    compressor = zstandard.ZstdCompressor(level=level, threads=-1, write_content_size=True)
    done = 0
    try:
        with (
            open(copy, "rb") as src,
            open(out, "wb") as dst,
            compressor.stream_writer(dst, size=size, closefd=False) as writer,
        ):
            while chunk := src.read(CHUNK):
                plain.update(chunk)
                writer.write(chunk)
                done += len(chunk)
                if progress is not None:
                    progress(done, size)
        with open(out, "rb") as f:
            while chunk := f.read(CHUNK):
                packed.update(chunk)
    except OSError as e:
        raise _write_error(out.parent, e) from None
    return FileEntry(
        name=INDEX_NAME,
        size=out.stat().st_size,
        sha256=packed.hexdigest(),
        uncompressed_size=size,
        uncompressed_sha256=plain.hexdigest(),
    )
