# Top-level aliases and removals, applied only when config.allowAliases is
# true (the default).
lib: final: prev:
{
  python311 = throw "python311 has been removed from the fixture nixpkgs, use python312 or python313 instead"; # added 2025-06-01
  python311Packages = throw "python311Packages has been removed from the fixture nixpkgs, use python312Packages or python313Packages instead"; # added 2025-06-01
  opencv4 = final.opencv; # added 2024-03-10
}
