{
  lib,
  stdenv,
  fetchFromGitHub,
  cmake,
}:
stdenv.mkDerivation rec {
  pname = "zeromq";
  version = "4.3.5";

  src = fetchFromGitHub {
    owner = "zeromq";
    repo = "libzmq";
    rev = "v${version}";
    hash = "sha256-wrujgwsdmzNzT79oKgN7BjidKEqakQer+CFaBG51bmg=";
  };

  nativeBuildInputs = [ cmake ];

  meta = {
    description = "Intelligent Transport Layer";
    homepage = "http://www.zeromq.org";
    license = lib.licenses.mpl20;
    platforms = lib.platforms.all;
  };
}
