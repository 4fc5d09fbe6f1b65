"""The import rules of the layout: data flows one way, nothing imports upward.

nixpkgs → dump → mapping → store → query → audit, with reindex driving
them all, backfill driving reindex's steps on a cluster, publish sharing
the finished index, and cli on top. Every import of every module (at its top or inside
a function) is read with `ast` and checked against what its stage may use.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Shared leaves every stage of indexer/ may use.
LEAVES = (
    "indexer.errors",
    "indexer.resources",
    "indexer.nixexpr",
    "indexer.paths",
    "indexer.files",
    "indexer.tempdirs",
    "indexer.checkpoints",
    "indexer.pypinames",
    "mapping",
)
# Stage → the modules it may import (prefixes), besides itself and the leaves.
MAY_IMPORT: dict[str, tuple[str, ...]] = {
    "mapping": (),
    "indexer.dump": (),
    "indexer.source": (),
    "indexer.store": ("indexer.dump.format",),
    # The store's layout: its schema, its spans, its factored strings.
    "indexer.query": (
        "indexer.store.schema", "indexer.store.spans", "indexer.store.factoring",
        "indexer.__version__",
    ),
    "indexer.audit": ("indexer.query", "indexer.store", "indexer.__version__"),
    "indexer.reindex": (
        "indexer.dump", "indexer.store", "indexer.query", "indexer.audit", "indexer.source",
    ),
    "indexer.backfill": (
        "indexer.reindex", "indexer.dump", "indexer.store", "indexer.query",
    ),
    "indexer.cli": ("indexer",),
    "indexer.cli_backfill": ("indexer.cli", "indexer.backfill", "indexer.dump", "indexer.audit"),
    # publish reads an index (the store's schema, the query's revisions) and
    # writes files; nothing below it imports it.
    "indexer.publish": ("indexer.store.schema", "indexer.query.index", "indexer.__version__"),
    "indexer.cli_publish": ("indexer.cli", "indexer.publish"),
    "indexer.cli_provide": ("indexer.cli", "indexer.query"),
    "indexer.__main__": ("indexer.cli",),
    "indexer.__init__": ("indexer.query",),
    # The leaves use nothing but each other (PyPI's list names our version to PyPI).
    **{leaf: () for leaf in LEAVES if leaf != "mapping"},
    "indexer.pypinames": ("indexer.__version__",),
}  # fmt: skip
# What reaches outside the process; urllib.parse only splits strings.
STDLIB_IO = (
    "sqlite3", "sqlite_utils", "subprocess", "socket", "urllib.request", "http", "shutil",
    "tempfile", "os", "io", "orjson",
)  # fmt: skip


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts)


def stage_of(module: str) -> str:
    for stage in sorted(MAY_IMPORT, key=len, reverse=True):
        if module == stage or module.startswith(stage + "."):
            return stage
    if module == "indexer":
        return "indexer.__init__"
    raise AssertionError(f"{module} belongs to no stage: add it to MAY_IMPORT")


def imports_of(path: Path) -> list[str]:
    names: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{path}: relative import"
            assert node.module is not None
            if node.module == "indexer":
                names.extend(f"indexer.{alias.name}" for alias in node.names)
            else:
                names.append(node.module)
    return names


MODULES = sorted(
    p for folder in ("indexer", "mapping") for p in (ROOT / folder).rglob("*.py")
    if "__pycache__" not in p.parts and not any(part in ("nix", "data") for part in p.relative_to(ROOT).parts)
)  # fmt: skip


@pytest.mark.parametrize("path", MODULES, ids=[module_name(p) for p in MODULES])
def test_a_module_imports_only_its_stage_and_what_lies_below(path: Path) -> None:
    module = module_name(path)
    stage = stage_of(module)
    allowed = (stage, *LEAVES, *MAY_IMPORT[stage])
    own = [n for n in imports_of(path) if n.split(".")[0] in ("indexer", "mapping")]
    wrong = [n for n in own if not any(n == a or n.startswith(a + ".") for a in allowed)]
    assert wrong == [], f"{module} ({stage}) imports {wrong}"


@pytest.mark.parametrize("path", [p for p in MODULES if module_name(p).startswith("mapping")],
                         ids=lambda p: module_name(p))  # fmt: skip
def test_mapping_is_pure(path: Path) -> None:
    io = [n for n in imports_of(path) if any(n == m or n.startswith(m + ".") for m in STDLIB_IO)]
    assert io == [], f"{module_name(path)} does I/O through {io}"


def test_the_stages_are_the_folders() -> None:
    # The folder tree reads like the pipeline (README, Layout).
    packages = sorted(p.name for p in (ROOT / "indexer").iterdir() if (p / "__init__.py").exists())
    assert packages == ["audit", "backfill", "dump", "publish", "query", "store"]
