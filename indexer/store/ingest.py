"""Ingest a dump into the index: all of a revision in one transaction, or none.

A dump arrives whole, in memory: from `dump` directly (`index`, `reindex`),
or read from a file, each line parsed once (indexer/dump/format.py checks
it). A first pass hashes it and learns each derivation's PyPI name (Python
inputs are named through it), the second writes through the store's
`Writer`. A package whose content is stored already (same set, attribute
and record: name, version, src, inputs …) is only linked to the new
revision, so revisions that differ a little cost little. Each record is
serialised twice: for the dump's hash, and as the stored JSON.
"""

from __future__ import annotations

import dataclasses
import functools
import gc
import hashlib
import json
import sqlite3
from collections.abc import Callable, Container, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from indexer.checkpoints import checkpoint
from indexer.dump.format import (
    AttrRecord,
    Dump,
    Footer,
    Header,
    SetEntry,
    check_dump,
    read_dump,
)
from indexer.errors import DatabaseError, RevisionConflict
from indexer.resources import data_path
from indexer.store.factoring import (
    SetStrings,
    can_factor_json,
    factor,
    factor_json,
    referenced_inputs,
    version_template,
)
from indexer.store.writer import ListDecisionRow, Writer

if TYPE_CHECKING:
    from indexer.pypinames import PyPINames as PyPIList
from mapping.candidates import NO_RELEASES, Releases
from mapping.identity import (
    LIST_DECIDED_SOURCES,
    Confidence,
    NameSource,
    PackageIdentity,
    identify_package,
    pypi_names_from_claims,
)
from mapping.inputs import ClassifiedInput, classify_inputs
from mapping.overrides import Overrides, parse_overrides
from mapping.records import error_identity, stored_columns

# Bumped when the mapping's output for a record changes, so that a package
# mapped by an older version is stored anew, not mistaken for the same.
MAPPING_VERSION = "5"  # 4: names decided with PyPI's list; 5: its releases, download folders

LineSource = Callable[[], Iterable[bytes]]
ProgressCallback = Callable[[int, int], None]


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
    pypi_names: PyPIList | None = None,
) -> IngestResult:
    """Store one dump file (its lines) as one revision; see the module docstring.
    `pypi_names`: PyPI's project list, to name packages whose source names
    none (mapping/candidates.py); None keeps the pname, name or attribute."""
    with _no_cycle_collection():
        dump = read_dump(lines())
        return _ingest(db_path, dump, info, overrides_path, progress, None, pypi_names)


def ingest_dump(
    db_path: Path,
    dump: Dump,
    info: RevisionInfo = RevisionInfo(),
    *,
    overrides_path: Path | None = None,
    progress: ProgressCallback | None = None,
    writer: Writer | None = None,
    pypi_names: PyPIList | None = None,
) -> IngestResult:
    """Store a dump held in memory (what `dump` returns) as one revision,
    without a trip through JSON; through `writer` if given (left open),
    else through one opened on `db_path`. The dump is not changed."""
    check_dump(dump)
    return _ingest(db_path, dump, info, overrides_path, progress, writer, pypi_names)


def _ingest(
    db_path: Path,
    dump: Dump,
    info: RevisionInfo,
    overrides_path: Path | None,
    progress: ProgressCallback | None,
    writer: Writer | None,
    pypi_names: PyPIList | None = None,
) -> IngestResult:
    with _no_cycle_collection():
        return _ingest_unguarded(db_path, dump, info, overrides_path, progress, writer, pypi_names)


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Python's cycle collector off while a dump is stored. The dump is
    held whole (a few hundred thousand dicts and lists, trees with no
    cycles) and every row made is a new allocation: the collector would walk
    the whole dump over and over, and find nothing (measured: a fifth of
    the ingest of a dump file)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _ingest_unguarded(
    db_path: Path,
    dump: Dump,
    info: RevisionInfo,
    overrides_path: Path | None,
    progress: ProgressCallback | None,
    writer: Writer | None,
    pypi_names: PyPIList | None,
) -> IngestResult:
    started = datetime.now(timezone.utc)
    overrides, overrides_sha = load_overrides(overrides_path)
    mapping_version = f"{MAPPING_VERSION}+{overrides_sha[:12]}"
    scan = _scan(dump, overrides, pypi_names)

    own = writer is None
    w = Writer.connect(db_path) if writer is None else writer
    try:
        storing = _Storing(w, scan, overrides, mapping_version, progress, pypi_names)
        rev = info.rev or f"dump-{storing.dump_sha256[:12]}"
        existing = w.revision(rev)
        if existing is not None:
            if existing[1] != storing.dump_sha256:
                raise RevisionConflict(f"revision {rev} is indexed already, from a different dump")
            result = IngestResult(rev, existing[0], True, len(scan.records), 0, scan.counts, 0.0)
        else:
            with w.transaction():
                revision_id = storing.write(rev, info, started)
            seconds = (datetime.now(timezone.utc) - started).total_seconds()
            result = IngestResult(
                rev,
                revision_id,
                False,
                len(scan.records),
                storing.new_packages,
                scan.counts,
                seconds,
            )
    except BaseException as e:
        if own:
            w.discard()
        if isinstance(e, sqlite3.OperationalError):  # locked, read-only, disk full
            raise DatabaseError(f"{db_path}: {e}") from None
        raise
    if own:
        w.close()
    return result


# ---- pass 1: hash the dump, learn the derivations' PyPI names ------------


@dataclass
class _Scan:
    header: Header
    footer: Footer
    records: list[AttrRecord]
    counts: dict[str, int]
    overrides: Overrides
    listed: Container[str] | None
    releases: Releases
    # set name → derivation name → canonical PyPI name (read lazily)
    names_by_drv: dict[str, _DrvNames]
    # the identity of each ok record, worked out when first asked for
    _identities: dict[int, PackageIdentity] = field(default_factory=dict)
    # (PyPI name, confidence) of a record whose row is stored already, if
    # the store knows it (set by pass 2): no identity to work out again
    stored_claim: Callable[[int], tuple[str | None, Confidence] | None] = lambda n: None

    def claim(self, n: int) -> tuple[str | None, Confidence] | None:
        """The `n`th record's (PyPI name, confidence) for the inputs that
        name it: from its stored row where there is one, else worked out."""
        found = self.stored_claim(n)
        if found is not None:
            return found
        identity = self.identity(n)
        return None if identity is None else (identity.pypi_name, identity.confidence)

    def identity(self, n: int) -> PackageIdentity | None:
        """The PyPI identity of the `n`th record (None unless it is ok).
        Asked for the records a lookup names and the packages stored anew:
        most records of a revision are neither."""
        record = self.records[n]
        if record["status"] != "ok":
            return None
        found = self._identities.get(n)
        if found is None:
            found = self._identities[n] = identify_package(
                record, self.overrides, self.listed, self.releases
            )
        return found


_UNSEEN = object()


class _DrvNames(Mapping[str, "str | None"]):
    """Derivation name → canonical PyPI name, for one set: what an input of
    that name is on PyPI. Each name's records are identified when it is
    first looked up."""

    def __init__(self, scan: _Scan, records: dict[str, list[int]]) -> None:
        self.scan = scan
        self.records = records
        self.found: dict[str, str | None] = {}

    def __getitem__(self, name: str) -> str | None:
        if name not in self.found:
            claims = [self.scan.claim(n) for n in self.records[name]]
            self.found[name] = pypi_names_from_claims(
                (name, *claim) for claim in claims if claim is not None
            )[name]
        return self.found[name]

    def get(self, name: str, default: Any = None) -> Any:  # the hot path: no KeyError
        found = self.found.get(name, _UNSEEN)
        if found is not _UNSEEN:
            return found
        return self[name] if name in self.records else default

    def __contains__(self, name: object) -> bool:
        return name in self.records

    def __iter__(self) -> Iterator[str]:
        return iter(self.records)

    def __len__(self) -> int:
        return len(self.records)


def _scan(dump: Dump, overrides: Overrides, pypi_names: PyPIList | None = None) -> _Scan:
    named_by_set: dict[str, dict[str, list[int]]] = {}
    for n, record in enumerate(dump.records):
        if record["status"] == "ok":
            name = record.get("name")
            if isinstance(name, str) and name:
                named_by_set.setdefault(record["set"], {}).setdefault(name, []).append(n)
    scan = _Scan(
        header=dump.header,
        footer=dump.footer,
        records=dump.records,
        counts=dict(dump.footer.get("status") or {}),
        overrides=overrides,
        listed=None if pypi_names is None else pypi_names.canonical,
        releases=NO_RELEASES if pypi_names is None else pypi_names.releases,
        names_by_drv={},
    )
    scan.names_by_drv = {name: _DrvNames(scan, named) for name, named in named_by_set.items()}
    return scan


# ---- pass 2: write -------------------------------------------------------


class _Storing:
    """Pass 2: one revision's rows, through the writer."""

    def __init__(
        self,
        writer: Writer,
        scan: _Scan,
        overrides: Overrides,
        mapping_version: str,
        progress: ProgressCallback | None,
        pypi_names: PyPIList | None = None,
    ) -> None:
        self.writer = writer
        self.pypi_names = pypi_names
        self.scan = scan
        self.overrides = overrides
        self.mapping_version = mapping_version
        self.progress = progress or (lambda done, total: None)
        self.new_packages = 0
        sets = scan.header.get("sets") or []
        self.strings = {s["set"]: _set_strings(s) for s in sets}
        # set → the inputs' version templates with one version in the set
        # (stored by reference), and their (factored name, version).
        self.versions = {name: _input_versions(recs, self.strings.get(name, _NO_STRINGS))
                         for name, recs in _records_by_set(scan.records).items()}  # fmt: skip
        self._shapes: dict[int, _Shape] = {}
        # shape → what PyPI's list decides of it (None: no list, or a name
        # the list does not decide), worked out once a run
        self._decided: dict[str, ListDecisionRow | None] = {}
        # the shapes list_decisions has a row for (read when first needed)
        self._decided_shapes: set[str] | None = None
        # shape → the stored row's (PyPI name, confidence, name source)
        self._stored: dict[str, tuple[str | None, Confidence, NameSource | None]] = {}
        scan.stored_claim = self._stored_claim

    def write(self, rev: str, info: RevisionInfo, started: datetime) -> int:
        header = self.scan.header
        total = len(self.scan.records)
        revision_id, chain_id = self.writer.add_revision(
            rev=rev,
            channel=info.channel,
            date=info.date,
            source=info.source or header.get("nixpkgs"),
            nixpkgs_version=header.get("nixpkgs_version"),
            nix_version=header.get("nix_version"),
            system=header.get("system"),
            indexed_at=started.isoformat(timespec="seconds"),
            dump_sha256=self.dump_sha256,
            mapping_version=self.mapping_version,
            records=total,
            counts=self.scan.counts,
            pypi_names_date=None if self.pypi_names is None else self.pypi_names.date,
            pypi_names_count=None if self.pypi_names is None else len(self.pypi_names),
        )
        members: list[tuple[int, int]] = []
        positions: dict[str, dict[int, object]] = {}  # attr → set id → position
        by_set: dict[str, list[tuple[int, object]]] = {}
        set_id = self.writer.set_id
        for done, record in enumerate(self.scan.records, start=1):
            package_id = self._package_id(record, done - 1)
            members.append((set_id(record["set"]), package_id))
            position = record.get("position")
            positions.setdefault(record["attr"], {})[set_id(record["set"])] = position
            by_set.setdefault(record["set"], []).append((package_id, position))
            if done == total // 2:
                checkpoint("ingesting")  # inside the transaction, half written
            self.progress(done, total)
        copies = _same_records(header.get("sets") or [], by_set)
        for entry in header.get("sets") or []:
            self.writer.add_package_set(revision_id, entry, copies.get(entry["set"]))
        self.writer.add_spans(
            chain_id,
            revision_id,
            members=members,
            positions=self._position_keys(positions),
            input_versions=[
                (set_id(name), factored, version)
                for name, found in self.versions.items()
                for factored, version in found.values()
            ],
        )
        return revision_id

    def _position_keys(self, positions: dict[str, dict[int, object]]) -> list[tuple[str, int, int]]:
        """One key for an attribute defined in the same place in every set
        (set id 0), else one per set that has a position."""
        keys: list[tuple[str, int, int]] = []
        position_id = self.writer.position_id
        for attr, by_set in positions.items():
            where = set(by_set.values())
            if len(where) == 1:
                found = position_id(next(iter(where)))
                if found is not None:
                    keys.append((attr, 0, found))
                continue
            for set_id, position in by_set.items():
                found = position_id(position)
                if found is not None:
                    keys.append((attr, set_id, found))
        return keys

    def _shape(self, n: int) -> _Shape:
        """The `n`th record as stored: without its set and position, its
        set's strings factored out, its inputs by reference."""
        found = self._shapes.get(n)
        if found is not None:
            return found
        record = self.scan.records[n]
        set_name = record["set"]
        stored: dict[str, Any] = {k: v for k, v in record.items() if k != "position" and k != "set"}
        inputs = stored.get("inputs")
        referenced = 0
        input_names: list[str] = []
        if isinstance(inputs, dict) and inputs:
            stored["inputs"], referenced, input_names = referenced_inputs(
                inputs, self.versions.get(set_name, {})
            )
        text = orjson.dumps(stored, option=orjson.OPT_SORT_KEYS).decode()
        # Factored only where the record spells no control character itself
        # (the referenced inputs' placeholders are two escapes each).
        factored = can_factor_json(text, referenced)
        if factored:
            text = factor_json(text, self.strings.get(set_name, _NO_STRINGS))
        elif referenced:
            stored["inputs"] = inputs
            text = orjson.dumps(stored, option=orjson.OPT_SORT_KEYS).decode()
        head = b"\0".join((self.mapping_version.encode(), b"%d" % factored, text.encode()))
        found = self._shapes[n] = _Shape(
            text, factored, stored if factored else None, input_names,
            hashlib.sha256(head).hexdigest(), head,
        )  # fmt: skip
        return found

    @functools.cached_property
    def dump_sha256(self) -> str:
        """The dump's identity: its header (but where the tree was, and the
        tool), and every record as stored (each one's set, position and
        stored text, the set's input versions): the dump, losslessly, from
        the forms ingest makes anyway, each record serialised once."""
        header = self.scan.header
        same_anywhere = {k: v for k, v in header.items() if k not in ("nixpkgs", "tool")}
        digest = hashlib.sha256(orjson.dumps(same_anywhere, option=orjson.OPT_SORT_KEYS))
        for n, record in enumerate(self.scan.records):
            shape = self._shape(n)
            digest.update(orjson.dumps((record["set"], record.get("position"), shape.factored)))
            digest.update(shape.text.encode())
        digest.update(orjson.dumps(
            {name: sorted(found.values()) for name, found in self.versions.items()},
            option=orjson.OPT_SORT_KEYS,
        ))  # fmt: skip
        return digest.hexdigest()

    def _stored_claim(self, n: int) -> tuple[str | None, Confidence] | None:
        # The same stored text means the same PyPI name and confidence (a
        # record's identity is worked out from the record alone), unless
        # PyPI's list decided it: then the same as before where the list has
        # the same of its candidates.
        stored = self._stored_row(self._shape(n).sha)
        if stored is None:
            return None
        pypi_name, confidence, source = stored
        if self.scan.listed is None:
            return None if source == "pypi-list" else (pypi_name, confidence)
        if source not in LIST_DECIDED_SOURCES:
            return (pypi_name, confidence)
        decided = self._list_decision(n)
        return None if decided is None else (decided.pypi_name, decided.confidence)

    def _stored_row(
        self, shape_sha256: str
    ) -> tuple[str | None, Confidence, NameSource | None] | None:
        found = self._stored.get(shape_sha256)
        if found is None:  # not kept when missing: a later record may store it
            found = self.writer.claim_of_shape(shape_sha256)
            if found is not None:
                self._stored[shape_sha256] = found
        return found

    def _list_decision(self, n: int) -> ListDecisionRow | None:
        """What PyPI's list decides of the `n`th record, if it decides its
        name: read back where the list has the same of its candidates as
        when it was stored, else worked out (and stored)."""
        listed = self.scan.listed
        if listed is None:
            return None
        shape = self._shape(n)
        if shape.sha in self._decided:
            return self._decided[shape.sha]
        # Asked for a record whose row is not stored with a name from its
        # source (_package_id, _stored_claim): its identity is needed unless
        # the list decides as it did.
        if self._decided_shapes is None:  # a few thousand keys, read once: no lookup misses
            self._decided_shapes = self.writer.list_decided_shapes()
        decided = None
        if shape.sha in self._decided_shapes:
            decided = self.writer.list_decision(shape.sha)
        if decided is None or not self._reads_the_same(decided):
            decided = None
            identity = self.scan.identity(n)
            made = identity.list_decision if identity is not None else None
            if identity is not None and made is not None:
                decided = ListDecisionRow(made.candidates, made.listed, made.released,
                                          made.outdated, identity.pypi_name,
                                          identity.confidence)  # fmt: skip
                self.writer.set_list_decision(shape.sha, decided)
        self._decided[shape.sha] = decided
        return decided

    def _reads_the_same(self, decided: ListDecisionRow) -> bool:
        """Whether today's list has the same of a stored decision's candidates,
        and the same newest releases of those it read: then it decides the same."""
        listed, releases = self.scan.listed, self.scan.releases
        assert listed is not None
        return tuple(n for n in decided.candidates if n in listed) == decided.listed and all(
            releases.get(name) == version for name, version in decided.released
        )

    def _package_id(self, record: AttrRecord, n: int) -> int:
        # The set and the position belong to the revision (see schema.py), not to the package.
        shape = self._shape(n)
        names = self.scan.names_by_drv.get(record["set"])
        looked_up = [names.get(name, "") for name in shape.input_names] if names else (
            [""] * len(shape.input_names))  # fmt: skip
        content = b"\0".join((shape.head, orjson.dumps(looked_up)))
        # Of PyPI's list, only what this record's decision read (which of its
        # candidates PyPI has, and which it ruled out; None: no list, or a
        # name from the source): a new list the same there shares the row,
        # whatever its date (issue 15). Most records are named by their
        # source: their row, if stored, is found as such in one lookup.
        found = None
        if self._decided.get(shape.sha) is None:  # not known to be a name the list decides
            sha = hashlib.sha256(content + b"\0null").hexdigest()
            found = self.writer.package_with_content(sha)
            if found is not None and (
                self.scan.listed is None or found[1] not in LIST_DECIDED_SOURCES
            ):
                return found[0]
        decided = self._list_decision(n)
        if decided is not None:
            listed: object = decided.listed
            if decided.outdated:  # the releases read said something
                listed = [decided.listed, decided.outdated]
            sha = hashlib.sha256(content + b"\0" + orjson.dumps(listed)).hexdigest()
            found = self.writer.package_with_content(sha)
        if found is not None:
            return found[0]
        self.new_packages += 1
        return self._insert_package(
            record, self.scan.identity(n), sha, shape.text, shape.factored_record, shape.sha
        )

    def _insert_package(
        self,
        record: AttrRecord,
        identity: PackageIdentity | None,
        sha: str,
        text: str,
        factored_record: dict[str, Any] | None,
        shape_sha256: str,
    ) -> int:
        status = record["status"]
        set_name = record["set"]
        strings = self.strings.get(set_name, _NO_STRINGS)
        if status == "error":
            identity = error_identity(record, self.overrides)
        columns: dict[str, object] = {
            "content_sha256": sha,
            "shape_sha256": shape_sha256,
            "attr": record["attr"],
            "status": status,
            "factored": int(factored_record is not None),
            "record": text,
            **stored_columns(record, identity),
        }
        error: Mapping[str, Any] | None = (record.get("error") or {}) if status == "error" else None
        inputs = record.get("inputs")
        classified = (
            classify_inputs(inputs, self.scan.names_by_drv.get(set_name, {}))
            if isinstance(inputs, dict) and inputs
            else []
        )
        if factored_record is not None:
            for column in ("drv_name", "name_evidence"):
                if isinstance(columns.get(column), str):
                    columns[column] = factor(str(columns[column]), strings)
            if error is not None and isinstance(error.get("message"), str):
                error = {**error, "message": factor(error["message"], strings)}
            templates = self.versions.get(set_name, {})
            classified = [_referenced(i, templates, strings) for i in classified]
        return self.writer.add_package(
            columns,
            pypi_name=identity.pypi_name if identity is not None else None,
            error=error,
            inputs=classified,
        )


@dataclass(frozen=True)
class _Shape:
    """A record as it is stored (see _Storing._shape)."""

    text: str
    factored: int
    factored_record: dict[str, Any] | None
    input_names: list[str]
    sha: str  # of the stored text: the same record in any set, any revision
    head: bytes  # what the content key hashes before the inputs' PyPI names


_NO_STRINGS = SetStrings(None, None)


def _set_strings(entry: SetEntry) -> SetStrings:
    interpreter = entry.get("interpreter")
    if not interpreter:
        return _NO_STRINGS
    return SetStrings(interpreter.get("libPrefix"), interpreter.get("name"))


def _records_by_set(records: list[AttrRecord]) -> dict[str, list[AttrRecord]]:
    by_set: dict[str, list[AttrRecord]] = {}
    for record in records:
        by_set.setdefault(record["set"], []).append(record)
    return by_set


def _input_versions(records: list[AttrRecord], strings: SetStrings) -> dict[str, tuple[str, str]]:
    """Template → (its factored form, the version) for each input template
    of the set with exactly one version in this revision."""
    # The inputs' distinct (name, version) first: a few thousand among a
    # hundred thousand inputs.
    pairs: set[tuple[Any, Any]] = set()
    for record in records:
        inputs = record.get("inputs")
        if not isinstance(inputs, dict):
            continue
        for value in inputs.values():
            for items in value.values() if isinstance(value, dict) else (value,):
                if isinstance(items, list):
                    pairs.update(
                        (i.get("name"), i.get("version")) for i in items if isinstance(i, dict)
                    )
    seen: dict[str, set[str]] = {}
    for name, version in pairs:
        template = version_template(name, version)
        if template is not None:
            seen.setdefault(template, set()).add(version)
    return {
        template: (factor(template, strings), next(iter(versions)))
        for template, versions in seen.items()
        if len(versions) == 1
    }


def _referenced(
    item: ClassifiedInput, templates: dict[str, tuple[str, str]], strings: SetStrings
) -> ClassifiedInput:
    template = version_template(item.name, item.version)
    if template is not None and template in templates:
        return dataclasses.replace(item, name=templates[template][0], version=None)
    return dataclasses.replace(item, name=factor(item.name, strings))


def _same_records(
    entries: list[SetEntry], by_set: dict[str, list[tuple[int, object]]]
) -> dict[str, str]:
    """Set → an earlier set of the dump with the very same packages at the
    same positions (python2Packages and python27Packages in 2018)."""
    copies: dict[str, str] = {}
    seen: dict[tuple[tuple[int, object], ...], str] = {}
    for entry in entries:
        name = entry["set"]
        content = tuple(sorted(by_set.get(name, []), key=lambda m: (m[0], str(m[1]))))
        if not content:
            continue
        if content in seen:
            copies[name] = seen[content]
        else:
            seen[content] = name
    return copies


def dump_lines(result_lines: Iterable[bytes]) -> LineSource:
    """A line source over lines held in memory (a dump file read already)."""
    kept = list(result_lines)
    return lambda: kept


__all__ = [
    "IngestResult",
    "RevisionInfo",
    "dump_lines",
    "file_lines",
    "ingest",
    "ingest_dump",
    "load_overrides",
]
