{
  lib,
  buildPythonPackage,
  fetchPypi,
  flit-core,
}:

buildPythonPackage rec {
  pname = "wheel";
  version = "0.45.1";
  pyproject = true;

  src = fetchPypi {
    inherit pname version;
    hash = "sha256-oWLKXeiT3KC8VHRzOv/zOnr5ot8ua9AS1rpZ6J8pou8=";
  };

  build-system = [ flit-core ];

  meta = {
    description = "Reference implementation of the Python wheel packaging standard";
    homepage = "https://github.com/pypa/wheel";
    license = lib.licenses.mit;
    maintainers = [ lib.maintainers.fixture-alice ];
  };
}
