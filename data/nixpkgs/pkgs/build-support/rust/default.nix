# rustPlatform: the Rust build helpers for one rustc/cargo pair. Python
# packages built with maturin take their hooks from here
# (rustPlatform.cargoSetupHook, rustPlatform.maturinBuildHook) and their
# crates from rustPlatform.fetchCargoVendor.
{
  lib,
  callPackage,
  stdenv,
  rustc,
  cargo,
}:
let
  hooks = callPackage ./hooks { inherit rustc cargo; };
  fetchCargoVendor = callPackage ./fetch-cargo-vendor { };

  # rustPlatform.buildRustPackage: a derivation built with cargo from its
  # vendored crates (the hooks above do the work).
  buildRustPackage = lib.extendMkDerivation {
    constructDrv = stdenv.mkDerivation;
    excludeDrvArgNames = [ "cargoHash" ];
    extendDrvArgs =
      finalAttrs:
      {
        cargoHash ? "",
        nativeBuildInputs ? [ ],
        passthru ? { },
        ...
      }@args:
      {
        cargoDeps =
          args.cargoDeps or (fetchCargoVendor {
            inherit (finalAttrs) pname version src;
            hash = cargoHash;
          });
        nativeBuildInputs = [
          hooks.cargoSetupHook
          hooks.cargoBuildHook
          hooks.cargoInstallHook
          cargo
          rustc
        ]
        ++ nativeBuildInputs;
        passthru = passthru;
      };
  };
in
{
  rust = {
    inherit rustc cargo;
  };
  inherit fetchCargoVendor buildRustPackage;
  inherit (hooks)
    cargoBuildHook
    cargoCheckHook
    cargoInstallHook
    cargoSetupHook
    maturinBuildHook
    ;
}
