# The version says 3.0.2 but the source URL (and so the sdist) is 3.0.1.
{
  lib,
  buildPythonPackage,
  fetchurl,
  setuptools,
}:

buildPythonPackage {
  pname = "markupsafe";
  version = "3.0.2";
  pyproject = true;

  src = fetchurl {
    url = "mirror://pypi/m/markupsafe/markupsafe-3.0.1.tar.gz";
    hash = "sha256-YD4b7pl9AK8xYtohdWQFPWQOlU/7ymaSAWUTvY9VIls=";
  };

  build-system = [ setuptools ];

  meta = {
    description = "Implements a XML/HTML/XHTML Markup safe string";
    homepage = "https://palletsprojects.com/p/markupsafe/";
    license = lib.licenses.bsd3;
    maintainers = [ lib.maintainers.fixture-bob ];
  };
}
