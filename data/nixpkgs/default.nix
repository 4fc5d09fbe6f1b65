# Entry point of the fixture nixpkgs: `import <nixpkgs> { config, overlays }`
# gives the package set, the fixed point of the base packages, the top-level
# aliases (unless config.allowAliases = false) and each overlay in order.
{
  config ? { },
  overlays ? [ ],
  system ? "x86_64-linux",
  localSystem ? { inherit system; },
  ...
}:
let
  lib = import ./lib;

  hostSystem = if builtins.isString localSystem then localSystem else localSystem.system or system;

  # config may be a set or a function of { pkgs, lib } (as nixpkgs allows).
  userConfig = if builtins.isFunction config then config { inherit lib pkgs; } else config;
  fullConfig = {
    allowAliases = true;
    allowBroken = false;
    allowUnfree = false;
    permittedInsecurePackages = [ ];
    doCheckByDefault = false;
  } // userConfig;

  checkOverlay =
    overlay:
    if builtins.isFunction overlay then
      overlay
    else
      throw "nixpkgs fixture: every overlay must be a function `final: prev: { ... }`";

  basePackages = import ./pkgs/top-level/all-packages.nix {
    inherit lib;
    config = fullConfig;
    system = hostSystem;
  };
  # pkgs/by-name/XX/NAME/package.nix is `NAME = callPackage ./package.nix { }`,
  # applied before all-packages.nix (which may override it), as nixpkgs'
  # by-name-overlay.nix.
  byNameDir = ./pkgs/by-name;
  byNameFiles =
    if builtins.pathExists byNameDir then
      lib.mergeAttrsList (
        lib.mapAttrsToList (
          shard: type:
          if type != "directory" then
            { }
          else
            builtins.mapAttrs (name: _: byNameDir + "/${shard}/${name}/package.nix") (
              builtins.readDir (byNameDir + "/${shard}")
            )
        ) (builtins.readDir byNameDir)
      )
    else
      { };
  byName =
    final: prev:
    {
      _internalCallByNamePackageFile = file: final.callPackage file { };
    }
    // builtins.mapAttrs (_: final._internalCallByNamePackageFile) byNameFiles;
  topLevelAliases =
    final: prev:
    lib.optionalAttrs (fullConfig.allowAliases or true) (import ./pkgs/top-level/aliases.nix lib final prev);

  layers = [
    byName
    basePackages
    topLevelAliases
  ] ++ map checkOverlay overlays;

  pkgs = lib.fix (builtins.foldl' (f: layer: lib.extends layer f) (_: { }) layers);
in
pkgs
