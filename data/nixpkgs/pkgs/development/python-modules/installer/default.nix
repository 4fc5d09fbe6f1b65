# installer: what pypaInstallHook runs (a bootstrap package).
{
  lib,
  buildPythonPackage,
  fetchPypi,
  flit-core,
}:

buildPythonPackage (finalAttrs: {
  pname = "installer";
  version = "0.7.0";
  pyproject = true;

  src = fetchPypi {
    inherit (finalAttrs) pname version;
    hash = "sha256-pHWcfyD6ijl7emurEdrTBWYIR8NRc6xb5SHD4CSvE3E=";
  };

  build-system = [ flit-core ];

  meta = {
    description = "Low-level library for installing a Python package from a wheel distribution";
    homepage = "https://github.com/pypa/installer";
    license = lib.licenses.mit;
    teams = [ lib.teams.fixture-python ];
  };
})
