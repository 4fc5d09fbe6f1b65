{
  lib,
  stdenv,
  fetchurl,
}:
stdenv.mkDerivation rec {
  pname = "rustc";
  version = "1.83.0";

  src = fetchurl {
    url = "https://static.rust-lang.org/dist/rustc-${version}-src.tar.gz";
    hash = "sha256-MzcMD4eLiFNIeX7x9f35YMuzy41j1TzblkdAIB3D7wc=";
  };

  meta = {
    description = "Safe, concurrent, practical language";
    homepage = "https://www.rust-lang.org/";
    license = [
      lib.licenses.mit
      lib.licenses.asl20
    ];
    platforms = lib.platforms.unix;
  };
}
