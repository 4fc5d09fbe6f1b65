"""Which packages of a lock an install takes, for one interpreter and a choice of groups and extras.

Pure: a `Lock` (mapping/locks.py), the interpreter's PEP 508 marker
environment and a `Selection` in, one yes or no per locked package out.
Each format is read as its installer reads it:

- uv.lock, poetry.lock before 2.1: the dependency graph is walked from the
  roots (the workspace members, or the project), their chosen groups and
  extras; an edge is followed only when its marker holds. A package reached
  only through edges whose markers fail is not taken. uv's conflicting
  extras and groups are in its markers as the extras `extra-N-PACKAGE-NAME`
  and `group-N-PACKAGE-NAME` (N: the package name's length), active when
  chosen.
- poetry.lock 2.1: a package is taken when one of its groups is chosen
  (`main` always) and that group's marker holds (`extra` is the set of the
  chosen extras), as poetry's installer does.
- pylock.toml (PEP 751): a package is taken when its marker holds, with
  the `extras` and `dependency_groups` sets of the choice.
- requirements.txt: a package is taken when its marker holds.

The choice (`Selection`) is named as uv names it: `--group` adds a group to
the format's defaults (uv: `dev`; poetry: every group the lock names, as
poetry installs its non-optional groups; pylock: `default-groups`),
`--no-default-groups` drops the defaults, `--all-groups` takes them all;
`--extra` and `--all-extras` choose extras (none by default).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from packaging.markers import InvalidMarker, Marker, UndefinedComparison, UndefinedEnvironmentName

from mapping.locks import Edge, Lock, LockError, canonical

__all__ = ["Chosen", "Selection", "SelectionError", "choose", "excluded_python", "select"]


@dataclass(frozen=True)
class Selection:
    groups: tuple[str, ...] = ()
    all_groups: bool = False
    no_default_groups: bool = False
    extras: tuple[str, ...] = ()
    all_extras: bool = False


@dataclass(frozen=True)
class Chosen:
    groups: frozenset[str]
    extras: frozenset[str]


class SelectionError(ValueError):
    """A group or extra the lock does not have, or two that conflict."""


def choose(lock: Lock, selection: Selection) -> Chosen:
    """The groups and extras of `selection`, checked against the lock."""
    for kind, asked, known in (
        ("group", selection.groups, lock.groups),
        ("extra", selection.extras, lock.extras),
    ):
        for name in asked:
            if canonical(name) not in known:
                has = ", ".join(known) or "none"
                raise SelectionError(f"{lock.file}: no {kind} {name!r} in the lock (it has: {has})")
    explicit: set[str] = {canonical(g) for g in selection.groups}
    if selection.all_groups:
        explicit |= set(lock.groups)
    extras = frozenset(
        lock.extras if selection.all_extras else (canonical(e) for e in selection.extras)
    )
    defaults = set() if selection.no_default_groups else set(lock.default_groups)
    for items in lock.conflicts:
        # A default group gives way to what conflicts with it (as uv's defaults do).
        if any(_taken(i, explicit, extras) for i in items):
            defaults -= {name for _, kind, name in items if kind == "group"} - explicit
    groups = frozenset(explicit | defaults)
    for items in lock.conflicts:
        taken = [
            f"{kind} {name!r}" for i in items if _taken(i, groups, extras) for _, kind, name in [i]
        ]
        if len(taken) > 1:
            raise SelectionError(
                f"{lock.file}: {' and '.join(taken)} conflict (the lock's conflicts): choose one"
            )
    return Chosen(groups, extras)


def _taken(
    item: tuple[str, str, str], groups: set[str] | frozenset[str], extras: frozenset[str]
) -> bool:
    _, kind, name = item
    return name in (groups if kind == "group" else extras)


def excluded_python(lock: Lock, environment: Mapping[str, str]) -> str | None:
    """Why the lock's own Python range excludes the interpreter; None: it does not."""
    version = environment["python_full_version"]
    if lock.python is None or lock.python.admits(version):
        return None
    what = {"uv": "requires-python", "pylock": "requires-python", "poetry": "python-versions"}
    return (
        f"{lock.file}: the lock is for Python {lock.python.text} "
        f"({what.get(lock.format, 'its range')}), not {version}"
    )


class _Markers:
    """Marker evaluation, once per marker text."""

    def __init__(self, lock: Lock, environment: Mapping[str, str], chosen: Chosen) -> None:
        self.file = lock.file
        self.context = "lock_file" if lock.format == "pylock" else "metadata"
        env: dict[str, str | frozenset[str]] = dict(environment)
        if lock.format == "pylock":
            env.update(extras=chosen.extras, dependency_groups=chosen.groups, extra=chosen.extras)
        elif lock.format == "uv":
            env["extra"] = _uv_conflict_extras(lock, chosen)
        else:
            env["extra"] = chosen.extras
        self.environment = env
        self.cache: dict[str, bool] = {}

    def holds(self, marker: str | None, line: int, name: str) -> bool:
        if marker is None:
            return True
        held = self.cache.get(marker)
        if held is None:
            try:
                held = Marker(marker).evaluate(self.environment, self.context)  # type: ignore[arg-type]
            except (InvalidMarker, UndefinedComparison, UndefinedEnvironmentName) as e:
                reason = str(e).splitlines()[0]
                raise LockError(
                    self.file, line, f"{name}: cannot evaluate the marker {marker!r} ({reason})"
                ) from None
            self.cache[marker] = held
        return held


def _uv_conflict_extras(lock: Lock, chosen: Chosen) -> frozenset[str]:
    """uv's conflict markers: each root's chosen extras and groups, encoded."""
    active = set()
    for node in lock.nodes:
        if node.package is None and not node.name.startswith("("):
            n = f"{len(node.name)}-{node.name}"
            active.add(f"project-{n}")
            active.update(f"extra-{n}-{e}" for e in chosen.extras)
            active.update(f"group-{n}-{g}" for g in chosen.groups)
    return frozenset(active)


def select(lock: Lock, environment: Mapping[str, str], chosen: Chosen) -> tuple[bool, ...]:
    """For each of `lock.packages`: does an install for this interpreter take it?"""
    markers = _Markers(lock, environment, chosen)
    if not lock.nodes:
        groups = chosen.groups | {"main"} if lock.format == "poetry" else chosen.groups
        return tuple(
            any(g in groups and markers.holds(m, p.line, p.name) for g, m in p.group_markers)
            if p.group_markers
            else markers.holds(p.marker, p.line, p.name)
            for p in lock.packages
        )

    nodes = lock.nodes
    extras_seen: dict[int, set[str]] = {}
    stack: list[tuple[int, frozenset[str]]] = []

    def follow(edges: tuple[Edge, ...], line: int, name: str) -> None:
        for edge in edges:
            if markers.holds(edge.marker, line, name):
                stack.extend((t, edge.extras) for t in edge.targets)

    for i, node in enumerate(nodes):
        if node.package is None:
            stack.append((i, chosen.extras))
            for group in chosen.groups:
                follow(node.groups.get(group, ()), node.line, node.name)
    while stack:
        i, extras = stack.pop()
        node = nodes[i]
        seen = extras_seen.get(i)
        if seen is None:
            seen = extras_seen[i] = set()
            follow(node.dependencies, node.line, node.name)
        for extra in extras - seen:
            seen.add(extra)
            follow(node.optional.get(extra, ()), node.line, node.name)
    taken = [False] * len(lock.packages)
    for i in extras_seen:
        package = nodes[i].package
        if package is not None:
            taken[package] = True
    return tuple(taken)
