{
  lib,
  buildPythonPackage,
  fetchPypi,
  flit-core,
  mdurl,
}:

buildPythonPackage rec {
  pname = "markdown-it-py";
  version = "3.0.0";
  pyproject = true;

  src = fetchPypi {
    pname = "markdown_it_py";
    inherit version;
    hash = "sha256-5zFroxZpZH+77TB+4LJqdIPy8yye9tbEcGU/pA2DWec=";
  };

  build-system = [ flit-core ];

  dependencies = [
    mdurl
  ];

  meta = {
    description = "Markdown parser in Python";
    homepage = "https://github.com/executablebooks/markdown-it-py";
    license = lib.licenses.mit;
    maintainers = [ lib.maintainers.fixture-alice ];
  };
}
