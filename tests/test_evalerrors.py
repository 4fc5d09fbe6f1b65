"""How the messages Nix prints become error kinds (indexer/evalerrors.py)."""

from __future__ import annotations

import pytest

from mapping.evalerrors import classify, process_crash, read_output

# (lines Nix printed, caught by tryEval, alias-only name) -> (kind, cause, message).
# Not caught: the kind is read from the wording (the dump evaluates values uncaught).
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


NEWER_NIX_CASES = [
    pytest.param(
        # Nix 2.26 on a failed `assert a == b`, traces on: the assertion is a frame.
        [
            "error:",
            "       … while calling the 'foldl'' builtin",
            "         at /opt/pyindex/nix/dump.nix:437:5:",
            "       … while evaluating the condition of the assertion '(version == \"1.0\")'",
            "         at /t/pkgs/development/python-modules/eq/default.nix:4:1:",
            "       error: string '\"2.0\"' is not equal to string '\"1.0\"'",
        ],
        True,
        False,
        ("assert", None, "assertion '(version == \"1.0\")' failed"),
        id="newer-nix-equality-assertion-named-by-its-frame",
    ),
    pytest.param(
        [
            "error:",
            "       … while calling the 'seq' builtin",
            "         at /opt/pyindex/nix/dump.nix:438:15:",
            "       error: expected a set but found a function: «lambda @ /t/a.nix:1:1»",
        ],
        False,
        False,
        ("crash", "type", None),
        id="newer-nix-type-error",
    ),
    pytest.param(
        [
            "error:",
            "       … while calling the 'seq' builtin",
            "       error: stack overflow; max-call-depth exceeded",
        ],
        False,
        False,
        ("crash", "stack-overflow", "stack overflow; max-call-depth exceeded"),
        id="newer-nix-survives-a-stack-overflow",
    ),
    pytest.param(
        ["error: getting status of '/t/pkgs/missing.nix': No such file or directory"],
        False,
        False,
        ("crash", "file", None),
        id="a-file-of-the-tree-is-missing",
    ),
]


ALL_CASES = CASES + NEWER_NIX_CASES


def _pinned(
    lines: list[str], alias_only: bool, expected: tuple[str, str | None, str | None], caught: bool
) -> None:
    kind, cause, message = expected
    error = classify(read_output(lines), alias_only=alias_only, caught=caught)
    assert error.kind == kind
    assert error.cause == cause
    if message is not None:
        assert error.message == message


@pytest.mark.parametrize(("lines", "catchable", "alias_only", "expected"), ALL_CASES)
def test_classify_an_uncaught_error_by_its_wording(
    lines: list[str],
    catchable: bool,
    alias_only: bool,
    expected: tuple[str, str | None, str | None],
) -> None:
    # How the dump meets most errors: the kind comes from the wording alone.
    _pinned(lines, alias_only, expected, caught=False)


@pytest.mark.parametrize(
    ("lines", "catchable", "alias_only", "expected"),
    [case for case in ALL_CASES if case.values[1]],
)
def test_classify_an_error_tryeval_caught(
    lines: list[str],
    catchable: bool,
    alias_only: bool,
    expected: tuple[str, str | None, str | None],
) -> None:
    # Caught by tryEval (a record's field, the `m` probe): the same kind.
    _pinned(lines, alias_only, expected, caught=True)


def test_a_hidden_equality_assertion_asks_for_traces() -> None:
    # Newer Nix shows only the outermost frames (the dump's own): the frame
    # naming the assertion is cut, so the dump asks again with traces on.
    output = read_output(
        [
            "error:",
            "       … while calling the 'foldl'' builtin",
            "       … while calling the 'seq' builtin",
            "       (stack trace truncated; use '--show-trace' to show the full, detailed trace)",
            "       error: an integer with value '1' is not equal to an integer with value '2'",
        ]
    )
    assert output.hides_assertion
    assert not read_output(["error: assertion 'isPy3k' failed"]).hides_assertion
    assert not read_output(["error: boom"]).hides_assertion


@pytest.mark.parametrize(
    "lines",
    [
        pytest.param(
            [
                "error: attribute 'nonexistent' missing",
                "",
                "       at /t/pkgs/a/default.nix:28:5:",
                "",
                "           27|     six",
                "           28|     pkgs.libffi.nonexistent",
                "             |     ^",
                "(use '--show-trace' to show detailed location information)",
            ],
            id="nix-2.8",
        ),
        pytest.param(
            [
                "error:",
                "       … while calling the 'foldl'' builtin",
                "         at /opt/pyindex/nix/dump.nix:437:5:",
                "          436|     setIndex: from: to:",
                "          437|     builtins.foldl' (",
                "             |     ^",
                "       (stack trace truncated; use '--show-trace' to show the full, detailed trace)",
                "       error: attribute 'nonexistent' missing",
                "       at /t/pkgs/a/default.nix:28:5:",
                "           27|     six",
                "           28|     pkgs.libffi.nonexistent",
                "             |     ^",
            ],
            id="nix-2.26",
        ),
    ],
)
def test_the_detail_is_the_error_alone_whatever_the_nix_version(lines: list[str]) -> None:
    detail = read_output(lines).detail(hide_paths=["/opt/pyindex/nix/"])
    assert detail == (
        "error: attribute 'nonexistent' missing\n"
        "at /t/pkgs/a/default.nix:28:5:\n"
        "    27|     six\n"
        "    28|     pkgs.libffi.nonexistent\n"
        "      |     ^"
    )


def test_the_detail_leaves_out_positions_in_the_dumps_own_scripts() -> None:
    output = read_output(
        [
            "error: value is a function while a set was expected",
            "       at /opt/pyindex/nix/dump.nix:300:9:",
            "          299|       let",
            "          300|         v = x.name;",
            "             |         ^",
        ]
    )
    assert output.detail(hide_paths=["/opt/pyindex/nix/"]) == (
        "error: value is a function while a set was expected"
    )


def test_detail_keeps_the_position_and_is_bounded() -> None:
    lines = ["error: attribute 'x' missing", "       at /x/a.nix:1:2:"] + ["filler " * 20] * 100
    output = read_output(lines)
    assert output.message == "attribute 'x' missing"
    assert "/x/a.nix:1:2" in output.detail()
    assert len(output.detail()) <= 4002


@pytest.mark.parametrize(
    ("lines", "warnings"),
    [
        pytest.param(["trace: hello"], ("hello",), id="trace"),
        pytest.param(
            # Today's lib.warn on Nix 2.8 (builtins.trace, colours stripped)
            # and on Nix >= 2.23 (builtins.warn): one warning, worded the same.
            ["trace: evaluation warning: pkg is deprecated"],
            ("evaluation warning: pkg is deprecated",),
            id="lib-warn-nix-2.8",
        ),
        pytest.param(
            ["evaluation warning: pkg is deprecated"],
            ("evaluation warning: pkg is deprecated",),
            id="lib-warn-newer-nix",
        ),
        pytest.param(
            # lib.warn of nixpkgs before 2024, under any Nix.
            ["trace: warning: pkg is deprecated"],
            ("warning: pkg is deprecated",),
            id="lib-warn-before-2024",
        ),
        pytest.param(
            ["trace: first line", "second line", "trace: next"],
            ("first line\nsecond line", "next"),
            id="multi-line-trace",
        ),
        pytest.param(
            ["evaluation warning: first line", "                    second line"],
            ("evaluation warning: first line\nsecond line",),
            id="multi-line-warning-newer-nix",
        ),
        pytest.param(
            ["trace: before", "error: boom", "       at /x/a.nix:1:2:"],
            ("before",),
            id="warnings-before-an-error",
        ),
    ],
)
def test_warnings_are_read_alike_from_every_nix(
    lines: list[str], warnings: tuple[str, ...]
) -> None:
    assert read_output(lines).warnings == warnings


@pytest.mark.parametrize(
    ("lines", "exit_description", "cause", "message"),
    [
        (
            ["error: stack overflow (possible infinite recursion)"],
            "the evaluator exited with status 1",
            "stack-overflow",
            "stack overflow (possible infinite recursion)",
        ),
        (
            [],
            "the evaluator was killed by SIGSEGV",
            "signal",
            "the evaluator was killed by SIGSEGV",
        ),
        ([], "timeout: no result within 5 s", "timeout", "timeout: no result within 5 s"),
        (
            [],
            "memory: the evaluator exceeded 256 MiB",
            "memory",
            "memory: the evaluator exceeded 256 MiB",
        ),
    ],
)
def test_a_dead_evaluator_is_a_crash(
    lines: list[str], exit_description: str, cause: str, message: str
) -> None:
    # The message is what the evaluator said (the same as when newer Nix
    # survives it); how the process ended is in the detail.
    error = process_crash(read_output(lines), exit_description)
    assert error.kind == "crash"
    assert error.cause == cause
    assert error.message == message
    assert error.detail is not None and exit_description in error.detail
