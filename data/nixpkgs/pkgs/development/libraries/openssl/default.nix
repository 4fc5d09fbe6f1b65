{
  lib,
  stdenv,
  fetchurl,
  perl ? null,
}:
stdenv.mkDerivation rec {
  pname = "openssl";
  version = "3.3.2";

  src = fetchurl {
    url = "https://www.openssl.org/source/openssl-${version}.tar.gz";
    hash = "sha256-hrr2Ft4yPLXQWg1YAfy4TkUhXXrZxaNbgCKhe19LCzo=";
  };

  meta = {
    description = "Cryptographic library that implements the SSL and TLS protocols";
    homepage = "https://www.openssl.org/";
    license = lib.licenses.asl20;
    platforms = lib.platforms.all;
  };
}
