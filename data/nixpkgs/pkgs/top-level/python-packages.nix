# The Python packages of the fixture. Every entry has a comment on the line
# above it saying which case it covers (see data/nixpkgs/README.md). The
# setup hooks (pytestCheckHook, pypaBuildHook, sphinxHook, ...) come from
# pkgs/development/interpreters/python/hooks/default.nix.
self: super:
with self;
{
  ### build systems and hooks

  # build backend with no build-system of its own (bootstrap)
  setuptools = callPackage ../development/python-modules/setuptools { };

  # build backend built with flit-core
  wheel = callPackage ../development/python-modules/wheel { };

  # build backend that depends on other packages of the set
  hatchling = callPackage ../development/python-modules/hatchling { };

  # bootstrap build backend (flit_core on PyPI)
  flit-core = callPackage ../development/python-modules/flit-core { };

  # build backend (poetry_core on PyPI)
  poetry-core = callPackage ../development/python-modules/poetry-core { };

  # setuptools plugin (setuptools_scm on PyPI)
  setuptools-scm = callPackage ../development/python-modules/setuptools-scm { };

  # build-time only tool used in build-system lists (Cython on PyPI)
  cython = callPackage ../development/python-modules/cython { };

  # test runner used by the check hook
  pytest = callPackage ../development/python-modules/pytest { };

  # PEP 517 build frontend run by pypaBuildHook; bootstrap package, finalAttrs form
  build = callPackage ../development/python-modules/build { };

  # wheel installer run by pypaInstallHook; bootstrap package, finalAttrs form
  installer = callPackage ../development/python-modules/installer { };

  # dependency of build (pyproject_hooks on PyPI); bootstrap package
  pyproject-hooks = callPackage ../development/python-modules/pyproject-hooks { };

  # documentation generator propagated by sphinxHook; pythonRelaxDeps
  sphinx = callPackage ../development/python-modules/sphinx { };

  # dependency of sphinx
  docutils = callPackage ../development/python-modules/docutils { };

  # pytest plugin used in nativeCheckInputs
  pytest-mock = callPackage ../development/python-modules/pytest-mock { };

  ### plain packages and their dependencies

  # plain sdist via fetchPypi; dependencies, build-system, optional-dependencies, nativeCheckInputs
  requests = callPackage ../development/python-modules/requests { };

  # plain sdist
  certifi = callPackage ../development/python-modules/certifi { };

  # plain sdist, flit-core build-system
  idna = callPackage ../development/python-modules/idna { };

  # hatchling build-system, optional-dependencies
  urllib3 = callPackage ../development/python-modules/urllib3 { };

  # fetchPypi pname with an underscore (charset_normalizer)
  charset-normalizer = callPackage ../development/python-modules/charset-normalizer { };

  # fetchPypi pname "PySocks": attribute and PyPI name differ completely in case
  pysocks = callPackage ../development/python-modules/pysocks { };

  # plain sdist, no dependencies
  six = callPackage ../development/python-modules/six { };

  # legacy style: format = "setuptools", Python input via propagatedBuildInputs
  python-dateutil = callPackage ../development/python-modules/python-dateutil { };

  # fetchPypi pname "PyYAML" (case differs from the attribute); native buildInputs
  pyyaml = callPackage ../development/python-modules/pyyaml { };

  # fetchPypi pname "zope.interface" (dots in the PyPI name)
  zope-interface = callPackage ../development/python-modules/zope-interface { };

  # binary wheel via fetchPypi (format = "wheel"), attribute jaxlib-bin, pname jaxlib
  jaxlib-bin = callPackage ../development/python-modules/jaxlib/bin.nix { };

  # fetchurl of a files.pythonhosted.org hash-path URL (no fetchPypi, no purl)
  attrs = callPackage ../development/python-modules/attrs { };

  # plain fetchPypi; purl from the source
  packaging = callPackage ../development/python-modules/packaging { };

  # fetchFromGitHub source with its own meta.identifiers (pypi purl)
  rich = callPackage ../development/python-modules/rich { };

  # dependency of rich; fetchPypi pname "markdown_it_py"
  markdown-it-py = callPackage ../development/python-modules/markdown-it-py { };

  # dependency of markdown-it-py
  mdurl = callPackage ../development/python-modules/mdurl { };

  # dependency of rich and httpie (Pygments on PyPI)
  pygments = callPackage ../development/python-modules/pygments { };

  # fetchPypi pname "typing_extensions"
  typing-extensions = callPackage ../development/python-modules/typing-extensions { };

  # dependency of hatchling and pytest
  pluggy = callPackage ../development/python-modules/pluggy { };

  # dependency of pytest
  iniconfig = callPackage ../development/python-modules/iniconfig { };

  # dependency of hatchling
  pathspec = callPackage ../development/python-modules/pathspec { };

  # dependency of hatchling, calendar version
  trove-classifiers = callPackage ../development/python-modules/trove-classifiers { };

  # dependency of cffi
  pycparser = callPackage ../development/python-modules/pycparser { };

  # dependency of django
  asgiref = callPackage ../development/python-modules/asgiref { };

  # dependency of django
  sqlparse = callPackage ../development/python-modules/sqlparse { };

  # dependency of GitPython
  gitdb = callPackage ../development/python-modules/gitdb { };

  # dependency of gitdb
  smmap = callPackage ../development/python-modules/smmap { };

  ### sources and names that differ from PyPI

  # GitHub source whose repository (pytorch/pytorch) differs from the PyPI name (torch); alias pytorch
  torch = callPackage ../development/python-modules/torch { };

  # non-buildPythonPackage derivation turned into a module; PyPI project is opencv-python
  opencv4 = toPythonModule (
    pkgs.opencv.override {
      enablePython = true;
      pythonPackages = self;
    }
  );

  # not on PyPI (GitHub BVLC/caffe); shadows an unrelated PyPI project "caffe"
  caffe = toPythonModule (
    pkgs.caffe.override {
      pythonSupport = true;
      pythonPackages = self;
    }
  );

  # several versions side by side: Django 4.2 (fetchPypi pname "Django")
  django_4 = callPackage ../development/python-modules/django/4.nix { };

  # several versions side by side: Django 5.1 (fetchPypi pname "django")
  django_5 = callPackage ../development/python-modules/django/5.nix { };

  # the default version: another attribute, same derivation as django_5
  django = django_5;

  # native buildInputs (hdf5)
  h5py = callPackage ../development/python-modules/h5py { };

  # variant of h5py built against hdf5-mpi (same pname and version)
  h5py-mpi = h5py.override { hdf5 = pkgs.hdf5-mpi; };

  # PyPI name starts with a digit (3to2); the attribute cannot
  py3to2 = callPackage ../development/python-modules/3to2 { };

  # legacy non-normalized attribute name
  GitPython = callPackage ../development/python-modules/GitPython { };

  # normal attribute, fetchPypi pname "PyGithub"; python-aliases has PyGithub = pygithub
  pygithub = callPackage ../development/python-modules/pygithub { };

  # version (3.0.2) disagrees with the version in the source URL (3.0.1)
  markupsafe = callPackage ../development/python-modules/markupsafe { };

  ### native inputs

  # native buildInputs (openssl) and nativeBuildInputs (pkg-config rustc cargo)
  cryptography = callPackage ../development/python-modules/cryptography { };

  # native buildInputs (libffi), nativeBuildInputs (pkg-config)
  cffi = callPackage ../development/python-modules/cffi { };

  # native buildInputs (blas lapack), nativeBuildInputs (gfortran), check hook
  numpy = callPackage ../development/python-modules/numpy { };

  # native buildInputs (zeromq)
  pyzmq = callPackage ../development/python-modules/pyzmq { };

  # a non-Python top-level derivation inside the Python set
  swig = pkgs.swig;

  ### today's shapes (late 2026)

  # buildPythonPackage (finalAttrs: { ... }); GitHub source whose tag is finalAttrs.version; own purlParts
  marshmallow = callPackage ../development/python-modules/marshmallow { };

  # overridePythonAttrs on a finalAttrs package: only the version changes, the source follows
  marshmallow_4 = marshmallow.overridePythonAttrs (
    finalAttrs: old: {
      version = "4.0.1";
      src = old.src.override { hash = "sha256-Ch+qlXS5nZGiCd3Eq3yUsXLvTSVKFsAlLbM8yWtlyaw="; };
    }
  );

  # Rust extension built with maturin (rustPlatform.cargoSetupHook, rustPlatform.maturinBuildHook)
  rpds-py = callPackage ../development/python-modules/rpds-py { };

  # documentation built with sphinxHook into a "doc" output
  pyjwt = callPackage ../development/python-modules/pyjwt { };

  # meta.problems.removal: a warning when instantiated, still available
  future = callPackage ../development/python-modules/future { };

  # application from pkgs/by-name (built with python3Packages), made a module of this set
  legit = toPythonModule (pkgs.legit.override { python3Packages = self; });

  ### outcomes other than a plain module

  # application (buildPythonApplication): pythonModule = false, no name prefix
  httpie = callPackage ../development/python-modules/httpie { };

  # disabled on Python 3.13 only: throws there, fine on 3.12
  nose = callPackage ../development/python-modules/nose { };

  # meta.broken = true: readable, but drvPath refuses to evaluate
  pyside2 = callPackage ../development/python-modules/pyside2 { };

  # non-PEP 440 version (unstable-2024-01-01), GitHub source at a commit
  tinygrad = callPackage ../development/python-modules/tinygrad { };

  ### attribute-name cases for the audit

  # pname (msgpack-python) disagrees with the PyPI name its source gives (msgpack)
  msgpack = callPackage ../development/python-modules/msgpack { };

  # a plain package (python-slugify on PyPI)
  python-slugify = callPackage ../development/python-modules/python-slugify { };

  # a second expression building the same project at the same version (not
  # an alias): two attributes claim python-slugify 8.0.4
  slugify = callPackage ../development/python-modules/slugify { };

  # a null attribute
  pyqt4 = null;

  ### evaluation errors tryEval cannot catch

  # abort in its version: kills the evaluation of anything that reads its name
  abort-on-eval = callPackage ../development/python-modules/abort-on-eval { };

  # infinite recursion (detected by Nix) in its version
  infinite-recursion = callPackage ../development/python-modules/infinite-recursion { };

  # a dependency names a missing attribute of another package: reading its inputs fails
  missing-attr-in-dep = callPackage ../development/python-modules/missing-attr-in-dep { };

  # recursion a million calls deep in its version: overflows the evaluator's stack and kills nix
  stack-overflow = callPackage ../development/python-modules/stack-overflow { };

  ### source URLs PyPI cannot serve (audit rule bad-pypi-url), and near misses

  # the URL's directory is the file's name, not its project: mirror://pypi/p/pyinotify-0.9.6/…
  pyinotify = callPackage ../development/python-modules/pyinotify { };

  # the URL's initial is neither the project's first letter nor its lower case: mirror://pypi/T/toml/…
  toml = callPackage ../development/python-modules/toml { };

  # a wheel under mirror://pypi (PyPI's source/ directory); wheels are filed under their Python tag
  wcwidth = callPackage ../development/python-modules/wcwidth { };

  # the URL leaves out the initial: mirror://pypi/docopt/docopt-0.6.2.tar.gz
  docopt = callPackage ../development/python-modules/docopt { };

  # near miss: lower-case initial of a capitalised directory, file in normalized spelling
  jinja2 = callPackage ../development/python-modules/jinja2 { };

  # near miss: directory backports.tarfile, file backports_tarfile-1.2.0.tar.gz (one project)
  backports-tarfile = callPackage ../development/python-modules/backports-tarfile { };
}
