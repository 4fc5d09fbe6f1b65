# The source URL's directory is the file's name, not its project (as nixpkgs
# had it in 2018): PyPI answers 404, the build works only from a cache.
{
  lib,
  buildPythonPackage,
  fetchurl,
  setuptools,
}:

buildPythonPackage rec {
  pname = "pyinotify";
  version = "0.9.6";
  pyproject = true;

  src = fetchurl {
    url = "mirror://pypi/p/${pname}-${version}/${pname}-${version}.tar.gz";
    hash = "sha256-LBV9ruSCvn6Lxmh6iQwCbTAYcok51i2XYRHJ827nsfE=";
  };

  build-system = [ setuptools ];

  meta = {
    description = "Linux filesystem events monitoring";
    homepage = "https://github.com/seb-m/pyinotify";
    license = lib.licenses.mit;
    maintainers = [ lib.maintainers.fixture-alice ];
  };
}
