"""The natives' Nix expression, evaluated by the real Nix on the fixture: it
yields exactly the native inputs the index lists, per input list."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from indexer.query.index import Index

from .conftest import FIXTURE, copy_fixture, nix_eval_json

# Real Nix evaluates the expressions the index writes.
pytestmark = pytest.mark.usefixtures("nix")


def names_per_list(expression: str, tree: Path = FIXTURE) -> dict[str, list[str]]:
    result: dict[str, list[str]] = nix_eval_json(
        f"builtins.mapAttrs (_: map (d: d.name)) (({expression}) (import <nixpkgs> {{ }}))", tree
    )
    return {key: names for key, names in result.items() if names}


@pytest.mark.parametrize(
    ("requirement", "python", "natives"),
    [
        ("pyyaml", "3.13", {"buildInputs": ["libyaml-0.2.5"]}),
        (
            "cryptography",
            "3.13",
            {
                "nativeBuildInputs": ["pkg-config-0.29.2", "rustc-1.83.0", "cargo-1.83.0"],
                "buildInputs": ["openssl-3.3.2"],
            },
        ),
        (
            "cffi",
            "3.12",
            {"nativeBuildInputs": ["pkg-config-0.29.2"], "buildInputs": ["libffi-3.4.6"]},
        ),
        (
            "numpy",
            "3.13",
            {"nativeBuildInputs": ["gfortran-13.3.0"], "buildInputs": ["blas-3", "lapack-3"]},
        ),
        ("h5py", "3.13", {"buildInputs": ["hdf5-1.14.5"]}),
        ("torch", "3.13", {"nativeBuildInputs": ["cmake-3.30.5"], "buildInputs": ["blas-3"]}),
        ("requests", "3.13", {}),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_the_expression_yields_the_indexed_natives(
    fixture_index: Path, requirement: str, python: str, natives: dict[str, list[str]]
) -> None:
    with Index.open(fixture_index) as index:
        (candidate, *_) = index.candidates(requirement, python=python)
    indexed: dict[str, list[str]] = {}
    for n in candidate.natives:
        indexed.setdefault(n.list_key, []).append(n.name)
    assert indexed == natives
    assert names_per_list(candidate.natives_nix) == natives


def test_variants_get_their_own_natives(fixture_index: Path) -> None:
    with Index.open(fixture_index) as index:
        mpi = next(c for c in index.candidates("h5py") if c.attr == "h5py-mpi")
    assert names_per_list(mpi.natives_nix) == {"buildInputs": ["hdf5-mpi-1.14.5"]}


def test_a_package_not_built_by_build_python_package_uses_the_derivation(
    fixture_index: Path,
) -> None:
    with Index.open(fixture_index) as index:
        (opencv,) = index.candidates("opencv-python", python="3.13")
    assert "overridePythonAttrs" not in opencv.natives_nix
    assert names_per_list(opencv.natives_nix) == {
        "nativeBuildInputs": ["cmake-3.30.5", "pkg-config-0.29.2"],
        "buildInputs": ["zlib-1.3.1"],
    }


def test_another_nixpkgs_fails_loudly_instead_of_splicing_the_wrong_input(
    fixture_index: Path, tmp_path: Path
) -> None:
    with Index.open(fixture_index) as index:
        (pyyaml,) = index.candidates("pyyaml", python="3.13")
    tree = copy_fixture(tmp_path)
    module = tree / "pkgs/development/python-modules/pyyaml/default.nix"
    source = module.read_text()
    module.write_text(source.replace("buildInputs = [ libyaml ]", "buildInputs = [ cython ]"))
    assert module.read_text() != source
    with pytest.raises(subprocess.CalledProcessError) as failure:
        names_per_list(pyyaml.natives_nix, tree)
    assert (
        "buildInputs #0 of python313Packages.pyyaml is python3.13-cython-3.0.11, "
        "the index says libyaml-0.2.5" in failure.value.stderr
    )
