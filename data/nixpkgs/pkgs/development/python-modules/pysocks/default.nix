{
  lib,
  buildPythonPackage,
  fetchPypi,
  setuptools,
}:

buildPythonPackage rec {
  pname = "pysocks";
  version = "1.7.1";
  pyproject = true;

  src = fetchPypi {
    pname = "PySocks";
    inherit version;
    hash = "sha256-Denc+r0UqoeRHoomz/882kEAzDY2Yze1pGvm6g+hj5E=";
  };

  build-system = [ setuptools ];

  meta = {
    description = "SOCKS module for Python";
    homepage = "https://github.com/Anorov/PySocks";
    license = lib.licenses.bsd3;
    maintainers = [ lib.maintainers.fixture-alice ];
  };
}
