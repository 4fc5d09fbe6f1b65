# A package's declared arguments: what its author passed to
# buildPythonPackage (the input lists as written, check inputs included),
# recovered by calling the builder again through overridePythonAttrs; the
# derivation itself merges them with hooks and drops the check inputs.
#
# Only for a package that has overridePythonAttrs. Shallow: the arguments
# hold derivations, nothing of them is forced here.
#
# Used by dump.nix, and embedded by indexer/query/nativeexpr.py in the
# natives' expression it writes (its text after these comment lines).
drv:
(drv.overridePythonAttrs (old: {
  passthru = (old.passthru or { }) // {
    __pyindexDeclared = old;
  };
})).__pyindexDeclared
