{
  lib,
  buildPythonPackage,
  fetchPypi,
  flit-core,
}:

buildPythonPackage rec {
  pname = "mdurl";
  version = "0.1.2";
  pyproject = true;

  src = fetchPypi {
    inherit pname version;
    hash = "sha256-QBAhy6hw+MBMpdz9UDBbr78wB5oYVY2M29ehiAQDb9E=";
  };

  build-system = [ flit-core ];

  meta = {
    description = "URL utilities for markdown-it";
    homepage = "https://github.com/executablebooks/mdurl";
    license = lib.licenses.mit;
    maintainers = [ lib.maintainers.fixture-alice ];
  };
}
