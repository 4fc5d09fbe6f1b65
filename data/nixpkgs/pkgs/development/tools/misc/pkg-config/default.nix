{
  lib,
  stdenv,
  fetchurl,
}:
stdenv.mkDerivation rec {
  pname = "pkg-config";
  version = "0.29.2";

  src = fetchurl {
    url = "https://pkg-config.freedesktop.org/releases/pkg-config-${version}.tar.gz";
    hash = "sha256-UGsfi6bzCr7WztHnmNrzl4NToH6CGnkuUS/pHfKqb9A=";
  };

  meta = {
    description = "Tool that allows packages to find out information about other packages";
    homepage = "http://pkg-config.freedesktop.org/wiki/";
    license = lib.licenses.gpl2Plus;
    platforms = lib.platforms.all;
  };
}
