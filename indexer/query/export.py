"""The mapping as documents other tools load.

`json`: PyPI name → the attributes that build it, per interpreter, for one
revision. `mach-nix`: the shape of mach-nix's nixpkgs index for one
interpreter, attribute → "pname@version" (its `nixpkgs-json.nix`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import orjson

from indexer import __version__
from mapping.status import is_available, is_broken, is_marked_unusable

if TYPE_CHECKING:  # the CLI imports this module for FORMATS at start-up
    from indexer.query.index import Index

EXPORT_SCHEMA = 1
FORMATS = ("json", "mach-nix")


def export_document(
    index: Index, fmt: str, rev: str | None = None, python: str | None = None
) -> bytes:
    """The export in format `fmt` (one of FORMATS), as the bytes written."""
    document: Any = (
        export_json(index, rev) if fmt == "json" else export_mach_nix(index, rev, python)
    )
    return orjson.dumps(document, option=orjson.OPT_SORT_KEYS) + b"\n"


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


def export_mach_nix(
    index: Index, rev: str | None = None, python: str | None = None
) -> dict[str, str]:
    """attribute → "pname@version" for one interpreter's set, usable ones
    only (as mach-nix's own index: broken packages are left out), with the
    PyPI spelling of the name where the index knows it."""
    revision = index.revision(rev)
    package_set = index.package_set(revision.id, python)
    packages = index.mach_nix_packages(revision.id, package_set.name)
    by_attr = {p.attr: p for p in packages}
    index_doc: dict[str, str] = {}
    for p in packages:
        # An alias stands for its target's package, when the set has it.
        built = by_attr.get(p.alias_target or "") if p.status == "alias" else p
        if built is None or is_marked_unusable(built.broken, built.available):
            continue
        index_doc[p.attr] = (
            f"{built.pname}@{built.version}" if built.pname and built.version else "N/A"
        )
    return index_doc
