"""The dump of the embedded nixpkgs: every case of data/nixpkgs/README.md pinned
to the record it must produce, evaluated by the real Nix."""

from __future__ import annotations

from typing import Any

import pytest

from indexer.dump.evaluator import Nix

from .conftest import FIXTURE, Records, nix_eval_json, run_dump

SETS = ["python312Packages", "python313Packages"]


def pnames(inputs: list[dict[str, Any]] | None) -> set[str]:
    return {i.get("pname") or i.get("name") for i in inputs or []}


def test_every_attribute_of_every_set_has_exactly_one_record(fixture_dump: Records) -> None:
    expected = nix_eval_json(
        "let p = import <nixpkgs> { }; in "
        "{ python312Packages = builtins.attrNames p.python312Packages; "
        "python313Packages = builtins.attrNames p.python313Packages; }"
    )
    records = fixture_dump.result.records
    for set_name in SETS:
        got = [r["attr"] for r in records if r["set"] == set_name]
        assert got == sorted(expected[set_name])
    assert fixture_dump.result.footer["records"] == len(records)
    assert sum(fixture_dump.result.footer["status"].values()) == len(records)


def test_header_names_the_sets_and_which_are_the_same(fixture_dump: Records) -> None:
    header = fixture_dump.result.header
    assert header["schema"] == 2
    assert header["nixpkgs_version"] == (FIXTURE / ".version").read_text().strip()
    sets = {s["set"]: s for s in header["sets"]}
    assert set(sets) == set(SETS)
    assert sets["python313Packages"]["same_as"] == ["python3Packages"]
    assert sets["python312Packages"]["same_as"] == []
    assert sets["python313Packages"]["interpreter"]["pythonVersion"] == "3.13"
    assert sets["python312Packages"]["interpreter"]["libPrefix"] == "python3.12"


# attr -> (URL of its source, the fetchPypi pname its purl names)
SOURCES = [
    pytest.param(
        "requests", "mirror://pypi/r/requests/requests-2.32.3.tar.gz", "requests", id="sdist"
    ),
    pytest.param("pyyaml", "mirror://pypi/P/PyYAML/PyYAML-6.0.2.tar.gz", "PyYAML", id="pname-case"),
    pytest.param(
        "zope-interface",
        "mirror://pypi/z/zope.interface/zope.interface-7.2.tar.gz",
        "zope.interface",
        id="pname-dots",
    ),
    pytest.param("py3to2", "mirror://pypi/3/3to2/3to2-1.1.1.zip", "3to2", id="digit-first"),
    pytest.param(
        "pysocks", "mirror://pypi/P/PySocks/PySocks-1.7.1.tar.gz", "PySocks", id="legacy-pname"
    ),
]


@pytest.mark.parametrize(("attr", "url", "src_pname"), SOURCES)
def test_fetchpypi_source_keeps_url_and_purl(
    fixture_dump: Records, attr: str, url: str, src_pname: str
) -> None:
    [src] = fixture_dump(attr)["src"]
    assert src["kind"] == "derivation"
    assert src["urls"] == [url]
    # Like nixpkgs' since 2025, fetchPypi passes neither pname nor version: only the purl says it.
    assert src["pname"] is None
    assert src["purls"] == [f"pkg:pypi/{src_pname}@{fixture_dump(attr)['version']}"]


def test_wheel_via_fetchpypi(fixture_dump: Records) -> None:
    record = fixture_dump("jaxlib-bin")
    [src] = record["src"]
    assert src["purls"] == ["pkg:pypi/jaxlib@0.4.38"]
    [url] = src["urls"]
    assert url.startswith("https://files.pythonhosted.org/packages/cp313/j/jaxlib/jaxlib-")
    assert url.endswith("-cp313-cp313-manylinux2014_x86_64.whl")


def test_files_pythonhosted_hash_path(fixture_dump: Records) -> None:
    [src] = fixture_dump("attrs")["src"]
    [url] = src["urls"]
    assert url.startswith("https://files.pythonhosted.org/packages/")
    assert url.endswith("/attrs-24.3.0.tar.gz")
    assert src["pname"] is None  # plain fetchurl: only the URL says what it is


def test_purl_identifiers(fixture_dump: Records) -> None:
    assert "pkg:pypi/rich@13.9.4" in fixture_dump("rich")["purls"]
    [src] = fixture_dump("requests")["src"]
    assert src["purls"] == ["pkg:pypi/requests@2.32.3"]


@pytest.mark.parametrize(
    ("attr", "owner", "repo", "pname"),
    [
        ("torch", "pytorch", "pytorch", "torch"),
        ("rich", "Textualize", "rich", "rich"),
        ("tinygrad", "tinygrad", "tinygrad", "tinygrad"),
    ],
)
def test_github_sources(
    fixture_dump: Records, attr: str, owner: str, repo: str, pname: str
) -> None:
    record = fixture_dump(attr)
    [src] = record["src"]
    assert (src["owner"], src["repo"]) == (owner, repo)
    assert src["git_url"] == f"https://github.com/{owner}/{repo}.git"
    assert record["pname"] == pname


@pytest.mark.parametrize("attr", ["opencv4", "caffe"])
def test_to_python_module_of_a_non_python_derivation(fixture_dump: Records, attr: str) -> None:
    record = fixture_dump(attr)
    assert record["status"] == "ok"
    assert record["python_module"] is True
    assert record["inputs_from"] == "derivation"
    assert record["src"][0]["urls"][0].startswith("https://github.com/")


def test_several_versions_side_by_side(fixture_dump: Records) -> None:
    assert fixture_dump("django_4")["version"].startswith("4.")
    assert fixture_dump("django_5")["version"].startswith("5.")
    assert fixture_dump("django")["name"] == fixture_dump("django_5")["name"]
    assert fixture_dump("django")["status"] == "ok"  # not an alias: a real attribute


def test_variant_differs_in_native_inputs(fixture_dump: Records) -> None:
    plain = pnames(fixture_dump("h5py")["inputs"]["buildInputs"])
    mpi = pnames(fixture_dump("h5py-mpi")["inputs"]["buildInputs"])
    assert fixture_dump("h5py-mpi")["pname"] == fixture_dump("h5py")["pname"]
    assert plain != mpi


def test_version_disagreeing_with_its_url_is_kept_as_declared(fixture_dump: Records) -> None:
    record = fixture_dump("markupsafe")
    assert record["version"] == "3.0.2"
    assert record["src"][0]["urls"] == ["mirror://pypi/m/markupsafe/markupsafe-3.0.1.tar.gz"]


def test_declared_inputs_keep_every_list(fixture_dump: Records) -> None:
    record = fixture_dump("requests")
    inputs = record["inputs"]
    assert record["inputs_from"] == "declared"
    assert pnames(inputs["dependencies"]) == {"certifi", "charset-normalizer", "idna", "urllib3"}
    assert all(i["python_module"] for i in inputs["dependencies"])
    assert pnames(inputs["build-system"]) == {"setuptools"}
    assert pnames(inputs["optional-dependencies"]["socks"]) == {"pysocks"}
    # Check inputs: dropped by the derivation, kept by the dump.
    assert "pytest-mock" in pnames(inputs["nativeCheckInputs"])
    assert len(inputs["nativeCheckInputs"]) == 2


def test_native_inputs_are_not_python_modules(fixture_dump: Records) -> None:
    inputs = fixture_dump("cryptography")["inputs"]
    assert {i["python_module"] for i in inputs["buildInputs"]} == {False}
    assert "openssl" in pnames(inputs["buildInputs"])
    assert {"pkg-config", "rustc", "cargo"} <= pnames(inputs["nativeBuildInputs"])
    assert pnames(inputs["dependencies"]) == {"cffi"}
    assert "libffi" in pnames(fixture_dump("cffi")["inputs"]["buildInputs"])
    assert "libyaml" in pnames(fixture_dump("pyyaml")["inputs"]["buildInputs"])


def test_legacy_propagated_build_inputs(fixture_dump: Records) -> None:
    inputs = fixture_dump("python-dateutil")["inputs"]
    assert pnames(inputs["propagatedBuildInputs"]) == {"six"}
    assert "dependencies" not in inputs


def test_non_python_derivation_and_application(fixture_dump: Records) -> None:
    swig = fixture_dump("swig")
    assert (swig["python_module"], swig["build_python_package"]) == (False, False)
    httpie = fixture_dump("httpie")
    assert (httpie["python_module"], httpie["build_python_package"]) == (False, True)


def test_disabled_on_one_interpreter_only(fixture_dump: Records) -> None:
    assert fixture_dump("nose", "python312Packages")["status"] == "ok"
    record = fixture_dump("nose", "python313Packages")
    assert record["status"] == "error"
    assert record["error"]["kind"] == "disabled"
    assert "not supported for interpreter python3.13" in record["error"]["message"]


def test_broken_is_recorded_and_flagged(fixture_dump: Records) -> None:
    record = fixture_dump("pyside2")
    assert record["status"] == "ok"
    assert (record["broken"], record["available"]) == (True, False)
    assert fixture_dump("requests")["available"] is True


def test_non_pep440_version_is_kept_raw(fixture_dump: Records) -> None:
    assert fixture_dump("tinygrad")["version"] == "unstable-2024-01-01"


def test_null_attribute(fixture_dump: Records) -> None:
    assert fixture_dump("pyqt4") == {
        "type": "attr",
        "set": "python313Packages",
        "attr": "pyqt4",
        "status": "null",
    }


@pytest.mark.parametrize(("alias", "target"), [("PyGithub", "pygithub"), ("pytorch", "torch")])
def test_rename_alias_points_to_its_target(fixture_dump: Records, alias: str, target: str) -> None:
    record = fixture_dump(alias)
    assert record["status"] == "alias"
    assert record["alias_of"] == target
    assert record["version"] == fixture_dump(target)["version"]


def test_removed_package_throw(fixture_dump: Records) -> None:
    record = fixture_dump("pytest-runner")
    assert record["status"] == "error"
    assert record["error"]["kind"] == "removed"
    assert "has been removed" in record["error"]["message"]


@pytest.mark.parametrize(
    ("attr", "cause"),
    [
        ("abort-on-eval", "abort"),
        ("infinite-recursion", "infinite-recursion"),
        ("missing-attr-in-dep", "missing-attribute"),
        ("stack-overflow", "stack-overflow"),
    ],
)
@pytest.mark.parametrize("set_name", SETS)
def test_uncatchable_errors_are_crashes(
    fixture_dump: Records, attr: str, cause: str, set_name: str
) -> None:
    error = fixture_dump(attr, set_name)["error"]
    assert (error["kind"], error["cause"]) == ("crash", cause)
    assert error["message"]


CRASHING = {"abort-on-eval", "infinite-recursion", "missing-attr-in-dep", "stack-overflow"}


@pytest.mark.parametrize("workers", [1, 2])
def test_crashes_lose_no_neighbour(nix: Nix, fixture_dump: Records, workers: int) -> None:
    # A crash kills the worker: the attributes around it are evaluated by a
    # fresh one and keep their own outcome, never the crash's. One worker
    # meets each crash in the middle of a batch.
    def crashed(record: dict[str, Any]) -> bool:
        return record["status"] == "error" and record["error"]["kind"] == "crash"

    dumped = fixture_dump if workers == 2 else Records(run_dump(nix, FIXTURE, workers=1))
    records = dumped.result.records
    crashes = [(r["set"], r["attr"]) for r in records if crashed(r)]
    assert sorted(crashes) == sorted((s, a) for s in SETS for a in CRASHING)
    for i, record in enumerate(records):
        if crashed(record):
            for neighbour in records[max(0, i - 1) : i + 2]:
                assert neighbour["attr"] in CRASHING or not crashed(neighbour), neighbour
    assert dumped("abort-on-eval")["status"] == "error"
    assert dumped("asgiref")["status"] == "ok"  # right after it in order


def test_functions_of_the_set_are_not_derivations(fixture_dump: Records) -> None:
    record = fixture_dump("callPackage")
    assert (record["status"], record["value_type"]) == ("not-derivation", "lambda")


def test_position_is_relative_to_the_tree(fixture_dump: Records) -> None:
    position = fixture_dump("requests")["position"]
    assert position.startswith("pkgs/development/python-modules/requests/default.nix:")


def test_one_worker_gives_the_same_records(nix: Nix, fixture_dump: Records) -> None:
    single = run_dump(nix, FIXTURE, workers=1)
    assert single.records == fixture_dump.result.records
    assert single.header == fixture_dump.result.header


def test_with_paths_adds_store_paths(nix: Nix) -> None:
    result = run_dump(nix, FIXTURE, workers=1, sets=["python313Packages"], with_paths=True)
    by_attr = {r["attr"]: r for r in result.records}
    assert by_attr["requests"]["drv_path"].endswith("-python3.13-requests-2.32.3.drv")
    assert by_attr["requests"]["out_path"].startswith("/nix/store/")
    assert by_attr["pyside2"]["drv_path"] is None  # broken: nixpkgs refuses


def test_hooks_are_hooks_and_modules_are_known_by_python_module(fixture_dump: Records) -> None:
    # mapping/modules.py, applied by the dump to records and inputs alike.
    sphinx_hook = fixture_dump("sphinxHook")
    assert (sphinx_hook["python_module"], sphinx_hook["python_module_evidence"]) == (
        False,
        "setup-hook",
    )
    rust_hooks = fixture_dump("rpds-py")["inputs"]["nativeBuildInputs"]
    assert [(i["name"], i["python_module"], i.get("setup_hook")) for i in rust_hooks] == [
        ("cargo-setup-hook.sh", False, True),
        ("maturin-build-hook.sh", False, True),
    ]
    # This tree has pythonModule: an application without it is no module,
    # whatever its name says.
    httpie = fixture_dump("httpie")
    assert (httpie["python_module"], httpie["python_module_evidence"]) == (False, "pythonModule")
