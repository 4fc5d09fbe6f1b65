"""The `backfill` command: its options, its progress bar and its summary."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
import orjson

from indexer.cli import (
    NON_EMPTY,
    SETS_OPTION,
    TIMEOUT_OPTION,
    db_option,
    dump_options,
    exit_codes_help,
    main,
    memory_options,
    pypi_names_option,
)
from indexer.errors import SOME_SKIPPED

if TYPE_CHECKING:
    from indexer.backfill.run import BackfillResult, Progress, RevisionOutcome

BACKFILL_EXIT_CODES = exit_codes_help(0, 1, 2, 4, 8, 12, 13, 16, 17)


@main.command(name="backfill", epilog=BACKFILL_EXIT_CODES)
@click.argument("commits", nargs=-1, metavar="[COMMIT]...")
@click.option(
    "--channel", required=True, metavar="NAME", help="The channel, e.g. nixpkgs-unstable."
)
@click.option(
    "--git",
    "repo",
    required=True,
    type=NON_EMPTY,
    metavar="REPO",
    help="A nixpkgs git repository: a path (the workers must see it too) or a URL.",
)
@click.option("--ref", default="HEAD", show_default=True, help="The channel's branch, for --since.")
@click.option("--since", metavar="DATE", help="First day (YYYY-MM-DD, UTC) of the history.")
@click.option("--until", metavar="DATE", help="Last day, included. Default: now.")
@click.option(
    "--every",
    metavar="PERIOD",
    help="One revision per period: the last first-parent commit in it "
    "(12h, 1d, 7d, 2w). Default: 1d.",
)
@click.option(
    "--workers",
    type=click.IntRange(1, 256),
    default=lambda: os.cpu_count() or 1,
    show_default="CPUs",
    help="Worker processes of the LocalCluster, each evaluating one revision at a time.",
)
@click.option(
    "--scheduler",
    type=NON_EMPTY,
    metavar="ADDRESS",
    help="Run on an existing Dask cluster (tcp://host:8786) instead of a LocalCluster.",
)
@click.option(
    "--retries",
    type=click.IntRange(0, 100),
    default=2,
    show_default=True,
    help="Evaluate a failing revision this many more times before skipping it.",
)
@click.option(
    "--retry-skipped", is_flag=True, help="Try the revisions an earlier run skipped again."
)
@click.option(
    "--evaluators",
    type=click.IntRange(1, 64),
    default=1,
    show_default=True,
    help="Evaluator processes per revision (reindex's --workers).",
)
@SETS_OPTION
@TIMEOUT_OPTION
@memory_options
@click.option(
    "--exclude",
    "excludes",
    multiple=True,
    type=NON_EMPTY,
    metavar="PATH",
    help="Leave PATH out of each tree (e.g. a blob missing from a partial clone).",
)
@pypi_names_option
@db_option
@click.option(
    "--wait",
    type=click.FloatRange(min=0),
    default=0,
    metavar="SECONDS",
    help="Wait this long for a reindex or backfill of the database to finish.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.option("--quiet", "-q", is_flag=True, help="No progress on stderr.")
def backfill_command(
    commits: tuple[str, ...],
    channel: str,
    repo: str,
    ref: str,
    since: str | None,
    until: str | None,
    every: str | None,
    workers: int,
    scheduler: str | None,
    retries: int,
    retry_skipped: bool,
    evaluators: int,
    sets: tuple[str, ...],
    timeout: float,
    max_memory: int,
    excludes: tuple[str, ...],
    pypi_names: str | None,
    db_path: Path,
    wait: float,
    as_json: bool,
    quiet: bool,
) -> None:
    """Index a channel's history in bulk, one revision per Dask task.

    Chooses the revisions (the last first-parent commit of REF in each
    period from --since to --until, or the COMMITs given), evaluates them on
    a Dask cluster (a LocalCluster of --workers processes, or --scheduler)
    and indexes them oldest first while later ones evaluate, each exactly as
    `reindex` would. The index's ledger records each revision's state: a
    rerun resumes where a killed one stopped; a revision that keeps failing
    is skipped after --retries more attempts, with its error. Needs the
    [cluster] extra (Dask distributed). docs/backfill.md has the details.

    \b
    Examples:
      nixpkgs-pyindex backfill --channel nixpkgs-unstable --git ~/nixpkgs \\
          --ref origin/nixpkgs-unstable --since 2018-03-10 --until 2018-03-29
      nixpkgs-pyindex backfill --channel nixpkgs-unstable --git ~/nixpkgs --since 2024-01-01 --every 7d --json
      nixpkgs-pyindex backfill --channel nixos-24.05 --git ~/nixpkgs 1a2b3c4 5d6e7f8
      nixpkgs-pyindex backfill --channel nixpkgs-unstable --git /shared/nixpkgs \\
          --since 2024-01-01 --scheduler tcp://scheduler:8786
    """
    from indexer.backfill.run import BackfillOptions, backfill
    from indexer.pypinames import load_pypi_names_option

    names = load_pypi_names_option(pypi_names)
    options = BackfillOptions(
        channel=channel,
        db_path=db_path,
        repo=repo,
        ref=ref,
        revs=commits,
        since=since,
        until=until,
        every=every,
        workers=workers,
        scheduler=scheduler,
        retries=retries,
        retry_skipped=retry_skipped,
        excludes=excludes,
        dump_options=dump_options(sets, evaluators, timeout, max_memory),
        pypi_names=names,
        wait=wait,
    )
    with _progress(quiet) as hook:
        result = backfill(options, progress=hook)
    if as_json:
        click.echo(orjson.dumps(result.as_json(), option=orjson.OPT_INDENT_2).decode())
    else:
        click.echo(summary(result))
    if result.skipped:
        sys.exit(SOME_SKIPPED)


@contextmanager
def _progress(quiet: bool) -> Iterator[Any]:
    """A bar with counts and an ETA on a terminal; a line per revision in a log."""
    if quiet:
        yield None
        return
    if not sys.stderr.isatty():

        def line(p: Progress) -> None:
            assert p.last is not None
            click.echo(f"[{p.finished}/{p.total}] {p.last.rev[:12]} {p.last.date[:10]}: "
                       f"{_what(p.last)}", err=True)  # fmt: skip

        yield line
        return
    state: dict[str, Any] = {"bar": None}

    def counts(p: Progress | None) -> str:
        if p is None:
            return ""
        return f"{p.finished}/{p.total} done, {p.skipped} skipped, {p.evaluating} evaluating"

    def update(p: Progress) -> None:
        if state["bar"] is None:
            already = p.finished - 1
            bar: Any = click.progressbar(
                length=max(1, p.total - already), label="backfill", file=sys.stderr,
                show_eta=True, show_percent=False, item_show_func=counts,
            )  # fmt: skip
            state["bar"] = bar.__enter__()
        state["bar"].update(1, p)

    try:
        yield update
    finally:
        if state["bar"] is not None:
            state["bar"].__exit__(None, None, None)


def _what(outcome: RevisionOutcome) -> str:
    if outcome.action == "skipped":
        return f"skipped after {outcome.attempts} attempts: {outcome.error}"
    if outcome.action == "indexed":
        return (f"indexed {outcome.records} attributes, {outcome.new_packages} new packages "
                f"(evaluated in {outcome.evaluation_seconds:.1f} s, indexed in {outcome.seconds:.1f} s)")  # fmt: skip
    if outcome.action == "reused":
        return f"nothing evaluated changed: {outcome.records} attributes taken over"
    return {"done": "done by an earlier run", "up-to-date": "indexed already",
            "audited": "indexed already; audited"}.get(outcome.action, outcome.action)  # fmt: skip


def summary(result: BackfillResult) -> str:
    revisions = result.revisions
    span = f"{revisions[0].date[:10]} to {revisions[-1].date[:10]}" if revisions else ""
    counts = ", ".join(f"{n} {action}" for action, n in result.counts().items())
    lines = [
        f"{result.channel}: {len(revisions)} revisions from {span} in {result.seconds:.1f} s "
        f"({result.cluster}): {counts}"
    ]
    lines += [f"  skipped {o.rev} ({o.date[:10]}) after {o.attempts} attempts: {o.error}"
              for o in result.skipped]  # fmt: skip
    return "\n".join(lines)
