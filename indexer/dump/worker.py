"""One evaluator worker: a `nix repl` process fed commands on stdin.

The repl prints nothing we read on stdout (it is discarded); everything we
read comes on stderr: our own `builtins.trace` lines, marked `@@`, and the
repl's error messages between them. A reader thread turns stderr into
events on a queue shared by all workers, so the orchestrator can wait on
every worker at once and still watch their time and memory.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from indexer.dump.evaluator import Nix, evaluator_environment, repl_argv

ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
F_SETPIPE_SZ = getattr(fcntl, "F_SETPIPE_SZ", 1031)  # Linux


@dataclass(frozen=True)
class Lines:
    """Lines a worker wrote to stderr, as read in one go; `texts` None means
    the worker exited. Batched: one queue operation per read, not per line,
    keeps the orchestrator's share of the CPU small."""

    worker: ReplWorker
    generation: int
    texts: list[str] | None


@cache
def _parent_death_signal() -> list[str]:
    """The prefix that has the kernel kill a worker when its run dies.

    A run killed by SIGKILL cannot stop its workers; each would evaluate on
    until it reads the end of its input, which an endless attribute never
    lets it do. setpriv (util-linux 2.33+) sets the parent-death signal and
    then runs the worker; where it is missing, workers exit at their next
    read."""
    setpriv = shutil.which("setpriv")
    if setpriv is None or not sys.platform.startswith("linux"):
        return []
    try:
        usage = subprocess.run(
            [setpriv, "--help"], capture_output=True, text=True, timeout=10, check=False
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    return [setpriv, "--pdeathsig", "KILL"] if "--pdeathsig" in usage else []


def _decode(raw: bytes) -> str:
    text = raw.decode("utf-8", "replace").rstrip("\r")
    return ANSI_ESCAPE.sub("", text) if "\x1b" in text else text


class ReplWorker:
    """A restartable `nix repl` with dump.nix loaded as `p`."""

    def __init__(
        self,
        ident: int,
        nix: Nix,
        tree: Path,
        setup: str,
        events: queue.Queue[Lines],
        store: Path,
        initial_heap_mb: int | None = None,
    ) -> None:
        self.ident = ident
        self.argv = [*_parent_death_signal(), *repl_argv(nix, tree, store)]
        self.store = store
        self.initial_heap_mb = initial_heap_mb
        self.setup = setup
        self.events = events
        self.process: subprocess.Popen[bytes] | None = None
        # Bumped on every (re)start, so lines of a dead process are told apart.
        self.generation = 0
        self.kill_reason: str | None = None
        self.started_at = 0.0

    def start(self) -> None:
        self.generation += 1
        self.kill_reason = None
        self.started_at = time.monotonic()
        self.process = subprocess.Popen(
            self.argv,
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env=evaluator_environment(
                home=self.store / "home", initial_heap_mb=self.initial_heap_mb
            ),
            # Own process group: a kill takes any child with it, and a ^C
            # to the CLI is handled by the CLI, not by each worker.
            start_new_session=True,
        )
        thread = threading.Thread(
            target=self._read_stderr,
            args=(self.process, self.generation),
            name=f"nix-repl-{self.ident}",
            daemon=True,
        )
        thread.start()
        self.send(self.setup)

    def _read_stderr(self, process: subprocess.Popen[bytes], generation: int) -> None:
        assert process.stderr is not None
        fd = process.stderr.fileno()
        with contextlib.suppress(OSError):
            # A larger pipe: the evaluator must never wait for us to read.
            fcntl.fcntl(fd, F_SETPIPE_SZ, 1 << 20)
        pending = b""
        while True:
            try:
                chunk = os.read(fd, 1 << 20)
            except OSError:
                chunk = b""
            if not chunk:
                break
            *complete, pending = (pending + chunk).split(b"\n")
            if complete:
                self.events.put(Lines(self, generation, [_decode(raw) for raw in complete]))
        if pending:
            self.events.put(Lines(self, generation, [_decode(pending)]))
        process.wait()
        self.events.put(Lines(self, generation, None))

    def send(self, command: str) -> None:
        """Send one line; a dead worker is noticed through its EOF event."""
        if self.process is None or self.process.stdin is None:
            return
        try:
            self.process.stdin.write(command.encode() + b"\n")
            self.process.stdin.flush()
        except (BrokenPipeError, OSError):
            pass

    def rss_bytes(self) -> int:
        """Resident memory of the worker, 0 when unknown (not Linux, exited)."""
        if self.process is None:
            return 0
        try:
            with open(f"/proc/{self.process.pid}/statm") as f:
                return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, ValueError, IndexError):
            return 0

    def peak_rss_bytes(self) -> int:
        """The most resident memory the worker has used (VmHWM), 0 when unknown."""
        if self.process is None:
            return 0
        try:
            with open(f"/proc/{self.process.pid}/status") as f:
                for line in f:
                    if line.startswith("VmHWM:"):
                        return int(line.split()[1]) * 1024
        except (OSError, ValueError, IndexError):
            pass
        return 0

    def kill(self, reason: str) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.kill_reason = reason
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            self.process.kill()

    def exit_description(self) -> str:
        """Why the process ended, for a crash record."""
        if self.kill_reason is not None:
            return self.kill_reason
        code = self.process.wait() if self.process is not None else None
        if code is not None and code < 0:
            try:
                return f"the evaluator was killed by {signal.Signals(-code).name}"
            except ValueError:
                return f"the evaluator was killed by signal {-code}"
        return f"the evaluator exited with status {code}"

    def close_input(self) -> None:
        """Ask the repl to exit (end of its input) without waiting for it."""
        if self.process is not None and self.process.stdin is not None:
            with contextlib.suppress(OSError):
                self.process.stdin.close()

    def stop(self) -> None:
        """End the worker without waiting for it. Everything it had to say has
        been read by now, and its store is thrown away: a kill saves the
        repl's slow exit (it frees its whole heap first)."""
        if self.process is not None and self.process.poll() is None:
            self.close_input()
            self.kill("closed")

    def close(self) -> None:
        """Stop the worker and wait until it is gone."""
        if self.process is None:
            return
        self.stop()
        self.process.wait()
