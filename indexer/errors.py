"""Errors the command line turns into one-line messages and exit codes.

The exit codes are part of the interface (documented in the README): a
scheduled job branches on them.
"""

from __future__ import annotations


class PyindexError(Exception):
    """An error caused by the input or the environment, not by a bug."""

    exit_code = 1


class NixNotFound(PyindexError):
    exit_code = 4


class NotANixpkgsTree(PyindexError):
    exit_code = 3


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


class OutputError(PyindexError):
    """An output file (`-o`) cannot be written: its folder cannot be created,
    the disk is full, permission is denied."""

    exit_code = 14
