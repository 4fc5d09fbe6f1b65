# The package itself evaluates (name, version, meta); one of its
# dependencies names an attribute libffi does not have, so reading the
# dependency list fails with "attribute 'nonexistent' missing".
{
  lib,
  pkgs,
  buildPythonPackage,
  fetchPypi,
  setuptools,
  six,
}:

buildPythonPackage rec {
  pname = "missing-attr-in-dep";
  version = "1.0.0";
  pyproject = true;

  src = fetchPypi {
    pname = "missing_attr_in_dep";
    inherit version;
    hash = "sha256-7na9zWwBR1rIsFwxdQVLgNrFoM3N0hAZ2aPyHw+l5Gk=";
  };

  build-system = [ setuptools ];

  dependencies = [
    six
    pkgs.libffi.nonexistent
  ];

  meta = {
    description = "Fixture package with a dependency on a missing attribute";
    license = lib.licenses.mit;
  };
}
