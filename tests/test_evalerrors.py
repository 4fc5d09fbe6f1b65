"""How the messages Nix prints become error kinds (indexer/evalerrors.py)."""

from __future__ import annotations

import pytest

from indexer.evalerrors import classify, process_crash, split_error_text

# (lines Nix printed, catchable by tryEval, alias-only name) -> (kind, cause, message)
CASES = [
    pytest.param(
        ["error: CDDB-1.4 not supported for interpreter python3.6m"],
        True,
        False,
        ("disabled", None, "CDDB-1.4 not supported for interpreter python3.6m"),
        id="buildPythonPackage-disabled",
    ),
    pytest.param(
        ["error: 'pytest-runner' has been removed: use setuptools"],
        True,
        True,
        ("removed", None, "'pytest-runner' has been removed: use setuptools"),
        id="alias-only-throw-is-removed",
    ),
    pytest.param(
        [
            "error: Package ‘python3.6-appnope-0.1.0’ in /x/python-packages.nix:523 is not supported"
            " on ‘x86_64-unknown-linux-gnu’, refusing to evaluate."
        ],
        True,
        False,
        ("meta", None, None),
        id="meta-refusal",
    ),
    pytest.param(
        ["error: assertion '(python).pkgs.isPy27' failed", "", "       at /x/default.nix:3:1:"],
        True,
        False,
        ("assert", None, "assertion '(python).pkgs.isPy27' failed"),
        id="assertion-nix-2.8",
    ),
    pytest.param(
        ["error: faulthandler is built into python3.6m"],
        True,
        False,
        ("throw", None, "faulthandler is built into python3.6m"),
        id="plain-throw",
    ),
    pytest.param(
        ["error: evaluation aborted with the following error message: 'boom'"],
        False,
        False,
        ("crash", "abort", None),
        id="abort",
    ),
    pytest.param(
        ["error: infinite recursion encountered", "", "       at «string»:1:9:"],
        False,
        False,
        ("crash", "infinite-recursion", "infinite recursion encountered"),
        id="infinite-recursion",
    ),
    pytest.param(
        [
            "error: attribute 'git-annex' missing",
            "",
            "       at /x/configuration-common.nix:80:31:",
            "       Did you mean git-annex-remote-rclone?",
        ],
        False,
        False,
        ("crash", "missing-attribute", "attribute 'git-annex' missing"),
        id="missing-attribute",
    ),
    pytest.param(
        ["error: undefined variable 'pythonOlder'"],
        False,
        False,
        ("crash", "undefined-variable", None),
        id="undefined-variable",
    ),
    pytest.param(
        ["error: value is null while a set was expected"],
        False,
        False,
        ("crash", "type", None),
        id="type-error",
    ),
    pytest.param(
        ["error: access to absolute path '/etc/passwd' is forbidden in restricted mode"],
        False,
        False,
        ("crash", "restricted", None),
        id="restricted-mode",
    ),
    pytest.param(
        [
            "error: syntax error, unexpected ':', expecting end of file",
            "",
            "       at «string»:2:1:",
        ],
        False,
        False,
        ("crash", "parse", "syntax error in a file of the tree: unexpected end of file"),
        id="file-ending-mid-expression",
    ),
    pytest.param(
        ["error: syntax error, unexpected '}'", "", "       at /t/pkgs/foo/default.nix:3:1:"],
        False,
        False,
        ("crash", "parse", "syntax error, unexpected '}'"),
        id="syntax-error",
    ),
    pytest.param(
        # Newer Nix prints its frames first and the error last.
        [
            "error:",
            "       … while calling the 'throw' builtin",
            "         at /x/default.nix:9:5:",
            "       error: nose-1.3.7 not supported for interpreter python3.13",
        ],
        True,
        False,
        ("disabled", None, "nose-1.3.7 not supported for interpreter python3.13"),
        id="newer-nix-frames-before-message",
    ),
]


@pytest.mark.parametrize(("lines", "catchable", "alias_only", "expected"), CASES)
def test_classify_error_kinds(
    lines: list[str],
    catchable: bool,
    alias_only: bool,
    expected: tuple[str, str | None, str | None],
) -> None:
    kind, cause, message = expected
    error = classify(lines, catchable=catchable, alias_only=alias_only)
    assert error.kind == kind
    assert error.cause == cause
    if message is not None:
        assert error.message == message


def test_detail_keeps_the_position_and_is_bounded() -> None:
    lines = ["error: attribute 'x' missing", "       at /x/a.nix:1:2:"] + ["filler " * 20] * 100
    message, detail = split_error_text(lines)
    assert message == "attribute 'x' missing"
    assert "/x/a.nix:1:2" in detail
    assert len(detail) <= 4002


@pytest.mark.parametrize(
    ("lines", "exit_description", "cause"),
    [
        (
            ["error: stack overflow (possible infinite recursion)"],
            "the evaluator exited with status 1",
            "stack-overflow",
        ),
        ([], "the evaluator was killed by SIGSEGV", "signal"),
        ([], "timeout: no result within 5 s", "timeout"),
        ([], "memory: the evaluator exceeded 256 MiB", "memory"),
    ],
)
def test_a_dead_evaluator_is_a_crash(lines: list[str], exit_description: str, cause: str) -> None:
    error = process_crash(lines, exit_description)
    assert error.kind == "crash"
    assert error.cause == cause
    assert exit_description in error.message
