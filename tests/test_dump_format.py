"""The dump's types (indexer/dump/format.py) against what `dump` writes, and
the reader's side against the producer's."""

from __future__ import annotations

from typing import Any, get_type_hints

import pytest

from indexer.dump.format import (
    AttrRecord,
    DerivationInput,
    Dump,
    ErrorObject,
    FailedInput,
    Footer,
    Header,
    Interpreter,
    OtherInput,
    SetEntry,
    Source,
    make_footer,
    read_dump,
)
from indexer.errors import MalformedDump


def fields(typed: Any) -> set[str]:
    return set(get_type_hints(typed))


def test_the_header_and_footer_have_exactly_their_declared_fields(primary_dump: Any) -> None:
    result = primary_dump.result
    assert set(result.header) == fields(Header)
    for entry in result.header["sets"]:
        assert set(entry) == fields(SetEntry)
        assert entry["interpreter"] is None or set(entry["interpreter"]) == fields(Interpreter)
    assert set(result.footer) == fields(Footer)


def test_every_record_field_is_declared(primary_dump: Any) -> None:
    declared = fields(AttrRecord)
    inputs = fields(DerivationInput) | fields(OtherInput) | fields(FailedInput)
    statuses = set()
    for record in primary_dump.result.records:
        statuses.add(record["status"])
        assert set(record) <= declared, record["attr"]
        assert {"type", "set", "attr", "status"} <= set(record)
        if "error" in record:
            assert set(record["error"]) <= fields(ErrorObject)
            assert {"kind", "message"} <= set(record["error"])
        for source in record.get("src") or []:
            assert source is None or set(source) <= fields(Source)
        for value in (record.get("inputs") or {}).values():
            lists = value.values() if isinstance(value, dict) else [value or []]
            for items in lists:
                for item in items:
                    assert set(item) <= inputs
    assert statuses == {"ok", "error", "null", "not-derivation", "alias"}


def test_the_footer_counts_what_the_records_are(primary_dump: Any) -> None:
    result = primary_dump.result
    made = make_footer(
        result.records, workers=result.footer["workers"], restarts=result.footer["restarts"]
    )
    assert made == result.footer


def test_a_dump_reads_back_as_it_was_written(primary_dump: Any) -> None:
    result = primary_dump.result
    lines = list(result.lines())
    again = read_dump(lines)
    assert (again.header, again.records, again.footer) == (
        result.header,
        result.records,
        result.footer,
    )
    assert list(again.lines()) == lines
    # Blank lines are skipped (but the header must be line 1).
    assert read_dump([lines[0], b"\n", *lines[1:], b"  \n"]).records == result.records
    with pytest.raises(MalformedDump, match="line 2: a header that is not the first line"):
        read_dump([b"\n", *lines])


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        ([], "empty dump: no header"),
        ([b'{"type":"attr","set":"s","attr":"a","status":"null"}'], "line 1: a record before"),
        ([b'{"type":"header","schema":2}'], "truncated dump: no footer line"),
        (
            [b'{"type":"header","schema":2}', b'{"type":"header","schema":2}'],
            "line 2: a header that is not the first line",
        ),
        (
            [b'{"type":"header","schema":2}', b'{"type":"footer","records":0}', b"{}"],
            "line 3: not a dump record",
        ),
        (
            [
                b'{"type":"header","schema":2}',
                b'{"type":"footer","records":0}',
                b'{"type":"footer","records":0}',
            ],
            "line 3: a line after the footer",
        ),
        (
            [b'{"type":"header","schema":1}', b'{"type":"footer","records":1}'],
            "the footer counts 1 records, the file has 0",
        ),
    ],
)
def test_the_reader_refuses_what_is_no_whole_dump(lines: list[bytes], message: str) -> None:
    with pytest.raises(MalformedDump, match=message):
        read_dump(lines)


def test_a_schema_1_dump_with_no_records_is_read() -> None:
    dump = read_dump([b'{"type":"header","schema":1}', b'{"type":"footer","records":0}'])
    assert isinstance(dump, Dump) and dump.records == []
