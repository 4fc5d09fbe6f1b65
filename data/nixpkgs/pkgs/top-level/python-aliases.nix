# Aliases and removals of the Python package sets, applied (before the
# hooks and python-packages.nix) only when config.allowAliases is true (the
# default). As in nixpkgs:
#   renamed:            old = new; # added YYYY-MM-DD
#   renamed, warning:   old = lib.warn "..." self.new; # added YYYY-MM-DD
#   renamed long ago:   old = throw "'old' has been renamed to/replaced by 'new'"; # Converted to throw YYYY-MM-DD
#   removed:            old = throw "'old' has been removed: <why>"; # added YYYY-MM-DD
# Every alias is kept out of Hydra (meta.hydraPlatforms = [ ]) and must not
# shadow a package of the set.
lib: self: super:
with self;
let
  removeRecurseForDerivations =
    alias:
    if alias.recurseForDerivations or false then
      lib.removeAttrs alias [ "recurseForDerivations" ]
    else
      alias;
  removeDistribute = alias: if lib.isDerivation alias then lib.dontDistribute alias else alias;
  checkInPkgs =
    n: alias:
    if builtins.hasAttr n super then throw "Alias ${n} is still in python-packages.nix" else alias;
  mapAliases =
    aliases:
    lib.mapAttrs (n: alias: removeDistribute (removeRecurseForDerivations (checkInPkgs n alias))) aliases;
in
mapAliases {
  Jinja2 = lib.warn "'Jinja2' has been renamed to 'jinja2'; the alias will be removed in 27.05" self.jinja2; # added 2026-09-14
  PyGithub = pygithub; # added 2024-01-07
  dateutil = python-dateutil; # added 2023-11-20
  pyqt5_with_qtmultimedia = throw "'pyqt5_with_qtmultimedia' has been removed: use pyqt5 with qtmultimedia enabled"; # added 2024-02-14
  pytest-runner = throw "'pytest-runner' has been removed: setuptools no longer needs it and no package uses it anymore"; # added 2024-08-25
  pytorch = torch; # added 2023-07-19
  smmap2 = throw "'smmap2' has been renamed to/replaced by 'smmap'"; # Converted to throw 2025-10-29
}
