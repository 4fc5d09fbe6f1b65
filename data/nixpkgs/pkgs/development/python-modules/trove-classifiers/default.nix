{
  lib,
  buildPythonPackage,
  fetchPypi,
  setuptools,
}:

buildPythonPackage rec {
  pname = "trove-classifiers";
  version = "2024.10.21.16";
  pyproject = true;

  src = fetchPypi {
    pname = "trove_classifiers";
    inherit version;
    hash = "sha256-W48At0PwO311SN+ZC5SqXshHOBQ8BMscNmAKQz3HZ7g=";
  };

  build-system = [ setuptools ];

  meta = {
    description = "Canonical source for classifiers on PyPI";
    homepage = "https://github.com/pypa/trove-classifiers";
    license = lib.licenses.asl20;
    maintainers = [ lib.maintainers.fixture-alice ];
  };
}
