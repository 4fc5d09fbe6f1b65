"""The exit codes, and the errors the command line turns into them.

The exit codes are part of the interface: a scheduled job branches on them
(the systemd unit counts 12 as success). `EXIT_CODES` is their one table:
the CLI's help texts are made from it, and a test checks that README.md's
table says the same. Every error that carries an exit code is defined here.
"""

from __future__ import annotations

# code -> meaning, as README.md's "Exit codes" table says it (Markdown).
EXIT_CODES: dict[int, str] = {
    0: "done (records of failed attributes are records, not failures; an already indexed revision)",
    1: "internal error; `candidates`/`history`: nothing found; `audit`: a `--fail-on` rule fired",
    2: "bad usage (an unknown option; a file argument that is missing, empty or a "
    "directory; `history` of a name that is not a PyPI project name); a requirement "
    "that is not PEP 508; `provide`: a group or extra the lock does not have, or two that "
    "conflict; `audit`: any bad input",
    3: "not a nixpkgs tree, or it does not evaluate",
    4: "Nix is missing or older than 2.4",
    5: "unknown package set",
    6: "fetching the nixpkgs tarball failed, or its sha256 differs",
    7: "the evaluator keeps failing to start",
    8: "the database cannot be used (missing, another schema version, not an index, "
    "locked, read-only, disk full)",
    9: "the dump is malformed or truncated (the line is named)",
    10: "the revision is indexed already, from a different dump",
    11: "no such revision, package set or attribute in the index",
    12: "`reindex`: another reindex of the database is running",
    13: "`reindex`: the channel's head cannot be resolved (not a git repository, "
    "no such ref, no `git-revision` at the URL); `backfill`: its revisions cannot be "
    "(no such commit, no commit in the period, the repository cannot be cloned)",
    14: "an output file (`-o` of `dump`, `export`, `audit`, `publish`; the index `fetch` "
    "installs) cannot be written: its folder cannot be created or written, no space left. "
    "A file is replaced whole; a pipe or device (`-o /dev/stdout`) is written to, never replaced",
    15: "`provide`: the lock cannot be read (not pinned, not TOML, an include, an unknown "
    "option; the file and line are named)",
    16: "`backfill`: no cluster to run on (Dask distributed is not installed: "
    "`pip install 'nixpkgs-pyindex[cluster]'`; the scheduler cannot be reached or went away)",
    17: "`backfill`: done, but revisions were skipped after failing every attempt "
    "(the summary names them, with their errors)",
    18: "`fetch`: the published index, its manifest or its signature cannot be downloaded, "
    "or the index is not what its manifest says (an HTTP error, no connection, a download "
    "cut short, another size or sha256)",
    19: "`fetch`: the manifest's signature does not verify with the pinned public key "
    "(the manifest or its signature altered, or made by another key)",
    20: "`fetch`: the manifest is refused: older than the installed index's (a rollback), "
    "or of a schema version or format this nixpkgs-pyindex cannot read",
    21: "`publish`: the index is unfit to publish (an unfinished revision; a package set "
    "whose newest revision has far fewer packages than the one before)",
    22: "`provide`: the lock's own Python range (uv's and pylock's `requires-python`, poetry's "
    "`python-versions`) excludes the interpreter",
}

DONE = 0
INTERNAL_ERROR = 1  # also: nothing found, a --fail-on rule fired
BAD_USAGE = 2
SOME_SKIPPED = 17  # not an error: the run completed, see EXIT_CODES


class PyindexError(Exception):
    """An error caused by the input or the environment, not by a bug."""

    exit_code = INTERNAL_ERROR


class InvalidQuery(PyindexError):
    """A requirement that is not PEP 508, an interpreter that is not one."""

    exit_code = BAD_USAGE


class AuditInputError(PyindexError):
    """A rule id, revision, set or database the audit is asked for is not there."""

    exit_code = BAD_USAGE


class PyPINamesError(PyindexError):
    """The list of PyPI project names cannot be read or fetched."""

    exit_code = BAD_USAGE  # the audit's "bad input"


class NotANixpkgsTree(PyindexError):
    exit_code = 3


class NixNotFound(PyindexError):
    exit_code = 4


class UnknownPackageSet(PyindexError):
    exit_code = 5


class FetchError(PyindexError):
    """A tarball could not be fetched, or its hash is not the pinned one."""

    exit_code = 6


class EvaluatorFailed(PyindexError):
    """The evaluator itself kept failing (not one attribute: all of them)."""

    exit_code = 7


class DatabaseError(PyindexError):
    """The index cannot be used: missing, of another schema version, not ours,
    read-only, locked, or the disk is full."""

    exit_code = 8


class MalformedDump(PyindexError):
    """A dump line is not valid JSON or not a record of the dump schema."""

    exit_code = 9


class RevisionConflict(PyindexError):
    """The revision is indexed already, from a different dump."""

    exit_code = 10


class NotFound(PyindexError):
    """A revision, attribute or package set the query names is not indexed."""

    exit_code = 11


class ReindexLocked(PyindexError):
    """Another reindex of the database is running."""

    exit_code = 12


class ChannelError(PyindexError):
    """The channel's head cannot be resolved (no repository, no such ref, no git-revision)."""

    exit_code = 13


class OutputError(PyindexError):
    """An output file (`-o`) cannot be written: its folder cannot be created,
    the disk is full, permission is denied."""

    exit_code = 14


class BadLock(PyindexError):
    """A lock file that cannot be read: `file:line: what is wrong`."""

    exit_code = 15


class BadSelection(PyindexError):
    """`provide`: a group or extra the lock does not have, or two that conflict."""

    exit_code = BAD_USAGE


class LockExcludesPython(PyindexError):
    """`provide`: the lock's own Python range excludes the interpreter (PEP 751: refuse)."""

    exit_code = 22


class ClusterError(PyindexError):
    """`backfill` has no cluster: Dask is not installed, or its scheduler is out of reach."""

    exit_code = 16


class KeyFileError(PyindexError):
    """A minisign key that cannot be read: no such file, not a key, a wrong password."""

    exit_code = BAD_USAGE


class DownloadError(PyindexError):
    """`fetch` cannot download the published index, or it is not what its manifest says."""

    exit_code = 18


class SignatureError(PyindexError):
    """The manifest's signature does not verify with the pinned public key."""

    exit_code = 19


class ManifestRefused(PyindexError):
    """A verified manifest `fetch` will not install: a rollback, another schema."""

    exit_code = 20


class UnfitIndex(PyindexError):
    """`publish` refuses the index: an unfinished revision, a set that lost packages."""

    exit_code = 21
