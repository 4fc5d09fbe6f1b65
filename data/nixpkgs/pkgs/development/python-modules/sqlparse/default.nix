{
  lib,
  buildPythonPackage,
  fetchPypi,
  hatchling,
}:

buildPythonPackage rec {
  pname = "sqlparse";
  version = "0.5.3";
  pyproject = true;

  src = fetchPypi {
    inherit pname version;
    hash = "sha256-TPDhcJYBdR6+7fC91oPiJZ9EnVrr3nTIfofaHldkNbA=";
  };

  build-system = [ hatchling ];

  meta = {
    description = "Non-validating SQL parser for Python";
    homepage = "https://github.com/andialbrecht/sqlparse";
    license = lib.licenses.bsd3;
    maintainers = [ lib.maintainers.fixture-alice ];
  };
}
