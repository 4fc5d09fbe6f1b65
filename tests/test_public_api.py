"""The public Python API: `from indexer import Index`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import indexer
import indexer.query.index


def test_index_is_exported_from_the_package() -> None:
    from indexer import Index

    assert Index is indexer.query.index.Index
    assert "Index" in indexer.__all__


def test_the_old_import_keeps_working(fixture_index: Path) -> None:
    from indexer.query.index import Answer, Candidate, Index, PackageSet, Revision

    assert Index is indexer.Index
    # The old names are the types the API returns, not stand-ins.
    with indexer.Index.open(fixture_index) as index:
        answer = index.answer("pyyaml")
        assert isinstance(answer, Answer)
        assert answer.candidates and all(isinstance(c, Candidate) for c in answer.candidates)
        revision = index.revision()
        assert isinstance(revision, Revision)
        sets = index.package_sets(revision.id)
        assert sets and all(isinstance(s, PackageSet) for s in sets)


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no_such_thing"):
        indexer.no_such_thing  # noqa: B018


def test_importing_the_package_loads_no_query_machinery() -> None:
    # The command line imports `indexer` for __version__ at start-up.
    code = "import sys, indexer; print('indexer.query.index' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_index_answers_through_the_public_import(fixture_index: Path, tmp_path: Path) -> None:
    from indexer import Index
    from indexer.errors import DatabaseError

    with Index.open(fixture_index) as index:
        assert [c.attr_path for c in index.candidates("PyYAML>=6", python="3.13")] == [
            "python313Packages.pyyaml"
        ]
    with pytest.raises(DatabaseError, match="no index here"):
        Index.open(tmp_path / "missing.sqlite")
