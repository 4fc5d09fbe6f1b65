# The Rust build hooks (rustPlatform.cargoSetupHook, maturinBuildHook, ...),
# made with makeSetupHook and named, as in nixpkgs, after their scripts:
# `cargo-setup-hook.sh`, `maturin-build-hook.sh`. They are top-level build
# tools, not members of any Python set, and carry no pythonModule.
# maturinBuildHook propagates maturin, cargo and rustc.
{
  lib,
  stdenv,
  makeSetupHook,
  cargo,
  rustc,
  maturin,
  diffutils,
}:
let
  inherit (stdenv.targetPlatform.rust) rustcTargetSpec;
in
{
  cargoBuildHook = makeSetupHook {
    name = "cargo-build-hook.sh";
    substitutions = {
      inherit rustcTargetSpec;
    };
    meta.license = lib.licenses.mit;
  } "cargoBuildHook() { cargo build --release --target @rustcTargetSpec@ --offline; }";

  cargoCheckHook = makeSetupHook {
    name = "cargo-check-hook.sh";
    substitutions = {
      inherit rustcTargetSpec;
    };
    meta.license = lib.licenses.mit;
  } "cargoCheckHook() { cargo test --release --target @rustcTargetSpec@ --offline; }";

  cargoInstallHook = makeSetupHook {
    name = "cargo-install-hook.sh";
    substitutions = {
      targetSubdirectory = stdenv.targetPlatform.rust.cargoShortTarget;
    };
    meta.license = lib.licenses.mit;
  } "cargoInstallHook() { install -D target/@targetSubdirectory@/release/* -t \"$out/bin\"; }";

  cargoSetupHook = makeSetupHook {
    name = "cargo-setup-hook.sh";
    substitutions = {
      cargoConfig = ''
        [target."${stdenv.hostPlatform.rust.rustcTarget}"]
        "linker" = "${stdenv.cc}/bin/${stdenv.cc.targetPrefix}cc"
      '';
      diff = "${lib.getBin diffutils}/bin/diff";
    };
    meta.license = lib.licenses.mit;
  } "cargoSetupPostUnpackHook() { cp -r \"$cargoDeps\" cargo-vendor-dir; printf '%s' '@cargoConfig@' > .cargo/config.toml; }";

  maturinBuildHook = makeSetupHook {
    name = "maturin-build-hook.sh";
    propagatedBuildInputs = [
      maturin
      cargo
      rustc
    ];
    substitutions = {
      inherit rustcTargetSpec;
    };
    meta.license = lib.licenses.mit;
  } "maturinBuildHook() { maturin build --jobs=$NIX_BUILD_CORES --offline --target @rustcTargetSpec@ --release --out dist; }";
}
