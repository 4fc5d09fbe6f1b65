{
  lib,
  buildPythonPackage,
  fetchPypi,
  flit-core,
}:

buildPythonPackage rec {
  pname = "idna";
  version = "3.10";
  pyproject = true;

  src = fetchPypi {
    inherit pname version;
    hash = "sha256-92XmbeOvNAidhFXPcYhUUn5kcgp1KfivcLkpBxq1m/Q=";
  };

  build-system = [ flit-core ];

  meta = {
    description = "Internationalized Domain Names in Applications (IDNA)";
    homepage = "https://github.com/kjd/idna";
    license = lib.licenses.bsd3;
    maintainers = [ lib.maintainers.fixture-alice ];
  };
}
