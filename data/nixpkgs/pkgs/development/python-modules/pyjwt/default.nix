# Documentation built with sphinxHook (python3.13-sphinx-hook, a setup hook
# named with the interpreter's version but not a module) into a "doc" output.
{
  lib,
  buildPythonPackage,
  fetchPypi,
  setuptools,
  sphinxHook,
  cryptography,
  pytestCheckHook,
}:

buildPythonPackage rec {
  pname = "pyjwt";
  version = "2.10.1";
  pyproject = true;

  src = fetchPypi {
    inherit pname version;
    hash = "sha256-PE3BJ8JZu3cA6ImkjLLu4AP4ZSlnQvJnuB0H0RMaq/M=";
  };

  outputs = [
    "out"
    "doc"
  ];

  build-system = [ setuptools ];

  nativeBuildInputs = [ sphinxHook ];

  optional-dependencies = {
    crypto = [ cryptography ];
  };

  nativeCheckInputs = [ pytestCheckHook ] ++ lib.concatAttrValues optional-dependencies;

  pythonImportsCheck = [ "jwt" ];

  meta = {
    description = "JSON Web Token implementation in Python";
    homepage = "https://github.com/jpadilla/pyjwt";
    changelog = "https://github.com/jpadilla/pyjwt/blob/${version}/CHANGELOG.rst";
    license = lib.licenses.mit;
    maintainers = [ lib.maintainers.fixture-alice ];
  };
}
