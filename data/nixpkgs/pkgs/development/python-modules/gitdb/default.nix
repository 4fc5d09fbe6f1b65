{
  lib,
  buildPythonPackage,
  fetchPypi,
  setuptools,
  smmap,
}:

buildPythonPackage rec {
  pname = "gitdb";
  version = "4.0.11";
  pyproject = true;

  src = fetchPypi {
    inherit pname version;
    hash = "sha256-F5w6jK+sFaDCi8WuNbvAiU4rUV9vH25dQ0as5YqE/Pw=";
  };

  build-system = [ setuptools ];

  dependencies = [
    smmap
  ];

  meta = {
    description = "Git Object Database";
    homepage = "https://github.com/gitpython-developers/gitdb";
    license = lib.licenses.bsd3;
    maintainers = [ lib.maintainers.fixture-alice ];
  };
}
