"""The `publish` and `fetch` commands: their options, progress bars and summaries."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import click
import orjson

from indexer.cli import NON_EMPTY, NonEmptyPath, db_option, exit_codes_help, main
from indexer.publish import PASSWORD_ENV

PUBLISH_EXIT_CODES = exit_codes_help(0, 1, 2, 8, 14, 21)
FETCH_EXIT_CODES = exit_codes_help(0, 1, 2, 8, 14, 18, 19, 20)


@main.command(name="publish", epilog=PUBLISH_EXIT_CODES)
@db_option
@click.option(
    "-o",
    "--output",
    "out_dir",
    required=True,
    type=NonEmptyPath(file_okay=False, path_type=Path),
    metavar="DIR",
    help="Folder for the three files (created; files of an earlier publish are replaced).",
)
@click.option(
    "--key",
    "key_path",
    required=True,
    type=NonEmptyPath(exists=True, dir_okay=False, path_type=Path),
    metavar="SECRET_KEY",
    help=f"A minisign secret key file (minisign -G); an encrypted one's password in ${PASSWORD_ENV}.",
)
@click.option(
    "--level",
    type=click.IntRange(1, 22),
    default=19,
    show_default=True,
    help="zstd compression level.",
)
@click.option(
    "--allow-shrink",
    is_flag=True,
    help="Publish even when a package set's newest revision lost packages (see docs/publishing.md).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the manifest and the files as JSON.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
def publish_command(
    db_path: Path,
    out_dir: Path,
    key_path: Path,
    level: int,
    allow_shrink: bool,
    as_json: bool,
    quiet: bool,
) -> None:
    """Write the index as three files to serve: index.sqlite.zst (a VACUUMed
    copy, zstd-compressed), manifest.json (its schema version, the tool's
    version, each channel with its revisions and package sets, the newest
    revision, the file's size and sha256 compressed and not) and
    manifest.json.minisig (the manifest's minisign signature).

    Refuses (exit code 21) an index with an unfinished revision (pending or
    running in the backfill ledger, or left unaudited by a stopped reindex),
    or with a package set whose newest revision has fewer than 90% of the
    evaluated packages of the revision before. docs/publishing.md has the
    keys, hosting and the GitHub Actions example.

    \b
    Examples:
      minisign -G -p pyindex.pub -s pyindex.key      # once: a key pair
      nixpkgs-pyindex publish -o public/ --key pyindex.key
      nixpkgs-pyindex publish --db index.sqlite -o public/ --key pyindex.key --json
    """
    from indexer.publish.publish import publish

    with _progress("compress", quiet) as bar:
        result = publish(
            db_path,
            out_dir,
            key_path,
            password=os.environ.get(PASSWORD_ENV),
            level=level,
            allow_shrink=allow_shrink,
            progress=bar,
        )
    if as_json:
        click.echo(orjson.dumps(result.as_json(), option=orjson.OPT_INDENT_2).decode())
    else:
        click.echo(result.summary())


@main.command(name="fetch", epilog=FETCH_EXIT_CODES)
@click.argument("url", type=NON_EMPTY)
@click.option(
    "--pubkey",
    required=True,
    type=NON_EMPTY,
    metavar="KEY",
    help="The publisher's minisign public key: the key itself (RW…) or its .pub file.",
)
@db_option
@click.option(
    "--timeout",
    type=click.FloatRange(min=1),
    default=60.0,
    show_default=True,
    help="Seconds to wait for the server, each time.",
)
@click.option("--json", "as_json", is_flag=True, help="Print what was done as JSON.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
def fetch_command(
    url: str, pubkey: str, db_path: Path, timeout: float, as_json: bool, quiet: bool
) -> None:
    """Install the published index whose manifest is at URL (http://,
    https://, file:// or a path; a URL ending in / means its manifest.json).

    Verifies the manifest's signature with --pubkey, refuses a manifest older
    than the installed one's or of a schema this version cannot read, and
    does nothing when the index is that file already. Otherwise downloads
    the file, checks its size and sha256, decompresses and checks it beside
    the index, and replaces the index in one rename; the verified manifest
    is kept beside it (INDEX.manifest.json and its .minisig). On any failure
    the installed index is left as it was.

    \b
    Examples:
      nixpkgs-pyindex fetch https://example.org/pyindex/manifest.json --pubkey RWQf6LRC…
      nixpkgs-pyindex fetch https://github.com/OWNER/REPO/releases/latest/download/ \\
          --pubkey pyindex.pub --db ./index.sqlite --json
    """
    from indexer.publish.fetch import fetch
    from indexer.publish.sign import public_key

    key = public_key(pubkey)
    with _progress("download", quiet) as bar:
        result = fetch(url, key, db_path, timeout=timeout, progress=bar)
    if as_json:
        click.echo(orjson.dumps(result.as_json(), option=orjson.OPT_INDENT_2).decode())
    else:
        click.echo(result.summary())


@contextmanager
def _progress(label: str, quiet: bool) -> Iterator[Callable[[int, int], None] | None]:
    """A byte bar on a terminal; nothing in a log or with --quiet."""
    if quiet or not sys.stderr.isatty():
        yield None
        return
    state: dict[str, object] = {}

    def update(done: int, total: int) -> None:
        bar = state.get("bar")
        if bar is None:
            bar = click.progressbar(length=max(total, 1), label=label, file=sys.stderr,
                                    show_pos=False, show_percent=True, show_eta=True).__enter__()  # fmt: skip
            state["bar"] = bar
            state["done"] = 0
        step = done - int(state["done"])  # type: ignore[call-overload]
        state["done"] = done
        bar.update(step)  # type: ignore[attr-defined]

    try:
        yield update
    finally:
        bar = state.get("bar")
        if bar is not None:
            bar.__exit__(None, None, None)  # type: ignore[attr-defined]
