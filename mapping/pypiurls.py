"""PyPI source URLs that PyPI cannot serve.

A URL in PyPI's redirect layout, ``mirror://pypi/<initial>/<project>/<file>``
(nixpkgs' pypi mirror is ``packages/source/`` on PyPI's file hosts) or
``https://<PyPI host>/packages/<python tag>/<initial>/<project>/<file>``, is
answered by looking the file up among the files of ``<project>``. PyPI's
redirect service refuses, whatever the file:

* an ``<initial>`` that is neither the first character of ``<project>`` nor
  its lower case;
* a file that is not a distribution of ``<project>`` (the directory names
  another project: ``mirror://pypi/p/pyinotify-0.9.6/pyinotify-0.9.6.tar.gz``);
* a file filed under the wrong Python tag: PyPI requires ``source`` for an
  sdist, and a wheel's is its own tag, never ``source``;
* a path of another depth.

Such a URL builds only while the file's fixed-output hash is in a store or a
binary cache; a fresh fetch fails. Pure functions of strings.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal
from urllib.parse import unquote, urlsplit

from packaging.version import InvalidVersion, Version

from mapping.names import (
    PYPI_HOSTS,
    canonical_name,
    is_valid_project_name,
    parse_distribution_filename,
)

__all__ = ["PypiUrlProblem", "ProblemKind", "pypi_url_problem"]

ProblemKind = Literal["path", "directory", "initial", "python-tag"]


@dataclass(frozen=True, slots=True)
class PypiUrlProblem:
    """What is wrong with one URL, and the URL of the same file that works.

    ``kinds`` and ``reasons`` go together, one reason per kind, in the order
    PyPI checks them. ``project`` is the project the file is a distribution
    of (as the file spells it), when the file says. ``fixed`` is None when
    the right URL cannot be told from this one.
    """

    url: str
    kinds: tuple[ProblemKind, ...]
    reasons: tuple[str, ...]
    project: str | None
    fixed: str | None


@dataclass(frozen=True, slots=True)
class _Layout:
    prefix: str  # "mirror://pypi/" or "https://host/packages/"
    tag: str | None  # the python tag directory; None for mirror://pypi (always "source")
    segments: tuple[str, ...]  # what follows the tag: <initial>/<project>/<file>


def _layout(url: str) -> _Layout | None:
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    segments = tuple(unquote(s) for s in parts.path.split("/") if s)
    if scheme == "mirror":
        if (parts.hostname or "") != "pypi":
            return None
        return _Layout("mirror://pypi/", None, segments)
    if scheme not in ("http", "https") or (parts.hostname or "") not in PYPI_HOSTS:
        return None
    if len(segments) < 2 or segments[0] != "packages":
        return None
    tag, rest = segments[1], segments[2:]
    if tag != "source" and not (len(rest) == 3 and len(rest[0]) == 1):
        # packages/ab/cd/<hash>/<file>, or some other path: not the redirect layout.
        return None
    return _Layout(f"{scheme}://{parts.netloc}/packages/", tag, rest)


def _file_project(filename: str, directory: str) -> tuple[str, str] | None:
    """The project a file is a distribution of (as spelled), and its kind.

    The directory settles a name with dashes (``foo-2fa-1.0`` under
    ``foo-2fa/``), unless what it leaves as the version is none while the file
    alone reads as another project's (``pytest-mock-3.14.tar.gz`` under
    ``pytest/``).
    """
    hinted = parse_distribution_filename(filename, known_name=directory)
    if hinted is None:
        return None
    name, version, kind = hinted
    plain = parse_distribution_filename(filename)
    if (
        plain is not None
        and canonical_name(plain[0]) != canonical_name(name)
        and not _is_version(version)
        and _is_version(plain[1])
    ):
        name = plain[0]
    return name, kind


def _is_version(text: str | None) -> bool:
    if text is None:
        return False
    try:
        Version(text)
    except InvalidVersion:
        return False
    return True


def _wheel_tag(filename: str) -> str | None:
    parts = filename[: -len(".whl")].split("-")
    return parts[-3] if len(parts) in (5, 6) else None


def pypi_url_problem(url: str) -> PypiUrlProblem | None:
    """The problems of a URL in PyPI's redirect layout, or None if it has
    none or is not such a URL (other hosts, the hash layout, project pages)."""
    layout = _layout(url)
    if layout is None:
        return None
    where = "mirror://pypi/" if layout.tag is None else f"packages/{layout.tag}/"
    if len(layout.segments) != 3:
        return _bad_path(url, layout, where)
    initial, directory, filename = layout.segments
    parsed = _file_project(filename, directory)
    if parsed is None:
        return None  # not a distribution file name: nothing to compare with
    name, kind = parsed
    if kind not in ("sdist", "wheel"):
        return None  # eggs are filed under their Python version
    kinds: list[ProblemKind] = []
    reasons: list[str] = []
    if initial not in (directory[:1], directory[:1].lower()):
        kinds.append("initial")
        reasons.append(f"the initial {initial} is not the first letter of {directory}")
    project = directory
    if canonical_name(name) != canonical_name(directory):
        kinds.append("directory")
        reasons.append(f"the directory {directory} is not the file's project, {name}")
        project = name
    tag = "source" if layout.tag is None else layout.tag
    right_tag = tag
    if kind == "sdist" and tag != "source":
        kinds.append("python-tag")
        reasons.append(f"an sdist under {where}: PyPI files sdists under source/")
        right_tag = "source"
    elif kind == "wheel" and tag == "source":
        kinds.append("python-tag")
        right_tag = _wheel_tag(filename) or "source"
        reasons.append(
            f"a wheel under {where}: PyPI files a wheel under its Python tag ({right_tag})"
        )
    if not kinds:
        return None
    right_initial = initial if initial in (project[:1], project[:1].lower()) else project[:1]
    fixed = None
    if layout.tag is not None:
        fixed = f"{layout.prefix}{right_tag}/{right_initial}/{project}/{filename}"
    elif right_tag == "source":
        fixed = f"mirror://pypi/{right_initial}/{project}/{filename}"
    # else a wheel from mirror://pypi: it is on PyPI's file host, under its tag.
    return PypiUrlProblem(url, tuple(kinds), tuple(reasons), name, fixed)


def _bad_path(url: str, layout: _Layout, where: str) -> PypiUrlProblem:
    reason = f"{where} takes <initial>/<project>/<file>, not " + (
        "/".join(layout.segments) or "an empty path"
    )
    project = None
    fixed = None
    if layout.segments:
        filename = layout.segments[-1]
        parsed = parse_distribution_filename(filename)
        if parsed is not None:
            project = parsed[0]
        elif len(layout.segments) == 2 and is_valid_project_name(layout.segments[0]):
            project = layout.segments[0]  # <project>/<file>: the initial left out
        if project is not None:
            tag = "" if layout.tag is None else f"{layout.tag}/"
            fixed = f"{layout.prefix}{tag}{project[:1]}/{project}/{filename}"
    return PypiUrlProblem(url, ("path",), (reason,), project, fixed)
