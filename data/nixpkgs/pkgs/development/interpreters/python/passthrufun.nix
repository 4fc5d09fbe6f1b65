# What an interpreter carries besides its derivation: version facts, the
# version predicates and, under `pkgs`, its Python package set.
#
# The package set is a scope (own callPackage, falling back to the top
# level) built as the fixed point of
#   python-packages-base.nix        (buildPythonPackage, toPythonModule, ...)
#   python-packages.nix             (the packages)
#   python-aliases.nix              (only when config.allowAliases)
#   pkgs.pythonPackagesExtensions   (added by overlays, for every set)
#   packageOverrides                (this interpreter only)
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
  packages = import ../../../top-level/python-packages.nix;
  aliases =
    pyfinal: pyprev:
    lib.optionalAttrs (config.allowAliases or true) (
      import ../../../top-level/python-aliases.nix lib pyfinal pyprev
    );
  layers = lib.composeManyExtensions (
    [
      packages
      aliases
    ]
    ++ pkgs.pythonPackagesExtensions
    ++ [ packageOverrides ]
  );
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
  isPy312 = pythonVersion == "3.12";
  isPy313 = pythonVersion == "3.13";
  pythonOlder = lib.versionOlder pythonVersion;
  pythonAtLeast = lib.versionAtLeast pythonVersion;
  interpreter = "${self}/bin/${executable}";
  pythonOnBuildForHost = self;
  pkgs = lib.makeScope pkgs.newScope (lib.extends layers base);
}
