{
  lib,
  buildPythonPackage,
  fetchPypi,
  setuptools,
  packaging,
}:

buildPythonPackage rec {
  pname = "setuptools-scm";
  version = "8.1.0";
  pyproject = true;

  src = fetchPypi {
    pname = "setuptools_scm";
    inherit version;
    hash = "sha256-JSuPvFi9wDn//MjF9Q8XkvABt6oUMpmB4ylViSadGRU=";
  };

  build-system = [ setuptools ];

  dependencies = [
    packaging
    setuptools
  ];

  meta = {
    description = "Handles managing your Python package versions in SCM metadata";
    homepage = "https://github.com/pypa/setuptools_scm";
    license = lib.licenses.mit;
    maintainers = [ lib.maintainers.fixture-alice ];
  };
}
