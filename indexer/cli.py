"""The `nixpkgs-pyindex` command line: a thin layer over the library."""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

import click
import orjson

from . import __version__
from .dump import DumpOptions, DumpResult, dump
from .errors import PyindexError
from .nixcmd import find_nix
from .source import resolve_nixpkgs

EXIT_CODES = """\b
Exit codes:
  0  done (records of failed attributes included)
  1  unexpected internal error
  2  bad usage
  3  not a nixpkgs tree, or it does not evaluate
  4  Nix is missing or too old
  5  unknown package set
  6  fetching the nixpkgs tarball failed, or its sha256 differs
  7  the evaluator kept failing to start
"""


class PyindexGroup(click.Group):
    """Turns PyindexError into a one-line message and its exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except PyindexError as e:
            click.echo(f"nixpkgs-pyindex: error: {e}", err=True)
            sys.exit(e.exit_code)


@click.group(cls=PyindexGroup)
@click.version_option(__version__, prog_name="nixpkgs-pyindex")
def main() -> None:
    """Map the Python packages of nixpkgs to PyPI projects.

    Start with `nixpkgs-pyindex dump` to see every package of the embedded
    example nixpkgs as JSON lines.
    """


def nixpkgs_options(f: Any) -> Any:
    f = click.option(
        "--sha256",
        metavar="HASH",
        help="Pin of a nixpkgs tarball URL (hex, Nix base-32 or sha256-… SRI).",
    )(f)
    f = click.option(
        "--nixpkgs",
        metavar="PATH|URL",
        help="A nixpkgs folder, or a tarball URL with --sha256. Default: the embedded fixture.",
    )(f)
    return f


@main.command(epilog=EXIT_CODES)
@nixpkgs_options
@click.option(
    "--set",
    "sets",
    multiple=True,
    metavar="NAME",
    help="Package set to dump (repeatable). Default: every pythonXYPackages set and python3Packages.",
)
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=lambda: min(4, os.cpu_count() or 1),
    show_default="CPUs, at most 4",
    help="Evaluator processes working in parallel.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True, allow_dash=True),
    default="-",
    help="Write the JSON lines here (written whole or not at all). Default: stdout.",
)
@click.option(
    "--with-paths", is_flag=True, help="Add drvPath and outPath (writes .drv files to the store)."
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=1),
    default=300.0,
    show_default=True,
    help="Seconds one attribute may take before it is recorded as a crash.",
)
@click.option(
    "--max-memory",
    type=click.IntRange(min=64),
    default=4096,
    show_default=True,
    metavar="MIB",
    help="Resident memory of one evaluator before it is killed and the attribute recorded as a crash.",
)
@click.option("--json", "summary_json", is_flag=True, help="Print the summary as JSON (on stderr).")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar and no summary.")
def dump_command(
    nixpkgs: str | None,
    sha256: str | None,
    sets: tuple[str, ...],
    workers: int,
    output: str,
    with_paths: bool,
    timeout: float,
    max_memory: int,
    summary_json: bool,
    quiet: bool,
) -> None:
    """Dump every attribute of the Python package sets as JSON lines.

    One record per attribute of each set (ok, error, null, not-derivation or
    alias), between a header and a footer line; docs/dump-schema.md has the
    schema. A progress bar and a one-line summary go to stderr.

    \b
    Examples:
      nixpkgs-pyindex dump -o fixture.jsonl
      nixpkgs-pyindex dump --nixpkgs ~/src/nixpkgs --set python313Packages
      nixpkgs-pyindex dump --nixpkgs https://example.org/nixpkgs.tar.gz --sha256 sha256-…
    """
    tree = resolve_nixpkgs(nixpkgs, sha256)
    nix = find_nix()
    options = DumpOptions(
        sets=list(sets) or None,
        workers=workers,
        with_paths=with_paths,
        attr_timeout=timeout,
        max_memory_mb=max_memory,
    )
    with progress_bar(quiet) as progress:
        result = dump(nix, tree, options, progress=progress)
    write_lines(result, output)
    if not quiet:
        if summary_json:
            click.echo(orjson.dumps(result.footer).decode(), err=True)
        else:
            click.echo(summary_line(result), err=True)


dump_command.name = "dump"


@contextmanager
def progress_bar(quiet: bool) -> Iterator[Any]:
    """A callback drawing a progress bar on stderr (nothing if not a tty)."""
    if quiet or not sys.stderr.isatty():
        yield None
        return
    with click.progressbar(length=1, label="evaluating", file=sys.stderr, show_pos=True) as bar:
        state = {"done": 0}

        def update(done: int, total: int) -> None:
            bar.length = max(total, 1)
            bar.update(done - state["done"])
            state["done"] = done

        yield update


def write_lines(result: DumpResult, output: str) -> None:
    if output == "-":
        out: IO[bytes] = sys.stdout.buffer
        for line in result.lines():
            out.write(line + b"\n")
        out.flush()
        return
    target = Path(output)
    target.parent.mkdir(parents=True, exist_ok=True)
    # Written beside the target and renamed: a failed dump never leaves a
    # truncated file where a good one was.
    fd, tmp = tempfile.mkstemp(dir=target.parent or Path("."), prefix=f".{target.name}.")
    try:
        # mkstemp makes the file private; a dump is an ordinary output file.
        umask = os.umask(0)
        os.umask(umask)
        os.fchmod(fd, 0o666 & ~umask)
        with os.fdopen(fd, "wb") as f:
            for line in result.lines():
                f.write(line + b"\n")
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def summary_line(result: DumpResult) -> str:
    footer = result.footer
    sets = ", ".join(
        s["set"] + (f" (= {', '.join(s['same_as'])})" if s["same_as"] else "")
        for s in result.header["sets"]
    )
    statuses = ", ".join(f"{n} {status}" for status, n in footer["status"].items())
    kinds = footer["error_kinds"]
    if kinds:
        statuses += " (" + ", ".join(f"{n} {k}" for k, n in kinds.items()) + ")"
    return (
        f"dumped {footer['records']} attributes of {sets} in {footer['seconds']:.1f} s: {statuses}"
    )
