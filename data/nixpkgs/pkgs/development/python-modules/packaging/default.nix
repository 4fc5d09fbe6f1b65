{
  lib,
  buildPythonPackage,
  fetchPypi,
  flit-core,
}:

buildPythonPackage rec {
  pname = "packaging";
  version = "24.2";
  pyproject = true;

  src = fetchPypi {
    inherit pname version;
    hash = "sha256-N1Fih9bKjRLX4FccGRLl0vPaWXguWHKtswte623AuvU=";
  };

  build-system = [ flit-core ];

  meta = {
    description = "Core utilities for Python packages";
    homepage = "https://github.com/pypa/packaging";
    license = lib.licenses.bsd2;
    maintainers = [ lib.maintainers.fixture-alice ];
  };
}
