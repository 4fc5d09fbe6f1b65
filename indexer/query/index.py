"""The provider's queries: what does nixpkgs have for a requirement?

    >>> from indexer import Index
    >>> index = Index.open("index.sqlite")
    >>> [c.attr_path for c in index.candidates("PyYAML>=6", python="3.13")]
    ['python313Packages.pyyaml']

A resolver asks this thousands of times per resolution: the database is
opened read-only, statements are prepared once, and the answers are cached
per (requirement, interpreter, revision), so a repeated question costs a
dictionary lookup and a new one a few indexed SQLite lookups.
"""

from __future__ import annotations

import functools
import json
import sqlite3
from bisect import bisect_left, bisect_right
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from packaging.requirements import InvalidRequirement, Requirement
from packaging.specifiers import SpecifierSet

from indexer.errors import InvalidQuery, NotFound
from indexer.paths import default_db_path
from indexer.query import rows
from indexer.query.nativeexpr import NativeInput, native_inputs_expression
from indexer.query.rows import (
    AuditPackage,
    ExportPackage,
    FindingRow,
    LockedInRevision,
    MachNixPackage,
    NamedPackage,
    OverlayInput,
    OverlayPackage,
    PackageState,
    ProjectPackage,
    Revision,
    RevisionRef,
)
from indexer.store.factoring import (
    SetStrings,
    expand,
    expand_input,
    expand_json,
)
from indexer.store.schema import open_for_reading
from mapping.attributes import AttributeKind, attribute_kind, candidate_rank
from mapping.names import canonical_name
from mapping.status import exclusion, is_available, is_broken

__all__ = [
    "Answer",
    "Candidate",
    "Index",
    "InvalidQuery",
    "PackageSet",
    "marker_environment",
    "Revision",
    "parse_requirement",
]


@dataclass(frozen=True)
class PackageSet:
    name: str
    same_as: tuple[str, ...]
    python_version: str | None
    interpreter_version: str | None
    implementation: str | None


@dataclass(frozen=True)
class Candidate:
    """One attribute that provides a requirement."""

    attr_path: str  # python313Packages.pyyaml
    set_name: str
    attr: str
    pypi_name: str
    version: str | None
    version_valid: bool
    name_source: str
    confidence: str
    override_reason: str | None
    attribute_kind: AttributeKind
    broken: bool
    available: bool
    disabled: bool
    python_module: bool
    also_as: tuple[str, ...]  # the same value under other names: python3Packages.pyyaml
    natives: tuple[NativeInput, ...]
    natives_nix: str
    extras: Mapping[str, tuple[str, ...]]  # requested extra -> PyPI names it adds
    missing_extras: tuple[str, ...]

    def as_json(self) -> dict[str, Any]:
        data = {k: v for k, v in self.__dict__.items() if k not in ("natives", "extras")}
        data["also_as"] = list(self.also_as)
        data["missing_extras"] = list(self.missing_extras)
        data["extras"] = {k: list(v) for k, v in self.extras.items()}
        natives: dict[str, list[dict[str, Any]]] = {}
        for n in self.natives:
            natives.setdefault(n.list_key, []).append(
                {"name": n.name, "pname": n.pname, "version": n.version}
            )
        data["natives"] = natives
        return data


@dataclass(frozen=True)
class Answer:
    """Candidates for one requirement, and why there may be none."""

    requirement: str
    pypi_name: str
    python: str
    revision: str
    candidates: tuple[Candidate, ...]
    marker_excludes: bool = False
    excluded: Mapping[str, int] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {
            "requirement": self.requirement,
            "pypi_name": self.pypi_name,
            "python": self.python,
            "revision": self.revision,
            "marker_excludes": self.marker_excludes,
            "excluded": dict(self.excluded),
            "candidates": [c.as_json() for c in self.candidates],
        }


@functools.lru_cache(maxsize=8192)
def parse_requirement(text: str) -> Requirement:
    try:
        return Requirement(text)
    except InvalidRequirement as e:
        # packaging's message draws the position on extra lines: one line here.
        reason = str(e).splitlines()[0]
        raise InvalidQuery(f"not a PEP 508 requirement: {text!r} ({reason})") from None


class _Chains(dict[int, tuple[list[int], list[rows.ChainRevision]]]):
    """Chain id → (revision ids, revisions), ascending; and each revision's
    date for ordering (its commit date, else when it was indexed)."""

    def __init__(self) -> None:
        super().__init__()
        self.dated: dict[int, str] = {}


class _InputVersions(dict[str, str]):
    """The versions of a set's inputs stored by reference in one revision,
    each read by its key when first asked for (a question needs a few)."""

    def __init__(self, conn: sqlite3.Connection, revision_id: int, set_name: str) -> None:
        super().__init__()
        self.conn = conn
        self.params: dict[str, object] = {"revision": revision_id, "set": set_name}

    def __missing__(self, name: str) -> str:
        row = self.conn.execute(rows.INPUT_VERSION, {**self.params, "name": name}).fetchone()
        if row is None:
            raise KeyError(name)
        version: str = row[0]
        self[name] = version
        return version


class Index:
    """A read-only view of the index: every read of the database.

    For resolvers (`answer`, `candidates`, `show`), and for the history,
    the exports, the audit and `reindex`, which read their rows here
    (named rows, see `indexer.query.rows`)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self._answers: dict[tuple[str, str | None, str | None, bool, bool, bool], Answer] = {}
        # (package, set, revision): a package's natives name their versions
        # as the set and the revision spell them.
        self._natives: dict[tuple[int, str, int], tuple[tuple[NativeInput, ...], str]] = {}
        # Per instance, so that a closed Index takes its caches with it.
        self._strings: dict[tuple[int, str], SetStrings] = {}
        self._input_versions: dict[tuple[int, str], dict[str, str]] = {}
        self._frame: tuple[tuple[int, int], _Chains, dict[tuple[int, str], str | None]] | None = None
        self._revisions: dict[str | None, Revision] = {}
        self._sets: dict[int, tuple[PackageSet, ...]] = {}
        self._extras: dict[int, dict[str, tuple[str, ...]]] = {}

    @classmethod
    def open(cls, path: str | Path | None = None) -> Index:
        """Open an index read-only (default: the default database path)."""
        return cls(open_for_reading(Path(path) if path is not None else default_db_path()))

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Index:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- revisions and sets ---------------------------------------------

    def revisions(self, channel: str | None = None) -> list[Revision]:
        sql = rows.REVISIONS
        if channel is not None:
            sql += " and channel = :channel"
        return rows.read(self.conn, Revision, sql + " order by id", {"channel": channel})

    def revision(self, rev: str | None = None) -> Revision:
        """The revision `rev` (or a unique prefix of it); the newest indexed if None."""
        cached = self._revisions.get(rev)
        if cached is None:
            cached = self._revisions[rev] = self._revision(rev)
        return cached

    def _revision(self, rev: str | None) -> Revision:
        if rev is None:
            newest = rows.read_one(
                self.conn, Revision, rows.REVISIONS + " order by id desc limit 1"
            )
            if newest is None:
                raise NotFound("the index holds no revision yet")
            return newest
        if not rev.strip():
            raise NotFound("the revision name is empty")
        found = rows.read(
            self.conn,
            Revision,
            rows.REVISIONS + " and (rev = :rev or substr(rev, 1, length(:rev)) = :rev)"
            " order by rev = :rev desc",
            {"rev": rev},
        )
        if not found:
            raise NotFound(f"revision {rev!r} is not indexed")
        if len(found) > 1 and found[0].rev != rev:
            raise NotFound(f"revision prefix {rev!r} is ambiguous ({len(found)} revisions)")
        return found[0]

    def stored_revision(self, rev: str) -> RevisionRef | None:
        """Revision `rev` (a full commit) in whatever state it is stored; uncached."""
        return rows.read_one(self.conn, RevisionRef, rows.REVISION_BY_REV, {"rev": rev})

    def has_revision(self, revision_id: int) -> bool:
        """Whether revision `revision_id` is (still) stored; uncached."""
        return (
            rows.read_one(self.conn, RevisionRef, rows.REVISION_BY_ID, {"id": revision_id})
            is not None
        )

    def previous_revision(self, channel: str, exclude_id: int | None = None) -> RevisionRef | None:
        """The newest complete revision of `channel` other than `exclude_id`; uncached."""
        return rows.read_one(
            self.conn,
            RevisionRef,
            rows.PREVIOUS_OF_CHANNEL,
            {"channel": channel, "exclude": exclude_id},
        )

    def is_audited(self, revision_id: int) -> bool:
        return self.conn.execute(rows.AUDITED, {"revision": revision_id}).fetchone() is not None

    def findings(self, revision_id: int) -> list[FindingRow]:
        """The audit's stored findings of a revision (none if it is not audited)."""
        return rows.read(self.conn, FindingRow, rows.FINDINGS, {"revision": revision_id})

    def package_states(self, revision_id: int) -> list[PackageState]:
        """The evaluated (ok or failed) attributes of a revision, for diffs."""
        return rows.read(self.conn, PackageState, rows.PACKAGE_STATES, {"revision": revision_id})

    def project_packages(self, pypi_name: str, channel: str | None = None) -> list[ProjectPackage]:
        """A PyPI project's attributes in every complete revision (of `channel`),
        oldest revision first."""
        chains, python_versions = self._history_frame()
        found: list[ProjectPackage] = []
        spans = rows.read(
            self.conn, rows.ProjectSpan, rows.PROJECT_SPANS, {"name": canonical_name(pypi_name)}
        )
        for s in spans:
            ids, revisions = chains.get(s.chain_id, ((), ()))
            for r in revisions[bisect_left(ids, s.first_id) : bisect_right(ids, s.last_id)]:
                key = (r.id, s.set_name)
                if (channel is None or r.channel == channel) and key in python_versions:
                    found.append(ProjectPackage(
                        r.id, r.rev, r.channel, r.date, s.set_name, s.attr, s.version,
                        s.status, s.error_kind, python_versions[key],
                    ))  # fmt: skip
        # Oldest first, as revisions are dated (else indexed), then by set and attribute.
        found.sort(key=lambda p: (chains.dated[p.revision_id], p.revision_id, p.set_name, p.attr))
        return found

    def _history_frame(self) -> tuple[_Chains, dict[tuple[int, str], str | None]]:
        """Every complete revision by chain (ids ascending), and each set's
        Python version per revision; read again when revisions were added
        or pruned."""
        state = tuple(self.conn.execute(rows.REVISIONS_STATE).fetchone())
        if self._frame is None or self._frame[0] != state:
            chains = _Chains()
            for r in rows.read(self.conn, rows.ChainRevision, rows.CHAIN_REVISIONS):
                ids, revisions = chains.setdefault(r.chain_id, ([], []))
                ids.append(r.id)
                revisions.append(r)
                chains.dated[r.id] = r.date or r.indexed_at
            versions = {(rid, name): v for rid, name, v in self.conn.execute(rows.SET_PYTHON_VERSIONS)}
            self._frame = (state, chains, versions)
        return self._frame[1], self._frame[2]

    def export_packages(self, revision_id: int) -> list[ExportPackage]:
        """Every package of a revision under each of its PyPI names, by name."""
        return rows.read(self.conn, ExportPackage, rows.EXPORT_PACKAGES, {"revision": revision_id})

    def mach_nix_packages(self, revision_id: int, set_name: str) -> list[MachNixPackage]:
        """The evaluated attributes and aliases of one set, by attribute."""
        return rows.read(
            self.conn,
            MachNixPackage,
            rows.MACH_NIX_PACKAGES,
            {"revision": revision_id, "set": set_name},
        )

    def overlay_packages(self, revision_id: int, set_name: str) -> list[OverlayPackage]:
        """The evaluated packages of one set under each of their PyPI names, by name."""
        params = {"revision": revision_id, "set": set_name}
        return rows.read(self.conn, OverlayPackage, rows.OVERLAY_PACKAGES, params)

    def overlay_inputs(self, revision_id: int, set_name: str) -> list[OverlayInput]:
        """The native inputs and build systems of one set's evaluated packages,
        by package, in each package's order."""
        params = {"revision": revision_id, "set": set_name}
        found = rows.read(self.conn, OverlayInput, rows.OVERLAY_INPUTS, params)
        for n, i in enumerate(found):
            if i.factored:
                name, version = self._expand_input(i.name, i.version, revision_id, set_name)
                found[n] = i._replace(name=name, version=version)
        return found

    def locked_in_revisions(self, names: list[str], set_name: str) -> list[LockedInRevision]:
        """The usable packages of PyPI names `names` (canonical) in set
        `set_name` of every complete revision: one read, for `provide
        --across-revisions`."""
        return rows.read(
            self.conn,
            LockedInRevision,
            rows.LOCKED_IN_REVISIONS,
            {"names": json.dumps(sorted(set(names))), "set": set_name},
        )

    def audit_packages(self, revision_id: int, records: bool = False) -> list[AuditPackage]:
        """What the audit reads of every package of a revision, by set and
        attribute; with `records`, the records of the packages whose name has
        no source evidence (an audit with a PyPI list decides them again)."""
        params = {"revision": revision_id, "records": int(records)}
        found = rows.read(self.conn, AuditPackage, rows.AUDIT_PACKAGES, params)
        # drv_name and the error come expanded by SQL; the few records read
        # (names without source evidence) are expanded here.
        for n, p in enumerate(found):
            if p.factored and p.record is not None:
                found[n] = p._replace(record=expand_json(
                    p.record, self._set_strings(revision_id, p.set_name),
                    self._versions(revision_id, p.set_name),
                ))  # fmt: skip
        return found

    def package_sets(self, revision_id: int) -> tuple[PackageSet, ...]:
        cached = self._sets.get(revision_id)
        if cached is None:
            cached = self._sets[revision_id] = self._package_sets(revision_id)
        return cached

    def _package_sets(self, revision_id: int) -> tuple[PackageSet, ...]:
        return tuple(
            PackageSet(
                row.name,
                tuple(json.loads(row.same_as or "[]")),
                row.python_version,
                row.interpreter_version,
                row.implementation,
            )
            for row in rows.read(
                self.conn, rows.PackageSetRow, rows.PACKAGE_SETS, {"revision": revision_id}
            )
        )

    def package_set(self, revision_id: int, python: str | None) -> PackageSet:
        """The set of interpreter `python` ("3.13", or a set name); by default
        the one python3Packages is, else the newest interpreter's."""
        sets = self.package_sets(revision_id)
        if not sets:
            raise NotFound("the revision has no package set")
        if python is None:
            for s in sets:
                if "python3Packages" in s.same_as or s.name == "python3Packages":
                    return s
            return max(sets, key=lambda s: _version_key(s.python_version))
        for s in sets:
            if python in (s.name, s.python_version) or python in s.same_as:
                return s
        known = ", ".join(f"{s.python_version} ({s.name})" for s in sets)
        raise NotFound(f"no package set for Python {python} in this revision (it has {known})")

    # ---- candidates -------------------------------------------------------

    def candidates(
        self, requirement: str, python: str | None = None, rev: str | None = None, **flags: bool
    ) -> list[Candidate]:
        """The attributes that provide `requirement` (PEP 508) for interpreter
        `python`, best first; `flags` as for `answer`, which also says why a
        list is empty."""
        return list(self.answer(requirement, python, rev, **flags).candidates)

    def answer(
        self,
        requirement: str,
        python: str | None = None,
        rev: str | None = None,
        *,
        include_broken: bool = False,
        include_disabled: bool = False,
        include_non_modules: bool = False,
    ) -> Answer:
        """Candidates for `requirement` in revision `rev` (default: the newest)
        for interpreter `python` ("3.13"; default: python3's). Broken,
        disabled and non-module (application, non-Python) packages are left
        out unless included; `excluded` counts what was left out and why."""
        key = (requirement, python, rev, include_broken, include_disabled, include_non_modules)
        cached = self._answers.get(key)
        if cached is None:
            cached = self._answer(*key)
            self._answers[key] = cached
        return cached

    def _answer(
        self,
        requirement: str,
        python: str | None,
        rev: str | None,
        include_broken: bool,
        include_disabled: bool,
        include_non_modules: bool,
    ) -> Answer:
        req = parse_requirement(requirement)
        revision = self.revision(rev)
        package_set = self.package_set(revision.id, python)
        name = canonical_name(req.name)
        python_label = package_set.python_version or package_set.name
        if req.marker is not None and not req.marker.evaluate(marker_environment(package_set)):
            return Answer(requirement, name, python_label, revision.rev, (), marker_excludes=True)

        found = rows.read(
            self.conn,
            NamedPackage,
            rows.PACKAGES_OF_NAME,
            {"revision": revision.id, "name": name, "set": package_set.name},
        )
        excluded: dict[str, int] = {}
        kept: list[NamedPackage] = []
        for row in found:
            reason = exclusion(
                row.status,
                row.broken,
                row.available,
                row.error_kind,
                row.python_module,
                include_broken,
                include_disabled,
                include_non_modules,
            )
            if reason is None:
                kept.append(row)
            else:
                excluded[reason] = excluded.get(reason, 0) + 1
        matching = _matching_versions(kept, req.specifier)
        excluded_by_version = len(kept) - len(matching)
        if excluded_by_version:
            excluded["version"] = excluded_by_version
        also = tuple(s for s in package_set.same_as)
        candidates = [
            self._candidate(row, name, package_set.name, revision.id, also, req.extras)
            for row in matching
        ]
        candidates.sort(key=_rank)
        return Answer(
            requirement, name, python_label, revision.rev, tuple(candidates), excluded=excluded
        )

    def _candidate(
        self,
        row: NamedPackage,
        name: str,
        set_name: str,
        revision_id: int,
        also: tuple[str, ...],
        extras: set[str],
    ) -> Candidate:
        attr = row.attr
        natives, expression = self._natives_of(
            row.id, set_name, revision_id, attr, row.inputs_from, row.factored
        )
        offered = self._extras_of(row.id)
        return Candidate(
            attr_path=f"{set_name}.{attr}",
            set_name=set_name,
            attr=attr,
            pypi_name=name,
            version=row.version,
            version_valid=bool(row.version_valid),
            name_source=row.name_source,
            confidence=row.confidence,
            override_reason=row.override_reason,
            attribute_kind=attribute_kind(attr, name),
            broken=is_broken(row.status, row.broken, row.error_kind),
            available=is_available(row.status, row.available),
            disabled=row.error_kind == "disabled",
            python_module=bool(row.python_module) if row.python_module is not None else False,
            also_as=tuple(f"{s}.{attr}" for s in also),
            natives=natives,
            natives_nix=expression,
            extras={e: offered[e] for e in sorted(extras) if e in offered},
            missing_extras=tuple(sorted(e for e in extras if e not in offered)),
        )

    def _natives_of(
        self,
        package_id: int,
        set_name: str,
        revision_id: int,
        attr: str,
        inputs_from: str | None,
        factored: int,
    ) -> tuple[tuple[NativeInput, ...], str]:
        key = (package_id, set_name, revision_id)
        cached = self._natives.get(key)
        if cached is None:
            # Not rows.read: this is the hot path of a cold question.
            natives = tuple(
                NativeInput(*values)
                for values in self.conn.execute(rows.NATIVES, {"package": package_id})
            )
            if factored:
                natives = tuple(self._expanded_native(n, revision_id, set_name) for n in natives)
            expression = native_inputs_expression(
                set_name, attr, inputs_from == "declared", natives
            )
            cached = self._natives[key] = (natives, expression)
        return cached

    # ---- factored text (indexer/store/factoring.py) -------------------------

    def _expanded_native(self, n: NativeInput, revision_id: int, set_name: str) -> NativeInput:
        name, version = self._expand_input(n.name, n.version, revision_id, set_name)
        return NativeInput(n.list_key, n.position, name, n.pname, version)

    def _set_strings(self, revision_id: int, set_name: str) -> SetStrings:
        key = (revision_id, set_name)
        cached = self._strings.get(key)
        if cached is None:
            row = self.conn.execute(
                rows.SET_STRINGS, {"revision": revision_id, "set": set_name}
            ).fetchone()
            cached = self._strings[key] = SetStrings(*(row or (None, None)))
        return cached

    def _versions(self, revision_id: int, set_name: str) -> dict[str, str]:
        key = (revision_id, set_name)
        cached = self._input_versions.get(key)
        if cached is None:
            cached = self._input_versions[key] = _InputVersions(self.conn, revision_id, set_name)
        return cached

    def _expand(self, text: str | None, revision_id: int, set_name: str) -> str | None:
        return None if text is None else expand(text, self._set_strings(revision_id, set_name))

    def _expand_input(
        self, name: str, version: str | None, revision_id: int, set_name: str
    ) -> tuple[str, str | None]:
        # The versions are read only if the input is stored by reference.
        return expand_input(
            name, version, self._set_strings(revision_id, set_name),
            self._versions(revision_id, set_name),
        )  # fmt: skip

    def _extras_of(self, package_id: int) -> dict[str, tuple[str, ...]]:
        cached = self._extras.get(package_id)
        if cached is None:
            cached = self._extras[package_id] = self._load_extras(package_id)
        return cached

    def _load_extras(self, package_id: int) -> dict[str, tuple[str, ...]]:
        offered: dict[str, list[str]] = {}
        # An ExtraInput's two fields, unpacked as they come: the hot path again.
        for extra, pypi_name in self.conn.execute(rows.EXTRAS, {"package": package_id}):
            offered.setdefault(extra, [])
            if pypi_name is not None:
                offered[extra].append(pypi_name)
        return {k: tuple(v) for k, v in offered.items()}

    # ---- show -------------------------------------------------------------

    def show(self, attr: str, rev: str | None = None) -> list[dict[str, Any]]:
        """Every set's record of `attr` ("pyyaml" or "python313Packages.pyyaml")."""
        revision = self.revision(rev)
        set_name, _, name = attr.rpartition(".")
        sets = {s.name: s for s in self.package_sets(revision.id)}
        if set_name:
            for s in sets.values():
                if set_name in s.same_as:
                    set_name = s.name
            if set_name not in sets:
                raise NotFound(f"no package set {set_name!r} in revision {revision.rev}")
        self.conn.row_factory = sqlite3.Row
        try:
            # One statement per set: each uses the (set_name, attr) index.
            found = [
                row
                for s in sorted(sets)
                if not set_name or s == set_name
                for row in self.conn.execute(
                    rows.SHOWN, {"revision": revision.id, "set": s, "attr": name}
                )
            ]
            shown = []
            for row in found:
                data = {k: row[k] for k in row.keys()  # noqa: SIM118
                        if k not in ("record", "content_sha256", "factored")}  # fmt: skip
                set_of_row = row["set_name"]
                if row["factored"]:
                    for key in ("drv_name", "name_evidence"):
                        data[key] = self._expand(data[key], revision.id, set_of_row)
                for key in _FLAG_COLUMNS:
                    if data.get(key) is not None:
                        data[key] = bool(data[key])
                data["revision"] = revision.rev
                data["attr_path"] = f"{row['set_name']}.{row['attr']}"
                data["also_as"] = [f"{s}.{row['attr']}" for s in sets[row["set_name"]].same_as]
                for key in ("src_urls", "name_evidence"):
                    data[key] = json.loads(row[key]) if row[key] else []
                data["inputs"] = [
                    {k: i[k] for k in i.keys() if k != "package_id"}  # noqa: SIM118 - a Row iterates values
                    for i in self.conn.execute(rows.SHOWN_INPUTS, {"package": row["id"]})
                ]
                error = self.conn.execute(rows.SHOWN_ERROR, {"package": row["id"]}).fetchone()
                data["error"] = dict(error) if error else None
                if row["factored"]:
                    for i in data["inputs"]:
                        i["name"], i["version"] = self._expand_input(
                            i["name"], i["version"], revision.id, set_of_row
                        )
                    if data["error"] is not None:
                        data["error"]["message"] = self._expand(
                            data["error"]["message"], revision.id, set_of_row
                        )
                if data["inputs_from"] is not None:
                    natives, expression = self._natives_of(
                        row["id"], set_of_row, revision.id, row["attr"], row["inputs_from"],
                        row["factored"],
                    )  # fmt: skip
                    data["natives_nix"] = expression
                shown.append(data)
        finally:
            self.conn.row_factory = None
        if not shown:
            raise NotFound(f"no attribute {attr!r} in revision {revision.rev}")
        return shown


_FLAG_COLUMNS = ("version_valid", "version_mismatch", "python_module", "application", "broken",
                 "unfree", "insecure", "available")  # fmt: skip


def _version_key(text: str | None) -> tuple[int, ...]:
    try:
        return tuple(int(p) for p in (text or "").split("."))
    except ValueError:
        return ()


def marker_environment(package_set: PackageSet) -> dict[str, str]:
    """PEP 508 marker values of the set's interpreter on Linux (nixpkgs'
    interpreters are CPython or PyPy; the platform is the index's)."""
    version = package_set.python_version or ""
    implementation = package_set.implementation or "cpython"
    return {
        "python_version": version,
        "python_full_version": package_set.interpreter_version or version,
        "implementation_name": implementation,
        "implementation_version": package_set.interpreter_version or version,
        "platform_python_implementation": {"cpython": "CPython", "pypy": "PyPy"}.get(
            implementation, implementation
        ),
        "os_name": "posix",
        "sys_platform": "linux",
        "platform_system": "Linux",
        "platform_machine": "x86_64",
        "platform_release": "",
        "platform_version": "",
        "extra": "",
    }


def _matching_versions(packages: list[NamedPackage], specifier: SpecifierSet) -> list[NamedPackage]:
    """The packages whose version the specifier admits (packaging's rules: a
    pre-release only when the specifier names one or nothing else matches);
    a version that is not PEP 440 matches only an empty specifier."""
    if not str(specifier):
        return packages
    by_version: dict[str, list[NamedPackage]] = {}
    for row in packages:
        if row.version_valid and row.version is not None:
            by_version.setdefault(row.version, []).append(row)
    admitted = set(specifier.filter(by_version))
    return [row for version, group in by_version.items() if version in admitted for row in group]


def _rank(c: Candidate) -> tuple[Any, ...]:
    return candidate_rank(c.attr, c.attribute_kind, c.version, broken=c.broken, disabled=c.disabled)
