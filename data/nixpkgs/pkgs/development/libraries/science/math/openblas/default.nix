{
  lib,
  stdenv,
  fetchFromGitHub,
  gfortran,
}:
stdenv.mkDerivation rec {
  pname = "openblas";
  version = "0.3.28";

  src = fetchFromGitHub {
    owner = "OpenMathLib";
    repo = "OpenBLAS";
    rev = "v${version}";
    hash = "sha256-91mmzkuAVJCyLnQzyPi/4N+skGP4mnqETcMVmxxUxoU=";
  };

  nativeBuildInputs = [ gfortran ];

  meta = {
    description = "Basic Linear Algebra Subprograms";
    homepage = "https://github.com/OpenMathLib/OpenBLAS";
    license = lib.licenses.bsd3;
    platforms = lib.platforms.unix;
  };
}
