{
  lib,
  buildPythonPackage,
  fetchPypi,
  flit-core,
}:

buildPythonPackage rec {
  pname = "typing-extensions";
  version = "4.12.2";
  pyproject = true;

  src = fetchPypi {
    pname = "typing_extensions";
    inherit version;
    hash = "sha256-BZG/Kk6MAF65vcYx+4mICNE93u7wurZyVOiOyHSctpg=";
  };

  build-system = [ flit-core ];

  meta = {
    description = "Backported and Experimental Type Hints for Python";
    homepage = "https://github.com/python/typing_extensions";
    license = lib.licenses.psfl;
    maintainers = [ lib.maintainers.fixture-alice ];
  };
}
