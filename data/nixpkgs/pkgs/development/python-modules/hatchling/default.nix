{
  lib,
  buildPythonPackage,
  fetchPypi,
  packaging,
  pathspec,
  pluggy,
  trove-classifiers,
}:

buildPythonPackage rec {
  pname = "hatchling";
  version = "1.27.0";
  pyproject = true;

  src = fetchPypi {
    inherit pname version;
    hash = "sha256-FJ0ylMv58ohJ3hC9XFw+dYMm+N5y4tNPtET5mmx3gas=";
  };

  dependencies = [
    packaging
    pathspec
    pluggy
    trove-classifiers
  ];

  meta = {
    description = "Modern, extensible Python build backend";
    homepage = "https://hatch.pypa.io/latest/";
    license = lib.licenses.mit;
    maintainers = [ lib.maintainers.fixture-alice ];
  };
}
