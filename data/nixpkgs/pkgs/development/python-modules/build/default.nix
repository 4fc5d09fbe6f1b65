# pypa build: what pypaBuildHook runs. A bootstrap package: its own build
# uses the pypa hooks without their Python inputs.
{
  lib,
  buildPythonPackage,
  fetchPypi,
  flit-core,
  packaging,
  pyproject-hooks,
}:

buildPythonPackage (finalAttrs: {
  pname = "build";
  version = "1.2.2.post1";
  pyproject = true;

  src = fetchPypi {
    inherit (finalAttrs) pname version;
    hash = "sha256-tMDJ0ac2vT4sgnN3PMQgJ6qAcNxgT5ORWAyAQg08cFc=";
  };

  build-system = [ flit-core ];

  dependencies = [
    packaging
    pyproject-hooks
  ];

  meta = {
    description = "Simple, correct PEP 517 build frontend";
    homepage = "https://github.com/pypa/build";
    license = lib.licenses.mit;
    teams = [ lib.teams.fixture-python ];
    mainProgram = "pyproject-build";
  };
})
