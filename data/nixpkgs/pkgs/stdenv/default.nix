# The fixture's standard environment. Not a derivation itself: it carries
# mkDerivation, a description of the platform, and the C compiler wrapper
# (`stdenv.cc`) that build recipes interpolate into paths.
{
  lib,
  config,
  system,
}:
let
  cpu = builtins.head (lib.splitString "-" system);
  kernel = lib.last (lib.splitString "-" system);
  isLinux = kernel == "linux";
  isDarwin = kernel == "darwin";
  # The GNU triple nixpkgs calls `config`, and the names Rust gives it.
  gnuConfig =
    if isLinux then
      "${cpu}-unknown-linux-gnu"
    else if isDarwin then
      "${if cpu == "aarch64" then "arm64" else cpu}-apple-darwin"
    else
      "${cpu}-unknown-${kernel}";
  rustTarget = if isDarwin then "${cpu}-apple-darwin" else gnuConfig;
  platform = {
    inherit system isLinux isDarwin;
    config = gnuConfig;
    parsed.kernel.name = kernel;
    isx86_64 = cpu == "x86_64";
    isAarch64 = cpu == "aarch64";
    isx86_32 = cpu == "i686";
    isStatic = false;
    isMusl = false;
    isWindows = false;
    extensions = {
      sharedLibrary = if isDarwin then ".dylib" else ".so";
      staticLibrary = ".a";
      executable = "";
    };
    rust = {
      rustcTarget = rustTarget;
      rustcTargetSpec = rustTarget;
      cargoShortTarget = rustTarget;
      cargoEnvVarTarget = lib.toUpper (builtins.replaceStrings [ "-" ] [ "_" ] rustTarget);
    };
    canExecute = other: other.system == system;
  };
  mkDerivation = import ./generic/make-derivation.nix { inherit lib config system; };
in
{
  name = "stdenv-fixture";
  inherit system;
  hostPlatform = platform;
  buildPlatform = platform;
  targetPlatform = platform;
  inherit (platform) isLinux isDarwin;
  shell = "/bin/sh";
  hasCC = true;
  inherit mkDerivation;

  # The compiler wrapper: a derivation like nixpkgs' gcc-wrapper, with the
  # attributes recipes read (`${stdenv.cc}/bin/${stdenv.cc.targetPrefix}cc`).
  cc = mkDerivation (finalAttrs: {
    pname = "gcc-wrapper";
    version = "14.2.0";
    passthru = {
      targetPrefix = "";
      isGNU = true;
      isClang = false;
      libc = null;
      cc = null;
    };
    meta = {
      description = "GNU Compiler Collection, version ${finalAttrs.version} (wrapper script)";
      license = lib.licenses.gpl3Plus;
      platforms = lib.platforms.all;
    };
  });
}
