# stdenv.mkDerivation of the fixture. It calls the `derivation` builtin
# (nothing is ever built: the builder is /bin/sh with a failing script) and
# follows nixpkgs where a package dump can tell the difference:
#   * name = "${pname}-${version}" unless `name` is given;
#   * passthru attributes become attributes of the result, meta stays `meta`
#     (with position, available, broken, unfree, insecure filled in);
#   * check inputs are never attributes of the derivation: they are merged
#     into nativeBuildInputs / buildInputs only when doCheck /
#     doInstallCheck is set;
#   * drvPath and outPath of a package that is not available (broken,
#     unfree, insecure, wrong platform) throw, everything else stays readable;
#   * overrideAttrs (prev: { ... }) and overrideAttrs (final: prev: { ... }).
# mkDerivation also takes `finalAttrs: { ... }`.
{
  lib,
  config,
  system,
}:
let
  checkMeta = import ./check-meta.nix { inherit lib config system; };

  checkInputNames = [
    "checkInputs"
    "nativeCheckInputs"
    "installCheckInputs"
    "nativeInstallCheckInputs"
  ];

  # overrideAttrs accepts `prev: { ... }` as well as `final: prev: { ... }`.
  toLayer =
    change: final: prev:
    let
      once = change prev;
    in
    if builtins.isFunction once then change final prev else once;

  build =
    attrsFun:
    let
      attrs = lib.fix attrsFun;

      name = attrs.name or "${attrs.pname}-${attrs.version}";
      pos =
        if attrs ? pos then
          attrs.pos
        else if attrs ? pname then
          builtins.unsafeGetAttrPos "pname" attrs
        else
          builtins.unsafeGetAttrPos "name" attrs;

      userMeta = attrs.meta or { };
      passthru = attrs.passthru or { };
      validity = checkMeta.validity {
        inherit name pos;
        meta = userMeta;
      };
      meta = checkMeta.commonMeta {
        inherit name pos validity;
        meta = userMeta;
      };

      doCheck = attrs.doCheck or config.doCheckByDefault or false;
      doInstallCheck = attrs.doInstallCheck or false;

      drvAttrs =
        removeAttrs attrs (
          [
            "meta"
            "passthru"
            "pos"
          ]
          ++ checkInputNames
        )
        // {
          inherit name doCheck doInstallCheck;
          system = attrs.system or system;
          builder = attrs.builder or "/bin/sh";
          args = attrs.args or [
            "-c"
            "echo 'the nixpkgs fixture only evaluates, it never builds' >&2; exit 1"
          ];
          nativeBuildInputs =
            (attrs.nativeBuildInputs or [ ])
            ++ lib.optionals doCheck (attrs.nativeCheckInputs or [ ])
            ++ lib.optionals doInstallCheck (attrs.nativeInstallCheckInputs or [ ]);
          buildInputs =
            (attrs.buildInputs or [ ])
            ++ lib.optionals doCheck (attrs.checkInputs or [ ])
            ++ lib.optionals doInstallCheck (attrs.installCheckInputs or [ ]);
          propagatedBuildInputs = attrs.propagatedBuildInputs or [ ];
          __ignoreNulls = true;
        };

      overrideAttrs = change: build (lib.extends (toLayer change) attrsFun);
    in
    lib.extendDerivation validity.handled (
      {
        inherit meta passthru overrideAttrs;
      }
      // passthru
    ) (derivation drvAttrs);
in
attrsOrFun: if builtins.isFunction attrsOrFun then build attrsOrFun else build (_: attrsOrFun)
