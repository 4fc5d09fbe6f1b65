"""mapping.inputs: a record's input lists, each input told Python module or native."""

from __future__ import annotations

from typing import Any

import pytest

from mapping.inputs import INPUT_KINDS, ClassifiedInput, InputKind, classify_inputs, input_kind


def dep(
    name: str, pname: str | None = None, version: str | None = None, python: bool | None = True
) -> dict[str, Any]:
    item: dict[str, Any] = {"name": name, "pname": pname, "version": version}
    if python is not None:
        item["python_module"] = python
    return item


@pytest.mark.parametrize(
    ("list_key", "kind"),
    [
        pytest.param("buildInputs", "build", id="buildInputs"),
        pytest.param("nativeBuildInputs", "native-build", id="nativeBuildInputs"),
        pytest.param("propagatedBuildInputs", "propagated", id="propagatedBuildInputs"),
        pytest.param(
            "propagatedNativeBuildInputs", "propagated-native", id="propagatedNativeBuildInputs"
        ),
        pytest.param("dependencies", "dependencies", id="dependencies"),
        pytest.param("build-system", "build-system", id="build-system"),
        pytest.param("optional-dependencies", "optional", id="optional-dependencies"),
        pytest.param("checkInputs", "check", id="checkInputs"),
        pytest.param("nativeCheckInputs", "native-check", id="nativeCheckInputs"),
        pytest.param("installCheckInputs", "install-check", id="installCheckInputs"),
        pytest.param(
            "nativeInstallCheckInputs", "native-install-check", id="nativeInstallCheckInputs"
        ),
        pytest.param("pythonPath", "python-path", id="pythonPath"),
    ],
)
def test_input_kind(list_key: str, kind: str) -> None:
    assert input_kind(list_key) == kind


def test_every_schema_list_has_a_kind() -> None:
    # docs/dump-schema.md, "inputs": the keys a dump may hold.
    schema_keys = {
        "nativeBuildInputs",
        "buildInputs",
        "propagatedBuildInputs",
        "propagatedNativeBuildInputs",
        "dependencies",
        "build-system",
        "nativeCheckInputs",
        "checkInputs",
        "pythonPath",
        "optional-dependencies",
    }
    assert schema_keys <= set(INPUT_KINDS)


@pytest.mark.parametrize("list_key", ["depsBuildBuild", "buildinputs", ""])
def test_input_kind_rejects_unknown_lists(list_key: str) -> None:
    with pytest.raises(ValueError, match="unknown input list"):
        input_kind(list_key)


def classified(
    list_key: str,
    kind: InputKind,
    name: str,
    pname: str | None,
    version: str | None,
    python: bool,
    pypi_name: str | None,
    extra: str | None = None,
    is_interpreter: bool = False,
    is_hook: bool = False,
    position: int = 0,
) -> ClassifiedInput:
    return ClassifiedInput(
        list_key,
        kind,
        extra,
        name,
        pname,
        version,
        python,
        pypi_name,
        is_interpreter,
        is_hook,
        position,
    )


def test_classify_inputs_of_a_fixture_record() -> None:
    # python313Packages.requests in the fixture tree, plus the interpreter.
    inputs = {
        "build-system": [dep("python3.13-setuptools-75.6.0", "setuptools", "75.6.0")],
        "dependencies": [
            dep("python3.13-charset-normalizer-3.4.1", "charset-normalizer", "3.4.1"),
            dep("python3.13-idna-3.10", "idna", "3.10"),
        ],
        # Not a derivation: skipped, yet it counts for the positions after it.
        "propagatedBuildInputs": [{"type": "path"}, dep("python3.13-six-1.17.0", "six", "1.17.0")],
        "nativeBuildInputs": [dep("python3-3.13.1", "python3", "3.13.1")],
        "nativeCheckInputs": [
            dep("pytest-check-hook", python=False),
            dep("python3.13-pytest-mock-3.14.0", "pytest-mock", "3.14.0"),
        ],
        "optional-dependencies": {"socks": [dep("python3.13-pysocks-1.7.1", "pysocks", "1.7.1")]},
        "buildInputs": [dep("openssl-3.3.2", "openssl", "3.3.2", python=False)],
    }
    lookup = {"python3.13-pysocks-1.7.1": "pysocks", "python3.13-idna-3.10": "idna"}
    assert classify_inputs(inputs, lookup) == [
        classified(
            "build-system",
            "build-system",
            "python3.13-setuptools-75.6.0",
            "setuptools",
            "75.6.0",
            True,
            "setuptools",
        ),
        classified(
            "dependencies",
            "dependencies",
            "python3.13-charset-normalizer-3.4.1",
            "charset-normalizer",
            "3.4.1",
            True,
            "charset-normalizer",
        ),
        classified(
            "dependencies",
            "dependencies",
            "python3.13-idna-3.10",
            "idna",
            "3.10",
            True,
            "idna",
            position=1,
        ),
        classified(
            "propagatedBuildInputs",
            "propagated",
            "python3.13-six-1.17.0",
            "six",
            "1.17.0",
            True,
            "six",
            position=1,
        ),
        classified(
            "nativeBuildInputs",
            "native-build",
            "python3-3.13.1",
            "python3",
            "3.13.1",
            False,
            None,
            is_interpreter=True,
        ),
        classified(
            "nativeCheckInputs",
            "native-check",
            "pytest-check-hook",
            None,
            None,
            False,
            None,
            is_hook=True,
        ),
        classified(
            "nativeCheckInputs",
            "native-check",
            "python3.13-pytest-mock-3.14.0",
            "pytest-mock",
            "3.14.0",
            True,
            "pytest-mock",
            position=1,
        ),
        classified(
            "optional-dependencies",
            "optional",
            "python3.13-pysocks-1.7.1",
            "pysocks",
            "1.7.1",
            True,
            "pysocks",
            extra="socks",
        ),
        classified("buildInputs", "build", "openssl-3.3.2", "openssl", "3.3.2", False, None),
    ]


@pytest.mark.parametrize(
    ("item", "lookup", "python", "pypi_name", "interpreter", "hook"),
    [
        pytest.param(
            dep("python3.13-pyyaml-6.0.2", "pyyaml", "6.0.2"),
            {"python3.13-pyyaml-6.0.2": "pyyaml"},
            True,
            "pyyaml",
            False,
            False,
            id="module-in-lookup",
        ),
        pytest.param(
            dep("python3.13-torch-2.5.1", "torch", "2.5.1"),
            {"python3.13-torch-2.5.1": "torch"},
            True,
            "torch",
            False,
            False,
            id="lookup-from-override",
        ),
        pytest.param(
            dep("caffe-1.0", None, "1.0"),
            {"caffe-1.0": None},
            True,
            None,
            False,
            False,
            id="lookup-says-not-on-pypi",
        ),
        pytest.param(
            dep("python2.7-msgpack-python-0.5.6", "msgpack-python", "0.5.6"),
            {"python2.7-msgpack-python-0.5.6": "msgpack"},
            True,
            "msgpack",
            False,
            False,
            id="lookup-beats-pname",
        ),
        pytest.param(
            dep("python3.13-PyYAML-6.0.2", "PyYAML", "6.0.2"),
            {},
            True,
            "pyyaml",
            False,
            False,
            id="fallback-pname-canonical",
        ),
        pytest.param(
            dep("python2.7-six-1.11.0"), {}, True, "six", False, False, id="fallback-name-real-2017"
        ),
        pytest.param(
            dep("python2.7-3to2-1.1.1", None, "1.1.1"),
            {},
            True,
            "3to2",
            False,
            False,
            id="fallback-digit-first",
        ),
        pytest.param(
            dep("python3.6-pyfantom-unstable-2013-12-18", None, "unstable-2013-12-18"),
            {},
            True,
            "pyfantom",
            False,
            False,
            id="fallback-letter-version",
        ),
        pytest.param(
            dep("python3.6-arelle-2017-08-24-2017-08-24", "arelle-2017-08-24", "2017-08-24"),
            {},
            True,
            "arelle",
            False,
            False,
            id="fallback-version-in-pname",
        ),
        pytest.param(
            dep("python2.7-six-1.11.0", python=None),
            {},
            True,
            "six",
            False,
            False,
            id="no-flag-prefix-means-module",
        ),
        pytest.param(
            dep("zlib-1.2.11", python=None),
            {},
            False,
            None,
            False,
            False,
            id="no-flag-no-prefix-native",
        ),
        pytest.param(
            dep("glibc-locales-2.27", python=False),
            {},
            False,
            None,
            False,
            False,
            id="native-real-2018",
        ),
        pytest.param(
            dep("boost-1.66_0", python=True),
            {},
            True,
            "boost",
            False,
            False,
            id="library-flagged-module-real-2018",
        ),
        pytest.param(
            dep("python-2.7.14", None, "2.7.14"),
            {},
            False,
            None,
            True,
            False,
            id="interpreter-real-2018",
        ),
        pytest.param(
            dep("python3-3.6.5", None, "3.6.5"),
            {},
            False,
            None,
            True,
            False,
            id="python3-interpreter-real-2018",
        ),
        pytest.param(
            dep("python-2.7.14-env", python=True),
            {},
            False,
            None,
            True,
            False,
            id="interpreter-env-real-2018",
        ),
        pytest.param(
            dep("python3-3.13.1", "python3", "3.13.1"),
            {"python3-3.13.1": "python3"},
            False,
            None,
            True,
            False,
            id="interpreter-ignores-lookup",
        ),
        pytest.param(dep("hook", python=False), {}, False, None, False, True, id="hook-real-2018"),
        pytest.param(
            dep("wrap-python-hook", python=False),
            {},
            False,
            None,
            False,
            True,
            id="wrap-python-hook",
        ),
        pytest.param(
            dep("python3.13-pytest-hook-1.0", "pytest-hook", "1.0"),
            {},
            True,
            "pytest-hook",
            False,
            False,
            id="module-named-hook-is-a-module",
        ),
    ],
)
def test_classify_one_input(
    item: dict[str, Any],
    lookup: dict[str, str | None],
    python: bool,
    pypi_name: str | None,
    interpreter: bool,
    hook: bool,
) -> None:
    [result] = classify_inputs({"propagatedBuildInputs": [item]}, lookup)
    assert (result.python, result.pypi_name, result.is_interpreter, result.is_hook) == (
        python,
        pypi_name,
        interpreter,
        hook,
    )
    assert result.native is not (python or interpreter or hook)


def test_inputs_without_a_name_are_left_out() -> None:
    inputs = {
        "buildInputs": [
            {"type": "path"},
            {"error": True},
            "not-a-mapping",
            dep("zlib-1.3.1", "zlib", "1.3.1", False),
        ],
        "propagatedBuildInputs": None,  # a list that threw while dumping
        "pythonPath": [],
    }
    assert [i.name for i in classify_inputs(inputs)] == ["zlib-1.3.1"]


def test_optional_dependencies_keep_their_extra() -> None:
    inputs = {
        "optional-dependencies": {
            "socks": [dep("python3.13-pysocks-1.7.1", "pysocks", "1.7.1")],
            "zstd": [dep("python3.13-zstandard-0.23.0", "zstandard", "0.23.0")],
            "empty": [],
        }
    }
    assert [(i.extra, i.pypi_name, i.kind) for i in classify_inputs(inputs)] == [
        ("socks", "pysocks", "optional"),
        ("zstd", "zstandard", "optional"),
    ]


@pytest.mark.parametrize(
    ("inputs", "message"),
    [
        pytest.param(
            {"depsBuildBuild": []}, r"unknown input list 'depsBuildBuild'", id="unknown-list"
        ),
        pytest.param(
            {"buildInputs": "zlib"}, r"input list 'buildInputs' must be a list", id="string-list"
        ),
        pytest.param(
            {"optional-dependencies": []}, r"must be an object of lists", id="optional-as-list"
        ),
        pytest.param(
            {"optional-dependencies": {"x": {}}},
            r"'optional-dependencies.x' must be a list",
            id="extra-not-list",
        ),
    ],
)
def test_classify_inputs_rejects_malformed(inputs: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        classify_inputs(inputs)
