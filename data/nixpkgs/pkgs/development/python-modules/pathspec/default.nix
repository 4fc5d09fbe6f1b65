{
  lib,
  buildPythonPackage,
  fetchPypi,
  flit-core,
}:

buildPythonPackage rec {
  pname = "pathspec";
  version = "0.12.1";
  pyproject = true;

  src = fetchPypi {
    inherit pname version;
    hash = "sha256-zDuHOUT4j2sRnmqwdQAgB0JQHSIFLsDlr0/8JpGUeXc=";
  };

  build-system = [ flit-core ];

  meta = {
    description = "Utility library for gitignore-style pattern matching of file paths";
    homepage = "https://github.com/cpburnz/python-pathspec";
    license = lib.licenses.mpl20;
    maintainers = [ lib.maintainers.fixture-alice ];
  };
}
