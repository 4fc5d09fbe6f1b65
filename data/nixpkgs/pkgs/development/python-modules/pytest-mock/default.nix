{
  lib,
  buildPythonPackage,
  fetchPypi,
  setuptools,
  setuptools-scm,
  pytest,
}:

buildPythonPackage rec {
  pname = "pytest-mock";
  version = "3.14.0";
  pyproject = true;

  src = fetchPypi {
    inherit pname version;
    hash = "sha256-ZJ7sIYkhm2tV6K+PqP3NB4dWbdqDwWxSNxaO8ZW+fRs=";
  };

  build-system = [ setuptools setuptools-scm ];

  dependencies = [
    pytest
  ];

  meta = {
    description = "Thin wrapper around the mock package for easier use with pytest";
    homepage = "https://github.com/pytest-dev/pytest-mock";
    license = lib.licenses.mit;
    maintainers = [ lib.maintainers.fixture-alice ];
  };
}
