# The source URL leaves out the initial: mirror://pypi takes
# <initial>/<project>/<file>, so PyPI answers 404.
{
  lib,
  buildPythonPackage,
  fetchurl,
  setuptools,
}:

buildPythonPackage rec {
  pname = "docopt";
  version = "0.6.2";
  pyproject = true;

  src = fetchurl {
    url = "mirror://pypi/docopt/docopt-${version}.tar.gz";
    hash = "sha256-79zQqc2S3k4buHZEAAuHEP1MAo1cvIeSruZOmV1oWy0=";
  };

  build-system = [ setuptools ];

  meta = {
    description = "Pythonic argument parser, that will make you smile";
    homepage = "http://docopt.org/";
    license = lib.licenses.mit;
    maintainers = [ lib.maintainers.fixture-bob ];
  };
}
