# lapack: the LAPACK interface, provided by openblas.
{
  lib,
  stdenv,
  openblas,
}:
stdenv.mkDerivation {
  pname = "lapack";
  version = "3";
  propagatedBuildInputs = [ openblas ];
  passthru = {
    implementation = "openblas";
    provider = openblas;
    # 64-bit integer indices (ILP64); numpy asserts it is off.
    isILP64 = false;
  };
  meta = {
    description = "Virtual package for the LAPACK interface";
    license = lib.licenses.bsd3;
    platforms = lib.platforms.unix;
  };
}
