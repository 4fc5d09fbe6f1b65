{
  lib,
  buildPythonPackage,
  fetchPypi,
  setuptools,
  setuptools-scm,
  requests,
  typing-extensions,
  urllib3,
}:

buildPythonPackage rec {
  pname = "pygithub";
  version = "2.5.0";
  pyproject = true;

  src = fetchPypi {
    pname = "PyGithub";
    inherit version;
    hash = "sha256-rsbX9xvBzhp7JhdiEhX741NH2vdmzqgl0ZCh2IY6WAs=";
  };

  build-system = [ setuptools setuptools-scm ];

  dependencies = [
    requests
    typing-extensions
    urllib3
  ];

  meta = {
    description = "Python library to access the GitHub API v3";
    homepage = "https://github.com/PyGithub/PyGithub";
    license = lib.licenses.lgpl3Plus;
    maintainers = [ lib.maintainers.fixture-alice ];
  };
}
