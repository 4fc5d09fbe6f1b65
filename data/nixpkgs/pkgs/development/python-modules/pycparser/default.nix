{
  lib,
  buildPythonPackage,
  fetchPypi,
  setuptools,
}:

buildPythonPackage rec {
  pname = "pycparser";
  version = "2.22";
  pyproject = true;

  src = fetchPypi {
    inherit pname version;
    hash = "sha256-JMl9kufWdXe+5wnLpmsgxi4Vj1k+V4RqcmVOUL1Qk8E=";
  };

  build-system = [ setuptools ];

  meta = {
    description = "C parser in Python";
    homepage = "https://github.com/eliben/pycparser";
    license = lib.licenses.bsd3;
    maintainers = [ lib.maintainers.fixture-alice ];
  };
}
