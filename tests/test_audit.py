"""The audit: each rule fires on the packages that break it, and not on near misses."""

from __future__ import annotations

import csv
import io
import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from indexer.audit.run import RULES, Package, audit_packages, run_audit
from indexer.pypinames import PyPINames
from indexer.store.ingest import RevisionInfo, dump_lines, ingest

from .helpers import PYPI_NAMES, RULE_CASES, TODAY, cli, edited


@pytest.fixture(scope="module")
def db(fixture_index: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    copy = tmp_path_factory.mktemp("audit") / "index.sqlite"
    shutil.copy(fixture_index, copy)
    return copy


@pytest.fixture(scope="module")
def findings(db: Path) -> set[tuple[str, str, str]]:
    result = run_audit(db, pypi_names=PyPINames(PYPI_NAMES, "tests"), store=False, today=TODAY)
    return {(f.rule, f.set_name, f.attr) for f in result.findings}


def test_every_rule_has_cases() -> None:
    assert [rule for rule, _, _ in RULE_CASES] == list(RULES)


@pytest.mark.parametrize(
    ("rule", "triggers", "near_misses"), RULE_CASES, ids=[c[0] for c in RULE_CASES]
)
def test_rule_fires_on_its_fixture_packages_only(
    findings: set[tuple[str, str, str]], rule: str, triggers: list[str], near_misses: list[str]
) -> None:
    fired = {attr for r, s, attr in findings if r == rule and s == "python313Packages"}
    assert set(triggers) <= fired
    assert not fired & set(near_misses)


def test_a_rule_fires_per_interpreter(findings: set[tuple[str, str, str]]) -> None:
    # nose is disabled on 3.13 only.
    assert ("eval-error", "python313Packages", "nose") in findings
    assert ("eval-error", "python312Packages", "nose") not in findings


def test_the_slugify_shadowing_is_both_a_claim_and_a_shadow(
    findings: set[tuple[str, str, str]],
) -> None:
    # slugify is a PyPI project of its own, and the attribute builds python-slugify.
    assert ("shadowing", "python313Packages", "slugify") in findings


def one(db: Path, rule: str, attr: str) -> dict[str, object]:
    names = PyPINames(PYPI_NAMES, "tests")
    result = run_audit(db, rules=[rule], sets=["python313Packages"], pypi_names=names,
                       store=False, today=TODAY)  # fmt: skip
    (finding,) = [f for f in result.findings if f.attr == attr]
    return finding.as_json()


def test_a_finding_has_evidence_and_a_concrete_suggestion(db: Path) -> None:
    finding = one(db, "non-normalized", "GitPython")
    assert finding["message"] == "GitPython builds PyPI project gitpython"
    assert finding["suggestion"] == (
        "rename GitPython to gitpython; alias: GitPython = gitpython; # added 2026-11-24"
    )
    assert finding["position"] == "pkgs/development/python-modules/GitPython/default.nix:10"
    evidence = finding["evidence"]
    assert isinstance(evidence, dict)
    assert evidence["pname"] == "GitPython" and evidence["url_name"] == "GitPython"
    assert evidence["alias"] == "GitPython = gitpython; # added 2026-11-24"


@pytest.mark.parametrize(
    ("rule", "attr", "message", "suggestion"),
    [
        ("non-normalized", "slugify", "slugify builds PyPI project python-slugify",
         "python-slugify exists: make slugify an alias of it in python-aliases.nix: "
         "slugify = python-slugify; # added 2026-11-24"),
        ("multiple-versions", "django",
         "3 attributes of django: django 5.1.4 (canonical), django_4 4.2.17, django_5 5.1.4", None),
        ("variants", "jaxlib-bin", "variants of jaxlib: jaxlib-bin (no base attribute jaxlib)", None),
        ("pname-mismatch", "msgpack", "pname msgpack-python but the source is PyPI project msgpack",
         'pname = "msgpack";'),
        ("version-mismatch", "markupsafe", "version 3.0.2 but the source is version 3.0.1",
         'version = "3.0.1"; (or update the source to 3.0.2)'),
        ("shadowing", "caffe", "attribute caffe is PyPI project caffe, but the package is no PyPI "
         "project", "rename caffe to a name that is not a PyPI project's"),
        ("duplicate-claim", "python-slugify", "python-slugify, slugify all build python-slugify 8.0.4",
         "keep one: slugify = python-slugify; # added 2026-11-24"),
        ("bad-pypi-url", "pyinotify",
         "mirror://pypi/p/pyinotify-0.9.6/pyinotify-0.9.6.tar.gz: the directory pyinotify-0.9.6 "
         "is not the file's project, pyinotify",
         'url = "mirror://pypi/p/pyinotify/pyinotify-0.9.6.tar.gz"; (the same file: the hash stays)'),
        ("bad-pypi-url", "toml",
         "mirror://pypi/T/toml/toml-0.10.2.tar.gz: the initial T is not the first letter of toml",
         'url = "mirror://pypi/t/toml/toml-0.10.2.tar.gz"; (the same file: the hash stays)'),
        ("bad-pypi-url", "wcwidth",
         "mirror://pypi/w/wcwidth/wcwidth-0.2.13-py2.py3-none-any.whl: a wheel under "
         "mirror://pypi/: PyPI files a wheel under its Python tag (py2.py3)",
         'fetchPypi with format = "wheel" and the wheel\'s Python tag as python and dist '
         "(the same file: the hash stays)"),
        ("bad-pypi-url", "docopt",
         "mirror://pypi/docopt/docopt-0.6.2.tar.gz: mirror://pypi/ takes "
         "<initial>/<project>/<file>, not docopt/docopt-0.6.2.tar.gz",
         'url = "mirror://pypi/d/docopt/docopt-0.6.2.tar.gz"; (the same file: the hash stays)'),
        ("not-on-pypi", "build", "build (from its purl) is not a PyPI project",
         "correct the name, or record the project as not on PyPI in data/pypi-overrides.json"),
        ("not-on-pypi", "tinygrad",
         "tinygrad: not on PyPI: no candidate is both a PyPI project and named by two pieces of"
         " evidence (looked for python-tinygrad, pytinygrad, tinygrad, tinygrad-python; PyPI has"
         " none of them)",
         "if it is on PyPI under another name, record that name in data/pypi-overrides.json;"
         " else record it there as not on PyPI"),
    ],
    ids=lambda v: v if isinstance(v, str) and " " not in v else None,
)  # fmt: skip
def test_messages_and_suggestions(
    db: Path, rule: str, attr: str, message: str, suggestion: str | None
) -> None:
    finding = one(db, rule, attr)
    assert (finding["message"], finding["suggestion"]) == (message, suggestion)


def test_rules_needing_pypi_names_are_skipped_without_them(db: Path) -> None:
    result = run_audit(db, store=False, today=TODAY)
    assert result.skipped_rules == ("not-on-pypi", "shadowing")
    assert not [f for f in result.findings if f.rule in result.skipped_rules]


# ---- pure rules on hand-made packages ----------------------------------


def pkg(attr: str, pypi_name: str | None, **kw: object) -> Package:
    return Package(set_name="s", attr=attr, status="ok", pypi_name=pypi_name,
                   drv_name=f"python3.13-{attr}-1.0", version="1.0", name_source="url",
                   content=attr, **kw)  # type: ignore[arg-type]  # fmt: skip


@pytest.mark.parametrize(
    ("packages", "fired"),
    [
        # One value under two names (same content): an alias in the set, no claim.
        ([pkg("dateutil", "python-dateutil"), pkg("python-dateutil", "python-dateutil")],
         ["python-dateutil"]),
        ([Package(set_name="s", attr="dateutil", status="ok", pypi_name="python-dateutil",
                  drv_name="python3.13-python-dateutil-1.0", version="1.0", content="same"),
          Package(set_name="s", attr="python-dateutil", status="ok", pypi_name="python-dateutil",
                  drv_name="python3.13-python-dateutil-1.0", version="1.0", content="same")], []),
        # Variants of an attribute are not claims of their own.
        ([pkg("pytorch", "torch"), pkg("pytorchWithCuda", "torch"),
          pkg("pytorchWithoutCuda", "torch")], []),
        ([pkg("pip", "pip"), pkg("bootstrapped-pip", "pip")], []),
        # Other versions are not claims either.
        ([pkg("django", "django"), pkg("django_5", "django")], []),
    ],
    ids=["two-expressions", "alias-in-set", "variants-of-an-attr", "bootstrap", "versioned"],
)  # fmt: skip
def test_duplicate_claims(packages: list[Package], fired: list[str]) -> None:
    found = audit_packages(packages, rules=["duplicate-claim"], today=TODAY)
    assert [f.attr for f in found] == fired


def test_shadowing_needs_the_package_s_own_name_from_its_source() -> None:
    # 2018: pyramid_hawkauth's name said pyramidhawkauth; the attribute was right.
    inferred = Package(set_name="s", attr="pyramid_hawkauth", status="ok",
                       pypi_name="pyramidhawkauth", name_source="name", drv_name="x-1")  # fmt: skip
    verified = Package(set_name="s", attr="lightning", status="ok", pypi_name="lightning-python",
                       name_source="url", drv_name="y-1")  # fmt: skip
    names = {"pyramid-hawkauth", "lightning", "lightning-python"}
    found = audit_packages([inferred, verified], rules=["shadowing"], pypi_names=names)
    assert [f.attr for f in found] == ["lightning"]


def test_variants_of_an_attribute_group_under_it() -> None:
    packages = [pkg("pytorch", "torch"), pkg("pytorchWithCuda", "torch"), pkg("opencv", "opencv"),
                pkg("opencv3", "opencv")]  # fmt: skip
    found = audit_packages(packages, rules=["variants", "non-normalized"], today=TODAY)
    assert [(f.rule, f.attr, f.message) for f in found] == [
        ("variants", "pytorch", "variants of pytorch: pytorchWithCuda"),
        ("non-normalized", "pytorch", "pytorch builds PyPI project torch"),
    ]


# ---- the command -------------------------------------------------------


@pytest.fixture
def names_file(tmp_path: Path) -> Path:
    path = tmp_path / "pypi-names.txt"
    path.write_text("\n".join(PYPI_NAMES) + "\n")
    return path


def audit(db: Path, *args: str) -> tuple[int, str, str]:
    result = cli("audit", "--db", str(db), *args)
    return result.returncode, result.stdout, result.stderr


def test_audit_as_json(db: Path, names_file: Path) -> None:
    code, out, _ = audit(db, "--format", "json", "--pypi-names", str(names_file), "--no-store")
    assert code == 0
    report = json.loads(out)
    assert report["revision"] == "fixture-rev"
    assert report["skipped_rules"] == []
    assert report["counts"]["duplicate-claim"] == 2  # python312Packages and python313Packages
    assert {f["rule"] for f in report["findings"]} == set(RULES)


@pytest.mark.parametrize(("docopt_release", "reported"), [("0.6.2", False), ("0.5.0", True)])
def test_audit_reads_the_releases_of_a_list_with_a_version_column(
    db: Path, tmp_path: Path, docopt_release: str, reported: bool
) -> None:
    # docopt (0.6.2 in the fixture, named by its pname, homepage and
    # tarball): a newest release of an older series makes it another project.
    path = tmp_path / "pypi.tsv"
    rows = [f"{name}\t{docopt_release if name == 'docopt' else '1.0'}" for name in PYPI_NAMES]
    path.write_text("name\tversion\n" + "\n".join(rows) + "\n")
    code, out, err = audit(db, "--format", "json", "--rule", "not-on-pypi", "--pypi-names",
                           str(path), "--no-store")  # fmt: skip
    assert code == 0, err
    unnamed = {f["attr"] for f in json.loads(out)["findings"] if not f["pypi_name"]}
    assert ("docopt" in unnamed) is reported
    assert "tinygrad" in unnamed


def test_audit_as_csv(db: Path) -> None:
    code, out, err = audit(db, "--format", "csv", "--rule", "version-mismatch", "--no-store")
    assert code == 0, err
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == ["rule", "set", "attr", "pypi_name", "message", "suggestion", "position"]
    assert [r[:3] for r in rows[1:]] == [
        ["version-mismatch", "python312Packages", "markupsafe"],
        ["version-mismatch", "python313Packages", "markupsafe"],
    ]


def test_audit_as_markdown_for_an_issue(db: Path, names_file: Path) -> None:
    code, out, _ = audit(db, "--format", "markdown", "--pypi-names", str(names_file), "--no-store")
    assert code == 0
    assert out.startswith("# Python attribute names: packaging health report\n")
    # Hooks are not packages: pypaBuildHook (pypa-build-hook.sh) and the like are not counted.
    assert "| [non-normalized](#non-normalized) | 6 | Attribute is not the PEP 503 name" in out
    # One checklist item for both sets, and the alias lines ready to paste.
    assert (
        "- [ ] `GitPython` → rename to `gitpython`: GitPython builds PyPI project gitpython "
        "(python312Packages, python313Packages)"
    ) in out
    assert "```nix\nGitPython = gitpython; # added " in out


def test_fail_on_exits_1_only_when_its_rule_fired(db: Path) -> None:
    assert audit(db, "--fail-on", "version-mismatch", "--no-store")[0] == 1
    code, _, err = audit(db, "--rule", "digit-first", "--fail-on", "version-mismatch", "--no-store")
    assert code == 0, err
    code, _, err = audit(db, "--fail-on", "any", "--rule", "digit-first", "--no-store")
    assert code == 1 and "--fail-on: findings of digit-first" in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--rule", "no-such-rule"], "unknown rule 'no-such-rule'"),
        (["--fail-on", "nope"], "unknown rule 'nope' in --fail-on"),
        (["--rev", "nope"], "revision 'nope' is not indexed"),
        (["--set", "python27Packages"], "no package set 'python27Packages'"),
        (["--pypi-names", "/nonexistent/names.txt"], "/nonexistent/names.txt"),
    ],
    ids=["rule", "fail-on", "rev", "set", "pypi-names"],
)
def test_bad_input_exits_2_with_one_line(db: Path, args: list[str], message: str) -> None:
    code, _, err = audit(db, *args, "--no-store")
    assert code == 2
    assert message in err and len(err.strip().splitlines()) == 1


def test_findings_are_stored_per_revision(db: Path) -> None:
    code, _, err = audit(db, "--rule", "variants")
    assert code == 0, err
    with sqlite3.connect(db) as conn:
        stored = conn.execute(
            "select rule, set_name, attr from findings order by set_name, attr"
        ).fetchall()
        (counts,) = conn.execute("select counts from audits").fetchone()
    assert ("variants", "python313Packages", "h5py") in stored
    assert json.loads(counts) == {"variants": 4}


def test_since_reports_only_new_findings(tmp_path: Path, fixture_lines: list[bytes]) -> None:
    db = tmp_path / "index.sqlite"
    ingest(db, dump_lines(fixture_lines), RevisionInfo(rev="base"))

    def rename_six(r: dict[str, object]) -> dict[str, object] | None:
        return {**r, "attr": "Six"} if r["attr"] == "six" else r

    ingest(db, dump_lines(edited(fixture_lines, rename_six)), RevisionInfo(rev="change"))
    code, out, _ = audit(db, "--rev", "change", "--since", "base", "--format", "json", "--no-store")
    assert code == 0
    new = [(f["rule"], f["set"], f["attr"]) for f in json.loads(out)["findings"]]
    assert new == [
        ("non-normalized", "python312Packages", "Six"),
        ("non-normalized", "python313Packages", "Six"),
    ]
    code, out, _ = audit(
        db, "--rev", "change", "--since", "change", "--format", "json", "--no-store"
    )
    assert json.loads(out)["findings"] == []


def test_help_lists_the_rules() -> None:
    result = cli("audit", "--help")
    assert result.returncode == 0
    for rule in RULES:
        assert rule in result.stdout


def test_pypi_names_online_from_a_local_index(db: Path, tmp_path: Path) -> None:
    from .helpers import LocalIndex

    served = LocalIndex()
    served.projects = PYPI_NAMES
    env = {"XDG_CACHE_HOME": str(tmp_path / "cache"), "http_proxy": "", "HTTP_PROXY": ""}
    try:
        run = cli("audit", "--db", str(db), "--pypi-names", "online", "--pypi-index-url",
                  served.url, "--rule", "shadowing", "--format", "json", "--no-store", env=env)  # fmt: skip
        assert run.returncode == 0, run.stderr
        report = json.loads(run.stdout)
        assert report["pypi_names"].startswith(served.url)
        # Not pyside2: its source is no PyPI URL, but its pname and the
        # folder of its download URL (…/QtForPython/pyside2/…) name pyside2,
        # which PyPI has, so the list names it (as the index would).
        assert {f["attr"] for f in report["findings"]} == {"caffe", "slugify"}
    finally:
        served.stop()
    # Offline without a cache: one line, exit 2.
    offline = cli("audit", "--db", str(db), "--pypi-names", "online", "--pypi-index-url",
                  served.url, "--no-store", env={**env, "XDG_CACHE_HOME": str(tmp_path / "none")})  # fmt: skip
    assert offline.returncode == 2
    assert "cannot fetch the PyPI project list" in offline.stderr
    assert len(offline.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("old", "new", "line"),
    [
        ("GitPython", "gitpython", "GitPython = gitpython; # added 2026-11-24"),
        ("py3to2", "3to2", 'py3to2 = "3to2"; # added 2026-11-24'),
        ("zope_interface", "zope-interface", "zope_interface = zope-interface; # added 2026-11-24"),
    ],
)
def test_alias_lines_quote_what_nix_cannot_read_bare(old: str, new: str, line: str) -> None:
    from indexer.audit.run import alias_line

    assert alias_line(old, new, TODAY) == line


@pytest.mark.parametrize(
    ("releases", "not_on_pypi"),
    [
        ({}, {"tinygrad"}),
        # The list's releases too: docopt's newest of an older series than
        # the 0.6.2 nixpkgs builds makes it another project.
        ({"docopt": "0.5.0"}, {"tinygrad", "docopt"}),
        ({"docopt": "0.6.0"}, {"tinygrad"}),
    ],
)
def test_not_on_pypi_and_shadowing_judge_by_the_indexs_own_decision(
    tmp_path: Path, fixture_lines: list[bytes], releases: dict[str, str], not_on_pypi: set[str]
) -> None:
    # One decision (mapping.candidates) names a package without source
    # evidence: the index's with --pypi-names, the audit's with its list.
    # The audit of an index built without the list says what one built with
    # it says, and a package the list gave no name is reported, with why.
    names = set(PYPI_NAMES) | {"docopt"}
    reports = []
    listed = PyPINames(names, "tests", releases=releases)
    for label, used in (("without", None), ("with", listed)):
        db = tmp_path / f"{label}.sqlite"
        ingest(db, dump_lines(fixture_lines), RevisionInfo(rev="r"), pypi_names=used)
        result = run_audit(db, rules=["not-on-pypi", "shadowing"], pypi_names=listed,
                           store=False, today=TODAY)  # fmt: skip
        reports.append([f.as_json() for f in result.findings])
    assert reports[0] == reports[1]
    with sqlite3.connect(tmp_path / "with.sqlite") as conn:
        unnamed = {
            attr for (attr,) in conn.execute(
                "select attr from packages where name_source = 'pypi-list' and pypi_name is null"
                " and status = 'ok'")
        }  # fmt: skip
    reported = {f["attr"] for f in reports[1] if f["rule"] == "not-on-pypi" and not f["pypi_name"]}
    hooks = {attr for attr in unnamed if attr.endswith("Hook")}  # infrastructure, not judged
    assert unnamed - hooks == reported == not_on_pypi
    tinygrad = [f for f in reports[1] if f["attr"] == "tinygrad" and f["rule"] == "not-on-pypi"]
    assert len(tinygrad) == 2  # python312Packages and python313Packages
    assert all(
        f["message"].startswith("tinygrad: not on PyPI: no candidate is both") for f in tinygrad
    )
