# HDF5; `mpiSupport = true` gives the parallel build (attribute hdf5-mpi).
{
  lib,
  stdenv,
  fetchurl,
  zlib,
  mpiSupport ? false,
  mpi ? null,
}:
stdenv.mkDerivation rec {
  pname = "hdf5" + lib.optionalString mpiSupport "-mpi";
  version = "1.14.5";

  src = fetchurl {
    url = "https://support.hdfgroup.org/releases/hdf5/v1_14/v1_14_5/downloads/hdf5-${version}.tar.gz";
    hash = "sha256-feE+HWgh4ppSgUU4An8yojrwfw5WVMJwxfcOervxpxI=";
  };

  buildInputs = [ zlib ];
  propagatedBuildInputs = lib.optional mpiSupport mpi;

  passthru = {
    inherit mpiSupport mpi;
  };

  meta = {
    description = "Data model, library, and file format for storing and managing data";
    homepage = "https://www.hdfgroup.org/HDF5/";
    license = lib.licenses.bsd3;
    platforms = lib.platforms.unix;
  };
}
