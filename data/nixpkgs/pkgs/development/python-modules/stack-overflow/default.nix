# The version is built by a non-tail recursion a million calls deep: the
# evaluator's stack overflows and nix exits. Nothing can catch this.
{
  lib,
  buildPythonPackage,
  fetchPypi,
  setuptools,
}:

let
  deep = n: if n == 0 then "0" else "1" + deep (n - 1);
in
buildPythonPackage rec {
  pname = "stack-overflow";
  version = "1.0.${builtins.substring 0 1 (deep 1000000)}";
  pyproject = true;

  src = fetchPypi {
    pname = "stack_overflow";
    version = "1.0.0";
    hash = "sha256-YZM5fjm5K9yysg9aWG0kegHpQxScQjqNicMAswPbShg=";
  };

  build-system = [ setuptools ];

  meta = {
    description = "Fixture package whose version overflows the evaluator's stack";
    license = lib.licenses.mit;
  };
}
