#!/usr/bin/env python3
"""Measure the names of packages whose source is not PyPI against hand labels (issue 18).

bench/names_labelled.tsv holds packages labelled by hand with the PyPI
project they build (or none). For each, this builds the record the index
would see: the 2018 rows from a real dump of that tree (--dump, a dump of
nixpkgs cef9812b; rows whose attribute it lacks are skipped and counted),
the modern rows from the fields the table wrote down. It then runs
`identify_package` twice, side by side: without a PyPI list (the name
inferred from pname, name or attribute) and with one (--pypi-names FILE,
e.g. the env's pypi.tsv; a TSV with a version column also gives each
project's newest release, evidence against a name of an older series: give
the names alone, `cut -f1`, to measure without it; the modern rows wrote
down no version, so it is measured on the 2018 rows), and counts per
confidence and name_source:

- right: the label's name, or none for a package labelled none;
- wrong: another name (including a name for a package labelled none);
- none: no name for a package that has one.

    python bench/bench_names.py --pypi-names pypi.tsv --dump 030-c1e1690f.jsonl
    python bench/bench_names.py ... --misses    # list what is not right
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import orjson

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from indexer.pypinames import load_pypi_names  # noqa: E402
from mapping.identity import PackageIdentity, identify_package  # noqa: E402
from mapping.names import canonical_name  # noqa: E402

LABELS = ROOT / "bench" / "names_labelled.tsv"
SET = "python36Packages"


def read_labels(path: Path) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    header: list[str] | None = None
    for line in path.read_text().splitlines():
        if line.startswith("#") or not line.strip():
            continue
        fields = line.split("\t")
        if header is None:
            header = fields
            continue
        rows.append(dict(zip(header, fields, strict=True)))
    return rows


def record_from_fields(attr: str, says: str) -> dict[str, Any]:
    """A dump record with what a modern file's row wrote down (`key=value ; …`)."""
    fields: dict[str, list[str]] = {}
    for part in says.split(" ; "):
        key, _, value = part.partition("=")
        fields.setdefault(key.strip(), []).append(value.strip())
    source: dict[str, Any] = {"kind": "derivation", "urls": fields.get("url", [])}
    if "owner" in fields:
        owner, repo = fields["owner"][0], fields["repo"][0]
        source.update(owner=owner, repo=repo)
        host = "gitlab.com" if fields.get("forge") == ["gitlab"] else "github.com"
        source["urls"] = [f"https://{host}/{owner}/{repo}/archive/v1.tar.gz"]
    record: dict[str, Any] = {"attr": attr, "status": "ok", "src": [source]}
    for key in ("pname", "name", "homepage"):
        if key in fields:
            record[key] = fields[key][0]
    return record


def dump_records(path: Path) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    with path.open("rb") as f:
        for line in f:
            record = orjson.loads(line)
            if record.get("type") == "attr" and record.get("set") == SET:
                found[record["attr"]] = record
    return found


def verdict(identity: PackageIdentity, right: str) -> str:
    if identity.pypi_name is None:
        return "right" if right == "none" else "none"
    return "right" if right != "none" and identity.pypi_name == canonical_name(right) else "wrong"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pypi-names", required=True, help="PyPI's project list (a file)")
    parser.add_argument("--dump", type=Path, required=True, help="a dump of nixpkgs cef9812b")
    parser.add_argument("--misses", action="store_true", help="list the rows not right")
    args = parser.parse_args()
    names = load_pypi_names(args.pypi_names)
    old = dump_records(args.dump)
    table: dict[str, Counter[tuple[str, str, str]]] = {"without": Counter(), "with": Counter()}
    skipped = 0
    misses: list[str] = []
    rows = read_labels(LABELS)
    for row in rows:
        if row["source"] == "2018":
            record = old.get(row["attr"])
            if record is None:
                skipped += 1
                continue
        else:
            record = record_from_fields(row["attr"], row["file_says"])
        for label, listed in (("without", None), ("with", names)):
            identity = identify_package(
                record, pypi_names=None if listed is None else listed.canonical,
                releases=names.releases)  # fmt: skip
            result = verdict(identity, row["right"])
            table[label][(identity.confidence, identity.name_source, result)] += 1
            if result != "right" and args.misses:
                misses.append(f"{label:8} {row['attr']:22} {identity.pypi_name or '(none)':24}"
                              f" right: {row['right']:22} {identity.evidence[0][:90]}")  # fmt: skip
    print(f"{len(rows) - skipped} labelled packages ({skipped} not in the dump)")
    print(f"{'list':8} {'confidence':10} {'name_source':12} {'right':>6} {'wrong':>6} {'none':>6}")
    for label, counts in table.items():
        keys = sorted({(c, s) for c, s, _ in counts})
        for confidence, source in keys:
            cells = [counts[(confidence, source, r)] for r in ("right", "wrong", "none")]
            print(f"{label:8} {confidence:10} {source:12} {cells[0]:6} {cells[1]:6} {cells[2]:6}")
        total = sum(counts.values())
        right = sum(n for (_, _, r), n in counts.items() if r == "right")
        print(
            f"{label:8} {'all':10} {'':12} {right:6} {'':6} {'':6}  {100 * right / total:.1f}% right"
        )
    for line in misses:
        print(line)


if __name__ == "__main__":
    main()
