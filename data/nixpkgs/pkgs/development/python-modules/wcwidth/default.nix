# A wheel fetched through mirror://pypi, which is PyPI's source/ directory:
# PyPI files wheels under their Python tag (py2.py3), so it answers 404.
{
  lib,
  buildPythonPackage,
  fetchurl,
}:

buildPythonPackage rec {
  pname = "wcwidth";
  version = "0.2.13";
  format = "wheel";

  src = fetchurl {
    url = "mirror://pypi/w/wcwidth/wcwidth-${version}-py2.py3-none-any.whl";
    hash = "sha256-O9KyN1WIpqMzsWqA+XhjZacUebupKlXniUCMtm3SJ4g=";
  };

  meta = {
    description = "Measures the displayed width of unicode strings in a terminal";
    homepage = "https://github.com/jquast/wcwidth";
    license = lib.licenses.mit;
    maintainers = [ lib.maintainers.fixture-alice ];
  };
}
