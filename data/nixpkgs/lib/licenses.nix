# The licenses the fixture's packages use. `free = false` marks a license
# that makes a package unavailable unless config.allowUnfree is set.
let
  mk =
    spdxId: fullName: extra:
    {
      inherit spdxId fullName;
      shortName = spdxId;
      url = "https://spdx.org/licenses/${spdxId}.html";
      free = true;
      redistributable = true;
      deprecated = false;
    }
    // extra;
in
{
  asl20 = mk "Apache-2.0" "Apache License 2.0" { shortName = "asl20"; };
  bsd2 = mk "BSD-2-Clause" "BSD 2-clause \"Simplified\" License" { shortName = "bsd2"; };
  bsd3 = mk "BSD-3-Clause" "BSD 3-clause \"New\" or \"Revised\" License" { shortName = "bsd3"; };
  bsdOriginal = mk "BSD-4-Clause" "BSD 4-clause \"Original\" or \"Old\" License" { shortName = "bsdOriginal"; };
  gpl2Plus = mk "GPL-2.0-or-later" "GNU General Public License v2.0 or later" { shortName = "gpl2Plus"; };
  gpl3Plus = mk "GPL-3.0-or-later" "GNU General Public License v3.0 or later" { shortName = "gpl3Plus"; };
  isc = mk "ISC" "ISC License" { shortName = "isc"; };
  lgpl21Plus = mk "LGPL-2.1-or-later" "GNU Lesser General Public License v2.1 or later" { shortName = "lgpl21Plus"; };
  lgpl3Plus = mk "LGPL-3.0-or-later" "GNU Lesser General Public License v3.0 or later" { shortName = "lgpl3Plus"; };
  mit = mk "MIT" "MIT License" { shortName = "mit"; };
  mpl20 = mk "MPL-2.0" "Mozilla Public License 2.0" { shortName = "mpl20"; };
  ncsa = mk "NCSA" "University of Illinois/NCSA Open Source License" { shortName = "ncsa"; };
  psfl = mk "Python-2.0" "Python Software Foundation License version 2" { shortName = "psfl"; };
  zlib = mk "Zlib" "zlib License" { shortName = "zlib"; };
  zpl21 = mk "ZPL-2.1" "Zope Public License 2.1" { shortName = "zpl21"; };
  unfree = {
    shortName = "unfree";
    fullName = "Unfree";
    free = false;
    redistributable = false;
    deprecated = false;
  };
  unfreeRedistributable = {
    shortName = "unfreeRedistributable";
    fullName = "Unfree redistributable";
    free = false;
    redistributable = true;
    deprecated = false;
  };
}
