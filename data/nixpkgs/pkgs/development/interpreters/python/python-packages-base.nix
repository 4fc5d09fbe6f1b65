# The part of every Python package set that is not a package: the builders
# and helpers python-packages.nix uses. `self` is the finished set.
{
  lib,
  pkgs,
  stdenv,
  python,
}:
self:
let
  namePrefix = python.libPrefix + "-";

  hasPythonModule = drv: (drv.pythonModule or false) == python;

  # The Python modules a list of inputs needs at run time, transitively.
  requiredPythonModules =
    drvs:
    let
      modules = builtins.filter (d: builtins.isAttrs d && hasPythonModule d) drvs;
    in
    lib.unique (
      [ python ] ++ modules ++ lib.concatMap (m: m.requiredPythonModules or [ ]) modules
    );

  # Marks a derivation as a module of this interpreter.
  toPythonModule =
    drv:
    drv.overrideAttrs (old: {
      passthru = (old.passthru or { }) // {
        pythonModule = python;
        pythonPath = [ ];
        requiredPythonModules = builtins.addErrorContext "while collecting the Python modules ${
          drv.name or "?"
        } needs" (requiredPythonModules (drv.propagatedBuildInputs or [ ]));
      };
    });

  # Marks a derivation as an application: it is not a module of any
  # interpreter, even when built with buildPythonPackage.
  toPythonApplication =
    drv:
    drv.overrideAttrs (old: {
      passthru = (old.passthru or { }) // {
        pythonModule = false;
      };
    });

  # Gives the result of a Python builder `overridePythonAttrs`, which calls
  # the builder again with changed arguments. The function passed to it sees
  # exactly the arguments the package author wrote.
  makeOverridablePythonPackage =
    builder: origArgs:
    let
      overridePythonAttrs =
        change:
        makeOverridablePythonPackage builder (
          origArgs // (if builtins.isFunction change then change origArgs else change)
        );
    in
    builder (
      origArgs
      // {
        passthru = (origArgs.passthru or { }) // {
          inherit overridePythonAttrs;
        };
      }
    );

  makePythonHook = args: pkgs.makeSetupHook ({ passthru.provides.setupHook = true; } // args);

  # Stand-in for nixpkgs' wrapPython hook: every Python package has it in
  # nativeBuildInputs.
  wrapPython = makePythonHook {
    name = "wrap-python-hook";
  } "wrapPythonPrograms() { :; } # wraps the programs of ${python.libPrefix} packages";

  mkPythonDerivation = import ./mk-python-derivation.nix {
    inherit
      lib
      stdenv
      python
      wrapPython
      ;
  };

  buildPythonPackage = makeOverridablePythonPackage (
    mkPythonDerivation {
      inherit namePrefix toPythonModule;
    }
  );

  # Applications carry no interpreter prefix in their name and are not
  # modules (pythonModule = false), as in nixpkgs.
  buildPythonApplication = makeOverridablePythonPackage (
    mkPythonDerivation {
      namePrefix = "";
      toPythonModule = toPythonApplication;
    }
  );

  disabledIf = cond: drv: if cond then throw "${drv.name or "package"} is disabled" else drv;
in
{
  inherit lib pkgs stdenv;
  inherit (python)
    isPy3k
    isPy312
    isPy313
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
    makePythonHook
    wrapPython
    hasPythonModule
    requiredPythonModules
    disabledIf
    ;
  python = toPythonModule python;
  pythonPackages = self;
}
