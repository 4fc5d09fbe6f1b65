# The generic Python builder behind buildPythonPackage and
# buildPythonApplication (modern argument names: build-system, dependencies,
# optional-dependencies; propagatedBuildInputs still works).
{
  lib,
  stdenv,
  python,
  wrapPython,
}:
{
  namePrefix,
  toPythonModule,
}:
{
  pname,
  version,
  pyproject ? null,
  format ? null,
  build-system ? [ ],
  dependencies ? [ ],
  optional-dependencies ? { },
  nativeBuildInputs ? [ ],
  buildInputs ? [ ],
  propagatedBuildInputs ? [ ],
  nativeCheckInputs ? [ ],
  checkInputs ? [ ],
  disabled ? false,
  doCheck ? true,
  meta ? { },
  passthru ? { },
  ...
}@attrs:
let
  baseName = "${pname}-${version}";

  effectiveFormat =
    if pyproject != null && format != null then
      throw "${baseName}: `pyproject` and `format` cannot be given together"
    else if pyproject != null then
      (if pyproject then "pyproject" else "other")
    else if format != null then
      format
    else
      "setuptools";

  # A package without identifiers of its own takes those of its source
  # (fetchPypi gives a pypi purl).
  inheritedIdentifiers = lib.optionalAttrs (
    !(meta ? identifiers) && attrs ? src && attrs.src ? meta && attrs.src.meta ? identifiers
  ) { identifiers = attrs.src.meta.identifiers; };
in
if disabled then
  throw "${baseName} not supported for interpreter ${python.executable}"
else
  toPythonModule (
    stdenv.mkDerivation (
      removeAttrs attrs [
        "pyproject"
        "format"
        "build-system"
        "dependencies"
        "optional-dependencies"
        "nativeCheckInputs"
        "checkInputs"
        "disabled"
        "doCheck"
        "meta"
        "passthru"
      ]
      // {
        name = namePrefix + baseName;
        format = effectiveFormat;

        nativeBuildInputs = [
          python
          wrapPython
        ] ++ nativeBuildInputs ++ build-system;
        inherit buildInputs;
        propagatedBuildInputs = propagatedBuildInputs ++ dependencies ++ [ python ];

        # Python packages run their tests after installation; the check
        # inputs are kept out of the derivation.
        doCheck = false;
        doInstallCheck = doCheck;

        meta = {
          platforms = python.meta.platforms;
          isBuildPythonPackage = python.meta.platforms;
        } // inheritedIdentifiers // meta;

        passthru =
          {
            inherit disabled;
          }
          // lib.optionalAttrs (dependencies != [ ]) { inherit dependencies; }
          // lib.optionalAttrs (optional-dependencies != { }) { inherit optional-dependencies; }
          // lib.optionalAttrs (build-system != [ ]) { inherit build-system; }
          // passthru;
      }
    )
  )
