# Caffe, the deep learning framework from BVLC. Not published on PyPI; the
# PyPI project called "caffe" is unrelated.
{
  lib,
  stdenv,
  fetchFromGitHub,
  cmake,
  blas,
  pythonSupport ? false,
  pythonPackages ? null,
}:
stdenv.mkDerivation rec {
  pname = "caffe";
  version = "1.0";

  src = fetchFromGitHub {
    owner = "BVLC";
    repo = "caffe";
    rev = version;
    hash = "sha256-4H3JHkShHUj3oEzUt/7bnZtYUzCngucoyESYbjOi+Bw=";
  };

  nativeBuildInputs = [ cmake ];
  buildInputs = [ blas ];
  propagatedBuildInputs = lib.optionals pythonSupport [
    pythonPackages.python
    pythonPackages.numpy
    pythonPackages.six
  ];

  passthru = {
    inherit pythonSupport;
  };

  meta = {
    description = "Deep learning framework";
    homepage = "http://caffe.berkeleyvision.org/";
    license = lib.licenses.bsd2;
    platforms = lib.platforms.linux;
  };
}
