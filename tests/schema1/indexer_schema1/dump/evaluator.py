"""Finding the Nix evaluator and building its command lines."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from indexer_schema1.errors import NixNotFound
from indexer_schema1.resources import nix_scripts_dir

# `nix repl` on a pipe is the evaluator (see nix/dump.nix); it needs the new
# command line, which Nix 2.4 introduced.
MINIMUM_NIX = (2, 4)


@dataclass(frozen=True)
class Nix:
    executable: str
    version: str

    @property
    def version_tuple(self) -> tuple[int, ...]:
        return tuple(int(p) for p in re.findall(r"\d+", self.version)[:3])


@cache
def find_nix(executable: str | None = None) -> Nix:
    """The `nix` binary to use: NIX_PYINDEX_NIX, else the one on PATH."""
    name = executable or os.environ.get("NIX_PYINDEX_NIX") or "nix"
    path = shutil.which(name)
    if path is None:
        raise NixNotFound(
            "Nix is not installed: `nix` is not on PATH "
            "(Debian/Ubuntu: apt-get install nix-bin; elsewhere: https://nixos.org/download)"
        )
    try:
        out = subprocess.run(
            [path, "--version"], capture_output=True, text=True, timeout=60, check=True
        ).stdout
    except (OSError, subprocess.SubprocessError) as e:
        raise NixNotFound(f"`{path} --version` failed: {e}") from e
    match = re.search(r"(\d+\.\d+(?:\.\d+)?)", out)
    if match is None:
        raise NixNotFound(f"cannot read the Nix version from {out.strip()!r}")
    nix = Nix(path, match.group(1))
    if nix.version_tuple < MINIMUM_NIX:
        raise NixNotFound(f"Nix {nix.version} is too old: nixpkgs-pyindex needs Nix 2.4 or newer")
    return nix


def repl_argv(nix: Nix, tree: Path, store: Path) -> list[str]:
    """The command line of one evaluator worker.

    The tree is untrusted input: restrict-eval limits file access to the tree
    and our scripts and forbids fetching, import-from-derivation is off. The
    store is a throwaway one (`store` is its root): nixpkgs copies a path into
    the store here and there while evaluating (what `nix-env` does in its
    read-only mode), and that must neither fail nor touch the user's store.
    """
    argv = [
        nix.executable,
        "--extra-experimental-features",
        "nix-command",
        "repl",
        "--store",
        f"local?root={store}",
        # A throwaway store needs no durability.
        "--option",
        "fsync-metadata",
        "false",
        "--option",
        "restrict-eval",
        "true",
        "--option",
        "allow-import-from-derivation",
        "false",
        "--option",
        "allow-unsafe-native-code-during-evaluation",
        "false",
        "-I",
        f"pyindex={nix_scripts_dir()}",
        "-I",
        f"pyindex-tree={tree}",
        "-I",
        f"nixpkgs={tree}",
    ]
    return argv


def evaluator_environment(
    home: Path | None = None, initial_heap_mb: int | None = None
) -> dict[str, str]:
    """The environment of a worker: no NIX_PATH of the user's, no colours.

    `home`: where the repl may keep its history and caches (`nix repl` exits
    when it cannot create ~/.local/share/nix, e.g. as a service's dynamic
    user); a throwaway folder, so nothing of the user's is written either.

    `initial_heap_mb`: the garbage collector's initial heap. Nix starts small
    and collects often while the heap grows; a large start saves about a
    fifth of a dump's evaluation time (10k packages, one worker: 4.1-4.4 s
    down to 3.3-3.5 s). A GC_INITIAL_HEAP_SIZE of the user's wins."""
    env = dict(os.environ)
    if initial_heap_mb is not None and "GC_INITIAL_HEAP_SIZE" not in env:
        env["GC_INITIAL_HEAP_SIZE"] = f"{initial_heap_mb}M"
    if home is not None:
        for variable, folder in (("XDG_DATA_HOME", "data"), ("XDG_STATE_HOME", "state"),
                                 ("XDG_CACHE_HOME", "cache"), ("XDG_CONFIG_HOME", "config")):  # fmt: skip
            env[variable] = str(home / folder)
    env["NIX_PATH"] = ""
    env["NO_COLOR"] = "1"
    env.pop("NIXPKGS_CONFIG", None)
    env.pop("NIXPKGS_ALLOW_UNFREE", None)
    env.pop("NIXPKGS_ALLOW_BROKEN", None)
    env.pop("NIXPKGS_ALLOW_INSECURE", None)
    return env
