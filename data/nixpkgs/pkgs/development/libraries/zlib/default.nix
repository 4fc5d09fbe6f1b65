{
  lib,
  stdenv,
  fetchurl,
}:
stdenv.mkDerivation rec {
  pname = "zlib";
  version = "1.3.1";

  src = fetchurl {
    urls = [
      "https://www.zlib.net/fossils/zlib-${version}.tar.gz"
      "https://github.com/madler/zlib/releases/download/v${version}/zlib-${version}.tar.gz"
    ];
    hash = "sha256-+eH67l4lGbuxHDypDcUg86a5sKZcgdFkRH11jJ3iH5E=";
  };

  meta = {
    description = "Lossless data-compression library";
    homepage = "https://zlib.net";
    license = lib.licenses.zlib;
    platforms = lib.platforms.all;
  };
}
