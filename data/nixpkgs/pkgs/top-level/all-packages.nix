# The top-level packages of the fixture, as an overlay `final: prev: { ... }`
# whose names resolve against the final package set.
{
  lib,
  config,
  system,
}:
final: _prev:
with final;
{
  inherit lib config system;
  pkgs = final;

  # callPackage for the top level; scopes (the Python sets) extend it.
  newScope = extra: lib.callPackageWith (final // extra);
  callPackage = lib.callPackageWith final;

  stdenv = import ../stdenv { inherit lib config system; };
  stdenvNoCC = stdenv;

  ### build support

  makeSetupHook = callPackage ../build-support/setup-hooks/make-setup-hook.nix { };
  # setup hooks of the top level (makeSetupHook, named like nixpkgs' own)
  makeWrapper = makeSetupHook { name = "make-shell-wrapper-hook"; } "makeWrapper() { : write a wrapper script; }";
  installShellFiles = makeSetupHook { name = "install-shell-files"; } "installManPage() { : install man pages; }";
  writableTmpDirAsHomeHook = makeSetupHook {
    name = "writable-tmpdir-as-home-hook";
  } "writableTmpDirAsHomeHook() { export HOME=$(mktemp -d); }";
  fetchurl = callPackage ../build-support/fetchurl { };
  fetchzip = callPackage ../build-support/fetchzip { };
  fetchFromGitHub = callPackage ../build-support/fetchgithub { };
  fetchPypi = callPackage ../build-support/fetchpypi { };

  ### native packages

  openssl = callPackage ../development/libraries/openssl { };
  pkg-config = callPackage ../development/tools/misc/pkg-config { };
  libffi = callPackage ../development/libraries/libffi { };
  zlib = callPackage ../development/libraries/zlib { };
  libyaml = callPackage ../development/libraries/libyaml { };
  gfortran = callPackage ../development/compilers/gcc/gfortran.nix { };
  openblas = callPackage ../development/libraries/science/math/openblas { };
  blas = callPackage ../build-support/alternatives/blas { };
  lapack = callPackage ../build-support/alternatives/lapack { };
  openmpi = callPackage ../development/libraries/openmpi { };
  mpi = openmpi;
  hdf5 = callPackage ../tools/misc/hdf5 { };
  hdf5-mpi = hdf5.override { mpiSupport = true; };
  zeromq = callPackage ../development/libraries/zeromq { };
  swig = callPackage ../development/tools/misc/swig { };
  rustc = callPackage ../development/compilers/rust/rustc.nix { };
  cargo = callPackage ../development/compilers/rust/cargo.nix { };
  rustPlatform = callPackage ../build-support/rust { };
  unzip = callPackage ../tools/archivers/unzip { };
  diffutils = callPackage ../tools/text/diffutils { };
  cmake = callPackage ../development/tools/build-managers/cmake { };
  opencv = callPackage ../development/libraries/opencv { pythonPackages = python3Packages; };
  caffe = callPackage ../applications/science/math/caffe { pythonPackages = python3Packages; };

  ### Python
  # (Python applications live in pkgs/by-name, e.g. legit, built with
  # python3Packages.)

  # Extensions `pyfinal: pyprev: { ... }` applied to every Python package
  # set; overlays append to this list.
  pythonPackagesExtensions = [ ];

  pythonInterpreters = callPackage ../development/interpreters/python { };
  inherit (pythonInterpreters) python312 python313;

  python3 = python313;
  python3Packages = lib.dontRecurseIntoAttrs python3.pkgs;
  python312Packages = lib.recurseIntoAttrs python312.pkgs;
  python313Packages = lib.recurseIntoAttrs python313.pkgs;
}
