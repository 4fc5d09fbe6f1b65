"""Reading a published file from a URL: http(s), file://, or a local path.

Every failure to read is a DownloadError (exit code 18) that names the URL
and why, in one line; a download is bounded by the size the caller expects,
so a server cannot fill the disk.
"""

from __future__ import annotations

import http.client
import os
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO
from urllib.parse import urljoin, urlsplit
from urllib.request import url2pathname

from indexer import __version__
from indexer.errors import DownloadError

CHUNK = 1 << 20
USER_AGENT = f"nixpkgs-pyindex/{__version__}"


def as_url(location: str) -> str:
    """A URL for a location: URLs as they are, a path as file://."""
    scheme = urlsplit(location).scheme
    if scheme in ("http", "https", "file"):
        return location
    if scheme and len(scheme) > 1:  # "c:" is a drive, not a scheme
        raise DownloadError(f"{location}: only http://, https:// and file:// URLs can be fetched")
    uri = Path(os.path.abspath(location)).as_uri()
    return uri + "/" if location.endswith("/") and not uri.endswith("/") else uri


def is_local_folder(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme == "file" and os.path.isdir(url2pathname(parts.path))


def beside(url: str, name: str) -> str:
    """The URL of file `name` in the same folder as `url`."""
    return urljoin(url, name)


@contextmanager
def opened(url: str, timeout: float) -> Iterator[tuple[IO[bytes], int | None]]:
    """The body of `url` as a stream, and its length when the server says it."""
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        response = urllib.request.urlopen(request, timeout=timeout)  # noqa: S310 - schemes checked
    except urllib.error.HTTPError as e:
        raise DownloadError(f"{url}: HTTP {e.code} {e.reason}") from None
    except urllib.error.URLError as e:
        raise DownloadError(f"{url}: {_reason(e.reason)}") from None
    except (OSError, http.client.HTTPException, ValueError) as e:
        raise DownloadError(f"{url}: {_reason(e)}") from None
    with response:
        length = response.headers.get("Content-Length")
        yield response, int(length) if length and length.isdigit() else None


def read_all(url: str, limit: int, timeout: float) -> bytes:
    """A small file (a manifest, a signature) whole, at most `limit` bytes."""
    chunks = list(chunks_of(url, limit, timeout))
    return b"".join(chunks)


def chunks_of(
    url: str, limit: int, timeout: float, progress: Callable[[int, int | None], None] | None = None
) -> Iterator[bytes]:
    """The body of `url` in chunks; DownloadError past `limit` bytes or when
    the connection breaks. `progress(bytes_so_far, length)` after each chunk."""
    with opened(url, timeout) as (stream, length):
        if length is not None and length > limit:
            raise DownloadError(f"{url}: {length} bytes, more than the {limit} expected")
        done = 0
        while True:
            try:
                chunk = stream.read(CHUNK)
            except (OSError, http.client.HTTPException) as e:
                raise DownloadError(f"{url}: cut off after {done} bytes: {_reason(e)}") from None
            if not chunk:
                # http.client ends a body cut short quietly: the length it
                # announced tells.
                if length is not None and done < length:
                    raise DownloadError(
                        f"{url}: cut off after {done} of {length} bytes (the connection closed)"
                    )
                break
            done += len(chunk)
            if done > limit:
                raise DownloadError(f"{url}: more than the {limit} bytes expected")
            if progress is not None:
                progress(done, length)
            yield chunk


def _reason(e: object) -> str:
    if isinstance(e, http.client.IncompleteRead):
        return f"the connection closed with {e.expected} bytes still to come"
    if isinstance(e, TimeoutError):
        return "timed out"
    if isinstance(e, OSError) and e.strerror:
        return e.strerror
    return str(e) or type(e).__name__
