"""The dump's format, typed field by field as docs/dump-schema.md defines it:
what the orchestrator writes (the producer's side) and what `ingest`
accepts (the reader's side), side by side, so that the two cannot drift.

A dump is a header, one `attr` record per attribute of every dumped set,
and a footer. In memory it is a `Dump`; on disk, JSON lines. The reader
parses each line once and checks what a reader must: the schema version,
the order of the lines, the fields every record has, and the footer's
count (a dump cut short has none, or the wrong one).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Literal, TypedDict, cast

import orjson

from indexer_schema1.errors import MalformedDump

# 2: the footer has no `seconds` (a dump depends on the tree, the sets, the
# options and the Nix version, nothing else), error details are the error alone.
SCHEMA_VERSION = 2
# Dumps this version reads (version 1 differs only in what the reader ignores).
READABLE_SCHEMAS = (1, 2)

# ---- the header ------------------------------------------------------------


class Interpreter(TypedDict):
    """A set's `python` (each may be null on old trees)."""

    name: str | None
    pname: str | None
    version: str | None
    pythonVersion: str | None
    libPrefix: str | None
    executable: str | None
    implementation: str | None


class SetEntry(TypedDict):
    set: str
    same_as: list[str]
    interpreter: Interpreter | None
    attributes: int
    aliases: int


class Header(TypedDict):
    type: Literal["header"]
    schema: int
    tool: str
    nix_version: str
    nixpkgs: str
    nixpkgs_version: str | None
    system: str | None
    with_paths: bool
    sets: list[SetEntry]


# ---- the parts of an `attr` record -------------------------------------------


class _DerivationInputRequired(TypedDict):
    name: str
    pname: str | None
    version: str | None
    python_module: bool | None


class DerivationInput(_DerivationInputRequired, total=False):
    setup_hook: bool  # only ever true


class OtherInput(TypedDict):
    type: str  # "string", "path", …


class FailedInput(TypedDict):
    error: bool  # true: reading it threw


Input = DerivationInput | OtherInput | FailedInput
# An input list name → its inputs; `optional-dependencies`: extra → inputs;
# null when the list threw (named in `field_errors`).
Inputs = dict[str, list[Input] | dict[str, list[Input]] | None]


class Source(TypedDict, total=False):
    """One of `src`: a fetcher's result (`kind: "derivation"`) or a local
    source (`kind: "path"` or `"string"`, with `path`)."""

    kind: str
    name: str | None
    urls: list[str]
    pname: str | None
    version: str | None
    format: str | None
    git_url: str | None
    owner: str | None
    repo: str | None
    rev: str | None
    purls: list[str]
    path: str | None


class _ErrorRequired(TypedDict):
    kind: str
    message: str


class ErrorObject(_ErrorRequired, total=False):
    cause: str  # crash only
    detail: str


# ---- the `attr` record ---------------------------------------------------------

Status = Literal["ok", "error", "null", "not-derivation", "alias"]


class _Common(TypedDict):
    """Fields every record has (a `null` record has no others)."""

    type: Literal["attr"]
    set: str
    attr: str
    status: str  # a Status


class _OkFields(TypedDict, total=False):
    """`status: "ok"`: a derivation."""

    name: str
    pname: str | None
    version: str | None
    python_module: bool
    python_module_evidence: str
    interpreter: str | None
    src: list[Source | None]
    purls: list[str]
    position: str | None
    homepage: str | list[str] | None
    description: str | list[str] | None
    broken: bool | None
    unfree: bool | None
    insecure: bool | None
    available: bool | None
    build_python_package: bool | None
    inputs: Inputs
    inputs_from: Literal["declared", "derivation"]
    drv_path: str | None  # with --with-paths
    out_path: str | None
    field_errors: list[str]
    warnings: list[str]  # also on error and alias records


class _ErrorFields(TypedDict, total=False):
    """`status: "error"`."""

    error: ErrorObject


class _NotDerivationFields(TypedDict, total=False):
    """`status: "not-derivation"`."""

    value_type: str
    recurse: bool


class _AliasFields(TypedDict, total=False):
    """`status: "alias"`, with `name`, `pname`, `version` of the value, or
    `value_status` when the value is no derivation."""

    alias_of: str | None
    value_status: str


class AttrRecord(_Common, _OkFields, _ErrorFields, _NotDerivationFields, _AliasFields):
    """One attribute: the common fields, and those of its status."""


# ---- the footer ------------------------------------------------------------------


class Footer(TypedDict):
    type: Literal["footer"]
    records: int
    status: dict[str, int]
    error_kinds: dict[str, int]
    workers: int
    restarts: int


@dataclass
class Dump:
    """A whole dump in memory: what `dump` makes and `ingest` stores."""

    header: Header
    records: list[AttrRecord]
    footer: Footer

    def lines(self) -> Iterator[bytes]:
        """The JSON lines of the dump file (without their newlines)."""
        yield orjson.dumps(self.header)
        for record in self.records:
            yield orjson.dumps(record)
        yield orjson.dumps(self.footer)


# ---- the producer's side -----------------------------------------------------------


def make_header(
    *,
    nix_version: str,
    nixpkgs: str,
    nixpkgs_version: str | None,
    system: str | None,
    with_paths: bool,
    sets: list[SetEntry],
) -> Header:
    return {
        "type": "header",
        "schema": SCHEMA_VERSION,
        "tool": "nixpkgs-pyindex",
        "nix_version": nix_version,
        "nixpkgs": nixpkgs,
        "nixpkgs_version": nixpkgs_version,
        "system": system,
        "with_paths": with_paths,
        "sets": sets,
    }


def make_footer(records: list[AttrRecord], *, workers: int, restarts: int) -> Footer:
    status: dict[str, int] = {}
    error_kinds: dict[str, int] = {}
    for r in records:
        status[r["status"]] = status.get(r["status"], 0) + 1
        if r["status"] == "error":
            kind = r["error"]["kind"]
            error_kinds[kind] = error_kinds.get(kind, 0) + 1
    return {
        "type": "footer",
        "records": len(records),
        "status": dict(sorted(status.items())),
        "error_kinds": dict(sorted(error_kinds.items())),
        "workers": workers,
        "restarts": restarts,
    }


# ---- the reader's side -------------------------------------------------------------


def parse_line(number: int, raw: bytes) -> dict[str, object]:
    """One line as a JSON object with a `type`, or a MalformedDump."""
    try:
        value = orjson.loads(raw)
    except orjson.JSONDecodeError as e:
        raise MalformedDump(f"line {number}: not JSON ({e.msg})") from None
    if not isinstance(value, dict) or not isinstance(value.get("type"), str):
        raise MalformedDump(f"line {number}: not a dump record (no type)")
    return value


def check_header(number: int, value: dict[str, object]) -> Header:
    if number != 1:
        raise MalformedDump(f"line {number}: a header that is not the first line")
    if value.get("schema") not in READABLE_SCHEMAS:
        raise MalformedDump(
            f"line {number}: dump schema {value.get('schema')!r}, "
            f"this nixpkgs-pyindex reads schema {SCHEMA_VERSION} and older"
        )
    return cast(Header, value)


def check_record(number: int, value: dict[str, object]) -> AttrRecord:
    for key in ("set", "attr", "status"):
        if not isinstance(value.get(key), str):
            raise MalformedDump(f"line {number}: record without {key!r}")
    return cast(AttrRecord, value)


def check_count(footer: Footer, records: int) -> None:
    if footer.get("records") != records:
        raise MalformedDump(
            f"truncated dump: the footer counts {footer.get('records')} records, "
            f"the file has {records}"
        )


def read_dump(lines: Iterable[bytes]) -> Dump:
    """A dump file's lines (blank ones skipped) as a checked `Dump`; each
    line is parsed once."""
    header: Header | None = None
    footer: Footer | None = None
    records: list[AttrRecord] = []
    for number, raw in enumerate(lines, start=1):
        if not raw or raw.isspace():
            continue
        value = parse_line(number, raw)
        kind = value["type"]
        if footer is not None:
            raise MalformedDump(f"line {number}: a line after the footer")
        if kind == "header":
            if header is not None:
                raise MalformedDump(f"line {number}: a header that is not the first line")
            header = check_header(number, value)
        elif kind == "attr":
            if header is None:
                raise MalformedDump(f"line {number}: a record before the header")
            records.append(check_record(number, value))
        elif kind == "footer":
            footer = cast(Footer, value)
        else:
            raise MalformedDump(f"line {number}: unknown record type {kind!r}")
    if header is None:
        raise MalformedDump("empty dump: no header")
    if footer is None:
        raise MalformedDump("truncated dump: no footer line")
    check_count(footer, len(records))
    return Dump(header, records, footer)


def check_dump(dump: Dump) -> None:
    """What `read_dump` checks, for a dump held in memory (as `index` hands
    it over): the schema, the records' common fields and the footer's count."""
    check_header(1, cast(dict[str, object], dump.header))
    for number, record in enumerate(dump.records, start=2):
        check_record(number, cast(dict[str, object], record))
    check_count(dump.footer, len(dump.records))


__all__ = [
    "READABLE_SCHEMAS",
    "SCHEMA_VERSION",
    "AttrRecord",
    "Dump",
    "ErrorObject",
    "Footer",
    "Header",
    "Input",
    "Inputs",
    "Interpreter",
    "SetEntry",
    "Source",
    "check_dump",
    "make_footer",
    "make_header",
    "read_dump",
]
