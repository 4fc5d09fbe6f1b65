# An application: buildPythonApplication, so pythonModule = false and the
# name has no interpreter prefix. Source: GitHub httpie/cli.
{
  lib,
  buildPythonApplication,
  fetchFromGitHub,
  setuptools,
  charset-normalizer,
  pygments,
  requests,
  rich,
  pytestCheckHook,
}:

buildPythonApplication rec {
  pname = "httpie";
  version = "3.2.4";
  pyproject = true;

  src = fetchFromGitHub {
    owner = "httpie";
    repo = "cli";
    rev = "refs/tags/${version}";
    hash = "sha256-Z/4jnd0cDOpR2mKbkM6+QlY2HUDd7/k+cHqfsb2QcqA=";
  };

  build-system = [ setuptools ];

  dependencies = [
    charset-normalizer
    pygments
    requests
    rich
    setuptools
  ];

  nativeCheckInputs = [ pytestCheckHook ];

  meta = {
    description = "Command line HTTP client whose goal is to make CLI human-friendly";
    homepage = "https://httpie.org/";
    license = lib.licenses.bsd3;
    mainProgram = "http";
    maintainers = [ lib.maintainers.fixture-alice ];
  };
}
