# fetchPypi: an sdist through the pypi mirror, or a wheel straight from
# files.pythonhosted.org. As in nixpkgs today, the result carries none of
# pname, version and format: the only trace of the PyPI project is
# meta.identifiers.purlParts = { type = "pypi"; spec = "PNAME@VERSION"; },
# which check-meta turns into meta.identifiers.{purl,purls,v1}.
{ lib, fetchurl }:
let
  computeUrl =
    {
      format ? "setuptools",
      ...
    }@attrs:
    let
      computeWheelUrl =
        {
          pname,
          version,
          dist ? "py2.py3",
          python ? "py2.py3",
          abi ? "none",
          platform ? "any",
        }:
        "https://files.pythonhosted.org/packages/${dist}/${builtins.substring 0 1 pname}/${pname}/${pname}-${version}-${python}-${abi}-${platform}.whl";
      computeSourceUrl =
        {
          pname,
          version,
          extension ? "tar.gz",
        }:
        "mirror://pypi/${builtins.substring 0 1 pname}/${pname}/${pname}-${version}.${extension}";
      compute =
        if format == "wheel" then
          computeWheelUrl
        else if format == "setuptools" then
          computeSourceUrl
        else
          throw "Unsupported format ${format}";
    in
    compute (removeAttrs attrs [ "format" ]);
in
lib.makeOverridable (
  {
    format ? "setuptools",
    sha256 ? "",
    hash ? "",
    pname,
    version,
    ...
  }@attrs:
  fetchurl {
    url = computeUrl (
      removeAttrs attrs [
        "sha256"
        "hash"
      ]
    );
    inherit sha256 hash;
    meta.identifiers.purlParts = {
      type = "pypi";
      spec = "${pname}@${version}";
    };
  }
)
