"""The PyPI list as evidence: a candidate is kept when PyPI has it and two pieces name it."""

from __future__ import annotations

from typing import Any

import pytest

from mapping.candidates import candidate_names, decide_with_list, evidence_pieces, python_forms
from mapping.identity import identify_package


def record(
    attr: str,
    *,
    pname: str | None = None,
    name: str | None = None,
    urls: tuple[str, ...] = (),
    owner: str | None = None,
    repo: str | None = None,
    homepage: str | None = None,
) -> dict[str, Any]:
    source: dict[str, Any] = {"kind": "derivation", "urls": list(urls), "owner": owner, "repo": repo}
    found: dict[str, Any] = {"attr": attr, "status": "ok", "src": [source], "homepage": homepage}
    if pname is not None:
        found["pname"] = pname
    found["name"] = name or f"python3.12-{pname or attr}-1.0"
    return found


GH = "https://github.com/{}/archive/v1.0.tar.gz".format


@pytest.mark.parametrize(
    ("case", "rec", "listed", "expected"),
    [
        # pythonX prefix: the repository spells it, the pname drops it.
        ("prefix named by the repository",
         record("xlib", pname="xlib", urls=(GH("python-xlib/python-xlib"),)),
         {"python-xlib", "xlib"}, "python-xlib"),
        # The suffix, named only through forms of two pieces.
        ("suffix supported by pname and repository forms",
         record("libsixel", pname="libsixel", owner="libsixel", repo="libsixel"),
         {"libsixel-python"}, "libsixel-python"),
        # The reverse: the attribute carries the prefix, PyPI has the bare name.
        ("bare name for a prefixed attribute",
         record("python-mapnik", urls=(GH("mapnik/python-mapnik"),)),
         {"mapnik"}, "mapnik"),
        # fetchFromGitLab owner/repo fields.
        ("forge repository from fetcher fields",
         record("libvirt", pname="libvirt", owner="libvirt", repo="libvirt-python"),
         {"libvirt-python"}, "libvirt-python"),
        # A GitLab URL's repository.
        ("forge repository from a GitLab URL",
         record("fdroidserver", name="python3.6-fdroidserver-git-2016-05-31",
                urls=("https://gitlab.com/fdroid/fdroidserver/repository/archive.tar.gz?ref=4016",)),
         {"fdroidserver"}, "fdroidserver"),
        # The homepage's path.
        ("homepage path",
         record("usbtmc", pname="usbtmc",
                homepage="http://alexforencich.com/wiki/en/python-usbtmc/start",
                urls=(GH("python-ivi/python-usbtmc"),)),
         {"python-usbtmc", "pyusbtmc"}, "python-usbtmc"),
        # The tarball's base name, with the pname.
        ("tarball base name",
         record("pygobject3", pname="pygobject",
                urls=("mirror://gnome/sources/pygobject/3.26/pygobject-3.26.1.tar.xz",)),
         {"pygobject", "gobject"}, "pygobject"),
        # A pname that spells the suffix itself wins over a repository's prefix.
        ("pname spelling the suffix",
         record("systemd-python", pname="systemd-python", owner="systemd", repo="python-systemd",
                homepage="https://www.freedesktop.org/software/systemd/python-systemd/"),
         {"systemd-python", "python-systemd", "systemd"}, "systemd-python"),
        # The folders the tarball is in, outside a forge: one piece with its name.
        ("a folder of the download URL",
         record("pyside2", pname="pyside2",
                urls=("https://download.qt.io/official_releases/QtForPython/pyside2/"
                      "PySide2-5.15.14-src/pyside-setup-opensource-src-5.15.14.tar.xz",)),
         {"pyside2", "pyside-setup"}, "pyside2"),
        ("a versioned folder of the download URL",
         record("pyqt5", pname="pyqt",
                urls=("https://www.riverbankcomputing.com/static/Downloads/PyQt5/5.13.0/"
                      "PyQt5_gpl-5.13.0.tar.gz",)),
         {"pyqt5", "pyqt"}, "pyqt5"),
        # The pname alone, though PyPI has it: one piece is not enough.
        ("pname alone is not enough",
         record("xapian", pname="xapian",
                urls=("https://oligarchy.co.uk/files/1.4/xapian-bindings-1.4.tar.xz",)),
         {"xapian", "xapian-bindings"}, None),
        # A form of one piece only: the pname does not make python-X.
        ("a form of the pname alone is not enough",
         record("guestfs", pname="guestfs"), {"python-guestfs"}, None),
        # Nothing on PyPI.
        ("nothing listed", record("jsonwatch", urls=(GH("dbohdan/jsonwatch"),)), set(), None),
        # Two candidates as well supported: no decision.
        ("a tie decides nothing",
         record("opencv", name="opencv-2.4.13", urls=(GH("Itseez/opencv"),)),
         {"opencv-python", "pyopencv"}, None),
    ],
)  # fmt: skip
def test_the_list_keeps_a_candidate_pypi_has_and_two_pieces_name(
    case: str, rec: dict[str, Any], listed: set[str], expected: str | None
) -> None:
    decision = decide_with_list(rec, listed)
    assert decision.pypi_name == expected, case
    if expected is None:
        assert decision.evidence[0].startswith("not on PyPI: ")
    assert set(decision.listed) == listed & set(candidate_names(rec))


def test_a_forges_folders_are_not_download_folders() -> None:
    # github.com/OWNER/REPO/archive/…: the repository is its own piece, the
    # owner names nothing.
    rec = record("graphite-pager", urls=(GH("seatgeek/graphite-pager"),))
    named = {name for _, names, _ in evidence_pieces(rec) for name in names}
    assert "graphite-pager" in named
    assert "seatgeek" not in named and "archive" not in named


def test_python_forms_are_the_bare_name_and_its_affixes() -> None:
    assert python_forms("python-xlib") == {
        "python-xlib", "xlib", "xlib-python", "pyxlib"}  # fmt: skip
    assert python_forms("systemd-python") == {
        "systemd-python", "systemd", "python-systemd", "pysystemd"}  # fmt: skip


def test_identity_with_a_list_is_pypi_list_inferred_and_names_what_it_read() -> None:
    rec = record("xlib", pname="xlib", urls=(GH("python-xlib/python-xlib"),))
    identity = identify_package(rec, pypi_names=frozenset({"python-xlib", "xlib", "six"}))
    assert (identity.pypi_name, identity.name_source, identity.confidence) == (
        "python-xlib", "pypi-list", "inferred")  # fmt: skip
    assert identity.pypi_listed == ("python-xlib", "xlib")
    without = identify_package(rec)
    assert (without.pypi_name, without.name_source, without.pypi_listed) == ("xlib", "pname", None)


def test_a_pypi_source_is_never_decided_by_the_list() -> None:
    rec = record("xlib", pname="xlib", urls=("mirror://pypi/x/xlib/xlib-1.0.tar.gz",))
    identity = identify_package(rec, pypi_names=frozenset({"python-xlib"}))
    assert (identity.pypi_name, identity.name_source) == ("xlib", "url")


def versioned(attr: str, version: str, **fields: Any) -> dict[str, Any]:
    found = record(attr, **fields)
    found["version"] = version
    return found


SYSTEMD = dict(pname="systemd", owner="systemd", repo="python-systemd",
               homepage="https://www.freedesktop.org/software/systemd/python-systemd/")  # fmt: skip


@pytest.mark.parametrize(
    ("case", "rec", "releases", "expected", "outdated"),
    [
        # The example: PyPI's python-systemd and systemd are other
        # projects, last released long before the bindings' 234.
        ("another project's older series is dropped",
         versioned("systemd", "234", **SYSTEMD),
         {"python-systemd": "0.0.9", "systemd": "0.17.1", "systemd-python": "235"},
         "systemd-python", ("python-systemd", "systemd")),
        # Without releases the repository's spelling wins: the name is wrong.
        ("no releases, no evidence", versioned("systemd", "234", **SYSTEMD), {},
         "python-systemd", ()),
        # A placeholder on PyPI (subunit 0.0.0a0) for the real python-subunit.
        ("a placeholder's pre-release is an older series",
         versioned("subunit", "1.1.0", pname="subunit",
                   urls=("https://launchpad.net/subunit/trunk/1.1/+download/subunit-1.1.0.tar.gz",)),
         {"subunit": "0.0.0a0", "python-subunit": "1.4.6"}, "python-subunit", ("subunit",)),
        # Upstream stopped uploading but kept tagging: a patch behind is the same project.
        ("a patch behind is kept",
         versioned("datashape", "0.5.4", pname="datashape", urls=(GH("blaze/datashape"),)),
         {"datashape": "0.5.2"}, "datashape", ()),
        # Every candidate outdated: not on PyPI.
        ("every candidate of an older series: none",
         versioned("tracing", "0.8", pname="tracing", homepage="https://liw.fi/tracing/",
                   urls=("http://code.liw.fi/debian/pool/main/p/python-tracing/"
                         "python-tracing_0.8.orig.tar.gz",)),
         {"tracing": "0.1.3"}, None, ("tracing",)),
        # A snapshot dated as its version says nothing against a release.
        ("a dated snapshot is not compared with a release",
         versioned("zerobin", "20160108", pname="zerobin", urls=(GH("sametmax/zerobin"),)),
         {"zerobin": "1.0.5"}, "zerobin", ()),
        # Nor a version PEP 440 cannot read.
        ("a version that is not PEP 440 is not compared",
         versioned("mutag", "0.0.2-2ffa0258ca", urls=(GH("aroig/mutag"),)),
         {"mutag": "0.0.2"}, "mutag", ()),
    ],
)  # fmt: skip
def test_a_candidate_whose_newest_release_is_of_an_older_series_is_dropped(
    case: str,
    rec: dict[str, Any],
    releases: dict[str, str],
    expected: str | None,
    outdated: tuple[str, ...],
) -> None:
    listed = {"python-systemd", "systemd", "systemd-python", "subunit", "python-subunit",
              "datashape", "tracing", "zerobin", "mutag"}  # fmt: skip
    decision = decide_with_list(rec, listed, releases)
    assert (decision.pypi_name, decision.outdated) == (expected, outdated), case
    assert {n for n, _ in decision.released} <= set(releases)
    if expected is None:
        assert "older series" in decision.evidence[0]
