{
  lib,
  buildPythonPackage,
  fetchPypi,
  setuptools,
  cffi,
  openssl,
  pkg-config,
  rustc,
  cargo,
}:

buildPythonPackage rec {
  pname = "cryptography";
  version = "44.0.0";
  pyproject = true;

  src = fetchPypi {
    inherit pname version;
    hash = "sha256-kWC5Mei6F0KNReRecz5A1rrwpLllVZV0NJhk6DpGSjY=";
  };

  build-system = [ setuptools ];

  dependencies = [
    cffi
  ];

  nativeBuildInputs = [
    pkg-config
    rustc
    cargo
  ];

  buildInputs = [ openssl ];

  meta = {
    description = "Package which provides cryptographic recipes and primitives";
    homepage = "https://github.com/pyca/cryptography";
    license = lib.licenses.asl20;
    maintainers = [ lib.maintainers.fixture-alice ];
  };
}
