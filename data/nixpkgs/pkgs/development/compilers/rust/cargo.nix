{
  lib,
  stdenv,
  rustc,
}:
stdenv.mkDerivation {
  pname = "cargo";
  inherit (rustc) version src;

  nativeBuildInputs = [ rustc ];

  meta = {
    description = "Downloads your Rust project's dependencies and builds your project";
    homepage = "https://crates.io";
    license = [
      lib.licenses.mit
      lib.licenses.asl20
    ];
    platforms = lib.platforms.unix;
  };
}
