{
  lib,
  buildPythonPackage,
  fetchPypi,
}:

buildPythonPackage rec {
  pname = "setuptools";
  version = "75.6.0";
  pyproject = true;

  src = fetchPypi {
    inherit pname version;
    hash = "sha256-aE77jDoeMNJ4LvFUiudx7HI74CPlzezNN9k/kNGSWUY=";
  };

  meta = {
    description = "Utilities to facilitate the installation of Python packages";
    homepage = "https://github.com/pypa/setuptools";
    changelog = "https://setuptools.pypa.io/en/stable/history.html";
    license = lib.licenses.mit;
    maintainers = [ lib.maintainers.fixture-alice ];
  };
}
