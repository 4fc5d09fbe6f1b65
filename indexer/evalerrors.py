"""What kind of evaluation error a message is.

Kinds (docs/dump-schema.md):
- catchable by builtins.tryEval: `disabled` (buildPythonPackage's
  "not supported for interpreter"), `removed` (an alias-only name that
  throws), `meta` (broken/unfree/insecure refusal), `assert`, `throw`;
- not catchable: `crash`, with a `cause` saying what killed the evaluation
  (abort, infinite-recursion, missing-attribute, stack-overflow, timeout,
  memory, signal, …).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Longest first where one pattern contains another.
CRASH_CAUSES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("abort", re.compile(r"evaluation aborted with the following error message")),
    ("infinite-recursion", re.compile(r"infinite recursion encountered")),
    ("stack-overflow", re.compile(r"stack overflow|max-call-depth")),
    ("missing-attribute", re.compile(r"attribute '.*' missing|does not provide attribute")),
    ("undefined-variable", re.compile(r"undefined variable")),
    ("type", re.compile(r"value is .* while a .* was expected|cannot coerce|expected a ")),
    ("restricted", re.compile(r"forbidden in restricted mode|is not allowed to refer to")),
    (
        "import-from-derivation",
        re.compile(r"allow-import-from-derivation|during evaluation because"),
    ),
    ("store", re.compile(r"is not supported by store")),
    ("out-of-memory", re.compile(r"out of memory|std::bad_alloc")),
    ("parse", re.compile(r"syntax error|unexpected end of file")),
)
# What the repl prints when a tree file ends mid-expression: it took the
# error for incomplete input, and our reset line (":p 0") ended it.
SWALLOWED_EOF = re.compile(r"syntax error, unexpected ':'")

META_REFUSAL = re.compile(
    r"is marked as broken|has an unfree license|is marked as insecure|"
    r"is not available on the requested hostPlatform|refusing to evaluate"
)
DISABLED = re.compile(r"not supported for interpreter")


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


MAX_DETAIL = 4000


def split_error_text(lines: list[str]) -> tuple[str, str]:
    """(message, detail) from the lines Nix printed for one error.

    The message is the text of the last `error:` line (newer Nix prints its
    "… while evaluating" frames before it, Nix 2.8 after it); the detail is
    the whole block, trimmed.
    """
    text_lines = [line for line in lines if line.strip()]
    error_lines = [i for i, line in enumerate(text_lines) if line.lstrip().startswith("error:")]
    if not error_lines:
        message = text_lines[-1].strip() if text_lines else "unknown error"
    else:
        message = text_lines[error_lines[-1]].lstrip()[len("error:") :].strip()
        if not message and error_lines[-1] + 1 < len(text_lines):
            message = text_lines[error_lines[-1] + 1].strip()
    detail = "\n".join(text_lines)
    if len(detail) > MAX_DETAIL:
        detail = detail[:MAX_DETAIL] + "\n…"
    return message, detail


def crash_cause(text: str) -> str:
    for cause, pattern in CRASH_CAUSES:
        if pattern.search(text):
            return cause
    return "other"


def classify(lines: list[str], *, catchable: bool, alias_only: bool) -> EvalError:
    """The record of an error the repl printed for one attribute."""
    message, detail = split_error_text(lines)
    if not catchable:
        if SWALLOWED_EOF.search(message):
            message = "syntax error in a file of the tree: unexpected end of file"
            return EvalError("crash", message, "parse", detail)
        return EvalError("crash", message, crash_cause(detail), detail)
    if alias_only:
        kind = "removed"
    elif DISABLED.search(message):
        kind = "disabled"
    elif META_REFUSAL.search(message):
        kind = "meta"
    elif message.startswith("assertion") or "assertion" in message.split("'")[0]:
        kind = "assert"
    else:
        kind = "throw"
    return EvalError(kind, message, None, detail)


def process_crash(lines: list[str], exit_description: str) -> EvalError:
    """The record of an attribute during which the evaluator process died."""
    message, detail = split_error_text(lines) if lines else (exit_description, "")
    if not lines:
        message = exit_description
    elif exit_description not in message:
        message = f"{message} ({exit_description})"
    if exit_description.startswith("timeout"):
        cause = "timeout"
    elif exit_description.startswith("memory"):
        cause = "memory"
    else:
        cause = crash_cause(detail) if lines else "signal"
    return EvalError("crash", message, cause, detail or exit_description)
