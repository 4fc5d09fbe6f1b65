# The fixture's standard environment. Not a derivation itself: it only
# carries mkDerivation and a description of the platform.
{
  lib,
  config,
  system,
}:
let
  platform = {
    inherit system;
    isLinux = lib.hasSuffix "-linux" system;
    isDarwin = lib.hasSuffix "-darwin" system;
    isx86_64 = lib.hasPrefix "x86_64-" system;
    isAarch64 = lib.hasPrefix "aarch64-" system;
  };
in
{
  name = "stdenv-fixture";
  inherit system;
  hostPlatform = platform;
  buildPlatform = platform;
  targetPlatform = platform;
  inherit (platform) isLinux isDarwin;
  shell = "/bin/sh";
  mkDerivation = import ./generic/make-derivation.nix { inherit lib config system; };
}
