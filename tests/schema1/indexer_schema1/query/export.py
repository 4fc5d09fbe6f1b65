"""The mapping as documents other tools load.

`json`: PyPI name → the attributes that build it, per interpreter, for one
revision. `mach-nix`: mach-nix's nixpkgs index for one interpreter, the
shape its `nixpkgs-json.nix` writes and `mach_nix/data/nixpkgs.py` loads
since mach-nix 3.4.0: attribute → {"pname", "version", "requirements"} or
null. `mach-nix-legacy`: the shape of mach-nix 3.3 and older, attribute →
"pname@version" or "N/A". Both carry the same selection (`mach_nix_selection`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple

import orjson
from packaging.version import InvalidVersion, Version

from indexer_schema1 import __version__
from mapping.status import is_available, is_broken, is_marked_unusable

if TYPE_CHECKING:  # the CLI imports this module for FORMATS at start-up
    from indexer_schema1.query.index import Index
    from indexer_schema1.query.rows import MachNixPackage

EXPORT_SCHEMA = 1
FORMATS = ("json", "mach-nix", "mach-nix-legacy")
MACH_NIX_FORMATS = ("mach-nix", "mach-nix-legacy")

# The name's evidence, strongest first (docs/db-schema.md, `confidence`).
CONFIDENCES = ("verified", "declared", "inferred")
# Inferred names (a pname, a derivation name, an attribute, no PyPI
# evidence) are about one in ten an unrelated PyPI project, and mach-nix
# also steers sdist builds by the names in its index: left out by default.
DEFAULT_MIN_CONFIDENCE = "declared"


class Export(NamedTuple):
    data: bytes  # the document, as written
    summary: str | None  # a one-line account of what was left out (stderr)


def export_document(
    index: Index,
    fmt: str,
    rev: str | None = None,
    python: str | None = None,
    min_confidence: str = DEFAULT_MIN_CONFIDENCE,
) -> Export:
    """The export in format `fmt` (one of FORMATS)."""
    document: Any
    summary = None
    if fmt == "json":
        document = export_json(index, rev)
    else:
        selection = mach_nix_selection(index, rev, python, min_confidence)
        document = selection.legacy() if fmt == "mach-nix-legacy" else selection.document()
        summary = selection.summary(fmt)
    return Export(orjson.dumps(document, option=orjson.OPT_SORT_KEYS) + b"\n", summary)


def export_json(index: Index, rev: str | None = None) -> dict[str, Any]:
    revision = index.revision(rev)
    sets = index.package_sets(revision.id)
    python_of = {s.name: s.python_version or s.name for s in sets}
    projects: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for p in index.export_packages(revision.id):
        projects.setdefault(p.pypi_name, {}).setdefault(python_of[p.set_name], []).append(
            {
                "attr": f"{p.set_name}.{p.attr}",
                "version": p.version,
                "name_source": p.name_source,
                "confidence": p.confidence,
                "status": "disabled" if p.error_kind == "disabled" else p.status,
                "broken": is_broken(p.status, p.broken, p.error_kind),
                "available": is_available(p.status, p.available),
                "python_module": bool(p.python_module),
            }
        )
    return {
        "schema": EXPORT_SCHEMA,
        "tool": f"nixpkgs-pyindex {__version__}",
        "revision": {
            "rev": revision.rev,
            "channel": revision.channel,
            "date": revision.date,
            "nixpkgs_version": revision.nixpkgs_version,
        },
        "sets": [
            {"set": s.name, "python": s.python_version, "same_as": list(s.same_as)} for s in sets
        ],
        "projects": projects,
    }


class MachNixEntry(NamedTuple):
    pname: str  # the PyPI spelling
    version: str  # PEP 440; the source's where it disagrees with the derivation's


@dataclass
class MachNixSelection:
    """What mach-nix is told of one set: per usable attribute, its PyPI name
    and version, or None (no PyPI name or no version: mach-nix's own null);
    and what was left out, and why."""

    set_name: str
    min_confidence: str
    entries: dict[str, MachNixEntry | None] = field(default_factory=dict)
    below_confidence: dict[str, str] = field(default_factory=dict)  # attr → confidence
    not_pep440: dict[str, str] = field(default_factory=dict)  # attr → version

    def document(self) -> dict[str, dict[str, str | None] | None]:
        """mach-nix ≥ 3.4: {"pname", "version", "requirements"} or null;
        `requirements` is mach-nix's own attribute, which nixpkgs never sets."""
        return {
            attr: None
            if e is None
            else {"pname": e.pname, "version": e.version, "requirements": None}
            for attr, e in self.entries.items()
        }

    def legacy(self) -> dict[str, str]:
        """mach-nix ≤ 3.3: "pname@version" or "N/A"."""
        return {
            attr: "N/A" if e is None else f"{e.pname}@{e.version}"
            for attr, e in self.entries.items()
        }

    def summary(self, fmt: str) -> str:
        named = sum(e is not None for e in self.entries.values())
        line = (
            f"export {fmt} of {self.set_name}: {len(self.entries)} attributes, {named} named;"
            f" left out: {len(self.below_confidence)} named below {self.min_confidence}"
            f" confidence, {len(self.not_pep440)} with a version that is not PEP 440"
        )
        if self.not_pep440:
            line += " (" + ", ".join(f"{a} {v}" for a, v in sorted(self.not_pep440.items())) + ")"
        return line


def mach_nix_selection(
    index: Index,
    rev: str | None = None,
    python: str | None = None,
    min_confidence: str = DEFAULT_MIN_CONFIDENCE,
) -> MachNixSelection:
    """One interpreter's set, usable attributes only (as mach-nix's own index:
    broken packages are left out), each with the PyPI spelling of its name;
    names below `min_confidence` and versions that are not PEP 440 left out."""
    if min_confidence not in CONFIDENCES:
        raise ValueError(f"min_confidence: one of {', '.join(CONFIDENCES)}")
    accepted = CONFIDENCES[: CONFIDENCES.index(min_confidence) + 1]
    revision = index.revision(rev)
    package_set = index.package_set(revision.id, python)
    packages = index.mach_nix_packages(revision.id, package_set.name)
    by_attr = {p.attr: p for p in packages}
    selection = MachNixSelection(package_set.name, min_confidence)
    for p in packages:
        # An alias stands for its target's package, when the set has it.
        built = by_attr.get(p.alias_target or "") if p.status == "alias" else p
        if built is None or is_marked_unusable(built.broken, built.available):
            continue
        if not (built.pname and built.version):
            selection.entries[p.attr] = None
        elif built.confidence not in accepted:
            selection.below_confidence[p.attr] = built.confidence or "none"
        elif (version := source_version(built)) is None:
            selection.not_pep440[p.attr] = (built.url_version or built.version) or ""
        else:
            selection.entries[p.attr] = MachNixEntry(built.pname, version)
    return selection


def source_version(p: MachNixPackage) -> str | None:
    """The version the source carries where it disagrees with the
    derivation's (`sphinx_1_2` builds 1.2.3 and says 1.7.2), else the
    derivation's; None if that is not PEP 440 (mach-nix cannot parse it)."""
    version = p.url_version if p.version_mismatch and p.url_version else p.version
    try:
        Version(version or "")
    except InvalidVersion:
        return None
    return version
