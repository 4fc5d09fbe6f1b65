"""The audit's rules: pure functions of a revision's packages.

Each rule looks at the packages of one revision (as the index stores them)
and reports findings: which attribute, the evidence (pname, the name its
source gives, the position of its expression) and a concrete suggestion
(the new attribute name and the `python-aliases.nix` line to add). The rules
are pure functions of the packages (no SQL, no files: `indexer.audit.run`
reads the packages through `Index` and stores the findings), so an audit is
repeatable and two revisions' findings can be compared (`--since`, the
ratchet for review).
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Callable, Container, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from indexer.audit.rules import RULES
from indexer.query.nativeexpr import attr_path
from indexer.query.rows import AuditPackage
from mapping.attributes import attribute_kind, is_digit_workaround
from mapping.candidates import NO_RELEASES, Releases, decide_with_list
from mapping.identity import LIST_DECIDED_SOURCES
from mapping.names import (
    canonical_name,
    is_interpreter_name,
    is_setup_hook_name,
    pypi_name_from_url,
)
from mapping.pypiurls import pypi_url_problem


@dataclass(frozen=True)
class Package:
    """What the rules read of one attribute of one set."""

    set_name: str
    attr: str
    status: str
    drv_name: str | None = None
    pname: str | None = None
    fetchpypi_pname: str | None = None
    version: str | None = None
    version_valid: bool = True
    url_version: str | None = None
    version_mismatch: bool = False
    pypi_name: str | None = None
    name_source: str | None = None
    python_module: bool = True
    application: bool = False
    position: str | None = None
    src_urls: tuple[str, ...] = ()
    error_kind: str | None = None
    error_message: str | None = None
    alias_target: str | None = None
    # The stored record of a package whose name has no source evidence (JSON),
    # for `not-on-pypi` and `shadowing` to decide it with PyPI's list.
    record: str | None = None
    # What tells two derivations apart beyond their attribute names (name,
    # expression, sources): two attributes that agree on it are one value
    # under two names (an alias in the set), not two claims.
    content: str = ""

    @classmethod
    def from_row(cls, row: AuditPackage) -> Package:
        """The package as the index stores it (flags as integers, URLs as JSON)."""
        return cls(
            set_name=row.set_name,
            attr=row.attr,
            status=row.status,
            drv_name=row.drv_name,
            pname=row.pname,
            fetchpypi_pname=row.fetchpypi_pname,
            version=row.version,
            version_valid=row.version_valid != 0,
            url_version=row.url_version,
            version_mismatch=bool(row.version_mismatch),
            pypi_name=row.pypi_name,
            name_source=row.name_source,
            python_module=bool(row.python_module),
            application=bool(row.application),
            position=row.position,
            src_urls=tuple(json.loads(row.src_urls)) if row.src_urls else (),
            error_kind=row.error_kind,
            error_message=row.error_message,
            alias_target=row.alias_target,
            record=row.record,
            content=f"{row.drv_name}\0{row.position}\0{row.src_urls}",
        )


@dataclass(frozen=True)
class Finding:
    rule: str
    set_name: str
    attr: str
    pypi_name: str | None
    message: str
    suggestion: str | None
    position: str | None
    evidence: dict[str, Any] = field(default_factory=dict)

    @property
    def key(self) -> str:
        """Stable across revisions: what `--since` compares."""
        return f"{self.rule}:{self.set_name}:{self.attr}:{self.pypi_name or ''}"

    def as_json(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "set": self.set_name,
            "attr": self.attr,
            "pypi_name": self.pypi_name,
            "message": self.message,
            "suggestion": self.suggestion,
            "position": self.position,
            "evidence": self.evidence,
        }


def alias_line(old: str, new: str, today: date) -> str:
    """The python-aliases.nix line for a rename."""
    return f"{attr_path([old])} = {attr_path([new])}; # added {today.isoformat()}"


_ALIAS_DATE = re.compile(r"(; # added )\d{4}-\d{2}-\d{2}")


def undated(text: str) -> str:
    """`text` with the date of its alias lines left out (`# added DATE`): the
    day of the audit is no part of a stored finding, which holds as long as
    the package does."""
    return _ALIAS_DATE.sub(r"\1DATE", text) if "; # added " in text else text


# ---- the rules ----------------------------------------------------------

RuleFunction = Callable[[Sequence[Package], "AuditContext"], Iterable[Finding]]


@dataclass(frozen=True)
class AuditContext:
    today: date
    pypi_names: Container[str] | None
    # The newest releases the list knows (mapping.candidates.Releases).
    pypi_releases: Releases = NO_RELEASES
    # (set, attr) → the name PyPI's list decides, computed once for both rules.
    decided: dict[tuple[str, str], _Name] = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class _Name:
    pypi_name: str | None
    source: str | None
    why: str | None  # the list's reason, for a name it decided


def _name_of(p: Package, ctx: AuditContext) -> _Name:
    """The package's PyPI name as `index --pypi-names` with the audit's list
    gives it: the index's own where its source names it (or an override
    does), else the decision of PyPI's list on the stored record
    (mapping.candidates), so that the audit and the index never disagree."""
    names = ctx.pypi_names
    if names is None or p.record is None or p.name_source not in LIST_DECIDED_SOURCES:
        return _Name(p.pypi_name, p.name_source, None)
    key = (p.set_name, p.attr)
    found = ctx.decided.get(key)
    if found is None:
        decision = decide_with_list(json.loads(p.record), names, ctx.pypi_releases)
        found = ctx.decided[key] = _Name(decision.pypi_name, "pypi-list", decision.evidence[0])
    return found


def _evidence(p: Package, **extra: Any) -> dict[str, Any]:
    data = {
        "attr": p.attr,
        "pname": p.pname,
        "pypi_name": p.pypi_name,
        "name_source": p.name_source,
        "url_name": _url_name(p),
        "version": p.version,
        "position": p.position,
    }
    data.update(extra)
    return {k: v for k, v in data.items() if v is not None}


def _url_name(p: Package) -> str | None:
    for url in p.src_urls:
        evidence = pypi_name_from_url(url, p.version)
        if evidence is not None:
            return evidence.name
    return None


def _named(packages: Sequence[Package]) -> list[Package]:
    """ok packages with a PyPI name, the interpreter and hooks aside."""
    return [
        p
        for p in packages
        if p.status == "ok" and p.pypi_name is not None and not _infrastructure(p)
    ]


def _infrastructure(p: Package) -> bool:
    name = p.drv_name or ""
    return is_interpreter_name(name, p.pname) or is_setup_hook_name(name)


_VERSION_REST = re.compile(r"^[-_]?v?[0-9]+(?:[-_.][0-9]+)*$")


def _extends(attr: str, base: str) -> bool:
    """`attr` is `base` with a qualifier: h5py-mpi, pytorchWithCuda, bootstrapped-pip
    (not with a version: opencv3 is another version of opencv, not a variant)."""
    a, b = canonical_name(attr), canonical_name(base)
    if a == b:
        return False
    if a.startswith(b):
        return _VERSION_REST.match(a[len(b) :]) is None
    return a.endswith("-" + b)


def _variant_base(p: Package, group: Sequence[Package]) -> str | None:
    """The attribute (or project name) `p` is a variant of, if it is one; the
    project's own spellings are never variants."""
    assert p.pypi_name is not None
    kind = attribute_kind(p.attr, p.pypi_name)
    if kind in ("canonical", "versioned"):
        return None
    bases = [q.attr for q in group if q is not p and _extends(p.attr, q.attr)]
    if bases:
        return min(bases, key=len)
    return p.pypi_name if kind == "variant" else None


def rule_non_normalized(packages: Sequence[Package], ctx: AuditContext) -> Iterable[Finding]:
    attrs = {p.attr for p in packages if p.status in ("ok", "alias")}
    groups = _groups(packages)
    for p in _named(packages):
        assert p.pypi_name is not None
        kind = attribute_kind(p.attr, p.pypi_name)
        if p.attr == p.pypi_name or kind in ("versioned", "variant"):
            continue
        if _variant_base(p, groups[(p.set_name, p.pypi_name)]) is not None:
            continue  # pytorchWithCuda: reported with its base, pytorch
        if is_digit_workaround(p.attr, p.pypi_name) or p.pypi_name[:1].isdigit():
            continue
        if p.pypi_name in attrs:
            suggestion = (
                f"{p.pypi_name} exists: make {p.attr} an alias of it in python-aliases.nix: "
                + alias_line(p.attr, p.pypi_name, ctx.today)
            )
        else:
            suggestion = f"rename {p.attr} to {p.pypi_name}; alias: " + alias_line(
                p.attr, p.pypi_name, ctx.today
            )
        yield Finding(
            "non-normalized",
            p.set_name,
            p.attr,
            p.pypi_name,
            f"{p.attr} builds PyPI project {p.pypi_name}",
            suggestion,
            p.position,
            _evidence(p, new_attr=p.pypi_name, alias=alias_line(p.attr, p.pypi_name, ctx.today)),
        )


def rule_digit_first(packages: Sequence[Package], ctx: AuditContext) -> Iterable[Finding]:
    for p in _named(packages):
        assert p.pypi_name is not None
        if p.pypi_name[:1].isdigit():
            yield Finding(
                "digit-first",
                p.set_name,
                p.attr,
                p.pypi_name,
                f"PyPI name {p.pypi_name} starts with a digit; attribute {p.attr} stands for it",
                None
                if is_digit_workaround(p.attr, p.pypi_name)
                else f'use py{p.pypi_name} (or "{p.pypi_name}" quoted), as nixpkgs does',
                p.position,
                _evidence(p, workaround=p.attr),
            )


def _groups(packages: Sequence[Package]) -> dict[tuple[str, str], list[Package]]:
    groups: dict[tuple[str, str], list[Package]] = defaultdict(list)
    for p in _named(packages):
        assert p.pypi_name is not None
        groups[(p.set_name, p.pypi_name)].append(p)
    return groups


def rule_multiple_versions(packages: Sequence[Package], ctx: AuditContext) -> Iterable[Finding]:
    for (set_name, name), group in sorted(_groups(packages).items()):
        kinds = {p.attr: attribute_kind(p.attr, name) for p in group}
        versioned = [p for p in group if kinds[p.attr] in ("canonical", "versioned")]
        if not any(kinds[p.attr] == "versioned" for p in versioned) or len(versioned) < 2:
            continue
        canonical = next((p for p in versioned if kinds[p.attr] == "canonical"), None)
        members = sorted(versioned, key=lambda p: (kinds[p.attr] != "canonical", p.attr))
        listing = ", ".join(
            f"{p.attr} {p.version}" + (" (canonical)" if p is canonical else "") for p in members
        )
        subject = canonical or members[0]
        yield Finding(
            "multiple-versions",
            set_name,
            subject.attr,
            name,
            f"{len(members)} attributes of {name}: {listing}",
            None if canonical else f"no unversioned attribute {name}: add one for the default",
            subject.position,
            {
                "group": [
                    {"attr": p.attr, "version": p.version, "canonical": p is canonical}
                    for p in members
                ]
            },  # fmt: skip
        )


def rule_variants(packages: Sequence[Package], ctx: AuditContext) -> Iterable[Finding]:
    for (set_name, name), group in sorted(_groups(packages).items()):
        by_base: dict[str, list[Package]] = defaultdict(list)
        for p in group:
            base = _variant_base(p, group)
            if base is not None:
                by_base[base].append(p)
        attrs = {p.attr: p for p in group}
        for base, variants in sorted(by_base.items()):
            variants.sort(key=lambda p: p.attr)
            listing = ", ".join(p.attr for p in variants)
            subject = attrs.get(base)
            yield Finding(
                "variants",
                set_name,
                subject.attr if subject else variants[0].attr,
                name,
                f"variants of {base}: {listing}"
                + ("" if subject else f" (no base attribute {base})"),
                None,
                (subject or variants[0]).position,
                {
                    "base": base,
                    "base_exists": subject is not None,
                    "variants": [p.attr for p in variants],
                },  # fmt: skip
            )


def rule_pname_mismatch(packages: Sequence[Package], ctx: AuditContext) -> Iterable[Finding]:
    for p in _named(packages):
        if p.name_source not in ("purl", "fetchpypi", "url"):
            continue  # the pname itself named the project: nothing to compare with
        assert p.pypi_name is not None
        for label, value in (("pname", p.pname), ("fetchPypi pname", p.fetchpypi_pname)):
            if value is not None and canonical_name(value) != p.pypi_name:
                yield Finding(
                    "pname-mismatch",
                    p.set_name,
                    p.attr,
                    p.pypi_name,
                    f"{label} {value} but the source is PyPI project {p.pypi_name}",
                    f'pname = "{p.pypi_name}";' if label == "pname" else None,
                    p.position,
                    _evidence(p, field=label),
                )
                break


def rule_version_mismatch(packages: Sequence[Package], ctx: AuditContext) -> Iterable[Finding]:
    for p in packages:
        if p.status == "ok" and p.version_mismatch:
            yield Finding(
                "version-mismatch",
                p.set_name,
                p.attr,
                p.pypi_name,
                f"version {p.version} but the source is version {p.url_version}",
                f'version = "{p.url_version}"; (or update the source to {p.version})',
                p.position,
                _evidence(p, url_version=p.url_version),
            )


def rule_bad_pypi_url(packages: Sequence[Package], ctx: AuditContext) -> Iterable[Finding]:
    for p in packages:
        if p.status != "ok":
            continue
        problems = [x for x in map(pypi_url_problem, p.src_urls) if x is not None]
        if not problems:
            continue
        first = problems[0]
        more = f" (and {len(problems) - 1} more URLs)" if len(problems) > 1 else ""
        if first.fixed is not None:
            suggestion = f'url = "{first.fixed}"; (the same file: the hash stays)'
        else:
            suggestion = (
                'fetchPypi with format = "wheel" and the wheel\'s Python tag as python and '
                "dist (the same file: the hash stays)"
            )
        yield Finding(
            "bad-pypi-url",
            p.set_name,
            p.attr,
            p.pypi_name,
            f"{first.url}: {'; '.join(first.reasons)}{more}",
            suggestion,
            p.position,
            _evidence(
                p,
                urls=[
                    {
                        "url": x.url,
                        "kinds": list(x.kinds),
                        "reasons": list(x.reasons),
                        "project": x.project,
                        "fixed": x.fixed,
                    }
                    for x in problems
                ],
            ),
        )


def rule_not_on_pypi(packages: Sequence[Package], ctx: AuditContext) -> Iterable[Finding]:
    names = ctx.pypi_names
    if names is None:
        return
    for p in packages:
        if p.status != "ok" or _infrastructure(p):
            continue
        named = _name_of(p, ctx)
        if named.source == "override" or (named.pypi_name is None and named.why is None):
            continue
        if named.pypi_name is None:
            # PyPI's list kept no candidate: the index gives it no PyPI name.
            yield Finding(
                "not-on-pypi",
                p.set_name,
                p.attr,
                None,
                f"{p.attr}: {named.why}",
                "if it is on PyPI under another name, record that name in"
                " data/pypi-overrides.json; else record it there as not on PyPI",
                p.position,
                _evidence(p, pypi_name=None, name_source=named.source, reason=named.why),
            )
            continue
        if named.pypi_name in names:
            continue
        yield Finding(
            "not-on-pypi",
            p.set_name,
            p.attr,
            named.pypi_name,
            f"{named.pypi_name} (from its {named.source}) is not a PyPI project",
            "correct the name, or record the project as not on PyPI in data/pypi-overrides.json",
            p.position,
            _evidence(p, pypi_name=named.pypi_name, name_source=named.source),
        )


def rule_shadowing(packages: Sequence[Package], ctx: AuditContext) -> Iterable[Finding]:
    names = ctx.pypi_names
    if names is None:
        return
    for p in packages:
        if p.status != "ok" or _infrastructure(p) or not p.python_module:
            continue
        named = _name_of(p, ctx)
        if named.source not in ("purl", "fetchpypi", "url", "override", "pypi-list"):
            # Its own name is only inferred (from pname or name): the attribute
            # may well be the true project name (pyramid_hawkauth, 2018).
            continue
        pypi_name = named.pypi_name
        attr_name = canonical_name(p.attr)
        if attr_name == pypi_name or attr_name not in names:
            continue
        if pypi_name is not None and attribute_kind(p.attr, pypi_name) != "other":
            continue  # h5py-mpi, django_4: forms of their own project's name
        own = pypi_name or "no PyPI project"
        yield Finding(
            "shadowing",
            p.set_name,
            p.attr,
            pypi_name,
            f"attribute {p.attr} is PyPI project {attr_name}, but the package is {own}",
            f"rename {p.attr} to {pypi_name}"
            if pypi_name
            else f"rename {p.attr} to a name that is not a PyPI project's",
            p.position,
            _evidence(p, shadowed=attr_name, pypi_name=pypi_name, name_source=named.source),
        )


def rule_duplicate_claim(packages: Sequence[Package], ctx: AuditContext) -> Iterable[Finding]:
    claims: dict[tuple[str, str, str | None], list[Package]] = defaultdict(list)
    for (set_name, name), group in _groups(packages).items():
        for p in group:
            kind = attribute_kind(p.attr, name)
            if kind in ("canonical", "other") and _variant_base(p, group) is None:
                claims[(set_name, name, p.version)].append(p)
    for (set_name, name, version), group in sorted(claims.items(), key=lambda i: str(i[0])):
        # One value under two names (an alias inside the set) is not a claim.
        distinct = {p.content: p for p in sorted(group, key=lambda p: p.attr)}
        if len(distinct) < 2:
            continue
        members = sorted(distinct.values(), key=lambda p: (p.attr != name, p.attr))
        keep = members[0]
        others = members[1:]
        yield Finding(
            "duplicate-claim",
            set_name,
            keep.attr,
            name,
            f"{', '.join(p.attr for p in members)} all build {name} {version}",
            "keep one: " + "; ".join(alias_line(p.attr, keep.attr, ctx.today) for p in others),
            keep.position,
            {"attrs": [p.attr for p in members], "positions": [p.position for p in members]},
        )


def rule_not_a_module(packages: Sequence[Package], ctx: AuditContext) -> Iterable[Finding]:
    for p in packages:
        if p.status != "ok" or p.python_module or _infrastructure(p):
            continue
        what = "an application (buildPythonApplication)" if p.application else "not a Python module"
        yield Finding(
            "not-a-module",
            p.set_name,
            p.attr,
            p.pypi_name,
            f"{p.attr} ({p.drv_name}) is {what}",
            "move it to the top level (pkgs/by-name) and refer to it from there"
            if p.application
            else f"refer to pkgs.{p.attr} where it is needed instead of adding it to the set",
            p.position,
            _evidence(p, application=p.application),
        )


def rule_non_pep440(packages: Sequence[Package], ctx: AuditContext) -> Iterable[Finding]:
    for p in packages:
        if p.status == "ok" and p.version is not None and not p.version_valid:
            yield Finding(
                "non-pep440-version",
                p.set_name,
                p.attr,
                p.pypi_name,
                f"version {p.version} is not PEP 440",
                "use the version of the release it is based on (with .postN or .devN for a "
                "snapshot), so that requirements can be matched",
                p.position,
                _evidence(p),
            )


def rule_eval_error(packages: Sequence[Package], ctx: AuditContext) -> Iterable[Finding]:
    advice = {
        "crash": "the evaluation aborts: fix the expression",
        "throw": "the expression throws: fix it or remove the attribute",
        "assert": "an assertion fails: fix it or remove the attribute",
        "meta": "refused by meta checks (broken, unfree, insecure, platforms)",
        "disabled": "disabled for this interpreter (expected where upstream dropped it)",
        "removed": "a removal notice (expected in python-aliases.nix)",
    }
    for p in packages:
        if p.status == "error":
            kind = p.error_kind or "error"
            yield Finding(
                "eval-error",
                p.set_name,
                p.attr,
                p.pypi_name,
                f"{kind}: {p.error_message}",
                advice.get(kind),
                p.position,
                {"kind": kind},
            )


RULE_FUNCTIONS: dict[str, RuleFunction] = {
    "non-normalized": rule_non_normalized,
    "digit-first": rule_digit_first,
    "multiple-versions": rule_multiple_versions,
    "variants": rule_variants,
    "pname-mismatch": rule_pname_mismatch,
    "version-mismatch": rule_version_mismatch,
    "bad-pypi-url": rule_bad_pypi_url,
    "not-on-pypi": rule_not_on_pypi,
    "shadowing": rule_shadowing,
    "duplicate-claim": rule_duplicate_claim,
    "not-a-module": rule_not_a_module,
    "non-pep440-version": rule_non_pep440,
    "eval-error": rule_eval_error,
}
assert RULE_FUNCTIONS.keys() == RULES.keys()


def audit_packages(
    packages: Sequence[Package],
    *,
    rules: Iterable[str] | None = None,
    pypi_names: Container[str] | None = None,
    today: date | None = None,
    ctx: AuditContext | None = None,
) -> list[Finding]:
    """Every finding of `rules` (default: all) on `packages`, in rule order
    (`ctx`, when given, instead of `pypi_names` and `today`)."""
    if ctx is None:
        ctx = AuditContext(today or date.today(), pypi_names)
    chosen = list(RULES) if rules is None else list(rules)
    findings: list[Finding] = []
    for rule in chosen:
        findings.extend(RULE_FUNCTIONS[rule](packages, ctx))
    return findings


def new_since(findings: Iterable[Finding], base: Iterable[Finding]) -> tuple[Finding, ...]:
    """The findings `base` (an older revision's) does not have, by key."""
    old = {f.key for f in base}
    return tuple(f for f in findings if f.key not in old)
