"""The memory watchdog blames no innocent attribute.

A worker's heap keeps everything it has evaluated, so it may cross the
limit on an attribute that is fine. As nix-eval-jobs does it: past the soft
limit a worker is replaced between batches; an attribute on which a worker
crossed the hard limit is evaluated again in a fresh worker, and is a
memory crash only if it crosses the limit there too.

The tree is the fixture with three heavy but innocent packages (a fresh
worker holds any one of them easily, none holds all three under the limit
of 450 MiB), and a real memory bomb.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from indexer.dump.evaluator import Nix
from indexer.dump.orchestrator import DumpResult

from .conftest import add_python_packages, copy_fixture, once_per_nix, run_dump

# Innocent packages that keep a list of 2,000,000 thunks alive in the
# package set: ~150 MiB each under Nix 2.8 and 2.26. The last one also sums
# it, which doubles that and takes most of a second: long enough for the
# watchdog, which samples, to catch a worker crossing the limit on it.
HEAVY = 3
HEAVY_PACKAGES = "".join(
    f"  heavy-{i} = let big = builtins.genList (x: x) 2000000; in\n"
    "    pyprev.six.overridePythonAttrs (old: {\n"
    f'      version = "1.{i}.${{toString ({sized})}}";\n'
    "      passthru = (old.passthru or { }) // { inherit big; };\n"
    "    });\n"
    for i, sized in enumerate(
        ["builtins.length big", "builtins.length big", "builtins.foldl' builtins.add 0 big"]
    )
)
# Allocates without bound; first in the set, so that the kill is its own.
BOMB = (
    "  aa-memory-bomb = pyprev.six.overridePythonAttrs (old: {\n"
    "    version = toString (builtins.length (builtins.genList (x: [ x x x ]) 400000000));\n"
    "  });\n"
)
HARD_MB = 450
SETS = ["python313Packages"]


def tree_with(into: Path, packages: str) -> Path:
    tree = copy_fixture(into)
    add_python_packages(tree, "pyfinal: pyprev: {\n" + packages + "}\n")
    return tree


@pytest.fixture
def unlimited(nix: Nix, tmp_path_factory: pytest.TempPathFactory) -> DumpResult:
    """The tree without the bomb, under the default limits."""

    def make() -> DumpResult:
        tree = tree_with(tmp_path_factory.mktemp("heavy"), HEAVY_PACKAGES)
        return run_dump(nix, tree, sets=SETS, workers=1)

    return once_per_nix(nix, "heavy-unlimited", make)


@pytest.fixture
def bombed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tree_with(tmp_path_factory.mktemp("bombed"), HEAVY_PACKAGES + BOMB)


def by_attr(result: DumpResult) -> dict[str, Any]:
    return {r["attr"]: r for r in result.records}


@pytest.mark.parametrize(
    ("options", "recycled", "memory_retries"),
    [
        # One attribute a batch, recycled past 150 MiB: a worker never holds
        # more than two heavy packages' worth; only the bomb is killed (twice).
        ({"batch_size": 1, "recycle_memory_mb": 150}, True, 1),
        # No soft limit: the worker crosses the hard limit on the third heavy
        # package, which is evaluated again in a fresh one.
        ({"recycle_memory_mb": HARD_MB}, False, 2),
        # The soft limit by default: half the hard one.
        ({}, None, None),
    ],
    ids=["recycled-between-batches", "killed-and-retried", "default-soft-limit"],
)
def test_only_the_memory_bomb_is_a_memory_crash(
    nix: Nix,
    unlimited: DumpResult,
    bombed: Path,
    options: dict[str, Any],
    recycled: bool | None,
    memory_retries: int | None,
) -> None:
    limited = run_dump(nix, bombed, sets=SETS, workers=1, max_memory_mb=HARD_MB, **options)
    records = by_attr(limited)
    bomb = records.pop("aa-memory-bomb")
    assert (bomb["status"], bomb["error"]["kind"], bomb["error"]["cause"]) == (
        "error",
        "crash",
        "memory",
    )
    assert f"{HARD_MB} MiB" in bomb["error"]["message"]
    assert records == by_attr(unlimited)
    # The heavy packages are what they claim to be: fine alone, too much together.
    assert [records[f"heavy-{i}"]["version"] for i in range(HEAVY)] == [
        "1.0.2000000",
        "1.1.2000000",
        "1.2.1999999000000",
    ]
    assert unlimited.peak_worker_mb > HARD_MB
    if recycled is not None:
        assert (limited.recycled > 0) is recycled
    if memory_retries is not None:
        # The bomb's first kill, and in the second case the innocent one's.
        assert limited.memory_retries == memory_retries
