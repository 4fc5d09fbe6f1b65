# A prebuilt binary wheel from PyPI (attribute jaxlib-bin, PyPI name jaxlib).
{
  lib,
  buildPythonPackage,
  fetchPypi,
  numpy,
  pythonOlder,
}:

buildPythonPackage rec {
  pname = "jaxlib";
  version = "0.4.38";
  format = "wheel";

  disabled = pythonOlder "3.10";

  src = fetchPypi {
    inherit pname version format;
    dist = "cp313";
    python = "cp313";
    abi = "cp313";
    platform = "manylinux2014_x86_64";
    hash = "sha256-uV/QfU5I07wRynez99fscNJHAaJ3VgT+D0sXDaw27rs=";
  };

  dependencies = [ numpy ];

  meta = {
    description = "Prebuilt jaxlib backend from PyPi";
    homepage = "https://github.com/jax-ml/jax";
    license = lib.licenses.asl20;
    platforms = [ "x86_64-linux" ];
    sourceProvenance = [ lib.sourceTypes.binaryNativeCode ];
    maintainers = [ lib.maintainers.fixture-carol ];
  };
}
