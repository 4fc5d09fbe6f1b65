"""Run many reads of one copy of the command line in one process.

`python -m tests.read_runner MODULE` reads a JSON list of jobs on stdin (each
`{"args": [...], "out": FILE}`), invokes `MODULE.cli.main` on each through
click's test runner, the very code path of `python -m MODULE`, and prints
each job's exit code, stdout, stderr and the file it wrote (or null).

One process per copy instead of one per read: a process starts in 0.27 s
here, and tests/test_schema_differential.py runs hundreds of reads. Each
copy runs in its own process, so neither can load the other.
"""

from __future__ import annotations

import importlib
import json
import sys
import traceback
from pathlib import Path
from typing import Any

from click.testing import CliRunner


def runner() -> CliRunner:
    try:  # click < 8.2 mixes stderr into stdout unless told not to
        return CliRunner(mix_stderr=False)  # type: ignore[call-arg]
    except TypeError:
        return CliRunner()


def run_jobs(module: str, jobs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    main = importlib.import_module(f"{module}.cli").main
    invoke = runner()
    answers = []
    for job in jobs:
        out = Path(job["out"])
        out.unlink(missing_ok=True)
        result = invoke.invoke(main, job["args"], prog_name="nixpkgs-pyindex")
        stderr = result.stderr
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            assert result.exc_info is not None
            # What the interpreter would print of an uncaught exception.
            stderr += "".join(traceback.format_exception(*result.exc_info))
        answers.append(
            {
                "code": result.exit_code,
                "stdout": result.stdout,
                "stderr": stderr,
                "written": out.read_text() if out.exists() else None,
            }
        )
    return answers


if __name__ == "__main__":
    json.dump(run_jobs(sys.argv[1], json.load(sys.stdin)), sys.stdout)
