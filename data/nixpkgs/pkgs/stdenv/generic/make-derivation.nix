# stdenv.mkDerivation of the fixture. It calls the `derivation` builtin
# (nothing is ever built: the builder is /bin/sh with a failing script) and
# follows nixpkgs where a package dump can tell the difference:
#   * it takes a set or `finalAttrs: { ... }`; finalAttrs is the final
#     argument set (after every overrideAttrs) plus `finalPackage`;
#   * name = "${pname}-${version}" unless `name` is given;
#   * passthru attributes become attributes of the result, meta stays `meta`
#     (see check-meta.nix for what is filled in);
#   * check inputs are never attributes of the derivation: they are merged
#     into nativeBuildInputs / buildInputs only when doCheck /
#     doInstallCheck is set;
#   * drvPath and outPath of a package that is not available (broken,
#     unfree, insecure, wrong platform) throw, and the warnings of its
#     meta.problems are printed; everything else stays readable;
#   * overrideAttrs takes `{ ... }`, `prev: { ... }` or
#     `final: prev: { ... }`, and warns when it changes `version` without
#     `src` (unless `__intentionallyOverridingVersion = true`).
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

  mkDerivation = fnOrAttrs: makeDerivationExtensible (lib.toFunction fnOrAttrs);

  makeDerivationExtensible =
    rattrs:
    let
      args = rattrs (args // { inherit finalPackage overrideAttrs; });

      overrideAttrs =
        f0:
        makeDerivationExtensible (
          final:
          let
            prev = rattrs final;
            thisOverlay = lib.toExtension f0 final prev;
            versionWithoutSrc =
              prev ? src
              && thisOverlay ? version
              && prev ? version
              && !(thisOverlay ? src)
              && !(thisOverlay.__intentionallyOverridingVersion or false);
            pos = builtins.unsafeGetAttrPos "version" thisOverlay;
            warnVersion = lib.warn "${
              args.name or "${args.pname or "<unknown name>"}-${args.version or "<unknown version>"}"
            } was overridden with `version` but not `src` at ${pos.file or "<unknown file>"}:${
              toString (pos.line or "<unknown line>")
            }. Override both `version` and `src` to change the version of a package (or set `__intentionallyOverridingVersion = true`).";
          in
          (if versionWithoutSrc then warnVersion else lib.id) (
            prev // removeAttrs thisOverlay [ "__intentionallyOverridingVersion" ]
          )
        );

      finalPackage = build overrideAttrs (removeAttrs args [
        "finalPackage"
        "overrideAttrs"
      ]);
    in
    finalPackage;

  build =
    overrideAttrs: attrs:
    let
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
        pname = attrs.pname or (builtins.parseDrvName name).name;
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
            "env"
            "__intentionallyOverridingVersion"
          ]
          ++ checkInputNames
        )
        // (attrs.env or { })
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
    in
    lib.extendDerivation validity.handled (
      {
        inherit meta passthru overrideAttrs;
      }
      // passthru
    ) (derivation drvAttrs);
in
mkDerivation
