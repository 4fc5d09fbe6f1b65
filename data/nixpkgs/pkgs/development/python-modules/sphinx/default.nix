# Sphinx: what sphinxHook propagates. pythonRelaxDeps adds
# pythonRelaxDepsHook to the derivation (not to the declared inputs).
{
  lib,
  buildPythonPackage,
  fetchPypi,
  flit-core,
  docutils,
  jinja2,
  packaging,
  pygments,
  pytestCheckHook,
}:

buildPythonPackage (finalAttrs: {
  pname = "sphinx";
  version = "8.1.3";
  pyproject = true;

  src = fetchPypi {
    inherit (finalAttrs) pname version;
    hash = "sha256-Q6xz1cD8/HXRIiXwQ8PmQFeYk8eCQbBzpMlLF3XL/5c=";
  };

  build-system = [ flit-core ];

  pythonRelaxDeps = [ "docutils" ];

  dependencies = [
    docutils
    jinja2
    packaging
    pygments
  ];

  nativeCheckInputs = [ pytestCheckHook ];

  meta = {
    description = "Python documentation generator";
    homepage = "https://www.sphinx-doc.org";
    changelog = "https://www.sphinx-doc.org/en/master/changes.html";
    license = lib.licenses.bsd3;
    teams = [ lib.teams.fixture-python ];
    mainProgram = "sphinx-build";
  };
})
