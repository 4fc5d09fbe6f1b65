# The 2026 form: buildPythonPackage (finalAttrs: { ... }). The source, the
# changelog and the homepage follow finalAttrs, so an overridePythonAttrs
# that changes only `version` (marshmallow_4) moves them too.
{
  lib,
  buildPythonPackage,
  fetchFromGitHub,
  flit-core,
  packaging,
  pytestCheckHook,
}:

buildPythonPackage (finalAttrs: {
  pname = "marshmallow";
  version = "3.26.1";
  pyproject = true;
  __structuredAttrs = true;

  src = fetchFromGitHub {
    owner = "marshmallow-code";
    repo = "marshmallow";
    tag = finalAttrs.version;
    hash = "sha256-l5pEhv8D6jRlU24SlsGQEkXda/b7KUdP9mAqrZCbl38=";
  };

  build-system = [ flit-core ];

  dependencies = [ packaging ];

  nativeCheckInputs = [ pytestCheckHook ];

  pythonImportsCheck = [ "marshmallow" ];

  meta = {
    description = "Library for converting complex objects to and from simple Python datatypes";
    homepage = "https://github.com/marshmallow-code/marshmallow";
    changelog = "https://github.com/marshmallow-code/marshmallow/blob/${finalAttrs.src.tag}/CHANGELOG.rst";
    license = lib.licenses.mit;
    maintainers = [ lib.maintainers.fixture-bob ];
    identifiers.purlParts = {
      type = "pypi";
      spec = "marshmallow@${finalAttrs.version}";
    };
  };
})
