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
  version = "4.2.17";
  pyproject = true;

  src = fetchPypi {
    pname = "Django";
    inherit version;
    hash = "sha256-DfCSeiLDobOeATvBXIgsvTUOU0w2YCUNfyygyWdQH6I=";
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
