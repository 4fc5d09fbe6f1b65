"""What the evaluator printed for one attribute: its warnings, and the error.

Kinds (docs/dump-schema.md):
- catchable by builtins.tryEval: `disabled` (buildPythonPackage's
  "not supported for interpreter"), `removed` (an alias-only name that
  throws), `meta` (broken/unfree/insecure refusal), `assert`, `throw`;
- not catchable: `crash`, with a `cause` saying what killed the evaluation
  (abort, infinite-recursion, missing-attribute, stack-overflow, timeout,
  memory, signal, …).

Most errors reach us uncaught (the dump evaluates a package's value without
tryEval, so that a failing attribute costs one throw, not three), so whether
tryEval would have caught one is read from its wording: the evaluator's own
errors (abort, missing attribute, infinite recursion, type errors …) have
fixed wordings; anything else was thrown by the tree.

Nix 2.8 and Nix ≥ 2.18 print the same error differently: newer Nix prints
"… while" frames first (the outermost, which are the dump's own) and the
error last, indents it, and words a few errors differently. The message and
detail kept here are the same under both wherever the evaluator's wording is.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

# Longest first where one pattern contains another. Matched against the
# error's own message, never the code the evaluator quotes under it.
CRASH_CAUSES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("abort", re.compile(r"evaluation aborted with the following error message")),
    ("infinite-recursion", re.compile(r"infinite recursion encountered")),
    ("stack-overflow", re.compile(r"stack overflow|max-call-depth")),
    ("missing-attribute", re.compile(r"attribute '.*' missing|does not provide attribute")),
    ("undefined-variable", re.compile(r"undefined variable")),
    (
        "type",
        # 2.8: "value is a set while a string was expected";
        # newer: "expected a string but found a set: { … }".
        re.compile(r"value is .* while a .* was expected|cannot coerce|expected an? \w+ but found"),
    ),
    ("restricted", re.compile(r"forbidden in restricted mode|is not allowed to refer to")),
    (
        "import-from-derivation",
        re.compile(r"allow-import-from-derivation|during evaluation because"),
    ),
    ("store", re.compile(r"is not supported by store")),
    ("out-of-memory", re.compile(r"out of memory|std::bad_alloc")),
    ("parse", re.compile(r"syntax error|unexpected end of file")),
    ("file", re.compile(r"getting status of|opening file|path '.*' does not exist")),
)
# What the repl prints when a tree file ends mid-expression: it took the
# error for incomplete input, and our reset line (":p 0") ended it.
SWALLOWED_EOF = re.compile(r"syntax error, unexpected ':'")

META_REFUSAL = re.compile(
    r"is marked as broken|has an unfree license|is marked as insecure|"
    r"is not available on the requested hostPlatform|refusing to evaluate"
)
DISABLED = re.compile(r"not supported for interpreter")
# The derivation name these two errors start with: `NAME not supported for
# interpreter pythonX.Y` (buildPythonPackage's `disabled`), and nixpkgs'
# refusals `Package ‘NAME’ in FILE is marked as broken` (unfree, insecure),
# `… is not supported on …` (platforms).
DISABLED_NAME = re.compile(r"^(?P<name>\S+) not supported for interpreter ")
REFUSED_NAME = re.compile(r"^Package [‘'](?P<name>[^’']+)[’'] in .* is (?:marked as|not)")
# Newer Nix (2.21+) explains a failed `assert a == b` by comparing a and b;
# the assertion itself is only named in a frame above the error.
ASSERTION_FRAME = re.compile(r"… while evaluating the condition of the assertion '(.*)'$")
ASSERT_EQUALITY = re.compile(
    r" is not equal to |differs from attribute set|compare as unequal|has a different context"
)

# Lines the evaluator prints for warnings: `builtins.trace`, and
# `builtins.warn` (Nix ≥ 2.23), whose "evaluation warning: …" today's
# lib.warn traces on older Nix.
TRACE_PREFIX = "trace: "
WARNING_PREFIX = "evaluation warning: "
# Nix indents an error's lines after the first by this much (newer Nix,
# the whole block, frames included).
BLOCK_INDENT = " " * 7
# Hints that depend on how the evaluator was started, not on the error.
HINTS = re.compile(r"^\((use '--show-trace'|stack trace truncated)")
POSITION = re.compile(r"^at (.*):\d+:\d+:$")
CODE_LINE = re.compile(r"^\d*\|")

MAX_DETAIL = 4000


@dataclass(frozen=True)
class EvalError:
    kind: str
    message: str
    cause: str | None = None
    detail: str | None = None

    def as_json(self) -> dict[str, str]:
        out = {"kind": self.kind, "message": self.message}
        if self.cause is not None:
            out["cause"] = self.cause
        if self.detail:
            out["detail"] = self.detail
        return out


@dataclass(frozen=True)
class EvaluatorOutput:
    """What the evaluator printed while evaluating one thing.

    `warnings`: trace and warning messages, in order, the same under every
    Nix version (`lib.warn`'s "evaluation warning: …" whether it traced or
    warned);
    `frames`: newer Nix's "… while …" lines above the error; `error`: the
    error's own lines, from its last `error:` line on, without the block's
    indentation (which newer Nix gives the `error:` line too).
    """

    warnings: tuple[str, ...]
    frames: tuple[str, ...]
    error: tuple[str, ...]

    @property
    def message(self) -> str:
        if not self.error:
            return "unknown error"
        first = self.error[0]
        message = first[len("error:") :].strip() if first.startswith("error:") else first
        if not message and len(self.error) > 1:
            message = self.error[1]
        return message

    def detail(self, hide_paths: Sequence[str] = ()) -> str:
        """The error with its position and code, without the hint lines and
        without positions under `hide_paths` (the dump's own scripts)."""
        kept: list[str] = []
        hiding = False
        for line in self.error:
            position = POSITION.match(line.strip())
            if position is not None:
                hiding = any(position.group(1).startswith(p) for p in hide_paths)
            elif not CODE_LINE.match(line.strip()):
                hiding = False
            if not hiding and not HINTS.match(line.strip()):
                kept.append(line)
        detail = "\n".join(kept)
        if len(detail) > MAX_DETAIL:
            detail = detail[:MAX_DETAIL] + "\n…"
        return detail

    @property
    def assertion(self) -> str | None:
        """The assertion a frame names (newer Nix's failed `assert a == b`)."""
        for frame in reversed(self.frames):
            match = ASSERTION_FRAME.match(frame)
            if match is not None:
                return match.group(1)
        return None

    @property
    def hides_assertion(self) -> bool:
        """A failed `assert a == b` whose frame newer Nix did not print (it
        shows only the outermost frames, which are the dump's): ask again
        with traces on."""
        return self.assertion is None and ASSERT_EQUALITY.search(self.message) is not None


def _warning_text(line: str) -> str | None:
    if line.startswith(TRACE_PREFIX):
        return line[len(TRACE_PREFIX) :]
    if line.startswith(WARNING_PREFIX):
        return line
    return None


def read_output(lines: Sequence[str]) -> EvaluatorOutput:
    """Split what the repl printed for one command (see EvaluatorOutput)."""
    warnings: list[str] = []
    frames: list[str] = []
    error: list[str] = []
    in_error = False
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        if not in_error:
            text = _warning_text(raw)
            if text is not None:
                warnings.append(text)
                continue
            if not line.startswith("error:"):
                if warnings:  # a multi-line trace or warning message
                    warnings[-1] += "\n" + line
                continue
            in_error = True
        if line.startswith("error:"):
            # Newer Nix: the frames, then the last `error:` line is the error.
            frames.extend(error)
            error = [line]
        else:
            text = raw.rstrip()
            error.append(text[len(BLOCK_INDENT) :] if text.startswith(BLOCK_INDENT) else line)
    frames = [f.strip() for f in frames if f.strip().startswith("…")]
    return EvaluatorOutput(tuple(warnings), tuple(frames), tuple(error))


def crash_cause(message: str) -> str | None:
    """The cause of an error tryEval cannot catch, by the evaluator's wording;
    None for a message the tree threw."""
    for cause, pattern in CRASH_CAUSES:
        if pattern.search(message):
            return cause
    return None


def classify(
    output: EvaluatorOutput,
    *,
    alias_only: bool,
    caught: bool = False,
    hide_paths: Sequence[str] = (),
) -> EvalError:
    """The record of an error the repl printed for one attribute.

    `caught`: tryEval caught it, so it is no crash whatever its wording.
    """
    message = output.message
    detail = output.detail(hide_paths)
    if SWALLOWED_EOF.search(message):
        message = "syntax error in a file of the tree: unexpected end of file"
        return EvalError("crash", message, "parse", detail)
    cause = None if caught else crash_cause(message)
    if cause is not None:
        return EvalError("crash", message, cause, detail)
    assertion = output.assertion
    if alias_only:
        kind = "removed"
    elif DISABLED.search(message):
        kind = "disabled"
    elif META_REFUSAL.search(message):
        kind = "meta"
    elif assertion is not None:
        # Worded as Nix 2.8 words it, which names the assertion.
        kind, message = "assert", f"assertion '{assertion}' failed"
    elif message.startswith("assertion") or "assertion" in message.split("'")[0]:
        kind = "assert"
    else:
        kind = "throw"
    return EvalError(kind, message, None, detail)


def process_crash(
    output: EvaluatorOutput, exit_description: str, hide_paths: Sequence[str] = ()
) -> EvalError:
    """The record of an attribute during which the evaluator process died.

    The message is what the evaluator said, if anything (Nix 2.8 prints
    "stack overflow" and exits; newer Nix survives it and says so
    itself); how the process ended goes to the detail."""
    if exit_description.startswith("timeout"):
        cause = "timeout"
    elif exit_description.startswith("memory"):
        cause = "memory"
    elif output.error:
        cause = crash_cause(output.message) or "other"
    else:
        cause = "signal"
    if not output.error:
        return EvalError("crash", exit_description, cause, exit_description)
    detail = output.detail(hide_paths) + "\n" + f"({exit_description})"
    return EvalError("crash", output.message, cause, detail)


def package_named_by_error(kind: object, message: object) -> str | None:
    """The derivation name a disabled (`kind` "disabled") or refused ("meta")
    package gives in its error message, so that it can still be found by
    name; None for any other error."""
    if kind not in ("disabled", "meta") or not isinstance(message, str):
        return None
    match = DISABLED_NAME.match(message) or REFUSED_NAME.match(message)
    return match.group("name") if match else None
