# Marked broken: name, version and meta are readable, drvPath is not.
{
  lib,
  buildPythonPackage,
  fetchurl,
  cmake,
  setuptools,
}:

buildPythonPackage rec {
  pname = "pyside2";
  version = "5.15.11";
  format = "other";

  src = fetchurl {
    url = "https://download.qt.io/official_releases/QtForPython/pyside2/PySide2-${version}-src/pyside-setup-opensource-src-${version}.tar.xz";
    hash = "sha256-IUn8bdUS5FImuwYAgNUAulb6KUYQ6R+DmNNBY2Blt+I=";
  };

  nativeBuildInputs = [
    cmake
    setuptools
  ];

  meta = {
    description = "LGPL-licensed Python bindings for Qt";
    homepage = "https://wiki.qt.io/Qt_for_Python";
    license = lib.licenses.lgpl3Plus;
    broken = true;
    maintainers = [ lib.maintainers.fixture-bob ];
  };
}
