# The evaluator side of `nixpkgs-pyindex dump`.
#
# Loaded once per worker into a `nix repl` (see indexer/dump/worker.py). The repl
# survives every evaluation error, uncatchable ones included (abort, missing
# attribute, infinite recursion), and prints its message: that is how each
# attribute gets an honest record without restarting the evaluator. Records
# are written with builtins.trace, one line each, prefixed with markers the
# orchestrator parses.
#
# Only Nix 2.8 builtins are used. The workers run against a throwaway store
# (indexer/dump/evaluator.py): what nixpkgs copies while evaluating lands there,
# never in the user's store.
{
  # The nixpkgs tree (a path; the orchestrator passes it through NIX_PATH so
  # that restrict-eval allows it and nothing else).
  tree,
  # Package set names to dump, or null for every top-level pythonXYPackages
  # set plus python3Packages.
  sets ? null,
  # Add drvPath/outPath to the records (needs a writable store).
  withPaths ? false,
}:
let
  inherit (builtins)
    attrNames
    catAttrs
    concatMap
    deepSeq
    filter
    isAttrs
    isList
    isString
    listToAttrs
    match
    tryEval
    typeOf
    ;

  # The config every dump uses: nothing from the user's environment, aliases
  # on (so that they can be recorded as aliases), broken/unfree/insecure not
  # allowed (so that meta.available says what nixpkgs would build).
  importTree =
    allowAliases:
    import tree {
      config = {
        inherit allowAliases;
      };
      overlays = [ ];
    };
  pkgs = importTree true;
  pkgsNoAliases = importTree false;

  isDerivation = v: isAttrs v && (v.type or null) == "derivation";

  # tryEval that also forces the whole value, so a throw deep inside is
  # caught here and not later while the record is serialised.
  errorMarker = "__pyindexError";
  tryGuard =
    x:
    let
      r = tryEval (deepSeq x x);
    in
    if r.success then r.value else { ${errorMarker} = true; };
  tryShallow =
    default: x:
    let
      r = tryEval x;
    in
    if r.success then r.value else default;
  # A package's arguments as its author declared them (see the file).
  declaredArgs = import ./declared-args.nix;
  tryGuardOr =
    default: x:
    let
      r = tryEval (deepSeq x x);
    in
    if r.success then r.value else default;
  tryOr = tryGuardOr;

  # ---- the plan: sets, their identity, their attribute names ------------

  isSetName = n: match "python[0-9]+Packages" n != null || n == "python3Packages";
  # python3Packages last, so the versioned name represents a shared set.
  orderSets = names: filter (n: n != "python3Packages") names ++ filter (n: n == "python3Packages") names;
  autoSets = orderSets (filter isSetName (attrNames pkgsNoAliases));
  requestedSets = if sets == null then autoSets else sets;

  setUsable = n: pkgs ? ${n} && tryOr false (isAttrs pkgs.${n});

  # Two names denote one set when they share the set's own functions: the
  # same Value behind `callPackage` (catAttrs keeps the pointer, and Nix
  # compares list elements by pointer first). Comparing the sets themselves
  # would force every package.
  identityOf =
    n:
    let
      s = pkgs.${n};
    in
    concatMap (a: catAttrs a [ s ]) [
      "callPackage"
      "buildPythonPackage"
    ];
  sameSet =
    a: b:
    let
      ka = identityOf a;
      kb = identityOf b;
    in
    ka != [ ] && tryOr false (ka == kb);

  groupSets =
    names:
    builtins.foldl' (
      groups: n:
      let
        hit = filter (g: sameSet g.set n) groups;
      in
      if hit == [ ] then
        groups
        ++ [
          {
            set = n;
            same_as = [ ];
          }
        ]
      else
        map (g: if g.set == (builtins.head hit).set then g // { same_as = g.same_as ++ [ n ]; } else g) groups
    ) [ ] names;

  interpreterOf =
    s:
    let
      py = s.python or null;
    in
    if !isDerivation py then
      null
    else
      tryOr null {
        name = py.name or null;
        pname = py.pname or null;
        version = py.version or null;
        pythonVersion = py.pythonVersion or null;
        libPrefix = py.libPrefix or null;
        executable = py.executable or null;
        implementation = py.implementation or null;
      };

  usableSets = filter setUsable requestedSets;
  groups = groupSets usableSets;
  namesOf = n: attrNames pkgs.${n};
  aliasOnlyOf =
    n:
    let
      # Only the names: deepSeq'ing the set itself would evaluate every package.
      withoutAliases = listToAttrs (
        map (a: {
          name = a;
          value = null;
        }) (tryOr [ ] (attrNames pkgsNoAliases.${n}))
      );
    in
    if withoutAliases == { } then [ ] else filter (a: !(withoutAliases ? ${a})) (namesOf n);

  plan = {
    nixpkgs_version = tryOr null (pkgs.lib.version or null);
    system = tryOr null (pkgs.stdenv.hostPlatform.system or pkgs.system or null);
    auto = sets == null;
    missing = filter (n: !(pkgs ? ${n})) requestedSets;
    unusable = filter (n: pkgs ? ${n} && !setUsable n) requestedSets;
    sets = map (
      g:
      g
      // {
        interpreter = interpreterOf pkgs.${g.set};
        names = namesOf g.set;
        alias_only = aliasOnlyOf g.set;
      }
    ) groups;
  };

  # ---- one record per attribute -----------------------------------------
  # The record builders, in two editions. The fast one has no guards: one
  # tryEval around the whole record is all it pays for. Only when that fails
  # does the guarded one run, where a field that throws becomes an error
  # marker (or a default) instead of costing the record. The two give the
  # same record whenever the fast one succeeds; each field is written once,
  # as a raw builder, and the guarded edition wraps the builders' results.
  recordBuilders =
    guarded:
    let
      # Chosen once per edition, not per call: the fast edition's inner
      # loops then make no extra function calls at all.
      try = if guarded then tryGuard else (x: x);
      guardFields = default: fields: if guarded then builtins.mapAttrs (_: tryGuardOr default) fields else fields;
      guardInput = if guarded then (d: tryGuardOr [ ] (rawInputOf d)) else rawInputOf;

      optionalList = v: if isList v then v else if v == null then [ ] else [ v ];
      flatten = v: if isList v then concatMap flatten v else [ v ];

      # The facts mapping/modules.py decides module-ness from (the
      # orchestrator applies it, once it knows whether the tree has
      # pythonModule anywhere): pythonModule (null when the derivation has
      # no such attribute), and makeSetupHook's passthru.provides.setupHook.
      pythonModuleOf = d: if d ? pythonModule then d.pythonModule != false else null;
      providesSetupHook =
        d:
        let
          provides = d.provides or null;
        in
        isAttrs provides && (provides.setupHook or false) == true;

      # [ name pname version pythonModule providesSetupHook ] for a
      # derivation, its type name otherwise ("null" entries are dropped by
      # the orchestrator). A list, not an attribute set: tens of thousands of
      # inputs make the difference measurable.
      rawInputOf =
        d:
        if isAttrs d && (d.type or null) == "derivation" then
          [
            d.name
            (d.pname or null)
            (d.version or null)
            (pythonModuleOf d)
            (providesSetupHook d)
          ]
        else
          typeOf d;

      inputList =
        l:
        if isList l then
          map guardInput (if builtins.any isList l then flatten l else l)
        else
          map guardInput (optionalList l);

      # The input lists as the author wrote them: buildPythonPackage's own
      # arguments, recovered through overridePythonAttrs (the derivation merges
      # them with hooks and drops the check inputs).
      listArgs = {
        nativeBuildInputs = null;
        buildInputs = null;
        propagatedBuildInputs = null;
        propagatedNativeBuildInputs = null;
        dependencies = null;
        build-system = null;
        nativeCheckInputs = null;
        checkInputs = null;
        pythonPath = null;
      };
      declaredArgsOf =
        v:
        if v ? overridePythonAttrs then
          # Shallow on purpose: the arguments hold derivations, and deepSeq on a
          # derivation would instantiate it.
          tryShallow null (declaredArgs v)
        else
          null;
      inputsOf =
        v:
        let
          declared = declaredArgsOf v;
          from = if declared != null then declared else v;
          lists = builtins.mapAttrs (_: l: try (inputList l)) (builtins.intersectAttrs listArgs from);
          optional = from.optional-dependencies or from.passthru.optional-dependencies or null;
        in
        {
          inputs_from = if declared != null then "declared" else "derivation";
          inputs =
            if isAttrs optional then
              lists // { optional-dependencies = try (builtins.mapAttrs (_: inputList) optional); }
            else
              lists;
        };

      identifiersOf =
        d:
        let
          ids = d.meta.identifiers or { };
          one = ids.purl or null;
        in
        filter isString ((if isString one then [ one ] else [ ]) ++ (ids.purls or [ ]) ++ (ids.v1.purls or [ ]));

      sourceOf =
        s:
        if isDerivation s then
          {
            kind = "derivation";
            name = s.name or null;
            urls = if s ? urls then optionalList s.urls else if s ? url then [ s.url ] else [ ];
            pname = s.pname or null;
            version = s.version or null;
            format = s.format or null;
            git_url = s.gitRepoUrl or null;
            owner = s.owner or null;
            repo = s.repo or null;
            rev = s.rev or s.tag or null;
          }
          // guardFields [ ] { purls = identifiersOf s; }
        else if builtins.isPath s || isString s then
          {
            kind = typeOf s;
            # toString: a path must not be copied to the store.
            path = toString s;
          }
        else
          { kind = typeOf s; };

      sourcesOf =
        v:
        if v ? src then
          [ (try (sourceOf v.src)) ]
        else if v ? srcs then
          map (s: try (sourceOf s)) (flatten (optionalList v.srcs))
        else
          [ ];

      licenseFree =
        l:
        if isList l then
          builtins.all licenseFree l
        else if isAttrs l then
          l.free or true
        else
          true;

      metaOf =
        v:
        let
          m = v.meta or { };
        in
        guardFields null {
          position = m.position or null;
          homepage = m.homepage or null;
          description = m.description or null;
          broken = m.broken or false;
          unfree = !(licenseFree (m.license or { }));
          insecure = (m.knownVulnerabilities or [ ]) != [ ];
          available = m.available or null;
          build_python_package = m ? isBuildPythonPackage;
        };

      derivationRecord =
        v:
        let
          interp = v.pythonModule or null;
        in
        {
          status = "ok";
          # Not guarded: a package without a name has no record worth keeping,
          # and the repl reports why.
          name = v.name;
          python_module = pythonModuleOf v;
          setup_hook = providesSetupHook v;
          src = sourcesOf v;
        }
        // guardFields { ${errorMarker} = true; } {
          pname = v.pname or null;
          version = v.version or null;
          interpreter = if isDerivation interp then interp.libPrefix or interp.name else null;
        }
        // guardFields [ ] { purls = identifiersOf v; }
        // metaOf v
        // inputsOf v
        // (if withPaths then guardFields null { drv_path = v.drvPath; out_path = v.outPath; } else { });

      valueRecord =
        v:
        if v == null then
          { status = "null"; }
        else if isDerivation v then
          derivationRecord v
        else
          {
            status = "not-derivation";
            value_type = typeOf v;
            recurse = isAttrs v && (v.recurseForDerivations or false) == true;
          };

      recordOf = setName: attr: { attr = attr; } // valueRecord pkgs.${setName}.${attr};
    in
    {
      inherit recordOf;
    };
  fastRecords = recordBuilders false;
  guardedRecords = recordBuilders true;

  # ---- the commands the orchestrator sends ------------------------------
  # Short names: the repl reads its input one character at a time.

  # Set numbers index plan.sets, the list the orchestrator received; only
  # the parts used here are evaluated.
  setAt = setIndex: (builtins.elemAt plan.sets setIndex).set;
  nameAt = setIndex: i: builtins.elemAt (builtins.elemAt plan.sets setIndex).names i;
  range = from: to: if from >= to then [ ] else builtins.genList (i: from + i) (to - from);

  # A record as a JSON line. The package's value is forced without tryEval:
  # when it throws (disabled, removed, refused, any throw or assert of the
  # tree), the batch stops there and the repl prints the message, which costs
  # one throw; tryEval would cost one to fail and another, uncaught, for the
  # message, and newer Nix reads the source files of an error's positions on
  # every throw. Past the value, an error tryEval catches (a field that
  # throws) gives the guarded edition's record, or a "caught" stub whose
  # message the orchestrator asks for with `m`.
  recordLine =
    setIndex: i:
    let
      attr = nameAt setIndex i;
      jsonOf = builders: tryEval (builtins.toJSON (builders.recordOf (setAt setIndex) attr));
      fast = jsonOf fastRecords;
      guarded = jsonOf guardedRecords;
    in
    builtins.seq pkgs.${setAt setIndex}.${attr} (
      if fast.success then
        fast.value
      else if guarded.success then
        guarded.value
      else
        builtins.toJSON {
          inherit attr;
          status = "caught";
        }
    );
in
{
  inherit plan;

  # Trace the plan.
  P = builtins.trace ("@@P " + builtins.toJSON plan) null;

  # End marker n: everything the repl printed before it belongs to the
  # command sent before it.
  E = n: builtins.trace ("@@E " + toString n) null;

  # Trace the records of attributes [from, to) of set number setIndex, in
  # order. Only an error tryEval cannot catch stops the batch, at the
  # attribute that raised it; the repl then prints its message.
  e =
    setIndex: from: to:
    builtins.foldl' (
      acc: i: builtins.seq acc (builtins.trace ("@@R " + recordLine setIndex i) null)
    ) null (range from to);

  # Evaluate a record without tryEval, so that the repl prints the message
  # of the error that tryEval caught ("@@M ok" if it evaluates after all).
  m =
    setIndex: i:
    builtins.seq (builtins.toJSON (guardedRecords.recordOf (setAt setIndex) (nameAt setIndex i))) (
      builtins.trace "@@M ok" null
    );

  # Whether two attributes of a set hold the very same package (an alias and
  # its target): compares the Values behind their override functions by
  # pointer, which never forces a derivation's outPath.
  s =
    setIndex: a: b:
    let
      set = pkgs.${setAt setIndex};
      keys =
        x:
        concatMap (k: catAttrs k [ set.${x} ]) [
          "overrideAttrs"
          "override"
          "overridePythonAttrs"
        ];
      ka = keys a;
    in
    builtins.trace ("@@S " + (if ka != [ ] && tryOr false (ka == keys b) then "true" else "false")) null;
}
