"""What a derivation is to a resolver: a Python module, a setup hook, or neither.

One rule for the dump (records and their inputs), the ingest and the
queries:

1. A setup hook is a hook, never a Python module and never a native input:
   today's ``makeSetupHook`` says so (``passthru.provides.setupHook``), and
   older trees' hooks are known by name (``mapping.names.is_setup_hook_name``).
2. Otherwise ``pythonModule`` decides, wherever the tree has that attribute:
   ``toPythonModule`` sets it (to the interpreter; ``false`` for
   applications), so a derivation without it, in a tree where others have
   it, is no Python module, whatever its name (``python3.13-…`` hooks).
3. Only in trees that lack ``pythonModule`` everywhere (nixpkgs before late
   2018) is a ``pythonX.Y-``/``pypyX.Y-`` name prefix the evidence.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from mapping.names import is_setup_hook_name, strip_interpreter_prefix

__all__ = ["ModuleEvidence", "Moduleness", "is_setup_hook", "moduleness"]

ModuleEvidence = Literal["setup-hook", "pythonModule", "name-prefix"]


@dataclass(frozen=True, slots=True)
class Moduleness:
    python_module: bool
    evidence: ModuleEvidence
    setup_hook: bool


def is_setup_hook(name: str, provides_setup_hook: bool = False) -> bool:
    """Rule 1: ``provides_setup_hook`` is ``passthru.provides.setupHook``."""
    return provides_setup_hook or is_setup_hook_name(name)


def moduleness(
    name: str,
    python_module: bool | None,
    *,
    provides_setup_hook: bool = False,
    tree_has_python_module: bool,
) -> Moduleness:
    """Whether the derivation ``name`` is a Python module, and why.

    ``python_module``: its ``pythonModule`` attribute (``!= false``), None
    when it has none; ``tree_has_python_module``: whether any derivation of
    the dumped tree has one.
    """
    if is_setup_hook(name, provides_setup_hook):
        return Moduleness(False, "setup-hook", True)
    if python_module is not None:
        return Moduleness(python_module, "pythonModule", False)
    if tree_has_python_module:
        return Moduleness(False, "pythonModule", False)
    return Moduleness(strip_interpreter_prefix(name) != name, "name-prefix", False)
