{
  lib,
  buildPythonPackage,
  fetchPypi,
  setuptools,
}:

buildPythonPackage rec {
  pname = "charset-normalizer";
  version = "3.4.1";
  pyproject = true;

  src = fetchPypi {
    pname = "charset_normalizer";
    inherit version;
    hash = "sha256-ypXRFhwRk7cVgUU7D3Z4W3jcpnQ2tD0s0Q1aNRmTGlQ=";
  };

  build-system = [ setuptools ];

  meta = {
    description = "Python module for encoding and language detection";
    homepage = "https://charset-normalizer.readthedocs.io/";
    license = lib.licenses.mit;
    maintainers = [ lib.maintainers.fixture-alice ];
  };
}
