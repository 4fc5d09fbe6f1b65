"""The one module-ness rule (mapping/modules.py): Python module, setup hook, or neither."""

from __future__ import annotations

import pytest

from mapping.modules import Moduleness, moduleness

# (name, pythonModule attribute, provides.setupHook, tree has pythonModule) -> decision
CASES = [
    pytest.param(
        "python3.13-requests-2.32.3", True, False, True,
        Moduleness(True, "pythonModule", False), id="module-by-its-attribute",
    ),
    pytest.param(
        "httpie-3.2.4", False, False, True,
        Moduleness(False, "pythonModule", False), id="application-pythonModule-false",
    ),
    pytest.param(
        "openssl-3.3.2", None, False, True,
        Moduleness(False, "pythonModule", False), id="native-in-a-tree-with-pythonModule",
    ),
    pytest.param(
        "python3.13-sphinx-hook", None, True, True,
        Moduleness(False, "setup-hook", True), id="sphinxHook-is-a-hook-not-a-module",
    ),
    pytest.param(
        "python3.13-legacy-1.0", None, False, True,
        Moduleness(False, "pythonModule", False), id="prefix-is-no-evidence-where-pythonModule-exists",
    ),
    pytest.param(
        "cargo-setup-hook.sh", None, False, True,
        Moduleness(False, "setup-hook", True), id="rust-hook-named-like-a-file",
    ),
    pytest.param(
        "maturin-build-hook.sh", None, True, True,
        Moduleness(False, "setup-hook", True), id="maturin-hook",
    ),
    pytest.param(
        "pytest-check-hook", None, True, True,
        Moduleness(False, "setup-hook", True), id="python-hook",
    ),
    pytest.param(
        "odd-name", None, True, True,
        Moduleness(False, "setup-hook", True), id="hook-by-provides-alone",
    ),
    pytest.param(
        "python3.6-pyyaml-3.12", None, False, False,
        Moduleness(True, "name-prefix", False), id="2018-tree-name-prefix",
    ),
    pytest.param(
        "pypy2.7-six-1.11.0", None, False, False,
        Moduleness(True, "name-prefix", False), id="2018-tree-pypy-prefix",
    ),
    pytest.param(
        "libyaml-0.1.7", None, False, False,
        Moduleness(False, "name-prefix", False), id="2018-tree-native",
    ),
    pytest.param(
        "hook", None, False, False,
        Moduleness(False, "setup-hook", True), id="2018-makeSetupHook-default-name",
    ),
    pytest.param(
        "python3.13-pytest-hook-1.0", True, False, True,
        Moduleness(True, "pythonModule", False), id="module-whose-project-ends-in-hook",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("name", "attribute", "provides", "tree_has", "expected"), CASES)
def test_moduleness(
    name: str, attribute: bool | None, provides: bool, tree_has: bool, expected: Moduleness
) -> None:
    decided = moduleness(
        name, attribute, provides_setup_hook=provides, tree_has_python_module=tree_has
    )
    assert decided == expected
