# Source fetched with fetchurl from a files.pythonhosted.org hash path: no
# fetchPypi, hence no purl.
{
  lib,
  buildPythonPackage,
  fetchurl,
  hatchling,
}:

buildPythonPackage rec {
  pname = "attrs";
  version = "24.3.0";
  pyproject = true;

  src = fetchurl {
    url = "https://files.pythonhosted.org/packages/fc/30/d4986a882011f9df997a55e6becd864812ccfcd821d64aac8570ee39f719/attrs-${version}.tar.gz";
    hash = "sha256-m7inMraWdkkiicpjcFLy/mw3u2CMriRganK4R37VJIk=";
  };

  build-system = [ hatchling ];

  meta = {
    description = "Python attributes without boilerplate";
    homepage = "https://github.com/python-attrs/attrs";
    license = lib.licenses.mit;
    maintainers = [ lib.maintainers.fixture-alice ];
  };
}
