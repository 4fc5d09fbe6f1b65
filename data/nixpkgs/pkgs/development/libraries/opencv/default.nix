# OpenCV. `enablePython = true` (with `pythonPackages`, the Python set to
# build against) adds the Python bindings; the Python set exposes that
# variant as python3Packages.opencv4.
{
  lib,
  stdenv,
  fetchFromGitHub,
  cmake,
  pkg-config,
  zlib,
  enablePython ? false,
  pythonPackages ? null,
}:
stdenv.mkDerivation rec {
  pname = "opencv";
  version = "4.10.0";

  src = fetchFromGitHub {
    owner = "opencv";
    repo = "opencv";
    rev = version;
    hash = "sha256-wamXCk0rZWlkeJcrC2AiNcLKieQBkawHj6NvNIYMsuw=";
  };

  nativeBuildInputs = [
    cmake
    pkg-config
  ] ++ lib.optionals enablePython [ pythonPackages.python ];
  buildInputs = [ zlib ];
  propagatedBuildInputs = lib.optionals enablePython [ pythonPackages.numpy ];

  cmakeFlags = [ "-DBUILD_opencv_python3=${if enablePython then "ON" else "OFF"}" ];

  passthru = {
    inherit enablePython;
  };

  meta = {
    description = "Open Computer Vision Library with more than 500 algorithms";
    homepage = "https://opencv.org/";
    license = lib.licenses.asl20;
    platforms = lib.platforms.unix;
  };
}
