"""mapping.identity: which PyPI project a dumped derivation is.

The table below is the specification: each row is a dump record, cut down to
the fields identity reads, and the identity it must get. Rows marked
"2018"/"2017" are real records of the nixpkgs-unstable (May 2018) and
nixos-17.09 dumps; "fixture" rows are from the repository's fixture tree,
which copies today's nixpkgs.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from mapping.identity import (
    PackageIdentity,
    github_repo_of_record,
    identify_package,
    pypi_names_by_drv_name,
)
from mapping.overrides import Overrides, parse_overrides
from mapping.versions import ParsedVersion

SHIPPED = Path(__file__).resolve().parents[1] / "data" / "pypi-overrides.json"
OVERRIDES: Overrides = parse_overrides(json.loads(SHIPPED.read_text(encoding="utf-8")))


def drv(
    attr: str,
    name: str,
    pname: str | None = None,
    version: str | None = None,
    *urls: str,
    purls: tuple[str, ...] = (),
    fetchpypi: tuple[str, str] | None = None,
    github: str | None = None,
    no_src: bool = False,
) -> dict[str, Any]:
    """A dump record with one fetcher source (none with ``no_src``).

    ``fetchpypi`` is the (pname, version) fetchPypi passes through; ``github``
    the owner/repo today's fetchFromGitHub records. A purl goes on both the
    record and its source, as the dump has it.
    """
    owner, _, repo = github.partition("/") if github else (None, "", None)
    source = {
        "kind": "derivation",
        "name": "source",
        "urls": list(urls),
        "pname": fetchpypi[0] if fetchpypi else None,
        "version": fetchpypi[1] if fetchpypi else None,
        "format": "setuptools" if fetchpypi else None,
        "owner": owner,
        "repo": repo or None,
        "git_url": f"https://github.com/{github}.git" if github else None,
        "rev": None,
        "purls": list(purls),
    }
    return {
        "type": "attr",
        "set": "python3Packages",
        "attr": attr,
        "status": "ok",
        "name": name,
        "pname": pname,
        "version": version,
        "purls": list(purls),
        "src": [] if no_src else [source],
    }


def fixture(
    attr: str, pname: str, version: str, spelled: str, url: str, prefix: str = "python3.13-"
) -> dict[str, Any]:
    """A fixture record made by fetchPypi with a pkg:pypi identifier."""
    purl = f"pkg:pypi/{spelled}@{version}"
    return drv(
        attr,
        f"{prefix}{pname}-{version}",
        pname,
        version,
        url,
        purls=(purl,),
        fetchpypi=(spelled, version),
    )


HASH = "f6/2f/e9735b04747ae5ef29d64e0b215fb0e11f1c89826097ac17342efebbbb84"

IDENTITIES = [
    # --- verified by a purl (today's nixpkgs: meta.identifiers) -------------
    pytest.param(
        fixture(
            "pyyaml", "pyyaml", "6.0.2", "PyYAML", "mirror://pypi/P/PyYAML/PyYAML-6.0.2.tar.gz"
        ),
        ("pyyaml", "purl", "verified", "6.0.2"),
        id="fixture-pyyaml-purl-spelling",
    ),
    pytest.param(
        fixture(
            "GitPython",
            "GitPython",
            "3.1.43",
            "GitPython",
            "mirror://pypi/G/GitPython/GitPython-3.1.43.tar.gz",
        ),
        ("gitpython", "purl", "verified", "3.1.43"),
        id="fixture-gitpython",
    ),
    pytest.param(
        fixture(
            "zope-interface",
            "zope-interface",
            "7.2",
            "zope.interface",
            "mirror://pypi/z/zope.interface/zope.interface-7.2.tar.gz",
        ),
        ("zope-interface", "purl", "verified", "7.2"),
        id="fixture-zope-interface-dotted-purl",
    ),
    pytest.param(
        fixture(
            "charset-normalizer",
            "charset-normalizer",
            "3.4.1",
            "charset_normalizer",
            "mirror://pypi/c/charset_normalizer/charset_normalizer-3.4.1.tar.gz",
        ),
        ("charset-normalizer", "purl", "verified", "3.4.1"),
        id="fixture-charset-normalizer-underscore-purl",
    ),
    pytest.param(
        fixture(
            "markdown-it-py",
            "markdown-it-py",
            "3.0.0",
            "markdown_it_py",
            "mirror://pypi/m/markdown_it_py/markdown_it_py-3.0.0.tar.gz",
        ),
        ("markdown-it-py", "purl", "verified", "3.0.0"),
        id="fixture-markdown-it-py",
    ),
    pytest.param(
        fixture(
            "flit-core",
            "flit-core",
            "3.10.1",
            "flit_core",
            "mirror://pypi/f/flit_core/flit_core-3.10.1.tar.gz",
        ),
        ("flit-core", "purl", "verified", "3.10.1"),
        id="fixture-flit-core",
    ),
    pytest.param(
        fixture("py3to2", "3to2", "1.1.1", "3to2", "mirror://pypi/3/3to2/3to2-1.1.1.zip"),
        ("3to2", "purl", "verified", "1.1.1"),
        id="fixture-3to2-attr-differs",
    ),
    pytest.param(
        fixture(
            "python-dateutil",
            "python-dateutil",
            "2.9.0.post0",
            "python-dateutil",
            "mirror://pypi/p/python-dateutil/python-dateutil-2.9.0.post0.tar.gz",
        ),
        ("python-dateutil", "purl", "verified", "2.9.0.post0"),
        id="fixture-python-dateutil-post-release",
    ),
    pytest.param(
        fixture(
            "django_4", "django", "4.2.17", "Django", "mirror://pypi/D/Django/Django-4.2.17.tar.gz"
        ),
        ("django", "purl", "verified", "4.2.17"),
        id="fixture-django-versioned-attr",
    ),
    pytest.param(
        fixture(
            "pygithub",
            "pygithub",
            "2.5.0",
            "PyGithub",
            "mirror://pypi/P/PyGithub/PyGithub-2.5.0.tar.gz",
        ),
        ("pygithub", "purl", "verified", "2.5.0"),
        id="fixture-pygithub",
    ),
    pytest.param(
        fixture(
            "pysocks", "pysocks", "1.7.1", "PySocks", "mirror://pypi/P/PySocks/PySocks-1.7.1.tar.gz"
        ),
        ("pysocks", "purl", "verified", "1.7.1"),
        id="fixture-pysocks",
    ),
    pytest.param(
        fixture(
            "jaxlib-bin",
            "jaxlib",
            "0.4.38",
            "jaxlib",
            "https://files.pythonhosted.org/packages/cp313/j/jaxlib/"
            "jaxlib-0.4.38-cp313-cp313-manylinux2014_x86_64.whl",
        ),
        ("jaxlib", "purl", "verified", "0.4.38"),
        id="fixture-jaxlib-bin-wheel",
    ),
    pytest.param(
        fixture(
            "trove-classifiers",
            "trove-classifiers",
            "2024.10.21.16",
            "trove_classifiers",
            "mirror://pypi/t/trove_classifiers/trove_classifiers-2024.10.21.16.tar.gz",
        ),
        ("trove-classifiers", "purl", "verified", "2024.10.21.16"),
        id="fixture-trove-classifiers-calver",
    ),
    pytest.param(
        fixture(
            "typing-extensions",
            "typing-extensions",
            "4.12.2",
            "typing_extensions",
            "mirror://pypi/t/typing_extensions/typing_extensions-4.12.2.tar.gz",
        ),
        ("typing-extensions", "purl", "verified", "4.12.2"),
        id="fixture-typing-extensions",
    ),
    pytest.param(
        fixture(
            "setuptools-scm",
            "setuptools-scm",
            "8.1.0",
            "setuptools_scm",
            "mirror://pypi/s/setuptools_scm/setuptools_scm-8.1.0.tar.gz",
        ),
        ("setuptools-scm", "purl", "verified", "8.1.0"),
        id="fixture-setuptools-scm",
    ),
    pytest.param(
        fixture(
            "poetry-core",
            "poetry-core",
            "1.9.1",
            "poetry_core",
            "mirror://pypi/p/poetry_core/poetry_core-1.9.1.tar.gz",
        ),
        ("poetry-core", "purl", "verified", "1.9.1"),
        id="fixture-poetry-core",
    ),
    pytest.param(
        fixture("h5py-mpi", "h5py", "3.12.1", "h5py", "mirror://pypi/h/h5py/h5py-3.12.1.tar.gz"),
        ("h5py", "purl", "verified", "3.12.1"),
        id="fixture-h5py-mpi-variant",
    ),
    pytest.param(
        fixture(
            "django",
            "django",
            "5.1.4",
            "django",
            "mirror://pypi/d/django/django-5.1.4.tar.gz",
            "python3.12-",
        ),
        ("django", "purl", "verified", "5.1.4"),
        id="fixture-django-python312",
    ),
    pytest.param(
        drv(
            "rich",
            "python3.13-rich-13.9.4",
            "rich",
            "13.9.4",
            "https://github.com/Textualize/rich/archive/refs/tags/v13.9.4.tar.gz",
            purls=("pkg:pypi/rich@13.9.4",),
            github="Textualize/rich",
        ),
        ("rich", "purl", "verified", "13.9.4"),
        id="fixture-rich-purl-beats-github-source",
    ),
    pytest.param(
        drv(
            "torch",
            "python3.13-torch-2.5.1",
            "torch",
            "2.5.1",
            "https://github.com/pytorch/pytorch/archive/refs/tags/v2.5.1.tar.gz",
            purls=("pkg:pypi/torch@2.5.1",),
            github="pytorch/pytorch",
        ),
        ("torch", "purl", "verified", "2.5.1"),
        id="purl-beats-override",
    ),
    # --- declared by fetchPypi's pname (no purl) ----------------------------
    pytest.param(
        drv(
            "pyyaml",
            "python3.13-pyyaml-6.0.2",
            "pyyaml",
            "6.0.2",
            "mirror://pypi/P/PyYAML/PyYAML-6.0.2.tar.gz",
            fetchpypi=("PyYAML", "6.0.2"),
        ),
        ("pyyaml", "fetchpypi", "declared", "6.0.2"),
        id="fetchpypi-pname",
    ),
    pytest.param(
        drv(
            "jaxlib-bin",
            "python3.13-jaxlib-0.4.38",
            "jaxlib",
            "0.4.38",
            "https://files.pythonhosted.org/packages/cp313/j/jaxlib/"
            "jaxlib-0.4.38-cp313-cp313-manylinux2014_x86_64.whl",
            fetchpypi=("jaxlib", "0.4.38"),
        ),
        ("jaxlib", "fetchpypi", "declared", "0.4.38"),
        id="fetchpypi-wheel",
    ),
    pytest.param(
        drv("foo", "python3.13-foo-1.0", "foo", "1.0", fetchpypi=("Foo", "1.0")),
        ("foo", "fetchpypi", "declared", "1.0"),
        id="fetchpypi-without-urls",
    ),
    # --- verified by a PyPI URL (2017-2018 trees have no purls) ---------------
    pytest.param(
        drv(
            "pyyaml",
            "python3.6-PyYAML-3.12",
            "PyYAML",
            "3.12",
            "mirror://pypi/P/PyYAML/PyYAML-3.12.tar.gz",
        ),
        ("pyyaml", "url", "verified", "3.12"),
        id="2018-pyyaml-mirror",
    ),
    pytest.param(
        drv(
            "six", "python3.6-six-1.11.0", "six", "1.11.0", "mirror://pypi/s/six/six-1.11.0.tar.gz"
        ),
        ("six", "url", "verified", "1.11.0"),
        id="2018-six",
    ),
    pytest.param(
        drv(
            "numpy",
            "python3.6-numpy-1.14.2",
            "numpy",
            "1.14.2",
            "mirror://pypi/n/numpy/numpy-1.14.2.zip",
        ),
        ("numpy", "url", "verified", "1.14.2"),
        id="2018-numpy-zip",
    ),
    pytest.param(
        drv("3to2", "python3.6-3to2-1.1.1", "3to2", "1.1.1", "mirror://pypi/3/3to2/3to2-1.1.1.zip"),
        ("3to2", "url", "verified", "1.1.1"),
        id="2018-3to2-digit-first",
    ),
    pytest.param(
        drv(
            "GitPython",
            "python3.6-GitPython-2.0.8",
            None,
            "2.0.8",
            "mirror://pypi/G/GitPython/GitPython-2.0.8.tar.gz",
        ),
        ("gitpython", "url", "verified", "2.0.8"),
        id="2018-gitpython-no-pname",
    ),
    pytest.param(
        drv(
            "zope_interface",
            "python3.6-zope.interface-4.4.3",
            "zope.interface",
            "4.4.3",
            "mirror://pypi/z/zope.interface/zope.interface-4.4.3.tar.gz",
        ),
        ("zope-interface", "url", "verified", "4.4.3"),
        id="2018-zope-interface",
    ),
    pytest.param(
        drv(
            "backports_abc",
            "python2.7-backports_abc-0.5",
            "backports_abc",
            "0.5",
            "mirror://pypi/b/backports_abc/backports_abc-0.5.tar.gz",
        ),
        ("backports-abc", "url", "verified", "0.5"),
        id="2018-backports-abc",
    ),
    pytest.param(
        drv(
            "backports_functools_lru_cache",
            "python2.7-backports.functools_lru_cache-1.5",
            "backports.functools_lru_cache",
            "1.5",
            "mirror://pypi/b/backports.functools_lru_cache/backports.functools_lru_cache-1.5.tar.gz",
        ),
        ("backports-functools-lru-cache", "url", "verified", "1.5"),
        id="2018-backports-functools-lru-cache",
    ),
    pytest.param(
        drv(
            "futures",
            "python2.7-futures-3.2.0",
            "futures",
            "3.2.0",
            "mirror://pypi/f/futures/futures-3.2.0.tar.gz",
        ),
        ("futures", "url", "verified", "3.2.0"),
        id="2018-futures",
    ),
    pytest.param(
        drv(
            "pyinotify",
            "python3.6-pyinotify-0.9.6",
            None,
            "0.9.6",
            "mirror://pypi/p/pyinotify-0.9.6/pyinotify-0.9.6.tar.gz",
        ),
        ("pyinotify", "url", "verified", "0.9.6"),
        id="2018-pyinotify-wrong-directory",
    ),
    pytest.param(
        drv(
            "timeout-decorator",
            "python3.6-timeout-decorator-0.3.2",
            None,
            "0.3.2",
            "http://pypi.python.org/packages/source/t/timeout-decorator/timeout-decorator-0.3.2.tar.gz",
        ),
        ("timeout-decorator", "url", "verified", "0.3.2"),
        id="2018-timeout-decorator-http-pypi-python-org",
    ),
    pytest.param(
        drv(
            "kerberos",
            "python3.6-kerberos-1.2.4",
            None,
            None,
            "https://pypi.python.org/packages/source/k/kerberos/kerberos-1.2.4.tar.gz",
        ),
        ("kerberos", "url", "verified", "1.2.4"),
        id="2018-kerberos-version-from-name",
    ),
    pytest.param(
        drv(
            "pika",
            "python3.6-pika-0.10.0",
            None,
            "0.10.0",
            "https://pypi.python.org/packages/source/p/pika/pika-0.10.0.tar.gz",
        ),
        ("pika", "url", "verified", "0.10.0"),
        id="2018-pika",
    ),
    pytest.param(
        drv(
            "Pweave",
            "python3.6-Pweave-0.25",
            None,
            None,
            f"https://pypi.python.org/packages/{HASH}/Pweave-0.25.tar.gz",
        ),
        ("pweave", "url", "verified", "0.25"),
        id="2018-pweave-hash-path",
    ),
    pytest.param(
        drv(
            "lz4",
            "python3.6-lz4-0.8.2",
            None,
            None,
            "https://pypi.python.org/packages/b5/f0/e1de2bb7feb54011f3c4dcf35b7cca3536e19526764db051b50ea26b58e7/lz4-0.8.2.tar.gz",
        ),
        ("lz4", "url", "verified", "0.8.2"),
        id="2018-lz4-hash-path",
    ),
    pytest.param(
        drv(
            "schedule",
            "python3.6-schedule-0.3.2",
            None,
            None,
            "https://pypi.python.org/packages/10/96/d101fab391753ebc81fa3bb0e744df1ddcfb032c31b036d38083f8994db1/schedule-0.3.2.tar.gz",
        ),
        ("schedule", "url", "verified", "0.3.2"),
        id="2018-schedule-hash-path",
    ),
    pytest.param(
        drv(
            "robotframework-requests",
            "python3.6-robotframework-requests-0.4.6",
            None,
            "0.4.6",
            "https://pypi.python.org/packages/ad/da/51359b11d2005ff425984205677890fafaf270a71b03df22c255501bc99d/robotframework-requests-0.4.6.tar.gz",
        ),
        ("robotframework-requests", "url", "verified", "0.4.6"),
        id="2018-robotframework-requests-hash-path-dashes",
    ),
    pytest.param(
        drv(
            "vmprof",
            "python3.6-vmprof-0.3.3",
            None,
            "0.3.3",
            "https://files.pythonhosted.org/packages/c3/f3/f039ca77e727c5c2d3e61967a2a5c9ecc0ef6ca235012fd5559febb77cd0/vmprof-0.3.3.tar.gz",
        ),
        ("vmprof", "url", "verified", "0.3.3"),
        id="2018-vmprof-pythonhosted-hash-path",
    ),
    pytest.param(
        drv(
            "requests_download",
            "python3.6-requests_download-0.1.1",
            "requests_download",
            "0.1.1",
            "https://files.pythonhosted.org/packages/py2.py3/r/requests_download/requests_download-0.1.1-py2.py3-none-any.whl",
        ),
        ("requests-download", "url", "verified", "0.1.1"),
        id="2018-requests-download-wheel",
    ),
    pytest.param(
        drv(
            "bootstrapped-pip",
            "python3.6-bootstrapped-pip-9.0.3",
            "pip",
            "9.0.3",
            "https://files.pythonhosted.org/packages/py2.py3/p/pip/pip-9.0.3-py2.py3-none-any.whl",
        ),
        ("pip", "url", "verified", "9.0.3"),
        id="2018-bootstrapped-pip-wheel",
    ),
    pytest.param(
        drv(
            "testpath",
            "python3.6-testpath-0.3",
            "testpath",
            "0.3",
            "https://files.pythonhosted.org/packages/py2.py3/t/testpath/testpath-0.3-py2.py3-none-any.whl",
        ),
        ("testpath", "url", "verified", "0.3"),
        id="2018-testpath-wheel",
    ),
    pytest.param(
        drv(
            "torchvision",
            "python3.6-torchvision-0.1.9",
            "torchvision",
            "0.1.9",
            "https://files.pythonhosted.org/packages/py2.py3/t/torchvision/torchvision-0.1.9-py2.py3-none-any.whl",
        ),
        ("torchvision", "url", "verified", "0.1.9"),
        id="2018-torchvision-wheel",
    ),
    pytest.param(
        drv(
            "tensorflow-tensorboard",
            "python3.6-tensorflow-tensorboard-1.5.1",
            "tensorflow-tensorboard",
            "1.5.1",
            "https://files.pythonhosted.org/packages/py3/t/tensorflow_tensorboard/tensorflow_tensorboard-1.5.1-py3-none-any.whl",
        ),
        ("tensorflow-tensorboard", "url", "verified", "1.5.1"),
        id="2018-tensorflow-tensorboard-py3-wheel",
    ),
    pytest.param(
        drv(
            "yapsy",
            "python3.6-yapsy-1.11.223",
            None,
            "1.11.223",
            "mirror://pypi/y/yapsy/Yapsy-1.11.223.tar.gz",
        ),
        ("yapsy", "url", "verified", "1.11.223"),
        id="2018-yapsy-case-differs",
    ),
    pytest.param(
        drv(
            "lasagne",
            "python3.6-Lasagne-0.1",
            "Lasagne",
            "0.1",
            "mirror://pypi/l/lasagne/Lasagne-0.1.tar.gz",
        ),
        ("lasagne", "url", "verified", "0.1"),
        id="2018-lasagne",
    ),
    pytest.param(
        drv(
            "j2cli",
            "python3.6-j2cli-0.3.1-0",
            None,
            "0.3.1-0",
            "mirror://pypi/j/j2cli/j2cli-0.3.1-0.tar.gz",
        ),
        ("j2cli", "url", "verified", "0.3.1-0"),
        id="2018-j2cli-dashed-version",
    ),
    pytest.param(
        drv(
            "validictory",
            "python3.6-validictory-1.0.0a2",
            None,
            None,
            "mirror://pypi/v/validictory/validictory-1.0.0a2.tar.gz",
        ),
        ("validictory", "url", "verified", "1.0.0a2"),
        id="2018-validictory-prerelease",
    ),
    pytest.param(
        drv(
            "kaa-base",
            "python2.7-kaa-base-0.99.2dev-384-2b73caca",
            None,
            "0.99.2dev-384-2b73caca",
            "mirror://pypi/k/kaa-base/kaa-base-0.99.2dev-384-2b73caca.tar.gz",
        ),
        ("kaa-base", "url", "verified", "0.99.2dev-384-2b73caca"),
        id="2018-kaa-base-invalid-version",
    ),
    pytest.param(
        drv(
            "XlsxWriter",
            "python3.6-XlsxWriter-1.0.2",
            "XlsxWriter",
            "1.0.2",
            "mirror://pypi/X/XlsxWriter/XlsxWriter-1.0.2.tar.gz",
        ),
        ("xlsxwriter", "url", "verified", "1.0.2"),
        id="2018-xlsxwriter",
    ),
    pytest.param(
        drv(
            "SPARQLWrapper",
            "python3.6-SPARQLWrapper-1.7.6",
            None,
            "1.7.6",
            "mirror://pypi/S/SPARQLWrapper/SPARQLWrapper-1.7.6.tar.gz",
        ),
        ("sparqlwrapper", "url", "verified", "1.7.6"),
        id="2018-sparqlwrapper",
    ),
    pytest.param(
        drv(
            "Theano",
            "python3.6-Theano-1.0.1",
            "Theano",
            "1.0.1",
            "mirror://pypi/T/Theano/Theano-1.0.1.tar.gz",
        ),
        ("theano", "url", "verified", "1.0.1"),
        id="2018-theano",
    ),
    pytest.param(
        drv(
            "APScheduler",
            "python3.6-APScheduler-3.5.1",
            "APScheduler",
            "3.5.1",
            "mirror://pypi/A/APScheduler/APScheduler-3.5.1.tar.gz",
        ),
        ("apscheduler", "url", "verified", "3.5.1"),
        id="2018-apscheduler",
    ),
    pytest.param(
        drv(
            "JPype1",
            "python3.6-JPype1-0.6.3",
            "JPype1",
            "0.6.3",
            "mirror://pypi/J/JPype1/JPype1-0.6.3.tar.gz",
        ),
        ("jpype1", "url", "verified", "0.6.3"),
        id="2018-jpype1",
    ),
    pytest.param(
        drv(
            "x11_hash",
            "python3.6-x11_hash-1.4",
            None,
            "1.4",
            "mirror://pypi/x/x11_hash/x11_hash-1.4.tar.gz",
        ),
        ("x11-hash", "url", "verified", "1.4"),
        id="2018-x11-hash",
    ),
    pytest.param(
        drv(
            "easy-thumbnails",
            "python3.6-easy-thumbnails-2.5",
            "easy-thumbnails",
            "2.5",
            "mirror://pypi/e/easy-thumbnails/easy-thumbnails-2.5.tar.gz",
        ),
        ("easy-thumbnails", "url", "verified", "2.5"),
        id="2018-easy-thumbnails",
    ),
    pytest.param(
        drv(
            "dateutil",
            "python3.6-python-dateutil-2.6.1",
            "python-dateutil",
            "2.6.1",
            "mirror://pypi/p/python-dateutil/python-dateutil-2.6.1.tar.gz",
        ),
        ("python-dateutil", "url", "verified", "2.6.1"),
        id="2018-dateutil-attr-differs",
    ),
    pytest.param(
        drv(
            "msgpack",
            "python2.7-msgpack-python-0.5.6",
            "msgpack-python",
            "0.5.6",
            "mirror://pypi/m/msgpack/msgpack-0.5.6.tar.gz",
        ),
        ("msgpack", "url", "verified", "0.5.6"),
        id="2018-msgpack-url-beats-pname",
    ),
    pytest.param(
        drv(
            "apache-libcloud",
            "python2.7-libcloud-1.2.1",
            None,
            "1.2.1",
            "mirror://pypi/a/apache-libcloud/apache-libcloud-1.2.1.tar.bz2",
        ),
        ("apache-libcloud", "url", "verified", "1.2.1"),
        id="2018-libcloud-url-beats-name",
    ),
    pytest.param(
        drv(
            "nbxmpp",
            "python3.6-nbxmpp-0.5.5",
            None,
            "0.5.5",
            "mirror://pypi/n/nbxmpp/nbxmpp-0.5.5.tar.gz",
        ),
        ("nbxmpp", "url", "verified", "0.5.5"),
        id="2017-nbxmpp",
    ),
    # --- stale versions: the URL's version differs ---------------------------
    pytest.param(
        drv(
            "sphinx_1_2",
            "python2.7-sphinx-1.2.3",
            "Sphinx",
            "1.7.2",
            "mirror://pypi/s/sphinx/sphinx-1.2.3.tar.gz",
        ),
        ("sphinx", "url", "verified", "1.7.2"),
        id="2018-sphinx-1-2-stale-version",
    ),
    pytest.param(
        drv(
            "psutil_1", "psutil-1.2.1", None, "4.3.0", "mirror://pypi/p/psutil/psutil-1.2.1.tar.gz"
        ),
        ("psutil", "url", "verified", "4.3.0"),
        id="2017-psutil-1-stale-version",
    ),
    pytest.param(
        drv(
            "CommonMark_54",
            "python2.7-CommonMark-0.5.4",
            None,
            "0.6.3",
            "mirror://pypi/C/CommonMark/CommonMark-0.5.4.tar.gz",
        ),
        ("commonmark", "url", "verified", "0.6.3"),
        id="2017-commonmark-stale-version",
    ),
    pytest.param(
        drv(
            "markupsafe",
            "python3.13-markupsafe-3.0.2",
            "markupsafe",
            "3.0.2",
            "mirror://pypi/m/markupsafe/markupsafe-3.0.1.tar.gz",
        ),
        ("markupsafe", "url", "verified", "3.0.2"),
        id="fixture-markupsafe-url-older",
    ),
    # --- a curated override (no PyPI evidence) ------------------------------
    pytest.param(
        drv(
            "torch",
            "python3.13-torch-2.5.1",
            "torch",
            "2.5.1",
            "https://github.com/pytorch/pytorch/archive/refs/tags/v2.5.1.tar.gz",
            github="pytorch/pytorch",
        ),
        ("torch", "override", "declared", "2.5.1"),
        id="fixture-torch-github",
    ),
    pytest.param(
        drv(
            "pytorch",
            "python3.6-pytorch-0.3.1",
            "pytorch",
            "0.3.1",
            "https://github.com/pytorch/pytorch.git",
        ),
        ("torch", "override", "declared", "0.3.1"),
        id="2018-pytorch-git-url",
    ),
    pytest.param(
        drv(
            "opencv4",
            "opencv-4.10.0",
            "opencv",
            "4.10.0",
            "https://github.com/opencv/opencv/archive/4.10.0.tar.gz",
            github="opencv/opencv",
        ),
        ("opencv-python", "override", "declared", "4.10.0"),
        id="fixture-opencv4",
    ),
    pytest.param(
        drv(
            "opencv3",
            "opencv-3.4.1",
            None,
            "3.4.1",
            "https://github.com/opencv/opencv/archive/3.4.1.tar.gz",
        ),
        ("opencv-python", "override", "declared", "3.4.1"),
        id="2018-opencv3-archive-url",
    ),
    pytest.param(
        drv(
            "opencv",
            "opencv-2.4.13",
            None,
            "2.4.13",
            "https://github.com/Itseez/opencv/archive/2.4.13.tar.gz",
        ),
        ("opencv-python", "override", "declared", "2.4.13"),
        id="2018-opencv-itseez",
    ),
    pytest.param(
        drv(
            "caffe",
            "caffe-1.0",
            "caffe",
            "1.0",
            "https://github.com/BVLC/caffe/archive/1.0.tar.gz",
            github="BVLC/caffe",
        ),
        (None, "override", "declared", "1.0"),
        id="fixture-caffe-not-on-pypi",
    ),
    pytest.param(
        drv("caffe", "caffe-1.0", None, "1.0", "https://github.com/BVLC/caffe/archive/1.0.tar.gz"),
        (None, "override", "declared", "1.0"),
        id="2018-caffe-not-on-pypi",
    ),
    pytest.param(
        drv(
            "pyqt5",
            "python3.6-PyQt-5.10.1",
            "PyQt",
            "5.10.1",
            "mirror://sourceforge/pyqt/PyQt5/PyQt-5.10.1/PyQt5_gpl-5.10.1.tar.gz",
        ),
        ("pyqt5", "override", "declared", "5.10.1"),
        id="2018-pyqt5-sourceforge",
    ),
    pytest.param(
        drv(
            "pyqt4",
            "python3.6-PyQt-x11-gpl-4.12",
            "PyQt-x11-gpl",
            "4.12",
            "mirror://sourceforge/pyqt/PyQt4_gpl_x11-4.12.tar.gz",
        ),
        (None, "override", "declared", "4.12"),
        id="2018-pyqt4-not-on-pypi",
    ),
    pytest.param(
        drv(
            "pysideShiboken",
            "python3.6-pyside-shiboken-1.2.4",
            "pyside-shiboken",
            "1.2.4",
            "https://github.com/PySide/Shiboken/archive/1.2.4.tar.gz",
        ),
        ("shiboken", "override", "declared", "1.2.4"),
        id="2018-pyside-shiboken",
    ),
    pytest.param(
        drv(
            "libvirt",
            "python3.6-libvirt-4.1.0",
            "libvirt",
            "4.1.0",
            "git://libvirt.org/libvirt-python.git",
        ),
        ("libvirt-python", "override", "declared", "4.1.0"),
        id="2018-libvirt-git",
    ),
    pytest.param(
        drv(
            "libvirt",
            "libvirt-python-3.6.0",
            None,
            None,
            "http://libvirt.org/sources/python/libvirt-python-3.6.0.tar.gz",
        ),
        ("libvirt-python", "override", "declared", "3.6.0"),
        id="2017-libvirt-tarball",
    ),
    pytest.param(
        drv(
            "magic",
            "python3.6-file-5.32",
            None,
            None,
            "ftp://ftp.astron.com/pub/file/file-5.32.tar.gz",
        ),
        ("file-magic", "override", "declared", "5.32"),
        id="2018-magic-is-files-binding",
    ),
    pytest.param(
        drv(
            "notmuch",
            "python3.6-python-notmuch-0.26.2",
            None,
            None,
            "http://notmuchmail.org/releases/notmuch-0.26.2.tar.gz",
        ),
        ("notmuch", "override", "declared", "0.26.2"),
        id="2018-notmuch",
    ),
    pytest.param(
        drv("gpgme", "gpgme-1.11.1", None, "1.11.1", "mirror://gnupg/gpgme/gpgme-1.11.1.tar.bz2"),
        ("gpg", "override", "declared", "1.11.1"),
        id="2018-gpgme-is-gpg",
    ),
    pytest.param(
        drv(
            "libxml2",
            "libxml2-2.9.7",
            None,
            "2.9.7",
            "http://xmlsoft.org/sources/libxml2-2.9.7.tar.gz",
        ),
        (None, "override", "declared", "2.9.7"),
        id="2018-libxml2-not-on-pypi",
    ),
    pytest.param(
        drv("boost", "boost-1.66_0", None, None, "mirror://sourceforge/boost/boost_1_66_0.tar.bz2"),
        (None, "override", "declared", "1.66_0"),
        id="2018-boost-not-on-pypi",
    ),
    pytest.param(
        drv(
            "graph-tool",
            "python2.7-python2.7-graph-tool-2.26",
            None,
            "2.26",
            "https://downloads.skewed.de/graph-tool/graph-tool-2.26.tar.bz2",
        ),
        (None, "override", "declared", "2.26"),
        id="2018-graph-tool-doubled-prefix",
    ),
    pytest.param(
        drv("tkinter", "python3.6-tkinter-3.6.5", None, None),
        (None, "override", "declared", "3.6.5"),
        id="2018-tkinter-stdlib",
    ),
    pytest.param(
        drv(
            "recursivePthLoader",
            "python-recursive-pth-loader-1.0",
            "python-recursive-pth-loader",
            "1.0",
            no_src=True,
        ),
        (None, "override", "declared", "1.0"),
        id="2018-recursive-pth-loader",
    ),
    pytest.param(
        drv(
            "memcached",
            "python2.7-memcached-1.51",
            None,
            None,
            "http://ftp.tummy.com/pub/python-memcached/old-releases/python-memcached-1.51.tar.gz",
        ),
        ("python-memcached", "override", "declared", "1.51"),
        id="2018-memcached",
    ),
    pytest.param(
        drv(
            "augeas",
            "python3.6-augeas-1.0.2",
            "augeas",
            "1.0.2",
            "https://github.com/hercules-team/python-augeas/archive/v1.0.2.tar.gz",
        ),
        ("python-augeas", "override", "declared", "1.0.2"),
        id="2018-augeas",
    ),
    pytest.param(
        drv(
            "mahotas",
            "python3.6-python-mahotas-1.4.2",
            None,
            "1.4.2",
            "https://github.com/luispedro/mahotas/archive/v1.4.2.tar.gz",
        ),
        ("mahotas", "override", "declared", "1.4.2"),
        id="2018-mahotas",
    ),
    pytest.param(
        drv(
            "python",
            "python3-3.6.5",
            None,
            "3.6.5",
            "https://www.python.org/ftp/python/3.6.5/Python-3.6.5.tar.xz",
        ),
        (None, "override", "declared", "3.6.5"),
        id="2018-interpreter",
    ),
    pytest.param(
        drv(
            "python",
            "python3-3.13.1",
            "python3",
            "3.13.1",
            "https://www.python.org/ftp/python/3.13.1/Python-3.13.1.tar.xz",
        ),
        (None, "override", "declared", "3.13.1"),
        id="fixture-interpreter",
    ),
    pytest.param(
        drv("wrapPython", "hook", None, None, no_src=True),
        (None, "override", "declared", None),
        id="2018-wrap-python-hook",
    ),
    pytest.param(
        drv("pytestCheckHook", "pytest-check-hook", None, None, no_src=True),
        (None, "override", "declared", None),
        id="fixture-pytest-check-hook",
    ),
    # --- inferred from pname, name or attribute -----------------------------
    pytest.param(
        drv(
            "httpie",
            "httpie-3.2.4",
            "httpie",
            "3.2.4",
            "https://github.com/httpie/cli/archive/refs/tags/3.2.4.tar.gz",
            github="httpie/cli",
        ),
        ("httpie", "pname", "inferred", "3.2.4"),
        id="fixture-httpie-github",
    ),
    pytest.param(
        drv(
            "tinygrad",
            "python3.13-tinygrad-unstable-2024-01-01",
            "tinygrad",
            "unstable-2024-01-01",
            "https://github.com/tinygrad/tinygrad/archive/2b4c3f1e9d8a7065b3c2d1e0f9a8b7c6d5e4f3a2.tar.gz",
            github="tinygrad/tinygrad",
        ),
        ("tinygrad", "pname", "inferred", "unstable-2024-01-01"),
        id="fixture-tinygrad-unstable",
    ),
    pytest.param(
        drv(
            "pyside2",
            "python3.13-pyside2-5.15.11",
            "pyside2",
            "5.15.11",
            "https://download.qt.io/official_releases/QtForPython/pyside2/PySide2-5.15.11-src/"
            "pyside-setup-opensource-src-5.15.11.tar.xz",
        ),
        ("pyside2", "pname", "inferred", "5.15.11"),
        id="fixture-pyside2-qt-download",
    ),
    pytest.param(
        drv(
            "swig",
            "swig-4.3.0",
            "swig",
            "4.3.0",
            "https://github.com/swig/swig/archive/v4.3.0.tar.gz",
            github="swig/swig",
        ),
        ("swig", "pname", "inferred", "4.3.0"),
        id="fixture-swig-native-tool",
    ),
    pytest.param(
        drv(
            "EditorConfig",
            "python3.6-EditorConfig-0.12.0",
            None,
            "0.12.0",
            "https://github.com/editorconfig/editorconfig-core-py",
        ),
        ("editorconfig", "name", "inferred", "0.12.0"),
        id="2018-editorconfig-github",
    ),
    pytest.param(
        drv(
            "PyGithub",
            "python3.6-PyGithub-1.36",
            "PyGithub",
            "1.36",
            "https://github.com/PyGithub/PyGithub/archive/v1.36.tar.gz",
        ),
        ("pygithub", "pname", "inferred", "1.36"),
        id="2018-pygithub-github",
    ),
    pytest.param(
        drv(
            "dbus-python",
            "python3.6-dbus-python-1.2.4",
            "dbus-python",
            "1.2.4",
            "http://dbus.freedesktop.org/releases/dbus-python/dbus-python-1.2.4.tar.gz",
        ),
        ("dbus-python", "pname", "inferred", "1.2.4"),
        id="2018-dbus-python-freedesktop",
    ),
    pytest.param(
        drv(
            "pygobject3",
            "python3.6-pygobject-3.26.1",
            "pygobject",
            "3.26.1",
            "mirror://gnome/sources/pygobject/3.26/pygobject-3.26.1.tar.xz",
        ),
        ("pygobject", "pname", "inferred", "3.26.1"),
        id="2018-pygobject3-gnome-mirror",
    ),
    pytest.param(
        drv("tensorflow", "python3.6-tensorflow-1.5.0", "tensorflow", "1.5.0"),
        ("tensorflow", "pname", "inferred", "1.5.0"),
        id="2018-tensorflow-built-from-source",
    ),
    pytest.param(
        drv(
            "tensorflow",
            "python3.6-tensorflow-1.1.0",
            "tensorflow",
            "1.1.0",
            "https://storage.googleapis.com/tensorflow/linux/cpu/tensorflow-1.1.0-cp36-cp36m-linux_x86_64.whl",
        ),
        ("tensorflow", "pname", "inferred", "1.1.0"),
        id="2017-tensorflow-wheel-not-from-pypi",
    ),
    pytest.param(
        drv(
            "django",
            "python3.6-Django-1.11.12",
            "Django",
            "1.11.12",
            "http://www.djangoproject.com/m/releases/1.11/Django-1.11.12.tar.gz",
        ),
        ("django", "pname", "inferred", "1.11.12"),
        id="2018-django-djangoproject",
    ),
    pytest.param(
        drv(
            "docutils",
            "python3.6-docutils-0.14",
            None,
            "0.14",
            "mirror://sourceforge/docutils/docutils-0.14.tar.gz",
        ),
        ("docutils", "name", "inferred", "0.14"),
        id="2018-docutils-sourceforge",
    ),
    pytest.param(
        drv(
            "mwlib-rl",
            "python2.7-mwlib.rl-0.14.6",
            None,
            "0.14.6",
            "http://pypi.pediapress.com/packages/mirror/mwlib.rl-0.14.6.zip",
        ),
        ("mwlib-rl", "name", "inferred", "0.14.6"),
        id="2018-mwlib-rl-look-alike-host",
    ),
    pytest.param(
        drv(
            "mwlib-ext",
            "python2.7-mwlib.ext-0.13.2",
            None,
            "0.13.2",
            "http://pypi.pediapress.com/packages/mirror/mwlib.ext-0.13.2.zip",
        ),
        ("mwlib-ext", "name", "inferred", "0.13.2"),
        id="2018-mwlib-ext-look-alike-host",
    ),
    pytest.param(
        drv(
            "arelle",
            "python3.6-arelle-2017-08-24-2017-08-24",
            "arelle-2017-08-24",
            "2017-08-24",
            "https://github.com/Arelle/Arelle/archive/cb24e35d57b562a864ae3dd4542c4d9fcf3865fe.tar.gz",
        ),
        ("arelle", "pname", "inferred", "2017-08-24"),
        id="2018-arelle-version-in-pname",
    ),
    pytest.param(
        drv(
            "pyfantom",
            "python3.6-pyfantom-unstable-2013-12-18",
            None,
            "unstable-2013-12-18",
            "http://git.ni.fr.eu.org/pyfantom.git",
        ),
        ("pyfantom", "name", "inferred", "unstable-2013-12-18"),
        id="2018-pyfantom-unstable-version",
    ),
    pytest.param(
        drv(
            "google-cloud-sdk",
            "google-cloud-sdk-190.0.1",
            None,
            "190.0.1",
            "https://dl.google.com/dl/cloudsdk/channels/rapid/downloads/google-cloud-sdk-190.0.1-linux-x86_64.tar.gz",
        ),
        ("google-cloud-sdk", "name", "inferred", "190.0.1"),
        id="2018-google-cloud-sdk-application",
    ),
    pytest.param(
        drv(
            "youtube-dl",
            "youtube-dl-2018.05.09",
            "youtube-dl",
            "2018.05.09",
            "https://yt-dl.org/downloads/2018.05.09/youtube-dl-2018.05.09.tar.gz",
        ),
        ("youtube-dl", "pname", "inferred", "2018.05.09"),
        id="2018-youtube-dl-application",
    ),
    pytest.param(
        drv(
            "nixpart0",
            "nixpart-0.4.1",
            None,
            "0.4.1",
            "https://github.com/aszlig/nixpart/archive/v0.4.1.tar.gz",
        ),
        ("nixpart", "name", "inferred", "0.4.1"),
        id="2018-nixpart0-name-not-attr",
    ),
    pytest.param(
        drv("pycrypto", "python3.6-pycrypto-3.5.1", "pycrypto", "3.5.1", no_src=True),
        ("pycrypto", "pname", "inferred", "3.5.1"),
        id="2018-pycrypto-no-source",
    ),
    pytest.param(
        drv(
            "pycangjie",
            "python3.6-pycangjie-1.3_rev_361bb413203fd43bab624d98edf6f7d20ce6bfd3",
            "pycangjie",
            "1.3_rev_361bb413203fd43bab624d98edf6f7d20ce6bfd3",
            "https://github.com/Cangjians/pycangjie/archive/361bb413203fd43bab624d98edf6f7d20ce6bfd3.tar.gz",
        ),
        ("pycangjie", "pname", "inferred", "1.3_rev_361bb413203fd43bab624d98edf6f7d20ce6bfd3"),
        id="2018-pycangjie-rev-version",
    ),
    pytest.param(
        drv(
            "pygame_sdl2",
            "python3.6-pygame_sdl2-6.99.10.1227",
            "pygame_sdl2",
            "6.99.10.1227",
            "https://github.com/renpy/pygame_sdl2/archive/renpy-6.99.10.1227.tar.gz",
        ),
        ("pygame-sdl2", "pname", "inferred", "6.99.10.1227"),
        id="2017-pygame-sdl2",
    ),
    pytest.param(
        {"attr": "foo_bar", "name": "python3.13-foo.bar-1.0", "pname": None, "version": "1.0"},
        ("foo-bar", "name", "inferred", "1.0"),
        id="bare-record-name",
    ),
    pytest.param(
        {"attr": "Foo_Bar"},
        ("foo-bar", "attr", "inferred", None),
        id="bare-record-attr-only",
    ),
]


@pytest.mark.parametrize(("record", "expected"), IDENTITIES)
def test_identify_package(
    record: dict[str, Any], expected: tuple[str | None, str, str, str | None]
) -> None:
    pypi_name, name_source, confidence, version = expected
    identity = identify_package(record, OVERRIDES)
    assert (
        identity.pypi_name,
        identity.name_source,
        identity.confidence,
        identity.version.raw,
    ) == (
        pypi_name,
        name_source,
        confidence,
        version,
    )
    assert identity.evidence, "every identity says what decided it"
    assert (identity.override_reason is not None) is (name_source == "override")


def test_identity_table_is_large_enough() -> None:
    assert len(IDENTITIES) >= 80


@pytest.mark.parametrize(
    ("record", "spelled"),
    [
        pytest.param(
            fixture(
                "pyyaml", "pyyaml", "6.0.2", "PyYAML", "mirror://pypi/P/PyYAML/PyYAML-6.0.2.tar.gz"
            ),
            "PyYAML",
            id="purl",
        ),
        pytest.param(
            drv("x", "python3.6-x-1.0", None, "1.0", "mirror://pypi/y/yapsy/Yapsy-1.11.223.tar.gz"),
            "yapsy",
            id="url-directory",
        ),
        pytest.param(
            drv(
                "x",
                "python3.6-x-1.0",
                None,
                "1.0",
                f"https://pypi.python.org/packages/{HASH}/Pweave-0.25.tar.gz",
            ),
            "Pweave",
            id="url-file",
        ),
        pytest.param(
            drv("pyqt5", "python3.6-PyQt-5.10.1", "PyQt", "5.10.1"),
            "PyQt5",
            id="override",
        ),
        pytest.param(
            drv("caffe", "caffe-1.0", None, "1.0", github="BVLC/caffe"), None, id="not-on-pypi"
        ),
        pytest.param(drv("x", "python3.6-Foo_Bar-1.0", None, "1.0"), "Foo_Bar", id="name"),
    ],
)
def test_spelled_is_as_the_deciding_evidence_spells_it(
    record: dict[str, Any], spelled: str | None
) -> None:
    assert identify_package(record, OVERRIDES).spelled == spelled


@pytest.mark.parametrize(
    ("record", "url_version", "mismatch"),
    [
        pytest.param(
            drv(
                "six",
                "python3.6-six-1.11.0",
                "six",
                "1.11.0",
                "mirror://pypi/s/six/six-1.11.0.tar.gz",
            ),
            "1.11.0",
            False,
            id="agree",
        ),
        pytest.param(
            drv(
                "sphinx_1_2",
                "python2.7-sphinx-1.2.3",
                "Sphinx",
                "1.7.2",
                "mirror://pypi/s/sphinx/sphinx-1.2.3.tar.gz",
            ),
            "1.2.3",
            True,
            id="stale-version-real-2018",
        ),
        pytest.param(
            drv(
                "sandboxlib",
                "python2.7-sandboxlib-0.31",
                None,
                "0.31",
                "mirror://pypi/s/sandboxlib/sandboxlib-0.3.1.tar.gz",
            ),
            "0.3.1",
            True,
            id="typo-version-real-2018",
        ),
        pytest.param(
            drv(
                "hgsvn",
                "python2.7-hgsvn-0.3.11",
                None,
                None,
                "mirror://pypi/h/hgsvn/hgsvn-0.3.11-hotfix.zip",
            ),
            "0.3.11-hotfix",
            True,
            id="hotfix-file-real-2018",
        ),
        pytest.param(
            drv("foo", "python3.13-foo-1.0", "foo", "1.0", purls=("pkg:pypi/foo@1.0.0",)),
            "1.0.0",
            False,
            id="pep440-equal",
        ),
        pytest.param(
            drv(
                "foo",
                "python3.13-foo-1.0",
                "foo",
                "1.0",
                purls=("pkg:pypi/foo",),
                fetchpypi=("foo", "1.0"),
            ),
            "1.0",
            False,
            id="version-from-next-agreeing-evidence",
        ),
        pytest.param(
            drv("torch", "python3.13-torch-2.5.1", "torch", "2.5.1", github="pytorch/pytorch"),
            None,
            False,
            id="override-has-no-url-version",
        ),
        pytest.param(
            drv("foo", "python3.13-foo", "foo", None, "mirror://pypi/f/foo/foo-1.0.tar.gz"),
            "1.0",
            False,
            id="unknown-derivation-version-no-mismatch",
        ),
    ],
)
def test_url_version_and_mismatch(
    record: dict[str, Any], url_version: str | None, mismatch: bool
) -> None:
    identity = identify_package(record, OVERRIDES)
    assert (identity.url_version, identity.version_mismatch) == (url_version, mismatch)


def test_version_is_parsed() -> None:
    record = drv("foo", "python3.13-foo-1.0-beta", "foo", "1.0-beta")
    assert identify_package(record).version == ParsedVersion("1.0-beta", "1.0b0", True)


def test_disagreeing_evidence_keeps_the_first_and_reports_both() -> None:
    record = drv(
        "foo",
        "python3.13-foo-1.0",
        "foo",
        "1.0",
        "mirror://pypi/b/bar/bar-1.0.tar.gz",
        purls=("pkg:pypi/Foo@1.0",),
    )
    identity = identify_package(record)
    assert (identity.pypi_name, identity.name_source) == ("foo", "purl")
    assert identity.evidence == (
        "purl pkg:pypi/Foo@1.0",
        "url mirror://pypi/b/bar/bar-1.0.tar.gz (disagrees: bar)",
    )


def test_evidence_lists_each_piece_once_strongest_first() -> None:
    record = fixture(
        "pyyaml", "pyyaml", "6.0.2", "PyYAML", "mirror://pypi/P/PyYAML/PyYAML-6.0.2.tar.gz"
    )
    assert identify_package(record).evidence == (
        "purl pkg:pypi/PyYAML@6.0.2",
        "fetchPypi pname PyYAML version 6.0.2",
        "url mirror://pypi/P/PyYAML/PyYAML-6.0.2.tar.gz",
    )


def test_override_identity_says_which_override() -> None:
    record = drv("torch", "python3.13-torch-2.5.1", "torch", "2.5.1", github="pytorch/pytorch")
    identity = identify_package(record, OVERRIDES)
    assert identity.evidence == ("override github=pytorch/pytorch -> torch",)
    assert identity.override_reason is not None and "torch" in identity.override_reason


def test_without_overrides_the_pname_decides() -> None:
    record = drv(
        "pytorch",
        "python3.6-pytorch-0.3.1",
        "pytorch",
        "0.3.1",
        "https://github.com/pytorch/pytorch.git",
    )
    identity = identify_package(record)
    assert (identity.pypi_name, identity.name_source) == ("pytorch", "pname")


def test_sources_that_are_paths_or_unreadable_are_ignored() -> None:
    record = drv("foo", "python3.13-foo-1.0", "foo", "1.0")
    record["src"] = [None, {"kind": "path", "path": "pkgs/foo"}, *record["src"]]
    assert identify_package(record).name_source == "pname"


def test_a_record_without_any_name_is_an_error() -> None:
    with pytest.raises(ValueError, match="none of pname, name and attr"):
        identify_package({"version": "1.0"})


@pytest.mark.parametrize(
    ("record", "repo"),
    [
        pytest.param(
            drv("a", "a-1", github="pytorch/pytorch"), "pytorch/pytorch", id="fetcher-fields"
        ),
        pytest.param(
            drv("a", "a-1", None, None, "https://github.com/BVLC/caffe/archive/1.0.tar.gz"),
            "BVLC/caffe",
            id="archive-url",
        ),
        pytest.param(
            drv("a", "a-1", None, None, "mirror://pypi/a/a/a-1.tar.gz"), None, id="no-github"
        ),
        pytest.param(drv("a", "a-1", no_src=True), None, id="no-source"),
    ],
)
def test_github_repo_of_record(record: dict[str, Any], repo: str | None) -> None:
    assert github_repo_of_record(record) == repo


def test_pypi_names_by_drv_name() -> None:
    records = [
        drv(
            "pyyaml", "python3.13-pyyaml-6.0.2", "pyyaml", "6.0.2", purls=("pkg:pypi/PyYAML@6.0.2",)
        ),
        drv("caffe", "caffe-1.0", None, "1.0", github="BVLC/caffe"),
        # Same drv name, weaker evidence first: the purl-verified one wins.
        drv("msgpack-python", "python2.7-msgpack-python-0.5.6", "msgpack-python", "0.5.6"),
        drv(
            "msgpack",
            "python2.7-msgpack-python-0.5.6",
            "msgpack-python",
            "0.5.6",
            "mirror://pypi/m/msgpack/msgpack-0.5.6.tar.gz",
        ),
        {"type": "attr", "set": "s", "attr": "gone", "status": "error", "error": {"kind": "throw"}},
    ]
    assert pypi_names_by_drv_name(records, OVERRIDES) == {
        "python3.13-pyyaml-6.0.2": "pyyaml",
        "caffe-1.0": None,
        "python2.7-msgpack-python-0.5.6": "msgpack",
    }


@pytest.mark.parametrize(
    ("order", "name"),
    [
        (("msgpack", "msgpack-alt"), "msgpack"),
        (("msgpack-alt", "msgpack"), "msgpack-alt"),
    ],
)
def test_on_a_tie_of_confidence_the_first_record_names_the_derivation(
    order: tuple[str, str], name: str
) -> None:
    # Two attributes, one derivation name, both verified by a PyPI URL but
    # naming different projects: record order decides, the first wins.
    by_project = {
        project: drv(
            project,
            "python3.13-msgpack-1.0",
            "msgpack",
            "1.0",
            f"mirror://pypi/m/{project}/{project}-1.0.tar.gz",
        )  # fmt: skip
        for project in order
    }
    records = [by_project[project] for project in order]
    assert {identify_package(r).confidence for r in records} == {"verified"}
    assert pypi_names_by_drv_name(records) == {"python3.13-msgpack-1.0": name}


def test_identity_is_a_frozen_value() -> None:
    identity = identify_package(drv("six", "python3.6-six-1.11.0", "six", "1.11.0"))
    assert isinstance(identity, PackageIdentity)
    with pytest.raises(AttributeError):
        identity.pypi_name = "other"  # type: ignore[misc]
