"""Inputs: a record's input lists, each input told Python module or native.

Three kinds of derivation are neither a PyPI project nor a native library a
resolver should inherit, and are flagged so resolvers can drop them:

- the interpreter (``python3-3.13.1``, ``python-2.7.14-env``): the dump marks
  it a Python module, but it is not on PyPI, and every package has it;
  ``python=False``, ``is_interpreter=True``;
- setup hooks (``pytest-check-hook``, ``wrap-python-hook``, today's
  ``cargo-setup-hook.sh``, old trees' ``hook``; ``mapping.modules``): build
  machinery; ``python=False``, ``is_hook=True``;

``ClassifiedInput.native`` is what remains: a non-Python dependency to inherit.
Inputs that are not derivations (``{"type": "path"}``, ``{"error": true}``)
have no name and are left out.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Literal

from mapping.modules import Moduleness, moduleness
from mapping.names import (
    canonical_name,
    drv_project_name,
    is_interpreter_name,
    strip_version_suffix,
)

__all__ = [
    "INPUT_KINDS",
    "ClassifiedInput",
    "InputKind",
    "classify_inputs",
    "input_kind",
]

InputKind = Literal[
    "build",
    "native-build",
    "propagated",
    "propagated-native",
    "dependencies",
    "build-system",
    "optional",
    "check",
    "native-check",
    "install-check",
    "native-install-check",
    "python-path",
]

# Dump list key → kind. `dependencies` and `build-system` are buildPythonPackage's
# declared lists, not yet merged into propagatedBuildInputs/nativeBuildInputs;
# `pythonPath` is old trees' runtime list.
INPUT_KINDS: Mapping[str, InputKind] = {
    "buildInputs": "build",
    "nativeBuildInputs": "native-build",
    "propagatedBuildInputs": "propagated",
    "propagatedNativeBuildInputs": "propagated-native",
    "dependencies": "dependencies",
    "build-system": "build-system",
    "optional-dependencies": "optional",
    "checkInputs": "check",
    "nativeCheckInputs": "native-check",
    "installCheckInputs": "install-check",
    "nativeInstallCheckInputs": "native-install-check",
    "pythonPath": "python-path",
}


# An empty, read-only default for the lookup parameters.
_NO_LOOKUP: Mapping[str, str | None] = MappingProxyType({})


def input_kind(list_key: str) -> InputKind:
    """The kind of a dump input list; ``ValueError`` for a key the schema lacks."""
    try:
        return INPUT_KINDS[list_key]
    except KeyError:
        raise ValueError(f"unknown input list {list_key!r}") from None


@dataclass(frozen=True, slots=True)
class ClassifiedInput:
    """One input derivation of one list.

    ``python`` is true for a Python module that maps to PyPI; its
    ``pypi_name`` is canonical (None for everything else, and for a module
    the lookup says is not on PyPI). ``extra`` names the optional-dependencies
    group.
    """

    list_key: str
    kind: InputKind
    extra: str | None
    name: str
    pname: str | None
    version: str | None
    python: bool
    pypi_name: str | None
    is_interpreter: bool = False
    is_hook: bool = False
    # Index in its dump list (non-derivation entries count, nulls do not):
    # where to find the input again in the same nixpkgs.
    position: int = 0

    @property
    def native(self) -> bool:
        """A non-Python dependency a resolver should inherit."""
        return not (self.python or self.is_interpreter or self.is_hook)


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _moduleness(item: Mapping[str, Any], name: str) -> Moduleness:
    # The dump has decided with the tree-wide rule (mapping.modules); an
    # input without the flag falls back on its name, and a hook is a hook
    # even in a dump that took it for a module by its name (schema 1).
    flag = item.get("python_module")
    return moduleness(
        name,
        flag if isinstance(flag, bool) else None,
        provides_setup_hook=item.get("setup_hook") is True,
        tree_has_python_module=False,
    )


def classify_input(
    list_key: str,
    item: Mapping[str, Any],
    pypi_name_by_drv_name: Mapping[str, str | None] = _NO_LOOKUP,
    extra: str | None = None,
    position: int = 0,
) -> ClassifiedInput | None:
    """One input classified; None when it is not a derivation (it has no name)."""
    name = _text(item.get("name"))
    if name is None:
        return None
    kind = input_kind(list_key)
    pname, version = _text(item.get("pname")), _text(item.get("version"))
    decided = _moduleness(item, name)
    python = decided.python_module
    interpreter = is_interpreter_name(name, pname)
    hook = decided.setup_hook and not interpreter
    pypi_name: str | None = None
    if python and not interpreter:
        if name in pypi_name_by_drv_name:
            pypi_name = pypi_name_by_drv_name[name]
        else:
            project = (
                strip_version_suffix(pname, version)
                if pname is not None
                else drv_project_name(name, version)
            )
            pypi_name = canonical_name(project)
    return ClassifiedInput(
        list_key=list_key,
        kind=kind,
        extra=extra,
        name=name,
        pname=pname,
        version=version,
        python=python and not interpreter,
        pypi_name=pypi_name,
        is_interpreter=interpreter,
        is_hook=hook,
        position=position,
    )


def _items(list_key: str, value: object) -> Iterator[tuple[str | None, int, Mapping[str, Any]]]:
    # (extra, position, item); a list that threw while dumping is null: nothing to read.
    if value is None:
        return
    if list_key == "optional-dependencies":
        if not isinstance(value, Mapping):
            raise ValueError(f"input list {list_key!r} must be an object of lists")
        for extra, items in value.items():
            for position, item in _list(f"{list_key}.{extra}", items):
                yield str(extra), position, item
        return
    for position, item in _list(list_key, value):
        yield None, position, item


def _list(where: str, value: object) -> Iterator[tuple[int, Mapping[str, Any]]]:
    if value is None:
        return
    if not isinstance(value, Sequence) or isinstance(value, str):
        raise ValueError(f"input list {where!r} must be a list")
    for position, item in enumerate(value):
        if isinstance(item, Mapping):
            yield position, item


def classify_inputs(
    inputs: Mapping[str, Any],
    pypi_name_by_drv_name: Mapping[str, str | None] = _NO_LOOKUP,
) -> list[ClassifiedInput]:
    """Every input derivation of a record's ``inputs``, in dump order.

    ``pypi_name_by_drv_name`` (see ``identity.pypi_names_by_drv_name``) maps
    drv names of the same dump to canonical PyPI names, None meaning "not on
    PyPI"; a module it lacks falls back to its pname, else its parsed name.
    Raises ``ValueError`` for an input list the schema does not know.
    """
    classified: list[ClassifiedInput] = []
    for list_key, value in inputs.items():
        input_kind(list_key)  # an unknown list fails even when empty
        for extra, position, item in _items(list_key, value):
            result = classify_input(list_key, item, pypi_name_by_drv_name, extra, position)
            if result is not None:
                classified.append(result)
    return classified
