{
  lib,
  stdenv,
  fetchurl,
}:
stdenv.mkDerivation rec {
  pname = "cmake";
  version = "3.30.5";

  src = fetchurl {
    url = "https://cmake.org/files/v${lib.versions.majorMinor version}/cmake-${version}.tar.gz";
    hash = "sha256-WaCaxtCXkvOVeJWG2FLGrRZMuVACzaSHg2yfNpk3Eu0=";
  };

  meta = {
    description = "Cross-platform, open-source build system generator";
    homepage = "https://cmake.org/";
    license = lib.licenses.bsd3;
    platforms = lib.platforms.all;
  };
}
