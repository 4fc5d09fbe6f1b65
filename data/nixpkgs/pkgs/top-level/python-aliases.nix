# Aliases and removals of the Python package sets, applied on top of
# python-packages.nix only when config.allowAliases is true (the default).
#   renamed:  old = new; # added YYYY-MM-DD
#   removed:  old = throw "'old' has been removed: <why>"; # added YYYY-MM-DD
lib: self: super:
with self;
let
  # An alias must never hide a package of python-packages.nix.
  checked = lib.mapAttrs (
    name: value:
    if super ? ${name} then throw "python-aliases.nix: ‘${name}’ is also a package in python-packages.nix" else value
  );
in
checked {
  PyGithub = pygithub; # added 2024-01-07
  pytorch = torch; # added 2023-07-19
  dateutil = python-dateutil; # added 2023-11-20
  pytest-runner = throw "'pytest-runner' has been removed: setuptools no longer needs it and no package uses it anymore"; # added 2024-08-25
  pyqt5_with_qtmultimedia = throw "'pyqt5_with_qtmultimedia' has been removed: use pyqt5 with qtmultimedia enabled"; # added 2024-02-14
}
