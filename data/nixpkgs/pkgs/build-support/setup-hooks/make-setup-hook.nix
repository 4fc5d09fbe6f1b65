# makeSetupHook { name, propagatedBuildInputs ? [ ], substitutions ? { }, ... } script:
# a derivation that only carries a setup hook. As in nixpkgs the derivation
# is named exactly `name` (no pname, no version: `cargo-setup-hook.sh`,
# `pytest-check-hook`), and `substitutions` (values substituted into the
# script, derivations among them) are attributes of the derivation. The
# script is the hook's shell text here, not a file: nothing is copied to
# the store.
{ lib, stdenv }:
{
  name ? lib.warn "calling makeSetupHook without passing a name is deprecated." "hook",
  propagatedBuildInputs ? [ ],
  depsTargetTargetPropagated ? [ ],
  meta ? { },
  passthru ? { },
  substitutions ? { },
}:
script:
stdenv.mkDerivation (
  substitutions
  // {
    inherit
      name
      propagatedBuildInputs
      depsTargetTargetPropagated
      passthru
      ;
    strictDeps = true;
    setupHookText = script;
    meta = {
      description = "Setup hook ${name}";
    }
    // meta;
  }
)
