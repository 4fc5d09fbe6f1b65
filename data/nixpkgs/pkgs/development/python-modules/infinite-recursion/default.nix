# The version is defined in terms of itself: Nix reports "infinite
# recursion encountered", which tryEval cannot catch.
{
  lib,
  buildPythonPackage,
  fetchPypi,
  setuptools,
}:

buildPythonPackage rec {
  pname = "infinite-recursion";
  version =
    let
      v = v;
    in
    v;
  pyproject = true;

  src = fetchPypi {
    pname = "infinite_recursion";
    version = "1.0.0";
    hash = "sha256-wOhGJ4+99u1GiGCZ5l86U2wLFb8tVyNCrEVKiXGDMqo=";
  };

  build-system = [ setuptools ];

  meta = {
    description = "Fixture package whose version is an infinite recursion";
    license = lib.licenses.mit;
  };
}
