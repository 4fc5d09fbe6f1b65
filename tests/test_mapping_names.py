"""mapping.names: PyPI names from URLs, purls and Nix derivation names.

URLs marked "real 2018" are copied from the nixpkgs-unstable / nixos-17.09
dumps of that year; the others are from today's nixpkgs or made up to pin a rule.
"""

from __future__ import annotations

import pytest

from mapping.names import (
    UrlEvidence,
    canonical_name,
    derivation_version,
    drv_project_name,
    github_repo_from_url,
    is_interpreter_name,
    is_setup_hook_name,
    parse_distribution_filename,
    pypi_name_from_purl,
    pypi_name_from_url,
    split_drv_name,
    strip_interpreter_prefix,
)

HASH = "f6/2f/e9735b04747ae5ef29d64e0b215fb0e11f1c89826097ac17342efebbbb84"


@pytest.mark.parametrize(
    ("name", "canonical"),
    [
        pytest.param("PyYAML", "pyyaml", id="case-folded"),
        pytest.param("zope.interface", "zope-interface", id="dots-are-separators"),
        pytest.param("typing_extensions", "typing-extensions", id="underscores"),
        pytest.param("Foo__Bar--baz..qux", "foo-bar-baz-qux", id="runs-collapse"),
        pytest.param("3to2", "3to2", id="digit-first"),
        pytest.param("backports.ssl_match_hostname", "backports-ssl-match-hostname", id="mixed"),
    ],
)
def test_canonical_name_is_pep503(name: str, canonical: str) -> None:
    assert canonical_name(name) == canonical


# --- URLs --------------------------------------------------------------------


def sdist(name: str, version: str | None, filename: str) -> UrlEvidence:
    return UrlEvidence(name, version, filename, "sdist")


def wheel(name: str, version: str, filename: str) -> UrlEvidence:
    return UrlEvidence(name, version, filename, "wheel")


@pytest.mark.parametrize(
    ("url", "known_version", "expected"),
    [
        # mirror://pypi/<c>/<name>/<file>: nixpkgs' fetchPypi and hand-written URLs.
        pytest.param(
            "mirror://pypi/P/PyYAML/PyYAML-3.12.tar.gz",
            None,
            sdist("PyYAML", "3.12", "PyYAML-3.12.tar.gz"),
            id="mirror-real-2018-pyyaml",
        ),
        pytest.param(
            "mirror://pypi/3/3to2/3to2-1.1.1.zip",
            None,
            sdist("3to2", "1.1.1", "3to2-1.1.1.zip"),
            id="mirror-digit-first-zip",
        ),
        pytest.param(
            "mirror://pypi/z/zope.interface/zope.interface-4.4.3.tar.gz",
            None,
            sdist("zope.interface", "4.4.3", "zope.interface-4.4.3.tar.gz"),
            id="mirror-dotted-name",
        ),
        pytest.param(
            "mirror://pypi/y/yapsy/Yapsy-1.11.223.tar.gz",
            None,
            sdist("yapsy", "1.11.223", "Yapsy-1.11.223.tar.gz"),
            id="mirror-directory-spelling-kept-real-2018",
        ),
        pytest.param(
            "mirror://pypi/m/markdown_it_py/markdown_it_py-3.0.0.tar.gz",
            None,
            sdist("markdown_it_py", "3.0.0", "markdown_it_py-3.0.0.tar.gz"),
            id="mirror-pep625-normalized-file",
        ),
        pytest.param(
            "mirror://pypi/p/pyinotify-0.9.6/pyinotify-0.9.6.tar.gz",
            None,
            sdist("pyinotify", "0.9.6", "pyinotify-0.9.6.tar.gz"),
            id="mirror-wrong-directory-real-2018-file-wins",
        ),
        pytest.param(
            "mirror://pypi/p/pyinotify-0.9.6/pyinotify-0.9.6.tar.gz",
            "0.9.6",
            sdist("pyinotify", "0.9.6", "pyinotify-0.9.6.tar.gz"),
            id="mirror-wrong-directory-with-known-version",
        ),
        pytest.param(
            "mirror://pypi/k/kaa-base/kaa-base-0.99.2dev-384-2b73caca.tar.gz",
            None,
            sdist("kaa-base", "0.99.2dev-384-2b73caca", "kaa-base-0.99.2dev-384-2b73caca.tar.gz"),
            id="mirror-non-pep440-version-real-2018",
        ),
        pytest.param(
            "mirror://pypi/j/j2cli/j2cli-0.3.1-0.tar.gz",
            None,
            sdist("j2cli", "0.3.1-0", "j2cli-0.3.1-0.tar.gz"),
            id="mirror-dash-in-version-real-2018",
        ),
        pytest.param(
            "mirror://pypi/f/foo-2fa/foo-2fa-1.0.tar.gz",
            None,
            sdist("foo-2fa", "1.0", "foo-2fa-1.0.tar.gz"),
            id="mirror-directory-settles-digit-after-dash",
        ),
        pytest.param(
            "mirror://pypi/m/markupsafe/markupsafe-3.0.1.tar.gz",
            "3.0.2",
            sdist("markupsafe", "3.0.1", "markupsafe-3.0.1.tar.gz"),
            id="file-version-wins-over-a-different-known-version",
        ),
        pytest.param(
            "mirror://pypi/h/hgsvn/hgsvn-0.3.11-hotfix.zip",
            "0.3.11",
            sdist("hgsvn", "0.3.11-hotfix", "hgsvn-0.3.11-hotfix.zip"),
            id="mirror-hotfix-suffix-real-2018",
        ),
        pytest.param(
            "mirror://pypi/a/apache-libcloud/apache-libcloud-1.2.1.tar.bz2",
            None,
            sdist("apache-libcloud", "1.2.1", "apache-libcloud-1.2.1.tar.bz2"),
            id="tar-bz2",
        ),
        pytest.param(
            "mirror://pypi/f/foo/foo-1.0.tgz",
            None,
            sdist("foo", "1.0", "foo-1.0.tgz"),
            id="tgz",
        ),
        pytest.param(
            "mirror://pypi/f/foo/foo-1.0.tar.xz",
            None,
            sdist("foo", "1.0", "foo-1.0.tar.xz"),
            id="tar-xz",
        ),
        pytest.param(
            "mirror://pypi/f/foo/foo-1.0.tar",
            None,
            sdist("foo", "1.0", "foo-1.0.tar"),
            id="plain-tar",
        ),
        # packages/source/… on every PyPI host, both schemes.
        pytest.param(
            "https://pypi.io/packages/source/b/backports.ssl_match_hostname/"
            "backports.ssl_match_hostname-3.5.0.1.tar.gz",
            None,
            sdist(
                "backports.ssl_match_hostname",
                "3.5.0.1",
                "backports.ssl_match_hostname-3.5.0.1.tar.gz",
            ),
            id="pypi-io-source",
        ),
        pytest.param(
            "https://files.pythonhosted.org/packages/source/r/requests/requests-2.32.3.tar.gz",
            None,
            sdist("requests", "2.32.3", "requests-2.32.3.tar.gz"),
            id="pythonhosted-source",
        ),
        pytest.param(
            "http://pypi.python.org/packages/source/t/timeout-decorator/timeout-decorator-0.3.2.tar.gz",
            None,
            sdist("timeout-decorator", "0.3.2", "timeout-decorator-0.3.2.tar.gz"),
            id="pypi-python-org-http-real-2018",
        ),
        pytest.param(
            "https://pypi.python.org/packages/source/k/kerberos/kerberos-1.2.4.tar.gz",
            None,
            sdist("kerberos", "1.2.4", "kerberos-1.2.4.tar.gz"),
            id="pypi-python-org-https-real-2018",
        ),
        pytest.param(
            "https://PyPI.Python.org:443/packages/source/s/six/six-1.11.0.tar.gz",
            None,
            sdist("six", "1.11.0", "six-1.11.0.tar.gz"),
            id="host-case-and-port-ignored",
        ),
        # Wheels and eggs under packages/<python tag>/<c>/<name>/.
        pytest.param(
            "https://files.pythonhosted.org/packages/py2.py3/s/six/six-1.11.0-py2.py3-none-any.whl",
            None,
            wheel("six", "1.11.0", "six-1.11.0-py2.py3-none-any.whl"),
            id="wheel-py2py3",
        ),
        pytest.param(
            "https://files.pythonhosted.org/packages/py2.py3/p/pip/pip-9.0.3-py2.py3-none-any.whl",
            None,
            wheel("pip", "9.0.3", "pip-9.0.3-py2.py3-none-any.whl"),
            id="wheel-bootstrapped-pip-real-2018",
        ),
        pytest.param(
            "https://files.pythonhosted.org/packages/py3/t/tensorflow_tensorboard/"
            "tensorflow_tensorboard-1.5.1-py3-none-any.whl",
            None,
            wheel(
                "tensorflow_tensorboard", "1.5.1", "tensorflow_tensorboard-1.5.1-py3-none-any.whl"
            ),
            id="wheel-py3-real-2018",
        ),
        pytest.param(
            "https://files.pythonhosted.org/packages/cp313/j/jaxlib/"
            "jaxlib-0.4.38-cp313-cp313-manylinux2014_x86_64.whl",
            None,
            wheel("jaxlib", "0.4.38", "jaxlib-0.4.38-cp313-cp313-manylinux2014_x86_64.whl"),
            id="wheel-cp313-platform",
        ),
        pytest.param(
            "https://files.pythonhosted.org/packages/cp36/f/foo/foo-1.0-1-cp36-cp36m-linux_x86_64.whl",
            None,
            wheel("foo", "1.0", "foo-1.0-1-cp36-cp36m-linux_x86_64.whl"),
            id="wheel-with-build-tag",
        ),
        pytest.param(
            "https://pypi.python.org/packages/2.7/s/setuptools/setuptools-0.6c11-py2.7.egg",
            None,
            UrlEvidence("setuptools", "0.6c11", "setuptools-0.6c11-py2.7.egg", "egg"),
            id="egg",
        ),
        # packages/ab/cd/<hash>/<file>: only the file names the project.
        pytest.param(
            f"https://pypi.python.org/packages/{HASH}/Pweave-0.25.tar.gz",
            None,
            sdist("Pweave", "0.25", "Pweave-0.25.tar.gz"),
            id="old-hash-path-real-2018",
        ),
        pytest.param(
            "https://pypi.python.org/packages/ad/da/51359b11d2005ff425984205677890fafaf270a71b03df22c255501bc99d/"
            "robotframework-requests-0.4.6.tar.gz",
            None,
            sdist("robotframework-requests", "0.4.6", "robotframework-requests-0.4.6.tar.gz"),
            id="old-hash-path-dashed-name-real-2018",
        ),
        pytest.param(
            "https://files.pythonhosted.org/packages/fc/30/d4986a882011f9df997a55e6becd864812ccfcd821d64aac8570ee39f719/"
            "attrs-24.3.0.tar.gz",
            None,
            sdist("attrs", "24.3.0", "attrs-24.3.0.tar.gz"),
            id="pythonhosted-hash-path",
        ),
        pytest.param(
            "https://files.pythonhosted.org/packages/60/af/10f899f0574a81cbc511124c08d7c7dc46c20d4f956a6a3c793ad4330bb4/"
            "requests_download-0.1.1-py2.py3-none-any.whl",
            None,
            wheel("requests_download", "0.1.1", "requests_download-0.1.1-py2.py3-none-any.whl"),
            id="pythonhosted-hash-path-wheel-real-2018",
        ),
        pytest.param(
            f"https://files.pythonhosted.org/packages/{HASH}/backports.ssl_match_hostname-3.5.0.1.tar.gz",
            None,
            sdist(
                "backports.ssl_match_hostname",
                "3.5.0.1",
                "backports.ssl_match_hostname-3.5.0.1.tar.gz",
            ),
            id="hash-path-dotted-name",
        ),
        pytest.param(
            f"https://files.pythonhosted.org/packages/{HASH}/python-dateutil-2.9.0.post0.tar.gz",
            None,
            sdist("python-dateutil", "2.9.0.post0", "python-dateutil-2.9.0.post0.tar.gz"),
            id="hash-path-dashed-name-post-release",
        ),
        pytest.param(
            f"https://files.pythonhosted.org/packages/{HASH}/foo-bar-1.0-2.tar.gz",
            None,
            sdist("foo-bar", "1.0-2", "foo-bar-1.0-2.tar.gz"),
            id="hash-path-first-dash-before-digit",
        ),
        pytest.param(
            f"https://files.pythonhosted.org/packages/{HASH}/foo-2fa-1.0.tar.gz",
            None,
            sdist("foo-2fa", "1.0", "foo-2fa-1.0.tar.gz"),
            id="hash-path-first-pep440-remainder",
        ),
        pytest.param(
            f"https://files.pythonhosted.org/packages/{HASH}/foo-2fa-1.0.tar.gz",
            "1.0",
            sdist("foo-2fa", "1.0", "foo-2fa-1.0.tar.gz"),
            id="hash-path-known-version-splits",
        ),
        pytest.param(
            f"https://files.pythonhosted.org/packages/{HASH}/Grammalecte-fr-v0.6.1.zip",
            None,
            sdist("Grammalecte-fr", "v0.6.1", "Grammalecte-fr-v0.6.1.zip"),
            id="hash-path-letter-first-version",
        ),
        # Project pages.
        pytest.param(
            "https://pypi.org/project/PyYAML/6.0.2/",
            None,
            UrlEvidence("PyYAML", "6.0.2", None, "project"),
            id="project-page-with-version",
        ),
        pytest.param(
            "https://pypi.org/project/requests",
            None,
            UrlEvidence("requests", None, None, "project"),
            id="project-page",
        ),
        pytest.param(
            "https://pypi.python.org/pypi/six/",
            None,
            UrlEvidence("six", None, None, "project"),
            id="legacy-project-page-real-2018-homepage",
        ),
        pytest.param(
            "https://pypi.python.org/pypi/six/1.11.0",
            None,
            UrlEvidence("six", "1.11.0", None, "project"),
            id="legacy-project-page-with-version",
        ),
        pytest.param(
            "https://pypi.org/pypi/six/json",
            None,
            UrlEvidence("six", None, None, "project"),
            id="json-api",
        ),
        # Fragments and queries are not part of the file name.
        pytest.param(
            "https://files.pythonhosted.org/packages/source/r/requests/requests-2.32.3.tar.gz#sha256=00",
            None,
            sdist("requests", "2.32.3", "requests-2.32.3.tar.gz"),
            id="hash-fragment",
        ),
        pytest.param(
            "https://files.pythonhosted.org/packages/source/r/requests/requests-2.32.3.tar.gz?x=1#egg=requests",
            None,
            sdist("requests", "2.32.3", "requests-2.32.3.tar.gz"),
            id="query-and-egg-fragment",
        ),
        pytest.param(
            "mirror://pypi/f/foo/foo-1.0%2Blocal.tar.gz",
            None,
            sdist("foo", "1.0+local", "foo-1.0+local.tar.gz"),
            id="percent-decoded",
        ),
    ],
)
def test_pypi_name_from_url_reads(
    url: str, known_version: str | None, expected: UrlEvidence
) -> None:
    assert pypi_name_from_url(url, known_version) == expected


@pytest.mark.parametrize(
    "url",
    [
        pytest.param(
            "http://pypi.pediapress.com/packages/mirror/mwlib.ext-0.13.2.zip",
            id="look-alike-host-real-2018",
        ),
        pytest.param(
            "https://pypi.example.org/packages/source/s/six/six-1.0.tar.gz",
            id="look-alike-subdomain",
        ),
        pytest.param("https://github.com/pypi/warehouse/archive/v1.tar.gz", id="github-pypi-org"),
        pytest.param("github.com/pypi/warehouse", id="no-scheme"),
        pytest.param("https://pythonhosted.org/six/", id="docs-hosting"),
        pytest.param(
            "mirror://sourceforge/pyqt/sip/sip-4.19.6/sip-4.19.6.tar.gz", id="other-mirror"
        ),
        pytest.param(
            "mirror://gnome/sources/pygobject/3.26/pygobject-3.26.1.tar.xz", id="gnome-mirror"
        ),
        pytest.param("https://github.com/pytorch/pytorch.git", id="github-git"),
        pytest.param("git://libvirt.org/libvirt-python.git", id="git-scheme"),
        pytest.param("ftp://pypi.python.org/packages/source/s/six/six-1.0.tar.gz", id="ftp-scheme"),
        pytest.param("https://pypi.org/", id="bare-host"),
        pytest.param("https://pypi.org/search/?q=six", id="search-page"),
        pytest.param("mirror://pypi/s/six/", id="no-file"),
        pytest.param(
            "https://files.pythonhosted.org/packages/source/s/six", id="short-source-path"
        ),
        pytest.param(
            f"https://files.pythonhosted.org/packages/{HASH}/PyXML-PyXML.tar.gz",
            id="hash-path-no-version",
        ),
        pytest.param(
            f"https://files.pythonhosted.org/packages/{HASH}/README.txt",
            id="hash-path-not-a-distribution",
        ),
        pytest.param(
            "https://storage.googleapis.com/tensorflow/linux/cpu/tensorflow-1.1.0-cp36-cp36m-linux_x86_64.whl",
            id="wheel-elsewhere-real-2017",
        ),
        pytest.param("", id="empty"),
    ],
)
def test_pypi_name_from_url_rejects(url: str) -> None:
    assert pypi_name_from_url(url) is None


@pytest.mark.parametrize(
    ("filename", "known_name", "known_version", "expected"),
    [
        pytest.param("six-1.11.0.tar.gz", None, None, ("six", "1.11.0", "sdist"), id="sdist"),
        pytest.param("Foo-1.0.ZIP", None, None, ("Foo", "1.0", "sdist"), id="extension-any-case"),
        pytest.param(
            "foo-bar-1.0-2.tar.gz", "foo-bar", None, ("foo-bar", "1.0-2", "sdist"), id="known-name"
        ),
        pytest.param(
            "foo-bar-1.0-2.tar.gz", None, "1.0-2", ("foo-bar", "1.0-2", "sdist"), id="known-version"
        ),
        pytest.param(
            "foo-bar-1.0-2.tar.gz",
            None,
            "9.9",
            ("foo-bar", "1.0-2", "sdist"),
            id="unrelated-known-version-ignored",
        ),
        pytest.param(
            "PyXML-PyXML.tar.gz",
            None,
            None,
            ("PyXML-PyXML", None, "sdist"),
            id="no-version-real-2017",
        ),
        pytest.param(
            "six-1.11.0-py2.py3-none-any.whl", None, None, ("six", "1.11.0", "wheel"), id="wheel"
        ),
        pytest.param("six-1.11.0-py2.py3.whl", None, None, None, id="wheel-too-few-parts"),
        pytest.param(
            "setuptools-0.6c11-py2.7.egg", None, None, ("setuptools", "0.6c11", "egg"), id="egg"
        ),
        pytest.param("six-1.11.0.tar.gz.asc", None, None, None, id="signature"),
        pytest.param("-1.0.tar.gz", None, None, None, id="no-name"),
    ],
)
def test_parse_distribution_filename(
    filename: str,
    known_name: str | None,
    known_version: str | None,
    expected: tuple[str, str | None, str] | None,
) -> None:
    assert parse_distribution_filename(filename, known_name, known_version) == expected


@pytest.mark.parametrize(
    ("url", "repo"),
    [
        pytest.param("https://github.com/pytorch/pytorch.git", "pytorch/pytorch", id="git-url"),
        pytest.param(
            "https://github.com/BVLC/caffe/archive/1.0.tar.gz", "BVLC/caffe", id="archive"
        ),
        pytest.param(
            "https://github.com/editorconfig/editorconfig-core-py",
            "editorconfig/editorconfig-core-py",
            id="bare-repo-real-2018",
        ),
        pytest.param("git://github.com/foo/bar.git", "foo/bar", id="git-scheme"),
        pytest.param("https://codeload.github.com/foo/bar/tar.gz/v1", "foo/bar", id="codeload"),
        pytest.param("https://github.com/foo", None, id="owner-only"),
        pytest.param("https://gitlab.com/foo/bar", None, id="gitlab"),
        pytest.param("https://github.example.com/foo/bar", None, id="look-alike"),
    ],
)
def test_github_repo_from_url(url: str, repo: str | None) -> None:
    assert github_repo_from_url(url) == repo


# --- purls -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("purl", "expected"),
    [
        pytest.param("pkg:pypi/PyYAML@6.0.2", ("PyYAML", "6.0.2"), id="spelling-kept"),
        pytest.param("pkg:pypi/zope.interface@7.2", ("zope.interface", "7.2"), id="dotted"),
        pytest.param(
            "pkg:pypi/trove_classifiers@2024.10.21.16",
            ("trove_classifiers", "2024.10.21.16"),
            id="underscore",
        ),
        pytest.param("pkg:pypi/six", ("six", None), id="no-version"),
        pytest.param("pkg:PyPI/six@1.0", ("six", "1.0"), id="type-any-case"),
        pytest.param("pkg://pypi/six@1.0", ("six", "1.0"), id="slashes-after-scheme"),
        pytest.param(
            "pkg:pypi/foo%2Dbar@1.0%2Blocal", ("foo-bar", "1.0+local"), id="percent-decoded"
        ),
        pytest.param(
            "pkg:pypi/six@1.0?file_name=six-1.0.tar.gz#src",
            ("six", "1.0"),
            id="qualifiers-subpath-ignored",
        ),
        pytest.param("pkg:github/pytorch/pytorch@v2.5.1", None, id="other-type"),
        pytest.param("pkg:npm/left-pad@1.0.0", None, id="npm"),
        pytest.param("pkg:pypi/", None, id="no-name"),
        pytest.param("pypi/six@1.0", None, id="no-scheme"),
        pytest.param("https://pypi.org/project/six", None, id="url-not-purl"),
    ],
)
def test_pypi_name_from_purl(purl: str, expected: tuple[str, str | None] | None) -> None:
    assert pypi_name_from_purl(purl) == expected


# --- derivation names --------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        pytest.param("python3.12-pyyaml-6.0.2", ("pyyaml", "6.0.2"), id="prefixed"),
        pytest.param("python2.7-3to2-1.1.1", ("3to2", "1.1.1"), id="digit-first-pname"),
        pytest.param("httpie-3.2.4", ("httpie", "3.2.4"), id="application-no-prefix"),
        pytest.param("pytest-check-hook", ("pytest-check-hook", None), id="no-version"),
        pytest.param("hook", ("hook", None), id="single-word"),
        pytest.param("python3-3.13.1", ("python3", "3.13.1"), id="interpreter-not-stripped"),
        pytest.param("python-2.7.14", ("python", "2.7.14"), id="python2-interpreter"),
        pytest.param(
            "python3.6-python3.6-graph-tool-2.26",
            ("graph-tool", "2.26"),
            id="doubled-prefix-real-2018",
        ),
        pytest.param("pypy5.10-six-1.11.0", ("six", "1.11.0"), id="pypy-prefix-real-2018"),
        pytest.param("pypy3.10-six-1.17.0", ("six", "1.17.0"), id="pypy3-prefix"),
        pytest.param(
            "python3.13-python-dateutil-2.9.0.post0",
            ("python-dateutil", "2.9.0.post0"),
            id="dashed-pname",
        ),
        pytest.param(
            "python3.6-pyfantom-unstable-2013-12-18",
            ("pyfantom-unstable", "2013-12-18"),
            id="nix-rule-letter-version",
        ),
        pytest.param(
            "python2.7-pybfd--0.1.1.2017-12-31",
            ("pybfd", "-0.1.1.2017-12-31"),
            id="dash-is-a-non-letter",
        ),
        pytest.param(
            "python2.7-kaa-base-0.99.2dev-384-2b73caca",
            ("kaa-base", "0.99.2dev-384-2b73caca"),
            id="first-dash-wins",
        ),
        pytest.param("python3.6-", ("python3.6-", None), id="prefix-alone-kept"),
        pytest.param("foo-", ("foo-", None), id="trailing-dash"),
    ],
)
def test_split_drv_name_follows_parse_drv_name(name: str, expected: tuple[str, str | None]) -> None:
    assert split_drv_name(name) == expected


@pytest.mark.parametrize(
    ("name", "stripped"),
    [
        pytest.param("python3.13-six-1.17.0", "six-1.17.0", id="python"),
        pytest.param("python3-3.13.1", "python3-3.13.1", id="interpreter-pname-no-dot"),
        pytest.param(
            "python-recursive-pth-loader-1.0",
            "python-recursive-pth-loader-1.0",
            id="python-dash-pname",
        ),
        pytest.param("python3.6-python3.6-graph-tool-2.26", "graph-tool-2.26", id="doubled"),
    ],
)
def test_strip_interpreter_prefix(name: str, stripped: str) -> None:
    assert strip_interpreter_prefix(name) == stripped


@pytest.mark.parametrize(
    ("name", "version", "project"),
    [
        pytest.param(
            "python3.6-pyfantom-unstable-2013-12-18",
            "unstable-2013-12-18",
            "pyfantom",
            id="known-letter-version",
        ),
        pytest.param(
            "python3.6-pyfantom-unstable-2013-12-18",
            None,
            "pyfantom-unstable",
            id="unknown-version",
        ),
        pytest.param("python2.7-sphinx-1.2.3", "1.7.2", "sphinx", id="stale-version-real-2018"),
        pytest.param("python3.6-3to2-1.1.1", "1.1.1", "3to2", id="digit-first"),
        pytest.param("python2.7-moinmoin", None, "moinmoin", id="no-version-real-2018"),
    ],
)
def test_drv_project_name(name: str, version: str | None, project: str) -> None:
    assert drv_project_name(name, version) == project


@pytest.mark.parametrize(
    ("name", "pname", "interpreter"),
    [
        pytest.param("python3-3.13.1", "python3", True, id="modern"),
        pytest.param("python3-3.6.5", None, True, id="real-2018-no-pname"),
        pytest.param("python-2.7.14", None, True, id="python2"),
        pytest.param("python-2.7.14-env", None, True, id="env-real-2018"),
        pytest.param("python3-3.13.0rc1", None, True, id="release-candidate"),
        pytest.param("pypy3-7.3.17", None, True, id="pypy"),
        pytest.param("python3-minimal-3.12.8", "python3-minimal", True, id="minimal"),
        pytest.param("python3.13-six-1.17.0", "six", False, id="module"),
        pytest.param("python3.4-3to2-1.1.1", "3to2", False, id="digit-first-module"),
        pytest.param("python-recursive-pth-loader-1.0", None, False, id="python-dash-helper"),
        pytest.param(
            "python3.6-python-dateutil-2.6.1", "python-dateutil", False, id="python-dash-pname"
        ),
    ],
)
def test_is_interpreter_name(name: str, pname: str | None, interpreter: bool) -> None:
    assert is_interpreter_name(name, pname) is interpreter


@pytest.mark.parametrize(
    ("name", "hook"),
    [
        pytest.param("pytest-check-hook", True, id="modern"),
        pytest.param("wrap-python-hook", True, id="wrap-python"),
        pytest.param("hook", True, id="make-setup-hook-default-real-2018"),
        pytest.param("pre-commit-hooks-4.0", False, id="plural"),
        pytest.param("cargo-setup-hook.sh", True, id="rust-hook-named-like-a-file-2026"),
        pytest.param("maturin-build-hook.sh", True, id="maturin-hook-2026"),
        pytest.param("python3.13-sphinx-hook", True, id="sphinx-hook-with-interpreter-prefix"),
        pytest.param("python3.13-pytest-hook-1.0", False, id="a-module-ends-in-its-version"),
        pytest.param("hook.sh", False, id="a-file-not-a-hook"),
        pytest.param("glibc-locales-2.27", False, id="library"),
    ],
)
def test_is_setup_hook_name(name: str, hook: bool) -> None:
    assert is_setup_hook_name(name) is hook


@pytest.mark.parametrize(
    ("version", "name", "expected"),
    [
        ("6.0.2", "python3.12-pyyaml-6.0.2", "6.0.2"),
        ("234", "python3.6-systemd-999", "234"),  # the attribute wins over the name
        (None, "python3.6-xlib-0.17", "0.17"),  # old trees set only the name
        (None, "python2.7-3to2-1.1.1", "1.1.1"),
        (None, "pytest-check-hook", None),
        (None, None, None),
    ],
)
def test_derivation_version_is_the_attribute_else_the_names_version(
    version: str | None, name: str | None, expected: str | None
) -> None:
    assert derivation_version(version, name) == expected
