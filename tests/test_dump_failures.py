"""Every kind of failure gets the same record under every Nix.

Nix 2.8 and newer Nix (2.26 here) print errors differently: frames first,
the dump's own among them, a failed `assert a == b` explained by comparing
its sides, `evaluation warning:` lines, and a stack overflow that no longer
kills the evaluator. Each case below is pinned to its record, and each runs
under every evaluator the tests are given (tests/conftest.py); a message is
pinned wherever the evaluators word it alike.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from indexer.dump.evaluator import Nix

from .conftest import (
    FIXTURE,
    Records,
    add_python_packages,
    copy_fixture,
    evaluators_under_test,
    once_per_nix,
    run_dump,
)

FAILURES = """\
pyfinal: pyprev:
let
  # As today's lib.warn.
  warn = if builtins ? warn then builtins.warn else (msg: builtins.trace "evaluation warning: ${msg}");
in
{
  # A failed assertion of a condition.
  assert-condition = let isPy27 = false; in assert isPy27; pyprev.six;
  # A failed `assert a == b`: newer Nix explains it by comparing a and b,
  # and names the assertion only in a frame.
  assert-equality = assert pyprev.six.version == "0.0"; pyprev.six;
  # A plain throw of the tree.
  throws = throw "throws: this package is gone";
  # Refused at the value, as nixpkgs' check-meta did until 2019.
  refused = throw "Package ‘refused-1.0’ in /x/refused.nix:3 is marked as broken, refusing to evaluate.";
  # Uncatchable errors of the value itself.
  aborts = abort "aborts: on purpose";
  missing-attribute = pyprev.six.nonexistent;
  recursion = let x = x; in x;
  type-error = pyprev.six.version + 1;
  # A warning before a failure, and one on a package that evaluates.
  warns-then-throws = warn "warns-then-throws is deprecated" (throw "warns-then-throws: gone");
  warns = warn "warns is deprecated" (builtins.trace "warns: traced" pyprev.six);
}
"""

# attr -> (status, kind, cause, message or None where Nix words it differently)
CASES: dict[str, tuple[str, str, str | None, str | None]] = {
    "assert-condition": ("error", "assert", None, "assertion 'isPy27' failed"),
    "assert-equality": (
        "error",
        "assert",
        None,
        "assertion '((pyprev).six.version == \"0.0\")' failed",
    ),
    "throws": ("error", "throw", None, "throws: this package is gone"),
    "refused": (
        "error",
        "meta",
        None,
        "Package ‘refused-1.0’ in /x/refused.nix:3 is marked as broken, refusing to evaluate.",
    ),
    "aborts": (
        "error",
        "crash",
        "abort",
        "evaluation aborted with the following error message: 'aborts: on purpose'",
    ),
    "missing-attribute": ("error", "crash", "missing-attribute", "attribute 'nonexistent' missing"),
    "recursion": ("error", "crash", "infinite-recursion", "infinite recursion encountered"),
    "type-error": ("error", "crash", "type", None),
    "warns-then-throws": ("error", "throw", None, "warns-then-throws: gone"),
}
# The fixture's own failures (data/nixpkgs/README.md).
FIXTURE_CASES: dict[tuple[str, str], tuple[str, str, str | None, str | None]] = {
    ("python313Packages", "nose"): (
        "error",
        "disabled",
        None,
        "nose-1.3.7 not supported for interpreter python3.13",
    ),
    ("python313Packages", "pytest-runner"): (
        "error",
        "removed",
        None,
        "'pytest-runner' has been removed: setuptools no longer needs it and no package uses it anymore",
    ),
    ("python313Packages", "abort-on-eval"): ("error", "crash", "abort", None),
    ("python313Packages", "infinite-recursion"): (
        "error",
        "crash",
        "infinite-recursion",
        "infinite recursion encountered",
    ),
    ("python313Packages", "missing-attr-in-dep"): (
        "error",
        "crash",
        "missing-attribute",
        "attribute 'nonexistent' missing",
    ),
    # Nix 2.8 dies of it ("stack overflow (possible infinite recursion)"),
    # newer Nix survives it ("stack overflow; max-call-depth exceeded").
    ("python313Packages", "stack-overflow"): ("error", "crash", "stack-overflow", None),
}


@pytest.fixture
def failures_dump(nix: Nix, tmp_path_factory: pytest.TempPathFactory) -> Records:
    def make() -> Records:
        tree = copy_fixture(tmp_path_factory.mktemp("failures"))
        add_python_packages(tree, FAILURES)
        return Records(run_dump(nix, tree, sets=["python313Packages"], workers=2))

    return once_per_nix(nix, "failures", make)


def assert_record(record: dict[str, Any], expected: tuple[str, str, str | None, str | None]):
    status, kind, cause, message = expected
    error = record["error"]
    assert (record["status"], error["kind"], error.get("cause")) == (status, kind, cause), error
    if message is not None:
        assert error["message"] == message


@pytest.mark.parametrize("attr", sorted(CASES))
def test_each_failure_has_its_record(failures_dump: Records, attr: str) -> None:
    assert_record(failures_dump(attr), CASES[attr])


@pytest.mark.parametrize(("set_name", "attr"), sorted(FIXTURE_CASES))
def test_each_fixture_failure_has_its_record(
    fixture_dump: Records, set_name: str, attr: str
) -> None:
    assert_record(fixture_dump(attr, set_name), FIXTURE_CASES[(set_name, attr)])


def test_an_error_detail_has_none_of_the_dumps_own_frames(failures_dump: Records) -> None:
    here = str(Path(__file__).resolve().parent.parent)
    errors = [r for r in failures_dump.result.records if r["status"] == "error"]
    # This tree's failures and the fixture's own (one disabled, three removed, four crashes).
    assert len(errors) == len(CASES) + 8
    for record in errors:
        detail = record["error"]["detail"]  # each of these has one: a missing one fails
        assert "dump.nix" not in detail, record
        assert here not in detail, record
        assert "stack trace truncated" not in detail, record
        assert "--show-trace" not in detail, record


def test_the_position_of_an_error_is_relative_to_the_tree(failures_dump: Records) -> None:
    detail = failures_dump("missing-attribute")["error"]["detail"]
    assert detail.splitlines()[:2] == [
        "error: attribute 'nonexistent' missing",
        "at hostile.nix:18:23:",
    ]


def test_warnings_are_recorded_alike_per_attribute(failures_dump: Records) -> None:
    assert failures_dump("warns")["status"] == "ok"
    assert failures_dump("warns")["warnings"] == [
        "evaluation warning: warns is deprecated",
        "warns: traced",
    ]
    assert failures_dump("warns-then-throws")["warnings"] == [
        "evaluation warning: warns-then-throws is deprecated"
    ]
    assert "warnings" not in failures_dump("six")


def test_a_failing_neighbour_costs_nothing(failures_dump: Records) -> None:
    # Every failure above stops its batch; the records after it are whole.
    assert failures_dump("requests")["status"] == "ok"
    statuses = {r["status"] for r in failures_dump.result.records}
    assert "caught" not in statuses


def test_meta_refusal_of_the_store_paths_is_a_field_error(nix: Nix) -> None:
    # Today's check-meta refuses only drvPath and outPath: the record stays,
    # flagged, and --with-paths has no paths for it.
    result = run_dump(nix, FIXTURE, workers=1, sets=["python313Packages"], with_paths=True)
    [pyside2] = [r for r in result.records if r["attr"] == "pyside2"]
    assert (pyside2["status"], pyside2["broken"], pyside2["available"]) == ("ok", True, False)
    assert (pyside2["drv_path"], pyside2["out_path"]) == (None, None)
    [requests] = [r for r in result.records if r["attr"] == "requests"]
    assert requests["drv_path"].endswith("-python3.13-requests-2.32.3.drv")


@pytest.mark.skipif(len(evaluators_under_test()) < 2, reason="needs two Nix versions")
def test_two_nix_versions_give_the_same_records(tmp_path: Path) -> None:
    # Everything but the evaluator's own wording of an error, its version,
    # and where it says an inherited attribute is.
    first, second = evaluators_under_test()[:2]
    tree = copy_fixture(tmp_path)
    add_python_packages(tree, FAILURES)
    dumps = [run_dump(nix, tree, workers=1) for nix in (first, second)]

    def comparable(record: dict[str, Any]) -> dict[str, Any]:
        if isinstance(record.get("position"), str):
            # The line of an inherited attribute: 2.8 gives the `inherit`
            # keyword's, newer Nix the name's (the fixture's makeSetupHook).
            record = {**record, "position": record["position"].rpartition(":")[0]}
        if record["status"] != "error":
            return record
        error = record["error"]
        worded_alike = error.get("cause") not in ("stack-overflow", "type")
        kept = {
            k: v for k, v in error.items() if k != "detail" and (worded_alike or k != "message")
        }
        return {**record, "error": kept}

    assert [comparable(r) for r in dumps[0].records] == [comparable(r) for r in dumps[1].records]
    assert dumps[0].header == {**dumps[1].header, "nix_version": first.version}


@pytest.mark.usefixtures("nix")
def test_two_installs_of_the_tool_give_byte_identical_dumps(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parent.parent
    tree = copy_fixture(tmp_path)
    add_python_packages(tree, FAILURES)
    outputs = []
    for install in ("one", "elsewhere/two"):
        home = tmp_path / install
        for package in ("indexer", "mapping", "nix", "data"):
            shutil.copytree(
                root / package, home / package, ignore=shutil.ignore_patterns("__pycache__")
            )
        out = tmp_path / f"{install.replace('/', '-')}.jsonl"
        subprocess.run(
            [sys.executable, "-m", "indexer", "dump", "-q", "--nixpkgs", str(tree), "-o", str(out)],
            cwd=home,
            env={**os.environ, "PYTHONPATH": str(home)},
            check=True,
        )
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]


def test_an_alias_keeps_the_warning_it_prints(fixture_dump: Records) -> None:
    # python-aliases.nix today: a rename that warns before it is removed.
    jinja = fixture_dump("Jinja2")
    assert (jinja["status"], jinja["alias_of"]) == ("alias", "jinja2")
    assert jinja["warnings"] == [
        "evaluation warning: 'Jinja2' has been renamed to 'jinja2'; the alias will be removed in 27.05"
    ]
