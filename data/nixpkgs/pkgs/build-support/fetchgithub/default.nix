# fetchFromGitHub: the archive GitHub serves for a commit or a tag, unpacked
# (fetchzip, named "source"). As in nixpkgs the result remembers where it
# came from: `owner`, `repo`, `tag` and `rev` (`refs/tags/<tag>` for a tag)
# are attributes of the derivation, `gitRepoUrl` is passthru, and
# meta.identifiers.purlParts gives it a `pkg:github/OWNER/REPO@REV` purl.
# Overridable (`src.override { tag = ...; }`).
{ lib, fetchzip }:
lib.makeOverridable (
  {
    owner,
    repo,
    rev ? null,
    tag ? null,
    name ? "source",
    githubBase ? "github.com",
    meta ? { },
    passthru ? { },
    ...
  }@args:
  assert (
    lib.xor (tag == null) (rev == null)
    || throw "fetchFromGitHub requires one of either `rev` or `tag` to be provided (not both)."
  );
  let
    baseUrl = "https://${githubBase}/${owner}/${repo}";
    revWithTag = if tag != null then "refs/tags/${tag}" else rev;
    position =
      if meta.description or null != null then
        builtins.unsafeGetAttrPos "description" meta
      else if tag != null then
        builtins.unsafeGetAttrPos "tag" args
      else
        builtins.unsafeGetAttrPos "rev" args;
  in
  fetchzip (
    removeAttrs args [
      "owner"
      "repo"
      "rev"
      "tag"
      "githubBase"
      "meta"
      "passthru"
    ]
    // {
      inherit name;
      url = "${baseUrl}/archive/${revWithTag}.tar.gz";
      derivationArgs = {
        inherit owner repo tag;
        rev = revWithTag;
      };
      meta =
        meta
        // {
          homepage = meta.homepage or baseUrl;
          identifiers = {
            purlParts =
              if githubBase == "github.com" then
                {
                  type = "github";
                  spec = "${owner}/${repo}@${lib.revOrTag rev tag}";
                }
              else
                {
                  type = "generic";
                  spec = "${repo}?vcs_url=https://${githubBase}/${owner}/${repo}@${lib.revOrTag rev tag}";
                };
          }
          // meta.identifiers or { };
        }
        // lib.optionalAttrs (position != null) { position = "${position.file}:${toString position.line}"; };
      passthru = {
        gitRepoUrl = "${baseUrl}.git";
      }
      // passthru;
    }
  )
)
