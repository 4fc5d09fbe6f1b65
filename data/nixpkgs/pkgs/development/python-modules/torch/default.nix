# PyTorch from its GitHub repository (pytorch/pytorch); the PyPI project is
# "torch". Alias: pytorch.
{
  lib,
  buildPythonPackage,
  fetchFromGitHub,
  setuptools,
  cmake,
  blas,
  typing-extensions,
  numpy,
}:

buildPythonPackage rec {
  pname = "torch";
  version = "2.5.1";
  pyproject = true;

  src = fetchFromGitHub {
    owner = "pytorch";
    repo = "pytorch";
    tag = "v${version}";
    hash = "sha256-y7FlELa74lmGoSyvPKHgqmyPLcYwgOuW+AYs62c7p9s=";
  };

  build-system = [ setuptools ];

  nativeBuildInputs = [ cmake ];

  buildInputs = [ blas ];

  dependencies = [
    numpy
    typing-extensions
  ];

  meta = {
    description = "PyTorch: Tensors and Dynamic neural networks in Python with strong GPU acceleration";
    homepage = "https://pytorch.org/";
    changelog = "https://github.com/pytorch/pytorch/releases/tag/v${version}";
    license = lib.licenses.bsd3;
    maintainers = [ lib.maintainers.fixture-carol ];
  };
}
