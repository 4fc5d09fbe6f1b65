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
from indexer.store.ingest import RevisionInfo, dump_lines, ingest

from .conftest import FIXTURE, copy_fixture, nix_eval_json, once_per_nix
from .helpers import edited

# A model of a pyproject.nix scope as uv2nix and build-system-pkgs compose
# it: `makeScope` with pyproject.nix's `resolveBuildSystem` (a build system
# with the closure of its `passthru.dependencies`), then `overrideScope`
# with the build systems' layer, the lock's layer and the overlay. Each
# member has the pyproject hook (pyprojectWheelHook is named the same); a
# wheel is told as uv2nix tells it (passthru.format = "wheel") or as a
# hand-written pyproject.nix package does (a *.whl source).
SCOPE_NIX = """\
{ pkgs, overrides, locked, wheels, resolver ? true, onlyLocked ? false }:
let
  inherit (pkgs) lib;
  hook = pkgs.stdenv.mkDerivation { name = "pyproject-hook"; };
  package = final: pname: version: extra: pkgs.stdenv.mkDerivation ({
    inherit pname version;
    src = "/src/${pname}-${version}" + (if wheels.${pname} or null == "source" then
      "-cp313-cp313-manylinux_2_17_x86_64.whl" else if wheels ? ${pname} then "" else ".tar.gz");
    nativeBuildInputs = [ hook ];
    passthru = {
      dependencies = BUILD_SYSTEM_DEPENDENCIES.${pname} or { };
    } // lib.optionalAttrs (wheels.${pname} or null == "format") { format = "wheel"; }
      // lib.optionalAttrs (!(wheels ? ${pname})) { format = "pyproject"; };
  } // extra);
  base = final: lib.optionalAttrs resolver {
    resolveBuildSystem = spec: map (e: final.${e.key}) (builtins.genericClosure {
      startSet = map (key: { inherit key; }) (builtins.attrNames spec);
      operator = e: map (key: { inherit key; }) (builtins.attrNames final.${e.key}.passthru.dependencies);
    });
  };
  # The build systems' own layer: each already built with its build systems
  # (hatchling) and a native (cffi's libffi), as build-system-pkgs does.
  buildSystemsLayer = final: prev: builtins.mapAttrs (pname: version: package final pname version (
    lib.optionalAttrs (pname == "cffi") { buildInputs = [ pkgs.libffi ]; }
    // lib.optionalAttrs (pname == "pygments") {
      nativeBuildInputs = [ hook ] ++ (if resolver then final.resolveBuildSystem { hatchling = [ ]; }
        else [ final.hatchling ]);
    })) BUILD_SYSTEMS;
  lockLayer = final: prev: builtins.mapAttrs (pname: version: package final pname version { }) locked;
  overlay = (if builtins.isFunction overrides then overrides else import overrides) ({ inherit pkgs; hacks = HACKS; }
    // lib.optionalAttrs onlyLocked { locked = lockLayer; });
in
(lib.makeScope pkgs.newScope base).overrideScope
  (lib.composeManyExtensions [ buildSystemsLayer lockLayer overlay ])
"""

# The build-system packages' own dependencies (their passthru.dependencies).
BUILD_SYSTEM_DEPENDENCIES = {
    "hatchling": {"packaging": [], "pathspec": [], "pluggy": []},
    "setuptools-scm": {"packaging": [], "setuptools": []},
}
# What the build systems' layer puts in the scope before the lock.
BUILD_SYSTEMS = {
    "hatchling": "1.27.0",
    "packaging": "24.2",
    "pathspec": "0.12.1",
    "pluggy": "1.5.0",
    "setuptools-scm": "8.1.0",
    "flit-core": "3.10.1",
    "cffi": "1.17.1",
    "pygments": "2.18.0",
}

# The user's lock: some projects at nixpkgs' versions, some not, a project
# nixpkgs does not have; setuptools and cython locked, so they are the lock's.
LOCKED = {
    "pyyaml": "6.0.2",
    "cryptography": "43.0.0",
    "numpy": "2.2.1",
    "attrs": "24.3.0",
    "requests": "2.32.3",
    "django": "4.2.17",
    "setuptools": "80.0.0",
    "cython": "3.1.0",
    "pytest": "8.3.4",
    "urllib3": "2.3.0",
    "my-app": "0.1.0",
}
# Wheels, by how the scope says so; every other project is an sdist.
WHEELS = {"numpy": "format", "cryptography": "source", "pyzmq": "format"}

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


def scope_nix(tmp_path: Path) -> Path:
    scope = tmp_path / "scope.nix"
    text = SCOPE_NIX.replace("HACKS", HACKS)
    text = text.replace(
        "BUILD_SYSTEM_DEPENDENCIES", f"(builtins.fromJSON {_json(BUILD_SYSTEM_DEPENDENCIES)})"
    )
    scope.write_text(text.replace("BUILD_SYSTEMS", f"(builtins.fromJSON {_json(BUILD_SYSTEMS)})"))
    return scope


def _json(value: Any) -> str:
    return json.dumps(json.dumps(value))


def scope_inputs(
    tmp_path: Path,
    overrides: Path,
    tree: Path = FIXTURE,
    project: str | None = None,
    wheels: dict[str, str] | None = None,
    **options: bool,
) -> Any:
    """Each scope member's name and inputs, by list, as input names, and
    whether it is the derivation the layers below the overlay made (`same`:
    nothing changed, in it or in its inputs)."""
    flags = " ".join(f"{k} = {'true' if v else 'false'};" for k, v in options.items())
    members = f"[ {json.dumps(project)} ]" if project else "(builtins.attrNames packages)"
    return nix_eval_json(
        "let\n"
        "  pkgs = import <nixpkgs> { };\n"
        f"  arguments = {{ inherit pkgs; overrides = {overrides}; {flags}\n"
        f"    locked = builtins.fromJSON {_json(LOCKED)};\n"
        f"    wheels = builtins.fromJSON {_json(WHEELS if wheels is None else wheels)}; }};\n"
        f"  scope = import {scope_nix(tmp_path)} arguments;\n"
        f"  without = import {scope_nix(tmp_path)} (arguments // {{ overrides = {{ ... }}: _: _: {{ }}; }});\n"
        "  packages = builtins.intersectAttrs (builtins.fromJSON "
        f"{_json(dict.fromkeys([*LOCKED, *BUILD_SYSTEMS]))}) scope;\n"
        "  names = map (d: d.name);\n"
        "in builtins.listToAttrs (map (n: { name = n; value = let d = scope.${n}; in {\n"
        "  inherit (d) name;\n"
        "  nativeBuildInputs = names (d.nativeBuildInputs or [ ]);\n"
        "  buildInputs = names (d.buildInputs or [ ]);\n"
        "  same = d.drvPath == without.${n}.drvPath;\n"
        "}; }) " + members + ")",
        tree,
    )


@pytest.fixture
def overridden(nix: Nix, fixture_index: Path, tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The scope overridden, each way, evaluated once per evaluator."""

    def evaluate() -> Any:
        tmp = tmp_path_factory.mktemp("overlay")
        overrides = export_overlay(fixture_index, tmp / "overrides.nix")
        return {way: scope_inputs(tmp, overrides, **options) for way, options in WAYS.items()}

    return once_per_nix(nix, "overlay-scope", evaluate)


# How the overlay is composed: as documented (`locked`: only the lock's
# projects), over every project of the scope, in a scope without resolveBuildSystem.
WAYS: dict[str, dict[str, bool]] = {
    "locked": {"onlyLocked": True},
    "whole scope": {},
    "no resolver": {"resolver": False},
}
HATCHLING = ["hatchling-1.27.0", "packaging-24.2", "pathspec-0.12.1", "pluggy-1.5.0"]
SETUPTOOLS_SCM = ["setuptools-scm-8.1.0", "packaging-24.2"]


@pytest.mark.parametrize(
    ("way", "project", "native_build_inputs", "build_inputs"),
    [
        # sdists: natives from nixpkgs, build systems from the scope (its
        # versions) with their own dependencies, as resolveBuildSystem gives them
        ("locked", "pyyaml", ["cython-3.1.0", "setuptools-80.0.0"], ["libyaml-0.2.5"]),
        ("locked", "attrs", HATCHLING, []),
        ("locked", "urllib3", HATCHLING, []),
        ("locked", "pytest", ["setuptools-80.0.0", *SETUPTOOLS_SCM], []),
        ("locked", "requests", ["setuptools-80.0.0"], []),
        # without resolveBuildSystem: the build systems alone
        ("no resolver", "attrs", ["hatchling-1.27.0"], []),
        ("no resolver", "pytest", ["setuptools-80.0.0", "setuptools-scm-8.1.0"], []),
        # wheels (told by passthru.format, by a *.whl source): the libraries
        # their binaries load, nothing to build with (rustc, gfortran, cython …)
        ("locked", "cryptography", [], ["openssl-3.3.2"]),
        ("locked", "numpy", [], ["blas-3", "lapack-3"]),
        # not in nixpkgs: untouched; a build system does not build itself
        ("locked", "my-app", [], []),
        ("locked", "setuptools", [], []),
        # the build systems' own layer, only when asked to touch it: each
        # input once (cffi has libffi, pygments hatchling, already)
        ("locked", "cffi", [], ["libffi-3.4.6"]),
        ("locked", "packaging", [], []),
        ("whole scope", "cffi", ["pkg-config-0.29.2", "setuptools-80.0.0"], ["libffi-3.4.6"]),
        ("whole scope", "pygments", HATCHLING, []),
        ("whole scope", "packaging", ["flit-core-3.10.1"], []),
    ],
)
def test_the_overlay_adds_what_an_sdist_build_or_a_wheel_install_needs(
    overridden: Any,
    way: str,
    project: str,
    native_build_inputs: list[str],
    build_inputs: list[str],
) -> None:
    member = overridden[way][project]
    assert member["name"] == f"{project}-{LOCKED.get(project) or BUILD_SYSTEMS[project]}"
    # The scope's own inputs stay, first.
    assert member["nativeBuildInputs"] == ["pyproject-hook", *native_build_inputs]
    assert member["buildInputs"] == build_inputs


@pytest.mark.parametrize("way", WAYS)
def test_the_overlay_adds_no_project_to_the_scope(overridden: Any, way: str) -> None:
    # h5py, pyzmq … are in nixpkgs and the overlay, not in the scope.
    assert sorted(overridden[way]) == sorted({*LOCKED, *BUILD_SYSTEMS})


@pytest.mark.parametrize(
    ("way", "same"),
    [
        # the lock's projects with nothing to add, and every build system's own
        ("locked", ["cffi", "flit-core", "hatchling", "my-app", "packaging", "pathspec",
                    "pluggy", "pygments", "setuptools", "setuptools-scm"]),
        # a build system with nothing new is the layer's own derivation
        ("whole scope", ["flit-core", "hatchling", "my-app", "setuptools"]),
    ],
)  # fmt: skip
def test_a_project_with_nothing_new_is_the_scopes_own_derivation(
    overridden: Any, way: str, same: list[str]
) -> None:
    assert sorted(n for n, m in overridden[way].items() if m["same"]) == same


@pytest.mark.parametrize("way", WAYS)
def test_each_input_appears_once(overridden: Any, way: str) -> None:
    for member in overridden[way].values():
        for inputs in (member["nativeBuildInputs"], member["buildInputs"]):
            assert len(set(inputs)) == len(inputs), member


@pytest.mark.parametrize(
    ("project", "name"),
    [
        ("pyyaml", "prebuilt-python3.13-pyyaml-6.0.2"),  # nixpkgs' version
        ("django", "prebuilt-python3.13-django-4.2.17"),  # django_4's version
        ("cryptography", "cryptography-43.0.0"),  # nixpkgs has 44.0.0: built, with natives
        ("my-app", "my-app-0.1.0"),
        ("hatchling", "hatchling-1.27.0"),  # nixpkgs' version, but not the lock's project
    ],
)
def test_prebuilt_takes_nixpkgs_build_where_the_locked_version_is_nixpkgs(
    fixture_index: Path, tmp_path: Path, project: str, name: str
) -> None:
    overrides = export_overlay(fixture_index, tmp_path / "overrides.nix", "--prebuilt")
    member = scope_inputs(tmp_path, overrides, project=project, onlyLocked=True)[project]
    assert member["name"] == name


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


def test_a_project_that_builds_itself_is_not_its_own_build_system(
    fixture_lines: list[bytes], tmp_path: Path
) -> None:
    # flit-core builds flit-core: were it its own build system in the overlay,
    # resolveBuildSystem would put it in its own closure, a cycle in the scope.
    def builds_itself(record: dict[str, Any]) -> dict[str, Any]:
        if record["attr"] != "flit-core" or record["status"] != "ok":
            return record
        itself = {
            "name": record["name"],
            "pname": record["pname"],
            "version": record["version"],
            "python_module": True,
        }
        inputs = record["inputs"]
        return {**record, "inputs": {**inputs, "build-system": [itself]}}

    db = tmp_path / "index.sqlite"
    ingest(db, dump_lines(edited(fixture_lines, builds_itself)), RevisionInfo(rev="r"))
    with Index.open(db) as index:
        build_systems = {p.pypi_name: p.build_systems for p in overlay_projects(index).projects}
    assert build_systems["flit-core"] == ()
    assert build_systems["packaging"] == ("flit-core",)  # it still builds others
