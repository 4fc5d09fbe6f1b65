"""The PyPI list as evidence: a candidate is kept when PyPI has it and two pieces name it."""

from __future__ import annotations

from typing import Any

import pytest

from mapping.candidates import candidate_names, decide_with_list, python_forms
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
        # The pname alone, though PyPI has it: one piece is not enough.
        ("pname alone is not enough",
         record("xapian", pname="xapian",
                urls=("https://oligarchy.co.uk/xapian/1.4/xapian-bindings-1.4.tar.xz",)),
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
