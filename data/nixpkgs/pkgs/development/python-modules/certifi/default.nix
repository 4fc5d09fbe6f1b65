{
  lib,
  buildPythonPackage,
  fetchPypi,
  setuptools,
}:

buildPythonPackage rec {
  pname = "certifi";
  version = "2024.12.14";
  pyproject = true;

  src = fetchPypi {
    inherit pname version;
    hash = "sha256-4mamN4mnhTZnh5RNrNFGvrunUaGTocGRCDvRQgdGXxE=";
  };

  build-system = [ setuptools ];

  meta = {
    description = "Python package for providing Mozilla's CA Bundle";
    homepage = "https://github.com/certifi/python-certifi";
    license = lib.licenses.isc;
    maintainers = [ lib.maintainers.fixture-alice ];
  };
}
