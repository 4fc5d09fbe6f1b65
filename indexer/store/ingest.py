"""Ingest a dump into the index: all of a revision in one transaction, or none.

A dump is read twice, line by line with orjson: the first pass checks every
line and learns each derivation's PyPI name (Python inputs are named through
it), the second writes. A package whose content is stored already (same set,
attribute and record: name, version, src, inputs …) is only linked to the
new revision, so revisions that differ a little cost little.
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from indexer.dump.orchestrator import READABLE_SCHEMAS, SCHEMA_VERSION
from indexer.errors import DatabaseError, MalformedDump, RevisionConflict
from indexer.resources import data_path
from indexer.store.checkpoints import checkpoint
from indexer.store.schema import open_for_writing, write_transaction
from mapping.identity import PackageIdentity, identify_package, pypi_names_from_identities
from mapping.inputs import classify_inputs
from mapping.names import split_drv_name
from mapping.overrides import Overrides, parse_overrides

if TYPE_CHECKING:  # sqlite-utils is imported only where a database is written
    import sqlite_utils

# Bumped when the mapping's output for a record changes, so that a package
# mapped by an older version is stored anew, not mistaken for the same.
MAPPING_VERSION = "2"

Record = dict[str, Any]
LineSource = Callable[[], Iterable[bytes]]
ProgressCallback = Callable[[int, int], None]

# The package name in the errors nixpkgs throws for disabled and refused
# (broken, unfree, insecure) packages.
_DISABLED = re.compile(r"^(?P<name>\S+) not supported for interpreter ")
_REFUSED = re.compile(r"^Package [‘'](?P<name>[^’']+)[’'] in .* is (?:marked as|not)")


def load_overrides(path: Path | None = None) -> tuple[Overrides, str]:
    """The curated overrides (the shipped file unless `path`), and their hash."""
    text = (path or data_path("pypi-overrides.json")).read_bytes()
    return parse_overrides(json.loads(text)), hashlib.sha256(text).hexdigest()


@dataclass(frozen=True)
class IngestResult:
    rev: str
    revision_id: int
    already_indexed: bool
    records: int
    new_packages: int
    counts: dict[str, int]
    seconds: float


@dataclass(frozen=True)
class RevisionInfo:
    """What the command line knows about the revision beyond the dump."""

    rev: str | None = None
    channel: str | None = None
    date: str | None = None
    source: str | None = None


def file_lines(path: Path) -> LineSource:
    def lines() -> Iterator[bytes]:
        with path.open("rb") as f:
            yield from f

    return lines


def ingest(
    db_path: Path,
    lines: LineSource,
    info: RevisionInfo = RevisionInfo(),
    *,
    overrides_path: Path | None = None,
    progress: ProgressCallback | None = None,
) -> IngestResult:
    """Store one dump as one revision; see the module docstring."""
    started = datetime.now(timezone.utc)
    overrides, overrides_sha = load_overrides(overrides_path)
    mapping_version = f"{MAPPING_VERSION}+{overrides_sha[:12]}"
    scan = _scan(lines, overrides)
    rev = info.rev or f"dump-{scan.dump_sha256[:12]}"

    db, created = open_for_writing(db_path)
    try:
        existing = db.execute(
            "select id, dump_sha256 from revisions where rev = ?", [rev]
        ).fetchone()
        if existing is not None:
            if existing[1] != scan.dump_sha256:
                raise RevisionConflict(f"revision {rev} is indexed already, from a different dump")
            return IngestResult(rev, existing[0], True, scan.records, 0, scan.counts, 0.0)
        writer = _Writer(db, scan, overrides, mapping_version, progress)
        with write_transaction(db.conn, db_path):
            revision_id = writer.write(lines, rev, info, started)
    except BaseException as e:
        db.conn.close()
        if created:
            _remove_database(db_path)
        if isinstance(e, sqlite3.OperationalError):  # locked, read-only, disk full
            raise DatabaseError(f"{db_path}: {e}") from None
        raise
    db.conn.close()
    seconds = (datetime.now(timezone.utc) - started).total_seconds()
    return IngestResult(
        rev, revision_id, False, scan.records, writer.new_packages, scan.counts, seconds
    )


def _remove_database(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)


# ---- pass 1: check every line, learn the derivations' PyPI names ---------


@dataclass
class _Scan:
    header: Record
    footer: Record
    records: int
    counts: dict[str, int]
    dump_sha256: str
    # set name → derivation name → canonical PyPI name
    names_by_drv: dict[str, dict[str, str | None]]
    # (set, attribute) → the identity of its ok record, for pass 2
    identities: dict[tuple[str, str], PackageIdentity]


def _parse(number: int, raw: bytes) -> Record:
    try:
        value = orjson.loads(raw)
    except orjson.JSONDecodeError as e:
        raise MalformedDump(f"line {number}: not JSON ({e.msg})") from None
    if not isinstance(value, dict) or not isinstance(value.get("type"), str):
        raise MalformedDump(f"line {number}: not a dump record (no type)")
    return value


def _numbered(lines: LineSource) -> Iterator[tuple[int, Record]]:
    for number, raw in enumerate(lines(), start=1):
        if raw.strip():
            yield number, _parse(number, raw)


def _scan(lines: LineSource, overrides: Overrides) -> _Scan:
    digest = hashlib.sha256()
    header: Record | None = None
    footer: Record | None = None
    records = 0
    identities: dict[tuple[str, str], PackageIdentity] = {}
    named_by_set: dict[str, list[tuple[str, PackageIdentity]]] = {}
    for number, record in _numbered(lines):
        kind = record["type"]
        if footer is not None:
            raise MalformedDump(f"line {number}: a line after the footer")
        if kind == "header":
            if header is not None or number != 1:
                raise MalformedDump(f"line {number}: a header that is not the first line")
            if record.get("schema") not in READABLE_SCHEMAS:
                raise MalformedDump(
                    f"line {number}: dump schema {record.get('schema')!r}, "
                    f"this nixpkgs-pyindex reads schema {SCHEMA_VERSION} and older"
                )
            header = record
            # Where the tree was does not change what it holds.
            same_anywhere = {k: v for k, v in record.items() if k not in ("nixpkgs", "tool")}
            digest.update(orjson.dumps(same_anywhere, option=orjson.OPT_SORT_KEYS))
        elif kind == "attr":
            if header is None:
                raise MalformedDump(f"line {number}: a record before the header")
            for key in ("set", "attr", "status"):
                if not isinstance(record.get(key), str):
                    raise MalformedDump(f"line {number}: record without {key!r}")
            records += 1
            digest.update(orjson.dumps(record, option=orjson.OPT_SORT_KEYS))
            if record["status"] == "ok":
                identity = identify_package(record, overrides)
                identities[(record["set"], record["attr"])] = identity
                if isinstance(record.get("name"), str) and record["name"]:
                    named_by_set.setdefault(record["set"], []).append((record["name"], identity))
        elif kind == "footer":
            footer = record
        else:
            raise MalformedDump(f"line {number}: unknown record type {kind!r}")
    if header is None:
        raise MalformedDump("empty dump: no header")
    if footer is None:
        raise MalformedDump("truncated dump: no footer line")
    if footer.get("records") != records:
        raise MalformedDump(
            f"truncated dump: the footer counts {footer.get('records')} records, "
            f"the file has {records}"
        )
    return _Scan(
        header=header,
        footer=footer,
        records=records,
        counts=dict(footer.get("status") or {}),
        dump_sha256=digest.hexdigest(),
        identities=identities,
        names_by_drv={
            name: pypi_names_from_identities(named) for name, named in named_by_set.items()
        },
    )


# ---- pass 2: write -------------------------------------------------------


class _Writer:
    def __init__(
        self,
        db: sqlite_utils.Database,
        scan: _Scan,
        overrides: Overrides,
        mapping_version: str,
        progress: ProgressCallback | None,
    ) -> None:
        self.db = db
        self.conn = db.conn
        self.scan = scan
        self.overrides = overrides
        self.mapping_version = mapping_version
        self.progress = progress or (lambda done, total: None)
        self.new_packages = 0
        self.positions: dict[str, int] = {}
        sets = scan.header.get("sets") or []
        self.python_version = {
            s["set"]: (s.get("interpreter") or {}).get("pythonVersion") for s in sets
        }

    def write(self, lines: LineSource, rev: str, info: RevisionInfo, started: datetime) -> int:
        header = self.scan.header
        cursor = self.conn.execute(
            "insert into revisions (rev, channel, date, source, nixpkgs_version, nix_version,"
            " system, status, indexed_at, dump_sha256, mapping_version, records, counts)"
            " values (?, ?, ?, ?, ?, ?, ?, 'complete', ?, ?, ?, ?, ?)",
            [
                rev,
                info.channel,
                info.date,
                info.source or header.get("nixpkgs"),
                header.get("nixpkgs_version"),
                header.get("nix_version"),
                header.get("system"),
                started.isoformat(timespec="seconds"),
                self.scan.dump_sha256,
                self.mapping_version,
                self.scan.records,
                json.dumps(self.scan.counts, sort_keys=True),
            ],
        )
        revision_id = int(cursor.lastrowid or 0)
        for s in header.get("sets") or []:
            interpreter = s.get("interpreter") or {}
            self.conn.execute(
                "insert into package_sets values (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    revision_id,
                    s["set"],
                    json.dumps(s.get("same_as") or []),
                    interpreter.get("name"),
                    interpreter.get("implementation"),
                    interpreter.get("pythonVersion"),
                    interpreter.get("version"),
                    s.get("attributes"),
                ],
            )
        done = 0
        for _, record in _numbered(lines):
            if record["type"] != "attr":
                continue
            package_id = self._package_id(record)
            self.conn.execute(
                "insert or ignore into revision_packages values (?, ?, ?)",
                [revision_id, package_id, self._position_id(record.get("position"))],
            )
            done += 1
            if done == self.scan.records // 2:
                checkpoint("ingesting")  # inside the transaction, half written
            self.progress(done, self.scan.records)
        return revision_id

    def _position_id(self, position: object) -> int | None:
        if not isinstance(position, str):
            return None
        cached = self.positions.get(position)
        if cached is None:
            row = self.conn.execute(
                "select id from positions where position = ?", [position]
            ).fetchone()
            if row is None:
                row = (self.conn.execute(
                    "insert into positions (position) values (?)", [position]
                ).lastrowid,)  # fmt: skip
            cached = self.positions[position] = int(row[0])
        return cached

    def _package_id(self, record: Record) -> int:
        # The position belongs to the revision (see db.py), not to the package.
        record = {k: v for k, v in record.items() if k != "position"}
        content = orjson.dumps(record, option=orjson.OPT_SORT_KEYS)
        sha = hashlib.sha256(self.mapping_version.encode() + b"\0" + content).hexdigest()
        row = self.conn.execute(
            "select id from packages where content_sha256 = ?", [sha]
        ).fetchone()
        if row is not None:
            return int(row[0])
        self.new_packages += 1
        return self._insert_package(record, sha, content)

    def _insert_package(self, record: Record, sha: str, content: bytes) -> int:
        status = record["status"]
        set_name = record["set"]
        row: dict[str, Any] = {
            "content_sha256": sha,
            "set_name": set_name,
            "attr": record["attr"],
            "status": status,
            "python_version": self.python_version.get(set_name),
            "record": content.decode(),
        }
        identity: PackageIdentity | None = None
        error = record.get("error") or {}
        if status == "ok":
            # Identified in pass 1 (the same line, parsed again).
            identity = self.scan.identities[(set_name, record["attr"])]
            row.update(_ok_columns(record))
        elif status == "alias":
            row.update(
                alias_target=record.get("alias_of"),
                drv_name=record.get("name"),
                pname=record.get("pname"),
                version=record.get("version"),
            )
        elif status == "error":
            row["error_kind"] = error.get("kind")
            identity = _identity_from_error(record, error, self.overrides)
            if identity is not None:
                drv_name = _drv_name_from_error(error)
                pname = split_drv_name(drv_name)[0] if drv_name else None
                row.update(drv_name=drv_name, pname=pname, version=identity.version.raw)
        if identity is not None:
            # Old trees often set only `name`: its version part is the version.
            row["version"] = row.get("version") or identity.version.raw
            row.update(
                pypi_name=identity.pypi_name,
                pypi_spelled=identity.spelled,
                name_source=identity.name_source,
                confidence=identity.confidence,
                override_reason=identity.override_reason,
                version_normalized=identity.version.normalized,
                version_valid=int(identity.version.valid),
                url_version=identity.url_version,
                version_mismatch=int(identity.version_mismatch),
                name_evidence=json.dumps(list(identity.evidence)),
            )
        columns = ", ".join(row)
        marks = ", ".join("?" for _ in row)
        cursor = self.conn.execute(
            f"insert into packages ({columns}) values ({marks})", list(row.values())
        )
        package_id = int(cursor.lastrowid or 0)
        if identity is not None and identity.pypi_name is not None:
            self.conn.execute("insert into names values (?, ?)", [identity.pypi_name, package_id])
        if status == "error":
            self.conn.execute(
                "insert into eval_errors values (?, ?, ?, ?)",
                [package_id, error.get("kind"), error.get("cause"), error.get("message")],
            )
        inputs = record.get("inputs")
        if isinstance(inputs, dict) and inputs:
            lookup = self.scan.names_by_drv.get(set_name, {})
            self.conn.executemany(
                "insert into inputs values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        package_id,
                        seq,
                        i.list_key,
                        i.position,
                        i.kind,
                        i.extra,
                        i.name,
                        i.pname,
                        i.version,
                        int(i.python),
                        int(i.native),
                        i.pypi_name,
                    )
                    for seq, i in enumerate(classify_inputs(inputs, lookup))
                ],
            )
        return package_id


def _ok_columns(record: Record) -> dict[str, Any]:
    sources = [s for s in record.get("src") or [] if isinstance(s, Mapping)]
    urls = [u for s in sources for u in s.get("urls") or [] if isinstance(u, str)]
    fetchpypi = next((s["pname"] for s in sources if isinstance(s.get("pname"), str)), None)
    python_module = bool(record.get("python_module"))
    return {
        "drv_name": record.get("name"),
        "pname": record.get("pname") if isinstance(record.get("pname"), str) else None,
        "version": record.get("version") if isinstance(record.get("version"), str) else None,
        "python_module": int(python_module),
        # buildPythonApplication: built like a package, not a module.
        "application": int(not python_module and bool(record.get("build_python_package"))),
        "fetchpypi_pname": fetchpypi,
        "src_urls": json.dumps(urls) if urls else None,
        "homepage": _text(record.get("homepage")),
        "description": _text(record.get("description")),
        "broken": _flag(record.get("broken")),
        "unfree": _flag(record.get("unfree")),
        "insecure": _flag(record.get("insecure")),
        "available": _flag(record.get("available")),
        "inputs_from": record.get("inputs_from"),
    }


def _drv_name_from_error(error: Mapping[str, Any]) -> str | None:
    message = error.get("message")
    if not isinstance(message, str):
        return None
    match = _DISABLED.match(message) or _REFUSED.match(message)
    return match.group("name") if match else None


def _identity_from_error(
    record: Record, error: Mapping[str, Any], overrides: Overrides
) -> PackageIdentity | None:
    """Disabled and refused packages name themselves in their error: kept, so
    that a query that asks for them finds them."""
    if error.get("kind") not in ("disabled", "meta"):
        return None
    drv_name = _drv_name_from_error(error)
    if drv_name is None:
        return None
    return identify_package({"attr": record["attr"], "name": drv_name}, overrides)


def _text(value: object) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return " ".join(value)
    return None


def _flag(value: object) -> int | None:
    return int(value) if isinstance(value, bool) else None


def dump_lines(result_lines: Iterable[bytes]) -> LineSource:
    """A line source over lines held in memory (the `index` command's dump)."""
    kept = list(result_lines)
    return lambda: kept


__all__ = [
    "IngestResult",
    "RevisionInfo",
    "dump_lines",
    "file_lines",
    "ingest",
    "load_overrides",
]
