# fetchFromGitHub: the archive GitHub serves for a commit or a tag, unpacked.
# The result remembers where it came from: owner, repo, rev (refs/tags/<tag>
# for a tag), tag and the clone URL.
{ lib, fetchzip }:
{
  owner,
  repo,
  rev ? null,
  tag ? null,
  name ? "source",
  hash ? "",
  sha256 ? "",
  meta ? { },
  passthru ? { },
  ...
}:
let
  ref =
    if (rev == null) == (tag == null) then
      throw "fetchFromGitHub (${owner}/${repo}): give exactly one of `rev` or `tag`"
    else if tag != null then
      "refs/tags/${tag}"
    else
      rev;
  webUrl = "https://github.com/${owner}/${repo}";
in
fetchzip {
  inherit name hash sha256;
  url = "${webUrl}/archive/${ref}.tar.gz";
  meta = {
    homepage = webUrl;
  } // meta;
  passthru = {
    inherit owner repo tag;
    rev = ref;
    gitRepoUrl = "${webUrl}.git";
  } // passthru;
}
