"""Identity: which PyPI project a dumped derivation is, and how sure we are.

Evidence is weighed in a fixed order, strongest first:

1. a ``pkg:pypi`` purl (``meta.identifiers``, or the source's) — *verified*;
2. the pname ``fetchPypi`` was called with (``src.pname``) — *declared*;
3. a PyPI download URL among the sources — *verified*;
4. a curated override (GitHub repo, pname or attribute) — *declared*, consulted
   only when 1–3 found nothing, since a source PyPI served outranks curation;
5. with PyPI's project list: the candidate it keeps (``mapping.candidates``),
   or no PyPI name when it keeps none — *inferred* (its precision measured
   on bench/names_labelled.tsv falls short of the 99% *declared* needs);
5'. without a list: the derivation's pname, 6. its name (interpreter prefix
   and version split off), 7. the attribute name — *inferred*.

The first piece found decides; the rest of the strong evidence is kept in
``evidence`` so that disagreements show up in audits.
"""

from __future__ import annotations

from collections.abc import Container, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from mapping.candidates import NO_RELEASES, ListDecision, Releases, decide_with_list
from mapping.names import (
    canonical_name,
    derivation_version,
    drv_project_name,
    github_repo_from_url,
    pypi_name_from_purl,
    pypi_name_from_url,
    strip_version_suffix,
)
from mapping.overrides import NO_OVERRIDES, Override, Overrides
from mapping.versions import ParsedVersion, parse_version, same_version

__all__ = [
    "LIST_DECIDED_SOURCES",
    "Confidence",
    "NameSource",
    "PackageIdentity",
    "github_repo_of_record",
    "identify_package",
    "pypi_names_by_drv_name",
    "pypi_names_from_claims",
    "pypi_names_from_identities",
]

NameSource = Literal["override", "purl", "fetchpypi", "url", "pypi-list", "pname", "name", "attr"]
Confidence = Literal["verified", "declared", "inferred"]

_CONFIDENCE_RANK: dict[Confidence, int] = {"verified": 0, "declared": 1, "inferred": 2}
_SOURCE_CONFIDENCE: dict[NameSource, Confidence] = {
    "purl": "verified",
    "url": "verified",
    "fetchpypi": "declared",
    "override": "declared",
    # Measured on bench/names_labelled.tsv (bench/bench_names.py): below the
    # 99% that `declared`, the default export threshold, asks for.
    "pypi-list": "inferred",
    "pname": "inferred",
    "name": "inferred",
    "attr": "inferred",
}

# The sources of a name PyPI's list decides, given one: every other name
# (from the source, or an override) is the same whatever the list.
LIST_DECIDED_SOURCES: frozenset[NameSource] = frozenset({"pypi-list", "pname", "name", "attr"})


@dataclass(frozen=True, slots=True)
class PackageIdentity:
    """The PyPI project of one derivation.

    ``pypi_name`` is canonical, and None only when an override says the
    project is not on PyPI or PyPI's list keeps no candidate; ``spelled`` is as the deciding evidence spells it.
    ``version`` is the derivation's; ``url_version`` the one its PyPI evidence
    carries. ``version_mismatch`` flags both known and different (a
    ``version`` left stale by an override, say).
    """

    pypi_name: str | None
    spelled: str | None
    name_source: NameSource
    confidence: Confidence
    override_reason: str | None
    version: ParsedVersion
    url_version: str | None
    version_mismatch: bool
    evidence: tuple[str, ...]
    # What PyPI's list decided, for a name it decides (None: no list was
    # read): which of the record's candidates it has, and the releases read.
    list_decision: ListDecision | None = None

    @property
    def pypi_listed(self) -> tuple[str, ...] | None:
        """Which of the record's candidates PyPI's list has (None: no list was read)."""
        return None if self.list_decision is None else self.list_decision.listed


@dataclass(frozen=True, slots=True)
class _Claim:
    # One piece of evidence naming a project.
    source: NameSource
    name: str
    version: str | None
    note: str


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _derivation_sources(record: Mapping[str, Any]) -> Iterator[Mapping[str, Any]]:
    # src entries that are fetcher results; paths and unreadable (null) ones say nothing.
    sources = record.get("src")
    if not isinstance(sources, Sequence) or isinstance(sources, str):
        return
    for source in sources:
        if isinstance(source, Mapping) and source.get("kind", "derivation") == "derivation":
            yield source


def _strings(value: object) -> list[str]:
    if not isinstance(value, Sequence) or isinstance(value, str):
        return []
    return [item for item in value if isinstance(item, str)]


def _purl_claims(record: Mapping[str, Any]) -> Iterator[_Claim]:
    purls = _strings(record.get("purls"))
    for source in _derivation_sources(record):
        purls.extend(_strings(source.get("purls")))
    for purl in purls:
        parsed = pypi_name_from_purl(purl)
        if parsed is not None:
            yield _Claim("purl", parsed[0], parsed[1], f"purl {purl}")


def _fetchpypi_claims(record: Mapping[str, Any]) -> Iterator[_Claim]:
    for source in _derivation_sources(record):
        pname = _text(source.get("pname"))
        if pname is not None:
            version = _text(source.get("version"))
            note = f"fetchPypi pname {pname}" + (f" version {version}" if version else "")
            yield _Claim("fetchpypi", pname, version, note)


def _url_claims(record: Mapping[str, Any]) -> Iterator[_Claim]:
    for source in _derivation_sources(record):
        # The fetcher's version, else the derivation's, settles ambiguous file names.
        known_version = _text(source.get("version")) or _text(record.get("version"))
        for url in _strings(source.get("urls")):
            evidence = pypi_name_from_url(url, known_version)
            if evidence is not None:
                yield _Claim("url", evidence.name, evidence.version, f"url {url}")


def _strong_claims(record: Mapping[str, Any]) -> list[_Claim]:
    claims = [*_purl_claims(record), *_fetchpypi_claims(record), *_url_claims(record)]
    unique: dict[str, _Claim] = {}
    for claim in claims:
        unique.setdefault(claim.note, claim)
    return list(unique.values())


def _weak_claim(record: Mapping[str, Any]) -> _Claim:
    version = _text(record.get("version"))
    pname = _text(record.get("pname"))
    if pname is not None:
        project = strip_version_suffix(pname, version)
        return _Claim("pname", project, None, f"pname {pname}")
    name = _text(record.get("name"))
    if name is not None:
        return _Claim("name", drv_project_name(name, version), None, f"name {name}")
    attr = _text(record.get("attr"))
    if attr is not None:
        return _Claim("attr", attr, None, f"attr {attr}")
    raise ValueError("record has none of pname, name and attr")


def github_repo_of_record(record: Mapping[str, Any]) -> str | None:
    """``owner/repo`` of the first GitHub source: fetcher fields, git URL or URLs."""
    for source in _derivation_sources(record):
        owner, repo = _text(source.get("owner")), _text(source.get("repo"))
        if owner is not None and repo is not None:
            return f"{owner}/{repo}"
        for url in [*_strings([source.get("git_url")]), *_strings(source.get("urls"))]:
            found = github_repo_from_url(url)
            if found is not None:
                return found
    return None


def _pname_for_matching(record: Mapping[str, Any]) -> str | None:
    # Old trees have no pname; the name's project part stands in for it.
    pname = _text(record.get("pname"))
    if pname is not None:
        return pname
    name = _text(record.get("name"))
    return drv_project_name(name, _text(record.get("version"))) if name is not None else None


def _derivation_version(record: Mapping[str, Any]) -> ParsedVersion:
    return parse_version(
        derivation_version(_text(record.get("version")), _text(record.get("name")))
    )


def _describe_override(override: Override) -> str:
    matchers = [
        f"{key}={value}"
        for key, value in (
            ("attr", override.match_attr),
            ("pname", override.match_pname),
            ("github", override.match_github),
        )
        if value is not None
    ]
    target = override.pypi_name if override.pypi_name is not None else "not on PyPI"
    return f"override {' '.join(matchers)} -> {target}"


def identify_package(
    record: Mapping[str, Any],
    overrides: Overrides = NO_OVERRIDES,
    pypi_names: Container[str] | None = None,
    releases: Releases = NO_RELEASES,
) -> PackageIdentity:
    """The PyPI identity of an ``ok`` dump record (or any mapping with name/pname/version/attr).

    ``pypi_names`` (canonical names: PyPI's project list) decides the name of
    a record whose source names none (``mapping.candidates``), with the
    newest releases it knows (``releases``); without it the pname, name or
    attribute stands in.
    Raises ``ValueError`` for a record with none of pname, name and attr.
    """
    version = _derivation_version(record)
    strong = _strong_claims(record)
    if strong:
        return _identity_from_claims(strong[0], strong, version)

    override = overrides.find(
        _text(record.get("attr")), _pname_for_matching(record), github_repo_of_record(record)
    )
    if override is not None:
        return PackageIdentity(
            pypi_name=None if override.pypi_name is None else canonical_name(override.pypi_name),
            spelled=override.pypi_name,
            name_source="override",
            confidence="declared",
            override_reason=override.reason,
            version=version,
            url_version=None,
            version_mismatch=False,
            evidence=(_describe_override(override),),
        )

    weak = _weak_claim(record)  # raises for a record that names nothing
    if pypi_names is not None:
        return _identity_from_list(decide_with_list(record, pypi_names, releases), version)
    return _identity_from_claims(weak, [], version)


def _identity_from_list(decision: ListDecision, version: ParsedVersion) -> PackageIdentity:
    return PackageIdentity(
        pypi_name=decision.pypi_name,
        spelled=decision.spelled,
        name_source="pypi-list",
        confidence=_SOURCE_CONFIDENCE["pypi-list"],
        override_reason=None,
        version=version,
        url_version=None,
        version_mismatch=False,
        evidence=decision.evidence,
        list_decision=decision,
    )


def _identity_from_claims(
    decision: _Claim, strong: list[_Claim], version: ParsedVersion
) -> PackageIdentity:
    pypi_name = canonical_name(decision.name)
    agreeing = [claim for claim in strong if canonical_name(claim.name) == pypi_name]
    url_version = next((c.version for c in agreeing if c.version is not None), None)
    evidence = [decision.note] + [
        claim.note
        if canonical_name(claim.name) == pypi_name
        else f"{claim.note} (disagrees: {canonical_name(claim.name)})"
        for claim in strong
        if claim is not decision
    ]
    return PackageIdentity(
        pypi_name=pypi_name,
        spelled=decision.name,
        name_source=decision.source,
        confidence=_SOURCE_CONFIDENCE[decision.source],
        override_reason=None,
        version=version,
        url_version=url_version,
        version_mismatch=(
            url_version is not None
            and version.raw is not None
            and not same_version(url_version, version.raw)
        ),
        evidence=tuple(evidence),
    )


def pypi_names_by_drv_name(
    records: Iterable[Mapping[str, Any]], overrides: Overrides = NO_OVERRIDES
) -> dict[str, str | None]:
    """Derivation name → canonical PyPI name (None: not on PyPI), for ``classify_inputs``.

    Takes ``ok`` records (others are skipped). Where two attributes share a
    derivation name, the more confident identity wins; on a tie, the first.
    """
    return pypi_names_from_identities(
        (name, identify_package(record, overrides))
        for record in records
        if record.get("status", "ok") == "ok" and (name := _text(record.get("name"))) is not None
    )


def pypi_names_from_identities(
    identities: Iterable[tuple[str, PackageIdentity]],
) -> dict[str, str | None]:
    """``pypi_names_by_drv_name`` for identities computed already: (derivation
    name, identity) pairs in record order."""
    return pypi_names_from_claims(
        (name, identity.pypi_name, identity.confidence) for name, identity in identities
    )


def pypi_names_from_claims(
    claims: Iterable[tuple[str, str | None, Confidence]],
) -> dict[str, str | None]:
    """The same from (derivation name, PyPI name, confidence), in record
    order: a name's most confident claim, the first of equals."""
    best: dict[str, tuple[int, str | None]] = {}
    for name, pypi_name, confidence in claims:
        rank = _CONFIDENCE_RANK[confidence]
        if name not in best or rank < best[name][0]:
            best[name] = (rank, pypi_name)
    return {name: pypi_name for name, (_, pypi_name) in best.items()}
