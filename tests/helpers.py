"""Helpers shared by several test modules (fixtures live in conftest.py).

Test modules import these from here, never from one another.
"""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import orjson

from indexer.pypinames import PEP691_JSON

# ---- the command line ---------------------------------------------------


def cli(
    *args: str, env: dict[str, str] | None = None, module: str = "indexer", **kw: object
) -> subprocess.CompletedProcess[str]:
    """`nixpkgs-pyindex ARGS` (`module`: another copy of the package, see tests/schema1)."""
    return subprocess.run(
        [sys.executable, "-m", module, *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        **kw,  # type: ignore[call-overload]
    )


@contextmanager
def own_cache(tmp_path_factory: Any) -> Iterator[None]:
    """Extracted trees and caches in the test's folders, not the user's."""
    saved = {k: os.environ.get(k) for k in ("XDG_CACHE_HOME", "NIXPKGS_PYINDEX_SCRATCH")}
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("cache"))
    os.environ["NIXPKGS_PYINDEX_SCRATCH"] = str(tmp_path_factory.mktemp("scratch"))
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                del os.environ[key]
            else:
                os.environ[key] = value


# ---- dumps ---------------------------------------------------------------


def edited(
    lines: list[bytes], edit: Callable[[dict[str, Any]], dict[str, Any] | None]
) -> list[bytes]:
    """The dump with each attribute record passed through `edit` (None drops
    it); the footer's counts follow, as a real dump's would."""
    out: list[bytes] = []
    records: list[dict[str, Any]] = []
    for line in lines:
        value = json.loads(line)
        if value["type"] == "attr":
            value = edit(value)
            if value is None:
                continue
            records.append(value)
        elif value["type"] == "footer":
            value["records"] = len(records)
            status: dict[str, int] = {}
            for r in records:
                status[r["status"]] = status.get(r["status"], 0) + 1
            value["status"] = status
        out.append(json.dumps(value).encode() + b"\n")
    return out


# ---- the audit's cases on the fixture ------------------------------------

TODAY = date(2026, 11, 24)
# PyPI as the tests know it: the fixture's projects, plus the unrelated
# projects its attribute names could be mistaken for.
PYPI_NAMES = [
    "requests",
    "certifi",
    "idna",
    "urllib3",
    "charset-normalizer",
    "pysocks",
    "setuptools",
    "wheel",
    "hatchling",
    "flit-core",
    "poetry-core",
    "setuptools-scm",
    "cython",
    "pytest",
    "pytest-mock",
    "six",
    "python-dateutil",
    "pyyaml",
    "zope-interface",
    "jaxlib",
    "attrs",
    "packaging",
    "rich",
    "markdown-it-py",
    "mdurl",
    "pygments",
    "typing-extensions",
    "pluggy",
    "iniconfig",
    "pathspec",
    "trove-classifiers",
    "pycparser",
    "asgiref",
    "sqlparse",
    "gitdb",
    "smmap",
    "torch",
    "opencv-python",
    "caffe",
    "django",
    "h5py",
    "3to2",
    "gitpython",
    "pygithub",
    "markupsafe",
    "cryptography",
    "cffi",
    "numpy",
    "pyzmq",
    "swig",
    "httpie",
    "nose",
    "pyside2",
    "msgpack",
    "python-slugify",
    "slugify",
    "pyinotify",
    "toml",
    "wcwidth",
    "docopt",
    "jinja2",
    "backports-tarfile",
]


# (rule, attribute that triggers it, near misses that must not)
RULE_CASES = [
    ("non-normalized", ["GitPython", "opencv4", "slugify"],
     ["pyyaml", "django_4", "h5py-mpi", "jaxlib-bin", "PyGithub", "py3to2", "torch", "caffe"]),
    ("digit-first", ["py3to2"], ["pyyaml"]),
    ("multiple-versions", ["django"], ["django_4", "django_5", "h5py"]),
    ("variants", ["h5py", "jaxlib-bin"], ["h5py-mpi", "django"]),
    ("pname-mismatch", ["msgpack"], ["pyyaml", "django_4", "jaxlib-bin", "tinygrad", "torch"]),
    ("version-mismatch", ["markupsafe"], ["pyyaml", "python-dateutil"]),
    ("bad-pypi-url", ["pyinotify", "toml", "wcwidth", "docopt"],
     ["jinja2", "backports-tarfile", "pyyaml", "charset-normalizer", "zope-interface", "py3to2",
      "jaxlib-bin", "attrs", "markupsafe", "torch"]),
    ("not-on-pypi", ["tinygrad"], ["caffe", "torch", "pytestCheckHook", "python"]),
    ("shadowing", ["caffe"], ["torch", "h5py-mpi", "django_4", "pyyaml", "swig"]),
    ("duplicate-claim", ["python-slugify"], ["django", "h5py", "pygithub", "PyGithub"]),
    ("not-a-module", ["httpie", "swig"], ["pytestCheckHook", "wrapPython", "python", "opencv4"]),
    ("non-pep440-version", ["tinygrad"], ["python-dateutil", "pyyaml"]),
    ("eval-error", ["abort-on-eval", "nose", "pytest-runner", "stack-overflow"], ["pyyaml"]),
]  # fmt: skip


# ---- a local PEP 691 index -----------------------------------------------


def pep691(*names: str, version: str = "1.1") -> bytes:
    projects = [{"name": name, "_last-serial": n} for n, name in enumerate(names)]
    return orjson.dumps({"meta": {"api-version": version}, "projects": projects})


class LocalIndex:
    """A PEP 691 index on 127.0.0.1: what it serves, and what it was asked."""

    def __init__(self) -> None:
        self.projects = ["PyYAML", "requests", "zope.interface"]
        self.etag = '"v1"'
        # "ok", "fail" (HTTP 500), "invalid-json", "html", "api-version-2", or "slow"
        self.mode = "ok"
        self.requests: list[dict[str, str]] = []  # the headers of each request
        self.statuses: list[int] = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_port}/simple/"
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self.thread.start()
        self.running = True

    def stop(self) -> None:
        """Shut down: from now on, connections are refused."""
        if self.running:
            self.server.shutdown()
            self.server.server_close()
            self.running = False

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        index = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
                index.requests.append(dict(self.headers.items()))
                if index.mode == "slow":
                    time.sleep(1.5)
                    return
                broken = {
                    "fail": (500, b"oops", "text/plain"),
                    "invalid-json": (200, b'{"meta": {"api-ver', PEP691_JSON),
                    "html": (200, b"<!DOCTYPE html><html></html>", "text/html; charset=utf-8"),
                    "api-version-2": (200, pep691("a", version="2.0"), PEP691_JSON),
                }
                if index.mode in broken:
                    return self.answer(*broken[index.mode])
                if self.headers.get("Accept") != PEP691_JSON:
                    return self.answer(406, b"PEP 691 JSON only", "text/plain")
                if self.headers.get("If-None-Match") == index.etag:
                    return self.answer(304, b"", PEP691_JSON)
                self.answer(200, pep691(*index.projects), PEP691_JSON)

            def answer(self, status: int, body: bytes, content_type: str) -> None:
                index.statuses.append(status)
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("ETag", index.etag)
                if status == 200 and "gzip" in self.headers.get("Accept-Encoding", ""):
                    body = gzip.compress(body)
                    self.send_header("Content-Encoding", "gzip")
                if status != 304:
                    self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002
                pass  # quiet tests

        return Handler


# ---- a local file server ---------------------------------------------------


class FileServer:
    """Files on 127.0.0.1 (path → bytes), each served whole or broken as the
    test asks: `faults[path]` is "missing" (404), "truncated" (the first half,
    announced as all there is), or "dies" (the whole length announced, half
    sent, the connection closed). Records the paths asked for."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}
        self.faults: dict[str, str] = {}
        self.requests: list[str] = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_port}/"
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def serve_folder(self, folder: Any, under: str = "") -> None:
        """Every file of `folder` at /under/NAME."""
        for path in sorted(folder.iterdir()):
            self.files[f"/{under}{path.name}"] = path.read_bytes()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        files = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
                files.requests.append(self.path)
                body = files.files.get(self.path)
                fault = files.faults.get(self.path)
                if body is None or fault == "missing":
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                half = body[: len(body) // 2]
                self.send_response(200)
                self.send_header("Content-Type", "application/octet-stream")
                self.send_header("Content-Length", str(len(half if fault == "truncated" else body)))
                self.end_headers()
                self.wfile.write(half if fault in ("truncated", "dies") else body)
                if fault == "dies":
                    self.wfile.flush()
                    self.close_connection = True
                    self.connection.shutdown(2)  # socket.SHUT_RDWR: the server is gone

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002
                pass  # quiet tests

        return Handler
