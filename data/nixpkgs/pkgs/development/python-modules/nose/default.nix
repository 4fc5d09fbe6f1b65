{
  lib,
  buildPythonPackage,
  fetchPypi,
  setuptools,
  pythonAtLeast,
}:

buildPythonPackage rec {
  pname = "nose";
  version = "1.3.7";
  format = "setuptools";

  src = fetchPypi {
    inherit pname version;
    hash = "sha256-qWShAX6aYN28IZPUIgCx/UFWjGloNjJC/vZibzDaPPo=";
  };

  build-system = [ setuptools ];

  # nose uses modules that Python 3.13 no longer ships.
  disabled = pythonAtLeast "3.13";

  meta = {
    description = "Unittest-based testing framework for Python that makes writing and running tests easier";
    homepage = "https://nose.readthedocs.io/";
    license = lib.licenses.lgpl21Plus;
    maintainers = [ lib.maintainers.fixture-alice ];
  };
}
