{
  lib,
  buildPythonPackage,
  fetchPypi,
  setuptools,
  gitdb,
}:

buildPythonPackage rec {
  pname = "GitPython";
  version = "3.1.43";
  pyproject = true;

  src = fetchPypi {
    inherit pname version;
    hash = "sha256-aSlqq2lopp3a4dAhybsGuy86TN+UjQWmQ6W1tXe1NsY=";
  };

  build-system = [ setuptools ];

  dependencies = [
    gitdb
  ];

  meta = {
    description = "Python Git Library";
    homepage = "https://github.com/gitpython-developers/GitPython";
    license = lib.licenses.bsd3;
    maintainers = [ lib.maintainers.fixture-alice ];
  };
}
