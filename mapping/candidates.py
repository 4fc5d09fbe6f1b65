"""Candidates: the PyPI name of a package whose source names none, decided with PyPI's project list.

A package built from GitHub, GitLab or a project's own tarball has no PyPI
evidence in its source; its pname is often right, but not when PyPI's name
carries a ``python`` that nixpkgs drops (``xlib`` builds ``python-xlib``) or
when the bindings are not on PyPI at all (``xapian``). Four pieces of
evidence name the package: its nixpkgs name (pname, else the derivation's
project name, and the attribute), the forge repository's name, the
homepage's host and path, and the tarball's base name with the folders it
is in (outside a forge). Each piece supports
the names it spells and their ``python`` forms (``python-X``, ``X-python``,
``pyX``, and ``X`` stripped of those).

The rule: a candidate is kept only when PyPI has it **and** two pieces
support it (PyPI's list alone, or one piece alone, is never enough: a pname
``xlib`` does not make ``python-xlib``, but a repository called
``python-xlib`` does). The kept candidate most pieces support wins, then the
one most pieces spell exactly; a tie at the top decides nothing. Before
that, a candidate is dropped where the list knows PyPI's newest release of
it and that is of an older series (major.minor) than the version nixpkgs
builds: ``python-systemd``, last released as 0.0.9, is not what builds
systemd's bindings 234 (``mapping.versions.release_is_older``). When nothing is kept, the
package has no PyPI name, and the reason says what was looked for.

Pure: the list is passed in (any container of canonical names), and the
newest releases it knows, if any (``Releases``).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Container, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, Protocol
from urllib.parse import unquote, urlsplit

from mapping.names import (
    SDIST_EXTENSIONS,
    canonical_name,
    derivation_version,
    drv_project_name,
    is_valid_project_name,
    pypi_name_from_url,
    strip_version_suffix,
)
from mapping.versions import release_is_older

__all__ = [
    "ListDecision",
    "PieceKind",
    "Releases",
    "candidate_names",
    "decide_with_list",
    "evidence_pieces",
    "python_forms",
]

PieceKind = Literal["nixpkgs", "repo", "homepage", "tarball"]

# Hosts whose first path segments are owner/repository.
_FORGES = frozenset(
    {"github.com", "www.github.com", "codeload.github.com", "gitlab.com", "bitbucket.org",
     "codeberg.org", "git.sr.ht", "salsa.debian.org", "gitlab.freedesktop.org", "gitlab.gnome.org"}
)  # fmt: skip
# Hosts that give a project its own subdomain: X.readthedocs.io is project X.
_PROJECT_SUBDOMAINS = (
    ".sourceforge.net", ".readthedocs.io", ".readthedocs.org", ".rtfd.org", ".rtfd.io",
    ".github.io", ".gitlab.io", ".googlecode.com", ".sf.net",
)  # fmt: skip
# Path segments that name no project (a forge's or a site's own words).
_NOT_NAMES = frozenset(
    {"archive", "archives", "download", "downloads", "releases", "release", "files", "source",
     "sources", "src", "pub", "repository", "repo", "tarball", "get", "raw", "master", "main",
     "trunk", "tags", "tag", "refs", "heads", "p", "projects", "project", "wiki", "en", "latest",
     "stable", "docs", "doc", "software", "python", "index", "home", "pypi", "simple", "blob",
     "tree", "-", "+download", "debian", "pool", "mirror", "packages", "static"}
)  # fmt: skip
_PAGE = re.compile(r"\.(?:html?|php|aspx?|cgi)$", re.IGNORECASE)
_VERSION_START = re.compile(r"[-_.]v?[0-9]")
_NOT_A_NAME = re.compile(r"^(?:v?[0-9][0-9a-z.]*|[0-9a-f]{7,40})$", re.IGNORECASE)
_PREFIXES = ("python-", "python", "py-", "py")
_SUFFIXES = ("-python", "-py")


class Releases(Protocol):
    """PyPI's newest release of a project (canonical name), where a list knows it."""

    def get(self, name: str, /) -> str | None: ...


class _NoReleases:
    """A list that gives no releases (a simple index's names, one name a line)."""

    def get(self, name: str, /) -> str | None:
        return None


NO_RELEASES: Releases = _NoReleases()


@dataclass(frozen=True, slots=True)
class _Piece:
    kind: PieceKind
    names: frozenset[str]  # canonical
    note: str


@dataclass(frozen=True, slots=True)
class ListDecision:
    """What PyPI's list decided for one package.

    ``pypi_name`` is canonical, or None when no candidate was kept (the
    package is not on PyPI); ``spelled`` is the same name (pieces keep
    canonical names). ``candidates`` is every name the decision looked up
    (``candidate_names``), ``listed`` those PyPI has: all the decision read
    of the list, so the same ``listed`` gives the same decision. ``evidence``
    says which pieces supported the name, or why there is none.
    """

    pypi_name: str | None
    spelled: str | None
    listed: tuple[str, ...]
    evidence: tuple[str, ...]
    candidates: tuple[str, ...] = ()
    # The newest releases the decision read (of the candidates two pieces
    # name), and which of those are older than what nixpkgs builds.
    released: tuple[tuple[str, str], ...] = ()
    outdated: tuple[str, ...] = ()


@functools.lru_cache(maxsize=1 << 16)
def python_forms(name: str) -> frozenset[str]:
    """``name`` (canonical) and its ``python`` forms: the bare name, and
    ``python-X``, ``X-python``, ``pyX`` of the bare name."""
    stem = name
    for prefix in _PREFIXES:
        if stem.startswith(prefix) and len(stem) > len(prefix) + 1:
            stem = stem[len(prefix) :]
            break
    for suffix in _SUFFIXES:
        if stem.endswith(suffix) and len(stem) > len(suffix) + 1:
            stem = stem[: -len(suffix)]
            break
    stem = stem.strip("-")
    if not stem:
        return frozenset({name})
    return frozenset({name, stem, f"python-{stem}", f"{stem}-python", f"py{stem}"})


def _stem(name: str) -> str:
    return min(python_forms(name), key=len)


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _strings(value: object) -> list[str]:
    if not isinstance(value, Sequence) or isinstance(value, str):
        return []
    return [item for item in value if isinstance(item, str)]


def _sources(record: Mapping[str, Any]) -> Iterator[Mapping[str, Any]]:
    sources = record.get("src")
    if isinstance(sources, Sequence) and not isinstance(sources, str):
        for source in sources:
            if isinstance(source, Mapping) and source.get("kind", "derivation") == "derivation":
                yield source


def _name(text: str) -> str | None:
    text = unquote(text).removesuffix(".git")
    if not is_valid_project_name(text) or _NOT_A_NAME.match(text) or text.lower() in _NOT_NAMES:
        return None
    return canonical_name(text)


def _names(texts: list[str | None]) -> frozenset[str]:
    return frozenset(n for t in texts if t is not None and (n := _name(t)) is not None)


def _forge_repo(url: str) -> str | None:
    """The repository's name in a forge URL: github.com/O/R/…, gitlab.x/O/R/-/archive/…,
    any …/R.git, launchpad.net/R/…."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    segments = [s for s in parts.path.split("/") if s]
    if host in _FORGES or host.startswith("gitlab."):
        if host == "git.sr.ht" and len(segments) >= 2:
            return segments[1]
        for marker in ("-", "repository", "archive", "get", "downloads", "releases"):
            if marker in segments[2:]:
                return segments[segments.index(marker, 2) - 1]
        return segments[1] if len(segments) >= 2 else None
    if host == "launchpad.net" and segments:
        return segments[0]
    for marker in ("-", "repository"):  # a self-hosted GitLab (dev.gajim.org)
        if marker in segments[1:]:
            return segments[segments.index(marker, 1) - 1]
    if segments and segments[-1].endswith(".git"):
        return segments[-1]
    return None


def _without_version(text: str) -> str:
    found = _VERSION_START.search(text)
    return text[: found.start()] if found and found.start() > 0 else text


def _tarball_names(url: str) -> list[str]:
    """The tarball's base name, and the folders it is in where the host is
    not a forge (download.qt.io/…/pyside2/PySide2-5.15-src/pyside-setup-….tar.xz,
    …/Downloads/PyQt5/5.13.0/PyQt5_gpl-5.13.0.tar.gz): one piece, one URL."""
    parts = urlsplit(url.strip())
    segments = [unquote(s) for s in parts.path.split("/") if s]
    if not segments:
        return []
    filename = segments[-1]
    lowered = filename.lower()
    for extension in SDIST_EXTENSIONS:
        if lowered.endswith(extension.lower()):
            stem = filename[: -len(extension)]
            break
    else:
        return []
    host = (parts.hostname or "").lower()
    folders = [] if host in _FORGES or host.startswith("gitlab.") else segments[:-1]
    return [_without_version(stem), *(_without_version(folder) for folder in folders)]


def _homepage_names(url: str) -> list[str | None]:
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    segments = [unquote(s) for s in parts.path.split("/") if s and not _PAGE.search(s)]
    if host in _FORGES:
        return [_forge_repo(url)]
    found = pypi_name_from_url(url)  # a PyPI project page
    if found is not None:
        return [found.name]
    names: list[str | None] = list(segments)
    for suffix in _PROJECT_SUBDOMAINS:
        if host.endswith(suffix):
            names.append(host[: -len(suffix)].split(".")[-1])
            return names
    # A project's own domain: tensorflow.org, mxnet.incubator.apache.org.
    labels = [label for label in host.split(".")[:-1] if label != "www"]
    names.extend(labels[:1] + labels[-1:])
    return names


def evidence_pieces(record: Mapping[str, Any]) -> list[tuple[PieceKind, frozenset[str], str]]:
    """The pieces of evidence that name a record: (kind, canonical names, a note)."""
    return [(p.kind, p.names, p.note) for p in _pieces(record)]


def _pieces(record: Mapping[str, Any]) -> list[_Piece]:
    pieces: list[_Piece] = []
    version = _text(record.get("version"))
    pname, name, attr = (
        _text(record.get("pname")),
        _text(record.get("name")),
        _text(record.get("attr")),
    )
    # The attribute too: it is right where a name is misspelt or carries a
    # suffix (fdroidserver-git), measured on bench/names_labelled.tsv.
    own = strip_version_suffix(pname, version) if pname else (
        drv_project_name(name, version) if name else None)  # fmt: skip
    nixpkgs = _names([own, attr])
    if nixpkgs:
        label = f"pname {pname}" if pname else f"name {name}" if name else f"attr {attr}"
        pieces.append(_Piece("nixpkgs", nixpkgs, label))
    sources = tuple(
        (_text(source.get("repo")), tuple([*_strings([source.get("git_url")]),
                                           *_strings(source.get("urls"))]))
        for source in _sources(record)
    )  # fmt: skip
    pieces.extend(_upstream_pieces(sources, _text(record.get("homepage"))))
    return pieces


@functools.lru_cache(maxsize=1 << 14)
def _upstream_pieces(
    sources: tuple[tuple[str | None, tuple[str, ...]], ...], homepage: str | None
) -> tuple[_Piece, ...]:
    """The pieces upstream gives (repository, homepage, tarball): the same for
    a package in every set, so worked out once."""
    pieces: list[_Piece] = []
    repos: list[str | None] = []
    tarballs: list[str | None] = []
    for repo, urls in sources:
        repos.append(repo)
        for url in urls:
            repos.append(_forge_repo(url))
            tarballs.extend(_tarball_names(url))
    if names := _names(repos):
        pieces.append(_Piece("repo", names, "repository " + ", ".join(sorted(names))))
    if homepage is not None and (names := _names(_homepage_names(homepage))):
        pieces.append(_Piece("homepage", names, f"homepage {homepage}"))
    if names := _names(tarballs):
        pieces.append(_Piece("tarball", names, "tarball " + ", ".join(sorted(names))))
    return tuple(pieces)


def _support(pieces: list[_Piece]) -> dict[str, tuple[set[PieceKind], set[PieceKind]]]:
    """Candidate → (the kinds that support it, the kinds that spell it exactly)."""
    found: dict[str, tuple[set[PieceKind], set[PieceKind]]] = {}
    for piece in pieces:
        for name in piece.names:
            for form in python_forms(name):
                supporting, exact = found.setdefault(form, (set(), set()))
                supporting.add(piece.kind)
                if form == name:
                    exact.add(piece.kind)
    return found


def candidate_names(record: Mapping[str, Any]) -> tuple[str, ...]:
    """Every name the decision may look up in PyPI's list, sorted."""
    return tuple(sorted(_support(_pieces(record))))


def decide_with_list(
    record: Mapping[str, Any], pypi_names: Container[str], releases: Releases = NO_RELEASES
) -> ListDecision:
    """The PyPI name of a record whose source names none, given PyPI's list
    of canonical project names and the newest releases it knows (see the
    module docstring for the rule)."""
    pieces = _pieces(record)
    support = _support(pieces)
    candidates = tuple(sorted(support))
    listed = tuple(name for name in candidates if name in pypi_names)
    named = [name for name in listed if len(support[name][0]) >= 2]
    released = tuple((n, v) for n in named if (v := releases.get(n)) is not None)
    built = (
        derivation_version(_text(record.get("version")), _text(record.get("name")))
        if released
        else None
    )
    outdated = tuple(n for n, v in released if built is not None and release_is_older(v, built))
    kept = [name for name in named if name not in outdated]
    looked = ", ".join(candidates[:12]) + (", …" if len(candidates) > 12 else "")

    def decided(name: str | None, why: str, notes: list[str]) -> ListDecision:
        return ListDecision(name, name, listed, (why, *notes), candidates, released, outdated)

    if not kept:
        why = (
            f"not on PyPI: no candidate is both a PyPI project and named by two pieces of"
            f" evidence (looked for {looked}; PyPI has {', '.join(listed) or 'none of them'})"
        )
        if outdated:
            newest = ", ".join(f"{n} {v}" for n, v in released if n in outdated)
            why = (
                f"not on PyPI: PyPI's newest release of {', '.join(outdated)} is of an older"
                f" series than {built}, which nixpkgs builds ({newest}); no other candidate is"
                f" both a PyPI project and named by two pieces of evidence (looked for {looked})"
            )
        return decided(None, why, [p.note for p in pieces])

    def rank(name: str) -> tuple[bool, int, int, int]:
        # A pname that spells the python affix itself (systemd-python) was
        # chosen so; then the most pieces, the most exact spellings, and
        # upstream's spellings (repository, homepage, tarball) over nixpkgs'.
        supporting, exact = support[name]
        spelled = "nixpkgs" in exact and _stem(name) != name
        return (spelled, len(supporting), len(exact), len(exact - {"nixpkgs"}))

    ranked = sorted(kept, key=rank, reverse=True)
    best = ranked[0]
    tied = [n for n in ranked if rank(n) == rank(best)]
    if len(tied) > 1:
        why = f"not on PyPI: ambiguous, PyPI has {', '.join(tied)}, each as well supported"
        return decided(None, why, [p.note for p in pieces])
    supporting = sorted(support[best][0])
    # Pieces keep canonical names only: the name is spelled as it is.
    return decided(
        best,
        f"PyPI list has {best}, named by {' and '.join(supporting)}",
        [p.note for p in pieces if p.kind in support[best][0]],
    )
