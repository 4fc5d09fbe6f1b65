# The GNU Fortran compiler (a wrapper around gcc's gfortran in nixpkgs).
{
  lib,
  stdenv,
  fetchurl,
}:
stdenv.mkDerivation rec {
  pname = "gfortran";
  version = "13.3.0";

  src = fetchurl {
    url = "mirror://gnu/gcc/gcc-${version}/gcc-${version}.tar.xz";
    hash = "sha256-uAk/NQEXYiyRbrvFbfgzzsYAotR+Z1EAVAIMdYIPCns=";
  };

  passthru = {
    langFortran = true;
  };

  meta = {
    description = "GNU Compiler Collection, version ${version}, with Fortran support";
    homepage = "https://gcc.gnu.org/";
    license = lib.licenses.gpl3Plus;
    platforms = lib.platforms.unix;
  };
}
