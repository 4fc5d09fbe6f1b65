# rustPlatform.fetchCargoVendor: the vendored crates of a Cargo project, a
# fixed-output derivation named `PNAME-VERSION-vendor` (or `NAME-vendor`).
# Here it is one derivation; nixpkgs' goes through a staging derivation.
{ lib, stdenvNoCC }:
{
  name ? if args ? pname && args ? version then "${args.pname}-${args.version}" else "cargo-deps",
  src ? null,
  srcs ? [ ],
  hash ? "",
  ...
}@args:
stdenvNoCC.mkDerivation (
  removeAttrs args [
    "name"
    "pname"
    "version"
    "hash"
  ]
  // {
    name = "${name}-vendor";
    outputHash = if hash != "" then hash else lib.fakeHash;
    outputHashMode = "recursive";
    preferLocalBuild = true;
  }
)
