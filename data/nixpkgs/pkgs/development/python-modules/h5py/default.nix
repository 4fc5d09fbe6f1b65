{
  lib,
  buildPythonPackage,
  fetchPypi,
  cython,
  setuptools,
  numpy,
  hdf5,
}:

buildPythonPackage rec {
  pname = "h5py";
  version = "3.12.1";
  pyproject = true;

  src = fetchPypi {
    inherit pname version;
    hash = "sha256-OK2XB4j819rchMk8QPpYkDBsU5AwHaLk6+dFMBCdHnE=";
  };

  build-system = [ cython setuptools ];

  dependencies = [
    numpy
  ];

  buildInputs = [ hdf5 ];

  env.HDF5_DIR = lib.getDev hdf5;

  passthru = {
    mpiSupport = hdf5.mpiSupport or false;
  };

  meta = {
    description = "Pythonic interface to the HDF5 binary data format";
    homepage = "https://www.h5py.org/";
    license = lib.licenses.bsd3;
    maintainers = [ lib.maintainers.fixture-alice ];
  };
}
