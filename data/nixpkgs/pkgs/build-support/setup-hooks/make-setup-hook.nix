# makeSetupHook { name, propagatedBuildInputs ? [ ], ... } script: a
# derivation that only carries a setup hook (here the script's text).
{ lib, stdenv }:
{
  name,
  propagatedBuildInputs ? [ ],
  meta ? { },
  passthru ? { },
}:
script:
stdenv.mkDerivation {
  inherit name propagatedBuildInputs passthru;
  setupHookText = script;
  meta = {
    description = "Setup hook ${name}";
  } // meta;
}
