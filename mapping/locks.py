"""Lock files read as their installers read them: requirements.txt, pylock.toml, uv.lock, poetry.lock.

Pure: a file's name and bytes in, a `Lock` out: the packages it pins (name,
version, marker, where from, the line that pins it), the groups and extras
one can choose, its Python range and, for uv.lock and poetry.lock before
2.1, its dependency graph. Which packages an install takes is decided by
mapping/lockselect.py. A lock that cannot be read is a `LockError` naming
the file and line.

The format is found from the file's name (`uv.lock`, `poetry.lock`,
`pylock.toml` / `pylock.NAME.toml`, anything else: a pinned requirements
file), and for other names from its content (a TOML document with
`lock-version` and `packages` is a pylock, with `[metadata]` a poetry lock,
with `version` and `package` a uv lock). The bytes are decoded as pip
decodes a requirements file: a byte-order mark (UTF-8, UTF-16, UTF-32), else
a `# -*- coding: … -*-` line among the first two, else UTF-8.

What each format yields:

- requirements.txt: one `name==version` (or `===`) per requirement, with
  its marker; `name @ URL` and `-e URL#egg=name` are packages of their own
  source (no version). Comments, blank lines, `\\` continuations and
  per-requirement options (`--hash=…`) are read past; index options
  (`-i`, `--index-url`, `-f`, `--trusted-host`, `--pre`, …) are skipped
  silently: they do not change what is pinned. Editable or bare paths and
  URLs without a name are skipped and reported (`Lock.skipped`). Includes
  (`-r`, `-c`) and unpinned requirements are errors: a lock is one file
  that pins every package.
- pylock.toml (PEP 751, lock-version 1.x): each `[[packages]]` entry's
  `name`, `version` and `marker` (which may test the `extras` and
  `dependency_groups` sets); `vcs`, `directory` and `archive` entries are
  packages of their own source, except the directory `.`: the project.
  `requires-python`, `extras`, `dependency-groups`, `default-groups`.
- uv.lock (version 1, any revision): the `[[package]]` entries; the
  workspace members (`[manifest] members`, else the project at `.`) are
  the roots of the graph, not packages; edges are `dependencies`,
  `optional-dependencies` (extras) and the roots' `dev-dependencies`
  (groups), each with its marker, version and source; `conflicts`;
  `requires-python`. `git`, `url`, `path`, `directory` and `editable`
  sources are packages of their own source.
- poetry.lock (lock-version 1.x, 2.x): the `[[package]]` entries; 2.1's
  `groups` and `markers` (a string, or a table of one marker per group);
  before 2.1 the graph of `[package.dependencies]` (markers, `python`,
  `optional`, `extras`) from the packages nothing depends on (the
  project's own dependencies are not in the lock; 1.1's `category = "dev"`
  makes the group `dev`); the `[extras]` table; `python-versions`.
  `git`, `url`, `file` and `directory` sources are of their own source.
"""

from __future__ import annotations

import codecs
import functools
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from packaging.markers import InvalidMarker, Marker
from packaging.requirements import InvalidRequirement, Requirement
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.utils import canonicalize_name

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

__all__ = [
    "FORMATS",
    "OWN_SOURCES",
    "Edge",
    "Lock",
    "LockError",
    "LockFormat",
    "LockedPackage",
    "Node",
    "PythonRange",
    "Skipped",
    "SourceKind",
    "canonical",
    "decode_lock",
    "lock_format",
    "parse_lock",
]

LockFormat = Literal["requirements", "pylock", "uv", "poetry"]
FORMATS: tuple[LockFormat, ...] = ("requirements", "pylock", "uv", "poetry")

# Where a locked package comes from: an index (PyPI or a mirror of it), or
# a source of its own that no index serves.
SourceKind = Literal["registry", "vcs", "url", "path", "directory", "editable"]
OWN_SOURCES: tuple[SourceKind, ...] = ("vcs", "url", "path", "directory", "editable")


@dataclass(frozen=True)
class LockedPackage:
    name: str  # canonical (PEP 503)
    version: str  # as the lock writes it; "": none (a source tree's dynamic version)
    marker: str | None  # PEP 508 marker text; None: always
    line: int
    source: SourceKind = "registry"
    # poetry 2.1: the groups that install it, each with its marker (None: always).
    group_markers: tuple[tuple[str, str | None], ...] = ()


@dataclass(frozen=True)
class Skipped:
    """A locked entry that is no package to answer: a root, a nameless path."""

    line: int
    entry: str
    reason: str


@dataclass(frozen=True)
class Edge:
    """A dependency: the nodes it may reach (one, or every version of a name
    the lock does not tell apart), when its marker holds, with these extras."""

    targets: tuple[int, ...]
    marker: str | None
    extras: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Node:
    """A package of the graph, or a root (the project, a workspace member)."""

    name: str
    line: int
    package: int | None  # its index in Lock.packages; None: a root
    dependencies: tuple[Edge, ...] = ()
    optional: Mapping[str, tuple[Edge, ...]] = field(default_factory=dict)  # extra -> edges
    groups: Mapping[str, tuple[Edge, ...]] = field(default_factory=dict)  # roots: group -> edges


@dataclass(frozen=True)
class PythonRange:
    """The interpreters a lock is for: any of `alternatives` (poetry's `||`)."""

    text: str
    alternatives: tuple[SpecifierSet, ...]

    def admits(self, version: str) -> bool:
        return any(s.contains(version, prereleases=True) for s in self.alternatives)


@dataclass(frozen=True)
class Lock:
    format: LockFormat
    packages: tuple[LockedPackage, ...]
    skipped: tuple[Skipped, ...]
    file: str = ""
    python: PythonRange | None = None
    groups: tuple[str, ...] = ()  # the groups one can choose
    default_groups: tuple[str, ...] = ()  # the format's default choice
    extras: tuple[str, ...] = ()  # the extras one can choose
    # uv: sets of (package, "extra" | "group", name) of which one install takes one at most.
    conflicts: tuple[tuple[tuple[str, str, str], ...], ...] = ()
    # The dependency graph (uv, poetry < 2.1); empty: each package's own
    # marker (and groups) decide.
    nodes: tuple[Node, ...] = ()


class LockError(ValueError):
    """A lock that cannot be read: `file:line: what is wrong`."""

    def __init__(self, file: str, line: int, message: str) -> None:
        super().__init__(f"{file}:{line}: {message}")
        self.file = file
        self.line = line
        self.message = message


# ---- the bytes ---------------------------------------------------------------

# pip's order would read UTF-32-LE as UTF-16-LE: the longer marks first.
_BOMS = (
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
)
_CODING = re.compile(rb"^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)")


def decode_lock(file: str, data: bytes) -> str:
    """The text of a lock's bytes, as pip decodes a requirements file."""
    encoding = "utf-8"
    for bom, name in _BOMS:
        if data.startswith(bom):
            data, encoding = data[len(bom) :], name
            break
    else:
        for first in data.split(b"\n", 2)[:2]:
            if m := _CODING.match(first):
                encoding = m.group(1).decode("ascii")
                break
    try:
        return data.decode(encoding)
    except LookupError:
        raise LockError(file, 1, f"unknown encoding {encoding}") from None
    except UnicodeDecodeError as e:
        # The line of the bad byte, counted in the encoding's own newlines.
        line = data[: e.start].decode(encoding, errors="replace").count("\n") + 1
        raise LockError(file, line, f"not {encoding.upper()}") from None


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
    """The lock `file` (its `text`); `format`: found if None."""
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
_URL = re.compile(r"^[A-Za-z][\w+.-]*://")
_EGG = re.compile(r"[#&]egg=([A-Za-z0-9][A-Za-z0-9._-]*)")


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


def _url_source(url: str) -> SourceKind:
    scheme = url.split(":", 1)[0].lower()
    if "+" in scheme and scheme.split("+")[0] in ("git", "hg", "svn", "bzr"):
        return "vcs"
    return "path" if scheme == "file" else "url"


def _requirements(file: str, text: str) -> Lock:
    packages: list[LockedPackage] = []
    skipped: list[Skipped] = []
    for number, line in _logical_lines(text):
        if line.startswith("-"):
            option = re.split(r"[\s=]", line, maxsplit=1)[0]
            rest = line[len(option) :].lstrip(" =")
            if option in _INDEX_OPTIONS:
                continue
            if option in _EDITABLE:
                egg = _EGG.search(rest)
                if egg and _URL.match(rest) and _url_source(rest) != "path":
                    packages.append(
                        LockedPackage(canonical(egg.group(1)), "", None, number, "editable")
                    )
                else:
                    skipped.append(Skipped(number, line, "editable"))
                continue
            if option in _INCLUDES:
                raise LockError(file, number, f"{option} includes another file: a lock is one file")
            raise LockError(file, number, f"unknown option {option}")
        option_at = _PER_REQUIREMENT_OPTION.search(line)
        entry = line[: option_at.start()].strip() if option_at else line
        if entry.startswith((".", "/", "~")) or _URL.match(entry):
            skipped.append(Skipped(number, entry, "a path or URL"))
            continue
        try:
            req = Requirement(entry)
        except InvalidRequirement as e:
            reason = str(e).splitlines()[0]
            raise LockError(
                file, number, f"not a PEP 508 requirement: {entry!r} ({reason})"
            ) from None
        marker = str(req.marker) if req.marker is not None else None
        name = canonical(req.name)
        if req.url:
            packages.append(LockedPackage(name, "", marker, number, _url_source(req.url)))
            continue
        specs = list(req.specifier)
        if len(specs) != 1 or specs[0].operator not in ("==", "===") or "*" in specs[0].version:
            raise LockError(file, number, f"{entry!r} is not pinned: a lock pins it with ==")
        packages.append(LockedPackage(name, specs[0].version, marker, number))
    return Lock("requirements", tuple(packages), tuple(skipped), file)


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


def _marker(file: str, line: int, text: object, what: str = "") -> str | None:
    if text is None:
        return None
    if not isinstance(text, str):
        raise LockError(file, line, f"{what}marker is not a string")
    try:
        return _normal_marker(text)
    except InvalidMarker as e:
        raise LockError(
            file, line, f"not a PEP 508 marker: {text!r} ({str(e).splitlines()[0]})"
        ) from None


@functools.lru_cache(maxsize=4096)
def _normal_marker(text: str) -> str:
    """The marker as packaging spells it; a lock repeats few markers many times."""
    return str(Marker(text))


def _names(file: str, line: int, value: object, what: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise LockError(file, line, f"{what} is not a list of names")
    return tuple(dict.fromkeys(canonical(v) for v in value))


@functools.lru_cache(maxsize=8192)
def canonical(name: str) -> str:
    """The PEP 503 name, as a plain str (names and groups are normalized alike)."""
    return str(canonicalize_name(name))


def _optional_version(entry: dict[str, Any]) -> str:
    """The version of a source tree, which the lock may leave out (dynamic)."""
    version = entry.get("version")
    return version if isinstance(version, str) else ""


def _pep440_range(file: str, text: object, what: str) -> PythonRange | None:
    if text is None:
        return None
    if not isinstance(text, str):
        raise LockError(file, 1, f"{what} is not a string")
    try:
        return PythonRange(text, (SpecifierSet(text),))
    except InvalidSpecifier:
        raise LockError(file, 1, f"{what} {text!r} is not a PEP 440 specifier") from None


# ---- pylock.toml -----------------------------------------------------------


def _pylock(file: str, text: str, data: dict[str, Any]) -> Lock:
    version = data.get("lock-version")
    if not isinstance(version, str) or version.split(".")[0] != "1":
        raise LockError(file, 1, f"lock-version {version!r} is not 1.x (PEP 751)")
    packages: list[LockedPackage] = []
    skipped: list[Skipped] = []
    for line, entry in _entries(file, text, data, "packages"):
        name = _field(file, line, entry, "name", "a package")
        marker = _marker(file, line, entry.get("marker"), f"{name}: ")
        source: SourceKind = "registry"
        directory = entry.get("directory")
        if isinstance(directory, dict):
            if directory.get("path") in (".", "./", ""):
                skipped.append(Skipped(line, name, "the project, a root"))
                continue
            source = "editable" if directory.get("editable") else "directory"
        elif "vcs" in entry:
            source = "vcs"
        elif isinstance(archive := entry.get("archive"), dict):
            source = "url" if "url" in archive else "path"
        if source == "registry":
            pinned = _field(file, line, entry, "version", name)
        else:
            pinned = _optional_version(entry)
        packages.append(LockedPackage(canonical(name), pinned, marker, line, source))
    groups = _names(file, 1, data.get("dependency-groups"), "dependency-groups")
    default = _names(file, 1, data.get("default-groups"), "default-groups")
    return Lock(
        "pylock",
        tuple(packages),
        tuple(skipped),
        file,
        python=_pep440_range(file, data.get("requires-python"), "requires-python"),
        groups=tuple(dict.fromkeys(groups + default)),
        default_groups=default,
        extras=_names(file, 1, data.get("extras"), "extras"),
    )


# ---- uv.lock ---------------------------------------------------------------

_UV_SOURCES: dict[str, SourceKind] = {
    "registry": "registry", "git": "vcs", "url": "url", "path": "path",
    "directory": "directory", "editable": "editable", "virtual": "directory",
}  # fmt: skip


def _uv_source(file: str, line: int, name: str, source: object) -> tuple[SourceKind, str | None]:
    """The package's source kind, and the path of a source tree."""
    if source is None:
        return "registry", None
    if not isinstance(source, dict) or not source:
        raise LockError(file, line, f"{name}: source is not a table")
    key = next((k for k in _UV_SOURCES if k in source), None)
    if key is None:
        raise LockError(file, line, f"{name}: unknown source {sorted(source)[0]!r}")
    path = source[key] if key in ("directory", "editable", "virtual") else None
    return _UV_SOURCES[key], path if isinstance(path, str) else None


def _uv(file: str, text: str, data: dict[str, Any]) -> Lock:
    version = data.get("version")
    if version != 1:
        raise LockError(file, 1, f"uv.lock version {version!r} is not 1")
    # uv before 0.3 called the entries `distribution`.
    key = "package" if "package" in data or "distribution" not in data else "distribution"
    entries = _entries(file, text, data, key)
    manifest: dict[str, Any] = data["manifest"] if isinstance(data.get("manifest"), dict) else {}
    members = set(_names(file, 1, manifest.get("members"), "manifest members"))

    packages: list[LockedPackage] = []
    skipped: list[Skipped] = []
    raw: list[tuple[int, str, int | None, dict[str, Any]]] = []  # line, name, package, entry
    for line, entry in entries:
        name = canonical(_field(file, line, entry, "name", "a package"))
        kind, path = _uv_source(file, line, name, entry.get("source"))
        tree = kind in ("directory", "editable") and path is not None
        if (name in members and tree) or (not members and tree and path in (".", "")):
            what = "a workspace member" if members else "the project"
            skipped.append(Skipped(line, name, f"{what}, a root"))
            raw.append((line, name, None, entry))
            continue
        if kind == "registry":
            pinned = _field(file, line, entry, "version", name)
        else:
            pinned = _optional_version(entry)
        markers = entry.get("resolution-markers", entry.get("environment-markers"))
        if markers is not None and (
            not isinstance(markers, list) or not all(isinstance(m, str) for m in markers)
        ):
            raise LockError(file, line, f"{name}: resolution-markers is not a list of strings")
        marker = " or ".join(f"({m})" for m in markers) if markers else None
        raw.append((line, name, len(packages), entry))
        packages.append(LockedPackage(name, pinned, _marker(file, line, marker), line, kind))

    by_name: dict[str, list[int]] = {}
    for i, (_, name, _, _) in enumerate(raw):
        by_name.setdefault(name, []).append(i)

    def edges(line: int, owner: str, deps: object, what: str) -> tuple[Edge, ...]:
        if deps is None:
            return ()
        if not isinstance(deps, list) or not all(isinstance(d, dict) for d in deps):
            raise LockError(file, line, f"{owner}: {what} is not a list of tables")
        out = []
        for dep in deps:
            target = canonical(_field(file, line, dep, "name", f"a dependency of {owner}"))
            found = [
                i
                for i in by_name.get(target, ())
                if ("version" not in dep or raw[i][3].get("version") == dep["version"])
                and ("source" not in dep or raw[i][3].get("source") == dep["source"])
            ]
            if not found:
                raise LockError(file, line, f"{owner} depends on {target}, which the lock has not")
            extras = _names(file, line, dep.get("extra"), f"{owner}: the extras of {target}")
            marker = _marker(file, line, dep.get("marker"), f"{owner}: ")
            out.append(Edge(tuple(found), marker, frozenset(extras)))
        return tuple(out)

    def table(line: int, owner: str, value: object, what: str) -> dict[str, tuple[Edge, ...]]:
        if value is None:
            return {}
        if not isinstance(value, dict):
            raise LockError(file, line, f"{owner}: {what} is not a table")
        return {canonical(k): edges(line, owner, v, f"{what} {k}") for k, v in value.items()}

    nodes: list[Node] = []
    groups: dict[str, None] = {}
    extras: dict[str, None] = {}
    for line, name, package, entry in raw:
        optional = table(line, name, entry.get("optional-dependencies"), "optional-dependencies")
        dev = table(line, name, entry.get("dev-dependencies"), "dev-dependencies")
        if package is None:
            groups.update(dict.fromkeys(dev))
            extras.update(dict.fromkeys(optional))
        nodes.append(
            Node(
                name,
                line,
                package,
                edges(line, name, entry.get("dependencies"), "dependencies"),
                optional,
                dev if package is None else {},
            )
        )
    # A workspace without a root project: its requirements and groups.
    requirements = manifest.get("requirements")
    manifest_groups = manifest.get("dependency-groups")
    if requirements is not None or manifest_groups is not None:
        loose = _manifest_edges(file, requirements, by_name, "manifest requirements")
        by_group = {}
        if manifest_groups is not None:
            if not isinstance(manifest_groups, dict):
                raise LockError(file, 1, "manifest dependency-groups is not a table")
            by_group = {
                canonical(g): _manifest_edges(file, v, by_name, f"manifest group {g}")
                for g, v in manifest_groups.items()
            }
        groups.update(dict.fromkeys(by_group))
        nodes.append(Node("(workspace)", 1, None, loose, {}, by_group))
    if not any(n.package is None for n in nodes):
        nodes.append(_sources_root(nodes))

    return Lock(
        "uv",
        tuple(packages),
        tuple(skipped),
        file,
        python=_pep440_range(file, data.get("requires-python"), "requires-python"),
        groups=tuple(groups),
        default_groups=("dev",) if "dev" in groups else (),
        extras=tuple(extras),
        conflicts=_uv_conflicts(file, data.get("conflicts")),
        nodes=tuple(nodes),
    )


def _manifest_edges(
    file: str, value: object, by_name: dict[str, list[int]], what: str
) -> tuple[Edge, ...]:
    """Requirements (name, marker) of the manifest: every version of the name."""
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(d, dict) for d in value):
        raise LockError(file, 1, f"{what} is not a list of tables")
    out = []
    for dep in value:
        target = canonical(_field(file, 1, dep, "name", f"a requirement of {what}"))
        if target in by_name:
            marker = _marker(file, 1, dep.get("marker"))
            extras = _names(file, 1, dep.get("extras"), f"the extras of {target}")
            out.append(Edge(tuple(by_name[target]), marker, frozenset(extras)))
    return tuple(out)


def _uv_conflicts(file: str, value: object) -> tuple[tuple[tuple[str, str, str], ...], ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(s, list) for s in value):
        raise LockError(file, 1, "conflicts is not a list of lists")
    out = []
    for items in value:
        found = []
        for item in items:
            if not isinstance(item, dict) or not isinstance(item.get("package", ""), str):
                raise LockError(file, 1, "a conflict is not a table with a package")
            package = canonical(item.get("package", ""))
            for kind in ("extra", "group"):
                if isinstance(item.get(kind), str):
                    found.append((package, kind, canonical(item[kind])))
        out.append(tuple(found))
    return tuple(out)


def _sources_root(nodes: list[Node]) -> Node:
    """A root that depends on each package no other package depends on: the
    project's own dependencies, when the lock does not name them."""
    reached = {t for n in nodes for e in _all_edges(n) for t in e.targets}
    return Node(
        "(project)",
        1,
        None,
        tuple(Edge((i,), None) for i, n in enumerate(nodes) if i not in reached),
    )


def _all_edges(node: Node) -> list[Edge]:
    return [
        *node.dependencies,
        *(e for es in node.optional.values() for e in es),
        *(e for es in node.groups.values() for e in es),
    ]


# ---- poetry.lock -------------------------------------------------------------

_POETRY_SOURCES: dict[str, SourceKind] = {
    "git": "vcs", "hg": "vcs", "svn": "vcs", "bzr": "vcs", "url": "url", "file": "path",
    "directory": "directory",
}  # fmt: skip


def poetry_range(text: str) -> tuple[SpecifierSet, ...]:
    """A poetry version constraint (`^3.10`, `~2.7 || >=3.5`, `3.8.*`) as
    PEP 440 specifier sets, any of which admits a version."""
    alternatives = []
    for part in text.split("||"):
        part = re.sub(r"(===|>=|<=|==|!=|~=|>|<|=|\^|~)\s+", r"\1", part.strip())
        specs = []
        for token in re.split(r"[,\s]+", part):
            if token in ("", "*"):
                continue
            op, version = re.match(r"^(===|>=|<=|==|!=|~=|>|<|=|\^|~)?(.*)$", token).groups()  # type: ignore[union-attr]
            release = [int(x) for x in re.findall(r"\d+", version.split("*")[0])] or [0]
            if op in ("^", "~"):
                if op == "^":
                    at = next((i for i, x in enumerate(release) if x), len(release) - 1)
                else:
                    at = 0 if len(release) == 1 else 1
                upper = ".".join(map(str, [*release[:at], release[at] + 1]))
                specs += [f">={version}", f"<{upper}"]
            elif op in (None, "="):
                specs.append(f"=={version}")
            else:
                specs.append(f"{op}{version}")
        alternatives.append(SpecifierSet(",".join(specs)))
    return tuple(alternatives)


def _poetry(file: str, text: str, data: dict[str, Any]) -> Lock:
    metadata = data.get("metadata")
    version = metadata.get("lock-version") if isinstance(metadata, dict) else None
    if not isinstance(version, str) or version.split(".")[0] not in ("1", "2"):
        raise LockError(file, 1, f"poetry lock-version {version!r} is not 1.x or 2.x")
    assert isinstance(metadata, dict)
    try:
        with_groups = tuple(int(x) for x in version.split(".")[:2]) >= (2, 1)
    except ValueError:
        raise LockError(file, 1, f"poetry lock-version {version!r} is not 1.x or 2.x") from None
    python = None
    if isinstance(metadata.get("python-versions"), str):
        text_range = metadata["python-versions"]
        try:
            python = PythonRange(text_range, poetry_range(text_range))
        except (InvalidSpecifier, ValueError):
            raise LockError(
                file, 1, f"python-versions {text_range!r} is not a constraint"
            ) from None

    packages: list[LockedPackage] = []
    entries = _entries(file, text, data, "package")
    groups: dict[str, None] = {}
    for line, entry in entries:
        name = _field(file, line, entry, "name", "a package")
        source = entry.get("source")
        kind = (
            _POETRY_SOURCES.get(source.get("type", ""), "registry")
            if isinstance(source, dict)
            else "registry"
        )
        if (
            kind == "directory"
            and isinstance(source, dict)
            and source.get("develop", entry.get("develop"))
        ):
            kind = "editable"
        pinned = _field(file, line, entry, "version", name)
        markers = entry.get("markers", entry.get("marker"))
        group_markers: tuple[tuple[str, str | None], ...] = ()
        if with_groups:
            names = _names(file, line, entry.get("groups", ["main"]), f"{name}: groups")
            groups.update(dict.fromkeys(names))
            if isinstance(markers, dict):
                group_markers = tuple(
                    (g, _marker(file, line, markers.get(g), f"{name}: ")) for g in names
                )
                markers = None
            else:
                one = _marker(file, line, markers, f"{name}: ")
                group_markers = tuple((g, one) for g in names)
        marker = _marker(file, line, markers, f"{name}: ")
        packages.append(LockedPackage(canonical(name), pinned, marker, line, kind, group_markers))

    extras_table = data.get("extras", {})
    if not isinstance(extras_table, dict):
        raise LockError(file, 1, "extras is not a table")
    extras = {canonical(k): _leading_names(v) for k, v in extras_table.items()}
    if with_groups:
        chosen = tuple(g for g in groups if g != "main")
        return Lock("poetry", tuple(packages), (), file, python, chosen, chosen, tuple(extras))
    nodes = _poetry_graph(file, entries, packages, extras)
    dev = ("dev",) if any(n.groups for n in nodes) else ()
    return Lock("poetry", tuple(packages), (), file, python, dev, dev, tuple(extras), nodes=nodes)


def _leading_names(value: object) -> tuple[str, ...]:
    """The names of poetry's extras lists (`PySocks (>=1.5.6,!=1.5.7)`, `a[b]>=1`)."""
    if not isinstance(value, list):
        return ()
    return tuple(
        canonical(m.group(0))
        for v in value
        if isinstance(v, str) and (m := re.match(r"[A-Za-z0-9][A-Za-z0-9._-]*", v.strip()))
    )


def _poetry_graph(
    file: str,
    entries: list[tuple[int, dict[str, Any]]],
    packages: list[LockedPackage],
    root_extras: dict[str, tuple[str, ...]],
) -> tuple[Node, ...]:
    by_name: dict[str, list[int]] = {}
    for i, p in enumerate(packages):
        by_name.setdefault(p.name, []).append(i)

    def targets(name: str, constraint: str | None) -> tuple[int, ...]:
        found = by_name.get(name, [])
        if len(found) > 1 and constraint:
            try:
                ranges = poetry_range(constraint)
            except (InvalidSpecifier, ValueError):
                ranges = ()
            fitting = [
                i for i in found if any(r.contains(packages[i].version, True) for r in ranges)
            ]
            found = fitting or found
        return tuple(found)

    nodes: list[Node] = []
    for (line, entry), package in zip(entries, packages, strict=True):
        deps = entry.get("dependencies", {})
        if not isinstance(deps, dict):
            raise LockError(file, line, f"{package.name}: dependencies is not a table")
        required: list[Edge] = []
        optional_deps: dict[str, list[Edge]] = {}
        for dep_name, constraints in deps.items():
            target = canonical(dep_name)
            for c in constraints if isinstance(constraints, list) else [constraints]:
                c = {"version": c} if isinstance(c, str) else c
                if not isinstance(c, dict):
                    raise LockError(file, line, f"{package.name}: the constraint on {dep_name}")
                marker = _marker(file, line, c.get("markers"), f"{package.name}: ")
                if isinstance(c.get("python"), str):
                    marker = _and(marker, _python_marker(file, line, c["python"]))
                found = targets(
                    target, c.get("version") if isinstance(c.get("version"), str) else None
                )
                if not found:
                    continue  # poetry locks nothing for a dependency no platform needs
                extras = _names(file, line, c.get("extras"), f"the extras of {dep_name}")
                edge = Edge(found, marker, frozenset(extras))
                if c.get("optional"):
                    optional_deps.setdefault(target, []).append(edge)
                else:
                    required.append(edge)
        own_extras = entry.get("extras", {})
        optional = {
            canonical(extra): tuple(
                e for n in _leading_names(names) for e in optional_deps.get(n, ())
            )
            for extra, names in (own_extras.items() if isinstance(own_extras, dict) else ())
        }
        nodes.append(Node(package.name, line, len(nodes), tuple(required), optional))

    # The project is not in the lock: it depends on what nothing else does.
    reached = {t for n in nodes for e in _all_edges(n) for t in e.targets}
    main: list[Edge] = []
    dev: list[Edge] = []
    for i, (_, entry) in enumerate(entries):
        if i in reached or entry.get("optional"):
            continue
        (dev if entry.get("category") == "dev" else main).append(Edge((i,), None))
    optional = {
        extra: tuple(Edge(tuple(by_name[n]), None) for n in names if n in by_name)
        for extra, names in root_extras.items()
    }
    nodes.append(
        Node("(project)", 1, None, tuple(main), optional, {"dev": tuple(dev)} if dev else {})
    )
    return tuple(nodes)


def _python_marker(file: str, line: int, constraint: str) -> str | None:
    """poetry's `python = "<3.8"` on a dependency, as a marker."""
    try:
        ranges = poetry_range(constraint)
    except (InvalidSpecifier, ValueError):
        raise LockError(file, line, f"python {constraint!r} is not a constraint") from None
    alternatives = [
        " and ".join(f'python_full_version {s.operator} "{s.version}"' for s in r) or "True"
        for r in ranges
    ]
    if any(a == "True" for a in alternatives):
        return None
    return " or ".join(f"({a})" for a in alternatives)


def _and(a: str | None, b: str | None) -> str | None:
    if a is None or b is None:
        return a or b
    return f"({a}) and ({b})"
