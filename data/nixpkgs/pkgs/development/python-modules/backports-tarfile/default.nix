# Near miss for the URL rule: the directory spells the project with a dot
# (backports.tarfile), the file with an underscore: one project, PyPI serves it.
{
  lib,
  buildPythonPackage,
  fetchurl,
  setuptools,
}:

buildPythonPackage rec {
  pname = "backports-tarfile";
  version = "1.2.0";
  pyproject = true;

  src = fetchurl {
    url = "mirror://pypi/b/backports.tarfile/backports_tarfile-${version}.tar.gz";
    hash = "sha256-W+GGaZ3pkjETID7SgO9czWTadOOMOvu89+5XLUKtBoc=";
  };

  build-system = [ setuptools ];

  meta = {
    description = "Backport of CPython tarfile module";
    homepage = "https://github.com/jaraco/backports.tarfile";
    license = lib.licenses.mit;
    maintainers = [ lib.maintainers.fixture-bob ];
  };
}
