"""Nothing left behind: a run killed at any point, SIGKILL included, leaves
no temporary store, tree or file that the next run does not remove, and a
live run's folders are never touched."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from indexer.dump.evaluator import Nix
from indexer.files import write_atomically
from indexer.tempdirs import make_dir, owner_alive, owner_tag, remove_abandoned, tag_of

from .conftest import FIXTURE

ROOT = Path(__file__).resolve().parent.parent


def dead_tag() -> str:
    """The tag of a process that has ended."""
    child = subprocess.Popen(["true"])
    tag = tag_of(child.pid)
    child.wait()
    return tag


def reused_tag() -> str:
    """A live pid with another start time: a pid the kernel gave again."""
    pid, _, start = owner_tag().partition(".")
    return f"{pid}.{int(start) + 1}"


# ---- which folders are abandoned ------------------------------------------


@pytest.mark.parametrize(
    ("name", "abandoned"),
    [
        (lambda: f"nixpkgs-pyindex-store-abc_12-{owner_tag()}", False),
        (lambda: f"nixpkgs-pyindex-store-abc_12-{dead_tag()}", True),
        (lambda: f"nixpkgs-pyindex-store-abc_12-{reused_tag()}", True),
        # Another version's or tool's names, without an owner: never removed.
        (lambda: "nixpkgs-pyindex-store-abc_12", False),
        (lambda: f"nixpkgs-pyindex-store-{dead_tag().partition('.')[0]}", False),
        (lambda: "nixpkgs-pyindex-store-12345678", False),
        # Another prefix: not ours to remove.
        (lambda: f"other-store-abc_12-{dead_tag()}", False),
    ],
    ids=["live", "dead", "pid-reused", "no-owner", "pid-only", "digits", "other-prefix"],
)
def test_only_folders_of_dead_owners_are_removed(
    tmp_path: Path, name: Callable[[], str], abandoned: bool
) -> None:
    folder = tmp_path / name()
    (folder / "nix/store/x").mkdir(parents=True)
    (folder / "nix/store/x/file").write_text("x")
    # Nix leaves its store read-only.
    os.chmod(folder / "nix/store/x", 0o555)
    os.chmod(folder / "nix/store", 0o555)
    removed = remove_abandoned(tmp_path, "nixpkgs-pyindex-store-")
    assert (removed == [folder]) is abandoned
    assert folder.exists() is not abandoned


def test_a_new_folder_names_its_owner_and_clears_dead_ones(tmp_path: Path) -> None:
    dead = tmp_path / f"nixpkgs-pyindex-store-old-{dead_tag()}"
    dead.mkdir()
    made = make_dir("nixpkgs-pyindex-store-", tmp_path)
    assert owner_alive(made.name) is True
    assert sorted(tmp_path.iterdir()) == [made]


def test_a_killed_write_leaves_a_temporary_file_the_next_write_removes(tmp_path: Path) -> None:
    target = tmp_path / "out.jsonl"
    left = tmp_path / f".out.jsonl.k3x_9a-{dead_tag()}.tmp"
    live = tmp_path / f".out.jsonl.k3x_9b-{owner_tag()}.tmp"  # a write under way
    left.write_text("half")
    live.write_text("half")
    write_atomically(target, b"whole\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == [live.name, target.name]


# ---- real runs, killed ----------------------------------------------------


def leftovers(*folders: Path) -> list[str]:
    """Everything in the test's own temporary folders."""
    return sorted(p.name for f in folders if f.exists() for p in f.iterdir())


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """A temporary folder, scratch and cache of the test's own."""
    folders = {"TMPDIR": "tmp", "NIXPKGS_PYINDEX_SCRATCH": "scratch", "XDG_CACHE_HOME": "cache"}
    for name in folders.values():
        (tmp_path / name).mkdir()
    return {**os.environ, **{k: str(tmp_path / v) for k, v in folders.items()}}


def start(args: list[str], env: dict[str, str], pause_at: str) -> subprocess.Popen[str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "indexer", *args],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, cwd=ROOT,
        env={**env, "NIXPKGS_PYINDEX_PAUSE_AT": pause_at}, start_new_session=True,
    )  # fmt: skip
    assert process.stderr is not None
    line = process.stderr.readline()
    assert line.strip() == f"nixpkgs-pyindex: paused at {pause_at}", line
    return process


def run(args: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "indexer", *args], capture_output=True, text=True, env=env, cwd=ROOT
    )
    assert done.returncode == 0, done.stderr


def workers_of(folder: Path) -> list[int]:
    """Processes whose command line names a path in `folder` (the workers)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmdline = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            if str(folder).encode() in cmdline:
                found.append(int(entry.name))
    return found


def wait_until(condition: Callable[[], bool], seconds: float = 30) -> bool:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


DUMP = ["dump", "-q", "-o", "/dev/null", "--workers", "2"]


def test_a_killed_dump_is_cleared_by_the_next_and_a_live_one_is_left_alone(
    nix: Nix, env: dict[str, str]
) -> None:
    tmp = Path(env["TMPDIR"])
    killed = start(DUMP, env, "dumping")
    live = start(DUMP, env, "dumping")
    stores = leftovers(tmp)
    assert len(stores) == 2 and all(s.startswith("nixpkgs-pyindex-store-") for s in stores)
    killed_store = next(s for s in stores if s.endswith(f"-{tag_of(killed.pid)}"))
    live_store = next(s for s in stores if s.endswith(f"-{tag_of(live.pid)}"))
    assert workers_of(tmp / killed_store)
    os.killpg(killed.pid, signal.SIGKILL)
    killed.wait()
    # Its workers die with it (they would otherwise evaluate on).
    assert wait_until(lambda: workers_of(tmp / killed_store) == [])
    assert leftovers(tmp) == stores
    run(DUMP, env)
    assert leftovers(tmp) == [live_store]
    # Stopped (SIGTERM, as systemd stops it), a run cleans up itself.
    live.terminate()
    assert live.wait(timeout=60) == 128 + signal.SIGTERM
    assert wait_until(lambda: workers_of(tmp) == [])
    assert leftovers(tmp) == []


def git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        check=True, capture_output=True,
    )  # fmt: skip


@pytest.fixture(scope="module")
def channel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    repo = tmp_path_factory.mktemp("channel") / "nixpkgs"
    shutil.copytree(FIXTURE, repo)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "the fixture")
    return repo


@pytest.mark.parametrize("point", ["extracted", "dumping"])
def test_a_reindex_killed_at_any_point_leaves_nothing_after_the_next_run(
    nix: Nix, env: dict[str, str], channel: Path, tmp_path: Path, point: str
) -> None:
    tmp = Path(env["TMPDIR"])
    trees = Path(env["NIXPKGS_PYINDEX_SCRATCH"]) / "nixpkgs-pyindex-trees"
    args = ["reindex", "--channel", "c", "--git", str(channel), "--db",
            str(tmp_path / "index.sqlite"), "--workers", "1"]  # fmt: skip
    process = start(args, env, point)
    left = leftovers(tmp, trees)
    assert left, "the run has made nothing to leave behind at this point"
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    assert leftovers(tmp, trees) == left
    run(args, env)
    assert leftovers(tmp, trees) == []
    assert wait_until(lambda: workers_of(tmp) == [])
