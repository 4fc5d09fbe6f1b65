{
  lib,
  stdenv,
  fetchFromGitHub,
}:
stdenv.mkDerivation rec {
  pname = "swig";
  version = "4.3.0";

  src = fetchFromGitHub {
    owner = "swig";
    repo = "swig";
    rev = "v${version}";
    hash = "sha256-DofxWlRUJJ48MN2GHT44pikgojejAlN9OJ0610rxVhc=";
  };

  meta = {
    description = "Interface compiler that connects C/C++ code to higher-level languages";
    homepage = "https://swig.org/";
    license = lib.licenses.gpl3Plus;
    platforms = lib.platforms.unix;
  };
}
