# The setup hooks of every Python package set, an extension `self: super:`
# applied before python-packages.nix (as nixpkgs' hooks/default.nix). Each is
# made with makePythonHook (makeSetupHook plus passthru.provides.setupHook)
# and named as in nixpkgs: some with a `.sh` suffix (pypa-build-hook.sh),
# some without (pytest-check-hook), sphinx's with the interpreter version
# (python3.13-sphinx-hook). None is a Python module: they carry no
# pythonModule. What a hook needs is a substitution (an attribute of its
# derivation) or a propagated build input, taken from the set.
self: super:
with self;
let
  inherit (python) pythonOnBuildForHost;
  pythonInterpreter = pythonOnBuildForHost.interpreter;
  pythonSitePackages = python.sitePackages;
  pythonCheckInterpreter = python.interpreter;
in
{
  makePythonHook = args: pkgs.makeSetupHook (lib.recursiveUpdate { passthru.provides.setupHook = true; } args);

  pypaBuildHook =
    callPackage
      (
        {
          makePythonHook,
          build,
          wheel,
        }:
        makePythonHook {
          name = "pypa-build-hook.sh";
          propagatedBuildInputs = lib.optional (wheel != null) wheel;
          substitutions = {
            inherit build;
          };
        } "pypaBuildPhase() { @build@/bin/pyproject-build --no-isolation --outdir dist/ --wheel \"\${pypaBuildFlags[@]}\"; }"
      )
      {
        inherit (pythonOnBuildForHost.pkgs) build;
      };

  pypaInstallHook =
    callPackage
      (
        { makePythonHook, installer }:
        makePythonHook {
          name = "pypa-install-hook";
          propagatedBuildInputs = lib.optional (installer != null) installer;
          substitutions = {
            inherit pythonInterpreter pythonSitePackages;
          };
        } "pypaInstallPhase() { @pythonInterpreter@ -m installer --prefix \"$out\" dist/*.whl; }"
      )
      {
        inherit (pythonOnBuildForHost.pkgs) installer;
      };

  pytestCheckHook = callPackage (
    { makePythonHook, pytest }:
    makePythonHook {
      name = "pytest-check-hook";
      propagatedBuildInputs = [ pytest ];
      substitutions = {
        inherit pythonCheckInterpreter;
      };
    } "pytestCheckPhase() { @pythonCheckInterpreter@ -m pytest \"\${pytestFlags[@]}\"; }"
  ) { };

  pythonImportsCheckHook = callPackage (
    { makePythonHook }:
    makePythonHook {
      name = "python-imports-check-hook.sh";
      substitutions = {
        inherit pythonCheckInterpreter pythonSitePackages;
      };
    } "pythonImportsCheckPhase() { for m in \"\${pythonImportsCheck[@]}\"; do @pythonCheckInterpreter@ -c \"import $m\"; done; }"
  ) { };

  pythonRelaxDepsHook = callPackage (
    { makePythonHook, wheel }:
    makePythonHook {
      name = "python-relax-deps-hook";
      substitutions = {
        inherit pythonInterpreter pythonSitePackages wheel;
      };
    } "pythonRelaxDepsHook() { : relax \"\${pythonRelaxDeps[@]}\" and remove \"\${pythonRemoveDeps[@]}\" in the wheel metadata; }"
  ) { };

  wheelUnpackHook = callPackage (
    { makePythonHook, wheel }:
    makePythonHook {
      name = "wheel-unpack-hook.sh";
      propagatedBuildInputs = [ wheel ];
    } "wheelUnpackPhase() { mkdir -p dist && cp \"$src\" dist/; }"
  ) { };

  wrapPython = callPackage (
    { makePythonHook, makeWrapper }:
    makePythonHook {
      name = "wrap-python-hook";
      propagatedBuildInputs = [ makeWrapper ];
      substitutions = {
        inherit pythonSitePackages;
        executable = pythonInterpreter;
      };
    } "wrapPythonPrograms() { : wrap the programs of $out/bin with @executable@; }"
  ) { inherit (pkgs) makeWrapper; };

  sphinxHook = callPackage (
    { makePythonHook, installShellFiles }:
    makePythonHook {
      name = "python${python.pythonVersion}-sphinx-hook";
      propagatedBuildInputs = [
        pythonOnBuildForHost.pkgs.sphinx
        installShellFiles
      ];
      substitutions = {
        sphinxBuild = "${pythonOnBuildForHost.pkgs.sphinx}/bin/sphinx-build";
      };
    } "buildSphinxPhase() { @sphinxBuild@ -b \"\${sphinxBuilders[@]:-html}\" \"\${sphinxRoot:-doc}\" \"$doc/share/doc/$name\"; }"
  ) { inherit (pkgs) installShellFiles; };
}
