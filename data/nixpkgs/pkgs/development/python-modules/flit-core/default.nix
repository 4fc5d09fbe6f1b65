{
  lib,
  buildPythonPackage,
  fetchPypi,
}:

buildPythonPackage rec {
  pname = "flit-core";
  version = "3.10.1";
  pyproject = true;

  src = fetchPypi {
    pname = "flit_core";
    inherit version;
    hash = "sha256-yVbgyCkMrxFsNoW+DPJw4rWScs6MoJoPpkszCGahe5o=";
  };

  meta = {
    description = "Distribution-building parts of Flit";
    homepage = "https://github.com/pypa/flit";
    license = lib.licenses.bsd3;
    maintainers = [ lib.maintainers.fixture-alice ];
  };
}
