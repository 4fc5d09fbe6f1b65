{
  lib,
  buildPythonPackage,
  fetchPypi,
  cython,
  setuptools,
  libyaml,
}:

buildPythonPackage rec {
  pname = "pyyaml";
  version = "6.0.2";
  pyproject = true;

  src = fetchPypi {
    pname = "PyYAML";
    inherit version;
    hash = "sha256-tQP2MNS1hq27+s+78vS8A3hMzvL5HtB/ih3yTZ9S04M=";
  };

  build-system = [ cython setuptools ];

  buildInputs = [ libyaml ];

  meta = {
    description = "Next generation YAML parser and emitter for Python";
    homepage = "https://github.com/yaml/pyyaml";
    license = lib.licenses.mit;
    maintainers = [ lib.maintainers.fixture-alice ];
  };
}
