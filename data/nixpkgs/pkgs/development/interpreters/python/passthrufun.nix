# What an interpreter carries besides its derivation: version facts, the
# version predicates and, under `pkgs`, its Python package set.
#
# The package set is a scope (own callPackage, falling back to the top
# level) built, as in nixpkgs, as the fixed point of
#   python-packages-base.nix        (buildPythonPackage, toPythonModule, ...)
# extended by, in order,
#   python-aliases.nix              (only when config.allowAliases)
#   hooks/default.nix               (pytestCheckHook, pypaBuildHook, sphinxHook, ...)
#   python-packages.nix             (the packages)
#   pkgs.pythonPackagesExtensions   (added by overlays, for every set)
#   packageOverrides                (this interpreter only)
# Every derivation of the finished set that is neither a module of this
# interpreter nor a setup hook refuses to be instantiated ("NAME should use
# `buildPythonPackage` or `toPythonModule` if it is to be part of the
# Python packages set."); its name, meta and inputs stay readable.
{
  lib,
  pkgs,
  config,
}:
{
  self,
  implementation,
  pythonAttr,
  sourceVersion,
  pythonVersion,
  libPrefix,
  executable,
  sitePackages,
  packageOverrides,
}:
let
  base = import ./python-packages-base.nix {
    inherit lib pkgs;
    inherit (pkgs) stdenv;
    python = self;
  };
  hooks = import ./hooks/default.nix;
  packages = import ../../../top-level/python-packages.nix;
  aliases =
    pyfinal: pyprev:
    lib.optionalAttrs (config.allowAliases or true) (
      import ../../../top-level/python-aliases.nix lib pyfinal pyprev
    );
  extensions = lib.composeManyExtensions (
    [
      hooks
      packages
    ]
    ++ pkgs.pythonPackagesExtensions
    ++ [ packageOverrides ]
  );
  scope = lib.makeScope pkgs.newScope (lib.extends (lib.composeExtensions aliases extensions) base);

  ensurePythonModules =
    let
      providesSetupHook = lib.attrByPath [
        "provides"
        "setupHook"
      ] false;
      valid = value: scope.hasPythonModule value || providesSetupHook value;
      func =
        name: value:
        if lib.isDerivation value then
          lib.extendDerivation (
            valid value
            || throw "${name} should use `buildPythonPackage` or `toPythonModule` if it is to be part of the Python packages set."
          ) { } value
        else
          value;
    in
    lib.mapAttrs func;
in
{
  inherit
    implementation
    pythonAttr
    sourceVersion
    pythonVersion
    libPrefix
    executable
    sitePackages
    ;
  isPy3k = lib.versionAtLeast pythonVersion "3";
  isPy311 = pythonVersion == "3.11";
  isPy312 = pythonVersion == "3.12";
  isPy313 = pythonVersion == "3.13";
  isPy314 = pythonVersion == "3.14";
  pythonOlder = lib.versionOlder pythonVersion;
  pythonAtLeast = lib.versionAtLeast pythonVersion;
  interpreter = "${self}/bin/${executable}";
  pythonOnBuildForHost = self;
  pkgs = ensurePythonModules scope;
}
