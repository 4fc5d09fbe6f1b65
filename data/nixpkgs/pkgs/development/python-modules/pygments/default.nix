{
  lib,
  buildPythonPackage,
  fetchPypi,
  hatchling,
}:

buildPythonPackage rec {
  pname = "pygments";
  version = "2.18.0";
  pyproject = true;

  src = fetchPypi {
    inherit pname version;
    hash = "sha256-M5mnng0OPkJyJpVR8CwCXI8hxFp9ygPxhwr3nDnapm8=";
  };

  build-system = [ hatchling ];

  meta = {
    description = "Generic syntax highlighter";
    homepage = "https://pygments.org/";
    license = lib.licenses.bsd2;
    maintainers = [ lib.maintainers.fixture-alice ];
  };
}
