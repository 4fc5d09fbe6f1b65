"""`fetch`: install a published index, verified, in one rename.

In order (docs/publishing.md):

1. download the manifest and its signature, and verify the signature with
   the pinned public key (SignatureError, exit code 19);
2. refuse a manifest of a schema this version cannot read, or older than
   the one installed beside the index (a replayed old publication: exit 20);
3. nothing to do when the index is already that file (same size and
   sha256 as the manifest says);
4. otherwise download the file into a temporary file beside the index,
   check its size and sha256, decompress it into another one, check that
   size and sha256 too, open it as an index (its schema, and the revisions
   the manifest lists), and rename it over the index; then keep the
   verified manifest and its signature beside it (`INDEX.manifest.json`,
   `INDEX.manifest.json.minisig`).

Whatever fails, the installed index is left as it was, and the temporary
files go (those of a killed run are named after it, and removed by the next
fetch, as indexer/tempdirs.py explains). The installed file is the
published one, byte for byte: `Index.open()` reads it as it is.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import zstandard

from indexer.errors import DatabaseError, DownloadError, ManifestRefused, OutputError
from indexer.files import write_atomically
from indexer.publish import manifest as manifests
from indexer.publish import sign, transport
from indexer.publish.manifest import MANIFEST_NAME, SIGNATURE_SUFFIX, Manifest, size_text
from indexer.store.schema import APPLICATION_ID, SCHEMA_VERSION, open_for_reading
from indexer.tempdirs import owner_tag, remove_abandoned

MANIFEST_LIMIT = 16 << 20  # bytes: a manifest of thousands of revisions is a few MiB
SIGNATURE_LIMIT = 64 << 10
CHUNK = 1 << 20
DEFAULT_TIMEOUT = 60.0

Progress = Callable[[int, int], None]  # (bytes downloaded, of the file's size)


@dataclass(frozen=True)
class FetchResult:
    action: str  # "installed" or "up-to-date"
    url: str
    db_path: Path
    manifest: Manifest
    downloaded: int  # bytes of the index file (not the manifest)
    seconds: float

    def as_json(self) -> dict[str, object]:
        m = self.manifest
        return {
            "action": self.action,
            "url": self.url,
            "db": str(self.db_path),
            "downloaded": self.downloaded,
            "seconds": round(self.seconds, 3),
            "published_at": m.published_at,
            "schema_version": m.schema_version,
            "newest": {"channel": m.newest.channel, "rev": m.newest.rev, "date": m.newest.date},
            "revisions": len(m.revisions()),
            "file": {"size": m.file.size, "sha256": m.file.sha256,
                     "uncompressed_size": m.file.uncompressed_size,
                     "uncompressed_sha256": m.file.uncompressed_sha256},
        }  # fmt: skip

    def summary(self) -> str:
        m = self.manifest
        if self.action == "up-to-date":
            return f"{self.db_path} is up to date: {m.summary()}"
        return (
            f"installed {self.db_path} ({size_text(m.file.uncompressed_size)}, "
            f"{size_text(self.downloaded)} downloaded in {self.seconds:.1f} s): {m.summary()}"
        )


def manifest_url(location: str) -> str:
    """The manifest's URL: the location itself, or its manifest.json if it
    names a folder (ends with /, or is a local folder)."""
    url = transport.as_url(location)
    if not url.endswith("/") and transport.is_local_folder(url):
        url += "/"
    return url + MANIFEST_NAME if url.endswith("/") else url


def sidecar(db_path: Path) -> Path:
    """Where the installed index's verified manifest is kept."""
    return db_path.with_name(db_path.name + "." + MANIFEST_NAME)


def installed_manifest(db_path: Path) -> Manifest | None:
    """The manifest kept beside the index, None if there is none (or it
    cannot be read: then nothing is known of what is installed)."""
    try:
        return manifests.parse(sidecar(db_path).read_bytes(), str(sidecar(db_path)))
    except (OSError, ManifestRefused):
        return None


def fetch(
    location: str,
    key: sign.PublicKey,
    db_path: Path,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    progress: Progress | None = None,
) -> FetchResult:
    started = time.monotonic()
    url = manifest_url(location)
    data = transport.read_all(url, MANIFEST_LIMIT, timeout)
    signature = transport.read_all(url + SIGNATURE_SUFFIX, SIGNATURE_LIMIT, timeout)
    sign.verify(data, signature, key, url)
    manifest = manifests.parse(data, url)
    target = Path(os.path.realpath(db_path))
    _check_replaceable(target)
    _check_acceptable(manifest, installed_manifest(target), url, target)
    if _is_installed(target, manifest):
        _keep_manifest(target, data, signature)  # the file is it; say so beside it
        return FetchResult("up-to-date", url, db_path, manifest, 0, time.monotonic() - started)
    file_url = transport.beside(url, manifest.file.name)
    _install(file_url, manifest, target, timeout, progress)
    _keep_manifest(target, data, signature)
    seconds = time.monotonic() - started
    return FetchResult("installed", url, db_path, manifest, manifest.file.size, seconds)


def _check_replaceable(target: Path) -> None:
    """Only an index (of any schema version) or nothing is replaced: a --db
    that names another file by mistake is left alone."""
    try:
        with open(target, "rb") as f:
            header = f.read(72)
    except FileNotFoundError:
        return
    except OSError as e:
        raise DatabaseError(f"{target}: {e.strerror}") from None
    # SQLite's header: its magic string, and the application id at offset 68.
    ours = (
        header[:16] == b"SQLite format 3\x00"
        and int.from_bytes(header[68:72], "big") == APPLICATION_ID
    )
    if header and not ours:
        raise DatabaseError(
            f"{target}: not a nixpkgs-pyindex database; fetch replaces only an index"
        )


def _check_acceptable(
    manifest: Manifest, installed: Manifest | None, url: str, target: Path
) -> None:
    if manifest.schema_version > SCHEMA_VERSION:
        raise ManifestRefused(
            f"{url}: the published index has schema version {manifest.schema_version}, this "
            f"nixpkgs-pyindex reads version {SCHEMA_VERSION}: upgrade nixpkgs-pyindex"
        )
    if manifest.schema_version < SCHEMA_VERSION:
        raise ManifestRefused(
            f"{url}: the published index has schema version {manifest.schema_version}, this "
            f"nixpkgs-pyindex reads version {SCHEMA_VERSION}: its publisher runs an older "
            "nixpkgs-pyindex"
        )
    if installed is None or installed.file.sha256 == manifest.file.sha256:
        return
    if manifest.published_at <= installed.published_at:
        raise ManifestRefused(
            f"{url}: published {manifest.published_at}, before the installed index's "
            f"{installed.published_at} (a replayed old publication?); to install it anyway, "
            f"remove {sidecar(target)}"
        )


def _is_installed(target: Path, manifest: Manifest) -> bool:
    """Whether the index is the manifest's file, byte for byte."""
    try:
        if target.stat().st_size != manifest.file.uncompressed_size:
            return False
        digest = hashlib.sha256()
        with open(target, "rb") as f:
            while chunk := f.read(CHUNK):
                digest.update(chunk)
    except OSError:
        return False
    return digest.hexdigest() == manifest.file.uncompressed_sha256


def _install(
    file_url: str, manifest: Manifest, target: Path, timeout: float, progress: Progress | None
) -> None:
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise OutputError(f"cannot create {target.parent}: {e.strerror}") from None
    # Named after this run (indexer.tempdirs): a killed fetch's files are
    # removed by the next one, and a live one's never.
    prefix = f".{target.name}."
    remove_abandoned(target.parent, prefix, ".tmp")
    compressed = _temporary(target, prefix)
    try:
        _download(file_url, manifest, compressed, timeout, progress)
        unpacked = _temporary(target, prefix)
        try:
            _decompress(compressed, manifest, unpacked, file_url)
            compressed.unlink()
            _check_index(unpacked, manifest, file_url)
            _release_wal(target)
            try:
                os.replace(unpacked, target)
                _sync_folder(target.parent)
            except OSError as e:
                raise _cannot_write(target, e) from None
        finally:
            unpacked.unlink(missing_ok=True)
    finally:
        compressed.unlink(missing_ok=True)


def _temporary(target: Path, prefix: str) -> Path:
    try:
        fd, name = tempfile.mkstemp(dir=target.parent, prefix=prefix, suffix=f"-{owner_tag()}.tmp")
    except OSError as e:
        raise _cannot_write(target, e) from None
    try:  # the mode of any new file (0666 less the umask), not mkstemp's private one
        umask = os.umask(0)
        os.umask(umask)
        os.fchmod(fd, 0o666 & ~umask)
    finally:
        os.close(fd)
    return Path(name)


def _cannot_write(target: Path, e: OSError) -> OutputError:
    return OutputError(f"cannot write {target}: {e.strerror or e} (in {target.parent})")


def _download(
    url: str, manifest: Manifest, into: Path, timeout: float, progress: Progress | None
) -> None:
    expected = manifest.file
    digest = hashlib.sha256()
    size = 0

    def reported(done: int, _length: int | None) -> None:
        if progress is not None:
            progress(done, expected.size)

    try:
        with open(into, "wb") as out:
            for chunk in transport.chunks_of(url, expected.size, timeout, reported):
                digest.update(chunk)
                size += len(chunk)
                out.write(chunk)
    except OSError as e:
        raise _cannot_write(into, e) from None
    if size != expected.size:
        raise DownloadError(
            f"{url}: {size} bytes downloaded, the manifest says {expected.size} (cut short?)"
        )
    if digest.hexdigest() != expected.sha256:
        raise DownloadError(
            f"{url}: sha256 {digest.hexdigest()}, the manifest says {expected.sha256}"
        )


def _decompress(compressed: Path, manifest: Manifest, into: Path, url: str) -> None:
    expected = manifest.file
    digest = hashlib.sha256()
    size = 0
    try:
        with open(compressed, "rb") as src, open(into, "wb") as out:
            with zstandard.ZstdDecompressor().stream_reader(src) as reader:
                while chunk := reader.read(CHUNK):
                    size += len(chunk)
                    if size > expected.uncompressed_size:
                        break  # more than the manifest says: stop before filling the disk
                    digest.update(chunk)
                    out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
    except zstandard.ZstdError as e:
        raise DownloadError(f"{url}: not zstd data the manifest describes: {e}") from None
    except OSError as e:
        raise _cannot_write(into, e) from None
    if size != expected.uncompressed_size or digest.hexdigest() != expected.uncompressed_sha256:
        raise DownloadError(
            f"{url}: decompressed, it is not the file the manifest describes "
            f"({size} bytes, sha256 {digest.hexdigest()[:16]}…)"
        )


def _check_index(path: Path, manifest: Manifest, url: str) -> None:
    """It opens as an index of this schema, with the manifest's revisions."""
    try:
        conn = open_for_reading(path)
    except DatabaseError as e:
        raise DownloadError(f"{url}: the published file is not an index this reads: {e}") from None
    try:
        revs = {row[0] for row in conn.execute("select rev from revisions")}
    except sqlite3.Error as e:
        raise DownloadError(f"{url}: the published file cannot be read: {e}") from None
    finally:
        conn.close()
    if revs != set(manifest.revisions()):
        raise DownloadError(f"{url}: the published file holds other revisions than its manifest")


def _release_wal(target: Path) -> None:
    """An index written in place (WAL mode) may have a write-ahead log beside
    it; the new file must not meet the old file's log: fold it into the old
    file first. A writer still at work holds it, and then nothing changes."""
    wal = Path(f"{target}-wal")
    if not wal.exists() or wal.stat().st_size == 0:
        return
    try:
        conn = sqlite3.connect(target, timeout=5)
        try:
            busy, _, _ = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        finally:
            conn.close()
    except sqlite3.Error as e:
        raise DatabaseError(f"{target}: cannot fold in its write-ahead log: {e}") from None
    if busy:
        raise DatabaseError(f"{target}: a writer is using it; try again when it is done")


def _sync_folder(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _keep_manifest(target: Path, data: bytes, signature: bytes) -> None:
    """The verified manifest and its signature beside the index (minisign
    can check them again there); rewritten only when they changed."""
    path = sidecar(target)
    for where, content in ((Path(f"{path}{SIGNATURE_SUFFIX}"), signature), (path, data)):
        try:
            if where.read_bytes() == content:
                continue
        except OSError:
            pass
        try:
            write_atomically(where, content, fsync=True)
        except OSError as e:
            raise _cannot_write(where, e) from None
