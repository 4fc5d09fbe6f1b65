{
  lib,
  buildPythonPackage,
  fetchPypi,
  setuptools,
}:

buildPythonPackage rec {
  pname = "cython";
  version = "3.0.11";
  pyproject = true;

  src = fetchPypi {
    pname = "cython";
    inherit version;
    hash = "sha256-g/gorfVecCanGbY4zhF9giF36lzllKuaXJiE4Gv4Ujw=";
  };

  build-system = [ setuptools ];

  meta = {
    description = "Optimising static compiler for both the Python and the extended Cython languages";
    homepage = "https://cython.org";
    license = lib.licenses.asl20;
    maintainers = [ lib.maintainers.fixture-alice ];
  };
}
