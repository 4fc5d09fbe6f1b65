# fetchzip: like fetchurl, but the archive is unpacked, so the hash covers
# the unpacked tree (recursive hashing). Named "source" by default.
{ lib, fetchurl }:
{
  name ? "source",
  stripRoot ? true,
  extension ? null,
  ...
}@args:
fetchurl (
  removeAttrs args [
    "stripRoot"
    "extension"
  ]
  // {
    inherit name;
    recursiveHash = true;
    postFetch = "unpack the downloaded archive${lib.optionalString stripRoot ", dropping its top directory"}";
  }
)
