# Dependency of build (pyproject_hooks on PyPI), a bootstrap package.
{
  lib,
  buildPythonPackage,
  fetchPypi,
  flit-core,
}:

buildPythonPackage (finalAttrs: {
  pname = "pyproject-hooks";
  version = "1.2.0";
  pyproject = true;

  src = fetchPypi {
    pname = "pyproject_hooks";
    inherit (finalAttrs) version;
    hash = "sha256-HoWb1cQPrpRIZC3Yca30WeXiCEGG6NLCp5qCTJcNofg=";
  };

  build-system = [ flit-core ];

  meta = {
    description = "Low-level library for calling build-backends in `pyproject.toml`-based project";
    homepage = "https://github.com/pypa/pyproject-hooks";
    license = lib.licenses.mit;
    teams = [ lib.teams.fixture-python ];
  };
})
