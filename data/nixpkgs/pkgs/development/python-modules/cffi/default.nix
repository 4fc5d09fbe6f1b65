{
  lib,
  buildPythonPackage,
  fetchPypi,
  setuptools,
  pycparser,
  libffi,
  pkg-config,
}:

buildPythonPackage rec {
  pname = "cffi";
  version = "1.17.1";
  pyproject = true;

  src = fetchPypi {
    inherit pname version;
    hash = "sha256-pLSDZM9D2N2nbRTUzSRPC/JZhn3hWsQcka9kJQsVBwc=";
  };

  build-system = [ setuptools ];

  dependencies = [
    pycparser
  ];

  nativeBuildInputs = [ pkg-config ];

  buildInputs = [ libffi ];

  meta = {
    description = "Foreign Function Interface for Python calling C code";
    homepage = "https://cffi.readthedocs.org/";
    license = lib.licenses.mit;
    maintainers = [ lib.maintainers.fixture-alice ];
  };
}
