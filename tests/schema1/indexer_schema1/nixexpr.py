"""Nix syntax written from Python: string literals and attribute paths.

Pure; used by the dump (set and attribute names in `nix repl` commands) and
by the resolver API (the natives' expression, the audit's alias lines).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_'-]*$")


def nix_string(text: str) -> str:
    """A Nix string literal for `text`."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("${", "\\${")
    escaped = escaped.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")
    return f'"{escaped}"'


def attr_path(parts: Sequence[str]) -> str:
    """`python313Packages.pyyaml`, quoting what is not a plain identifier."""
    return ".".join(p if _IDENTIFIER.match(p) else nix_string(p) for p in parts)
