"""PyPI source URLs that PyPI cannot serve (mapping/pypiurls.py), as a table."""

from __future__ import annotations

import pytest

from mapping.names import PYPI_HOSTS
from mapping.pypiurls import pypi_url_problem

# PyPI's file host, as mapping/names.py knows it ({files} in the table).
FILES = next(h for h in sorted(PYPI_HOSTS) if h.startswith("files."))


# (url, kinds, fixed URL); no kinds: PyPI serves it (or it is not PyPI's layout).
CASES = [
    # The directory is not the file's project (real, 2018: pyinotify).
    ("mirror://pypi/p/pyinotify-0.9.6/pyinotify-0.9.6.tar.gz", ("directory",),
     "mirror://pypi/p/pyinotify/pyinotify-0.9.6.tar.gz"),
    ("mirror://pypi/p/pytest/pytest-mock-3.14.0.tar.gz", ("directory",),
     "mirror://pypi/p/pytest-mock/pytest-mock-3.14.0.tar.gz"),
    ("mirror://pypi/r/requests/urllib3-2.3.0.tar.gz", ("directory",),
     "mirror://pypi/u/urllib3/urllib3-2.3.0.tar.gz"),
    ("https://{files}/packages/source/s/six/requests-2.32.3.tar.gz", ("directory",),
     "https://{files}/packages/source/r/requests/requests-2.32.3.tar.gz"),
    ("mirror://pypi/S/six/requests-2.32.3.tar.gz", ("initial", "directory"),
     "mirror://pypi/r/requests/requests-2.32.3.tar.gz"),
    # The initial is neither the directory's first character nor its lower case.
    ("mirror://pypi/T/toml/toml-0.10.2.tar.gz", ("initial",),
     "mirror://pypi/t/toml/toml-0.10.2.tar.gz"),
    ("mirror://pypi/x/six/six-1.17.0.tar.gz", ("initial",), "mirror://pypi/s/six/six-1.17.0.tar.gz"),
    # The Python tag: sdists are filed under source/, wheels under their tag.
    ("mirror://pypi/w/wcwidth/wcwidth-0.2.13-py2.py3-none-any.whl", ("python-tag",), None),
    ("https://{files}/packages/source/w/wcwidth/wcwidth-0.2.13-py2.py3-none-any.whl",
     ("python-tag",), "https://{files}/packages/py2.py3/w/wcwidth/wcwidth-0.2.13-py2.py3-none-any.whl"),
    ("https://{files}/packages/py3/s/six/six-1.17.0.tar.gz", ("python-tag",),
     "https://{files}/packages/source/s/six/six-1.17.0.tar.gz"),
    # A path of another depth.
    ("mirror://pypi/docopt/docopt-0.6.2.tar.gz", ("path",),
     "mirror://pypi/d/docopt/docopt-0.6.2.tar.gz"),
    ("mirror://pypi/p/PyYAML-6.0.2.tar.gz", ("path",), "mirror://pypi/P/PyYAML/PyYAML-6.0.2.tar.gz"),
    ("mirror://pypi/p/pyyaml/6.0.2/PyYAML-6.0.2.tar.gz", ("path",),
     "mirror://pypi/P/PyYAML/PyYAML-6.0.2.tar.gz"),
    ("https://{files}/packages/source/six-1.17.0.tar.gz", ("path",),
     "https://{files}/packages/source/s/six/six-1.17.0.tar.gz"),
    ("mirror://pypi/", ("path",), None),
    # Near misses: PyPI serves these.
    ("mirror://pypi/P/PyYAML/PyYAML-6.0.2.tar.gz", (), None),  # the initial as the project spells it
    ("mirror://pypi/j/Jinja2/jinja2-3.1.5.tar.gz", (), None),  # lower-case initial, file in PEP 625 spelling
    ("mirror://pypi/c/charset_normalizer/charset_normalizer-3.4.1.tar.gz", (), None),
    ("mirror://pypi/z/zope.interface/zope.interface-7.2.tar.gz", (), None),
    ("mirror://pypi/b/backports.tarfile/backports_tarfile-1.2.0.tar.gz", (), None),
    ("mirror://pypi/f/foo-2fa/foo-2fa-1.0.tar.gz", (), None),  # the directory settles the split
    ("mirror://pypi/3/3to2/3to2-1.1.1.zip", (), None),
    ("mirror://pypi/m/markupsafe/markupsafe-3.0.1.tar.gz", (), None),  # a stale version is another rule's
    ("mirror://pypi/p/pyfoo/pyfoo.tar.gz", (), None),  # no version: nothing to compare
    ("https://{files}/packages/cp313/j/jaxlib/jaxlib-0.4.38-cp313-cp313-manylinux2014_x86_64.whl",
     (), None),
    ("https://{files}/packages/2.7/s/setuptools/setuptools-0.6c11-py2.7.egg", (), None),
    # The rule judges sdists and wheels only: an egg is named by its own
    # metadata, which need not be the project's, so even this is left alone.
    ("https://{files}/packages/2.4/d/distribute/setuptools-0.6c11-py2.4.egg", (), None),
    ("https://{files}/packages/fc/30/d4986a882011f9df997a55e6becd864812ccfcd821d64aac8570ee39f719/"
     "attrs-24.3.0.tar.gz", (), None),  # the hash layout: the file alone names it
    ("https://github.com/yaml/pyyaml/archive/6.0.2.tar.gz", (), None),
    ("mirror://sourceforge/p/pyyaml/PyYAML-6.0.2.tar.gz", (), None),
    ("https://example.org/packages/source/x/six/six-1.17.0.tar.gz", (), None),
]  # fmt: skip


@pytest.mark.parametrize(("url", "kinds", "fixed"), CASES, ids=[c[0] for c in CASES])
def test_pypi_url_problems(url: str, kinds: tuple[str, ...], fixed: str | None) -> None:
    problem = pypi_url_problem(url.format(files=FILES))
    if not kinds:
        assert problem is None
        return
    assert problem is not None
    assert problem.kinds == kinds
    assert len(problem.reasons) == len(kinds)
    assert problem.fixed == (fixed.format(files=FILES) if fixed else None)
    # The fixed URL is one PyPI serves.
    if problem.fixed is not None:
        assert pypi_url_problem(problem.fixed) is None


def test_reasons_say_what_is_wrong() -> None:
    problem = pypi_url_problem("mirror://pypi/p/pyinotify-0.9.6/pyinotify-0.9.6.tar.gz")
    assert problem is not None and problem.project == "pyinotify"
    assert problem.reasons == (
        "the directory pyinotify-0.9.6 is not the file's project, pyinotify",
    )
    wheel = pypi_url_problem("mirror://pypi/w/wcwidth/wcwidth-0.2.13-py2.py3-none-any.whl")
    assert wheel is not None
    assert wheel.reasons == (
        "a wheel under mirror://pypi/: PyPI files a wheel under its Python tag (py2.py3)",
    )
