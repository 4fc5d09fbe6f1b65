"""The stored columns of one dump record: what the index keeps of it.

A record of the dump (docs/dump-schema.md) becomes one row of `packages`
(docs/db-schema.md). Which fields become which columns, what an application
is, how a list-valued `meta` field is flattened, and what a disabled or
refused package still tells about itself: rules of the mapping, not of
SQLite, so that they are tested without Nix or a database.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from mapping.evalerrors import package_named_by_error
from mapping.identity import PackageIdentity, identify_package
from mapping.names import split_drv_name
from mapping.overrides import Overrides

__all__ = [
    "error_identity",
    "flag",
    "is_application",
    "ok_columns",
    "stored_columns",
    "text",
]

Columns = dict[str, Any]


def text(value: object) -> str | None:
    """A `meta` text (homepage, description): a string, or a list of them
    joined by spaces; None for anything else."""
    if isinstance(value, str):
        return value
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return " ".join(value)
    return None


def flag(value: object) -> int | None:
    """A boolean as SQLite stores it; None where the record does not know."""
    return int(value) if isinstance(value, bool) else None


def is_application(python_module: object, build_python_package: object) -> bool:
    """buildPythonApplication: built like a package, but not a module."""
    return not bool(python_module) and bool(build_python_package)


def ok_columns(record: Mapping[str, Any]) -> Columns:
    """The columns of an `ok` record read from its own fields."""
    sources = [s for s in record.get("src") or [] if isinstance(s, Mapping)]
    urls = [u for s in sources for u in s.get("urls") or [] if isinstance(u, str)]
    fetchpypi = next((s["pname"] for s in sources if isinstance(s.get("pname"), str)), None)
    python_module = bool(record.get("python_module"))
    return {
        "drv_name": record.get("name"),
        "pname": record.get("pname") if isinstance(record.get("pname"), str) else None,
        "version": record.get("version") if isinstance(record.get("version"), str) else None,
        "python_module": int(python_module),
        "application": int(is_application(python_module, record.get("build_python_package"))),
        "fetchpypi_pname": fetchpypi,
        "src_urls": json.dumps(urls) if urls else None,
        "homepage": text(record.get("homepage")),
        "description": text(record.get("description")),
        "broken": flag(record.get("broken")),
        "unfree": flag(record.get("unfree")),
        "insecure": flag(record.get("insecure")),
        "available": flag(record.get("available")),
        "inputs_from": record.get("inputs_from"),
    }


def error_identity(record: Mapping[str, Any], overrides: Overrides) -> PackageIdentity | None:
    """Disabled and refused packages name themselves in their error: kept, so
    that a query that asks for them finds them. None for other records."""
    error = record.get("error") or {}
    drv_name = package_named_by_error(error.get("kind"), error.get("message"))
    if drv_name is None:
        return None
    return identify_package({"attr": record["attr"], "name": drv_name}, overrides)


def identity_columns(identity: PackageIdentity) -> Columns:
    return {
        "pypi_name": identity.pypi_name,
        "pypi_spelled": identity.spelled,
        "name_source": identity.name_source,
        "confidence": identity.confidence,
        "override_reason": identity.override_reason,
        "version_normalized": identity.version.normalized,
        "version_valid": int(identity.version.valid),
        "url_version": identity.url_version,
        "version_mismatch": int(identity.version_mismatch),
        "name_evidence": json.dumps(list(identity.evidence)),
    }


def stored_columns(record: Mapping[str, Any], identity: PackageIdentity | None) -> Columns:
    """The columns a record's row has beyond its keys and its text: those of
    its status, and those of its PyPI identity (`identify_package` of an ok
    record, `error_identity` of an error). Columns left out are NULL."""
    status = record["status"]
    columns: Columns = {}
    if status == "ok":
        columns.update(ok_columns(record))
    elif status == "alias":
        columns.update(
            alias_target=record.get("alias_of"),
            drv_name=record.get("name"),
            pname=record.get("pname"),
            version=record.get("version"),
        )
    elif status == "error":
        error = record.get("error") or {}
        columns["error_kind"] = error.get("kind")
        if identity is not None:
            drv_name = package_named_by_error(error.get("kind"), error.get("message"))
            pname = split_drv_name(drv_name)[0] if drv_name else None
            columns.update(drv_name=drv_name, pname=pname, version=identity.version.raw)
    if identity is not None:
        # Old trees often set only `name`: its version part is the version.
        columns["version"] = columns.get("version") or identity.version.raw
        columns.update(identity_columns(identity))
    return columns
