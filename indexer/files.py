"""Writing a file whole or not at all.

The output of `dump`, `export` and `audit` (`-o`) and the PyPI names cache
are written beside their target and renamed over it: a command that fails
or is killed never leaves a truncated file where a good one was.
"""

from __future__ import annotations

import gzip
import os
import stat
import sys
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, cast

from indexer.errors import OutputError
from indexer.tempdirs import owner_tag, remove_abandoned


@contextmanager
def replacing(path: str | os.PathLike[str], *, fsync: bool = False) -> Iterator[IO[bytes]]:
    """A binary file that replaces `path` when the block ends without an error.

    A symbolic link is followed: the file it points to is replaced. A pipe or
    a device (`/dev/stdout`) is written to, never replaced by a file. The
    target's folder is created. The file gets the mode of any new file
    (0666 less the umask), not mkstemp's private one. With `fsync`, the data
    is on disk before the name points to it. An OSError of the temporary
    file is named by its folder, not by the random name it tried."""
    try:
        mode: int | None = os.stat(path).st_mode
    except FileNotFoundError:
        mode = None
    if mode is not None and not stat.S_ISREG(mode):
        with open(path, "wb") as raw:
            yield raw
        return
    target = Path(os.path.realpath(path))
    target.parent.mkdir(parents=True, exist_ok=True)
    # The temporary file is named after its owner (indexer.tempdirs): one a
    # killed run left is removed by the next write of the same file.
    remove_abandoned(target.parent, f".{target.name}.", ".tmp")
    try:
        fd, temporary = tempfile.mkstemp(
            dir=target.parent, prefix=f".{target.name}.", suffix=f"-{owner_tag()}.tmp"
        )
    except OSError as e:
        raise OSError(e.errno, e.strerror, str(target.parent)) from e
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.fchmod(fd, 0o666 & ~umask)
        with os.fdopen(fd, "wb") as out:
            yield out
            if fsync:
                out.flush()
                os.fsync(out.fileno())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_atomically(path: str | os.PathLike[str], data: bytes, *, fsync: bool = False) -> None:
    """Write `data` to `path` whole or not at all (see `replacing`)."""
    with replacing(path, fsync=fsync) as out:
        out.write(data)


def write_output(output: str, chunks: Iterable[bytes], *, compress: bool = False) -> None:
    """A command's output (`-o`): a file written whole or not at all, gzip
    compressed with `compress`, or stdout for "-" (as it comes). A file that
    cannot be written is an OutputError (exit code 14), not a traceback."""
    if output == "-":
        out: IO[bytes] = sys.stdout.buffer
        for chunk in chunks:
            out.write(chunk)
        out.flush()
        return
    try:
        with replacing(output) as raw:
            f = cast(IO[bytes], gzip.GzipFile(fileobj=raw, mode="wb", mtime=0)) if compress else raw
            for chunk in chunks:
                f.write(chunk)
            if compress:
                f.close()
    except OSError as e:
        reason = e.strerror or str(e)
        where = f" ({e.filename})" if e.filename and str(e.filename) != output else ""
        raise OutputError(f"cannot write {output}: {reason}{where}") from e
