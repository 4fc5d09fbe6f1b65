# Near miss for the URL rule: a lower-case initial for a capitalised project
# directory (Jinja2), and the file in its normalized spelling (jinja2-…): PyPI
# serves it.
{
  lib,
  buildPythonPackage,
  fetchurl,
  flit-core,
  markupsafe,
}:

buildPythonPackage rec {
  pname = "jinja2";
  version = "3.1.5";
  pyproject = true;

  src = fetchurl {
    url = "mirror://pypi/j/Jinja2/jinja2-${version}.tar.gz";
    hash = "sha256-w0qqPH8GX1iVXYplIsvjjUMBKwaMaP/1UsvAkKv1ujs=";
  };

  build-system = [ flit-core ];

  dependencies = [ markupsafe ];

  meta = {
    description = "Very fast and expressive template engine";
    homepage = "https://jinja.palletsprojects.com";
    license = lib.licenses.bsd3;
    maintainers = [ lib.maintainers.fixture-alice ];
  };
}
