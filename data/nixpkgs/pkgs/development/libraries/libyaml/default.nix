{
  lib,
  stdenv,
  fetchFromGitHub,
}:
stdenv.mkDerivation rec {
  pname = "libyaml";
  version = "0.2.5";

  src = fetchFromGitHub {
    owner = "yaml";
    repo = "libyaml";
    rev = version;
    hash = "sha256-e4l79g/d9Yws4P4s8xx0U07gvoCuYqkebqO8AkjTvZ0=";
  };

  meta = {
    description = "YAML 1.1 parser and emitter written in C";
    homepage = "https://pyyaml.org/";
    license = lib.licenses.mit;
    platforms = lib.platforms.unix;
  };
}
