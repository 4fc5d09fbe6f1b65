{
  lib,
  buildPythonPackage,
  fetchPypi,
  setuptools,
  certifi,
  charset-normalizer,
  idna,
  urllib3,
  pysocks,
  pytestCheckHook,
  pytest-mock,
}:

buildPythonPackage rec {
  pname = "requests";
  version = "2.32.3";
  pyproject = true;

  src = fetchPypi {
    inherit pname version;
    hash = "sha256-kP93H91D4iEsyiXIdMH1SGNyPu1L6ld3hn8ZMaXf9f8=";
  };

  build-system = [ setuptools ];

  dependencies = [
    certifi
    charset-normalizer
    idna
    urllib3
  ];

  optional-dependencies = {
    socks = [ pysocks ];
  };

  nativeCheckInputs = [
    pytestCheckHook
    pytest-mock
  ];

  pythonImportsCheck = [ "requests" ];

  meta = {
    description = "HTTP library for Python";
    homepage = "http://docs.python-requests.org/";
    changelog = "https://github.com/psf/requests/blob/v${version}/HISTORY.md";
    license = lib.licenses.asl20;
    maintainers = [ lib.maintainers.fixture-alice lib.maintainers.fixture-bob ];
  };
}
