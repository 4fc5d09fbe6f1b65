"""The set of PyPI project names: evidence for names without source evidence (`index`,
`reindex`, `backfill`, `ingest`) and for the audit's "not on PyPI" and "shadowing" rules.

`--pypi-names FILE` reads a saved list: one project name a line (or the first
column of a TSV), or the PEP 691 JSON of a simple index, either one possibly
gzip-compressed. A TSV whose header names its second column `version` (name,
version, …: a dump of PyPI's projects with their newest release) also gives
each project's newest release: evidence against a name whose newest release
is older than what nixpkgs builds (mapping/candidates.py). The simple index
has names only. `--pypi-names online` fetches the PEP 691 JSON of
https://pypi.org/simple/ and caches it: a cache younger than a day is used
without asking, an older one is revalidated with its ETag, and while PyPI
cannot be reached a stale cache is used with a warning.
"""

from __future__ import annotations

import array
import contextlib
import gzip
import hashlib
import http.client
import mmap
import os
import re
import time
import urllib.error
import urllib.parse
import urllib.request
import zlib
from collections.abc import Callable, Container, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import orjson
from packaging.utils import canonicalize_name

from indexer import __version__
from indexer.errors import PyPINamesError
from indexer.files import write_atomically
from indexer.paths import DEFAULT_INDEX_URL, default_cache_dir
from mapping.candidates import NO_RELEASES, Releases

ONLINE = "online"
PEP691_JSON = "application/vnd.pypi.simple.v1+json"

_GZIP_MAGIC = b"\x1f\x8b"
_UTF8_BOM = b"\xef\xbb\xbf"
_NOT_SPACE = re.compile(rb"\S")
# The first word of each line (after a newline: a literal prefix is fast to scan
# for) that is neither blank nor a comment.
_FIRST_WORD = re.compile(rb"\n[^\S\n]*([^\s#]\S*)")
# A valid project name (PEP 508), its characters and its separators.
_NAME = re.compile(r"[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?")
_NAME_CHARS = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-"
_SEPARATORS = (b".", b"_", b"-")
# "name<TAB>version" at the start of a line of a TSV with releases.
_RELEASE_LINE = re.compile(rb"\n([A-Za-z0-9][A-Za-z0-9._-]*)\t([^\t\n]+)")
_PEP440_LIKE = re.compile(rb"v?[0-9]")


class _NameSet(Protocol):
    """Canonical names: a frozenset, or a names index read on demand."""

    def __contains__(self, name: object, /) -> bool: ...
    def __len__(self) -> int: ...


class PyPINames:
    """An immutable set of canonical (PEP 503) PyPI project names.

    `name in names` accepts any spelling: `PyYAML`, `pyyaml` and `py_yaml`
    are the same project.
    """

    __slots__ = ("_date", "_names", "_releases", "_source", "_warning")

    _names: _NameSet
    _source: str
    _warning: str | None
    _date: str | None
    _releases: Releases

    def __init__(
        self,
        names: Iterable[str],
        source: str,
        warning: str | None = None,
        date: str | None = None,
        releases: Mapping[str, str] | None = None,
    ) -> None:
        self._names = frozenset(_canonicalize_all(list(names)))
        self._source = source
        self._warning = warning
        self._date = date
        self._releases = _canonical_releases(releases) if releases else NO_RELEASES

    @classmethod
    def _of_canonical(
        cls,
        names: _NameSet,
        source: str,
        warning: str | None = None,
        date: str | None = None,
        releases: Releases = NO_RELEASES,
    ) -> PyPINames:
        # Skips canonicalizing again names that already are.
        self = cls.__new__(cls)
        self._names, self._source, self._warning, self._date = names, source, warning, date
        self._releases = releases
        return self

    @property
    def releases(self) -> Releases:
        """Each project's newest release (canonical name → version), where the
        list gives it (a TSV with a version column); empty otherwise."""
        return self._releases

    @property
    def date(self) -> str | None:
        """When the list was made (UTC, ISO 8601): fetched from the index, or
        the file's modification time; recorded per revision."""
        return self._date

    @property
    def source(self) -> str:
        """Where the names come from: a file, or the URL and its cache."""
        return self._source

    @property
    def warning(self) -> str | None:
        """Why the names may be out of date or not cached, for the user; None if all is well."""
        return self._warning

    @property
    def names(self) -> frozenset[str]:
        """All the names (read whole from a names index: slow, for tests and iteration)."""
        names = self._names
        if isinstance(names, _NamesIndex):
            return names.all()
        assert isinstance(names, frozenset)
        return names

    @property
    def canonical(self) -> Container[str]:
        """The names for lookups of names canonical already (mapping.candidates):
        no canonicalizing on each lookup."""
        return self._names

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and canonicalize_name(name) in self._names

    def __len__(self) -> int:
        return len(self._names)

    def __iter__(self) -> Iterator[str]:
        return iter(self.names)

    def __repr__(self) -> str:
        return f"<PyPINames: {len(self._names)} names from {self._source}>"


# --- the names index: a big list looked up without reading it whole ---------
#
# Reading PyPI's 886k names into a set costs 1-2 s a run, more than a whole
# ingest of a 2018 nixpkgs, which looks up a few thousand of them. So a big
# list is cached once as a names index, hashed into buckets, and memory-mapped:
# opening it is free and a lookup reads one bucket (~200 bytes).
#   magic, count u32, buckets u32, the source's size u64 and mtime_ns u64
#   (zero for a cached download, whose file name holds its hash), bucket
#   offsets (buckets + 1) u32, then each bucket: "\n" + names joined by "\n" + "\n".

_INDEX_MAGIC = b"PYNAMES1"
_RELEASES_MAGIC = b"PYRELEA1"
_INDEX_HEADER = 8 + 4 + 4 + 8 + 8
_INDEX_BUCKETS = 1 << 16
# Smaller lists parse in well under 0.1 s: not worth a file in the cache.
INDEX_MIN_BYTES = 1 << 20  # a saved list's file
INDEX_MIN_NAMES = 50_000  # a downloaded list


class _NamesIndex:
    __slots__ = ("_base", "_count", "_map", "_mask", "_offsets")
    _MAGIC = _INDEX_MAGIC

    def __init__(self, path: Path, size: int = 0, mtime_ns: int = 0) -> None:
        """Open the index at `path`; ValueError if it is not one, or not of a
        source of this size and modification time."""
        if not path.is_file():  # mmap of an empty file fails: no index either
            raise ValueError(f"{path} is no index")
        with open(path, "rb") as f:
            self._map = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        head = self._map[:_INDEX_HEADER]
        if len(head) < _INDEX_HEADER or head[:8] != self._MAGIC:
            raise ValueError(f"{path} is not a names index")
        self._count = int.from_bytes(head[8:12], "little")
        buckets = int.from_bytes(head[12:16], "little")
        source = (int.from_bytes(head[16:24], "little"), int.from_bytes(head[24:32], "little"))
        if source != (size, mtime_ns) or buckets & (buckets - 1):
            raise ValueError(f"{path} is the index of another list")
        self._offsets = array.array("I")
        self._offsets.frombytes(self._map[_INDEX_HEADER : _INDEX_HEADER + 4 * (buckets + 1)])
        self._base = _INDEX_HEADER + 4 * (buckets + 1)
        self._mask = buckets - 1
        if self._base + self._offsets[-1] != len(self._map):
            raise ValueError(f"{path} is truncated")

    def __contains__(self, name: object, /) -> bool:
        if not isinstance(name, str) or "\n" in name:
            return False
        word = name.encode()
        bucket = zlib.crc32(word) & self._mask
        start, end = self._offsets[bucket], self._offsets[bucket + 1]
        return self._map.find(b"\n" + word + b"\n", self._base + start, self._base + end) >= 0

    def __len__(self) -> int:
        return self._count

    def all(self) -> frozenset[str]:
        data = self._map[self._base :].decode()
        return frozenset(name for name in data.split("\n") if name)


class _ReleasesIndex(_NamesIndex):
    """The same layout, each entry "name\tversion": a project's newest release."""

    __slots__ = ()
    _MAGIC = _RELEASES_MAGIC

    def get(self, name: str, /) -> str | None:
        if "\n" in name or "\t" in name:
            return None
        word = b"\n" + name.encode() + b"\t"
        bucket = zlib.crc32(word[1:-1]) & self._mask
        start, end = self._base + self._offsets[bucket], self._base + self._offsets[bucket + 1]
        found = self._map.find(word, start, end)
        if found < 0:
            return None
        version_at = found + len(word)
        return self._map[version_at : self._map.find(b"\n", version_at, end)].decode()


def _write_index(
    path: Path,
    names: Iterable[str],
    size: int = 0,
    mtime_ns: int = 0,
    releases: Mapping[str, str] | None = None,
) -> None:
    """A names index of `names`, or with `releases` a releases index of them."""
    buckets: list[list[bytes]] = [[] for _ in range(_INDEX_BUCKETS)]
    count = 0
    for name in names:
        word = name.encode()
        entry = word if releases is None else word + b"\t" + releases[name].encode()
        buckets[zlib.crc32(word) & (_INDEX_BUCKETS - 1)].append(entry)
        count += 1
    offsets = array.array("I", [0])
    chunks: list[bytes] = []
    for bucket in buckets:
        chunk = b"\n" + b"\n".join(sorted(bucket)) + b"\n" if bucket else b""
        chunks.append(chunk)
        offsets.append(offsets[-1] + len(chunk))
    head = (
        (_INDEX_MAGIC if releases is None else _RELEASES_MAGIC)
        + count.to_bytes(4, "little")
        + _INDEX_BUCKETS.to_bytes(4, "little")
        + size.to_bytes(8, "little")
        + mtime_ns.to_bytes(8, "little")
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, head + offsets.tobytes() + b"".join(chunks))


def _open_index(path: Path, size: int = 0, mtime_ns: int = 0) -> _NamesIndex | None:
    try:
        return _NamesIndex(path, size, mtime_ns)
    except (OSError, ValueError):
        return None


NONE = "none"


def load_pypi_names_option(spec: str | None, **kwargs: Any) -> PyPINames | None:
    """`--pypi-names online|FILE|none`: the list, or None for `none` (or no option)."""
    if spec is None or spec == NONE:
        return None
    return load_pypi_names(spec, **kwargs)


def load_pypi_names(
    spec: str,
    *,
    cache_dir: Path | None = None,
    index_url: str = DEFAULT_INDEX_URL,
    max_age: float = 86400,
    timeout: float = 30.0,
    now: Callable[[], float] = time.time,
) -> PyPINames:
    """The names `--pypi-names SPEC` gives: `online` (a file named so: `./online`), or a file."""
    if spec == ONLINE:
        return _load_online(
            index_url, cache_dir or default_cache_dir(), max_age=max_age, timeout=timeout, now=now
        )
    return read_names_file(Path(spec).expanduser(), cache_dir or default_cache_dir())


def read_names_file(path: Path, cache_dir: Path | None = None) -> PyPINames:
    """The names of a saved list; a big one (INDEX_MIN_BYTES) goes through a
    names index in `cache_dir`, made on first use and remade when the file
    changes (its size or modification time)."""
    try:
        stat = path.stat()
    except OSError:
        stat = None
    date = None if stat is None else _iso(stat.st_mtime)
    index_path = None
    if cache_dir is not None and stat is not None and stat.st_size >= INDEX_MIN_BYTES:
        where = hashlib.sha256(os.fsencode(path.resolve())).hexdigest()[:16]
        index_path = cache_dir / "pypi-names" / f"file-{where}.idx"
        index = _open_index(index_path, stat.st_size, stat.st_mtime_ns)
        releases = _open_releases(_releases_of(index_path), stat.st_size, stat.st_mtime_ns)
        if index is not None and releases is not None:
            return PyPINames._of_canonical(index, str(path), date=date, releases=releases)
    try:
        data = path.read_bytes()
    except FileNotFoundError as e:
        raise PyPINamesError(f"{path}: no such file") from e
    except IsADirectoryError as e:
        raise PyPINamesError(f"{path} is a directory, not a list of PyPI project names") from e
    except OSError as e:
        raise PyPINamesError(f"cannot read {path}: {e.strerror or e}") from e
    listed, released = parse_list(data, str(path))
    names = PyPINames(listed, str(path), date=date, releases=released)
    if index_path is not None and stat is not None:
        with contextlib.suppress(OSError):  # a cache that cannot be written is no cache
            canonical = names.releases if isinstance(names.releases, dict) else {}
            # The releases first: the names index is what says the cache is whole.
            _write_index(_releases_of(index_path), canonical, stat.st_size, stat.st_mtime_ns,
                         releases=canonical)  # fmt: skip
            _write_index(index_path, names.names, stat.st_size, stat.st_mtime_ns)
    return names


def _releases_of(index_path: Path) -> Path:
    return index_path.with_suffix(".releases")


def _open_releases(path: Path, size: int, mtime_ns: int) -> _ReleasesIndex | None:
    try:
        return _ReleasesIndex(path, size, mtime_ns)
    except (OSError, ValueError):
        return None


def _canonical_releases(releases: Mapping[str, str]) -> dict[str, str]:
    names = list(releases)
    return dict(zip(_canonicalize_all(names), (releases[n] for n in names), strict=True))


def parse_names(data: bytes, what: str) -> list[str]:
    """The project names in `data` (text or PEP 691 JSON, maybe gzipped), as spelled there.

    `what` names the input in error messages.
    """
    return parse_list(data, what)[0]


def parse_list(data: bytes, what: str) -> tuple[list[str], dict[str, str]]:
    """The project names in `data` (text or PEP 691 JSON, maybe gzipped), as
    spelled there, and each one's newest release where the list gives it (a
    TSV whose header names its second column `version`).

    `what` names the input in error messages.
    """
    if data[:2] == _GZIP_MAGIC:
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError, zlib.error) as e:
            raise PyPINamesError(f"{what} is a corrupt gzip file ({e})") from e
    data = data.removeprefix(_UTF8_BOM)
    found = _NOT_SPACE.search(data)
    first = found.group() if found else b""
    releases: dict[str, str] = {}
    if first == b"{":
        names = parse_pep691(data, what)
    elif first == b"<":
        raise PyPINamesError(
            f"{what} is HTML, not a list of names: save the JSON form of the index"
            f" (Accept: {PEP691_JSON}) or one name a line"
        )
    else:
        names = _parse_text(data, what)
        releases = _parse_releases(data)
    if not names:
        raise PyPINamesError(f"{what} lists no project names")
    return names, releases


def _parse_releases(data: bytes) -> dict[str, str]:
    """name → version of a TSV whose header is "name\tversion…" (as spelled;
    a version that is not PEP 440 is left out: it says nothing)."""
    end = data.find(b"\n")
    if data[: None if end < 0 else end].split(b"\t")[:2] != [b"name", b"version"]:
        return {}
    return {
        name.decode("ascii"): version.decode("ascii")
        for name, version in _RELEASE_LINE.findall(data, max(end, 0))
        if _PEP440_LIKE.match(version)
    }


def parse_pep691(text: str | bytes, what: str) -> list[str]:
    """The project names of the PEP 691 JSON of a simple index's root page."""
    try:
        doc = orjson.loads(text)
    except orjson.JSONDecodeError as e:
        raise PyPINamesError(f"{what} is not valid JSON ({e})") from e
    not_an_index = f"{what} is not a PEP 691 project list"
    if not isinstance(doc, dict):
        raise PyPINamesError(f"{not_an_index}: it is a JSON {type(doc).__name__}, not an object")
    meta = doc.get("meta")
    version = meta.get("api-version") if isinstance(meta, dict) else None
    if not isinstance(version, str):
        raise PyPINamesError(f'{not_an_index}: it has no "meta": {{"api-version": ...}}')
    if version.split(".", 1)[0] != "1":
        raise PyPINamesError(
            f"{what} is of PEP 691 api-version {version}; nixpkgs-pyindex {__version__} reads 1.x"
        )
    projects = doc.get("projects")
    if not isinstance(projects, list):
        if "files" in doc:
            raise PyPINamesError(
                f"{not_an_index}: it is the page of the one project {doc.get('name')!r}"
            )
        raise PyPINamesError(f'{not_an_index}: it has no "projects" list')
    names: list[str] = []
    for number, project in enumerate(projects):
        name = project.get("name") if isinstance(project, dict) else None
        if not isinstance(name, str) or not name.strip():
            raise PyPINamesError(f'{not_an_index}: projects[{number}] has no "name"')
        names.append(name)
    return names


def _parse_text(data: bytes, what: str) -> list[str]:
    # On bytes, with a few passes of C code over the whole file, and decoding only
    # the names: the 76 MB TSV of all PyPI (886k lines, with summaries) in 0.5 s.
    words: list[bytes] = _FIRST_WORD.findall(b"\n" + data)
    end = data.find(b"\n")
    if words and data[: None if end < 0 else end].split(maxsplit=1)[:1] == [b"name"]:
        del words[0]  # a TSV header, such as "name\tversion\t..."
    joined = b"\n".join(words)
    if (
        joined.translate(None, _NAME_CHARS + b"\n")
        or joined[:1] in _SEPARATORS
        or joined[-1:] in _SEPARATORS
        or any(b"\n" + sep in joined or sep + b"\n" in joined for sep in _SEPARATORS)
    ):
        raise _first_bad_name(data.decode(errors="replace"), what)
    return joined.decode("ascii").split("\n") if words else []


def _first_bad_name(text: str, what: str) -> PyPINamesError:
    # The slow way, only to say where.
    if "\x00" in text:
        return PyPINamesError(f"{what} is not a text file of PyPI project names")
    for number, line in enumerate(text.split("\n"), 1):
        words = line.split(maxsplit=1)
        if not words or words[0].startswith("#") or (number == 1 and words[0] == "name"):
            continue
        if not _NAME.fullmatch(words[0]):
            word = words[0] if len(words[0]) <= 40 else words[0][:40] + "…"
            return PyPINamesError(f"{what}, line {number}: {word!r} is not a project name")
    return PyPINamesError(f"{what} has a line that is not a project name")


def _canonicalize_all(names: list[str]) -> list[str]:
    """canonicalize_name() of each name, done once on all names joined: several times faster."""
    joined = "\n".join(names)
    if joined.count("\n") != len(names) - 1:  # a name with a newline (or no names at all)
        return [canonicalize_name(name) for name in names]
    value = joined.lower().replace("_", "-").replace(".", "-")
    while "--" in value:
        value = value.replace("--", "-")
    return value.split("\n")


# --- online ------------------------------------------------------------------


class _FetchFailed(Exception):
    """The index could not be fetched; the message is the reason, one line."""


@dataclass(frozen=True)
class _Answer:
    status: int  # 200, or 304 to a conditional request
    body: bytes
    content_type: str
    etag: str | None
    last_modified: str | None


@dataclass(frozen=True)
class _Cached:
    names: _NameSet
    names_path: Path
    fetched_at: float
    etag: str | None
    last_modified: str | None


def _load_online(
    url: str, cache_dir: Path, *, max_age: float, timeout: float, now: Callable[[], float]
) -> PyPINames:
    cache = _Cache(cache_dir, url)
    cached = cache.read()
    started = now()
    if cached is not None and 0 <= started - cached.fetched_at < max_age:
        return PyPINames._of_canonical(
            cached.names, _cached_source(url, cached), date=_iso(cached.fetched_at)
        )
    try:
        answer = _fetch(url, cached, timeout)
        if answer.status == 304:
            if cached is None:
                raise _FetchFailed("HTTP 304 Not Modified to a request that was not conditional")
            fresh = _Cached(
                cached.names,
                cached.names_path,
                started,
                answer.etag or cached.etag,
                answer.last_modified or cached.last_modified,
            )
            try:
                cache.write_sidecar(fresh)
            except OSError as e:
                return PyPINames._of_canonical(
                    cached.names,
                    _cached_source(url, cached),
                    _cannot_cache(cache, e),
                    _iso(cached.fetched_at),
                )
            return PyPINames._of_canonical(
                fresh.names, _cached_source(url, fresh), date=_iso(started)
            )
        listed = _canonicalize_all(_parse_answer(answer))
    except _FetchFailed as e:
        if cached is None:
            raise PyPINamesError(
                f"cannot fetch the PyPI project list from {url} ({e});"
                " pass --pypi-names FILE with a saved copy"
            ) from e
        stale = (
            f"the PyPI project list cached at {cached.names_path} is stale (fetched"
            f" {_date(cached.fetched_at)}, {_age(started - cached.fetched_at)} ago):"
            f" cannot fetch {url} ({e})"
        )
        return PyPINames._of_canonical(
            cached.names, _cached_source(url, cached), stale, _iso(cached.fetched_at)
        )
    names = frozenset(listed)
    try:
        written = cache.write(listed, names, started, answer.etag, answer.last_modified, cached)
    except OSError as e:
        source = f"{url} (fetched {_date(started)}, not cached)"
        return PyPINames._of_canonical(names, source, _cannot_cache(cache, e), _iso(started))
    return PyPINames._of_canonical(names, _cached_source(url, written), date=_iso(started))


def _fetch(url: str, cached: _Cached | None, timeout: float) -> _Answer:
    headers = {
        "Accept": PEP691_JSON,
        "Accept-Encoding": "gzip",  # the full list is tens of MB uncompressed
        "User-Agent": f"nixpkgs-pyindex/{__version__}",
    }
    if cached is not None and cached.etag:
        headers["If-None-Match"] = cached.etag
    if cached is not None and cached.last_modified:
        headers["If-Modified-Since"] = cached.last_modified
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body: bytes = response.read()
            status: int = response.status
            info = response.headers
    except urllib.error.HTTPError as e:
        with contextlib.closing(e):
            # urllib raises on 304 too: it is no error here.
            if e.code == 304:
                return _Answer(304, b"", "", e.headers.get("ETag"), e.headers.get("Last-Modified"))
            raise _FetchFailed(f"HTTP {e.code} {e.reason}") from e
    except urllib.error.URLError as e:
        raise _FetchFailed(_reason(e.reason)) from e
    except (OSError, http.client.HTTPException, ValueError) as e:
        raise _FetchFailed(_reason(e)) from e
    if (info.get("Content-Encoding") or "").strip().lower() == "gzip":
        try:
            body = gzip.decompress(body)
        except (OSError, EOFError, zlib.error) as e:
            raise _FetchFailed(f"the answer is corrupt gzip ({e})") from e
    return _Answer(
        status, body, info.get("Content-Type") or "", info.get("ETag"), info.get("Last-Modified")
    )


def _parse_answer(answer: _Answer) -> list[str]:
    try:
        names = parse_pep691(answer.body, "the answer")
    except PyPINamesError as e:
        if "json" not in answer.content_type.lower():  # a server that ignored our Accept header
            kind = answer.content_type.split(";")[0].strip() or "of no Content-Type"
            raise _FetchFailed(f"the answer is {kind}, not the PEP 691 JSON") from e
        raise _FetchFailed(str(e)) from e
    if not names:
        raise _FetchFailed("the answer lists no project names")
    return names


def _reason(error: object) -> str:
    if isinstance(error, TimeoutError):
        return "timed out"
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    text = str(error) or type(error).__name__
    return " ".join(text.split())  # one line


class _Cache:
    """The cached list of one index: a JSON sidecar naming a gzip file of names.

    The names file is named after its content and written before the sidecar
    that points to it, each atomically (temporary file, then os.replace): a run
    killed at any point leaves the old cache or the new one, never a mix.
    """

    def __init__(self, cache_dir: Path, url: str) -> None:
        self.folder = cache_dir / "pypi-names"
        self.url = url
        host = re.sub(r"[^A-Za-z0-9.-]", "_", urllib.parse.urlsplit(url).netloc) or "local"
        self.key = f"{host}-{hashlib.sha256(url.encode()).hexdigest()[:12]}"
        self.sidecar = self.folder / f"{self.key}.json"

    def read(self) -> _Cached | None:
        """The cached list, or None if there is none or it cannot be used."""
        try:
            meta = orjson.loads(self.sidecar.read_bytes())
            names_path = self.folder / _field(meta, "names_file", str)
            if names_path.parent != self.folder or _field(meta, "url", str) != self.url:
                return None
            # The names file's name holds its hash: its index needs no other key.
            names: _NameSet | None = _open_index(_index_of(names_path))
            if names is None or not names_path.exists():
                names = frozenset(
                    _canonicalize_all(parse_names(names_path.read_bytes(), str(names_path)))
                )
                if len(names) >= INDEX_MIN_NAMES:
                    with contextlib.suppress(OSError):
                        _write_index(_index_of(names_path), names)
            if len(names) != _field(meta, "count", int):
                return None
            return _Cached(
                names,
                names_path,
                float(_field(meta, "fetched_at", (int, float))),
                _field(meta, "etag", (str, type(None))),
                _field(meta, "last_modified", (str, type(None))),
            )
        except (OSError, ValueError, PyPINamesError):
            return None

    def write(
        self,
        listed: list[str],
        names: frozenset[str],
        fetched_at: float,
        etag: str | None,
        last_modified: str | None,
        previous: _Cached | None,
    ) -> _Cached:
        self.folder.mkdir(parents=True, exist_ok=True)
        # In the index's order (sorting would cost more than all the rest); a comment
        # first, so that a project called "name" is not taken for a header.
        text = f"# the projects of {self.url}\n" + "\n".join(listed) + "\n"
        # Level 1: a local cache, where speed matters more than size (1.5 s at 9).
        body = gzip.compress(text.encode(), compresslevel=1, mtime=0)
        names_path = self.folder / f"{self.key}-{hashlib.sha256(body).hexdigest()[:16]}.txt.gz"
        write_atomically(names_path, body, fsync=True)
        if len(names) >= INDEX_MIN_NAMES:
            with contextlib.suppress(OSError):
                _write_index(_index_of(names_path), names)
        written = _Cached(names, names_path, fetched_at, etag, last_modified)
        self.write_sidecar(written)
        if previous is not None and previous.names_path != names_path:
            for old in (previous.names_path, _index_of(previous.names_path)):
                with contextlib.suppress(OSError):
                    old.unlink()
        return written

    def write_sidecar(self, cached: _Cached) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        meta = {
            "url": self.url,
            "fetched_at": cached.fetched_at,
            "fetched": _date(cached.fetched_at),
            "etag": cached.etag,
            "last_modified": cached.last_modified,
            "names_file": cached.names_path.name,
            "count": len(cached.names),
        }
        write_atomically(self.sidecar, orjson.dumps(meta, option=orjson.OPT_INDENT_2), fsync=True)


def _index_of(names_path: Path) -> Path:
    return names_path.with_name(names_path.name.removesuffix(".txt.gz") + ".idx")


def _field(meta: Any, key: str, kind: type | tuple[type, ...]) -> Any:
    if not isinstance(meta, dict) or not isinstance(meta.get(key), kind):
        raise ValueError(f"bad {key!r} in the cache sidecar")
    return meta.get(key)


def _cached_source(url: str, cached: _Cached) -> str:
    return f"{url} (cached at {cached.names_path}, fetched {_date(cached.fetched_at)})"


def _cannot_cache(cache: _Cache, error: OSError) -> str:
    return f"cannot cache the PyPI project list in {cache.folder}: {error.strerror or error}"


def _iso(timestamp: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(timestamp))


def _date(timestamp: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(timestamp))


def _age(seconds: float) -> str:
    seconds = max(seconds, 0)
    if seconds < 2 * 3600:
        return f"{seconds / 60:.0f} minutes"
    if seconds < 2 * 86400:
        return f"{seconds / 3600:.0f} hours"
    return f"{seconds / 86400:.0f} days"
