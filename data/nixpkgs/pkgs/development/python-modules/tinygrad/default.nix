# A snapshot of a GitHub commit with a non-PEP 440 version.
{
  lib,
  buildPythonPackage,
  fetchFromGitHub,
  setuptools,
  numpy,
}:

buildPythonPackage {
  pname = "tinygrad";
  version = "unstable-2024-01-01";
  pyproject = true;

  src = fetchFromGitHub {
    owner = "tinygrad";
    repo = "tinygrad";
    rev = "2b4c3f1e9d8a7065b3c2d1e0f9a8b7c6d5e4f3a2";
    hash = "sha256-VeyVgs05O9jkJpTNfMtD1c7CKgl4EpuS6GwsmmJ7T5w=";
  };

  build-system = [ setuptools ];

  dependencies = [ numpy ];

  meta = {
    description = "Simple and powerful neural network framework";
    homepage = "https://github.com/tinygrad/tinygrad";
    license = lib.licenses.mit;
    maintainers = [ lib.maintainers.fixture-carol ];
  };
}
