"""The exit codes have one table (indexer.errors.EXIT_CODES): README.md's table
says the same, every exit-coded error is defined beside it with a code of
the table, and the CLI's help texts are made from it."""

from __future__ import annotations

import importlib
import pkgutil
import re
from pathlib import Path

import pytest

import indexer
from indexer import cli, errors
from indexer.errors import EXIT_CODES, PyindexError

README = Path(__file__).resolve().parent.parent / "README.md"


def readme_exit_codes() -> dict[int, str]:
    """The rows of README.md's table under "## Exit codes"."""
    text = README.read_text()
    section = text.split("\n## Exit codes\n", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| *(\d+) *\| *(.*?) *\|$", section, re.MULTILINE)
    assert rows, "README.md's Exit codes section has no table"
    table = {int(code): meaning for code, meaning in rows}
    assert len(table) == len(rows), "a code is listed twice in README.md"
    return table


def test_the_readme_table_is_the_table() -> None:
    assert readme_exit_codes() == EXIT_CODES


def test_the_codes_are_0_to_22() -> None:
    assert list(EXIT_CODES) == list(range(23))


def all_subclasses(cls: type) -> set[type]:
    found = set(cls.__subclasses__())
    return found.union(*(all_subclasses(c) for c in found))


def test_every_exit_coded_error_is_in_errors_with_a_code_of_the_table() -> None:
    for module in pkgutil.walk_packages(indexer.__path__, "indexer."):
        if not module.name.endswith("__main__"):
            importlib.import_module(module.name)
    classes = all_subclasses(PyindexError) | {PyindexError}
    outside = {
        f"{c.__module__}.{c.__qualname__}" for c in classes if c.__module__ != errors.__name__
    }
    assert not outside, f"exit-coded errors defined outside indexer/errors.py: {outside}"
    for c in classes:
        assert c.exit_code in EXIT_CODES, c
    # Each code an error carries is documented as that error's code.
    assert {c.exit_code for c in classes} >= set(range(3, 17)) | set(range(18, 22))


@pytest.mark.parametrize(
    "command", ["dump", "index", "ingest", "candidates", "show", "export", "audit", "reindex",
                "history", "diff", "provide", "backfill", "publish", "fetch"],
)  # fmt: skip
def test_the_help_lists_exit_codes_from_the_table(command: str) -> None:
    epilog = cli.main.commands[command].epilog or ""
    listed = re.findall(r"^  (\d+) +(.*)$", epilog.split("Exit codes:\n", 1)[1], re.MULTILINE)
    assert listed, epilog
    for code, first_words in listed:
        meaning = EXIT_CODES[int(code)].replace("`", "")
        assert meaning.startswith(first_words), (code, first_words)
