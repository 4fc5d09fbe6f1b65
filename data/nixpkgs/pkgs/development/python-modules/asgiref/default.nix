{
  lib,
  buildPythonPackage,
  fetchPypi,
  setuptools,
  typing-extensions,
}:

buildPythonPackage rec {
  pname = "asgiref";
  version = "3.8.1";
  pyproject = true;

  src = fetchPypi {
    inherit pname version;
    hash = "sha256-dCaTEEoRWrQjfvqcn4jSbcpL8JkIR/f+59G3sfgsv+s=";
  };

  build-system = [ setuptools ];

  dependencies = [
    typing-extensions
  ];

  meta = {
    description = "Reference ASGI adapters and channel layers";
    homepage = "https://github.com/django/asgiref";
    license = lib.licenses.bsd3;
    maintainers = [ lib.maintainers.fixture-alice ];
  };
}
