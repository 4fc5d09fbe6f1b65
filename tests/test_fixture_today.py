"""The embedded nixpkgs as of late 2026 (issue #9, point 4): the finalAttrs form of
buildPythonPackage, fetchPypi's purl-only sources, meta.problems, today's hook names,
pkgs/by-name, and the synthetic generator's copies of these shapes.

Pinned here: status, name, pname, version, sources, input names and meta. Not pinned:
the dump's `warnings` and the `python_module` of hooks, which the dump decides (the
fixture's own warnings are checked on the evaluator's stderr instead)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from indexer.dump.evaluator import Nix

from .conftest import Records, nix_eval, nix_eval_json, once_per_nix, run_dump

ROOT = Path(__file__).resolve().parent.parent
SETS = ["python312Packages", "python313Packages"]


# Every test here evaluates the fixture (or a synthetic tree) with real Nix.
pytestmark = pytest.mark.usefixtures("nix")


def names(inputs: list[dict[str, Any]] | None) -> list[str]:
    return [i["name"] for i in inputs or []]


def pkgs_expr(body: str, config: str = "{ }", overlays: str = "[ ]") -> str:
    return (
        f"let pkgs = import <nixpkgs> {{ config = {config}; overlays = {overlays}; }}; "
        f"lib = pkgs.lib; py = pkgs.python313Packages; in {body}"
    )


# ---- buildPythonPackage (finalAttrs: { ... }) ----------------------------------------


@pytest.mark.parametrize("set_name", SETS)
def test_finalattrs_package(fixture_dump: Records, set_name: str) -> None:
    record = fixture_dump("marshmallow", set_name)
    prefix = set_name.removesuffix("Packages").replace("python3", "python3.")
    assert record["status"] == "ok"
    assert (record["name"], record["pname"], record["version"]) == (
        f"{prefix}-marshmallow-3.26.1",
        "marshmallow",
        "3.26.1",
    )
    assert record["inputs_from"] == "declared"
    assert names(record["inputs"]["build-system"]) == [f"{prefix}-flit-core-3.10.1"]
    assert names(record["inputs"]["dependencies"]) == [f"{prefix}-packaging-24.2"]
    assert names(record["inputs"]["nativeCheckInputs"]) == ["pytest-check-hook"]
    assert record["purls"] == ["pkg:pypi/marshmallow@3.26.1"]
    assert record["position"].startswith("pkgs/development/python-modules/marshmallow/default.nix:")
    assert record["description"].startswith("Library for converting complex objects")
    [src] = record["src"]
    assert src["urls"] == [
        "https://github.com/marshmallow-code/marshmallow/archive/refs/tags/3.26.1.tar.gz"
    ]
    assert (src["owner"], src["repo"], src["rev"]) == (
        "marshmallow-code",
        "marshmallow",
        "refs/tags/3.26.1",
    )
    assert src["purls"] == ["pkg:github/marshmallow-code/marshmallow@3.26.1"]


def test_override_python_attrs_on_a_finalattrs_package(fixture_dump: Records) -> None:
    old, new = fixture_dump("marshmallow"), fixture_dump("marshmallow_4")
    assert new["status"] == "ok"
    assert (new["name"], new["pname"], new["version"]) == (
        "python3.13-marshmallow-4.0.1",
        "marshmallow",
        "4.0.1",
    )
    # Only the version was given: the tag, the purl and the changelog follow finalAttrs.
    assert new["src"][0]["urls"] == [
        "https://github.com/marshmallow-code/marshmallow/archive/refs/tags/4.0.1.tar.gz"
    ]
    assert new["purls"] == ["pkg:pypi/marshmallow@4.0.1"]
    assert new["inputs"] == old["inputs"]
    assert new["position"] == old["position"]
    value, _ = nix_eval(pkgs_expr("py.marshmallow_4.meta.changelog"))
    assert value.endswith("/blob/4.0.1/CHANGELOG.rst")


def test_finalattrs_builder_accepts_both_forms() -> None:
    # "value is a function while a set was expected" was the fixture's answer (finding 1).
    value, _ = nix_eval(
        pkgs_expr(
            "let mk = f: py.buildPythonPackage f; "
            'attrs = { pname = "demo"; version = "1.0"; pyproject = true; '
            'src = py.fetchPypi { pname = "demo"; version = "1.0"; hash = lib.fakeHash; }; }; '
            "fa = mk (finalAttrs: attrs // { src = py.fetchPypi { inherit (finalAttrs) pname version; "
            "hash = lib.fakeHash; }; }); in "
            '[ (mk attrs).name fa.name (fa.overridePythonAttrs { version = "2.0"; }).src.name ]'
        )
    )
    assert value == ["python3.13-demo-1.0", "python3.13-demo-1.0", "demo-2.0.tar.gz"]


@pytest.mark.parametrize(
    ("attr", "override", "expected"),
    [
        # A plain set: old is what the package wrote, check inputs included.
        ("requests", "overridePythonAttrs (old: { version = \"9\"; })", "python3.13-requests-9"),
        ("requests", "overridePythonAttrs { version = \"9\"; }", "python3.13-requests-9"),
        ("marshmallow", "overridePythonAttrs (old: { version = \"9\"; })", "python3.13-marshmallow-9"),
        ("marshmallow", "overridePythonAttrs (final: old: { version = \"9\"; })",
         "python3.13-marshmallow-9"),
        # The builder names the package from finalAttrs: overrideAttrs renames it too.
        ("marshmallow", "overrideAttrs (final: prev: { version = \"9\"; src = prev.src; })",
         "python3.13-marshmallow-9"),
        ("requests", "overrideAttrs { version = \"9\"; src = null; }", "python3.13-requests-9"),
    ],
)  # fmt: skip
def test_override_forms(attr: str, override: str, expected: str) -> None:
    value, _ = nix_eval(pkgs_expr(f"(py.{attr}.{override}).name"))
    assert value == expected


def test_override_python_attrs_applies_before_override_attrs() -> None:
    value, _ = nix_eval(
        pkgs_expr(
            "let p = (py.{a}.overrideAttrs (prev: {{ passthru = prev.passthru // {{ mark = 1; }}; }}))"
            '.overridePythonAttrs (old: {{ version = "9"; }}); in [ p.version p.mark '
            "(p ? overrideAttrs) (p ? overridePythonAttrs) ]".format(a="requests")
        )
    )
    assert value == ["9", 1, True, True]
    value, _ = nix_eval(
        pkgs_expr(
            "let p = (py.marshmallow.overrideAttrs (prev: { passthru = prev.passthru // { mark = 1; }; }))"
            '.overridePythonAttrs { version = "9"; }; in [ p.version p.mark p.src.rev ]'
        )
    )
    assert value == ["9", 1, "refs/tags/9"]


def test_declared_arguments_of_a_finalattrs_package_include_check_inputs() -> None:
    value, _ = nix_eval(
        pkgs_expr(
            "(py.marshmallow.overridePythonAttrs (old: { passthru = old.passthru or { } "
            "// { declared = map (d: d.name) old.nativeCheckInputs; }; })).declared"
        )
    )
    assert value == ["pytest-check-hook"]


def test_override_attrs_warns_on_version_without_src() -> None:
    value, stderr = nix_eval(pkgs_expr('(py.six.overrideAttrs { version = "2.0"; }).version'))
    assert value == "2.0"
    assert "was overridden with `version` but not `src`" in stderr
    _, stderr = nix_eval(
        pkgs_expr(
            '(py.six.overrideAttrs { version = "2.0"; __intentionallyOverridingVersion = true; })'
            ".version"
        )
    )
    assert "was overridden" not in stderr


# ---- fetchPypi, fetchurl and meta.identifiers ---------------------------------------


@pytest.mark.parametrize(
    ("attr", "url", "purl"),
    [
        ("pyyaml", "mirror://pypi/P/PyYAML/PyYAML-6.0.2.tar.gz", "pkg:pypi/PyYAML@6.0.2"),
        ("rpds-py", "mirror://pypi/r/rpds_py/rpds_py-0.22.3.tar.gz", "pkg:pypi/rpds_py@0.22.3"),
        ("legit", "mirror://pypi/l/legit/legit-1.2.0.post0.tar.gz", "pkg:pypi/legit@1.2.0.post0"),
    ],
)
def test_fetchpypi_source_has_only_a_purl(
    fixture_dump: Records, attr: str, url: str, purl: str
) -> None:
    record = fixture_dump(attr)
    [src] = record["src"]
    assert src["urls"] == [url]
    assert (src["pname"], src["version"], src["format"]) == (None, None, None)
    assert src["purls"] == [purl]
    assert src["name"] == url.rsplit("/", 1)[1]
    assert record["purls"] == []  # the package does not take its source's purl


def test_fetchpypi_identifiers() -> None:
    value, _ = nix_eval(
        pkgs_expr(
            "let s = py.pyyaml.src; in { inherit (s.meta.identifiers) purl purls purlParts; "
            "v1 = s.meta.identifiers.v1.purl; attrs = builtins.filter (n: builtins.elem n "
            '[ "pname" "version" "format" ]) (builtins.attrNames s); }'
        )
    )
    assert value == {
        "purl": "pkg:pypi/PyYAML@6.0.2",
        "purls": ["pkg:pypi/PyYAML@6.0.2"],
        "purlParts": {"type": "pypi", "spec": "PyYAML@6.0.2"},
        "v1": "pkg:pypi/PyYAML@6.0.2",
        "attrs": [],
    }


def test_fetchurl_with_purl_parts_and_pname() -> None:
    value, _ = nix_eval(
        pkgs_expr(
            'let f = pkgs.fetchurl { url = "https://example.invalid/x-1.tar.gz"; hash = lib.fakeHash; '
            'meta.identifiers.purlParts = { type = "generic"; spec = "x@1"; }; }; '
            'g = pkgs.fetchurl (finalAttrs: { pname = "y"; version = "2"; '
            'url = "https://example.invalid/y-${finalAttrs.version}.zip"; hash = lib.fakeHash; }); '
            "in [ f.name f.meta.identifiers.purl f.url g.name g.urls ]"
        )
    )
    assert value == [
        "x-1.tar.gz",
        "pkg:generic/x@1",
        "https://example.invalid/x-1.tar.gz",
        "y-2",
        ["https://example.invalid/y-2.zip"],
    ]


# ---- meta.problems -------------------------------------------------------------------


@pytest.mark.parametrize("set_name", SETS)
def test_problems_package_is_available(fixture_dump: Records, set_name: str) -> None:
    record = fixture_dump("future", set_name)
    assert record["status"] == "ok"
    assert (record["pname"], record["version"]) == ("future", "1.0.0")
    assert (record["broken"], record["available"]) == (False, True)
    assert record["src"][0]["purls"] == ["pkg:pypi/future@1.0.0"]


def test_problems_warn_when_instantiated() -> None:
    value, stderr = nix_eval(
        pkgs_expr("[ py.future.meta.problems.removal.message py.future.name ]")
    )
    assert value[0].startswith("future is unmaintained upstream")
    assert "has the following problem" not in stderr  # looking is not instantiating
    drv, stderr = nix_eval(pkgs_expr("py.future.drvPath"))
    assert drv.endswith("-python3.13-future-1.0.0.drv")
    assert "evaluation warning: Package ‘python3.13-future-1.0.0’ in " in stderr
    assert "has the following problem: removal: future is unmaintained upstream" in stderr


@pytest.mark.parametrize(
    ("handler", "available", "instantiates"),
    [("error", False, False), ("ignore", True, True), ("warn", True, True)],
)
def test_problem_handlers(handler: str, available: bool, instantiates: bool) -> None:
    config = f'{{ problems.handlers.future.removal = "{handler}"; }}'
    value, stderr = nix_eval(
        pkgs_expr(
            "[ py.future.meta.available (builtins.tryEval py.future.drvPath).success ]",
            config=config,
        )
    )
    assert value == [available, instantiates]
    assert ("has the following problem" in stderr) == (handler == "warn")


def test_lib_warn_falls_back_to_trace_on_old_nix() -> None:
    value, stderr = nix_eval(
        'let lib = import <nixpkgs/lib>; in [ (builtins ? warn) (lib.warn "w" 1) ]'
    )
    if value[0]:
        pytest.skip("this Nix has builtins.warn")
    assert value == [False, 1]
    assert "trace: evaluation warning: w" in stderr


# ---- hooks ---------------------------------------------------------------------------

PYTHON_HOOKS = {
    "pypaBuildHook": "pypa-build-hook.sh",
    "pypaInstallHook": "pypa-install-hook",
    "wheelUnpackHook": "wheel-unpack-hook.sh",
    "pythonImportsCheckHook": "python-imports-check-hook.sh",
    "pythonRelaxDepsHook": "python-relax-deps-hook",
    "pytestCheckHook": "pytest-check-hook",
    "wrapPython": "wrap-python-hook",
}


@pytest.mark.parametrize("set_name", SETS)
def test_python_hooks_records(fixture_dump: Records, set_name: str) -> None:
    version = "3.12" if set_name == "python312Packages" else "3.13"
    expected = {**PYTHON_HOOKS, "sphinxHook": f"python{version}-sphinx-hook"}
    for attr, name in expected.items():
        record = fixture_dump(attr, set_name)
        assert (record["status"], record["name"], record["pname"], record["version"]) == (
            "ok",
            name,
            None,
            None,
        ), attr
        assert record["build_python_package"] is False
        assert record["src"] == []


def test_hooks_have_no_python_module_and_provide_a_setup_hook() -> None:
    attrs = [*PYTHON_HOOKS, "sphinxHook"]
    value, _ = nix_eval(
        pkgs_expr(
            "map (a: { name = py.${a}.name; module = py.${a} ? pythonModule; "
            "hook = py.${a}.provides.setupHook or false; }) " + json.dumps(attrs).replace(",", " ")
        )
    )
    assert all(not v["module"] and v["hook"] for v in value), value
    assert [v["name"] for v in value][-1] == "python3.13-sphinx-hook"


def test_rust_hooks() -> None:
    value, _ = nix_eval(
        pkgs_expr(
            'let r = pkgs.rustPlatform; in { names = map (h: r.${h}.name) [ "cargoSetupHook" '
            '"cargoBuildHook" "cargoCheckHook" "cargoInstallHook" "maturinBuildHook" ]; '
            'modules = builtins.any (h: r.${h} ? pythonModule) [ "cargoSetupHook" "maturinBuildHook" ]; '
            "maturin = map (d: d.name) r.maturinBuildHook.propagatedBuildInputs; "
            "vendor = py.rpds-py.cargoDeps.name; }"
        )
    )
    assert value == {
        "names": [
            "cargo-setup-hook.sh",
            "cargo-build-hook.sh",
            "cargo-check-hook.sh",
            "cargo-install-hook.sh",
            "maturin-build-hook.sh",
        ],
        "modules": False,
        "maturin": ["maturin-1.8.1", "cargo-1.83.0", "rustc-1.83.0"],
        "vendor": "rpds-py-0.22.3-vendor",
    }


@pytest.mark.parametrize("set_name", SETS)
def test_maturin_package(fixture_dump: Records, set_name: str) -> None:
    record = fixture_dump("rpds-py", set_name)
    assert record["status"] == "ok"
    assert (record["pname"], record["version"]) == ("rpds-py", "0.22.3")
    assert names(record["inputs"]["nativeBuildInputs"]) == [
        "cargo-setup-hook.sh",
        "maturin-build-hook.sh",
    ]
    assert names(record["inputs"]["nativeCheckInputs"]) == ["pytest-check-hook"]
    assert "build-system" not in record["inputs"]


@pytest.mark.parametrize(("set_name", "hook"), [
    ("python312Packages", "python3.12-sphinx-hook"),
    ("python313Packages", "python3.13-sphinx-hook"),
])  # fmt: skip
def test_sphinx_hook_package(fixture_dump: Records, set_name: str, hook: str) -> None:
    record = fixture_dump("pyjwt", set_name)
    assert record["status"] == "ok"
    assert (record["pname"], record["version"]) == ("pyjwt", "2.10.1")
    assert names(record["inputs"]["nativeBuildInputs"]) == [hook]
    assert [i["pname"] for i in record["inputs"]["optional-dependencies"]["crypto"]] == [
        "cryptography"
    ]
    assert [i["pname"] for i in record["inputs"]["nativeCheckInputs"]] == [None, "cryptography"]


def test_builder_adds_todays_hooks_to_the_derivation() -> None:
    value, _ = nix_eval(
        pkgs_expr(
            "let n = p: map (d: d.name) p.nativeBuildInputs; in { pyjwt = n py.pyjwt; "
            "sphinx = n py.sphinx; jaxlib = n py.jaxlib-bin; build = n py.build; "
            "pyjwt-outputs = py.pyjwt.outputs; }"
        )
    )
    assert value["pyjwt"] == [
        "python3-3.13.1", "wrap-python-hook", "pypa-build-hook.sh", "pypa-install-hook",
        "python-imports-check-hook.sh", "python3.13-sphinx-hook", "python3.13-setuptools-75.6.0",
    ]  # fmt: skip
    assert "python-relax-deps-hook" in value["sphinx"]  # pythonRelaxDeps
    assert "wheel-unpack-hook.sh" in value["jaxlib"]
    assert value["pyjwt-outputs"] == ["out", "doc", "dist"]
    # A bootstrap package gets the pypa hooks without the packages they run.
    bootstrap, _ = nix_eval(
        pkgs_expr(
            "map (d: d.name) (builtins.elemAt py.build.nativeBuildInputs 2).propagatedBuildInputs"
        )
    )
    assert bootstrap == []


# ---- pkgs/by-name, aliases, the set's refusal of non-modules --------------------------


@pytest.mark.parametrize("set_name", SETS)
def test_by_name_application(fixture_dump: Records, set_name: str) -> None:
    record = fixture_dump("legit", set_name)
    prefix = set_name.removesuffix("Packages").replace("python3", "python3.")
    assert record["status"] == "ok"
    assert (record["name"], record["pname"], record["version"]) == (
        "legit-1.2.0.post0",
        "legit",
        "1.2.0.post0",
    )
    assert record["build_python_package"] is True
    assert record["position"].startswith("pkgs/by-name/le/legit/package.nix:")
    assert names(record["inputs"]["dependencies"]) == [
        f"{prefix}-GitPython-3.1.43",
        f"{prefix}-six-1.17.0",
    ]
    assert names(record["inputs"]["nativeCheckInputs"]) == ["writable-tmpdir-as-home-hook"]
    assert record["description"] == "Git for Humans, Inspired by GitHub for Mac"


def test_by_name_application_at_the_top_level() -> None:
    value, _ = nix_eval(
        pkgs_expr(
            "[ pkgs.legit.name (pkgs.legit ? pythonModule) py.legit.pythonModule.name "
            "pkgs.maturin.name pkgs.python312Packages.legit.pythonModule.name ]"
        )
    )
    assert value == [
        "legit-1.2.0.post0", False, "python3-3.13.1", "maturin-1.8.1", "python3-3.12.8",
    ]  # fmt: skip


def test_todays_aliases(fixture_dump: Records) -> None:
    alias = fixture_dump("Jinja2")
    assert (alias["status"], alias["alias_of"], alias["version"]) == ("alias", "jinja2", "3.1.5")
    removed = fixture_dump("smmap2")
    assert (removed["status"], removed["error"]["kind"]) == ("error", "removed")
    assert removed["error"]["message"] == "'smmap2' has been renamed to/replaced by 'smmap'"
    value, stderr = nix_eval(pkgs_expr("[ py.PyGithub.meta.hydraPlatforms py.Jinja2.name ]"))
    assert value == [[], "python3.13-jinja2-3.1.5"]
    assert "'Jinja2' has been renamed to 'jinja2'" in stderr


def test_the_set_refuses_to_instantiate_non_modules() -> None:
    value, _ = nix_eval(
        pkgs_expr(
            "map (a: (builtins.tryEval py.${a}.drvPath).success) "
            '[ "requests" "pytestCheckHook" "opencv4" "legit" "swig" "httpie" ]'
        )
    )
    assert value == [True, True, True, True, False, False]


def test_python_packages_extensions_take_the_finalattrs_form() -> None:
    overlay = (
        "[ (final: prev: { pythonPackagesExtensions = prev.pythonPackagesExtensions ++ [ "
        '(pyfinal: pyprev: { extra = pyfinal.buildPythonPackage (finalAttrs: { pname = "extra"; '
        'version = "1"; pyproject = true; src = pyfinal.fetchPypi { inherit (finalAttrs) pname '
        "version; hash = final.lib.fakeHash; }; }); }) ]; }) ]"
    )
    value, _ = nix_eval(
        pkgs_expr(
            "[ pkgs.python312Packages.extra.name pkgs.python313Packages.extra.src.meta.identifiers.purl ]",
            overlays=overlay,
        )
    )
    assert value == ["python3.12-extra-1", "pkg:pypi/extra@1"]


def test_lib_and_stdenv_have_what_todays_files_use() -> None:
    value = nix_eval_json(
        pkgs_expr(
            '[ (lib.replaceString "." "" "6.0") (lib.concatAttrValues { a = [ 1 ]; b = [ 2 ]; }) '
            "(lib.getDev pkgs.zlib).name (map (m: m.github) lib.teams.fixture-python.members) "
            "lib.sourceTypes.binaryNativeCode.isSource pkgs.stdenv.cc.name pkgs.stdenv.cc.targetPrefix "
            "pkgs.blas.isILP64 (builtins.length py.rpds-py.meta.maintainers) ]"
        )
    )
    assert value == [
        "60", [1, 2], "zlib-1.3.1", ["fixture-alice", "fixture-carol"], False,
        "gcc-wrapper-14.2.0", "", False, 3,
    ]  # fmt: skip


# ---- the synthetic generator --------------------------------------------------------


@pytest.fixture
def synthetic(
    nix: Nix, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, dict[str, Any], Records]:
    def make() -> tuple[Path, dict[str, Any], Records]:
        tree = tmp_path_factory.mktemp("synthetic") / "tree"
        subprocess.run(
            [sys.executable, str(ROOT / "bench" / "gen_synthetic.py"), str(tree), "--packages", "400"],
            check=True, capture_output=True, text=True,
        )  # fmt: skip
        manifest = json.loads((tree / "synthetic.json").read_text())
        return tree, manifest, Records(run_dump(nix, tree, workers=2, sets=["python313Packages"]))

    return once_per_nix(nix, "synthetic", make)


def test_synthetic_tree_has_todays_shapes(synthetic: tuple[Path, dict[str, Any], Records]) -> None:
    tree, manifest, dump = synthetic
    attrs = manifest["attrs"]
    packages = {a: r for a, r in attrs.items() if r.get("kind") == "package"}
    final_attrs = [a for a, r in packages.items() if r.get("final_attrs")]
    assert len(final_attrs) > len(packages) // 5
    assert any(r.get("maturin") for r in packages.values())
    assert any(r.get("sphinx") for r in packages.values())
    assert any(r.get("problems") for r in packages.values())
    assert not (
        tree / "pkgs" / "by-name" / "le" / "legit"
    ).exists()  # the fixture's app is replaced
    assert (tree / "pkgs" / "by-name" / "ma" / "maturin" / "package.nix").is_file()
    for attr in final_attrs[:20]:
        record = dump(attr)
        expected = attrs[attr]
        if expected["outcome"]["3.13"] in ("ok", "broken", "unfree", "insecure"):
            assert record["status"] == "ok", attr
            assert record["version"] == expected["version"], attr
            assert record["src"][0]["urls"] == expected["src_urls"], attr
    for attr, name in PYTHON_HOOKS.items():
        assert dump(attr)["name"] == name
    assert dump("sphinxHook")["name"] == "python3.13-sphinx-hook"


def test_synthetic_fetchpypi_sources_have_purls(
    synthetic: tuple[Path, dict[str, Any], Records],
) -> None:
    _, manifest, dump = synthetic
    checked = 0
    for attr, expected in manifest["attrs"].items():
        if expected.get("kind") != "package" or expected["src"] != "fetchPypi-sdist":
            continue
        if expected["outcome"]["3.13"] != "ok":
            continue
        [src] = dump(attr)["src"]
        assert src["pname"] is None
        assert src["purls"] == [f"pkg:pypi/{expected['pypi_name']}@{expected['version']}"], attr
        checked += 1
    assert checked > 50


def test_synthetic_by_name_applications(synthetic: tuple[Path, dict[str, Any], Records]) -> None:
    tree, manifest, dump = synthetic
    apps = {a: r for a, r in manifest["attrs"].items() if r.get("kind") == "by-name"}
    assert apps
    for attr, expected in apps.items():
        assert (tree / expected["file"]).is_file()
        record = dump(attr)
        assert record["status"] == "ok"
        assert record["name"] == f"{expected['pname']}-{expected['version']}"
        assert record["position"].startswith("pkgs/by-name/")
