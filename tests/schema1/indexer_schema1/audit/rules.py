"""The audit's rules and report formats: the catalogue, apart from the logic.

Kept free of heavy imports so that the command line can list the rules in
its help without loading the audit (indexer/audit.py has the rules' code).
"""

from __future__ import annotations

from dataclasses import dataclass

REPORT_FORMATS = ("table", "json", "csv", "markdown")


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    explanation: str
    needs_pypi_names: bool = False


RULES: dict[str, Rule] = {
    rule.id: rule
    for rule in [
        Rule(
            "non-normalized",
            "Attribute is not the PEP 503 name of its project",
            "The attribute should be the project's normalized PyPI name (versioned and "
            "variant forms aside); rename it and keep the old name as an alias.",
        ),
        Rule(
            "digit-first",
            "PyPI name starts with a digit",
            "A Nix attribute cannot start with a digit unquoted; the workaround "
            "attribute is listed so resolvers and reviewers know it.",
        ),
        Rule(
            "multiple-versions",
            "Several versions of one project",
            "Versioned attributes (django_4) beside the unversioned one; the canonical "
            "attribute is the unversioned one.",
        ),
        Rule(
            "variants",
            "Variants of one project",
            "Builds of one project with a qualifier (h5py-mpi, torchWithCuda), and their base.",
        ),
        Rule(
            "pname-mismatch",
            "pname disagrees with the PyPI name of the source",
            "The pname (or fetchPypi's pname) is not the project name the source URL gives.",
        ),
        Rule(
            "version-mismatch",
            "version disagrees with the source's version",
            "The package's version is not the version its source URL carries "
            "(often a version left stale by an override).",
        ),
        Rule(
            "bad-pypi-url",
            "Source URL PyPI cannot serve",
            "A source URL in PyPI's layout that PyPI answers with 404: the directory is "
            "not the file's project, the initial is not the project's, an sdist outside "
            "source/ or a wheel inside it, or a path of another depth. It builds only "
            "while the fixed-output hash is in a store or cache.",
        ),
        Rule(
            "not-on-pypi",
            "Claimed PyPI name does not exist on PyPI",
            "The name the package claims is not a PyPI project: a wrong name, or a "
            "project not on PyPI that needs an override.",
            needs_pypi_names=True,
        ),
        Rule(
            "shadowing",
            "Attribute name is another PyPI project",
            "The attribute is named like an existing PyPI project that is not this "
            "package's project: a resolver would take it for that project.",
            needs_pypi_names=True,
        ),
        Rule(
            "duplicate-claim",
            "Two unrelated attributes claim one PyPI name and version",
            "Two attributes that are neither aliases nor versioned/variant forms build the "
            "same project at the same version.",
        ),
        Rule(
            "not-a-module",
            "Non-Python derivation or application in the Python set",
            "A derivation that is not a Python module (an application, a C library or a "
            "tool) inside the Python package set.",
        ),
        Rule(
            "non-pep440-version",
            "Version is not PEP 440",
            "Resolvers cannot compare this version with a requirement.",
        ),
        Rule(
            "eval-error",
            "Evaluation error",
            "The attribute does not evaluate (by kind: crash, throw, assert, meta, "
            "disabled, removed).",
        ),
    ]
}
