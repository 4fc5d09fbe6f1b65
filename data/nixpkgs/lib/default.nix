# The fixture's library: a small, self-written subset of the functions the
# nixpkgs library offers, with the same names and the same behaviour on the
# points the fixture relies on. Only Nix 2.8 builtins are used.
let
  inherit (builtins)
    attrNames
    compareVersions
    concatLists
    concatStringsSep
    elem
    elemAt
    filter
    foldl'
    genList
    head
    intersectAttrs
    isAttrs
    isList
    isString
    length
    listToAttrs
    mapAttrs
    parseDrvName
    readFile
    removeAttrs
    stringLength
    substring
    tail
    ;

  # ---- plumbing --------------------------------------------------------------

  id = x: x;
  const = x: _: x;
  flip =
    f: a: b:
    f b a;

  # Functions that may also be sets with `__functor` (what setFunctionArgs
  # makes): lib.isFunction says yes to both, builtins.isFunction to lambdas only.
  isFunction = f: builtins.isFunction f || (isAttrs f && f ? __functor && isFunction (f.__functor f));
  setFunctionArgs = f: args: {
    __functor = _: f;
    __functionArgs = args;
  };
  functionArgs =
    f:
    if f ? __functor then
      f.__functionArgs or (functionArgs (f.__functor f))
    else
      builtins.functionArgs f;
  mirrorFunctionArgs =
    f:
    let
      fArgs = functionArgs f;
    in
    g: setFunctionArgs g fArgs;
  toFunction = v: if isFunction v then v else _: v;
  # An overlay `final: prev: { ... }` from a set, `prev: { ... }` or an overlay.
  toExtension =
    f:
    if isFunction f then
      final: prev:
      let
        fPrev = f prev;
      in
      if isFunction fPrev then f final prev else fPrev
    else
      final: prev: f;
  pipe = builtins.foldl' (x: f: f x);

  # ---- warnings --------------------------------------------------------------

  # builtins.warn exists from Nix 2.23 on; older evaluators print the same
  # text with builtins.trace (and abort under NIX_ABORT_ON_WARN), as
  # nixpkgs' lib/trivial.nix does.
  warn =
    builtins.warn or (
      let
        mustAbort = elem (builtins.getEnv "NIX_ABORT_ON_WARN") [
          "1"
          "true"
          "yes"
        ];
      in
      msg: v:
      assert isString msg;
      if mustAbort then
        builtins.trace "evaluation warning: ${msg}" (
          abort "NIX_ABORT_ON_WARN=true; warnings are treated as unrecoverable errors."
        )
      else
        builtins.trace "evaluation warning: ${msg}" v
    );
  warnIf = cond: msg: if cond then warn msg else id;
  warnIfNot = cond: msg: if cond then id else warn msg;
  throwIf = cond: msg: if cond then throw msg else id;
  throwIfNot = cond: msg: if cond then id else throw msg;

  # Right fold written with an index so that long lists do not nest thunks.
  foldr =
    op: nul: list:
    let
      len = length list;
      go = i: if i == len then nul else op (elemAt list i) (go (i + 1));
    in
    go 0;

  # ---- lists -----------------------------------------------------------------

  optional = cond: x: if cond then [ x ] else [ ];
  optionals = cond: xs: if cond then xs else [ ];
  concatMap = f: list: concatLists (map f list);
  flatten = x: if isList x then concatMap flatten x else [ x ];
  last = list: elemAt list (length list - 1);
  range = first: lastIncl: if first > lastIncl then [ ] else genList (i: first + i) (lastIncl - first + 1);
  any = pred: foldl' (seen: x: seen || pred x) false;
  all = pred: foldl' (ok: x: ok && pred x) true;
  count = pred: foldl' (n: x: if pred x then n + 1 else n) 0;
  # Keeps the first occurrence of every element (quadratic; lists are short).
  unique = foldl' (kept: x: if elem x kept then kept else kept ++ [ x ]) [ ];
  findFirst =
    pred: default: list:
    let
      hits = filter pred list;
    in
    if hits == [ ] then default else head hits;

  xor = a: b: (a || b) && !(a && b);
  subtractLists = e: filter (x: !(elem x e));
  groupBy =
    pred:
    foldl' (
      r: e:
      let
        key = pred e;
      in
      r // { ${key} = (r.${key} or [ ]) ++ [ e ]; }
    ) { };

  # ---- attribute sets --------------------------------------------------------

  optionalAttrs = cond: set: if cond then set else { };
  filterAttrs =
    pred: set:
    listToAttrs (
      concatMap (
        name:
        let
          value = set.${name};
        in
        if pred name value then [ { inherit name value; } ] else [ ]
      ) (attrNames set)
    );
  mapAttrsToList = f: set: map (name: f name set.${name}) (attrNames set);
  mapAttrs' = f: set: listToAttrs (mapAttrsToList f set);
  concatAttrValues = set: concatLists (builtins.attrValues set);
  mergeAttrsList = foldl' (a: b: a // b) { };
  nameValuePair = name: value: { inherit name value; };
  genAttrs = names: f: listToAttrs (map (n: nameValuePair n (f n)) names);
  attrByPath =
    path: default: set:
    if path == [ ] then
      set
    else if isAttrs set && set ? ${head path} then
      attrByPath (tail path) default set.${head path}
    else
      default;
  recursiveUpdate =
    lhs: rhs:
    lhs
    // mapAttrs (
      name: value: if isAttrs value && isAttrs (lhs.${name} or null) then recursiveUpdate lhs.${name} value else value
    ) rhs;

  isDerivation = x: isAttrs x && (x.type or null) == "derivation";
  # An output of a package, falling back to the package itself.
  getOutput = output: pkg: if !(pkg ? outputSpecified) || !pkg.outputSpecified then pkg.${output} or pkg.out or pkg else pkg;
  getBin = getOutput "bin";
  getLib = getOutput "lib";
  getDev = getOutput "dev";
  getMan = getOutput "man";
  getExe =
    x:
    let
      program = x.meta.mainProgram or (getName x);
    in
    "${getBin x}/bin/${program}";
  makeBinPath = paths: concatStringsSep ":" (map (p: "${getBin p}/bin") paths);
  addMetaAttrs = newAttrs: drv: drv // { meta = (drv.meta or { }) // newAttrs; };
  # Keeps a package out of Hydra's jobs (aliases use it).
  dontDistribute = drv: addMetaAttrs { hydraPlatforms = [ ]; } drv;
  # Warns when the package is instantiated (drvPath/outPath), not when it is
  # merely looked at.
  warnOnInstantiate =
    msg: drv:
    let
      drvToWrap = removeAttrs drv [
        "meta"
        "name"
        "type"
      ];
    in
    drv // mapAttrs (_: warn msg) drvToWrap;
  # nix-env descends into a nested set only when it says so.
  recurseIntoAttrs = set: set // { recurseForDerivations = true; };
  dontRecurseIntoAttrs = set: set // { recurseForDerivations = false; };

  # ---- strings ---------------------------------------------------------------

  optionalString = cond: s: if cond then s else "";
  hasPrefix =
    prefix: s:
    substring 0 (stringLength prefix) s == prefix;
  hasSuffix =
    suffix: s:
    let
      ls = stringLength s;
      lx = stringLength suffix;
    in
    lx <= ls && substring (ls - lx) lx s == suffix;
  removePrefix =
    prefix: s:
    if hasPrefix prefix s then substring (stringLength prefix) (stringLength s - stringLength prefix) s else s;
  removeSuffix =
    suffix: s:
    if hasSuffix suffix s then substring 0 (stringLength s - stringLength suffix) s else s;
  # Characters that `builtins.split` would read as regex syntax.
  escapeRegex = builtins.replaceStrings
    [ "\\" "[" "]" "{" "}" "(" ")" "^" "$" "." "|" "*" "+" "?" ]
    [ "\\\\" "\\[" "\\]" "\\{" "\\}" "\\(" "\\)" "\\^" "\\$" "\\." "\\|" "\\*" "\\+" "\\?" ];
  splitString = sep: s: filter isString (builtins.split (escapeRegex sep) s);
  replaceStrings = builtins.replaceStrings;
  replaceString = from: to: builtins.replaceStrings [ from ] [ to ];
  hasInfix =
    infix: content:
    builtins.match ".*${escapeRegex infix}.*" "${content}" != null;
  concatMapStringsSep = sep: f: list: concatStringsSep sep (map f list);
  concatLines = list: concatStringsSep "\n" list + optionalString (list != [ ]) "\n";
  toLower = builtins.replaceStrings upperChars lowerChars;
  toUpper = builtins.replaceStrings lowerChars upperChars;
  stringToCharacters = s: genList (i: substring i 1 s) (stringLength s);
  lowerChars = stringToCharacters "abcdefghijklmnopqrstuvwxyz";
  upperChars = stringToCharacters "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  fileContents = file: removeSuffix "\n" (readFile file);

  # ---- versions and names ----------------------------------------------------

  versionOlder = v1: v2: compareVersions v1 v2 < 0;
  versionAtLeast = v1: v2: !(versionOlder v1 v2);
  splitVersion = builtins.splitVersion;
  majorMinor =
    v:
    let
      parts = splitVersion v;
    in
    if length parts < 2 then v else "${elemAt parts 0}.${elemAt parts 1}";
  getName = x: if isString x then (parseDrvName x).name else x.pname or (parseDrvName x.name).name;
  getVersion = x: if isString x then (parseDrvName x).version else x.version or (parseDrvName x.name).version;

  # ---- fixed points and extensions -------------------------------------------

  fix =
    f:
    let
      x = f x;
    in
    x;
  # `extends overlay f` is the function whose fixed point is f's fixed point
  # with `overlay final prev` layered on top.
  extends =
    overlay: f: final:
    let
      prev = f final;
    in
    prev // overlay final prev;
  composeExtensions =
    first: second: final: prev:
    let
      firstLayer = first final prev;
      between = prev // firstLayer;
    in
    firstLayer // second final between;
  composeManyExtensions = foldr composeExtensions (_: _: { });

  # ---- overriding and calling packages ----------------------------------------

  # Wraps `f origArgs` so that the result carries `override` (call f again
  # with changed arguments) and keeps it through overrideAttrs and
  # overrideDerivation. A function result becomes a functor that keeps its
  # argument names (callPackage of a builder such as mk-python-derivation).
  makeOverridable =
    f:
    let
      mirrorArgs = mirrorFunctionArgs f;
    in
    mirrorArgs (
      origArgs:
      let
        result = f origArgs;
        changedArgs = newArgs: origArgs // (if isFunction newArgs then newArgs origArgs else newArgs);
        override = mirrorArgs (newArgs: makeOverridable f (changedArgs newArgs));
        # Apply g to the result while keeping the result overridable.
        afterwards = g: makeOverridable (mirrorArgs (args: g (f args))) origArgs;
      in
      if isAttrs result then
        result
        // {
          inherit override;
          overrideDerivation = change: afterwards (drv: overrideDerivation drv change);
        }
        // optionalAttrs (result ? overrideAttrs) {
          overrideAttrs = change: afterwards (drv: drv.overrideAttrs change);
        }
      else if isFunction result then
        setFunctionArgs result (functionArgs result) // { inherit override; }
      else
        result
    );

  # Calls the function in `fn` (or in the file `fn`) with the arguments it
  # names taken from autoArgs, then `args` on top. Only the names the
  # function asks for are looked up, so the cost does not grow with the size
  # of autoArgs.
  callPackageWith =
    autoArgs: fn: args:
    let
      f = if isFunction fn then fn else import fn;
      wanted = functionArgs f;
      supplied = mapAttrs (name: _: autoArgs.${name}) (intersectAttrs autoArgs wanted);
    in
    makeOverridable f (supplied // args);

  # A build helper derived from another one (mkDerivation, fetchurl, ...),
  # taking a set or `finalAttrs: { ... }` like the one it extends, as
  # nixpkgs' lib.extendMkDerivation: `extendDrvArgs finalAttrs args` gives
  # the attributes to pass on, `excludeDrvArgNames` are dropped from the
  # caller's set, and `transformDrv` is applied to the result.
  extendMkDerivation =
    let
      extendsWithExclusion =
        excludedNames: g: f: final:
        let
          previous = f final;
        in
        removeAttrs previous excludedNames // g final previous;
    in
    {
      constructDrv,
      excludeDrvArgNames ? [ ],
      extendDrvArgs,
      inheritFunctionArgs ? true,
      transformDrv ? id,
    }:
    setFunctionArgs (
      fpargs:
      transformDrv (
        constructDrv (extendsWithExclusion excludeDrvArgNames extendDrvArgs (toFunction fpargs))
      )
    ) (
      optionalAttrs inheritFunctionArgs (removeAttrs (functionArgs constructDrv) excludeDrvArgNames)
      // functionArgs (extendDrvArgs { })
    );

  # A package scope: a fixed point with its own callPackage that looks in the
  # scope first, then wherever `newScope` looks.
  makeScope =
    newScope: f:
    let
      self = f self // {
        newScope = extra: newScope (self // extra);
        callPackage = self.newScope { };
        overrideScope = g: makeScope newScope (extends g f);
        packages = f;
      };
    in
    self;

  overrideDerivation =
    drv: change:
    let
      newDrv = derivation (drv.drvAttrs // change drv);
    in
    newDrv
    // {
      meta = drv.meta or { };
      passthru = drv.passthru or { };
    };

  # Adds `extra` to a derivation and guards its paths with `condition`
  # (which is `true` or throws): name, meta and inputs stay readable. Every
  # output (`drv.out`, `drv.doc`, ...) carries the same attributes.
  extendDerivation =
    condition: extra: drv:
    let
      outputs = drv.outputs or [ "out" ];
      commonAttrs = drv // listToAttrs outputsList // { all = map (x: x.value) outputsList; } // extra;
      outputToAttrListElement = outputName: {
        name = outputName;
        value = commonAttrs // {
          inherit (drv.${outputName}) type outputName;
          outputSpecified = true;
          drvPath = assert condition; drv.${outputName}.drvPath;
          outPath = assert condition; drv.${outputName}.outPath;
        };
      };
      outputsList = map outputToAttrListElement outputs;
    in
    commonAttrs
    // {
      drvPath = assert condition; drv.drvPath;
      outPath = assert condition; drv.outPath;
    };

  revOrTag = rev: tag: if tag != null then tag else rev;

  # ---- data ------------------------------------------------------------------

  licenses = import ./licenses.nix;
  maintainers = import ./maintainers.nix;
  teams = import ./teams.nix { inherit maintainers; };
  # meta.sourceProvenance values.
  sourceTypes =
    let
      mk = shortName: isSource: { inherit shortName isSource; };
    in
    {
      fromSource = mk "fromSource" true;
      binaryNativeCode = mk "binaryNativeCode" false;
      binaryBytecode = mk "binaryBytecode" false;
      binaryFirmware = mk "binaryFirmware" false;
    };
  platforms = rec {
    linux = [
      "x86_64-linux"
      "aarch64-linux"
      "i686-linux"
      "armv7l-linux"
      "riscv64-linux"
    ];
    darwin = [
      "x86_64-darwin"
      "aarch64-darwin"
    ];
    unix = linux ++ darwin;
    all = unix ++ [ "x86_64-windows" ];
  };

  # .version is read when present; a copy of the tree without it still loads.
  version = if builtins.pathExists ../.version then fileContents ../.version else "26.05pre-fixture";
  fakeHash = "sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";

  release = majorMinor version;
  # The oldest release still supported, as YYMM; the fixture supports only its own.
  oldestSupportedRelease = 2605;
  oldestSupportedReleaseIsAtLeast = release': release' <= oldestSupportedRelease;

  trivial = {
    inherit
      id
      const
      flip
      version
      release
      warn
      warnIf
      warnIfNot
      throwIf
      throwIfNot
      isFunction
      setFunctionArgs
      functionArgs
      mirrorFunctionArgs
      toFunction
      toExtension
      pipe
      oldestSupportedReleaseIsAtLeast
      ;
  };
in
{
  inherit
    id
    const
    flip
    foldr
    optional
    optionals
    concatMap
    flatten
    last
    range
    any
    all
    count
    unique
    findFirst
    optionalAttrs
    filterAttrs
    mapAttrsToList
    nameValuePair
    genAttrs
    attrByPath
    recursiveUpdate
    isDerivation
    recurseIntoAttrs
    dontRecurseIntoAttrs
    optionalString
    hasPrefix
    hasSuffix
    removePrefix
    removeSuffix
    escapeRegex
    splitString
    stringToCharacters
    toLower
    toUpper
    fileContents
    versionOlder
    versionAtLeast
    splitVersion
    getName
    getVersion
    fix
    extends
    composeExtensions
    composeManyExtensions
    makeOverridable
    callPackageWith
    makeScope
    overrideDerivation
    extendDerivation
    extendMkDerivation
    licenses
    maintainers
    teams
    sourceTypes
    platforms
    version
    fakeHash
    trivial
    isFunction
    setFunctionArgs
    functionArgs
    mirrorFunctionArgs
    toFunction
    toExtension
    pipe
    warn
    warnIf
    warnIfNot
    throwIf
    throwIfNot
    xor
    subtractLists
    groupBy
    mapAttrs'
    concatAttrValues
    mergeAttrsList
    getOutput
    getBin
    getLib
    getDev
    getMan
    getExe
    makeBinPath
    addMetaAttrs
    dontDistribute
    warnOnInstantiate
    replaceStrings
    replaceString
    hasInfix
    concatMapStringsSep
    concatLines
    revOrTag
    oldestSupportedRelease
    oldestSupportedReleaseIsAtLeast
    ;
  inherit (builtins)
    attrNames
    attrValues
    concatStringsSep
    elem
    elemAt
    filter
    foldl'
    head
    isAttrs
    isBool
    isInt
    isList
    isString
    length
    listToAttrs
    mapAttrs
    removeAttrs
    tail
    toString
    ;
  versions = {
    inherit majorMinor;
    major = v: head (splitVersion v);
  };
  strings = {
    inherit
      hasPrefix
      hasSuffix
      removePrefix
      removeSuffix
      splitString
      toLower
      optionalString
      replaceString
      replaceStrings
      hasInfix
      concatMapStringsSep
      concatLines
      ;
    escapeNixIdentifier = s: if builtins.match "[a-zA-Z_][a-zA-Z0-9_'-]*" s != null then s else builtins.toJSON s;
  };
  lists = {
    inherit
      optional
      optionals
      concatMap
      flatten
      unique
      foldr
      ;
  };
  attrsets = {
    inherit
      optionalAttrs
      filterAttrs
      mapAttrsToList
      recurseIntoAttrs
      dontRecurseIntoAttrs
      isDerivation
      mapAttrs'
      concatAttrValues
      mergeAttrsList
      getOutput
      getBin
      getLib
      getDev
      ;
  };
  fixedPoints = {
    inherit
      fix
      extends
      composeExtensions
      composeManyExtensions
      ;
  };
  customisation = {
    inherit
      makeOverridable
      callPackageWith
      makeScope
      overrideDerivation
      extendDerivation
      extendMkDerivation
      ;
  };
  meta = {
    inherit addMetaAttrs dontDistribute;
  };
  derivations = {
    inherit warnOnInstantiate;
  };
}
