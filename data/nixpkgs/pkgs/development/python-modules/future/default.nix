# meta.problems (RFC 127): a `removal` problem. By default
# (config.problems.matchers) a removal warns: the package stays available,
# and instantiating it prints "Package ‘python3.13-future-1.0.0’ in ... has
# the following problem: removal: ...".
{
  lib,
  buildPythonPackage,
  fetchPypi,
  setuptools,
}:

buildPythonPackage (finalAttrs: {
  pname = "future";
  version = "1.0.0";
  pyproject = true;

  src = fetchPypi {
    inherit (finalAttrs) pname version;
    hash = "sha256-vSloMJMHhh7a4UWKT4pPNZjAO+Q7l1IQdq6/XZTAewU=";
  };

  build-system = [ setuptools ];

  pythonImportsCheck = [ "future" ];

  meta = {
    description = "Clean single-source support for Python 3 and 2";
    homepage = "https://python-future.org";
    license = lib.licenses.mit;
    maintainers = [ ];
    problems.removal = {
      message = "future is unmaintained upstream and only needed for Python 2 compatibility; it will be removed after 26.11";
      urls = [ "https://github.com/PythonCharmers/python-future/issues/640" ];
    };
  };
})
