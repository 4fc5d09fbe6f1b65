# Availability of a package from its meta, decided like nixpkgs decides it:
# broken, unsupported platform, unfree license or known vulnerabilities make
# a package unavailable unless the config allows it. An unavailable package
# can still be inspected; only its drvPath/outPath refuse to evaluate.
{
  lib,
  config,
  system,
}:
let
  allowBroken = config.allowBroken or false;
  allowUnfree = config.allowUnfree or false;
  allowUnfreePredicate = config.allowUnfreePredicate or (_: false);
  permittedInsecure = config.permittedInsecurePackages or [ ];

  licenseList = l: if builtins.isList l then l else [ l ];
  # A license given as a plain string counts as free, as in nixpkgs.
  isFreeLicense = l: !(builtins.isAttrs l) || (l.free or true);
  isUnfree = meta: meta ? license && !(lib.all isFreeLicense (licenseList meta.license));
  isInsecure = meta: (meta.knownVulnerabilities or [ ]) != [ ];
  isBroken = meta: meta.broken or false;
  platformSupported =
    meta:
    (!(meta ? platforms) || builtins.elem system meta.platforms)
    && !(builtins.elem system (meta.badPlatforms or [ ]));

  licenseNames =
    meta:
    builtins.concatStringsSep ", " (
      map (l: if builtins.isAttrs l then l.shortName or l.fullName or "unknown" else toString l) (
        licenseList meta.license
      )
    );

  # The first reason (if any) why a package may not be evaluated.
  problemOf =
    { name, meta }:
    if isBroken meta && !allowBroken then
      {
        reason = "broken";
        what = "is marked as broken";
        hint = "To evaluate it anyway, import nixpkgs with `config.allowBroken = true;`.";
      }
    else if !(platformSupported meta) then
      {
        reason = "unsupported";
        what = "is not available on the requested platform ${system}";
        hint = "Its meta.platforms do not include ${system}.";
      }
    else if isUnfree meta && !allowUnfree && !(allowUnfreePredicate { inherit name meta; }) then
      {
        reason = "unfree";
        what = "has an unfree license (‘${licenseNames meta}’)";
        hint = "To evaluate it anyway, import nixpkgs with `config.allowUnfree = true;`.";
      }
    else if isInsecure meta && !(builtins.elem name permittedInsecure) then
      {
        reason = "insecure";
        what = "is marked as insecure";
        hint =
          "Known issues:\n"
          + builtins.concatStringsSep "\n" (map (v: " - ${v}") meta.knownVulnerabilities)
          + "\n\nTo evaluate it anyway, add \"${name}\" to `config.permittedInsecurePackages`.";
      }
    else
      null;

  where = pos: if pos == null then "«unknown-file»" else "${pos.file}:${toString pos.line}";
in
{
  validity =
    {
      name,
      pos,
      meta,
    }:
    let
      problem = problemOf { inherit name meta; };
    in
    {
      valid = problem == null;
      reason = if problem == null then null else problem.reason;
      handled =
        if problem == null then
          true
        else
          throw "Package ‘${name}’ in ${where pos} ${problem.what}, refusing to evaluate.\n\n${problem.hint}";
    };

  commonMeta =
    {
      name,
      pos,
      meta,
      validity,
    }:
    {
      inherit name;
      outputsToInstall = [ "out" ];
      broken = isBroken meta;
      unfree = isUnfree meta;
      insecure = isInsecure meta;
    }
    // lib.optionalAttrs (pos != null) { position = "${pos.file}:${toString pos.line}"; }
    // meta
    // {
      available = validity.valid;
    };
}
