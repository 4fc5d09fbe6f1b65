"""The mapping as documents other tools load.

`json`: PyPI name → the attributes that build it, per interpreter, for one
revision. `mach-nix`: the shape of mach-nix's nixpkgs index for one
interpreter, attribute → "pname@version" (its `nixpkgs-json.nix`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from indexer import __version__
from indexer.store.schema import is_available, is_broken

if TYPE_CHECKING:  # the CLI imports this module for FORMATS at start-up
    from indexer.query.index import Index

EXPORT_SCHEMA = 1
FORMATS = ("json", "mach-nix")


def export_json(index: Index, rev: str | None = None) -> dict[str, Any]:
    revision = index.revision(rev)
    sets = index.package_sets(revision.id)
    python_of = {s.name: s.python_version or s.name for s in sets}
    projects: dict[str, dict[str, list[dict[str, Any]]]] = {}
    rows = index.conn.execute(
        "select n.pypi_name, p.set_name, p.attr, p.version, p.status, p.error_kind,"
        " p.name_source, p.confidence, p.broken, p.available, p.python_module"
        " from names n join revision_packages rp"
        " on rp.package_id = n.package_id and rp.revision_id = ?"
        " join packages p on p.id = n.package_id"
        " order by n.pypi_name, p.set_name, p.attr",
        [revision.id],
    )
    for name, set_name, attr, version, status, error_kind, source, confidence, broken, available, module in rows:  # fmt: skip  # noqa: E501
        projects.setdefault(name, {}).setdefault(python_of[set_name], []).append(
            {
                "attr": f"{set_name}.{attr}",
                "version": version,
                "name_source": source,
                "confidence": confidence,
                "status": "disabled" if error_kind == "disabled" else status,
                "broken": is_broken(status, broken, error_kind),
                "available": is_available(status, available),
                "python_module": bool(module),
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
    rows = index.conn.execute(
        # A package the overrides say is not on PyPI has no pname@version for mach-nix.
        "select p.attr, p.status,"
        " case when p.name_source = 'override' and p.pypi_name is null then null"
        " else coalesce(p.pypi_spelled, p.pname) end, p.version, p.alias_target,"
        " p.broken, p.available"
        " from packages p join revision_packages rp"
        " on rp.package_id = p.id and rp.revision_id = ?"
        " where p.set_name = ? and p.status in ('ok', 'alias') order by p.attr",
        [revision.id, package_set.name],
    ).fetchall()
    by_attr = {attr: (pname, version, broken, available) for attr, _, pname, version, _, broken, available in rows}  # fmt: skip  # noqa: E501
    index_doc: dict[str, str] = {}
    for attr, status, pname, version, target, broken, available in rows:
        if status == "alias":
            if target not in by_attr:
                continue
            pname, version, broken, available = by_attr[target]
        if broken or available == 0:
            continue
        index_doc[attr] = f"{pname}@{version}" if pname and version else "N/A"
    return index_doc
