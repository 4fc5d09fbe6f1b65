{
  lib,
  buildPythonPackage,
  fetchPypi,
  setuptools,
  asgiref,
  sqlparse,
}:

buildPythonPackage rec {
  pname = "django";
  version = "5.1.4";
  pyproject = true;

  src = fetchPypi {
    inherit pname version;
    hash = "sha256-FwmnLg9IVISsWARIdM5iJIAtA51ZfaQuU8l9zrVFlOw=";
  };

  build-system = [ setuptools ];

  dependencies = [
    asgiref
    sqlparse
  ];

  meta = {
    description = "High-level Python Web framework";
    homepage = "https://www.djangoproject.com";
    license = lib.licenses.bsd3;
    maintainers = [ lib.maintainers.fixture-alice ];
  };
}
