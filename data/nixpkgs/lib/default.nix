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
    functionArgs
    genList
    head
    intersectAttrs
    isAttrs
    isFunction
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
  # overrideDerivation.
  makeOverridable =
    f: origArgs:
    let
      result = f origArgs;
      changedArgs = newArgs: origArgs // (if isFunction newArgs then newArgs origArgs else newArgs);
      override = newArgs: makeOverridable f (changedArgs newArgs);
      # Apply g to the result while keeping the result overridable.
      afterwards = g: makeOverridable (args: g (f args)) origArgs;
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
      {
        inherit override;
        __functor = _: result;
      }
    else
      result;

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
  # (which is `true` or throws): name, meta and inputs stay readable.
  extendDerivation =
    condition: extra: drv:
    let
      self =
        drv
        // extra
        // {
          drvPath = assert condition; drv.drvPath;
          outPath = assert condition; drv.outPath;
          out = self;
          all = [ self ];
        };
    in
    self;

  # ---- data ------------------------------------------------------------------

  licenses = import ./licenses.nix;
  maintainers = import ./maintainers.nix;
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

  trivial = {
    inherit
      id
      const
      flip
      version
      ;
    release = majorMinor version;
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
    licenses
    maintainers
    platforms
    version
    fakeHash
    trivial
    ;
  inherit (builtins)
    attrNames
    attrValues
    concatStringsSep
    elem
    elemAt
    filter
    foldl'
    functionArgs
    head
    isAttrs
    isBool
    isFunction
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
      ;
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
      ;
  };
}
