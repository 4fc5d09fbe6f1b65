"""Whether a package is usable: broken, available, disabled, left out.

The index stores what the dump says of one attribute (its status, the
`meta.broken` and `meta.available` flags as SQLite integers or NULL, the
kind of its evaluation error); these rules read a value off them, the same
for the resolver's candidates, the exports and the audit.
"""

from __future__ import annotations

from typing import Literal

__all__ = ["Exclusion", "exclusion", "is_available", "is_broken", "is_marked_unusable"]

# Why a resolver leaves a package out unless asked to include it.
Exclusion = Literal["broken", "disabled", "not-a-module"]


def is_broken(status: str, broken: int | None, error_kind: str | None) -> bool:
    """Marked broken, or refused by evaluation (a disabled package is not broken)."""
    return bool(broken) or (status == "error" and error_kind != "disabled")


def is_available(status: str, available: int | None) -> bool:
    """meta.available where the record has it, else whether it evaluated."""
    return bool(available) if available is not None else status == "ok"


def is_marked_unusable(broken: int | None, available: int | None) -> bool:
    """An evaluated package its meta marks broken, or not available here
    (a package whose record has no `available` is taken as available)."""
    return bool(broken) or available == 0


def exclusion(
    status: str,
    broken: int | None,
    available: int | None,
    error_kind: str | None,
    python_module: int | None,
    include_broken: bool = False,
    include_disabled: bool = False,
    include_non_modules: bool = False,
) -> Exclusion | None:
    """Why a resolver leaves the package out (None: it keeps it)."""
    if status == "error":
        if error_kind == "disabled":
            return None if include_disabled else "disabled"
        return None if include_broken else "broken"
    if is_marked_unusable(broken, available) and not include_broken:
        return "broken"
    if not python_module and not include_non_modules:
        return "not-a-module"
    return None
