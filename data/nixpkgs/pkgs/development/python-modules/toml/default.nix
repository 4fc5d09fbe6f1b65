# The source URL's initial (T) is neither the first letter of the project's
# directory (toml) nor its lower case: PyPI answers 404.
{
  lib,
  buildPythonPackage,
  fetchurl,
  setuptools,
}:

buildPythonPackage rec {
  pname = "toml";
  version = "0.10.2";
  pyproject = true;

  src = fetchurl {
    url = "mirror://pypi/T/toml/toml-${version}.tar.gz";
    hash = "sha256-vwqQIhWVD5UeH9bPIzmPDeedJ7d5Y3xeKfJMi5MOYwA=";
  };

  build-system = [ setuptools ];

  meta = {
    description = "Python Library for Tom's Obvious, Minimal Language";
    homepage = "https://github.com/uiri/toml";
    license = lib.licenses.mit;
    maintainers = [ lib.maintainers.fixture-bob ];
  };
}
