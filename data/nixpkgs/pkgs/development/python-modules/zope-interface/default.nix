{
  lib,
  buildPythonPackage,
  fetchPypi,
  setuptools,
}:

buildPythonPackage rec {
  pname = "zope-interface";
  version = "7.2";
  pyproject = true;

  src = fetchPypi {
    pname = "zope.interface";
    inherit version;
    hash = "sha256-mHZp9PxYrmI5+tzNnSX5HdnK9NrCtsNPp05OmAQevao=";
  };

  build-system = [ setuptools ];

  meta = {
    description = "Zope.Interface";
    homepage = "https://github.com/zopefoundation/zope.interface";
    license = lib.licenses.zpl21;
    maintainers = [ lib.maintainers.fixture-alice ];
  };
}
