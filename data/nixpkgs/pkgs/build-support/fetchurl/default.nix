# fetchurl: a fixed-output derivation for one file, a build helper derived
# from mkDerivation with lib.extendMkDerivation (so it takes a set or
# `finalAttrs: { ... }`). `urls` on the result are exactly the URLs the
# caller gave (mirror:// ones included, unresolved); passthru `url` is the
# `url` argument. The name is `pname-version` when both are given, else the
# URL's basename. `meta` passes through, so a fetcher that sets
# `meta.identifiers.purlParts` (fetchPypi) gives its result a purl
# (check-meta.nix).
{ lib, stdenvNoCC }:
lib.extendMkDerivation {
  constructDrv = stdenvNoCC.mkDerivation;

  excludeDrvArgNames = [
    "url"
    "derivationArgs"
    "sha1"
    "sha256"
    "sha512"
  ];

  extendDrvArgs =
    finalAttrs:
    {
      url ? "",
      urls ? [ ],
      name ? null,
      pname ? null,
      version ? null,
      hash ? "",
      sha1 ? "",
      sha256 ? "",
      sha512 ? "",
      outputHash ? "",
      outputHashAlgo ? "",
      recursiveHash ? false,
      executable ? false,
      postFetch ? "",
      derivationArgs ? { },
      meta ? { },
      passthru ? { },
      ...
    }@args:
    let
      allUrls =
        if urls != [ ] && url == "" then
          (if builtins.isList urls then urls else throw "`urls` is not a list")
        else if urls == [ ] && url != "" then
          (if builtins.isString url then [ url ] else throw "`url` is not a string")
        else
          throw "fetchurl requires either `url` or `urls` to be set";
      hashes = builtins.filter (h: h != "") [
        hash
        outputHash
        sha1
        sha256
        sha512
      ];
      # An SRI hash names its own algorithm; a bare one needs it spelled out.
      hash_ =
        if builtins.length hashes > 1 then
          throw "multiple hashes passed to fetchurl: ${toString allUrls}"
        else if hash != "" then
          {
            outputHash = hash;
            outputHashAlgo = null;
          }
        else if outputHash != "" then
          { inherit outputHash outputHashAlgo; }
        else if sha512 != "" then
          {
            outputHash = sha512;
            outputHashAlgo = "sha512";
          }
        else if sha256 != "" then
          {
            outputHash = sha256;
            outputHashAlgo = "sha256";
          }
        else if sha1 != "" then
          {
            outputHash = sha1;
            outputHashAlgo = "sha1";
          }
        else
          {
            outputHash = lib.fakeHash;
            outputHashAlgo = null;
          };
    in
    derivationArgs
    // {
      name =
        if finalAttrs.pname or null != null && finalAttrs.version or null != null then
          "${finalAttrs.pname}-${finalAttrs.version}"
        else if name != null then
          name
        else
          baseNameOf (toString (builtins.head allUrls));
      urls = allUrls;
      inherit (hash_) outputHash outputHashAlgo;
      outputHashMode = if recursiveHash || executable then "recursive" else "flat";
      inherit postFetch executable;
      preferLocalBuild = true;
      inherit meta;
      passthru = {
        inherit url;
      }
      // passthru;
    };

  # No ellipsis: only the arguments above.
  inheritFunctionArgs = false;
}
