{
  lib,
  stdenv,
  fetchurl,
}:
stdenv.mkDerivation rec {
  pname = "libffi";
  version = "3.4.6";

  src = fetchurl {
    url = "https://github.com/libffi/libffi/releases/download/v${version}/libffi-${version}.tar.gz";
    hash = "sha256-ycg9I4DqbWn8kEmYsOkAeKBf1cHCU6aD120Am9KZNnE=";
  };

  meta = {
    description = "Foreign function call interface library";
    homepage = "http://sourceware.org/libffi/";
    license = lib.licenses.mit;
    platforms = lib.platforms.all;
  };
}
