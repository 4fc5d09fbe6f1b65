{
  lib,
  buildPythonPackage,
  fetchPypi,
  cython,
  setuptools,
  zeromq,
}:

buildPythonPackage rec {
  pname = "pyzmq";
  version = "26.2.0";
  pyproject = true;

  src = fetchPypi {
    inherit pname version;
    hash = "sha256-QuOehNDuk8lMWYD9SwlVd4ExpfO9lYQz4L9KErkjK78=";
  };

  build-system = [ cython setuptools ];

  buildInputs = [ zeromq ];

  meta = {
    description = "Python bindings for ZeroMQ";
    homepage = "https://pyzmq.readthedocs.io/";
    license = lib.licenses.bsd3;
    maintainers = [ lib.maintainers.fixture-alice ];
  };
}
