"""The set of PyPI project names the audit checks against (indexer/pypinames.py).

The online tests talk to a PEP 691 index served on 127.0.0.1 (tests/helpers.py),
never to the internet.
"""

from __future__ import annotations

import gzip
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from indexer.paths import DEFAULT_INDEX_URL
from indexer.pypinames import (
    INDEX_MIN_BYTES,
    INDEX_MIN_NAMES,
    PEP691_JSON,
    PyPINames,
    PyPINamesError,
    load_pypi_names,
)

from .helpers import LocalIndex, pep691

DAY = 86400.0
START = 1_717_243_200.0  # 2024-06-01 12:00 UTC


# --- files ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("filename", "content", "expected"),
    [
        pytest.param("names.txt", b"requests\nPyYAML\n", {"requests", "pyyaml"}, id="one-a-line"),
        pytest.param(
            "names.txt",
            b"# all of PyPI\n\n  requests  \n\t# indented comment\nflask # the web one\n",
            {"requests", "flask"},
            id="comments-blank-lines-spaces",
        ),
        pytest.param(
            "pypi.tsv",
            b"name\tversion\tsummary\nrequests\t2.32.3\tHTTP for Humans.\nzope.interface\t7.0\t\n",
            {"requests", "zope-interface"},
            id="tsv-with-a-header",
        ),
        pytest.param("names.txt", b"flask\nname\n", {"flask", "name"}, id="name-below-line-1"),
        pytest.param("names.txt", b"requests\r\nflask\r\n", {"requests", "flask"}, id="crlf"),
        pytest.param("names.txt", b"requests", {"requests"}, id="no-final-newline"),
        pytest.param("names.txt", b"\xef\xbb\xbfrequests\n", {"requests"}, id="utf8-bom"),
        pytest.param("pypi.json", pep691("Flask", "requests"), {"flask", "requests"}, id="pep691"),
        pytest.param(
            "pypi.json",
            b'\n  {"meta": {"api-version": "1.4", "_future": 1}, "projects": [{"name": "A.B"}]}',
            {"a-b"},
            id="pep691-newer-minor-version",
        ),
        pytest.param(
            "names.txt.gz",
            gzip.compress(b"requests\nFoo_Bar\n"),
            {"requests", "foo-bar"},
            id="gzip",
        ),
        pytest.param("pypi.json.gz", gzip.compress(pep691("Django")), {"django"}, id="pep691-gzip"),
        pytest.param("saved", gzip.compress(pep691("Django")), {"django"}, id="gzip-by-content"),
    ],
)
def test_file_formats_give_canonical_names(
    tmp_path: Path, filename: str, content: bytes, expected: set[str]
) -> None:
    path = tmp_path / filename
    path.write_bytes(content)
    names = load_pypi_names(str(path))
    assert set(names) == expected
    assert len(names) == len(expected)
    assert names.source == str(path)
    assert names.warning is None


@pytest.mark.parametrize("form", ["text", "pep691"])
@pytest.mark.parametrize(
    ("listed", "asked"),
    [
        ("PyYAML", "pyyaml"),
        ("PyYAML", "PYYAML"),
        ("zope.interface", "zope-interface"),
        ("zope.interface", "Zope_Interface"),
        ("Foo_Bar", "foo.bar"),
        ("Foo_Bar", "foo--bar"),
        ("foo-bar", "Foo__Bar"),
    ],
)
def test_any_spelling_finds_a_project(tmp_path: Path, form: str, listed: str, asked: str) -> None:
    path = tmp_path / "names"
    path.write_bytes(f"{listed}\n".encode() if form == "text" else pep691(listed))
    names = load_pypi_names(str(path))
    assert asked in names
    assert f"{asked}2" not in names


def test_pypi_names_is_an_immutable_set() -> None:
    names = PyPINames(["PyYAML", "pyyaml", "zope.interface"], "a test")
    assert len(names) == 2
    assert sorted(names) == ["pyyaml", "zope-interface"]
    assert names.names == frozenset({"pyyaml", "zope-interface"})
    assert 1 not in names
    assert repr(names) == "<PyPINames: 2 names from a test>"
    with pytest.raises(AttributeError):
        names.source = "elsewhere"  # type: ignore[misc]


def test_a_file_called_online_is_read_as_a_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "online").write_text("requests\n")
    assert set(load_pypi_names("./online")) == {"requests"}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        pytest.param(None, "^: no such file$", id="missing"),
        pytest.param("dir", "^ is a directory, not a list of PyPI project names$", id="directory"),
        pytest.param(b"", "^ lists no project names$", id="empty"),
        pytest.param(b"name\tversion\n\n# nothing\n", "^ lists no project names$", id="header-only"),
        pytest.param(pep691(), "^ lists no project names$", id="pep691-no-projects"),
        pytest.param(b"requests\nrequests>=2.0\n", "^, line 2: 'requests>=2.0' is not a project name$", id="requirements-txt"),
        pytest.param(b"-foo\n", "^, line 1: '-foo' is not a project name$", id="leading-separator"),
        pytest.param(b"foo.\n", "^, line 1: 'foo.' is not a project name$", id="trailing-separator"),
        pytest.param(b"\x00\xff\xfe\n", "^ is not a text file of PyPI project names$", id="binary"),
        pytest.param(b"x" * 30 + b"/" + b"y" * 60 + b"\n", "^, line 1: 'x{30}/y{9}…' is not a project name$", id="long-line"),
        pytest.param(b"<!DOCTYPE html><html>", "^ is HTML, not a list of names", id="pep503-html"),
        pytest.param(b'{"meta": ', "^ is not valid JSON ", id="invalid-json"),
        pytest.param(b"{[]", "^ is not valid JSON ", id="invalid-json-brace"),
        pytest.param(b'  {"projects": []}', r'^ is not a PEP 691 project list: it has no "meta": \{"api-version": \.\.\.\}$', id="no-api-version"),
        pytest.param(b'{"meta": {"api-version": "1.0"}}', '^ is not a PEP 691 project list: it has no "projects" list$', id="no-projects"),
        pytest.param(
            b'{"meta": {"api-version": "1.0"}, "name": "requests", "files": []}',
            "^ is not a PEP 691 project list: it is the page of the one project 'requests'$",
            id="one-project-page",
        ),
        pytest.param(
            b'{"meta": {"api-version": "1.0"}, "projects": [{"name": "a"}, {"_last-serial": 1}]}',
            r'^ is not a PEP 691 project list: projects\[1\] has no "name"$',
            id="project-without-name",
        ),
        pytest.param(pep691("a", version="2.0"), r"^ is of PEP 691 api-version 2\.0; nixpkgs-pyindex \S+ reads 1\.x$", id="api-version-2"),
        pytest.param(b"\x1f\x8bnot really gzip", "^ is a corrupt gzip file ", id="corrupt-gzip"),
        pytest.param(gzip.compress(b"requests\n" * 100)[:-12], "^ is a corrupt gzip file ", id="truncated-gzip"),
    ],
)  # fmt: skip
def test_bad_file_is_a_one_line_bad_input_error(
    tmp_path: Path, content: bytes | str | None, message: str
) -> None:
    path = tmp_path / "pypi-names"
    if content == "dir":
        path.mkdir()
    elif isinstance(content, bytes):
        path.write_bytes(content)
    with pytest.raises(PyPINamesError) as caught:
        load_pypi_names(str(path))
    text = str(caught.value)
    assert text.startswith(str(path))
    assert re.search(message, text[len(str(path)) :]), text
    assert "\n" not in text
    assert caught.value.exit_code == 2


def test_a_list_in_the_layout_of_all_pypi_loads(tmp_path: Path) -> None:
    # The layout of a saved list of all PyPI (a header; name, version, month,
    # rank, summary), made here: the test runs on every machine.
    rows = ["name\tversion\tmonth\trank_among_15000_most_downloaded\tsummary"]
    rows += [f"project-{i}\t1.{i}\t2024-01\t\tsummary {i}: tabs\u2009and ünïcode" for i in range(5000)]
    rows += ["PyYAML\t6.0\t2024-01\t12\tYAML", "zope.interface\t7.0\t2024-01\t\tInterfaces"]
    path = tmp_path / "pypi.tsv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    names = load_pypi_names(str(path))
    assert len(names) == 5002
    assert all(name in names for name in ["project-4999", "pyyaml", "zope-interface", "Zope_Interface"])
    assert "name" not in names  # the header
    assert names.date is not None and names.date.endswith("Z")
    # Its version column: each project's newest release, by canonical name.
    assert [names.releases.get(n) for n in ("project-7", "pyyaml", "zope-interface", "nope")] == [
        "1.7", "6.0", "7.0", None]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "releases"),
    [
        ("name\tversion\nPyYAML\t6.0.2\nsix\t1.17.0\n", {"pyyaml": "6.0.2", "six": "1.17.0"}),
        # A version that is not one is left out: it says nothing.
        ("name\tversion\nfoo\t\u2014\nbar\t2\n", {"bar": "2"}),
        # Without the header naming the column, a second column is not a version.
        ("PyYAML\t6.0.2\nsix\t1.17.0\n", {}),
        ("name\tsummary\nPyYAML\t6 things\n", {}),
        ("PyYAML\nsix\n", {}),
    ],
)
def test_releases_come_from_a_version_column_only(
    tmp_path: Path, text: str, releases: dict[str, str]
) -> None:
    path = tmp_path / "names.tsv"
    path.write_text(text, encoding="utf-8")
    names = load_pypi_names(str(path))
    assert {n: names.releases.get(n) for n in ("pyyaml", "six", "foo", "bar")} == {
        n: releases.get(n) for n in ("pyyaml", "six", "foo", "bar")
    }


# --- online: a local PEP 691 index ---------------------------------------------------------------


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def index(monkeypatch: pytest.MonkeyPatch) -> Iterator[LocalIndex]:
    for proxy in ("http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(proxy, raising=False)  # 127.0.0.1 directly, never through a proxy
    served = LocalIndex()
    yield served
    served.stop()


@pytest.fixture
def clock() -> Clock:
    return Clock()


def online(index: LocalIndex, cache: Path, clock: Clock, **options: float) -> PyPINames:
    return load_pypi_names(
        "online", cache_dir=cache, index_url=index.url, now=clock, timeout=0.5, **options
    )


def cache_files(cache: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((cache / "pypi-names").iterdir())}


def test_first_online_load_fetches_pep691_json_and_caches_it(
    index: LocalIndex, tmp_path: Path, clock: Clock
) -> None:
    names = online(index, tmp_path, clock)
    assert set(names) == {"pyyaml", "requests", "zope-interface"}
    assert "PyYAML" in names
    assert names.warning is None
    assert re.fullmatch(
        re.escape(index.url) + r" \(cached at .+\.txt\.gz, fetched 2024-06-01 12:00 UTC\)",
        names.source,
    )
    [request] = index.requests
    assert request["Accept"] == PEP691_JSON
    assert "gzip" in request["Accept-Encoding"]
    assert "If-None-Match" not in request
    assert index.statuses == [200]
    files = cache_files(tmp_path)
    assert sorted(Path(name).suffix for name in files) == [".gz", ".json"]  # names, a sidecar


def test_a_cache_younger_than_max_age_is_used_without_a_request(
    index: LocalIndex, tmp_path: Path, clock: Clock
) -> None:
    first = online(index, tmp_path, clock)
    index.stop()  # any request now fails
    clock.now += DAY - 1
    second = online(index, tmp_path, clock)
    assert len(index.requests) == 1
    assert set(second) == set(first)
    assert second.source == first.source
    assert second.warning is None


def test_an_older_cache_is_revalidated_and_304_reuses_it(
    index: LocalIndex, tmp_path: Path, clock: Clock
) -> None:
    online(index, tmp_path, clock)
    clock.now += DAY + 1
    names = online(index, tmp_path, clock)
    assert index.requests[1]["If-None-Match"] == '"v1"'
    assert index.statuses == [200, 304]
    assert set(names) == {"pyyaml", "requests", "zope-interface"}
    assert "fetched 2024-06-02 12:00 UTC" in names.source  # the fetch time is bumped...
    clock.now += DAY - 2
    online(index, tmp_path, clock)
    assert len(index.requests) == 2  # ...so the cache is fresh for another max_age


def test_max_age_zero_always_revalidates(index: LocalIndex, tmp_path: Path, clock: Clock) -> None:
    online(index, tmp_path, clock, max_age=0)
    online(index, tmp_path, clock, max_age=0)
    assert index.statuses == [200, 304]


def test_a_changed_index_replaces_the_cache(
    index: LocalIndex, tmp_path: Path, clock: Clock
) -> None:
    online(index, tmp_path, clock)
    index.projects, index.etag = ["Flask"], '"v2"'
    clock.now += DAY + 1
    names = online(index, tmp_path, clock)
    assert set(names) == {"flask"}
    assert index.statuses == [200, 200]
    assert len(cache_files(tmp_path)) == 2  # the old names file is gone
    index.stop()
    assert set(online(index, tmp_path, clock)) == {"flask"}


def break_index(index: LocalIndex, how: str) -> None:
    if how == "down":
        index.stop()
    else:
        index.mode = how


FAILURES = [
    pytest.param("down", "Connection refused", id="server-down"),
    pytest.param("fail", "HTTP 500 Internal Server Error", id="http-500"),
    pytest.param("slow", "timed out", id="timeout"),
    pytest.param("invalid-json", "the answer is not valid JSON ", id="invalid-json"),
    pytest.param("html", "the answer is text/html, not the PEP 691 JSON", id="html"),
    pytest.param("api-version-2", "the answer is of PEP 691 api-version 2.0", id="api-version-2"),
]


@pytest.mark.parametrize(("how", "reason"), FAILURES)
def test_a_failed_fetch_with_a_stale_cache_uses_it_with_a_warning(
    index: LocalIndex, tmp_path: Path, clock: Clock, how: str, reason: str
) -> None:
    online(index, tmp_path, clock)
    before = cache_files(tmp_path)
    break_index(index, how)
    clock.now += 2 * DAY + 1
    names = online(index, tmp_path, clock)
    assert set(names) == {"pyyaml", "requests", "zope-interface"}
    assert names.warning is not None
    assert re.fullmatch(
        r"the PyPI project list cached at \S+ is stale \(fetched 2024-06-01 12:00 UTC, 2 days"
        rf" ago\): cannot fetch {re.escape(index.url)} \(.*\)",
        names.warning,
    ), names.warning
    assert reason in names.warning
    assert cache_files(tmp_path) == before  # the failed fetch left the cache as it was


@pytest.mark.parametrize(("how", "reason"), FAILURES)
def test_a_failed_fetch_without_a_cache_is_a_one_line_error(
    index: LocalIndex, tmp_path: Path, clock: Clock, how: str, reason: str
) -> None:
    break_index(index, how)
    with pytest.raises(PyPINamesError) as caught:
        online(index, tmp_path, clock)
    assert re.fullmatch(
        rf"cannot fetch the PyPI project list from {re.escape(index.url)} \(.*\);"
        r" pass --pypi-names FILE with a saved copy",
        str(caught.value),
    ), str(caught.value)
    assert reason in str(caught.value)
    assert caught.value.exit_code == 2
    assert not list(tmp_path.rglob("*.gz"))


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda folder: next(folder.glob("*.gz")).unlink(), id="names-file-missing"),
        pytest.param(
            lambda folder: (p := next(folder.glob("*.gz"))).write_bytes(p.read_bytes()[:-20]),
            id="names-file-truncated",
        ),
        pytest.param(
            lambda folder: next(folder.glob("*.json")).write_text("{"), id="sidecar-broken"
        ),
        pytest.param(
            lambda folder: next(folder.glob("*.json")).write_bytes(b'{"url": 1}'),
            id="sidecar-not-ours",
        ),
        pytest.param(lambda folder: next(folder.glob("*.json")).unlink(), id="sidecar-missing"),
    ],
)
def test_a_damaged_cache_is_fetched_again(
    index: LocalIndex, tmp_path: Path, clock: Clock, damage: Callable[[Path], object]
) -> None:
    online(index, tmp_path, clock)
    damage(tmp_path / "pypi-names")
    names = online(index, tmp_path, clock)
    assert set(names) == {"pyyaml", "requests", "zope-interface"}
    assert names.warning is None
    assert index.statuses == [200, 200]
    online(index, tmp_path, clock)
    assert len(index.requests) == 2  # repaired: fresh again


def test_a_run_killed_while_writing_leaves_the_old_cache(
    index: LocalIndex, tmp_path: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    online(index, tmp_path, clock)
    index.projects, index.etag = ["Flask"], '"v2"'
    clock.now += DAY + 1
    real_replace = os.replace

    def killed_before_the_sidecar(source: str, target: Path) -> None:
        if str(target).endswith(".json"):
            raise KeyboardInterrupt  # as if killed between the names file and the sidecar
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", killed_before_the_sidecar)
    with pytest.raises(KeyboardInterrupt):
        online(index, tmp_path, clock)
    monkeypatch.undo()
    assert not list(tmp_path.rglob("*.tmp"))
    index.stop()
    names = online(index, tmp_path, clock)
    assert set(names) == {"pyyaml", "requests", "zope-interface"}  # the old cache, whole
    assert names.warning is not None and "stale" in names.warning


def test_a_cache_that_cannot_be_written_is_a_warning(
    index: LocalIndex, tmp_path: Path, clock: Clock
) -> None:
    not_a_folder = tmp_path / "cache"
    not_a_folder.write_text("")
    names = online(index, not_a_folder, clock)
    assert set(names) == {"pyyaml", "requests", "zope-interface"}
    assert names.warning is not None
    assert names.warning.startswith(f"cannot cache the PyPI project list in {not_a_folder}")
    assert names.source == f"{index.url} (fetched 2024-06-01 12:00 UTC, not cached)"


def test_each_index_url_has_its_own_cache(index: LocalIndex, tmp_path: Path, clock: Clock) -> None:
    online(index, tmp_path, clock)
    other = load_pypi_names("online", cache_dir=tmp_path, index_url=index.url + "other/", now=clock)
    assert set(other) == {"pyyaml", "requests", "zope-interface"}
    assert len(index.requests) == 2
    assert len(cache_files(tmp_path)) == 4


def test_the_default_cache_is_under_xdg_cache_home(
    index: LocalIndex, tmp_path: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    names = load_pypi_names("online", index_url=index.url, now=clock)
    assert str(tmp_path / "xdg" / "nixpkgs-pyindex" / "pypi-names") in names.source


def test_the_default_index_is_pypi() -> None:
    assert DEFAULT_INDEX_URL == "https://pypi.org/simple/"


# ---- a big list goes through a names index in the cache -------------------


def big_list(path: Path, extra: str = "") -> set[str]:
    """A saved list over INDEX_MIN_BYTES: project-0 … project-N (and `extra`)."""
    names = {f"project-{i}" for i in range(INDEX_MIN_BYTES // 12)} | ({extra} if extra else set())
    # Each project's newest release: project-N's is 1.N.
    path.write_text("name\tversion\n" + "".join(
        f"{n}\t1.{n.rpartition('-')[2] if n.startswith('project-') else 0}\n" for n in sorted(names)
    ))  # fmt: skip
    assert path.stat().st_size >= INDEX_MIN_BYTES
    return names


def indexes(cache: Path) -> list[str]:
    return sorted(p.name for p in (cache / "pypi-names").glob("*.idx"))


def test_a_big_list_is_read_through_its_index_made_once(tmp_path: Path) -> None:
    path, cache = tmp_path / "pypi.tsv", tmp_path / "cache"
    expected = big_list(path)
    first = load_pypi_names(str(path), cache_dir=cache)
    assert len(indexes(cache)) == 1
    # Same size and time, other bytes: a second run reads the index, not the file.
    stat = path.stat()
    path.write_bytes(b"#" * stat.st_size)
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    second = load_pypi_names(str(path), cache_dir=cache)
    for names in (first, second):
        assert len(names) == len(expected)
        assert "project-7" in names and "Project_7" in names and "project-x" not in names
        assert (names.releases.get("project-7"), names.releases.get("project-x")) == ("1.7", None)
    assert second.names == expected
    assert second.date == first.date


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda path, index: big_list(path, "new-one"), id="the-list-changed"),
        pytest.param(lambda path, index: index.write_bytes(index.read_bytes()[:-9]),
                     id="index-truncated"),  # fmt: skip
        pytest.param(lambda path, index: index.write_bytes(b"PYNAMES0"), id="index-not-ours"),
        pytest.param(lambda path, index: index.with_suffix(".releases").unlink(),
                     id="releases-index-missing"),  # fmt: skip
    ],
)
def test_an_index_out_of_date_or_damaged_is_made_again(
    tmp_path: Path, change: Callable[[Path, Path], object]
) -> None:
    path, cache = tmp_path / "pypi.tsv", tmp_path / "cache"
    big_list(path)
    load_pypi_names(str(path), cache_dir=cache)
    (index,) = (cache / "pypi-names").glob("*.idx")
    change(path, index)
    reread = load_pypi_names(str(path), cache_dir=cache)
    assert "project-7" in reread and reread.releases.get("project-7") == "1.7"
    assert ("new-one" in reread) == ("new-one" in path.read_text())
    assert indexes(cache) == [index.name]
    assert load_pypi_names(str(path), cache_dir=cache).names == reread.names


def test_a_small_list_leaves_nothing_in_the_cache(tmp_path: Path) -> None:
    path, cache = tmp_path / "names.txt", tmp_path / "cache"
    path.write_text("PyYAML\nzope.interface\n")
    assert "pyyaml" in load_pypi_names(str(path), cache_dir=cache)
    assert not cache.exists()


def test_a_big_download_is_kept_with_its_index(tmp_path: Path) -> None:
    served = LocalIndex()
    served.projects = [f"project-{i}" for i in range(INDEX_MIN_NAMES)]
    try:
        cache = tmp_path / "cache"
        first = load_pypi_names("online", cache_dir=cache, index_url=served.url)
        assert len(indexes(cache)) == 1
        for gz in (cache / "pypi-names").glob("*.gz"):
            gz.write_bytes(b"")  # a second run reads the index, not the names file
        second = load_pypi_names("online", cache_dir=cache, index_url=served.url)
        assert len(second) == len(first) == INDEX_MIN_NAMES
        assert "project-1" in second and "project-x" not in second
        assert len(served.requests) == 1
    finally:
        served.stop()
