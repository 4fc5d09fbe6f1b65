"""The manifest of a published index: what it holds, and its file's hashes.

`manifest.json` is what `fetch` verifies (its minisign signature) and then
trusts: the schema version of the file, when it was published (the order of
publications, for refusing a rollback), each channel with its revisions, and
the compressed file's name, size and sha256, and the same of the file
uncompressed. docs/publishing.md describes it field by field.

Reading is strict: a field missing or of the wrong type is a ManifestRefused
(exit code 20) naming it, so that nothing downloads on a manifest this
version cannot read.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import orjson

from indexer.errors import ManifestRefused

# The manifest's own layout; a reader refuses a newer one. Adding a field
# that old readers may ignore does not change it.
MANIFEST_FORMAT = 1
MANIFEST_NAME = "manifest.json"
SIGNATURE_SUFFIX = ".minisig"  # minisign's own name for a file's signature
INDEX_NAME = "index.sqlite.zst"


@dataclass(frozen=True)
class PackageSetEntry:
    name: str
    python_version: str | None
    interpreter_version: str | None
    same_as: tuple[str, ...]


@dataclass(frozen=True)
class RevisionEntry:
    rev: str
    date: str | None
    package_sets: tuple[PackageSetEntry, ...]


@dataclass(frozen=True)
class ChannelEntry:
    # None: revisions indexed without --channel.
    name: str | None
    revisions: tuple[RevisionEntry, ...]  # oldest first (ingest order)


@dataclass(frozen=True)
class NewestRevision:
    channel: str | None
    rev: str
    date: str | None


@dataclass(frozen=True)
class FileEntry:
    name: str  # relative to the manifest's URL
    size: int
    sha256: str
    uncompressed_size: int
    uncompressed_sha256: str


@dataclass(frozen=True)
class Manifest:
    format: int
    schema_version: int
    tool_version: str
    published_at: str  # ISO 8601, UTC, to the second: the order of publications
    newest: NewestRevision
    channels: tuple[ChannelEntry, ...]
    file: FileEntry

    def to_json(self) -> bytes:
        return orjson.dumps(asdict(self), option=orjson.OPT_INDENT_2) + b"\n"

    def revisions(self) -> list[str]:
        return [r.rev for c in self.channels for r in c.revisions]

    def summary(self) -> str:
        """One line: the newest revision and how many there are."""
        where = f"{self.newest.channel} " if self.newest.channel else ""
        day = f" ({self.newest.date[:10]})" if self.newest.date else ""
        count = len(self.revisions())
        return (
            f"{where}up to {short_rev(self.newest.rev)}{day}, {count} revision{'s' * (count != 1)}, "
            f"published {self.published_at}"
        )


def short_rev(rev: str) -> str:
    """A commit as git abbreviates it (12 digits); another name as it is."""
    return rev[:12] if len(rev) == 40 else rev


def size_text(size: int) -> str:
    """A file's size for people: KiB below a MiB, else MiB."""
    return f"{size / 2**10:.0f} KiB" if size < 2**20 else f"{size / 2**20:.1f} MiB"


def parse(data: bytes, where: str) -> Manifest:
    """A manifest from its JSON; ManifestRefused when it cannot be read."""
    try:
        raw = orjson.loads(data)
    except orjson.JSONDecodeError as e:
        raise ManifestRefused(f"{where}: the manifest is not JSON: {e}") from None
    reader = _Reader(where)
    obj = reader.mapping(raw, "manifest")
    version = reader.count(obj, "format")
    if version > MANIFEST_FORMAT:
        raise ManifestRefused(
            f"{where}: manifest format {version}, this nixpkgs-pyindex reads format "
            f"{MANIFEST_FORMAT}: upgrade nixpkgs-pyindex"
        )
    newest = reader.mapping(obj.get("newest"), "newest")
    file = reader.mapping(obj.get("file"), "file")
    channels = reader.items(obj, "channels")
    return Manifest(
        format=version,
        schema_version=reader.count(obj, "schema_version"),
        tool_version=reader.text(obj, "tool_version"),
        published_at=reader.text(obj, "published_at"),
        newest=NewestRevision(
            channel=reader.optional_text(newest, "channel"),
            rev=reader.text(newest, "rev"),
            date=reader.optional_text(newest, "date"),
        ),
        channels=tuple(_channel(reader, reader.mapping(c, "channels[]")) for c in channels),
        file=FileEntry(
            name=_file_name(reader, file),
            size=reader.count(file, "size"),
            sha256=_sha256(reader, file, "sha256"),
            uncompressed_size=reader.count(file, "uncompressed_size"),
            uncompressed_sha256=_sha256(reader, file, "uncompressed_sha256"),
        ),
    )


def _channel(reader: _Reader, obj: dict[str, Any]) -> ChannelEntry:
    revisions = []
    for r in reader.items(obj, "revisions"):
        r = reader.mapping(r, "revisions[]")
        sets = tuple(
            PackageSetEntry(
                name=reader.text(s, "name"),
                python_version=reader.optional_text(s, "python_version"),
                interpreter_version=reader.optional_text(s, "interpreter_version"),
                same_as=tuple(str(x) for x in reader.items(s, "same_as")),
            )
            for s in (reader.mapping(s, "package_sets[]") for s in reader.items(r, "package_sets"))
        )
        revisions.append(
            RevisionEntry(
                rev=reader.text(r, "rev"), date=reader.optional_text(r, "date"), package_sets=sets
            )
        )
    return ChannelEntry(name=reader.optional_text(obj, "name"), revisions=tuple(revisions))


def _file_name(reader: _Reader, file: dict[str, Any]) -> str:
    # A name beside the manifest, never a path or another host: the manifest
    # says what to download, the URL it came from says where.
    name = reader.text(file, "name")
    if not name or "/" in name or "\\" in name or name in (".", "..") or ":" in name:
        raise ManifestRefused(f"{reader.where}: file.name {name!r} is not a plain file name")
    return name


def _sha256(reader: _Reader, obj: dict[str, Any], key: str) -> str:
    value = reader.text(obj, key)
    if len(value) != 64 or any(c not in "0123456789abcdef" for c in value):
        raise ManifestRefused(f"{reader.where}: {key} {value!r} is not a sha256 in hex")
    return value


class _Reader:
    def __init__(self, where: str) -> None:
        self.where = where

    def _bad(self, key: str, what: str) -> ManifestRefused:
        return ManifestRefused(f"{self.where}: the manifest's {key} is {what}")

    def mapping(self, value: Any, key: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self._bad(key, "missing or not an object")
        return value

    def items(self, obj: dict[str, Any], key: str) -> list[Any]:
        value = obj.get(key)
        if not isinstance(value, list):
            raise self._bad(key, "missing or not a list")
        return value

    def text(self, obj: dict[str, Any], key: str) -> str:
        value = obj.get(key)
        if not isinstance(value, str):
            raise self._bad(key, "missing or not a string")
        return value

    def optional_text(self, obj: dict[str, Any], key: str) -> str | None:
        value = obj.get(key)
        if value is not None and not isinstance(value, str):
            raise self._bad(key, "not a string")
        return value

    def count(self, obj: dict[str, Any], key: str) -> int:
        value = obj.get(key)
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise self._bad(key, "missing or not a count")
        return value
