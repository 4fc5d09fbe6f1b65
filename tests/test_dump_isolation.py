"""Attributes that kill or hang the evaluator, or try to leave the tree, are
isolated: each becomes a crash record and nothing else is lost."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.dump.evaluator import Nix

from .conftest import Records, add_python_packages, copy_fixture, once_per_nix, run_dump

HOSTILE = """\
pyfinal: pyprev: {
  # Allocates without bound: the memory watchdog must kill it.
  memory-hog = pyprev.six.overridePythonAttrs (old: {
    version = toString (builtins.length (builtins.genList (x: [ x x x ]) 400000000));
  });
  # Computes for minutes in little memory (below Nix's initial GC heap of
  # 384 MiB): the time watchdog must kill it.
  slow = pyprev.six.overridePythonAttrs (old: {
    version = toString (builtins.foldl' (a: i:
      builtins.foldl' (b: j: b + 1) a (builtins.genList (x: x) 20000)) 0 (builtins.genList (x: x) 20000));
  });
  # Reads outside the tree: restrict-eval refuses.
  reads-etc = pyprev.six.overridePythonAttrs (old: { version = builtins.readFile /etc/hostname; });
  # Fetches from the network at evaluation time: refused.
  fetches = pyprev.six.overridePythonAttrs (old: {
    version = builtins.readFile (builtins.fetchurl "http://127.0.0.1:9/x");
  });
  # Import from derivation: refused.
  ifd = import (derivation { name = "ifd"; builder = "/bin/sh"; system = builtins.currentSystem; });
  zzz-last = pyprev.six;
}
"""


@pytest.fixture
def hostile_dump(nix: Nix, tmp_path_factory: pytest.TempPathFactory) -> Records:
    def make() -> Records:
        tree = copy_fixture(tmp_path_factory.mktemp("hostile"))
        add_python_packages(tree, HOSTILE)
        return Records(
            run_dump(
                nix, tree, sets=["python313Packages"], workers=2, attr_timeout=5, max_memory_mb=600
            )
        )

    return once_per_nix(nix, "hostile", make)


def test_memory_blowup_is_killed_and_recorded(hostile_dump: Records) -> None:
    error = hostile_dump("memory-hog")["error"]
    assert (error["kind"], error["cause"]) == ("crash", "memory")
    assert "600 MiB" in error["message"]


def test_endless_evaluation_is_killed_and_recorded(hostile_dump: Records) -> None:
    error = hostile_dump("slow")["error"]
    assert (error["kind"], error["cause"]) == ("crash", "timeout")


@pytest.mark.parametrize("attr", ["reads-etc", "fetches", "ifd"])
def test_untrusted_tree_cannot_reach_outside(hostile_dump: Records, attr: str) -> None:
    record = hostile_dump(attr)
    assert record["status"] == "error"
    assert record["error"]["kind"] == "crash"
    assert record["error"]["cause"] in {"restricted", "import-from-derivation"}


def test_nothing_else_is_lost(nix: Nix, hostile_dump: Records) -> None:
    result = hostile_dump.result
    assert result.footer["restarts"] >= 2  # memory-hog and slow killed their workers
    assert hostile_dump("zzz-last")["status"] == "ok"
    assert hostile_dump("six")["status"] == "ok"
    assert hostile_dump("requests")["status"] == "ok"
    clean = {
        r["attr"]: r
        for r in run_dump(
            nix,
            Path(hostile_dump.result.header["nixpkgs"]),
            sets=["python313Packages"],
            workers=1,
            attr_timeout=5,
            max_memory_mb=600,
        ).records
    }
    assert {r["attr"] for r in result.records} == set(clean)
