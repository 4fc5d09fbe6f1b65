# The part of every Python package set that is not a package: the builders
# and helpers python-packages.nix uses (the hooks come from
# hooks/default.nix). `self` is the finished set.
{
  lib,
  pkgs,
  stdenv,
  python,
}:
self:
let
  inherit (self) callPackage;

  namePrefix = python.libPrefix + "-";

  # Packages made by buildPythonPackage/buildPythonApplication can be
  # overridden with `override`, `overrideAttrs` and `overrideDerivation`;
  # this adds `overridePythonAttrs`, which calls the builder again with
  # changed arguments. The function given to it sees exactly the arguments
  # the package author wrote (for a `finalAttrs: { ... }` package, with
  # finalAttrs applied): `old: { ... }`, `final: old: { ... }` or a set.
  # overridePythonAttrs applies before overrideAttrs, even when called after
  # it, and both stay available on each other's results.
  makeOverridablePythonPackage =
    f:
    lib.mirrorFunctionArgs f (
      origArgs:
      let
        result = f origArgs;
        overrideWith =
          if lib.isFunction origArgs then
            newArgs: lib.extends (lib.toExtension newArgs) origArgs
          else
            newArgs:
            if !(lib.isFunction newArgs) then
              origArgs // newArgs
            else if !(lib.isFunction (newArgs origArgs)) then
              origArgs // newArgs origArgs
            else
              finalAttrs: origArgs // newArgs finalAttrs origArgs;
      in
      if lib.isAttrs result then
        result
        // {
          overrideAttrs = newArgs: makeOverridablePythonPackage (args: (f args).overrideAttrs newArgs) origArgs;
          overridePythonAttrs = newArgs: makeOverridablePythonPackage f (overrideWith newArgs);
        }
      else
        result
    )
    // {
      # `buildPythonPackage.override { stdenv = ...; }` keeps overridePythonAttrs.
      override = lib.mirrorFunctionArgs f.override (newArgs: makeOverridablePythonPackage (f.override newArgs));
    };

  mkPythonDerivation = ./mk-python-derivation.nix;

  buildPythonPackage = makeOverridablePythonPackage (
    callPackage mkPythonDerivation {
      # Libraries are named like "python3.13-requests-2.32.3" and provide modules.
      inherit namePrefix toPythonModule stdenv;
    }
  );

  buildPythonApplication = makeOverridablePythonPackage (
    callPackage mkPythonDerivation {
      inherit stdenv;
      # Applications have no prefix and, as in nixpkgs, provide no module:
      # they carry no pythonModule at all.
      namePrefix = "";
      toPythonModule = x: x;
    }
  );

  # Whether a derivation provides a module of this interpreter.
  hasPythonModule = drv: drv ? pythonModule && drv.pythonModule == python;

  # The Python modules a list of inputs needs at run time.
  requiredPythonModules =
    drvs:
    let
      modules = lib.filter hasPythonModule drvs;
    in
    lib.unique ([ python ] ++ modules ++ lib.concatLists (builtins.catAttrs "requiredPythonModules" modules));

  makePythonPath = drvs: lib.concatStringsSep ":" (map (d: "${d}/${python.sitePackages}") (requiredPythonModules drvs));

  removePythonPrefix = lib.removePrefix namePrefix;

  # Marks a derivation as a module of this interpreter.
  toPythonModule =
    drv:
    drv.overrideAttrs (old: {
      passthru = (old.passthru or { }) // {
        pythonModule = python;
        pythonPath = [ ];
        requiredPythonModules = builtins.addErrorContext "while calculating requiredPythonModules for ${
          drv.name or drv.pname
        }:" (requiredPythonModules drv.propagatedBuildInputs);
      };
    });

  # Marks a library as an application: not a module of any interpreter, and
  # (in `name`) without the interpreter prefix.
  toPythonApplication =
    drv:
    drv.overrideAttrs (old: {
      passthru = (old.passthru or { }) // {
        name = removePythonPrefix old.name;
        pythonModule = false;
      };
    });

  disabled =
    drv: throw "${removePythonPrefix (drv.pname or drv.name)} not supported for interpreter ${python.executable}";

  disabledIf = x: drv: if x then disabled drv else drv;
in
{
  inherit lib pkgs stdenv;
  inherit (python)
    isPy3k
    isPy311
    isPy312
    isPy313
    isPy314
    pythonOlder
    pythonAtLeast
    sitePackages
    ;
  inherit (pkgs) fetchPypi;
  inherit
    buildPythonPackage
    buildPythonApplication
    toPythonModule
    toPythonApplication
    makeOverridablePythonPackage
    hasPythonModule
    requiredPythonModules
    makePythonPath
    disabled
    disabledIf
    ;
  python = toPythonModule python;
  pythonPackages = self;
}
