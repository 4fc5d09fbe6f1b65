"""Names: PyPI project names read from URLs, purls and Nix derivation names.

Every function here is a pure function of strings. "Canonical" always means
PEP 503 normalization (``packaging.utils.canonicalize_name``), the form PyPI
compares names in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal
from urllib.parse import unquote, urlsplit

from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

__all__ = [
    "DistributionKind",
    "UrlEvidence",
    "canonical_name",
    "derivation_version",
    "drv_project_name",
    "github_repo_from_url",
    "is_interpreter_name",
    "is_setup_hook_name",
    "is_valid_project_name",
    "parse_distribution_filename",
    "pypi_name_from_purl",
    "pypi_name_from_url",
    "split_drv_name",
    "strip_interpreter_prefix",
    "strip_version_suffix",
]

DistributionKind = Literal["sdist", "wheel", "egg", "project"]

# Hosts that serve PyPI's own files or pages. Exact host names only: a
# look-alike such as pypi.pediapress.com is somebody else's index.
PYPI_HOSTS = frozenset(
    {
        "pypi.org",
        "www.pypi.org",
        "pypi.io",
        "www.pypi.io",
        "pypi.python.org",
        "files.pythonhosted.org",
    }
)

# Longest first, so ".tar.gz" wins over ".gz"-less ".tar".
SDIST_EXTENSIONS = (
    ".tar.gz",
    ".tar.bz2",
    ".tar.xz",
    ".tar.Z",
    ".tgz",
    ".tbz2",
    ".tbz",
    ".txz",
    ".tar",
    ".zip",
)

# PEP 508 / core metadata: what PyPI accepts as a project name.
_PROJECT_NAME = re.compile(r"^([A-Z0-9]|[A-Z0-9][A-Z0-9._-]*[A-Z0-9])$", re.IGNORECASE)

# A `pythonX.Y-` / `pypyX.Y-` prefix, as buildPythonPackage's namePrefix
# (the interpreter's libPrefix) makes it. The dot is required: `python3-`
# is the interpreter's own pname, as in `python3-3.13.1`.
_INTERPRETER_PREFIX = re.compile(r"^(?:python|pypy)[0-9]+\.[0-9]+-")

# The interpreter (or an env of it) as a derivation name: python-2.7.14,
# python3-3.13.1, python3-minimal-3.12.8, pypy3-7.3.17, python-2.7.14-env.
# No dot before the dash: `python3.6-3to2` is a module, not an interpreter.
_INTERPRETER_NAME = re.compile(
    r"^(?:python|pypy)[0-9]*(?:-minimal)?-[0-9]+(?:\.[0-9]+)*[a-z0-9]*(?:-env)?$"
)
_INTERPRETER_PNAME = re.compile(r"^(?:python|pypy)[0-9]*(?:-minimal)?$")

_HEX = re.compile(r"^[0-9a-f]+$")


def canonical_name(name: str) -> str:
    """The PEP 503 normalized form of a project name (``PyYAML`` → ``pyyaml``).

    Dots count as separators, as PyPI has it: ``zope.interface`` → ``zope-interface``.
    """
    return str(canonicalize_name(name))


def is_valid_project_name(name: str) -> bool:
    """Whether ``name`` is spelled as PyPI allows a project name to be."""
    return _PROJECT_NAME.match(name) is not None


# --- distribution file names -------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Distribution:
    name: str
    version: str | None
    kind: DistributionKind


def _sdist_stem(filename: str) -> str | None:
    lowered = filename.lower()
    for extension in SDIST_EXTENSIONS:
        if lowered.endswith(extension.lower()):
            return filename[: -len(extension)]
    return None


def _split_at_first_version_dash(stem: str) -> tuple[str, str | None]:
    # Nix's parseDrvName rule: the version starts after the first dash that
    # is followed by something other than a letter. It is right for
    # `python-dateutil-2.9.0.post0` and `foo-bar-1.0-2`, where splitting at
    # the last dash (packaging's parse_sdist_filename) is not.
    for index, char in enumerate(stem):
        if char == "-" and index + 1 < len(stem) and not stem[index + 1].isalpha():
            return stem[:index], stem[index + 1 :]
    return stem, None


def _is_pep440(text: str) -> bool:
    try:
        Version(text)
    except InvalidVersion:
        return False
    return True


def _split_sdist_stem(
    stem: str, known_name: str | None, known_version: str | None
) -> tuple[str, str | None]:
    # A known name (the URL's directory) decides the split when some prefix
    # of the stem is that name: `foo-2fa-1.0` under `foo-2fa/`.
    if known_name is not None:
        wanted = canonical_name(known_name)
        for index, char in enumerate(stem):
            if char == "-" and canonical_name(stem[:index]) == wanted:
                return stem[:index], stem[index + 1 :] or None
    # A known version decides it when the stem ends with it.
    if known_version:
        name = strip_version_suffix(stem, known_version)
        if name != stem:
            return name, known_version
    # Else Nix's rule (a dash before a non-letter), preferring the first such
    # dash that leaves a PEP 440 version: `foo-2fa-1.0` → `foo-2fa`, `1.0`.
    candidates = [
        index
        for index, char in enumerate(stem[:-1])
        if char == "-" and not stem[index + 1].isalpha()
    ]
    valid = [index for index in candidates if _is_pep440(stem[index + 1 :])]
    chosen = valid[0] if valid else candidates[0] if candidates else None
    if chosen is None:
        # No dash before a digit: a version spelled with a letter first
        # (`Grammalecte-fr-v0.6.1`) follows the last dash, if it reads as one.
        name, dash, version = stem.rpartition("-")
        if dash and name and _is_pep440(version):
            return name, version
        return stem, None
    return stem[:chosen], stem[chosen + 1 :]


def parse_distribution_filename(
    filename: str, known_name: str | None = None, known_version: str | None = None
) -> tuple[str, str | None, DistributionKind] | None:
    """Project name (as spelled), version and kind of a distribution file name.

    ``known_name`` and ``known_version`` settle ambiguous sdist names
    (``foo-bar-1.0-2.tar.gz``); they are hints, never taken on trust. None when
    the file is not a distribution or carries no valid project name.
    """
    dist = _parse_distribution(filename, known_name, known_version)
    if dist is None:
        return None
    return dist.name, dist.version, dist.kind


def _parse_distribution(
    filename: str, known_name: str | None, known_version: str | None
) -> _Distribution | None:
    lowered = filename.lower()
    dist: _Distribution | None
    if lowered.endswith(".whl"):
        dist = _parse_binary(filename[: -len(".whl")], "wheel", part_counts=(5, 6))
    elif lowered.endswith(".egg"):
        dist = _parse_binary(filename[: -len(".egg")], "egg", part_counts=(2, 3, 4))
    else:
        stem = _sdist_stem(filename)
        if stem is None:
            return None
        name, version = _split_sdist_stem(stem, known_name, known_version)
        dist = _Distribution(name, version, "sdist")
    if dist is None or not is_valid_project_name(dist.name):
        return None
    return dist


def _parse_binary(
    stem: str, kind: DistributionKind, part_counts: tuple[int, ...]
) -> _Distribution | None:
    # Wheel and egg names escape dashes inside name and version to
    # underscores, so the dash split is unambiguous. Done by hand rather than
    # with parse_wheel_filename to keep the name as spelled and to accept
    # old wheels whose version is not PEP 440.
    parts = stem.split("-")
    if len(parts) not in part_counts:
        return None
    return _Distribution(parts[0], parts[1], kind)


# --- URLs --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class UrlEvidence:
    """A PyPI project named by a URL.

    ``name`` is spelled as the URL spells it (directory or file name).
    ``kind`` follows the file's extension ("egg" too, as old PyPI paths hold
    eggs), "sdist" when only the directory names the project, and "project"
    for a project page, which has no file.
    """

    name: str
    version: str | None
    filename: str | None
    kind: DistributionKind


def _path_segments(path: str) -> list[str]:
    return [unquote(segment) for segment in path.split("/") if segment]


def pypi_name_from_url(url: str, known_version: str | None = None) -> UrlEvidence | None:
    """The PyPI project a source URL downloads from, or None if it is not PyPI's.

    Reads ``mirror://pypi/…``, the ``packages/source/…`` and
    ``packages/<python tag>/…`` layouts, the ``packages/ab/cd/<hash>/<file>``
    layout (where only the file names the project) and project pages. The
    derivation's ``known_version`` settles ambiguous sdist names.
    """
    parts = urlsplit(url.strip())  # query and fragment (#egg=, #sha256=) are dropped
    scheme = parts.scheme.lower()
    if scheme == "mirror":
        if (parts.hostname or "") != "pypi":
            return None
        # nixpkgs' pypi mirror is https://pypi.io/packages/source/
        return _from_source_layout(_path_segments(parts.path), known_version)
    if scheme not in ("http", "https"):
        return None
    if (parts.hostname or "") not in PYPI_HOSTS:
        return None
    segments = _path_segments(parts.path)
    if not segments:
        return None
    if segments[0] == "packages":
        return _from_packages_path(segments[1:], known_version)
    if segments[0] in ("project", "pypi", "simple"):
        return _from_project_page(segments[1:])
    return None


def _from_packages_path(segments: list[str], known_version: str | None) -> UrlEvidence | None:
    # packages/source/<c>/<name>/<file> and packages/<pytag>/<c>/<name>/<file>
    if len(segments) == 4 and len(segments[1]) == 1:
        return _from_source_layout(segments[1:], known_version)
    # packages/ab/cd/<hash>/<file>: the file alone names the project.
    if len(segments) == 4 and all(_HEX.match(s) for s in segments[:3]):
        evidence = _from_filename(segments[3], None, known_version)
        # A file name without a version is no distribution's: its name is unreliable.
        return evidence if evidence is not None and evidence.version is not None else None
    return None


def _from_source_layout(segments: list[str], known_version: str | None) -> UrlEvidence | None:
    # <c>/<name>/<file>, as mirror://pypi and packages/source have it.
    if len(segments) != 3:
        return None
    directory, filename = segments[1], segments[2]
    evidence = _from_filename(filename, directory, known_version)
    if evidence is not None:
        if canonical_name(evidence.name) == canonical_name(directory):
            # Same project: the directory is the project's name slot.
            return UrlEvidence(directory, evidence.version, filename, evidence.kind)
        # The directory is wrong (real: mirror://pypi/p/pyinotify-0.9.6/…);
        # PyPI serves the file by its own name, so the file is the evidence.
        return evidence
    if is_valid_project_name(directory):
        return UrlEvidence(directory, None, filename, "sdist")
    return None


def _from_filename(
    filename: str, known_name: str | None, known_version: str | None
) -> UrlEvidence | None:
    dist = _parse_distribution(filename, known_name, known_version)
    if dist is None:
        return None
    return UrlEvidence(dist.name, dist.version, filename, dist.kind)


def _from_project_page(segments: list[str]) -> UrlEvidence | None:
    # project/<name>/[<version>/], pypi/<name>/[<version>|json], simple/<name>/
    if not segments or not is_valid_project_name(segments[0]):
        return None
    version = segments[1] if len(segments) > 1 and segments[1] != "json" else None
    return UrlEvidence(segments[0], version, None, "project")


def github_repo_from_url(url: str) -> str | None:
    """``owner/repo`` of a GitHub URL (archive, git or codeload), else None."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    if host not in ("github.com", "www.github.com", "codeload.github.com"):
        return None
    segments = _path_segments(parts.path)
    if len(segments) < 2:
        return None
    owner, repo = segments[0], segments[1]
    repo = repo.removesuffix(".git")
    if not owner or not repo:
        return None
    return f"{owner}/{repo}"


# --- purls -------------------------------------------------------------------


def pypi_name_from_purl(purl: str) -> tuple[str, str | None] | None:
    """Name (as spelled) and version of a ``pkg:pypi/…`` package URL.

    None for another type or a malformed purl. Components are percent-decoded,
    qualifiers (``?…``) and subpath (``#…``) ignored.
    """
    scheme, sep, rest = purl.strip().partition(":")
    if not sep or scheme.lower() != "pkg":
        return None
    rest = rest.split("#", 1)[0].split("?", 1)[0].lstrip("/")
    purl_type, sep, path = rest.partition("/")
    if not sep or purl_type.lower() != "pypi":
        return None
    name_part, _, version_part = path.rstrip("/").partition("@")
    # PyPI purls have no namespace; tolerate one by taking the last segment.
    name = unquote(name_part.rsplit("/", 1)[-1])
    if not is_valid_project_name(name):
        return None
    version = unquote(version_part) or None
    return name, version


# --- derivation names --------------------------------------------------------


def strip_interpreter_prefix(name: str) -> str:
    """``name`` without its ``pythonX.Y-``/``pypyX.Y-`` prefixes.

    All of them: real trees have doubled ones (``python3.6-python3.6-graph-tool-2.26``).
    """
    while True:
        match = _INTERPRETER_PREFIX.match(name)
        if match is None or match.end() == len(name):
            return name
        name = name[match.end() :]


def split_drv_name(name: str) -> tuple[str, str | None]:
    """Nix's ``parseDrvName`` after stripping the interpreter prefix.

    The version starts after the first dash not followed by a letter:
    ``python3.12-pyyaml-6.0.2`` → ``("pyyaml", "6.0.2")``,
    ``python2.7-3to2-1.1.1`` → ``("3to2", "1.1.1")``,
    ``pytest-check-hook`` → ``("pytest-check-hook", None)``.
    """
    return _split_at_first_version_dash(strip_interpreter_prefix(name))


def derivation_version(version: str | None, name: str | None) -> str | None:
    """A derivation's version: its ``version``, else the version part of its
    ``name`` (old trees often set only the name: ``python3.6-xlib-0.17``)."""
    if version is not None or name is None:
        return version
    return split_drv_name(name)[1]


def strip_version_suffix(text: str, version: str | None) -> str:
    """``text`` without a trailing ``-<version>``, when it has one and something remains.

    For names whose version does not start with a digit, where Nix's rule
    splits too late (``pyfantom-unstable-2013-12-18``), and pnames that carry
    the version (real 2018: pname ``arelle-2017-08-24``).
    """
    if version and text.endswith("-" + version) and len(text) > len(version) + 1:
        return text[: -len(version) - 1]
    return text


def drv_project_name(name: str, version: str | None = None) -> str:
    """The project part of a derivation name, given the derivation's version if known.

    ``python3.6-pyfantom-unstable-2013-12-18`` with version
    ``unstable-2013-12-18`` → ``pyfantom``; without a version, or when the name
    does not end with it (a stale ``version``), Nix's rule decides.
    """
    stripped = strip_interpreter_prefix(name)
    without_version = strip_version_suffix(stripped, version)
    if without_version != stripped:
        return without_version
    return split_drv_name(name)[0]


def is_interpreter_name(name: str, pname: str | None = None) -> bool:
    """Whether a derivation is the Python interpreter itself (or an env of it).

    By pname where there is one (``python3``), else by name
    (``python-2.7.14``, ``python3-3.6.5``, ``python-2.7.14-env``).
    """
    if pname is not None and _INTERPRETER_PNAME.match(pname):
        return True
    return _INTERPRETER_NAME.match(name) is not None


def is_setup_hook_name(name: str) -> bool:
    """Whether a derivation name is a setup hook's.

    makeSetupHook names its result exactly as told, without a version:
    ``hook`` when not told (real 2018), ``pytest-check-hook``,
    ``python3.13-sphinx-hook``, and today's file-like ``cargo-setup-hook.sh``
    and ``maturin-build-hook.sh``. A Python module's name always ends in its
    version (``python3.13-pytest-hook-1.0``), so it never looks like one.
    """
    return name == "hook" or name.endswith(("-hook", "-hook.sh"))
