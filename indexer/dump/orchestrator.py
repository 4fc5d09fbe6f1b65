"""`dump`: every attribute of the Python package sets of a nixpkgs tree, as
JSON lines (schema: docs/dump-schema.md).

How nothing gets lost: the attributes are split into batches that workers
(`nix repl` processes, indexer/nixrepl.py) evaluate in order, tracing one
record per attribute. When a batch stops early, the attribute after the
last record is the one that failed, and the repl has printed why; a probe
tells whether tryEval catches that error (throw, assert) or not (a crash),
and the batch resumes after it. When a worker dies (stack overflow,
segfault, the memory or time watchdog), the same attribute is recorded as a
crash and a fresh worker resumes after it. Each failure costs one command
or one evaluator start, never a bisection.
"""

from __future__ import annotations

import queue
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import orjson

from indexer.checkpoints import checkpoint
from indexer.dump.evaluator import Nix
from indexer.dump.format import (
    AttrRecord,
    DerivationInput,
    Dump,
    Input,
    Interpreter,
    SetEntry,
    make_footer,
    make_header,
)
from indexer.dump.limits import DEFAULT_MAX_MEMORY_MB, DEFAULT_RECYCLE_MEMORY_MB
from indexer.dump.worker import Lines, ReplWorker
from indexer.errors import EvaluatorFailed, NotANixpkgsTree, UnknownPackageSet
from indexer.nixexpr import nix_string
from indexer.resources import nix_scripts_dir
from indexer.tempdirs import make_dir, remove_tree
from mapping.evalerrors import (
    TRACE_PREFIX,
    EvalError,
    EvaluatorOutput,
    classify,
    process_crash,
    read_output,
)
from mapping.modules import Moduleness, moduleness

# The evaluator's record as it prints it, until _finish_record (or
# _error_record, _alias_record) makes it a documented AttrRecord.
RawRecord = dict[str, Any]

RECORD_MARK = TRACE_PREFIX + "@@R "
END_MARK = TRACE_PREFIX + "@@E "
MESSAGE_MARK = TRACE_PREFIX + "@@M "
PLAN_MARK = TRACE_PREFIX + "@@P "
SAME_MARK = TRACE_PREFIX + "@@S "
RESET_LINE = ":p 0"
# Restarts of a worker that dies before evaluating anything: past this, the
# evaluator itself is broken and the dump stops with an error.
MAX_SETUP_FAILURES = 3
# The throwaway Nix store of a run, in the temporary folder ($TMPDIR).
STORE_PREFIX = "nixpkgs-pyindex-store-"




@dataclass
class DumpOptions:
    sets: list[str] | None = None
    workers: int = 1
    with_paths: bool = False
    # Seconds an attribute may take before its worker is killed.
    attr_timeout: float = 300.0
    # The hard memory limit: resident memory a worker may use before it is killed.
    max_memory_mb: int = DEFAULT_MAX_MEMORY_MB
    # The soft one; None: DEFAULT_RECYCLE_MEMORY_MB, at most half the hard one.
    recycle_memory_mb: int | None = None
    batch_size: int | None = None

    def recycle_limit_mb(self) -> int:
        if self.recycle_memory_mb is not None:
            return self.recycle_memory_mb
        return min(DEFAULT_RECYCLE_MEMORY_MB, self.max_memory_mb // 2)


@dataclass
class SetPlan:
    name: str
    same_as: list[str]
    interpreter: Interpreter | None
    names: list[str]
    alias_only: frozenset[str]


@dataclass
class Plan:
    nixpkgs_version: str | None
    system: str | None
    sets: list[SetPlan]


@dataclass
class Task:
    set_index: int
    start: int
    end: int


@dataclass
class Command:
    """A command sent to a worker and not yet answered (its end marker)."""

    kind: str  # setup, plan, emit, message, same
    text: str
    token: int = 0
    set_index: int = -1
    # emit: the next attribute index expected, and the end of the batch;
    # message: the attribute index.
    start: int = 0
    end: int = 0
    same: tuple[str, str] | None = None
    # message: asked with traces on (newer Nix hides a failed `assert a == b`
    # in a frame), so the error was not caught by tryEval either.
    traced: bool = False


@dataclass
class WorkerState:
    worker: ReplWorker
    fifo: deque[Command] = field(default_factory=deque)
    lines: list[str] = field(default_factory=list)
    answer: str | None = None
    last_progress: float = 0.0
    setup_failures: int = 0
    token: int = 0
    closed: bool = False
    # Past the soft memory limit: no more batches; replaced once idle.
    recycle: bool = False


@dataclass
class DumpResult(Dump):
    # Wall time of the evaluation: for the summary, not the dump, which two
    # runs on the same tree must write byte for byte alike.
    seconds: float = 0.0
    # Workers replaced past the soft memory limit; attributes evaluated again
    # after the hard limit killed their worker; the largest resident memory
    # of a worker (sampled, MiB). For the summary too.
    recycled: int = 0
    memory_retries: int = 0
    peak_worker_mb: float = 0.0


ProgressCallback = Callable[[int, int], None]
# Batches in flight per worker: while it evaluates one, the next is queued
# on its stdin, so it never waits for the orchestrator.
PIPELINE_DEPTH = 2
# Each worker's initial GC heap (see nixcmd.evaluator_environment), at most a
# quarter of --max-memory.
INITIAL_HEAP_MB = 512


class Dumper:
    def __init__(
        self,
        nix: Nix,
        tree: Path,
        options: DumpOptions,
        *,
        progress: ProgressCallback | None = None,
    ) -> None:
        self.nix = nix
        self.tree = tree
        self.options = options
        self.progress = progress or (lambda done, total: None)
        self.events: queue.Queue[Lines] = queue.Queue()
        self.states: list[WorkerState] = []
        self.plan: Plan | None = None
        self.tasks: deque[Task] = deque()
        self.records: list[dict[str, AttrRecord]] = []
        self.same_answers: dict[tuple[int, str, str], bool] = {}
        self.done = 0
        self.total = 0
        self.fatal: Exception | None = None
        self.restarts = 0
        self.recycled = 0
        # Attributes (set index, attribute index) a hard memory kill has
        # already sent to a fresh worker once.
        self.memory_retried: set[tuple[int, int]] = set()
        self.peak_rss = 0
        self.last_watchdog = 0.0
        # Positions in our own scripts are left out of error details: a dump
        # must not depend on where the tool is installed.
        self.hide_paths = (str(nix_scripts_dir()) + "/",)

    # ---- public ----------------------------------------------------------

    def run(self) -> DumpResult:
        started = time.monotonic()
        sets_arg = (
            "null"
            if self.options.sets is None
            else "[ " + " ".join(nix_string(s) for s in self.options.sets) + " ]"
        )
        setup = (
            "p = import <pyindex/dump.nix> { tree = <pyindex-tree>; "
            f"sets = {sets_arg}; withPaths = {'true' if self.options.with_paths else 'false'}; }}"
        )
        # A run killed before its end leaves its store; the next removes it.
        store = make_dir(STORE_PREFIX)
        try:
            try:
                for ident in range(max(1, self.options.workers)):
                    worker = ReplWorker(
                        ident, self.nix, self.tree, setup, self.events, store,
                        initial_heap_mb=min(INITIAL_HEAP_MB, self.options.max_memory_mb // 4),
                    )  # fmt: skip
                    self.states.append(WorkerState(worker))
                # The others start once the first one has created the store:
                # Nix does not expect two processes to create one store at once.
                self._start(self.states[0])
                self._send(self.states[0], Command("plan", "p.P"))
                self._loop()
                self._resolve_aliases()
            finally:
                for state in self.states:
                    state.closed = True
                    self._note_peak(state)
                    state.worker.stop()
            if self.fatal is not None:
                raise self.fatal
            assert self.plan is not None
            return self._result(time.monotonic() - started)
        finally:
            # Whatever ended the run (^C, SIGTERM included). While the records
            # were put together, the kernel was freeing the workers' heaps.
            for state in self.states:
                state.worker.close()
            remove_tree(store)

    # ---- sending ---------------------------------------------------------

    def _start(self, state: WorkerState, resend: list[Command] | None = None) -> None:
        """(Re)start a worker; `resend` are commands a dead one left unanswered."""
        state.fifo.clear()
        state.lines = []
        state.last_progress = time.monotonic()
        state.worker.start()  # sends the setup line itself
        self._expect(state, Command("setup", ""))
        for command in resend or []:
            self._send(state, command)

    def _send(self, state: WorkerState, command: Command) -> None:
        if command.text:
            state.worker.send(command.text)
        self._expect(state, command)

    def _expect(self, state: WorkerState, command: Command) -> None:
        state.token += 1
        command.token = state.token
        state.fifo.append(command)
        # A tree file ending mid-expression raises "unexpected end of file",
        # which the repl takes for incomplete input: it would swallow every
        # following line. Appended to such input, ":p 0" is a syntax error
        # that resets it; on its own it prints 0 to stdout, which we ignore.
        state.worker.send(RESET_LINE)
        state.worker.send(f"p.E {state.token}")

    def _emit(self, state: WorkerState, set_index: int, start: int, end: int) -> None:
        self._send(
            state,
            Command(
                "emit", f"p.e {set_index} {start} {end}", set_index=set_index, start=start, end=end
            ),
        )

    def _top_up(self, state: WorkerState) -> None:
        if self.plan is None or state.closed:
            return
        if state.recycle:
            if not state.fifo and self.tasks:
                self._recycle(state)
            return
        in_flight = sum(1 for c in state.fifo if c.kind == "emit")
        while in_flight < PIPELINE_DEPTH and self.tasks:
            task = self.tasks.popleft()
            self._emit(state, task.set_index, task.start, task.end)
            in_flight += 1

    # ---- the event loop --------------------------------------------------

    def _busy(self) -> bool:
        if self.fatal is not None:
            return False
        if self.plan is None or self.tasks:
            return True
        return any(s.fifo for s in self.states if not s.closed)

    def _loop(self) -> None:
        while self._busy():
            try:
                batch = self.events.get(timeout=0.25)
            except queue.Empty:
                self._watchdog()
                continue
            state = self.states[batch.worker.ident]
            if batch.generation == state.worker.generation and not state.closed:
                state.last_progress = time.monotonic()
                if batch.texts is None:
                    self._on_exit(state)
                else:
                    for text in batch.texts:
                        # A line may end the worker's generation (a restart).
                        if batch.generation != state.worker.generation or state.closed:
                            break
                        self._on_line(state, text)
            if time.monotonic() - self.last_watchdog > 0.25:
                self._watchdog()

    def _watchdog(self) -> None:
        now = self.last_watchdog = time.monotonic()
        limit = self.options.max_memory_mb * 1024 * 1024
        for state in self.states:
            if state.closed or not state.fifo:
                continue
            rss = state.worker.rss_bytes()
            self.peak_rss = max(self.peak_rss, rss)
            if now - state.last_progress > self.options.attr_timeout:
                state.worker.kill(f"timeout: no result within {self.options.attr_timeout:g} s")
            elif rss > limit:
                state.worker.kill(
                    f"memory: the evaluator exceeded {self.options.max_memory_mb} MiB"
                )

    def _note_peak(self, state: WorkerState) -> None:
        self.peak_rss = max(self.peak_rss, state.worker.peak_rss_bytes())

    def _check_recycle(self, state: WorkerState) -> None:
        """Past the soft limit, a worker takes no more batches (see _top_up).

        Its heap holds everything it has evaluated (nixpkgs' fixpoint keeps
        every value), not what the next attribute needs: nix-eval-jobs'
        rule, a fresh worker after the job it is on."""
        rss = state.worker.rss_bytes()
        self.peak_rss = max(self.peak_rss, rss)
        if rss > self.options.recycle_limit_mb() * 1024 * 1024:
            state.recycle = True

    def _recycle(self, state: WorkerState) -> None:
        """Replace an idle worker by a fresh one (nothing is in flight)."""
        self._note_peak(state)
        state.worker.stop()
        state.recycle = False
        self.recycled += 1
        self._start(state)

    def _on_line(self, state: WorkerState, text: str) -> None:
        head = state.fifo[0] if state.fifo else None
        if head is None:
            return
        if text.startswith(RECORD_MARK) and head.kind == "emit":
            self._on_record(state, head, text[len(RECORD_MARK) :])
        elif text.startswith(END_MARK):
            if text[len(END_MARK) :].strip() == str(head.token):
                state.fifo.popleft()
                lines, state.lines = state.lines, []
                self._on_answered(state, head, lines)
        elif text.startswith(PLAN_MARK) and head.kind == "plan":
            self._on_plan(text[len(PLAN_MARK) :])
        elif text.startswith(MESSAGE_MARK):
            state.answer = text[len(MESSAGE_MARK) :].strip()
        elif text.startswith(SAME_MARK):
            state.answer = text[len(SAME_MARK) :].strip()
        else:
            state.lines.append(text)

    def _on_record(self, state: WorkerState, emit: Command, payload: str) -> None:
        set_plan = self._set(emit.set_index)
        index = emit.start
        emit.start += 1
        record = orjson.loads(payload)
        warnings = read_output(state.lines).warnings
        state.lines = []
        if record.get("attr") != set_plan.names[index]:
            # The tree evaluated to other names than in the plan: say so
            # rather than guess.
            error = EvalError("crash", f"evaluator returned {record.get('attr')!r}", "other")
            self._store(emit.set_index, _error_record(set_plan.names[index], error))
        elif record.get("status") == "caught":
            # Caught by tryEval: evaluate it again uncaught for its message.
            self._send(state, self._message_command(emit.set_index, index, False))
        else:
            # Only the evaluator's guarded edition writes error markers.
            markers = ERROR_MARKER in payload
            self._store(emit.set_index, _finish_record(record, self.tree, warnings, markers))

    def _on_answered(self, state: WorkerState, command: Command, lines: list[str]) -> None:
        kind = command.kind
        if kind == "setup":
            if read_output(lines).error:
                self._setup_failed(state, lines)
                return
            for other in self.states:
                if other.worker.process is None:
                    self._start(other)
        elif kind == "plan":
            if self.plan is None and self.fatal is None:
                message = read_output(lines).message
                self.fatal = NotANixpkgsTree(f"{self.tree} is not a usable nixpkgs tree: {message}")
                return
            for other in self.states:
                self._top_up(other)
            checkpoint("dumping")  # the store made, the workers evaluating
        elif kind == "emit" and command.start < command.end:
            # The batch stopped early at an error: a package's value threw
            # (evaluated uncaught on purpose, one throw per failing package),
            # or an error tryEval cannot catch.
            set_plan = self._set(command.set_index)
            attr = set_plan.names[command.start]
            output = read_output(lines)
            if output.hides_assertion:
                self._send(state, self._message_command(command.set_index, command.start, True))
            else:
                self._store(command.set_index, self._error_record(attr, output, set_plan))
            if command.start + 1 < command.end:
                self._emit(state, command.set_index, command.start + 1, command.end)
        elif kind == "message":
            set_plan = self._set(command.set_index)
            attr = set_plan.names[command.start]
            output = read_output(lines)
            if state.answer == "ok" and not output.error:
                error = EvalError(
                    "throw", "failed under tryEval, evaluated when retried (nondeterministic)"
                )
                self._store(command.set_index, _error_record(attr, error, output.warnings))
            else:
                record = self._error_record(attr, output, set_plan, caught=not command.traced)
                self._store(command.set_index, record)
        elif kind == "same":
            assert command.same is not None
            key = (command.set_index, *command.same)
            self.same_answers[key] = state.answer == "true"
        state.answer = None
        if kind == "emit":
            self._check_recycle(state)
        self._top_up(state)

    def _on_exit(self, state: WorkerState) -> None:
        description = state.worker.exit_description()
        head = state.fifo.popleft() if state.fifo else None
        rest = list(state.fifo)
        lines, state.lines = state.lines, []
        if head is None:
            # Died while idle: restart it if there is work left for it.
            if self.tasks:
                self.restarts += 1
                self._start(state)
            else:
                state.closed = True
            return
        if head.kind in ("setup", "plan"):
            self._setup_failed(state, lines or [description], rest=[head, *rest])
            return
        if head.kind in ("emit", "message") and self._retry_after_memory_kill(head, description):
            # Killed for a heap that grew with everything evaluated before:
            # the attribute is evaluated again first thing in a fresh worker,
            # and is a crash only if it crosses the limit there too.
            rest.insert(0, head if head.kind == "message" else self._emit_command(head, head.start))
        elif head.kind in ("emit", "message"):
            attr = self._set(head.set_index).names[head.start]
            output = read_output(lines)
            error = process_crash(output, description, self.hide_paths)
            self._store(head.set_index, _error_record(attr, error, output.warnings))
            if head.kind == "emit" and head.start + 1 < head.end:
                rest.insert(0, self._emit_command(head, head.start + 1))
        elif head.kind == "same":
            assert head.same is not None
            self.same_answers[(head.set_index, head.same[0], head.same[1])] = False
        self.restarts += 1
        state.recycle = False
        self._start(state, resend=[c for c in rest if c.kind != "setup"])

    def _retry_after_memory_kill(self, head: Command, description: str) -> bool:
        if not description.startswith("memory"):
            return False
        key = (head.set_index, head.start)
        if key in self.memory_retried:
            return False
        self.memory_retried.add(key)
        return True

    @staticmethod
    def _emit_command(batch: Command, start: int) -> Command:
        """What is left of an emit batch, from attribute `start` on."""
        text = f"p.e {batch.set_index} {start} {batch.end}"
        return Command("emit", text, set_index=batch.set_index, start=start, end=batch.end)

    def _setup_failed(
        self, state: WorkerState, lines: list[str], rest: list[Command] | None = None
    ) -> None:
        state.setup_failures += 1
        message = read_output(lines).message
        if self.plan is None and state.worker.ident == 0:
            self.fatal = NotANixpkgsTree(f"{self.tree} is not a usable nixpkgs tree: {message}")
        elif state.setup_failures >= MAX_SETUP_FAILURES:
            self.fatal = EvaluatorFailed(f"the Nix evaluator keeps failing to start: {message}")
        else:
            self.restarts += 1
            self._start(state, resend=[c for c in (rest or list(state.fifo)) if c.kind != "setup"])

    def _on_plan(self, payload: str) -> None:
        raw = orjson.loads(payload)
        if raw["missing"] or raw["unusable"]:
            bad = raw["missing"] + raw["unusable"]
            self.fatal = UnknownPackageSet(
                f"unknown package set {', '.join(map(repr, bad))} in this nixpkgs"
            )
            return
        sets = [
            SetPlan(
                name=s["set"],
                same_as=list(s["same_as"]),
                interpreter=s["interpreter"],
                names=list(s["names"]),
                alias_only=frozenset(s["alias_only"]),
            )
            for s in raw["sets"]
        ]
        if not sets:
            what = "none of the requested sets" if self.options.sets else "no pythonXYPackages set"
            self.fatal = NotANixpkgsTree(f"{self.tree}: {what} could be evaluated")
            return
        self.plan = Plan(raw.get("nixpkgs_version"), raw.get("system"), sets)
        self.records = [{} for _ in sets]
        self.total = sum(len(s.names) for s in sets)
        batch = self.options.batch_size or self._default_batch_size()
        for index, s in enumerate(sets):
            for start in range(0, len(s.names), batch):
                self.tasks.append(Task(index, start, min(start + batch, len(s.names))))
        self.progress(0, self.total)

    def _message_command(self, set_index: int, index: int, traced: bool) -> Command:
        """Evaluate a record uncaught, for the message of its error; `traced`
        with the repl's traces on (`:te`, Nix ≥ 2.12) for that command only."""
        text = f"p.m {set_index} {index}"
        if traced:
            text = f":te true\n{text}\n:te false"
        return Command("message", text, set_index=set_index, start=index, traced=traced)

    def _error_record(
        self, attr: str, output: EvaluatorOutput, set_plan: SetPlan, caught: bool = False
    ) -> RawRecord:
        error = classify(
            output,
            alias_only=attr in set_plan.alias_only,
            caught=caught,
            hide_paths=self.hide_paths,
        )
        return _error_record(attr, error, output.warnings)

    def _default_batch_size(self) -> int:
        # Small enough that workers finish together, large enough that the
        # per-command cost of the repl does not show.
        per_worker = self.total // (max(1, self.options.workers) * 8) or 1
        return max(16, min(256, per_worker))

    def _set(self, index: int) -> SetPlan:
        assert self.plan is not None
        return self.plan.sets[index]

    def _store(self, set_index: int, raw: RawRecord) -> None:
        set_plan = self._set(set_index)
        record = cast(AttrRecord, {"type": "attr", "set": set_plan.name, **raw})
        error = record.get("error")
        if error is not None:
            # Positions inside the tree, relative to it: dumps of one tree
            # from two places are the same.
            root = str(self.tree).rstrip("/") + "/"
            for key in ("message", "detail"):
                if key in error:
                    error[key] = error[key].replace(root, "")
        self.records[set_index][record["attr"]] = record
        self.done += 1
        self.progress(self.done, self.total)

    # ---- aliases -------------------------------------------------------

    def _resolve_aliases(self) -> None:
        """Give each alias-only name its status and, where found, its target.

        An alias evaluates to its target's own value. Candidates are the
        non-alias attributes with the same derivation name; when there are
        several, the evaluator compares the Values behind their override
        functions (`s` in nix/dump.nix).
        """
        if self.fatal is not None or self.plan is None:
            return
        candidates: dict[tuple[int, str], list[str]] = {}
        for index, set_plan in enumerate(self.plan.sets):
            records = self.records[index]
            by_name: dict[str, list[str]] = {}
            for attr, record in records.items():
                if attr not in set_plan.alias_only and record.get("status") == "ok":
                    by_name.setdefault(record["name"], []).append(attr)
            for attr in set_plan.alias_only:
                alias = records.get(attr)
                if alias is not None and alias["status"] == "ok":
                    found = sorted(by_name.get(alias["name"], []), key=lambda a: (len(a), a))
                    candidates[(index, attr)] = found
        queries = [
            (i, a, c) for (i, a), found in candidates.items() if len(found) > 1 for c in found
        ]
        state = next((s for s in self.states if not s.closed), None)
        if queries and state is not None:
            for index, attr, candidate in queries:
                self._send(
                    state,
                    Command(
                        "same",
                        f"p.s {index} {nix_string(attr)} {nix_string(candidate)}",
                        set_index=index,
                        same=(attr, candidate),
                    ),
                )
            self._loop()
        for index, set_plan in enumerate(self.plan.sets):
            records = self.records[index]
            for attr in set_plan.alias_only:
                record = records[attr]
                if record["status"] == "error":
                    continue  # a removal throw: kind "removed" already
                found = candidates.get((index, attr), [])
                target = (
                    found[0]
                    if len(found) == 1
                    else next((c for c in found if self.same_answers.get((index, attr, c))), None)
                )
                records[attr] = _alias_record(record, target)

    # ---- output --------------------------------------------------------

    def _result(self, seconds: float) -> DumpResult:
        assert self.plan is not None
        records: list[AttrRecord] = []
        for index, set_plan in enumerate(self.plan.sets):
            by_attr = self.records[index]
            for attr in set_plan.names:
                records.append(by_attr[attr])
        _decide_moduleness(records)
        sets: list[SetEntry] = [
            {
                "set": s.name,
                "same_as": s.same_as,
                "interpreter": s.interpreter,
                "attributes": len(s.names),
                "aliases": len(s.alias_only),
            }
            for s in self.plan.sets
        ]
        header = make_header(
            nix_version=self.nix.version,
            nixpkgs=str(self.tree),
            nixpkgs_version=self.plan.nixpkgs_version,
            system=self.plan.system,
            with_paths=self.options.with_paths,
            sets=sets,
        )
        footer = make_footer(records, workers=max(1, self.options.workers), restarts=self.restarts)
        return DumpResult(
            header, records, footer, seconds,
            recycled=self.recycled,
            memory_retries=len(self.memory_retried),
            peak_worker_mb=round(self.peak_rss / (1024 * 1024), 1),
        )  # fmt: skip


# ---- records ---------------------------------------------------------------


def _error_record(attr: str, error: EvalError, warnings: tuple[str, ...] = ()) -> RawRecord:
    record: RawRecord = {"attr": attr, "status": "error", "error": error.as_json()}
    if warnings:
        record["warnings"] = _unique(list(warnings))
    return record


def _alias_record(record: AttrRecord, target: str | None) -> AttrRecord:
    alias: AttrRecord = {
        "type": "attr",
        "set": record["set"],
        "attr": record["attr"],
        "status": "alias",
        "alias_of": target,
    }
    if record["status"] == "ok":
        alias["name"] = record["name"]
        alias["pname"] = record.get("pname")
        alias["version"] = record.get("version")
    else:
        alias["value_status"] = record["status"]
    if "warnings" in record:  # an alias that warns it will go
        alias["warnings"] = record["warnings"]
    return alias


ERROR_MARKER = "__pyindexError"


def _finish_record(
    record: RawRecord, tree: Path, warnings: tuple[str, ...], markers: bool = True
) -> RawRecord:
    """Turn the evaluator's raw record into the documented one.

    `markers` False says the record has no error markers (no need to look).
    """
    field_errors = sorted(k for k, v in record.items() if _is_error_marker(v)) if markers else []
    for key in field_errors:
        record[key] = None
    inputs = record.get("inputs")
    if isinstance(inputs, dict):
        for key, value in list(inputs.items()):
            if markers and _is_error_marker(value):
                inputs[key] = None
                field_errors.append(f"inputs.{key}")
            elif isinstance(value, dict):  # optional-dependencies: extra -> list
                inputs[key] = {extra: _expand_inputs(items) for extra, items in value.items()}
            else:
                inputs[key] = _expand_inputs(value)
    sources = record.get("src")
    if isinstance(sources, list):
        for i, source in enumerate(sources):
            if markers and _is_error_marker(source):
                sources[i] = None
                field_errors.append("src")
            elif source and source.get("kind") == "path":
                source["path"] = _relative_to_tree(source.get("path"), tree)
            elif source and isinstance(source.get("purls"), list):
                source["purls"] = _unique(source["purls"])
    if isinstance(record.get("purls"), list):
        # meta.identifiers has the same purl as `purl` and in `purls`.
        record["purls"] = _unique(record["purls"])
    position = record.get("position")
    if isinstance(position, str):
        record["position"] = _relative_to_tree(position, tree)
    if field_errors:
        record["field_errors"] = field_errors
    if warnings:
        # A warning printed by a thunk that failed once is printed again
        # when the guarded edition evaluates it.
        record["warnings"] = _unique(list(warnings))
    return record


def _tree_has_python_module(records: list[AttrRecord]) -> bool:
    """Whether any derivation of the dump has a pythonModule attribute."""
    for record in records:
        if record["status"] != "ok":
            continue
        if record.get("python_module") is not None:
            return True
        if any(i.get("python_module") is not None for i in _all_inputs(record)):
            return True
    return False


def _all_inputs(record: AttrRecord) -> Iterator[DerivationInput]:
    inputs = record.get("inputs")
    if not isinstance(inputs, dict):
        return
    for value in inputs.values():
        lists = value.values() if isinstance(value, dict) else [value]
        for items in lists:
            for item in items or []:
                if "name" in item:
                    yield cast(DerivationInput, item)


def _decide_moduleness(records: list[AttrRecord]) -> None:
    """Apply mapping/modules.py's rule to every record and input, in place."""
    tree_has = _tree_has_python_module(records)
    # The same inputs recur in thousands of records (setuptools, the hooks).
    decisions: dict[tuple[str, bool | None, bool], Moduleness] = {}

    def decide(name: str, python_module: bool | None, provides_setup_hook: bool) -> Moduleness:
        key = (name, python_module, provides_setup_hook)
        decided = decisions.get(key)
        if decided is None:
            decided = decisions[key] = moduleness(
                name,
                python_module,
                provides_setup_hook=provides_setup_hook,
                tree_has_python_module=tree_has,
            )
        return decided

    for record in records:
        if record["status"] != "ok":
            continue
        # setup_hook: the evaluator's, until this rule has read it.
        setup_hook = cast(RawRecord, record).pop("setup_hook", False) is True
        decided = decide(record["name"], record["python_module"], setup_hook)
        record["python_module"] = decided.python_module
        record["python_module_evidence"] = decided.evidence
        for item in _all_inputs(record):
            decided = decide(item["name"], item["python_module"], item.get("setup_hook") is True)
            item["python_module"] = decided.python_module
            if decided.setup_hook:
                item["setup_hook"] = True


def _expand_inputs(items: list[Any] | None) -> list[Input] | None:
    """The evaluator's compact inputs (see rawInputOf in nix/dump.nix) as objects."""
    if items is None:
        return None
    expanded: list[Input] = []
    for item in items:
        if isinstance(item, str):
            if item != "null":  # `null` entries of an input list mean nothing
                expanded.append({"type": item})
        elif len(item) == 5:
            # python_module as the derivation has it (None: no attribute),
            # until _decide_moduleness applies the tree-wide rule.
            name, pname, version, python_module, setup_hook = item
            derivation: DerivationInput = {
                "name": name,
                "pname": pname,
                "version": version,
                "python_module": python_module,
            }
            if setup_hook:
                derivation["setup_hook"] = True
            expanded.append(derivation)
        else:
            expanded.append({"error": True})
    return expanded


def _unique(items: list[Any]) -> list[Any]:
    return list(dict.fromkeys(items))


def _is_error_marker(value: object) -> bool:
    return isinstance(value, dict) and value.get(ERROR_MARKER) is True


def _relative_to_tree(path: str | None, tree: Path) -> str | None:
    if path is None:
        return None
    root = str(tree).rstrip("/") + "/"
    return path[len(root) :] if path.startswith(root) else path


def dump(
    nix: Nix,
    tree: Path,
    options: DumpOptions,
    *,
    progress: ProgressCallback | None = None,
) -> DumpResult:
    """Dump the Python package sets of `tree` (see the module docstring)."""
    return Dumper(nix, tree, options, progress=progress).run()
