# A Python application in pkgs/by-name, as nixpkgs wants new applications:
# a top-level package built with python3Packages.buildPythonApplication in the
# finalAttrs form. python-packages.nix makes it a module of each set with
# `toPythonModule (pkgs.legit.override { python3Packages = self; })`.
{
  lib,
  fetchPypi,
  python3Packages,
  writableTmpDirAsHomeHook,
}:

python3Packages.buildPythonApplication (finalAttrs: {
  pname = "legit";
  version = "1.2.0.post0";
  pyproject = true;

  src = fetchPypi {
    inherit (finalAttrs) pname version;
    hash = "sha256-lJOWtoApqK9AWrIMkBkCNB72vVXH/sbatxFB1j1AaxE=";
  };

  build-system = with python3Packages; [ setuptools ];

  dependencies = with python3Packages; [
    GitPython
    six
  ];

  nativeCheckInputs = [ writableTmpDirAsHomeHook ];

  pythonImportsCheck = [ "legit" ];

  meta = {
    description = "Git for Humans, Inspired by GitHub for Mac";
    homepage = "https://github.com/frostming/legit";
    license = lib.licenses.bsd3;
    maintainers = [ lib.maintainers.fixture-bob ];
    mainProgram = "legit";
  };
})
