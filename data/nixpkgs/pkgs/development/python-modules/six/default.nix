{
  lib,
  buildPythonPackage,
  fetchPypi,
  setuptools,
}:

buildPythonPackage rec {
  pname = "six";
  version = "1.17.0";
  pyproject = true;

  src = fetchPypi {
    inherit pname version;
    hash = "sha256-YZn+GTlPFrY98BTV7nOaMz1bObYftfFtgCxeuTtzk0M=";
  };

  build-system = [ setuptools ];

  meta = {
    description = "Python 2 and 3 compatibility library";
    homepage = "https://github.com/benjaminp/six";
    license = lib.licenses.mit;
    maintainers = [ lib.maintainers.fixture-alice ];
  };
}
