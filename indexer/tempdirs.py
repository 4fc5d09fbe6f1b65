"""Temporary folders that do not outlive their run.

A run removes what it made when it ends, but nothing runs after a SIGKILL
(or an out-of-memory kill, a power cut). So each folder's name ends with its
owner: the run's pid and that process's start time (`-<pid>.<start>`).
Before a run makes a folder, it removes those that name an owner no longer
alive. The start time tells a reused pid from the owner, so a leftover is
never taken for a live run's; a live run, in this or any other process, is
never disturbed. A name without an owner (another tool's, an older
version's) is left alone.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any


def _start_time(pid: int) -> str | None:
    """The process's start time (clock ticks since boot), None if there is no
    such process; "0" where /proc cannot tell (not Linux)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            raw = f.read()
    except FileNotFoundError:
        if os.path.isdir("/proc/self"):
            return None
        return "0" if _pid_alive(pid) else None
    except OSError:
        return "0" if _pid_alive(pid) else None
    # The command name (field 2) may hold spaces and parentheses: the fields
    # after its closing parenthesis start at field 3; the start time is 22.
    fields = raw[raw.rfind(b")") + 2 :].split()
    try:
        return fields[19].decode()
    except IndexError:
        return "0"


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def tag_of(pid: int) -> str:
    """A process, as the end of a folder's name says it: `<pid>.<start>`."""
    return f"{pid}.{_start_time(pid) or '0'}"


@cache
def _own_tag(pid: int) -> str:
    return tag_of(pid)


def owner_tag() -> str:
    """This process's tag (a forked child has its own)."""
    return _own_tag(os.getpid())


def owned_name(stem: str) -> str:
    """`stem` marked as this process's: `<stem>-<pid>.<start>`."""
    return f"{stem}-{owner_tag()}"


def owner_alive(name: str, suffix: str = "") -> bool | None:
    """Whether the owner a name ends with is alive; None if it names none."""
    if suffix:
        if not name.endswith(suffix):
            return None
        name = name[: -len(suffix)]
    tag = name.rpartition("-")[2]
    pid, dot, start = tag.partition(".")
    if not (dot and pid.isdigit() and start.isdigit()):
        return None
    found = _start_time(int(pid))
    return found is not None and (found == start or "0" in (found, start))


def remove_abandoned(parent: Path, prefix: str, suffix: str = "") -> list[Path]:
    """Remove the entries of `parent` named `<prefix>…-<owner><suffix>` whose
    owner is dead; the paths removed."""
    removed: list[Path] = []
    try:
        entries = list(os.scandir(parent))
    except OSError:  # no such folder yet, or not readable: nothing of ours
        return removed
    for entry in entries:
        if entry.name.startswith(prefix) and owner_alive(entry.name, suffix) is False:
            path = Path(entry.path)
            with contextlib.suppress(OSError):
                if entry.is_dir(follow_symlinks=False):
                    remove_tree(path)
                else:
                    path.unlink()
            if not os.path.lexists(path):
                removed.append(path)
    return removed


def make_dir(prefix: str, parent: Path | None = None) -> Path:
    """A new private folder `<parent>/<prefix><random>-<owner>` (parent: the
    temporary folder, $TMPDIR), after removing those of dead owners."""
    where = Path(parent) if parent is not None else Path(tempfile.gettempdir())
    remove_abandoned(where, prefix)
    return Path(tempfile.mkdtemp(prefix=prefix, suffix="-" + owner_tag(), dir=where))


@contextmanager
def temporary_dir(prefix: str, parent: Path | None = None) -> Iterator[Path]:
    """`make_dir`, removed when the block ends."""
    path = make_dir(prefix, parent)
    try:
        yield path
    finally:
        remove_tree(path)


def remove_tree(root: Path) -> None:
    """Delete a folder, read-only parts included (Nix leaves its store paths
    read-only); a folder already gone is fine."""

    def make_writable_and_retry(function: Callable[..., Any], path: str, _exc: object) -> None:
        parent = os.path.dirname(path)
        with contextlib.suppress(OSError):
            os.chmod(parent, os.stat(parent).st_mode | stat.S_IWUSR)
            if os.path.isdir(path) and not os.path.islink(path):
                os.chmod(path, os.stat(path).st_mode | stat.S_IWUSR | stat.S_IXUSR)
        with contextlib.suppress(OSError):  # best effort: never mask why a run ended
            function(path)

    if os.path.lexists(root):
        shutil.rmtree(root, onerror=make_writable_and_retry)
