# A non-Python tool from pkgs/by-name, built with rustPlatform.buildRustPackage;
# rustPlatform.maturinBuildHook propagates it.
{
  lib,
  rustPlatform,
  fetchFromGitHub,
}:
rustPlatform.buildRustPackage (finalAttrs: {
  pname = "maturin";
  version = "1.8.1";

  src = fetchFromGitHub {
    owner = "PyO3";
    repo = "maturin";
    tag = "v${finalAttrs.version}";
    hash = "sha256-ZVEs3Z4ZWYjFv6y3X9sK8+3R3f3c3s3D6fXAvNQcvsM=";
  };

  cargoHash = "sha256-TItrsg1zKZKq0tDrxj5yQTZCyb7hVxUfI7rgRsTZ+yg=";

  meta = {
    description = "Build and publish Rust crates as Python packages";
    homepage = "https://github.com/PyO3/maturin";
    changelog = "https://github.com/PyO3/maturin/blob/v${finalAttrs.version}/Changelog.md";
    license = [
      lib.licenses.asl20
      lib.licenses.mit
    ];
    teams = [ lib.teams.fixture-rust ];
    mainProgram = "maturin";
  };
})
