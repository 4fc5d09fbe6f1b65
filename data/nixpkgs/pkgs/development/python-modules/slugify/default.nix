{
  lib,
  buildPythonPackage,
  fetchPypi,
  setuptools,
}:

buildPythonPackage rec {
  pname = "python-slugify";
  version = "8.0.4";
  pyproject = true;

  src = fetchPypi {
    pname = "python-slugify";
    inherit version;
    hash = "sha256-WXJn+YJX9cGkcUGBU2DLlX5Jf6ZAgL2mrLhd8bm1Wfg=";
  };

  build-system = [ setuptools ];

  meta = {
    description = "Slugify strings (a second expression for python-slugify)";
    homepage = "https://github.com/un33k/python-slugify";
    license = lib.licenses.mit;
    maintainers = [ lib.maintainers.fixture-bob ];
  };
}
