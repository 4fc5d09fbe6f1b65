{
  lib,
  buildPythonPackage,
  fetchPypi,
}:

buildPythonPackage rec {
  pname = "poetry-core";
  version = "1.9.1";
  pyproject = true;

  src = fetchPypi {
    pname = "poetry_core";
    inherit version;
    hash = "sha256-QA2toOsIP9ywvkrbXCSlflqcnxqPE3xyaDkD2M+l14g=";
  };

  meta = {
    description = "Poetry PEP 517 build backend";
    homepage = "https://github.com/python-poetry/poetry-core";
    license = lib.licenses.mit;
    maintainers = [ lib.maintainers.fixture-alice ];
  };
}
