{
  lib,
  stdenv,
  fetchurl,
}:
stdenv.mkDerivation rec {
  pname = "openmpi";
  version = "5.0.6";

  src = fetchurl {
    url = "https://www.open-mpi.org/software/ompi/v${lib.versions.majorMinor version}/downloads/openmpi-${version}.tar.bz2";
    hash = "sha256-NOKqTiTWPX3eMprJSF7AtApjBJpOEPOuXiQieqTvawE=";
  };

  meta = {
    description = "Open source MPI-3 implementation";
    homepage = "https://www.open-mpi.org/";
    license = lib.licenses.bsd3;
    platforms = lib.platforms.unix;
  };
}
