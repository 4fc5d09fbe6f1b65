{
  lib,
  buildPythonPackage,
  fetchPypi,
  setuptools,
  cython,
}:

buildPythonPackage rec {
  # The project was renamed from msgpack-python to msgpack on PyPI; the pname
  # kept the old name while the source follows the new one.
  pname = "msgpack-python";
  version = "1.1.0";
  pyproject = true;

  src = fetchPypi {
    pname = "msgpack";
    inherit version;
    hash = "sha256-3aTh0CdnPGTlBjGxNyUr7DofyMhrl4TH5pd6Oqtb3Ic=";
  };

  build-system = [
    setuptools
    cython
  ];

  meta = {
    description = "MessagePack serializer";
    homepage = "https://msgpack.org/";
    license = lib.licenses.asl20;
    maintainers = [ lib.maintainers.fixture-alice ];
  };
}
