{
  lib,
  buildPythonPackage,
  fetchPypi,
  flit-core,
}:

buildPythonPackage rec {
  pname = "docutils";
  version = "0.21.2";
  pyproject = true;

  src = fetchPypi {
    inherit pname version;
    hash = "sha256-OmsYcy7fGC2qPNEndbuzOM9WkUaPke7rEJ3v9uv6mG8=";
  };

  build-system = [ flit-core ];

  meta = {
    description = "Python Documentation Utilities";
    homepage = "https://docutils.sourceforge.io/";
    license = [
      lib.licenses.bsd2
      lib.licenses.psfl
      lib.licenses.gpl3Plus
    ];
    maintainers = [ lib.maintainers.fixture-carol ];
  };
}
