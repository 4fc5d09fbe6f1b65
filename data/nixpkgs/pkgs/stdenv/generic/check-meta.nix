# What nixpkgs makes of a package's meta, decided like nixpkgs decides it:
#   * availability: broken, unsupported platform, unfree license, non-source
#     provenance or known vulnerabilities make a package unavailable unless
#     the config allows it. An unavailable package can still be inspected;
#     only its drvPath/outPath refuse to evaluate.
#   * meta.problems (RFC 127): `removal`, `deprecated` and `broken` problems a
#     package declares, each handled as "error", "warn" or "ignore" by
#     config.problems (handlers per package and problem name, then matchers;
#     by default a removal warns and everything else is ignored). Warnings
#     are printed with lib.warn when the package is instantiated, like the
#     refusal of an unavailable package.
#   * meta.identifiers: a package URL from `identifiers.purlParts`
#     (`{ type; spec; }` -> `pkg:TYPE/SPEC`), as `purl`, `purls` and under
#     `v1`. Only the package's own purlParts count: a source's purl stays on
#     the source (fetchPypi, fetchFromGitHub set theirs).
{
  lib,
  config,
  system,
}:
let
  allowBroken = config.allowBroken or false;
  allowUnfree = config.allowUnfree or false;
  allowUnfreePredicate = config.allowUnfreePredicate or (_: false);
  allowNonSource = config.allowNonSource or true;
  allowNonSourcePredicate = config.allowNonSourcePredicate or (_: false);
  permittedInsecure = config.permittedInsecurePackages or [ ];

  problemsConfig = {
    handlers = config.problems.handlers or { };
    matchers = config.problems.matchers or [
      {
        kind = "removal";
        handler = "warn";
      }
    ];
  };

  licenseList = l: if builtins.isList l then l else [ l ];
  # A license given as a plain string counts as free, as in nixpkgs.
  isFreeLicense = l: !(builtins.isAttrs l) || (l.free or true);
  isUnfree = meta: meta ? license && !(lib.all isFreeLicense (licenseList meta.license));
  isInsecure = meta: (meta.knownVulnerabilities or [ ]) != [ ];
  isBroken = meta: meta.broken or false;
  isNonSource = meta: lib.any (t: !(t.isSource or true)) (meta.sourceProvenance or [ ]);
  platformSupported =
    meta:
    (!(meta ? platforms) || builtins.elem system meta.platforms)
    && !(builtins.elem system (meta.badPlatforms or [ ]));

  showNames =
    list:
    builtins.concatStringsSep ", " (
      map (l: if builtins.isAttrs l then l.shortName or l.fullName or "unknown" else toString l) (
        licenseList list
      )
    );

  # The first reason (if any) why a package may not be evaluated.
  refusalOf =
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
        what = "has an unfree license (‘${showNames meta.license}’)";
        hint = "To evaluate it anyway, import nixpkgs with `config.allowUnfree = true;`.";
      }
    else if isNonSource meta && !allowNonSource && !(allowNonSourcePredicate { inherit name meta; }) then
      {
        reason = "non-source";
        what = "contains elements not built from source (‘${showNames meta.sourceProvenance}’)";
        hint = "To evaluate it anyway, import nixpkgs with `config.allowNonSource = true;`.";
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

  # ---- meta.problems ------------------------------------------------------

  # The problems of a package, each with its name, kind (the name unless
  # given) and handler.
  handlerOrder = {
    ignore = 0;
    warn = 1;
    error = 2;
  };
  strongest = a: b: if handlerOrder.${a} >= handlerOrder.${b} then a else b;
  handlerFor =
    pname: problem:
    problemsConfig.handlers.${pname}.${problem.name} or (builtins.foldl' strongest "ignore" (
      map (m: m.handler) (
        builtins.filter (
          m:
          (m.name or null == null || m.name == problem.name)
          && (m.kind or null == null || m.kind == problem.kind)
          && (m.package or null == null || m.package == pname)
        ) problemsConfig.matchers
      )
    ));
  problemsOf =
    { pname, meta }:
    lib.mapAttrsToList (
      name: problem:
      let
        full = {
          inherit name;
          kind = name;
        }
        // problem;
      in
      full // { handler = handlerFor pname full; }
    ) (meta.problems or { });
  describeProblem =
    p:
    "${p.name}${lib.optionalString (p.kind != p.name) " (kind \"${p.kind}\")"}: ${p.message}"
    + lib.optionalString ((p.urls or [ ]) != [ ]) " (${builtins.concatStringsSep ", " p.urls})";

  where = pos: if pos == null then "«unknown-file»" else "${pos.file}:${toString pos.line}";

  # ---- meta.identifiers ---------------------------------------------------

  identifiersOf =
    meta:
    let
      given = meta.identifiers or { };
      purlParts = given.purlParts or { };
      formatted =
        if purlParts ? type && purlParts ? spec then "pkg:${purlParts.type}/${purlParts.spec}" else null;
      purls = given.purls or (if formatted != null then [ formatted ] else [ ]);
      v1 = {
        inherit purls;
      }
      // lib.optionalAttrs (formatted != null) { purl = formatted; };
    in
    v1 // { inherit v1 purlParts; };
in
{
  validity =
    {
      name,
      pname,
      pos,
      meta,
    }:
    let
      refusal = refusalOf { inherit name meta; };
      problems = builtins.filter (p: p.handler != "ignore") (problemsOf { inherit pname meta; });
      warnings = builtins.filter (p: p.handler == "warn") problems;
      errors = builtins.filter (p: p.handler == "error") problems;
      valid =
        if refusal != null || errors != [ ] then
          "no"
        else if warnings != [ ] then
          "warn"
        else
          "yes";
      warnAll =
        v:
        builtins.foldl' (
          acc: p:
          lib.warn "Package ‘${name}’ in ${where pos} has the following problem: ${describeProblem p}" acc
        ) v warnings;
    in
    {
      inherit valid;
      reason =
        if refusal != null then
          refusal.reason
        else if errors != [ ] then
          "problem"
        else
          null;
      # Forced by drvPath/outPath only: warnings come first, then a refusal.
      handled = warnAll (
        if refusal != null then
          throw "Package ‘${name}’ in ${where pos} ${refusal.what}, refusing to evaluate.\n\n${refusal.hint}"
        else if errors != [ ] then
          throw (
            "Package ‘${name}’ in ${where pos} has problems, refusing to evaluate:\n"
            + builtins.concatStringsSep "\n" (map (p: "- ${describeProblem p}") errors)
            + "\n\nTo evaluate it anyway, set `config.problems.handlers.${pname}.NAME = \"warn\";`."
          )
        else
          true
      );
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
    }
    // lib.optionalAttrs (pos != null) { position = "${pos.file}:${toString pos.line}"; }
    // meta
    // {
      # Maintainers include the members of the teams.
      maintainers = lib.unique (
        (meta.maintainers or [ ]) ++ lib.concatMap (team: team.members or [ ]) (meta.teams or [ ])
      );
      nonTeamMaintainers = meta.nonTeamMaintainers or meta.maintainers or [ ];
      identifiers = identifiersOf meta;
      broken = isBroken meta;
      unfree = isUnfree meta;
      insecure = isInsecure meta;
      unsupported = !(platformSupported meta);
      available = validity.valid != "no";
    };
}
