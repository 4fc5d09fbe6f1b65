{
  lib,
  stdenv,
  fetchurl,
}:
stdenv.mkDerivation (finalAttrs: {
  pname = "unzip";
  version = "6.0";

  src = fetchurl {
    url = "mirror://sourceforge/infozip/unzip${lib.replaceString "." "" finalAttrs.version}.tar.gz";
    hash = "sha256-A2tCr6oySg+1Bm5w8gpg+XZjlm4IS/hsRzctYD9AhL4=";
  };

  setupHook = "unpackCmdHooks+=(_tryUnzip)";

  meta = {
    description = "Extraction utility for archives compressed in .zip format";
    homepage = "http://www.info-zip.org";
    license = lib.licenses.bsdOriginal;
    platforms = lib.platforms.all;
    mainProgram = "unzip";
  };
})
