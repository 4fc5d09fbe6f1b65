{
  lib,
  buildPythonPackage,
  fetchPypi,
  setuptools,
}:

buildPythonPackage rec {
  pname = "3to2";
  version = "1.1.1";
  pyproject = true;

  src = fetchPypi {
    inherit pname version;
    extension = "zip";
    hash = "sha256-KnaubB53amnCHy6BoyglD3xODOanOW3PpUsoczeRBCA=";
  };

  build-system = [ setuptools ];

  meta = {
    description = "Refactors valid 3.x syntax into valid 2.x syntax";
    homepage = "https://github.com/jsoref/3to2";
    license = lib.licenses.asl20;
    maintainers = [ lib.maintainers.fixture-alice ];
  };
}
