"""The `provide` command: its options (interpreter, groups, extras), its answers and its summary."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
import orjson

from indexer.cli import NonEmptyPath, db_option, exit_codes_help, main
from indexer.files import write_output

PROVIDE_EXIT_CODES = exit_codes_help(0, 1, 2, 8, 11, 15, 22)


@main.command(epilog=PROVIDE_EXIT_CODES)
@click.argument("lock", type=NonEmptyPath(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--python",
    metavar="VERSION",
    help="Interpreter the lock is installed for, e.g. 3.13: its markers are evaluated for it, "
    "in every revision with --across-revisions. Default: python3's.",
)
@click.option("--rev", metavar="REV", help="Indexed revision (or a prefix). Default: the newest.")
@click.option(
    "--group",
    "groups",
    multiple=True,
    metavar="NAME",
    help="Also install this dependency group (repeatable), besides the format's defaults "
    "(uv: dev; poetry: every group of the lock; pylock: its default-groups).",
)
@click.option("--all-groups", is_flag=True, help="Install every group of the lock.")
@click.option("--no-default-groups", is_flag=True, help="Leave out the format's default groups.")
@click.option(
    "--extra",
    "extras",
    multiple=True,
    metavar="NAME",
    help="Install the project's extra NAME (repeatable). Default: none.",
)
@click.option("--all-extras", is_flag=True, help="Install every extra of the lock.")
@db_option
@click.option(
    "--across-revisions",
    is_flag=True,
    help="Rank the indexed revisions by how many locked packages each would reuse.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the answers as JSON.")
@click.option(
    "--nix",
    "nix_output",
    metavar="FILE",
    type=NonEmptyPath(dir_okay=False, path_type=Path),
    help="Also write the pyproject.nix overlay (export --format pyproject-nix) for this lock's"
    " packages alone.",
)
@click.option(
    "--prebuilt",
    is_flag=True,
    help="With --nix: nixpkgs' own build where it is the locked version.",
)
def provide(
    lock: Path,
    python: str | None,
    rev: str | None,
    groups: tuple[str, ...],
    all_groups: bool,
    no_default_groups: bool,
    extras: tuple[str, ...],
    all_extras: bool,
    db_path: Path,
    across_revisions: bool,
    as_json: bool,
    nix_output: Path | None,
    prebuilt: bool,
) -> None:
    """What nixpkgs provides of each package a LOCK pins.

    LOCK is a pinned requirements.txt, a PEP 751 pylock.toml, a uv.lock or a
    poetry.lock (the format found from the file). It is read as its
    installer reads it: uv.lock's and older poetry.lock's dependency graph
    walked from the project and workspace members through the chosen groups
    and extras, an edge followed only where its marker holds for --python.
    Each package the install takes is answered: reuse (nixpkgs has exactly
    that version: its attribute), inherit (another version: build from PyPI
    with the nearest version's native inputs), own-source (git, a path, a
    directory, a URL: build from that, with nixpkgs' natives), unknown
    (nothing to inherit); the others are not-needed. A lock whose own Python
    range excludes --python is refused (exit code 22). --across-revisions
    ranks the indexed revisions by how many locked packages each has at
    exact versions for --python.

    \b
    Examples:
      nixpkgs-pyindex provide requirements.txt --python 3.12
      nixpkgs-pyindex provide uv.lock --group lint --extra postgres --json
      nixpkgs-pyindex provide poetry.lock --no-default-groups --across-revisions
      nixpkgs-pyindex provide uv.lock --nix overrides.nix
    """
    from indexer.query.index import Index
    from indexer.query.overlay import overlay_for, overlay_nix, overlay_projects
    from indexer.query.provide import VERDICTS, chosen_for, provide, rank_revisions, read_lock
    from mapping.lockselect import Selection

    if prebuilt and nix_output is None:
        raise click.UsageError("--prebuilt is for --nix")
    locked = read_lock(lock)
    selection = Selection(groups, all_groups, no_default_groups, extras, all_extras)
    chosen = chosen_for(locked, selection)
    with Index.open(db_path) as index:
        provisions = provide(index, locked, python, rev, selection)
        if nix_output is not None:
            # The lock's packages that nixpkgs has, in any version.
            names = [
                p.package.name
                for p in provisions
                if p.verdict in ("reuse", "inherit") or (p.verdict == "own-source" and p.attr_path)
            ]
            overlay = overlay_for(overlay_projects(index, rev, python), names)
            write_output(str(nix_output), [overlay_nix(overlay, prebuilt).encode()])
        revision = index.revision(rev)
        python_label = index.package_set(revision.id, python).python_version
        ranked = rank_revisions(index, provisions, python, rev) if across_revisions else None
    counts = {v: sum(p.verdict == v for p in provisions) for v in VERDICTS}
    if as_json:
        data: dict[str, Any] = {
            "lock": str(lock),
            "format": locked.format,
            "revision": revision.rev,
            "python": python_label,
            "groups": sorted(chosen.groups),
            "extras": sorted(chosen.extras),
            "counts": counts,
            "packages": [p.as_json() for p in provisions],
            "skipped": [s.__dict__ for s in locked.skipped],
        }
        if ranked is not None:
            data["revisions"] = [r.__dict__ for r in ranked]
        click.echo(orjson.dumps(data, option=orjson.OPT_INDENT_2).decode())
        return
    if ranked is not None:
        for r in ranked:
            click.echo(f"{r.rev}\t{r.channel or '-'}\t{r.date or '-'}\t{r.reused}/{r.of}")
        return
    for p in provisions:
        line = f"{p.verdict}\t{p.package.name}\t{p.package.version or '-'}"
        if p.attr_path:
            line += f"\t{p.attr_path}\t{p.nixpkgs_version}"
        click.echo(line)
        if p.verdict in ("inherit", "own-source"):
            by_list: dict[str, list[str]] = {}
            for n in p.natives:
                by_list.setdefault(n.list_key, []).append(n.name)
            for key, names in by_list.items():
                click.echo(f"  {key}: {' '.join(names)}")
    for s in locked.skipped:
        click.echo(f"skipped\t{s.entry}\t({s.reason}, line {s.line})")
    summary = ", ".join(f"{n} {v}" for v, n in counts.items() if n or v != "own-source")
    choice = "".join(
        f"; {kind} {', '.join(sorted(names))}"
        for kind, names in (("groups", chosen.groups), ("extras", chosen.extras))
        if names
    )
    click.echo(
        f"{lock}: {len(provisions)} packages ({locked.format}) against {revision.rev} for Python "
        f"{python_label}{choice}: {summary}"
        + (f"; {len(locked.skipped)} skipped" if locked.skipped else ""),
        err=True,
    )
