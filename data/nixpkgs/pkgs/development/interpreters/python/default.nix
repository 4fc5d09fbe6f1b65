# The Python interpreters of the fixture: two CPythons built by one generic
# expression. Each carries its package set as `.pkgs`.
{
  lib,
  pkgs,
  config,
  callPackage,
}:
let
  passthruFun = import ./passthrufun.nix { inherit lib pkgs config; };
in
{
  python312 = callPackage ./cpython {
    sourceVersion = {
      major = "3";
      minor = "12";
      patch = "8";
    };
    hash = "sha256-tbZ9QUoCE6edjO8ZEhP2vSGUkBZVNkAPy22xEFWKkmc=";
    pythonAttr = "python312";
    inherit passthruFun;
  };

  python313 = callPackage ./cpython {
    sourceVersion = {
      major = "3";
      minor = "13";
      patch = "1";
    };
    hash = "sha256-Ja9QfINPK5PRXJ+IHbEUKmu4Ppc0NJ7SVujXcRe26fQ=";
    pythonAttr = "python313";
    inherit passthruFun;
  };
}
