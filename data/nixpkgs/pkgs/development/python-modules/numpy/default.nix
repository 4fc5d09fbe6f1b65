{
  lib,
  buildPythonPackage,
  fetchPypi,
  cython,
  blas,
  lapack,
  gfortran,
  pytestCheckHook,
}:

assert !blas.isILP64 && !lapack.isILP64;
buildPythonPackage rec {
  pname = "numpy";
  version = "2.2.1";
  pyproject = true;

  src = fetchPypi {
    inherit pname version;
    hash = "sha256-jgy8TFxH14u+CTxC3HpnslXgncZ2QiG6TDL/bIQGkgc=";
  };

  build-system = [ cython ];

  nativeBuildInputs = [ gfortran ];

  buildInputs = [
    blas
    lapack
  ];

  nativeCheckInputs = [ pytestCheckHook ];

  meta = {
    description = "Scientific tools for Python";
    homepage = "https://numpy.org/";
    changelog = "https://github.com/numpy/numpy/releases/tag/v2.2.1";
    license = lib.licenses.bsd3;
    maintainers = [ lib.maintainers.fixture-alice ];
  };
}
