# Written the old way: `format` instead of `pyproject`, and the Python
# dependency in propagatedBuildInputs instead of `dependencies`.
{
  lib,
  buildPythonPackage,
  fetchPypi,
  six,
}:

buildPythonPackage rec {
  pname = "python-dateutil";
  version = "2.9.0.post0";
  format = "setuptools";

  src = fetchPypi {
    inherit pname version;
    hash = "sha256-tpl6thhel4v47qAT/OnYcFbN3sY8lqtNmmMQ0/jCS0Y=";
  };

  propagatedBuildInputs = [ six ];

  meta = {
    description = "Powerful extensions to the standard datetime module";
    homepage = "https://github.com/dateutil/dateutil/";
    license = with lib.licenses; [
      asl20
      bsd3
    ];
    maintainers = [ lib.maintainers.fixture-bob ];
  };
}
