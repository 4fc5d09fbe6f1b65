"""Broken, available, and why a resolver leaves a package out (mapping/status.py)."""

from __future__ import annotations

import pytest

from mapping.status import exclusion, is_available, is_broken, is_marked_unusable

# (status, meta.broken, meta.available, error kind) -> broken, available
CASES = [
    pytest.param("ok", 0, 1, None, False, True, id="ok"),
    pytest.param("ok", None, None, None, False, True, id="ok-without-meta-flags"),
    pytest.param("ok", 1, 1, None, True, True, id="marked-broken"),
    pytest.param("ok", 0, 0, None, False, False, id="not-available-here"),
    pytest.param("ok", 1, 0, None, True, False, id="broken-and-not-available"),
    pytest.param("error", None, None, "throw", True, False, id="throws"),
    pytest.param("error", None, None, "meta", True, False, id="refused-by-meta-checks"),
    pytest.param("error", None, None, None, True, False, id="error-of-no-kind"),
    pytest.param("error", None, None, "disabled", False, False, id="disabled-is-not-broken"),
    pytest.param("error", 1, None, "disabled", True, False, id="disabled-and-marked-broken"),
    pytest.param("error", None, 1, "throw", True, True, id="error-with-available-flag"),
    pytest.param("alias", None, None, None, False, False, id="alias"),
]


@pytest.mark.parametrize(("status", "broken", "available", "error_kind", "is_b", "is_a"), CASES)
def test_broken_and_available(
    status: str,
    broken: int | None,
    available: int | None,
    error_kind: str | None,
    is_b: bool,
    is_a: bool,
) -> None:
    assert is_broken(status, broken, error_kind) is is_b
    assert is_available(status, available) is is_a


@pytest.mark.parametrize(
    ("broken", "available", "unusable"),
    [
        (None, None, False),
        (0, 1, False),
        (1, 1, True),
        (0, 0, True),
        (None, 0, True),
        (1, None, True),
    ],
)
def test_marked_unusable(broken: int | None, available: int | None, unusable: bool) -> None:
    assert is_marked_unusable(broken, available) is unusable


# (status, broken, available, error kind, python module) -> reason by default,
# then with broken, disabled and non-modules included
EXCLUSIONS = [
    pytest.param("ok", 0, 1, None, 1, None, None, id="usable-module"),
    pytest.param("ok", None, None, None, 1, None, None, id="usable-without-meta-flags"),
    pytest.param("ok", 1, 1, None, 1, "broken", None, id="marked-broken"),
    pytest.param("ok", 0, 0, None, 1, "broken", None, id="not-available"),
    pytest.param("ok", 0, 1, None, 0, "not-a-module", None, id="application"),
    pytest.param("ok", 0, 1, None, None, "not-a-module", None, id="module-ness-unknown"),
    pytest.param("ok", 1, 1, None, 0, "broken", None, id="broken-application"),
    pytest.param("error", None, None, "throw", None, "broken", None, id="throws"),
    pytest.param("error", None, None, "disabled", None, "disabled", None, id="disabled"),
]


@pytest.mark.parametrize(
    ("status", "broken", "available", "error_kind", "module", "default", "included"), EXCLUSIONS
)
def test_exclusion(
    status: str,
    broken: int | None,
    available: int | None,
    error_kind: str | None,
    module: int | None,
    default: str | None,
    included: str | None,
) -> None:
    assert exclusion(status, broken, available, error_kind, module) == default
    everything = dict(include_broken=True, include_disabled=True, include_non_modules=True)
    assert exclusion(status, broken, available, error_kind, module, **everything) == included


def test_each_inclusion_lifts_only_its_own_reason() -> None:
    assert exclusion("error", None, None, "throw", None, include_disabled=True) == "broken"
    assert exclusion("error", None, None, "disabled", None, include_broken=True) == "disabled"
    assert exclusion("ok", 1, 1, None, 0, include_non_modules=True) == "broken"
    assert exclusion("ok", 1, 1, None, 0, include_broken=True) == "not-a-module"
