# fetchurl: a fixed-output derivation for one file. `urls` on the result are
# exactly the URLs the caller gave (mirror:// ones included, unresolved) and
# `url` is the first of them.
{ lib, stdenvNoCC }:
{
  url ? "",
  urls ? [ ],
  name ? null,
  hash ? "",
  sha256 ? "",
  outputHashMode ? "flat",
  meta ? { },
  passthru ? { },
  ...
}@args:
let
  allUrls =
    if urls != [ ] && url != "" then
      throw "fetchurl: give either `url` or `urls`, not both"
    else if urls != [ ] then
      urls
    else if url != "" then
      [ url ]
    else
      throw "fetchurl: one of `url` or `urls` is required";
  firstUrl = builtins.head allUrls;
  fileName = if name != null then name else baseNameOf (toString firstUrl);
  # An SRI hash names its own algorithm; a bare sha256 needs it spelled out.
  outputHash =
    if hash != "" then
      hash
    else if sha256 != "" then
      sha256
    else
      lib.fakeHash;
  outputHashAlgo = if hash == "" && sha256 != "" then "sha256" else "";
in
stdenvNoCC.mkDerivation (
  removeAttrs args [
    "url"
    "urls"
    "hash"
    "sha256"
    "meta"
    "passthru"
  ]
  // {
    name = fileName;
    urls = allUrls;
    inherit outputHash outputHashAlgo outputHashMode;
    preferLocalBuild = true;
    inherit meta;
    passthru = {
      url = firstUrl;
    } // passthru;
  }
)
