{
  lib,
  buildPythonPackage,
  fetchPypi,
  setuptools,
}:

buildPythonPackage rec {
  pname = "smmap";
  version = "5.0.1";
  pyproject = true;

  src = fetchPypi {
    inherit pname version;
    hash = "sha256-+QHXzCHo+gBFGLgg2BLjye4GhHEW634qzRa/RfcwekU=";
  };

  build-system = [ setuptools ];

  meta = {
    description = "Pure Python implementation of a sliding window memory map manager";
    homepage = "https://github.com/gitpython-developers/smmap";
    license = lib.licenses.bsd3;
    maintainers = [ lib.maintainers.fixture-alice ];
  };
}
