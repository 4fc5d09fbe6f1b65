"""The stored columns of a record, and the names errors give (mapping/records.py,
mapping/evalerrors.py): tables, no Nix, no database."""

from __future__ import annotations

import json
from typing import Any

import pytest

from mapping.evalerrors import package_named_by_error
from mapping.identity import identify_package
from mapping.overrides import NO_OVERRIDES
from mapping.records import (
    error_identity,
    flag,
    is_application,
    ok_columns,
    stored_columns,
    text,
)


@pytest.mark.parametrize(
    ("kind", "message", "name"),
    [
        pytest.param(
            "disabled",
            "CDDB-1.4 not supported for interpreter python3.6m",
            "CDDB-1.4",
            id="disabled",
        ),
        pytest.param(
            "disabled",
            "python3.13-nose-1.3.7 not supported for interpreter python3.13",
            "python3.13-nose-1.3.7",
            id="disabled-with-prefix",
        ),
        pytest.param(
            "meta",
            "Package ‘python3.6-appnope-0.1.0’ in /x/python-packages.nix:523 is not supported"
            " on ‘x86_64-unknown-linux-gnu’, refusing to evaluate.",
            "python3.6-appnope-0.1.0",
            id="refused-platform",
        ),
        pytest.param(
            "meta",
            "Package 'python3.13-foo-1.0' in pkgs/foo/default.nix:9 is marked as broken,"
            " refusing to evaluate.",
            "python3.13-foo-1.0",
            id="refused-broken-ascii-quotes",
        ),
        pytest.param(
            "meta",
            "Package ‘python3.13-bar-2’ in /x/bar.nix:1 has an unfree license (‘unfree’),"
            " refusing to evaluate.",
            None,
            id="unfree-wording-names-nothing",
        ),
        pytest.param(
            "meta",
            "Package ‘python3.13-baz-3’ in /x/baz.nix:1 is marked as insecure, refusing to"
            " evaluate.",
            "python3.13-baz-3",
            id="refused-insecure",
        ),
        pytest.param(
            "throw",
            "CDDB-1.4 not supported for interpreter python3.6m",
            None,
            id="only-disabled-and-meta-kinds",
        ),
        pytest.param("disabled", "is not supported for interpreter", None, id="no-name"),
        pytest.param(
            "disabled",
            "error: foo-1 not supported for interpreter python3",
            None,
            id="anchored-at-the-start",
        ),
        pytest.param("meta", None, None, id="no-message"),
        pytest.param("crash", "infinite recursion encountered", None, id="crash"),
    ],
)
def test_the_package_an_error_names(kind: str, message: str | None, name: str | None) -> None:
    assert package_named_by_error(kind, message) == name


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("https://example.org", "https://example.org"),
        (["https://a.org", "https://b.org"], "https://a.org https://b.org"),
        ([], None),
        (["a", 1], None),
        (None, None),
        (3, None),
    ],
)
def test_a_meta_text(value: object, expected: str | None) -> None:
    assert text(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"), [(True, 1), (False, 0), (None, None), (1, None), ("true", None)]
)
def test_a_flag(value: object, expected: int | None) -> None:
    assert flag(value) == expected


@pytest.mark.parametrize(
    ("python_module", "build_python_package", "application"),
    [
        (True, True, False),  # buildPythonPackage
        (False, True, True),  # buildPythonApplication
        (False, False, False),  # stdenv.mkDerivation
        (False, None, False),  # old tree: no meta.isBuildPythonPackage
        (None, True, True),
        (True, None, False),
    ],
)
def test_an_application_is_built_like_a_package_but_no_module(
    python_module: object, build_python_package: object, application: bool
) -> None:
    assert is_application(python_module, build_python_package) is application


OK: dict[str, Any] = {
    "type": "attr",
    "set": "python313Packages",
    "attr": "requests",
    "status": "ok",
    "name": "python3.13-requests-2.32.3",
    "pname": "requests",
    "version": "2.32.3",
    "python_module": True,
    "build_python_package": True,
    "src": [
        None,
        {"kind": "derivation", "urls": ["mirror://pypi/r/requests/requests-2.32.3.tar.gz", 3]},
        {"kind": "derivation", "pname": "requests", "urls": ["https://x.org/r.tar.gz"]},
    ],
    "homepage": ["https://requests.readthedocs.io", "https://github.com/psf/requests"],
    "description": "HTTP for Humans",
    "broken": False,
    "unfree": None,
    "insecure": False,
    "available": True,
    "inputs_from": "declared",
}


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        pytest.param(
            {},
            {
                "drv_name": "python3.13-requests-2.32.3",
                "pname": "requests",
                "version": "2.32.3",
                "python_module": 1,
                "application": 0,
                "fetchpypi_pname": "requests",
                "src_urls": json.dumps(
                    ["mirror://pypi/r/requests/requests-2.32.3.tar.gz", "https://x.org/r.tar.gz"]
                ),
                "homepage": "https://requests.readthedocs.io https://github.com/psf/requests",
                "description": "HTTP for Humans",
                "broken": 0,
                "unfree": None,
                "insecure": 0,
                "available": 1,
                "inputs_from": "declared",
            },
            id="module",
        ),
        pytest.param(
            {"python_module": False, "src": [], "pname": None, "version": 7},
            {
                "python_module": 0,
                "application": 1,
                "src_urls": None,
                "fetchpypi_pname": None,
                "pname": None,
                "version": None,
            },
            id="application-without-sources",
        ),
        pytest.param(
            {"python_module": False, "build_python_package": None},
            {"application": 0},
            id="not-python-at-all",
        ),
    ],
)
def test_the_columns_of_an_ok_record(changes: dict[str, Any], expected: dict[str, Any]) -> None:
    columns = ok_columns({**OK, **changes})
    assert {k: columns[k] for k in expected} == expected


def test_an_ok_record_stores_its_identity() -> None:
    identity = identify_package(OK)
    columns = stored_columns(OK, identity)
    assert columns["pypi_name"] == "requests"
    assert columns["name_source"] == identity.name_source
    assert columns["version"] == "2.32.3"
    assert columns["version_normalized"] == "2.32.3"
    assert columns["version_valid"] == 1
    assert columns["version_mismatch"] == 0
    assert json.loads(columns["name_evidence"]) == list(identity.evidence)
    assert "error_kind" not in columns and "alias_target" not in columns


def test_an_old_record_takes_its_version_from_its_name() -> None:
    # 2018 nixpkgs: `name = "psycopg2-2.7.1"`, no version attribute.
    record = {**OK, "attr": "psycopg2", "name": "psycopg2-2.7.1", "pname": None, "version": None}
    columns = stored_columns(record, identify_package(record))
    assert columns["version"] == "2.7.1"
    assert columns["pname"] is None


def test_an_invalid_version_is_kept_and_flagged() -> None:
    record = {**OK, "version": "unstable-2024-01-01", "src": []}
    columns = stored_columns(record, identify_package(record))
    assert columns["version"] == "unstable-2024-01-01"
    assert columns["version_valid"] == 0


@pytest.mark.parametrize(
    ("record", "expected"),
    [
        pytest.param(
            {
                "status": "alias",
                "alias_of": "pillow",
                "name": "python3.13-pillow-11",
                "pname": "pillow",
                "version": "11",
            },  # fmt: skip
            {
                "alias_target": "pillow",
                "drv_name": "python3.13-pillow-11",
                "pname": "pillow",
                "version": "11",
            },  # fmt: skip
            id="alias",
        ),
        pytest.param(
            {"status": "alias", "alias_of": None, "value_status": "null"},
            {"alias_target": None, "drv_name": None, "pname": None, "version": None},
            id="alias-of-null",
        ),
        pytest.param({"status": "null"}, {}, id="null"),
        pytest.param(
            {"status": "not-derivation", "value_type": "lambda", "recurse": False},
            {},
            id="not-derivation",
        ),
        pytest.param(
            {"status": "error", "error": {"kind": "throw", "message": "nope"}},
            {"error_kind": "throw"},
            id="error-naming-nothing",
        ),
        pytest.param(
            {"status": "error", "error": {"kind": "crash", "message": "x", "cause": "abort"}},
            {"error_kind": "crash"},
            id="crash",
        ),
    ],
)
def test_the_columns_of_other_records(record: dict[str, Any], expected: dict[str, Any]) -> None:
    full = {"type": "attr", "set": "python313Packages", "attr": "a", **record}
    assert error_identity(full, NO_OVERRIDES) is None
    assert stored_columns(full, None) == expected


@pytest.mark.parametrize(
    ("message", "drv_name", "pname", "version", "pypi_name"),
    [
        (
            "python3.13-nose-1.3.7 not supported for interpreter python3.13",
            "python3.13-nose-1.3.7",
            "nose",
            "1.3.7",
            "nose",
        ),
        (
            "Package ‘python3.6-appnope-0.1.0’ in /x/p.nix:5 is not supported on ‘x86_64-linux’,"
            " refusing to evaluate.",
            "python3.6-appnope-0.1.0",
            "appnope",
            "0.1.0",
            "appnope",
        ),
    ],
)
def test_a_disabled_or_refused_package_is_stored_by_the_name_in_its_error(
    message: str, drv_name: str, pname: str, version: str, pypi_name: str
) -> None:
    kind = "disabled" if "interpreter" in message else "meta"
    record = {
        "type": "attr",
        "set": "python313Packages",
        "attr": pname,
        "status": "error",
        "error": {"kind": kind, "message": message},
    }
    identity = error_identity(record, NO_OVERRIDES)
    assert identity is not None
    columns = stored_columns(record, identity)
    assert columns["error_kind"] == kind
    assert (columns["drv_name"], columns["pname"], columns["version"]) == (drv_name, pname, version)
    assert columns["pypi_name"] == pypi_name
