# Evaluating the version calls `abort`: an error tryEval cannot catch.
{
  lib,
  buildPythonPackage,
  fetchPypi,
  setuptools,
}:

buildPythonPackage rec {
  pname = "abort-on-eval";
  version = abort "abort-on-eval: this fixture package aborts the evaluation on purpose";
  pyproject = true;

  src = fetchPypi {
    pname = "abort_on_eval";
    version = "1.0.0";
    hash = "sha256-WHvzaXXB09gGQnEBpy9OHGS7WvIi+96ABnslz0EIjCY=";
  };

  build-system = [ setuptools ];

  meta = {
    description = "Fixture package whose evaluation aborts";
    license = lib.licenses.mit;
  };
}
