"""mapping.versions: derivation versions read as PEP 440 where they are."""

from __future__ import annotations

import pytest

from mapping.versions import ParsedVersion, parse_version, release_is_older, same_version


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param("6.0.2", ParsedVersion("6.0.2", "6.0.2", True), id="plain"),
        pytest.param("2.9.0.post0", ParsedVersion("2.9.0.post0", "2.9.0.post0", True), id="post"),
        pytest.param("1.0-2", ParsedVersion("1.0-2", "1.0.post2", True), id="implicit-post"),
        pytest.param("1.0-beta", ParsedVersion("1.0-beta", "1.0b0", True), id="beta-spelled-out"),
        pytest.param("1.0.0a2", ParsedVersion("1.0.0a2", "1.0.0a2", True), id="alpha-real-2018"),
        pytest.param("0.6c11", ParsedVersion("0.6c11", "0.6rc11", True), id="c-is-rc"),
        pytest.param("v1.0", ParsedVersion("v1.0", "1.0", True), id="leading-v"),
        pytest.param(
            "2024.10.21.16", ParsedVersion("2024.10.21.16", "2024.10.21.16", True), id="calver"
        ),
        pytest.param("1.0+local", ParsedVersion("1.0+local", "1.0+local", True), id="local"),
        pytest.param(
            "2018.05.09", ParsedVersion("2018.05.09", "2018.5.9", True), id="leading-zeros"
        ),
        pytest.param(
            "unstable-2024-01-01",
            ParsedVersion("unstable-2024-01-01", None, False),
            id="nix-unstable",
        ),
        pytest.param("2018-05-01", ParsedVersion("2018-05-01", None, False), id="date-with-dashes"),
        pytest.param(
            "1.3_rev_361bb413",
            ParsedVersion("1.3_rev_361bb413", None, False),
            id="rev-suffix-real-2018",
        ),
        pytest.param(
            "0.99.2dev-384-2b73caca",
            ParsedVersion("0.99.2dev-384-2b73caca", None, False),
            id="git-describe-real-2018",
        ),
        pytest.param(
            "1.66_0", ParsedVersion("1.66_0", None, False), id="boost-underscore-real-2018"
        ),
        pytest.param("", ParsedVersion("", None, False), id="empty"),
        pytest.param(None, ParsedVersion(None, None, False), id="unknown"),
    ],
)
def test_parse_version(raw: str | None, expected: ParsedVersion) -> None:
    assert parse_version(raw) == expected


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        pytest.param("1.0", "1.0.0", True, id="pep440-trailing-zero"),
        pytest.param("1.0-beta", "1.0b0", True, id="pep440-normal-forms"),
        pytest.param("v2.5.1", "2.5.1", True, id="leading-v"),
        pytest.param("3.0.1", "3.0.2", False, id="different"),
        pytest.param("0.31", "0.3.1", False, id="digits-matter-real-2018"),
        pytest.param(
            "unstable-2024-01-01", "unstable-2024-01-01", True, id="invalid-equal-strings"
        ),
        pytest.param("unstable-2024-01-01", "2024-01-01", False, id="invalid-different-strings"),
        pytest.param("0.3.11", "0.3.11-hotfix", False, id="one-invalid-real-2018"),
        pytest.param(None, None, True, id="both-unknown"),
        pytest.param("1.0", None, False, id="one-unknown"),
    ],
)
def test_same_version(a: str | None, b: str | None, same: bool) -> None:
    assert same_version(a, b) is same
    assert same_version(b, a) is same


@pytest.mark.parametrize(
    ("released", "built", "older"),
    [
        # Another project of the same name: a series apart.
        ("0.0.9", "234", True),  # python-systemd, systemd's bindings
        ("0.1.3", "0.8", True),  # tracing: a minor series behind
        ("0.0.0a0", "1.1.0", True),  # a placeholder's pre-release
        ("0.6", "1.10.0", True),  # pygpgme, gpgme's bindings
        # The same project, uploads stopped: a patch or two behind.
        ("0.5.2", "0.5.4", False),  # datashape
        ("2.1.0", "2.1.1", False),  # binwalk
        ("1", "1.0.3", False),  # a short release is its series' .0
        # Not behind.
        ("1.4.6", "1.1.0", False),
        ("235", "234", False),
        ("2.0", "2.0", False),
        # Dates against dates compare; a date against a count does not.
        ("2023.5", "2024.1", True),
        ("2024.1", "2024.1.3", False),
        ("1.0.5", "20160108", False),
        ("20230101", "1.0", False),
        # A version PEP 440 cannot read says nothing.
        ("0.0.2", "0.0.2-2ffa0258ca", False),
        ("0.1", "unstable-2017-02-11", False),
        ("not-a-version", "1.0", False),
    ],
)
def test_a_release_is_older_only_by_its_series(released: str, built: str, older: bool) -> None:
    assert release_is_older(released, built) is older
