"""`export --format pyproject-nix`: the overlay, applied by the real Nix to a
package scope built like pyproject.nix's (a fixed point of per-project
derivations) over the fixture nixpkgs."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from indexer.cli import main
from indexer.dump.evaluator import Nix
from indexer.query.index import Index
from indexer.query.overlay import overlay_projects

from .conftest import FIXTURE, copy_fixture, nix_eval_json, once_per_nix

# A pyproject.nix-like scope: one stdenv.mkDerivation per locked project
# (each with the pyproject hook, as pyproject.nix's builders give it), made
# a fixed point, extended by the overlay as `overrideScope` does.
SCOPE_NIX = """\
{ pkgs, overlay, locked }:
let
  hook = pkgs.stdenv.mkDerivation { name = "pyproject-hook"; };
  base = final: builtins.mapAttrs (pname: version: pkgs.stdenv.mkDerivation {
    inherit pname version;
    nativeBuildInputs = [ hook ];
  }) locked;
  extends = g: f: final: let prev = f final; in prev // g final prev;
  fix = f: let x = f x; in x;
in
fix (extends overlay base)
"""

# The user's lock: some projects at nixpkgs' versions, some not, build
# systems but hatchling, a project nixpkgs does not have.
LOCKED = {
    "pyyaml": "6.0.2",
    "cryptography": "43.0.0",
    "numpy": "2.2.1",
    "attrs": "24.3.0",
    "requests": "2.32.3",
    "django": "4.2.17",
    "setuptools": "80.0.0",
    "cython": "3.1.0",
    "my-app": "0.1.0",
}

# A stand-in for pyproject.nix's hacks: a derivation naming what it takes over.
HACKS = (
    "{ nixpkgsPrebuilt = { from, prev }: pkgs.stdenv.mkDerivation"
    ' { name = "prebuilt-${from.name}"; }; }'
)

pytestmark = pytest.mark.usefixtures("nix")


def export_overlay(index: Path, out: Path, *options: str) -> Path:
    result = CliRunner().invoke(
        main,
        ["export", "--db", str(index), "--format", "pyproject-nix", "-o", str(out), *options],
    )
    assert result.exit_code == 0, result.output
    return out


def scope_inputs(
    tmp_path: Path, overrides: Path, tree: Path = FIXTURE, project: str | None = None
) -> Any:
    """Each scope member's name and inputs, by list, as input names."""
    scope = tmp_path / "scope.nix"
    scope.write_text(SCOPE_NIX)
    members = f"{{ {project} = scope.{project}; }}" if project else "scope"
    return nix_eval_json(
        "let\n"
        "  pkgs = import <nixpkgs> { };\n"
        f"  hacks = {HACKS};\n"
        f"  overlay = import {overrides} {{ inherit pkgs hacks; }};\n"
        f"  scope = import {scope} {{ inherit pkgs overlay; locked = builtins.fromJSON"
        f" {json.dumps(json.dumps(LOCKED))}; }};\n"
        "  names = map (d: d.name);\n"
        "in builtins.mapAttrs (_: d: {\n"
        "  inherit (d) name;\n"
        "  nativeBuildInputs = names (d.nativeBuildInputs or [ ]);\n"
        "  buildInputs = names (d.buildInputs or [ ]);\n"
        "}) " + members,
        tree,
    )


@pytest.fixture
def overridden(nix: Nix, fixture_index: Path, tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The whole scope overridden, evaluated once per evaluator."""

    def evaluate() -> Any:
        tmp = tmp_path_factory.mktemp("overlay")
        return scope_inputs(tmp, export_overlay(fixture_index, tmp / "overrides.nix"))

    return once_per_nix(nix, "overlay-scope", evaluate)


@pytest.mark.parametrize(
    ("project", "native_build_inputs", "build_inputs"),
    [
        # natives from nixpkgs, build systems from the scope (its versions)
        ("pyyaml", ["cython-3.1.0", "setuptools-80.0.0"], ["libyaml-0.2.5"]),
        (
            "cryptography",
            ["pkg-config-0.29.2", "rustc-1.83.0", "cargo-1.83.0", "setuptools-80.0.0"],
            ["openssl-3.3.2"],
        ),
        ("numpy", ["gfortran-13.3.0", "cython-3.1.0"], ["blas-3", "lapack-3"]),
        ("requests", ["setuptools-80.0.0"], []),
        # hatchling is not in the scope: not added
        ("attrs", [], []),
        # not in nixpkgs: untouched
        ("my-app", [], []),
        # a build system does not build itself
        ("setuptools", [], []),
    ],
)
def test_the_overlay_adds_natives_and_the_scopes_build_systems(
    overridden: Any, project: str, native_build_inputs: list[str], build_inputs: list[str]
) -> None:
    member = overridden[project]
    assert member["name"] == f"{project}-{LOCKED[project]}"
    # The scope's own inputs stay, first.
    assert member["nativeBuildInputs"] == ["pyproject-hook", *native_build_inputs]
    assert member["buildInputs"] == build_inputs


def test_the_overlay_adds_no_project_to_the_scope(overridden: Any) -> None:
    # h5py, cffi … are in nixpkgs and the overlay, not in the lock.
    assert sorted(overridden) == sorted(LOCKED)


@pytest.mark.parametrize(
    ("project", "name"),
    [
        ("pyyaml", "prebuilt-python3.13-pyyaml-6.0.2"),  # nixpkgs' version
        ("django", "prebuilt-python3.13-django-4.2.17"),  # django_4's version
        ("cryptography", "cryptography-43.0.0"),  # nixpkgs has 44.0.0: built, with natives
        ("my-app", "my-app-0.1.0"),
    ],
)
def test_prebuilt_takes_nixpkgs_build_where_the_locked_version_is_nixpkgs(
    fixture_index: Path, tmp_path: Path, project: str, name: str
) -> None:
    overrides = export_overlay(fixture_index, tmp_path / "overrides.nix", "--prebuilt")
    assert scope_inputs(tmp_path, overrides, project=project)[project]["name"] == name


def test_another_nixpkgs_fails_loudly_instead_of_splicing_the_wrong_input(
    fixture_index: Path, tmp_path: Path
) -> None:
    overrides = export_overlay(fixture_index, tmp_path / "overrides.nix")
    tree = copy_fixture(tmp_path)
    module = tree / "pkgs/development/python-modules/pyyaml/default.nix"
    source = module.read_text()
    module.write_text(source.replace("buildInputs = [ libyaml ]", "buildInputs = [ cython ]"))
    assert module.read_text() != source
    # The unchanged projects still evaluate on that tree …
    assert scope_inputs(tmp_path, overrides, tree, "requests")["requests"]["buildInputs"] == []
    # … the changed one fails, naming the input.
    with pytest.raises(subprocess.CalledProcessError) as failure:
        scope_inputs(tmp_path, overrides, tree, "pyyaml")
    assert (
        "buildInputs #0 of python313Packages.pyyaml is python3.13-cython-3.0.11, "
        "the index says libyaml-0.2.5" in failure.value.stderr
    )


@pytest.mark.parametrize(
    ("project", "in_overlay"),
    [
        ("pyyaml", True),
        ("docopt", False),  # inferred name
        ("tinygrad", False),  # inferred name
        ("pyside2", False),  # broken
        ("httpie", False),  # an application
    ],
)
def test_only_usable_modules_whose_name_is_certain(
    fixture_index: Path, project: str, in_overlay: bool
) -> None:
    with Index.open(fixture_index) as index:
        overlay = overlay_projects(index)
    assert (project in {p.pypi_name for p in overlay.projects}) is in_overlay
    assert overlay.left_out == {"name not certain": 2, "not a usable module": 9}


def test_prebuilt_is_for_the_overlay_only(fixture_index: Path) -> None:
    result = CliRunner().invoke(
        main, ["export", "--db", str(fixture_index), "--format", "json", "--prebuilt"]
    )
    assert result.exit_code == 2
    assert "--prebuilt is for --format pyproject-nix" in result.output
