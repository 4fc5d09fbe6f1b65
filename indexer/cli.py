"""The `nixpkgs-pyindex` command line: a thin layer over the library."""

from __future__ import annotations

import os
import signal
import sys
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click
import orjson

from indexer import __version__
from indexer.audit.rules import REPORT_FORMATS, RULES
from indexer.dump.limits import DEFAULT_MAX_MEMORY_MB, DEFAULT_RECYCLE_MEMORY_MB
from indexer.errors import EXIT_CODES, PyindexError
from indexer.files import write_output
from indexer.paths import DEFAULT_DB_SHOWN, DEFAULT_INDEX_URL, default_db_path
from indexer.query.export import (
    CONFIDENCES,
    DEFAULT_MIN_CONFIDENCE,
    FORMATS,
    MACH_NIX_FORMATS,
)

if TYPE_CHECKING:  # the evaluation is imported by the commands that evaluate
    from indexer.dump.orchestrator import DumpOptions, DumpResult
    from indexer.store.ingest import IngestResult

# The modules behind the index's commands (mapping, packaging, the audit)
# are imported by the commands that use them: `dump` starts without them.


def exit_codes_help(*codes: int) -> str:
    """A command's help section on its exit codes, from the one table."""
    lines = ["\b", "Exit codes:"]
    for code in codes:
        lines += textwrap.wrap(
            EXIT_CODES[code].replace("`", ""),
            width=94,
            initial_indent=f"  {code:<2} ",
            subsequent_indent="     ",
            break_on_hyphens=False,
        )
    return "\n".join(lines) + "\n"


DUMP_EXIT_CODES = exit_codes_help(0, 1, 2, 3, 4, 5, 6, 7, 14)


class PyindexGroup(click.Group):
    """Turns PyindexError into a one-line message and its exit code, and
    click's usage errors (a missing file, a bad option) into one line and
    exit code 2."""

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:
        try:
            return super().make_context(info_name, args, parent, **extra)
        except click.UsageError as e:
            usage_error(e)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except click.UsageError as e:
            usage_error(e)
        except PyindexError as e:
            click.echo(f"nixpkgs-pyindex: error: {e}", err=True)
            sys.exit(e.exit_code)


def usage_error(e: click.UsageError) -> NoReturn:
    """One line instead of click's usage, hint and message (exit code 2)."""
    if type(e).__name__ == "NoArgsIsHelpError":  # the bare group: its help, as click has it
        raise e
    hint = f" (see {e.ctx.command_path} --help)" if e.ctx is not None else ""
    click.echo(f"nixpkgs-pyindex: error: {e.format_message()}{hint}", err=True)
    sys.exit(e.exit_code)


class NonEmptyPath(click.Path):
    """click.Path that refuses an empty string (which Path() reads as ".")."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, str) and not value.strip():
            self.fail("the path is empty", param, ctx)
        return super().convert(value, param, ctx)


class NonEmptyString(click.types.StringParamType):
    """A file, folder or URL given as a plain string: not empty."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, str) and not value.strip():
            self.fail("the value is empty", param, ctx)
        return super().convert(value, param, ctx)


NON_EMPTY = NonEmptyString()


@click.group(cls=PyindexGroup, context_settings={"max_content_width": 100})
@click.version_option(__version__, prog_name="nixpkgs-pyindex")
def main() -> None:
    """Map the Python packages of nixpkgs to PyPI projects.

    \b
    Start with the embedded example nixpkgs:
      nixpkgs-pyindex index                        # dump it and store it in the index
      nixpkgs-pyindex candidates 'PyYAML>=6'       # what provides a requirement
      nixpkgs-pyindex show pyyaml                  # what the index knows of an attribute
      nixpkgs-pyindex audit                        # naming health report
    A real nixpkgs: index --nixpkgs PATH, or reindex --channel NAME --git REPO.
    Each command's --help has examples and its exit codes.
    """
    # Stopped (systemd, kill): end as ^C does, through every cleanup on the
    # way out (the evaluators, the temporary store and tree).
    signal.signal(signal.SIGTERM, _terminated)


def _terminated(signum: int, _frame: object) -> NoReturn:
    sys.exit(128 + signum)


def nixpkgs_options(f: Any) -> Any:
    f = click.option(
        "--sha256",
        type=NON_EMPTY,
        metavar="HASH",
        help="Pin of a nixpkgs tarball URL (hex, Nix base-32 or sha256-… SRI).",
    )(f)
    f = click.option(
        "--nixpkgs",
        type=NON_EMPTY,
        metavar="PATH|URL",
        help="A nixpkgs folder, or a tarball URL with --sha256. Default: the embedded fixture.",
    )(f)
    return f


def _keep_recycle_memory(ctx: click.Context, _param: click.Parameter, value: int | None) -> None:
    # Kept aside rather than passed: every command taking the evaluation
    # options keeps its signature, and reads it with recycle_memory().
    ctx.meta["recycle_memory"] = value


def recycle_memory() -> int | None:
    """The command's --recycle-memory (None: DumpOptions' default)."""
    value: int | None = click.get_current_context().meta.get("recycle_memory")
    return value


def dump_options(
    sets: tuple[str, ...], workers: int, timeout: float, max_memory: int, with_paths: bool = False
) -> DumpOptions:
    """The evaluation as the command's options ask for it."""
    from indexer.dump.orchestrator import DumpOptions

    return DumpOptions(
        sets=list(sets) or None,
        workers=workers,
        with_paths=with_paths,
        attr_timeout=timeout,
        max_memory_mb=max_memory,
        recycle_memory_mb=recycle_memory(),
    )


# The evaluators' memory limits, shared by every command that evaluates
# (dump, index, reindex, backfill).
MEMORY_OPTIONS = [
    click.option(
        "--max-memory",
        type=click.IntRange(min=64),
        default=DEFAULT_MAX_MEMORY_MB,
        show_default=True,
        metavar="MIB",
        help="Hard limit: an evaluator past it is killed at once; the attribute "
        "it was on is evaluated again in a fresh one, and recorded as a crash "
        "only if it crosses the limit there too.",
    ),
    click.option(
        "--recycle-memory",
        type=click.IntRange(min=32),
        metavar="MIB",
        expose_value=False,
        callback=_keep_recycle_memory,
        help="Soft limit: an evaluator past it is replaced by a fresh one "
        f"between two batches, nothing lost. Default: {DEFAULT_RECYCLE_MEMORY_MB}, "
        "at most half of --max-memory.",
    ),
]


def memory_options(f: Any) -> Any:
    for option in reversed(MEMORY_OPTIONS):
        f = option(f)
    return f


# What is evaluated and how long one attribute may take (dump, index,
# reindex, backfill).
SETS_OPTION = click.option(
    "--set",
    "sets",
    multiple=True,
    metavar="NAME",
    help="Package set to dump (repeatable). Default: every pythonXYPackages set and python3Packages.",
)
TIMEOUT_OPTION = click.option(
    "--timeout",
    type=click.FloatRange(min=1),
    default=300.0,
    show_default=True,
    help="Seconds one attribute may take before it is recorded as a crash.",
)


def evaluation_options(f: Any) -> Any:
    """The options of the evaluation (shared by dump and index)."""
    options = [
        SETS_OPTION,
        click.option(
            "--workers",
            type=click.IntRange(1, 64),
            default=lambda: min(4, os.cpu_count() or 1),
            show_default="CPUs, at most 4",
            help="Evaluator processes working in parallel.",
        ),
        TIMEOUT_OPTION,
        *MEMORY_OPTIONS,
    ]
    for option in reversed(options):
        f = option(f)
    return f


@main.command(epilog=DUMP_EXIT_CODES)
@nixpkgs_options
@evaluation_options
@click.option(
    "-o",
    "--output",
    type=NonEmptyPath(dir_okay=False, writable=True, allow_dash=True),
    default="-",
    help="Write the JSON lines here (written whole or not at all). Default: stdout.",
)
@click.option(
    "--with-paths", is_flag=True, help="Add drvPath and outPath (writes .drv files to the store)."
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
    from indexer.dump.evaluator import find_nix
    from indexer.dump.orchestrator import dump
    from indexer.source import resolve_nixpkgs

    tree = resolve_nixpkgs(nixpkgs, sha256)
    nix = find_nix()
    options = dump_options(sets, workers, timeout, max_memory, with_paths)
    with progress_bar(quiet) as progress:
        result = dump(nix, tree, options, progress=progress)
    write_output(output, (line + b"\n" for line in result.lines()))
    if not quiet:
        if summary_json:
            summary = {
                **result.footer,
                "seconds": round(result.seconds, 3),
                "recycled": result.recycled,
                "memory_retries": result.memory_retries,
                "peak_worker_mib": result.peak_worker_mb,
            }
            click.echo(orjson.dumps(summary).decode(), err=True)
        else:
            click.echo(summary_line(result), err=True)


dump_command.name = "dump"


@contextmanager
def progress_bar(quiet: bool, label: str = "evaluating") -> Iterator[Any]:
    """A callback drawing a progress bar on stderr (nothing if not a tty)."""
    if quiet or not sys.stderr.isatty():
        yield None
        return
    with click.progressbar(length=1, label=label, file=sys.stderr, show_pos=True) as bar:
        state = {"done": 0}

        def update(done: int, total: int) -> None:
            bar.length = max(total, 1)
            bar.update(done - state["done"])
            state["done"] = done

        yield update


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
    return f"dumped {footer['records']} attributes of {sets} in {result.seconds:.1f} s: {statuses}"


# ---- the index ----------------------------------------------------------

INDEX_EXIT_CODES = exit_codes_help(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 14)


def db_option(f: Any) -> Any:
    return click.option(
        "--db",
        "db_path",
        type=NonEmptyPath(dir_okay=False, path_type=Path),
        default=default_db_path,
        show_default=DEFAULT_DB_SHOWN,
        help="The SQLite index.",
    )(f)


def revision_options(f: Any) -> Any:
    f = click.option("--date", metavar="DATE", help="Commit date of the revision (ISO 8601).")(f)
    f = click.option("--channel", metavar="NAME", help="Channel the revision belongs to.")(f)
    f = click.option(
        "--rev",
        metavar="REV",
        help="Revision name (a nixpkgs commit). Default: dump-<hash of the dump>.",
    )(f)
    return f


def print_ingested(result: IngestResult, db_path: Path, as_json: bool) -> None:
    if as_json:
        click.echo(orjson.dumps({**result.__dict__, "db": str(db_path)}).decode())
        return
    counts = ", ".join(f"{n} {status}" for status, n in sorted(result.counts.items()))
    if result.already_indexed:
        click.echo(f"revision {result.rev} is indexed already in {db_path} ({counts})")
        return
    size = db_path.stat().st_size / 1024 / 1024
    click.echo(
        f"indexed revision {result.rev}: {result.records} attributes ({counts}), "
        f"{result.new_packages} new packages stored, in {result.seconds:.1f} s; "
        f"{db_path} ({size:.1f} MiB)"
    )


pypi_names_option = click.option(
    "--pypi-names",
    type=NON_EMPTY,
    metavar="online|FILE|none",
    help="PyPI's project list: names the packages whose source names none (kept only where"
    " PyPI has a name two pieces of evidence give), and feeds the audit's PyPI rules."
    " `online` fetches PyPI's simple index (cached, revalidated with its ETag); FILE is one"
    " name a line, the PEP 691 JSON, or a TSV `name<TAB>version…` whose newest releases also"
    " rule out a name of an older series than nixpkgs builds; `none` (the default) works"
    " offline, pname standing in.",
)


@main.command(epilog=INDEX_EXIT_CODES)
@click.argument(
    "dump_file", metavar="DUMP", type=NonEmptyPath(exists=True, dir_okay=False, path_type=Path)
)
@db_option
@revision_options
@pypi_names_option
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
def ingest(
    dump_file: Path,
    db_path: Path,
    rev: str | None,
    channel: str | None,
    date: str | None,
    pypi_names: str | None,
    as_json: bool,
    quiet: bool,
) -> None:
    """Store a dump (from `dump`) in the index as one revision.

    All of the revision or none of it: a malformed line aborts with its
    line number and leaves the database as it was. Ingesting the same dump
    again changes nothing. Packages already stored for another revision
    are shared, not stored again.

    \b
    Example:
      nixpkgs-pyindex ingest fixture.jsonl --db index.sqlite --rev 0123abc --channel nixpkgs-unstable
    """
    from indexer.pypinames import load_pypi_names_option
    from indexer.store.ingest import RevisionInfo, file_lines
    from indexer.store.ingest import ingest as ingest_dump

    names = load_pypi_names_option(pypi_names)
    info = RevisionInfo(rev=rev, channel=channel, date=date, source=None)
    with progress_bar(quiet, "ingesting") as progress:
        result = ingest_dump(
            db_path, file_lines(dump_file), info, progress=progress, pypi_names=names
        )
    print_ingested(result, db_path, as_json)


@main.command(name="index", epilog=INDEX_EXIT_CODES)
@nixpkgs_options
@evaluation_options
@db_option
@revision_options
@pypi_names_option
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
def index_command(
    nixpkgs: str | None,
    sha256: str | None,
    sets: tuple[str, ...],
    workers: int,
    timeout: float,
    max_memory: int,
    db_path: Path,
    rev: str | None,
    channel: str | None,
    date: str | None,
    pypi_names: str | None,
    as_json: bool,
    quiet: bool,
) -> None:
    """Dump a nixpkgs and ingest it: the main job.

    With no options it indexes the embedded example nixpkgs into the default
    database, so that `candidates` has something to answer from.

    \b
    Examples:
      nixpkgs-pyindex index
      nixpkgs-pyindex index --nixpkgs ~/src/nixpkgs --rev "$(git -C ~/src/nixpkgs rev-parse HEAD)"
    """
    from indexer.dump.evaluator import find_nix
    from indexer.dump.orchestrator import dump
    from indexer.pypinames import load_pypi_names_option
    from indexer.source import resolve_nixpkgs
    from indexer.store.ingest import RevisionInfo, ingest_dump
    from indexer.store.schema import open_for_reading

    names = load_pypi_names_option(pypi_names)  # a bad list fails before the dump
    if db_path.exists():
        # A file that is no index of this version fails now, not after the dump.
        open_for_reading(db_path).close()
    tree = resolve_nixpkgs(nixpkgs, sha256)
    nix = find_nix()
    options = dump_options(sets, workers, timeout, max_memory)
    with progress_bar(quiet) as progress:
        result = dump(nix, tree, options, progress=progress)
    if not quiet and not as_json:
        click.echo(summary_line(result), err=True)
    info = RevisionInfo(rev=rev, channel=channel, date=date, source=nixpkgs or str(tree))
    with progress_bar(quiet, "ingesting") as progress:
        ingested = ingest_dump(db_path, result, info, progress=progress, pypi_names=names)
    print_ingested(ingested, db_path, as_json)


@main.command(epilog=INDEX_EXIT_CODES)
@click.argument("requirement")
@click.option(
    "--python",
    metavar="VERSION",
    help="Interpreter, e.g. 3.13 (or a set name). Default: python3's.",
)
@click.option("--rev", metavar="REV", help="Indexed revision (or a prefix). Default: the newest.")
@db_option
@click.option(
    "--all", "include_all", is_flag=True, help="Include broken, disabled and non-module packages."
)
@click.option(
    "--nix", "show_nix", is_flag=True, help="Print each candidate's native-inputs Nix expression."
)
@click.option("--json", "as_json", is_flag=True, help="Print the answer as JSON.")
def candidates(
    requirement: str,
    python: str | None,
    rev: str | None,
    db_path: Path,
    include_all: bool,
    show_nix: bool,
    as_json: bool,
) -> None:
    """The nixpkgs attributes that provide a PEP 508 REQUIREMENT, best first.

    Matching versions only; markers are evaluated for the interpreter; the
    canonical attribute comes before versioned (django_4) and variant
    (h5py-mpi) ones of the same version. Each candidate lists the native
    inputs a build of another version should inherit (--nix: as a Nix
    expression). Exit code 1 when nothing provides it.

    \b
    Examples:
      nixpkgs-pyindex candidates 'PyYAML>=6' --python 3.13
      nixpkgs-pyindex candidates 'django<5' --json
    """
    from indexer.query.index import Index

    with Index.open(db_path) as index:
        answer = index.answer(
            requirement,
            python,
            rev,
            include_broken=include_all,
            include_disabled=include_all,
            include_non_modules=include_all,
        )
    if as_json:
        click.echo(orjson.dumps(answer.as_json(), option=orjson.OPT_INDENT_2).decode())
    else:
        for c in answer.candidates:
            flags = [c.attribute_kind, f"{c.name_source}/{c.confidence}"]
            flags += [f for f in ("broken", "disabled") if getattr(c, f)]
            click.echo(f"{c.attr_path}\t{c.version}\t{' '.join(flags)}")
            by_list: dict[str, list[str]] = {}
            for n in c.natives:
                by_list.setdefault(n.list_key, []).append(n.name)
            for key, names in by_list.items():
                click.echo(f"  {key}: {' '.join(names)}")
            if c.missing_extras:
                click.echo(f"  extras not offered: {', '.join(c.missing_extras)}")
            if show_nix:
                click.echo("  " + c.natives_nix.replace("\n", "\n  ").rstrip())
    if not answer.candidates:
        why = "its marker excludes" if answer.marker_excludes else "nothing provides it for"
        excluded = ", ".join(f"{n} {reason}" for reason, n in answer.excluded.items())
        click.echo(
            f"nixpkgs-pyindex: {requirement}: {why} Python {answer.python} in {answer.revision}"
            + (f" (excluded: {excluded})" if excluded else ""),
            err=True,
        )
        sys.exit(1)


@main.command(epilog=INDEX_EXIT_CODES)
@click.argument("attr")
@click.option("--rev", metavar="REV", help="Indexed revision (or a prefix). Default: the newest.")
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print the records as JSON.")
def show(attr: str, rev: str | None, db_path: Path, as_json: bool) -> None:
    """What the index knows of ATTR, in every set (or in SET.ATTR).

    \b
    Examples:
      nixpkgs-pyindex show pyyaml
      nixpkgs-pyindex show python313Packages.django_4 --json
    """
    from indexer.query.index import Index

    with Index.open(db_path) as index:
        records = index.show(attr, rev)
    if as_json:
        click.echo(orjson.dumps(records, option=orjson.OPT_INDENT_2).decode())
        return
    for record in records:
        click.echo(
            record["attr_path"]
            + (f" (= {', '.join(record['also_as'])})" if record["also_as"] else "")
        )
        for key in ("status", "pypi_name", "version", "name_source", "confidence", "override_reason",
                    "alias_target", "error_kind", "drv_name", "position", "broken", "available"):  # fmt: skip
            if record.get(key) is not None:
                click.echo(f"  {key}: {record[key]}")
            if key == "confidence" and record.get("name_source") == "pypi-list":
                # Why PyPI's list gave this name, or none (then it is not on PyPI).
                click.echo(f"  why: {record['name_evidence'][0]}")
        if record.get("error"):
            click.echo(f"  error: {record['error']['message']}")
        by_kind: dict[str, list[str]] = {}
        for i in record["inputs"]:
            label = i["pypi_name"] if i["python"] else i["name"]
            by_kind.setdefault(("native " if i["native"] else "") + i["list_key"], []).append(label)
        for key, names in by_kind.items():
            click.echo(f"  {key}: {' '.join(names)}")


@main.command(epilog=INDEX_EXIT_CODES)
@click.option(
    "--format",
    "fmt",
    type=click.Choice((*FORMATS, "pyproject-nix")),
    default="json",
    show_default=True,
)
@click.option("--rev", metavar="REV", help="Indexed revision (or a prefix). Default: the newest.")
@click.option(
    "--python",
    metavar="VERSION",
    help="mach-nix, pyproject-nix: the interpreter. Default: python3's.",
)
@click.option(
    "--prebuilt",
    is_flag=True,
    help="pyproject-nix: nixpkgs' own build where the locked version is nixpkgs' version.",
)
@db_option
@click.option(
    "-o",
    "--output",
    type=NonEmptyPath(dir_okay=False, writable=True, allow_dash=True),
    default="-",
    help="Write here (whole or not at all); a name ending in .gz is compressed.",
)
@click.option("--gzip", "compress", is_flag=True, help="Compress with gzip.")
@click.option(
    "--min-confidence",
    type=click.Choice(CONFIDENCES),
    help="mach-nix: leave out names of weaker evidence (verified: a PyPI URL or purl; "
    f"declared: also fetchPypi, overrides; inferred: every name). [default: {DEFAULT_MIN_CONFIDENCE}]",
)
def export(
    fmt: str,
    rev: str | None,
    python: str | None,
    db_path: Path,
    output: str,
    compress: bool,
    min_confidence: str | None,
    prebuilt: bool,
) -> None:
    """Export the mapping for other tools.

    \b
    json             PyPI name -> attributes with versions, per interpreter
    mach-nix         attribute -> {pname, version, requirements} or null,
                     mach-nix's nixpkgs index since mach-nix 3.4.0
    mach-nix-legacy  attribute -> "pname@version" or "N/A", mach-nix <= 3.3
    pyproject-nix    a Nix overlay for pyproject.nix/uv2nix package scopes:
                     native inputs, build systems (docs/pyproject-nix.md)

    The mach-nix formats carry the version the source carries where it
    disagrees with the derivation's, leave out versions that are not PEP 440
    and names below --min-confidence, and say so in a line on stderr.

    \b
    Examples:
      nixpkgs-pyindex export -o mapping.json.gz
      nixpkgs-pyindex export --format mach-nix --python 3.12
      nixpkgs-pyindex export --format pyproject-nix --prebuilt -o overrides.nix
    """
    from indexer.query.export import export_document
    from indexer.query.index import Index
    from indexer.query.overlay import overlay_nix, overlay_projects

    if min_confidence is not None and fmt not in MACH_NIX_FORMATS:
        raise click.UsageError("--min-confidence applies to the mach-nix formats only")
    if prebuilt and fmt != "pyproject-nix":
        raise click.UsageError("--prebuilt is for --format pyproject-nix")
    summary = None
    with Index.open(db_path) as index:
        if fmt == "pyproject-nix":
            data = overlay_nix(overlay_projects(index, rev, python), prebuilt).encode()
        else:
            data, summary = export_document(
                index, fmt, rev, python, min_confidence or DEFAULT_MIN_CONFIDENCE
            )
    write_output(output, [data], compress=compress or output.endswith(".gz"))
    if summary:
        click.echo(summary, err=True)


# ---- the audit ----------------------------------------------------------

AUDIT_EXIT_CODES = exit_codes_help(0, 1, 2, 14)


def _rule_list() -> str:
    return "\n".join(f"  {rule.id:<19} {rule.title}" for rule in RULES.values())


@main.command(epilog="\b\nRules:\n" + _rule_list() + "\n\n" + AUDIT_EXIT_CODES)
@db_option
@click.option("--rev", metavar="REV", help="Indexed revision to audit. Default: the newest.")
@click.option(
    "--set", "sets", multiple=True, metavar="SET", help="Only this package set (repeatable)."
)
@click.option("--rule", "rules", multiple=True, metavar="ID", help="Only this rule (repeatable).")
@click.option(
    "--format", "fmt", type=click.Choice(REPORT_FORMATS), default="table", show_default=True
)
@click.option(
    "--fail-on",
    multiple=True,
    metavar="ID",
    help="Exit 1 if this rule has findings (repeatable; 'any' for every rule).",
)
@click.option(
    "--since", metavar="REV", help="Only findings that are new relative to this indexed revision."
)
@click.option(
    "--pypi-names",
    type=NON_EMPTY,
    metavar="FILE|online",
    help="PyPI project names: a file (one per line, PEP 691 JSON, or a TSV"
    " `name<TAB>version…` with each one's newest release), or 'online' for the PyPI simple"
    " index (cached). Needed by not-on-pypi and shadowing.",
)
@click.option(
    "--pypi-index-url",
    default=DEFAULT_INDEX_URL,
    show_default=True,
    help="Simple index for --pypi-names online.",
)
@click.option("--no-store", is_flag=True, help="Do not store the findings in the database.")
@click.option(
    "-o",
    "--output",
    type=NonEmptyPath(dir_okay=False, writable=True, allow_dash=True),
    default="-",
    help="Write the report here (whole or not at all). Default: stdout.",
)
def audit(
    db_path: Path,
    rev: str | None,
    sets: tuple[str, ...],
    rules: tuple[str, ...],
    fmt: str,
    fail_on: tuple[str, ...],
    since: str | None,
    pypi_names: str | None,
    pypi_index_url: str,
    no_store: bool,
    output: str,
) -> None:
    """Advisory health report on the Python attribute names of a revision.

    Each finding has its rule, the evidence (attribute, pname, the name the
    source gives, the position of the expression) and a concrete suggestion:
    the new name and the python-aliases.nix line to add. Findings are stored
    in the database (table findings) unless --no-store.

    \b
    Examples:
      nixpkgs-pyindex audit
      nixpkgs-pyindex audit --pypi-names online --format markdown -o report.md
      nixpkgs-pyindex audit --since "$BASE_REV" --fail-on non-normalized
    """
    from indexer.audit.report import render
    from indexer.audit.run import check_fail_on, run_audit
    from indexer.pypinames import load_pypi_names

    try:
        check_fail_on(fail_on)
        names = None
        if pypi_names is not None:
            loaded = load_pypi_names(pypi_names, index_url=pypi_index_url)
            names = loaded
            if loaded.warning:
                click.echo(f"nixpkgs-pyindex: warning: {loaded.warning}", err=True)
        result = run_audit(
            db_path,
            rev,
            sets=sets,
            rules=rules,
            pypi_names=names,
            since=since,
            store=not no_store,
        )
    except PyindexError as e:
        click.echo(f"nixpkgs-pyindex: error: {e}", err=True)
        sys.exit(2)
    write_output(output, [render(result, fmt).encode()])
    fired = result.fired(fail_on)
    if fired:
        click.echo(f"nixpkgs-pyindex: --fail-on: findings of {', '.join(fired)}", err=True)
        sys.exit(1)


# ---- revisions over time ------------------------------------------------

REINDEX_EXIT_CODES = exit_codes_help(0, 1, 2, 3, 4, 6, 8, 12, 13)


@main.command(epilog=REINDEX_EXIT_CODES)
@click.option(
    "--channel", required=True, metavar="NAME", help="The channel, e.g. nixpkgs-unstable."
)
@click.option(
    "--git",
    "git_repo",
    type=NonEmptyPath(path_type=Path),
    metavar="REPO",
    help="A nixpkgs git repository.",
)
@click.option(
    "--ref", default="HEAD", show_default=True, help="With --git: the channel's branch or ref."
)
@click.option(
    "--url",
    type=NON_EMPTY,
    metavar="URL",
    help="A channel URL (its git-revision file and nixexprs.tar.xz).",
)
@click.option(
    "--sha256", type=NON_EMPTY, metavar="HASH", help="With --url: pin of nixexprs.tar.xz."
)
@db_option
@click.option(
    "--keep",
    type=click.IntRange(min=1),
    metavar="N",
    help="Keep only the channel's N newest revisions.",
)
@click.option(
    "--wait",
    type=click.FloatRange(min=0),
    default=0,
    metavar="SECONDS",
    help="Wait this long for another reindex to finish.",
)
@click.option(
    "--exclude",
    "excludes",
    multiple=True,
    type=NON_EMPTY,
    metavar="PATH",
    help="With --git: leave PATH out of the tree (e.g. a blob missing from a partial clone).",
)
@pypi_names_option
@evaluation_options
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bars.")
def reindex(
    channel: str,
    git_repo: Path | None,
    ref: str,
    url: str | None,
    sha256: str | None,
    db_path: Path,
    keep: int | None,
    wait: float,
    excludes: tuple[str, ...],
    pypi_names: str | None,
    sets: tuple[str, ...],
    workers: int,
    timeout: float,
    max_memory: int,
    as_json: bool,
    quiet: bool,
) -> None:
    """Index a channel's head if it moved, and report what changed.

    Resolves the head (--git REPO --ref REF, or --url CHANNEL_URL), exits
    quickly if that revision is indexed already, otherwise dumps, ingests
    and audits it, prunes with --keep, and prints the change against the
    channel's previous revision: packages added and removed, version and
    name-mapping changes, newly failing and fixed ones, new and fixed audit
    findings. Safe to kill at any point and to run on a schedule; one run
    per database at a time.

    \b
    Examples:
      nixpkgs-pyindex reindex --channel nixpkgs-unstable --git ~/nixpkgs --ref origin/nixpkgs-unstable
      nixpkgs-pyindex reindex --channel nixpkgs-unstable --url https://channels.nixos.org/nixpkgs-unstable --keep 30 --json
    """
    from indexer.pypinames import load_pypi_names_option
    from indexer.reindex import ReindexOptions
    from indexer.reindex import reindex as run_reindex

    names = load_pypi_names_option(pypi_names)
    options = ReindexOptions(
        channel=channel,
        db_path=db_path,
        git=git_repo,
        ref=ref,
        url=url,
        sha256=sha256,
        keep=keep,
        wait=wait,
        excludes=excludes,
        dump_options=dump_options(sets, workers, timeout, max_memory),
        pypi_names=names,
    )

    @contextmanager
    def bars(label: str) -> Iterator[Any]:
        with progress_bar(quiet or as_json, label) as callback:
            yield callback

    result = run_reindex(options, progress=bars)
    if as_json:
        click.echo(orjson.dumps(result.as_json(), option=orjson.OPT_INDENT_2).decode())
        return
    if result.action == "up-to-date":
        click.echo(f"{channel}: {result.rev} is indexed already ({result.seconds:.1f} s)")
        return
    what = {
        "indexed": f"indexed {result.records} attributes, {result.new_packages} new packages stored",
        "reused": f"nothing the evaluation reads changed since {result.previous}: "
        f"{result.records} attributes taken over",
        "audited": "was indexed already; audited",
    }[result.action]
    click.echo(f"{channel}: {result.rev}: {what} in {result.seconds:.1f} s")
    if result.pruned:
        click.echo(f"pruned {len(result.pruned)} old revisions: {', '.join(result.pruned)}")
    if result.diff is not None:
        click.echo(result.diff.summary())


@main.command(epilog=INDEX_EXIT_CODES)
@click.argument("name")
@click.option("--python", metavar="VERSION", help="Only this interpreter (3.13, or a set name).")
@click.option("--channel", metavar="NAME", help="Only this channel's revisions.")
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print the history as JSON.")
def history(
    name: str, python: str | None, channel: str | None, db_path: Path, as_json: bool
) -> None:
    """Which indexed revisions had PyPI project NAME, with which attributes
    and versions ("which nixpkgs has numpy 1.14?"), oldest first.

    \b
    Example:
      nixpkgs-pyindex history numpy --python 3.6
    """
    from indexer.query.history import project_history
    from indexer.query.index import Index
    from mapping.names import is_valid_project_name

    if not is_valid_project_name(name):
        raise click.BadParameter(f"{name!r} is not a PyPI project name", param_hint="NAME")
    with Index.open(db_path) as index:
        entries = project_history(index.conn, name, python, channel)
    if as_json:
        click.echo(
            orjson.dumps([e.as_json() for e in entries], option=orjson.OPT_INDENT_2).decode()
        )
        return
    for e in entries:
        packages = ", ".join(
            f"{s}.{a} {v}" + ("" if st == "ok" else f" ({st})") for s, a, v, st in e.packages
        )
        click.echo(f"{(e.date or '')[:10]:10} {e.rev[:12]:12} {e.channel or '':18} {packages}")
    if not entries:
        where = (f" for Python {python}" if python is not None else "") + (
            f" in channel {channel}" if channel is not None else ""
        )
        click.echo(f"nixpkgs-pyindex: no indexed revision has {name}{where}", err=True)
        sys.exit(1)


@main.command(epilog=INDEX_EXIT_CODES)
@click.argument("rev_a")
@click.argument("rev_b")
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print the change as JSON.")
@click.option("--limit", default=20, show_default=True, help="Lines per kind of change.")
def diff(rev_a: str, rev_b: str, db_path: Path, as_json: bool, limit: int) -> None:
    """What changed from indexed revision REV_A to REV_B (names or prefixes).

    \b
    Example:
      nixpkgs-pyindex diff 183f56f bca2ee2
    """
    from indexer.query.history import diff_revisions
    from indexer.query.index import Index

    with Index.open(db_path) as index:
        a, b = index.revision(rev_a), index.revision(rev_b)
        change = diff_revisions(index.conn, (a.id, a.rev), (b.id, b.rev))
    if as_json:
        click.echo(orjson.dumps(change.as_json(), option=orjson.OPT_INDENT_2).decode())
    else:
        click.echo(change.summary(limit))


# Commands with modules of their own register themselves on `main`.
import indexer.cli_backfill  # noqa: E402,F401
import indexer.cli_provide  # noqa: E402,F401
import indexer.cli_publish  # noqa: E402,F401
