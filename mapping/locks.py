"""Lock files read as the packages they pin: requirements.txt, pylock.toml, uv.lock, poetry.lock.

Pure: a file's name and text in, its locked packages out (name, version,
marker, the line that pins it), or a `LockError` naming the file and line.

The format is found from the file's name (`uv.lock`, `poetry.lock`,
`pylock.toml` / `pylock.NAME.toml`, anything else: a pinned requirements
file), and for other names from its content (a TOML document with
`lock-version` and `packages` is a pylock, with `[metadata]` a poetry lock,
with `version` and `package` a uv lock).

What each format yields:

- requirements.txt: one `name==version` (or `===`) per requirement, with
  its marker; comments, blank lines, `\\` continuations and per-requirement
  options (`--hash=…`) are read past. Index options (`-i`, `--index-url`,
  `--extra-index-url`, `--no-index`, `-f`, `--find-links`, `--trusted-host`,
  `--pre`, `--prefer-binary`, `--only-binary`, `--no-binary`,
  `--require-hashes`) are skipped silently: they do not change what is
  pinned. Editable requirements (`-e`), direct references (`name @ URL`) and
  bare paths or URLs are skipped and reported (`Lock.skipped`): nixpkgs has
  no version of them. Includes (`-r`, `-c`) and unpinned requirements are
  errors: a lock is one file that pins every package.
- pylock.toml (PEP 751, lock-version 1.x): each `[[packages]]` entry's
  `name`, `version` and `marker`; an entry without a version (a VCS,
  directory or archive source) is skipped.
- uv.lock (version 1): each `[[package]]` entry's `name` and `version`;
  its marker is its `resolution-markers` joined with `or` (a package locked
  at two versions for two sets of markers); the project's own packages
  (`source` `editable`, `virtual` or `directory`) are skipped.
- poetry.lock (lock-version 1.x, 2.x): each `[[package]]` entry's `name`,
  `version` and `markers` (older locks); `directory` sources are skipped.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from typing import Any, Literal

from packaging.markers import InvalidMarker, Marker
from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

__all__ = ["FORMATS", "Lock", "LockError", "LockFormat", "LockedPackage", "Skipped", "parse_lock"]

LockFormat = Literal["requirements", "pylock", "uv", "poetry"]
FORMATS: tuple[LockFormat, ...] = ("requirements", "pylock", "uv", "poetry")


@dataclass(frozen=True)
class LockedPackage:
    name: str  # canonical (PEP 503)
    version: str  # as the lock writes it
    marker: str | None  # PEP 508 marker text; None: always
    line: int


@dataclass(frozen=True)
class Skipped:
    """A locked entry with no version nixpkgs could have."""

    line: int
    entry: str
    reason: str


@dataclass(frozen=True)
class Lock:
    format: LockFormat
    packages: tuple[LockedPackage, ...]
    skipped: tuple[Skipped, ...]


class LockError(ValueError):
    """A lock that cannot be read: `file:line: what is wrong`."""

    def __init__(self, file: str, line: int, message: str) -> None:
        super().__init__(f"{file}:{line}: {message}")
        self.file = file
        self.line = line
        self.message = message


# ---- the format ----------------------------------------------------------

_PYLOCK_NAME = re.compile(r"^pylock\.([^.]+\.)?toml$")


def lock_format(file: str, text: str) -> LockFormat:
    """The lock's format, from its file name, else from its content."""
    base = re.split(r"[\\/]", file)[-1]
    if base == "uv.lock":
        return "uv"
    if base == "poetry.lock":
        return "poetry"
    if _PYLOCK_NAME.match(base):
        return "pylock"
    if base.endswith((".txt", ".in")):
        return "requirements"
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return "requirements"
    if "lock-version" in data and "packages" in data:
        return "pylock"
    if isinstance(data.get("metadata"), dict) and "package" in data:
        return "poetry"
    if "version" in data and "package" in data:
        return "uv"
    return "requirements"


def parse_lock(file: str, text: str, format: LockFormat | None = None) -> Lock:
    """The packages the lock `file` (its `text`) pins; `format`: found if None."""
    fmt = format or lock_format(file, text)
    if fmt == "requirements":
        return _requirements(file, text)
    data = _toml(file, text)
    if fmt == "pylock":
        return _pylock(file, text, data)
    if fmt == "uv":
        return _uv(file, text, data)
    return _poetry(file, text, data)


# ---- requirements.txt ------------------------------------------------------

# Options of a requirements file that say where to fetch from, not what.
_INDEX_OPTIONS = frozenset(
    ("-i", "--index-url", "--extra-index-url", "--no-index", "-f", "--find-links",
     "--trusted-host", "--pre", "--prefer-binary", "--only-binary", "--no-binary",
     "--require-hashes", "--use-feature")
)  # fmt: skip
_INCLUDES = frozenset(("-r", "--requirement", "-c", "--constraint"))
_EDITABLE = frozenset(("-e", "--editable"))
_COMMENT = re.compile(r"(^|\s)#.*$")
_PER_REQUIREMENT_OPTION = re.compile(r"\s--?[A-Za-z]")


def _logical_lines(text: str) -> list[tuple[int, str]]:
    """(first line number, text) of each logical line: continuations joined,
    comments removed."""
    out: list[tuple[int, str]] = []
    pending: list[str] = []
    start = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        line = _COMMENT.sub("", raw).rstrip()
        if not pending:
            start = number
        if line.endswith("\\"):
            pending.append(line[:-1])
            continue
        pending.append(line)
        joined = " ".join(p.strip() for p in pending).strip()
        pending = []
        if joined:
            out.append((start, joined))
    if pending and (joined := " ".join(p.strip() for p in pending).strip()):
        out.append((start, joined))
    return out


def _requirements(file: str, text: str) -> Lock:
    packages: list[LockedPackage] = []
    skipped: list[Skipped] = []
    for number, line in _logical_lines(text):
        if line.startswith("-"):
            option = re.split(r"[\s=]", line, maxsplit=1)[0]
            if option in _INDEX_OPTIONS:
                continue
            if option in _EDITABLE:
                skipped.append(Skipped(number, line, "editable"))
                continue
            if option in _INCLUDES:
                raise LockError(file, number, f"{option} includes another file: a lock is one file")
            raise LockError(file, number, f"unknown option {option}")
        option_at = _PER_REQUIREMENT_OPTION.search(line)
        entry = line[: option_at.start()].strip() if option_at else line
        if entry.startswith((".", "/", "~")) or re.match(r"^[A-Za-z][\w+.-]*://", entry):
            skipped.append(Skipped(number, entry, "a path or URL"))
            continue
        try:
            req = Requirement(entry)
        except InvalidRequirement as e:
            reason = str(e).splitlines()[0]
            raise LockError(
                file, number, f"not a PEP 508 requirement: {entry!r} ({reason})"
            ) from None
        if req.url:
            skipped.append(Skipped(number, entry, "a direct reference"))
            continue
        specs = list(req.specifier)
        if len(specs) != 1 or specs[0].operator not in ("==", "===") or "*" in specs[0].version:
            raise LockError(file, number, f"{entry!r} is not pinned: a lock pins it with ==")
        marker = str(req.marker) if req.marker is not None else None
        packages.append(
            LockedPackage(canonicalize_name(req.name), specs[0].version, marker, number)
        )
    return Lock("requirements", tuple(packages), tuple(skipped))


# ---- the TOML locks ----------------------------------------------------------


def _toml(file: str, text: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        message = str(e)
        at = re.search(r"\(at line (\d+), column \d+\)", message)
        line = int(at.group(1)) if at else 1
        reason = re.sub(r"\s*\(at line \d+, column \d+\)", "", message)
        raise LockError(file, line, f"not TOML: {reason}") from None


def _table_lines(text: str, header: str) -> list[int]:
    """The line numbers of the array-of-tables headers `[[header]]`, in order."""
    pattern = re.compile(r"^\s*\[\[\s*" + re.escape(header) + r"\s*\]\]\s*(#.*)?$")
    return [n for n, line in enumerate(text.splitlines(), start=1) if pattern.match(line)]


def _entries(
    file: str, text: str, data: dict[str, Any], key: str
) -> list[tuple[int, dict[str, Any]]]:
    entries = data.get(key, [])
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise LockError(file, 1, f"{key!r} is not an array of tables")
    lines = _table_lines(text, key)
    # Inline arrays of tables have no header lines: the file's first line then.
    if len(lines) != len(entries):
        lines = [1] * len(entries)
    return list(zip(lines, entries, strict=True))


def _field(file: str, line: int, entry: dict[str, Any], key: str, what: str) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not value.strip():
        raise LockError(file, line, f"{what} has no {key}")
    return value


def _marker(file: str, line: int, text: str | None) -> str | None:
    if text is None:
        return None
    try:
        return str(Marker(text))
    except InvalidMarker as e:
        raise LockError(
            file, line, f"not a PEP 508 marker: {text!r} ({str(e).splitlines()[0]})"
        ) from None


def _pylock(file: str, text: str, data: dict[str, Any]) -> Lock:
    version = data.get("lock-version")
    if not isinstance(version, str) or version.split(".")[0] != "1":
        raise LockError(file, 1, f"lock-version {version!r} is not 1.x (PEP 751)")
    packages: list[LockedPackage] = []
    skipped: list[Skipped] = []
    for line, entry in _entries(file, text, data, "packages"):
        name = _field(file, line, entry, "name", "a package")
        marker = entry.get("marker")
        if marker is not None and not isinstance(marker, str):
            raise LockError(file, line, f"{name}: marker is not a string")
        if "version" not in entry:
            skipped.append(Skipped(line, name, "no version (a VCS, directory or archive source)"))
            continue
        pinned = _field(file, line, entry, "version", name)
        packages.append(
            LockedPackage(canonicalize_name(name), pinned, _marker(file, line, marker), line)
        )
    return Lock("pylock", tuple(packages), tuple(skipped))


_PROJECT_SOURCES = ("editable", "virtual", "directory")


def _uv(file: str, text: str, data: dict[str, Any]) -> Lock:
    version = data.get("version")
    if version != 1:
        raise LockError(file, 1, f"uv.lock version {version!r} is not 1")
    packages: list[LockedPackage] = []
    skipped: list[Skipped] = []
    for line, entry in _entries(file, text, data, "package"):
        name = _field(file, line, entry, "name", "a package")
        source = entry.get("source")
        kind = next((k for k in _PROJECT_SOURCES if isinstance(source, dict) and k in source), None)
        if kind is not None:
            skipped.append(Skipped(line, name, f"the project's own ({kind})"))
            continue
        pinned = _field(file, line, entry, "version", name)
        markers = entry.get("resolution-markers")
        if markers is not None and (
            not isinstance(markers, list) or not all(isinstance(m, str) for m in markers)
        ):
            raise LockError(file, line, f"{name}: resolution-markers is not a list of strings")
        marker = " or ".join(f"({m})" for m in markers) if markers else None
        packages.append(
            LockedPackage(canonicalize_name(name), pinned, _marker(file, line, marker), line)
        )
    return Lock("uv", tuple(packages), tuple(skipped))


def _poetry(file: str, text: str, data: dict[str, Any]) -> Lock:
    metadata = data.get("metadata")
    version = metadata.get("lock-version") if isinstance(metadata, dict) else None
    if not isinstance(version, str) or version.split(".")[0] not in ("1", "2"):
        raise LockError(file, 1, f"poetry lock-version {version!r} is not 1.x or 2.x")
    packages: list[LockedPackage] = []
    skipped: list[Skipped] = []
    for line, entry in _entries(file, text, data, "package"):
        name = _field(file, line, entry, "name", "a package")
        source = entry.get("source")
        if isinstance(source, dict) and source.get("type") == "directory":
            skipped.append(Skipped(line, name, "the project's own (directory)"))
            continue
        pinned = _field(file, line, entry, "version", name)
        marker = entry.get("markers", entry.get("marker"))
        if marker is not None and not isinstance(marker, str):
            raise LockError(file, line, f"{name}: markers is not a string")
        packages.append(
            LockedPackage(canonicalize_name(name), pinned, _marker(file, line, marker), line)
        )
    return Lock("poetry", tuple(packages), tuple(skipped))
