{
  lib,
  buildPythonPackage,
  fetchPypi,
  hatchling,
  pysocks,
}:

buildPythonPackage rec {
  pname = "urllib3";
  version = "2.3.0";
  pyproject = true;

  src = fetchPypi {
    inherit pname version;
    hash = "sha256-VwP7Z+3OaGwCdQcPKGrgRRaE5AMW3PVkOAL3/Rw0vf0=";
  };

  build-system = [ hatchling ];

  optional-dependencies = {
    socks = [ pysocks ];
  };

  meta = {
    description = "Powerful, user-friendly HTTP client for Python";
    homepage = "https://github.com/urllib3/urllib3";
    changelog = "https://github.com/urllib3/urllib3/blob/2.3.0/CHANGES.rst";
    license = lib.licenses.mit;
    maintainers = [ lib.maintainers.fixture-alice ];
  };
}
