"""Overrides for pyproject.nix's package scope (uv2nix), as a Nix file.

`export --format pyproject-nix -o overrides.nix` writes a function of the
user's nixpkgs that returns an overlay for a pyproject.nix package scope
(attributes named by PEP 503 name, each a derivation with `overrideAttrs`):

    pythonSet = pythonBase.overrideScope (lib.composeManyExtensions [
      pyproject-build-systems.overlays.default
      (workspace.mkPyprojectOverlay { sourcePreference = "sdist"; })
      (import ./overrides.nix { inherit pkgs; })
    ]);

For every project the set builds whose name is certain enough (confidence
`verified` or `declared`), the overlay adds to the scope's derivation of
the same name what it lacks (by name: each input once; a derivation with
nothing new is left as it is):

- to an sdist build, the native inputs, per input list, picked from the
  same nixpkgs and checked by name (the picking of `candidates --nix`,
  `nativeexpr.py`), so another nixpkgs fails loudly instead of splicing a
  wrong input; and the build systems nixpkgs declares, from the user's own
  scope, through its `resolveBuildSystem` (each with its own build
  dependencies, as pyproject.nix resolves them), only those the scope has;
- to a wheel install, only the natives its binaries load (`buildInputs`,
  `propagatedBuildInputs`): nothing to build with. A wheel is told as
  pyproject.nix's builders tell it: uv2nix's `passthru.format`, else a
  `*.whl` source;
- with `prebuilt`, where the scope's version is nixpkgs' version, nixpkgs'
  own package instead, through pyproject.nix's `hacks.nixpkgsPrebuilt`
  (the file then takes `{ pkgs, hacks }`).

Projects the scope does not have are left alone (`intersectAttrs`); given
`locked` (the lock's overlay, or its names), so are the scope's projects
the lock did not put there (the build systems' own layer).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from indexer.nixexpr import attr_path, nix_string
from indexer.query.nativeexpr import (
    NATIVE_LISTS,
    NativeInput,
    declared_args_function,
    pick_calls,
    picking_lines,
)
from mapping.attributes import attribute_kind, candidate_rank
from mapping.status import is_marked_unusable

if TYPE_CHECKING:
    from indexer.query.index import Index
    from indexer.query.rows import OverlayInput, OverlayPackage

# Names certain enough to override a user's package by: on PyPI evidence, or
# declared (fetchPypi's pname, a curated override). Inferred names are
# wrong about one time in ten.
CONFIDENT = ("verified", "declared")


@dataclass(frozen=True)
class OverlayProject:
    """One project of the overlay: the attribute its natives and build
    systems come from, and every attribute that could stand in prebuilt."""

    pypi_name: str
    attr: str
    declared: bool
    natives: tuple[NativeInput, ...]
    build_systems: tuple[str, ...]
    prebuilt: tuple[tuple[str, tuple[str, ...]], ...]  # (attr, versions it matches)


@dataclass(frozen=True)
class Overlay:
    set_name: str
    python: str
    rev: str
    projects: tuple[OverlayProject, ...]
    left_out: dict[str, int]  # reason -> projects


def overlay_projects(index: Index, rev: str | None = None, python: str | None = None) -> Overlay:
    """The projects of the interpreter's set the overlay overrides."""
    revision = index.revision(rev)
    package_set = index.package_set(revision.id, python)
    inputs: dict[int, list[OverlayInput]] = {}
    for i in index.overlay_inputs(revision.id, package_set.name):
        inputs.setdefault(i.package_id, []).append(i)
    by_name: dict[str, list[OverlayPackage]] = {}
    for p in index.overlay_packages(revision.id, package_set.name):
        by_name.setdefault(p.pypi_name, []).append(p)
    projects: list[OverlayProject] = []
    left_out: dict[str, int] = {}
    for name, packages in by_name.items():
        usable = [
            p for p in packages if p.python_module and not is_marked_unusable(p.broken, p.available)
        ]
        confident = [p for p in usable if p.confidence in CONFIDENT]
        reason = (
            "not a usable module" if not usable else "name not certain" if not confident else ""
        )
        if reason:
            left_out[reason] = left_out.get(reason, 0) + 1
            continue
        confident.sort(
            key=lambda p: candidate_rank(
                p.attr, attribute_kind(p.attr, name), p.version, broken=False, disabled=False
            )
        )
        best = confident[0]
        own = inputs.get(best.id, [])
        natives = tuple(
            NativeInput(i.list_key, i.position, i.name, i.pname, i.version)
            for i in own
            if i.native and i.list_key in NATIVE_LISTS
        )
        # Not the project itself (flit-core builds itself): that is a cycle in the scope.
        build_systems = tuple(
            dict.fromkeys(
                i.pypi_name
                for i in own
                if i.list_key == "build-system" and i.pypi_name and i.pypi_name != name
            )
        )
        projects.append(
            OverlayProject(
                pypi_name=name,
                attr=best.attr,
                declared=best.inputs_from == "declared",
                natives=natives,
                build_systems=build_systems,
                prebuilt=tuple(
                    (p.attr, _spellings(p.version, p.version_normalized))
                    for p in confident
                    if p.version
                ),
            )
        )
    return Overlay(
        set_name=package_set.name,
        python=package_set.python_version or package_set.name,
        rev=revision.rev,
        projects=tuple(projects),
        left_out=left_out,
    )


def _spellings(version: str, normalized: str | None) -> tuple[str, ...]:
    """The version strings a locked version may be written as: nixpkgs'
    spelling and its PEP 440 normal form (uv writes the latter)."""
    return tuple(dict.fromkeys(v for v in (version, normalized) if v))


def overlay_for(overlay: Overlay, names: Collection[str]) -> Overlay:
    """The overlay of the projects `names` (canonical PyPI names) alone:
    `provide --nix`, for the packages of one lock."""
    wanted = set(names)
    return replace(overlay, projects=tuple(p for p in overlay.projects if p.pypi_name in wanted))


def overlay_nix(overlay: Overlay, prebuilt: bool = False) -> str:
    """The overlay as a Nix file (see the module's documentation)."""
    s = overlay.set_name
    # A project with nothing to add is only written to stand in prebuilt.
    projects = [p for p in overlay.projects if prebuilt or p.natives or p.build_systems]
    head = [
        f"# Generated by nixpkgs-pyindex from {s} (Python {overlay.python}) of revision"
        f" {overlay.rev}: {len(projects)} projects.",
        "# Overrides for a pyproject.nix package scope; call it with the same nixpkgs.",
        "# `locked`: the overlay that puts the lock's projects in the scope (uv2nix's",
        "# workspace.mkPyprojectOverlay { ... }) or their names; only those are touched.",
        "{ pkgs, hacks ? null, locked ? null }:" if prebuilt else "{ pkgs, locked ? null, ... }:",
        "let",
        f"  set = pkgs.{attr_path([s])};",
        "  declaredArgs =",
        "    " + declared_args_function().replace("\n", "\n    ") + ";",
        *("  " + line for line in picking_lines(what="${what}", parameters="what: from: ")),
        *("  " + line for line in _SCOPE_LINES),
        "in",
        "final: prev:",
        "let",
        *("  " + line for line in _OVERLAY_LINES),
    ]
    if prebuilt:
        head += [
            "  # nixpkgs' own build where the scope's version is nixpkgs' version.",
            "  prebuiltOr = name: choices: built:",
            "    let",
            "      same = builtins.filter (c: builtins.elem prev.${name}.version c.versions) choices;",
            "    in",
            "    if same == [ ] then built",
            "    else if hacks == null then",
            "      throw \"nixpkgs-pyindex: ${name}: prebuilt overrides need pyproject.nix's hacks:"
            ' import ./overrides.nix { inherit pkgs hacks; }"',
            "    else hacks.nixpkgsPrebuilt { from = (builtins.head same).from; prev = prev.${name}; };",
        ]
    body = [
        "in",
        "builtins.intersectAttrs touched {",
        *(line for p in projects for line in _project_lines(s, p, prebuilt)),
        "}",
    ]
    return "\n".join(head + body) + "\n"


# Bindings that need neither the scope nor the project (Nix 2.8 builtins only).
_SCOPE_LINES = (
    "# A wheel is installed, not built: uv2nix says which in passthru.format,",
    "# a pyproject.nix package by its source (pyprojectWheelHook installs a *.whl).",
    "isWheel = drv:",
    "  let",
    "    format = drv.passthru.format or null;",
    "    src = drv.src or null;",
    '    file = if src == null then "" else if builtins.isAttrs src then src.name or ""',
    "      else baseNameOf (toString src);",
    "  in",
    '  if format != null then format == "wheel" else builtins.match ".*\\\\.whl" file != null;',
    "# What a wheel's binaries load: the host's libraries, not what builds them.",
    'wheelLists = [ "buildInputs" "propagatedBuildInputs" ];',
    "# Check inputs are not attributes of a derivation: they never decide whether",
    "# a project is overridden, only ride along when it is.",
    'checkLists = [ "nativeCheckInputs" "checkInputs" ];',
    "nameOf = d: if builtins.isAttrs d then d.name or null else null;",
    "# `added` less what `have` has (by name) and less repeats; unnamed inputs kept.",
    "fresh = have: added:",
    "  let",
    "    step = acc: d:",
    "      let n = nameOf d; in",
    "      if d == null || (n != null && builtins.elem n acc.names) then acc",
    "      else { names = acc.names ++ [ n ]; list = acc.list ++ [ d ]; };",
    "  in",
    "  (builtins.foldl' step { names = map nameOf have; list = [ ]; } added).list;",
)

# Bindings of the overlay itself (`final`, `prev`, `locked` in scope).
_OVERLAY_LINES = (
    "# The projects to touch: the scope's, or the lock's alone (not the",
    "# build systems' own, which their overlay has set up).",
    "touched =",
    "  if locked == null then prev",
    "  else if builtins.isList locked then",
    "    builtins.listToAttrs (map (name: { inherit name; value = null; }) locked)",
    "  else locked final prev;",
    "# Build systems with their own build dependencies, as pyproject.nix resolves",
    "# them (`resolveBuildSystem`); one by one in a scope without it.",
    "buildSystems = names:",
    "  let present = builtins.filter (n: final ? ${n}) names; in",
    "  if present == [ ] then [ ]",
    "  else if final ? resolveBuildSystem then",
    "    final.resolveBuildSystem",
    "      (builtins.listToAttrs (map (name: { inherit name; value = [ ]; }) present))",
    "  else map (n: final.${n}) present;",
    "# Appends what the derivation lacks: to a wheel the natives its binaries",
    "# load, to an sdist build all natives and the build systems. A project with",
    "# nothing new is the scope's derivation itself.",
    "override = name: natives: systems:",
    "  let",
    "    drv = prev.${name};",
    "    wheel = isWheel drv;",
    "    wanted =",
    "      if wheel then",
    "        builtins.removeAttrs natives (builtins.filter",
    "          (key: !(builtins.elem key wheelLists)) (builtins.attrNames natives))",
    "      else natives // {",
    "        nativeBuildInputs = (natives.nativeBuildInputs or [ ]) ++ buildSystems systems;",
    "      };",
    "    new = builtins.filter",
    "      (key: !(builtins.elem key checkLists) && fresh (drv.${key} or [ ]) wanted.${key} != [ ])",
    "      (builtins.attrNames wanted);",
    "  in",
    "  if new == [ ] then drv",
    "  else drv.overrideAttrs (old:",
    "    builtins.mapAttrs",
    "      (key: added: (old.${key} or [ ]) ++ fresh (old.${key} or [ ]) added) wanted);",
)


def _project_lines(set_name: str, p: OverlayProject, prebuilt: bool) -> Iterable[str]:
    drv = "set." + attr_path([p.attr])
    source = f"(declaredArgs {drv})" if p.declared else drv
    what = nix_string(attr_path([set_name, p.attr]))
    by_list: dict[str, list[NativeInput]] = {}
    for n in p.natives:
        by_list.setdefault(n.list_key, []).append(n)
    natives = " ".join(
        f"{attr_path([key])} = [ {pick_calls(items, 'p')} ];" for key, items in by_list.items()
    )
    systems = " ".join(nix_string(n) for n in p.build_systems)
    built = (
        "prev." + attr_path([p.pypi_name])
        if not (natives or systems)
        else (
            f"override {nix_string(p.pypi_name)}"
            + (f" (let p = pick {what} {source}; in {{ {natives} }})" if natives else " { }")
            + (f" [ {systems} ]" if systems else " [ ]")
        )
    )
    name = attr_path([p.pypi_name])
    if not prebuilt:
        yield f"  {name} = {built};"
        return
    choices = " ".join(
        f"{{ from = set.{attr_path([attr])}; versions = [ {' '.join(map(nix_string, versions))} ]; }}"
        for attr, versions in p.prebuilt
    )
    yield f"  {name} = prebuiltOr {nix_string(p.pypi_name)} [ {choices} ]"
    yield f"    ({built});"
