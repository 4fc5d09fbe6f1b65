# The generic Python builder behind buildPythonPackage and
# buildPythonApplication, built like nixpkgs' today: lib.extendMkDerivation
# over stdenv.mkDerivation, so it takes a plain set or `finalAttrs: { ... }`
# (finalAttrs is the final mkDerivation argument set: finalAttrs.version,
# finalAttrs.src, finalAttrs.passthru.dependencies, ...).
#
#   * name = namePrefix + "${pname}-${version}";
#   * nativeBuildInputs = [ python wrapPython ] ++ the hooks of the format
#     (pyproject: pypaBuildHook + pypaInstallHook; setuptools: the same;
#     wheel: wheelUnpackHook + pypaInstallHook; other: none) ++
#     pythonImportsCheckHook ++ pythonRelaxDepsHook when pythonRelaxDeps or
#     pythonRemoveDeps is set ++ nativeBuildInputs ++ build-system;
#   * propagatedBuildInputs = propagatedBuildInputs ++ dependencies ++ [ python ];
#   * passthru: disabled, pyproject, build-system, dependencies,
#     optional-dependencies (always), then the package's passthru;
#   * outputs gain "dist" (pyproject, setuptools, wheel);
#   * meta: platforms and isBuildPythonPackage from the interpreter;
#   * check inputs are kept out of the derivation (nixpkgs moves them to
#     nativeInstallCheckInputs; the fixture drops them so that no check
#     input can make a dependency cycle);
#   * `disabled = true` throws `PNAME-VERSION not supported for interpreter
#     python3.13` as soon as the package is looked at (nixpkgs now defers it
#     to drvPath; the fixture keeps the eager error).
# Bootstrap packages (build, flit-core, installer, packaging,
# pyproject-hooks, wheel) get the pypa hooks without their Python inputs, so
# that the hooks never depend on the package they build.
{
  lib,
  stdenv,
  python,
  wrapPython,
  pypaBuildHook,
  pypaInstallHook,
  pythonImportsCheckHook,
  pythonRelaxDepsHook,
  wheelUnpackHook,
  unzip,
  namePrefix,
  toPythonModule,
}:
let
  isBootstrapInstallPackage = pname: lib.elem pname [
    "flit-core"
    "installer"
  ];
  isBootstrapPackage =
    pname:
    isBootstrapInstallPackage pname
    || lib.elem pname [
      "build"
      "packaging"
      "pyproject-hooks"
      "wheel"
    ];
in
lib.extendMkDerivation {
  constructDrv = stdenv.mkDerivation;

  excludeDrvArgNames = [
    "disabled"
    "checkPhase"
    "checkInputs"
    "nativeCheckInputs"
    "doCheck"
    "doInstallCheck"
    "pyproject"
    "format"
    "stdenv"
    "dependencies"
    "optional-dependencies"
    "build-system"
  ];

  extendDrvArgs =
    finalAttrs:
    {
      build-system ? [ ],
      buildInputs ? [ ],
      dependencies ? [ ],
      disabled ? false,
      doCheck ? true,
      format ? null,
      meta ? { },
      nativeBuildInputs ? [ ],
      optional-dependencies ? { },
      outputs ? [ "out" ],
      propagatedBuildInputs ? [ ],
      pyproject ? null,
      pythonPath ? [ ],
      ...
    }@attrs:
    let
      getFinalPassthru =
        attrName:
        finalAttrs.passthru.${attrName}
          or (throw "${finalAttrs.name}: passthru.${attrName} missing after overrideAttrs overriding.");

      format' =
        assert (getFinalPassthru "pyproject" != null) -> (format == null);
        if getFinalPassthru "pyproject" != null then
          (if getFinalPassthru "pyproject" then "pyproject" else "other")
        else if format != null then
          format
        else
          throw "${name} does not configure a `format`. To build with setuptools as before, set `pyproject = true` and `build-system = [ setuptools ]`.";

      withDistOutput = lib.elem format' [
        "pyproject"
        "setuptools"
        "wheel"
      ];

      pname = finalAttrs.pname or null;
      bootstrap = isBootstrapPackage pname;

      name = namePrefix + attrs.name or "${finalAttrs.pname}-${finalAttrs.version}";
    in
    {
      inherit name;
      outputs = outputs ++ lib.optional withDistOutput "dist";

      nativeBuildInputs = [
        python
        wrapPython
      ]
      ++ lib.optionals (finalAttrs.pythonRelaxDeps or [ ] != [ ] || finalAttrs.pythonRemoveDeps or [ ] != [ ]) [
        pythonRelaxDepsHook
      ]
      ++ lib.optionals (lib.hasSuffix "zip" (finalAttrs.src.name or "")) [ unzip ]
      ++ lib.optionals (format' == "pyproject" || format' == "setuptools") [
        (
          if bootstrap then
            pypaBuildHook.override {
              build = null;
              wheel = null;
            }
          else
            pypaBuildHook
        )
      ]
      ++ lib.optionals (format' == "wheel") [ wheelUnpackHook ]
      ++ lib.optionals (format' != "other") [
        (if isBootstrapInstallPackage pname then pypaInstallHook.override { installer = null; } else pypaInstallHook)
      ]
      ++ [ pythonImportsCheckHook ]
      ++ nativeBuildInputs
      ++ getFinalPassthru "build-system";

      buildInputs = buildInputs ++ pythonPath;

      propagatedBuildInputs = propagatedBuildInputs ++ getFinalPassthru "dependencies" ++ [ python ];

      # Python packages run their tests after installation.
      doCheck = false;
      doInstallCheck = false;

      passthru = {
        inherit
          disabled
          pyproject
          build-system
          dependencies
          optional-dependencies
          ;
      }
      // attrs.passthru or { };

      meta = {
        platforms = python.meta.platforms;
        isBuildPythonPackage = python.meta.platforms;
      }
      // meta;
    };

  # Independent of the arguments, so that it also holds after overrideAttrs.
  transformDrv =
    drv:
    if drv.disabled or false then
      throw "${lib.removePrefix namePrefix drv.name} not supported for interpreter ${python.executable}"
    else
      toPythonModule drv;
}
