# A Rust extension built with maturin: rustPlatform.cargoSetupHook and
# rustPlatform.maturinBuildHook (derivations named cargo-setup-hook.sh and
# maturin-build-hook.sh) in nativeBuildInputs, the crates from
# rustPlatform.fetchCargoVendor.
{
  lib,
  stdenv,
  buildPythonPackage,
  fetchPypi,
  rustPlatform,
  libiconv ? null,
  pytestCheckHook,
}:

buildPythonPackage (finalAttrs: {
  pname = "rpds-py";
  version = "0.22.3";
  pyproject = true;

  src = fetchPypi {
    pname = "rpds_py";
    inherit (finalAttrs) version;
    hash = "sha256-4y/uirRdPC222hmlMjvDNiI3yLZTxwGUQUuJL9BqCA0=";
  };

  cargoDeps = rustPlatform.fetchCargoVendor {
    inherit (finalAttrs) pname version src;
    hash = "sha256-m01OB4CqDowlTAiDQx6tJ7SeP3t+EtS9UZ7Jad6Ccvc=";
  };

  nativeBuildInputs = [
    rustPlatform.cargoSetupHook
    rustPlatform.maturinBuildHook
  ];

  buildInputs = lib.optionals stdenv.hostPlatform.isDarwin [ libiconv ];

  nativeCheckInputs = [ pytestCheckHook ];

  pythonImportsCheck = [ "rpds" ];

  meta = {
    description = "Python bindings to Rust's persistent data structures";
    homepage = "https://github.com/crate-py/rpds";
    changelog = "https://github.com/crate-py/rpds/releases/tag/v${finalAttrs.version}";
    license = lib.licenses.mit;
    teams = [
      lib.teams.fixture-python
      lib.teams.fixture-rust
    ];
  };
})
