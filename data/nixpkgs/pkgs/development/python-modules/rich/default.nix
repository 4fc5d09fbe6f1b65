# Source from GitHub, so nothing gives a purl: the package declares its own.
{
  lib,
  buildPythonPackage,
  fetchFromGitHub,
  poetry-core,
  markdown-it-py,
  pygments,
  pytestCheckHook,
}:

buildPythonPackage rec {
  pname = "rich";
  version = "13.9.4";
  pyproject = true;

  src = fetchFromGitHub {
    owner = "Textualize";
    repo = "rich";
    tag = "v${version}";
    hash = "sha256-W4JovTjW7oBqiZIzaGkLrFXoDMoEzzQ8zzrCmos/yIU=";
  };

  build-system = [ poetry-core ];

  dependencies = [
    markdown-it-py
    pygments
  ];

  nativeCheckInputs = [ pytestCheckHook ];

  meta = {
    description = "Render rich text, tables, progress bars, syntax highlighting, markdown and more to the terminal";
    homepage = "https://github.com/Textualize/rich";
    changelog = "https://github.com/Textualize/rich/blob/v${version}/CHANGELOG.md";
    license = lib.licenses.mit;
    maintainers = [ lib.maintainers.fixture-carol ];
    identifiers = rec {
      purlParts = {
        type = "pypi";
        spec = "rich@${version}";
      };
      purl = "pkg:${purlParts.type}/${purlParts.spec}";
      purls = [ purl ];
    };
  };
}
