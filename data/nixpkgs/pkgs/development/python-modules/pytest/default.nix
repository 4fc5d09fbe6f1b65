{
  lib,
  buildPythonPackage,
  fetchPypi,
  setuptools,
  setuptools-scm,
  iniconfig,
  packaging,
  pluggy,
}:

buildPythonPackage rec {
  pname = "pytest";
  version = "8.3.4";
  pyproject = true;

  src = fetchPypi {
    inherit pname version;
    hash = "sha256-cWYsF372mraugL6iOEJ15h8b62xW7a8GYYT8TyfWmpk=";
  };

  build-system = [ setuptools setuptools-scm ];

  dependencies = [
    iniconfig
    packaging
    pluggy
  ];

  meta = {
    description = "Framework for writing tests";
    homepage = "https://docs.pytest.org";
    changelog = "https://github.com/pytest-dev/pytest/releases/tag/8.3.4";
    license = lib.licenses.mit;
    maintainers = [ lib.maintainers.fixture-alice ];
  };
}
