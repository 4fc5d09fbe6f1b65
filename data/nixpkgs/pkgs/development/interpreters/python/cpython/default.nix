# Generic CPython 3 expression, shared by every python3XY attribute.
{
  lib,
  stdenv,
  fetchurl,
  openssl,
  libffi,
  zlib,
  pkgs,
  sourceVersion,
  hash,
  passthruFun,
  # The top-level attribute this interpreter lives at; its package set refers
  # to the interpreter through it.
  pythonAttr,
  self ? pkgs.${pythonAttr},
  packageOverrides ? (_: _: { }),
}:
let
  pythonVersion = "${sourceVersion.major}.${sourceVersion.minor}";
  version = "${pythonVersion}.${sourceVersion.patch}";
  libPrefix = "python${pythonVersion}";
in
stdenv.mkDerivation {
  pname = "python3";
  inherit version;

  src = fetchurl {
    url = "https://www.python.org/ftp/python/${version}/Python-${version}.tar.xz";
    inherit hash;
  };

  buildInputs = [
    openssl
    libffi
    zlib
  ];

  passthru = passthruFun {
    inherit
      self
      pythonAttr
      sourceVersion
      pythonVersion
      libPrefix
      packageOverrides
      ;
    implementation = "cpython";
    executable = libPrefix;
    sitePackages = "lib/${libPrefix}/site-packages";
  };

  meta = {
    description = "High-level dynamically-typed programming language";
    homepage = "https://www.python.org";
    license = lib.licenses.psfl;
    platforms = lib.platforms.linux ++ lib.platforms.darwin;
    mainProgram = "python3";
  };
}
