# fetchPypi: an sdist through the pypi mirror, or a wheel straight from
# files.pythonhosted.org. The result carries pname, version and format, and a
# package URL (purl) in meta.identifiers.
{ lib, fetchurl }:
lib.makeOverridable (
  {
    pname,
    version,
    format ? "setuptools",
    extension ? "tar.gz",
    python ? "py2.py3",
    dist ? python,
    abi ? "none",
    platform ? "any",
    hash ? "",
    sha256 ? "",
  }:
  let
    initial = builtins.substring 0 1 pname;
    url =
      if format == "wheel" then
        "https://files.pythonhosted.org/packages/${dist}/${initial}/${pname}/${pname}-${version}-${python}-${abi}-${platform}.whl"
      else if format == "setuptools" || format == "pyproject" then
        "mirror://pypi/${initial}/${pname}/${pname}-${version}.${extension}"
      else
        throw "fetchPypi: unsupported format ‘${format}’ for ${pname}";
    purl = "pkg:pypi/${pname}@${version}";
  in
  fetchurl {
    inherit url hash sha256;
    passthru = {
      inherit pname version format;
    };
    meta.identifiers = {
      purlParts = {
        type = "pypi";
        spec = "${pname}@${version}";
      };
      inherit purl;
      purls = [ purl ];
    };
  }
)
