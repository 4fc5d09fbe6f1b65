#!/usr/bin/env python3
"""Generate a synthetic nixpkgs tree with many Python packages.

The tree has the shape of the fixture in data/nixpkgs (same lib, stdenv,
fetchers, interpreters, Python hooks, rustPlatform and native packages,
copied from there) but its Python package set is generated: N packages with
realistic variety (sdists and wheels from PyPI with PyPI names that differ
from the attribute in case or separators, files.pythonhosted.org hash paths,
GitHub sources, native inputs, acyclic dependencies, build systems, optional
dependencies, check inputs, several versions side by side, variants) and
about 1% each of disabled, broken, renamed (alias) and removed (throw)
attributes. The shapes are today's (late 2026): about a third of the
packages are written `buildPythonPackage (finalAttrs: { ... })`, fetchPypi
sources carry only a purl, some packages are built with maturin
(rustPlatform.cargoSetupHook, rustPlatform.maturinBuildHook), document
themselves with sphinxHook, relax dependencies (pythonRelaxDeps) or declare
a meta.problems removal, and a few applications live in pkgs/by-name (built
with python3Packages, made modules of the set with toPythonModule). The
hooks (pytestCheckHook, pypaBuildHook, sphinxHook, ...) come from the copied
fixture and need build, installer, pyproject-hooks, wheel, pytest and
sphinx, which every generated set has.

    python bench/gen_synthetic.py OUT_DIR --packages 10000 [--uncatchable K] [--seed 0]

With --uncatchable K, K more attributes are spread through the set whose
evaluation dies with an error tryEval cannot catch (abort, infinite
recursion, missing attribute, in turn). With K = 0 (the default)

    nix-env -qaP --json --meta -f OUT_DIR -A python313Packages

evaluates the whole set. The same seed always gives the same tree.
OUT_DIR/synthetic.json describes every generated attribute and the outcome
to expect from it.
"""

from __future__ import annotations

import argparse
import base64
import json
import random
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

FIXTURE = Path(__file__).resolve().parent.parent / "data" / "nixpkgs"
MANIFEST = "synthetic.json"
PYTHON_VERSIONS = ("3.12", "3.13")

# Paths of the fixture that the generated tree replaces. The Python
# applications of pkgs/by-name (package.nix files that use python3Packages)
# go too: they need packages of the fixture's set; generated ones take their
# place.
REPLACED = frozenset(
    {
        "pkgs/development/python-modules",
        "pkgs/top-level/python-packages.nix",
        "pkgs/top-level/python-aliases.nix",
        "README.md",
    }
)
BY_NAME = "pkgs/by-name"

NIX_KEYWORDS = frozenset(
    {"if", "then", "else", "assert", "with", "let", "in", "rec", "inherit", "or"}
)
# Names a generated attribute must not take: Nix keywords and global
# builtins (unreachable through `with self;`), the non-package attributes of
# a Python set, and top-level names that generated packages receive through
# callPackage (a Python attribute of the same name would shadow them).
_RESERVED_WORDS = """
abort baseNameOf builtins derivation dirOf false import isNull map null placeholder
removeAttrs scopedImport throw toString true lib pkgs stdenv python pythonPackages
callPackage newScope overrideScope packages buildPythonPackage
buildPythonApplication toPythonModule toPythonApplication
makeOverridablePythonPackage makePythonHook wrapPython hasPythonModule
requiredPythonModules makePythonPath disabled disabledIf isPy3k isPy311 isPy312
isPy313 isPy314 pythonOlder pythonAtLeast
sitePackages fetchPypi fetchurl fetchzip fetchFromGitHub recurseForDerivations
pytestCheckHook pypaBuildHook pypaInstallHook wheelUnpackHook pythonImportsCheckHook
pythonRelaxDepsHook sphinxHook
makeSetupHook stdenvNoCC config system openssl pkg-config libffi
zlib libyaml gfortran openblas blas lapack openmpi mpi hdf5 hdf5-mpi zeromq swig
rustc cargo cmake opencv caffe opencv4 pythonPackagesExtensions pythonInterpreters
python3 python312 python313 python3Packages python312Packages python313Packages
python311 python311Packages rustPlatform maturin unzip diffutils makeWrapper
installShellFiles writableTmpDirAsHomeHook legit _internalCallByNamePackageFile
"""
RESERVED = NIX_KEYWORDS | frozenset(_RESERVED_WORDS.split())

# The setup hooks every Python set has (from the fixture's hooks/default.nix),
# attribute -> derivation name; sphinxHook's name depends on the interpreter.
HOOKS = {
    "pypaBuildHook": "pypa-build-hook.sh",
    "pypaInstallHook": "pypa-install-hook",
    "wheelUnpackHook": "wheel-unpack-hook.sh",
    "pythonImportsCheckHook": "python-imports-check-hook.sh",
    "pythonRelaxDepsHook": "python-relax-deps-hook",
    "pytestCheckHook": "pytest-check-hook",
    "wrapPython": "wrap-python-hook",
    "sphinxHook": "python{version}-sphinx-hook",
}

# Top-level natives a generated package may take, by role.
LINKED_NATIVES = ("openssl", "libffi", "zlib", "libyaml", "blas", "lapack", "hdf5", "zeromq")
TOOL_NATIVES = ("pkg-config", "gfortran", "swig", "rustc", "cargo", "cmake")

LICENSES = (
    ("mit", 35),
    ("asl20", 20),
    ("bsd3", 20),
    ("bsd2", 5),
    ("mpl20", 5),
    ("gpl3Plus", 5),
    ("lgpl21Plus", 3),
    ("isc", 3),
    ("psfl", 2),
    ("zpl21", 1),
)
EXTRA_NAMES = ("socks", "test", "all", "dev", "async", "cli", "docs", "speedups", "yaml", "crypto")
WORD_PREFIXES = (
    "py",
    "django-",
    "pytest-",
    "types-",
    "azure-mgmt-",
    "flake8-",
    "sphinx-",
    "mkdocs-",
    "jupyter-",
    "aio",
    "python-",
    "google-cloud-",
    "oslo-",
    "zope-",
)
SYLLABLES = (
    "ba",
    "be",
    "bi",
    "bo",
    "ca",
    "ce",
    "co",
    "da",
    "de",
    "di",
    "do",
    "fa",
    "fe",
    "fi",
    "ga",
    "go",
    "ka",
    "ke",
    "ki",
    "ko",
    "la",
    "le",
    "li",
    "lo",
    "ma",
    "me",
    "mi",
    "mo",
    "na",
    "ne",
    "ni",
    "no",
    "pa",
    "pe",
    "pi",
    "po",
    "ra",
    "re",
    "ri",
    "ro",
    "sa",
    "se",
    "si",
    "so",
    "ta",
    "te",
    "ti",
    "to",
    "va",
    "ve",
    "vi",
    "vo",
    "xa",
    "ze",
    "zo",
    "zu",
)
SUFFIXES = (
    "",
    "",
    "",
    "",
    "lib",
    "tools",
    "io",
    "kit",
    "core",
    "py",
    "x",
    "ly",
    "net",
    "db",
    "api",
    "cli",
    "utils",
)
OWNERS = ("acme", "pyorg", "datakit", "openlab", "netwise", "hexcore", "tinyco", "cloudops")
WHEEL_TAGS = (
    ("py3", "py3", "none", "any"),
    ("py2.py3", "py2.py3", "none", "any"),
    ("cp313", "cp313", "cp313", "manylinux_2_17_x86_64.manylinux2014_x86_64"),
    ("cp312", "cp312", "cp312", "manylinux2014_x86_64"),
)


@dataclass
class Source:
    """How a package's src is written, and what a dump should find in it."""

    kind: str
    nix: str
    urls: list[str]
    pypi_name: str | None = None


@dataclass
class Package:
    attr: str
    pname: str
    version: str
    file: str  # path under pkgs/development/python-modules
    src: Source
    builder: str = "buildPythonPackage"
    style: str = "pyproject"  # pyproject | legacy | wheel
    build_system: list[str] = field(default_factory=list)
    deps: list[str] = field(default_factory=list)
    optional: dict[str, list[str]] = field(default_factory=dict)
    check: list[str] = field(default_factory=list)
    tools: list[str] = field(default_factory=list)
    linked: list[str] = field(default_factory=list)
    license: str = "mit"
    disabled_on: str | None = None  # the Python version it does not support
    broken: bool = False
    unfree: bool = False
    insecure: bool = False
    own_purl: bool = False
    uncatchable: str | None = None
    description: str = ""
    final_attrs: bool = False  # buildPythonPackage (finalAttrs: { ... })
    maturin: bool = False  # rustPlatform.cargoSetupHook + maturinBuildHook, cargoDeps
    sphinx: bool = False  # nativeBuildInputs = [ sphinxHook ], a "doc" output
    relax_deps: list[str] = field(default_factory=list)  # pythonRelaxDeps
    problem: str | None = None  # meta.problems.removal message

    @property
    def dependable(self) -> bool:
        """Whether other packages may depend on this one."""
        return (
            self.disabled_on is None
            and not (self.broken or self.unfree or self.insecure)
            and self.uncatchable is None
            and self.builder == "buildPythonPackage"
        )


@dataclass
class Entry:
    """One attribute of the generated python-packages.nix."""

    attr: str
    nix: str  # right-hand side
    comment: str
    record: dict[str, object]


class Generator:
    def __init__(self, packages: int, uncatchable: int, seed: int) -> None:
        self.rng = random.Random(seed)
        self.n = packages
        self.k = uncatchable
        self.seed = seed
        self.taken: set[str] = set(RESERVED)
        self.entries: list[Entry] = []
        self.files: dict[str, str] = {}
        self.aliases: list[tuple[str, str, str]] = []  # name, target, date
        self.removed: list[tuple[str, str, str]] = []  # name, message, date
        self.dependable: list[str] = []
        self.counts: dict[str, int] = {}
        # Files outside python-modules (pkgs/by-name), relative to the tree.
        self.tree_files: dict[str, str] = {}

    # ---- small helpers -------------------------------------------------------

    def count(self, key: str) -> None:
        self.counts[key] = self.counts.get(key, 0) + 1

    def hash(self) -> str:
        return "sha256-" + base64.b64encode(self.rng.randbytes(32)).decode()

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def date(self) -> str:
        return (
            f"{self.rng.randint(2021, 2025)}-{self.rng.randint(1, 12):02d}-"
            f"{self.rng.randint(1, 28):02d}"
        )

    def word(self) -> str:
        syl = "".join(self.rng.choice(SYLLABLES) for _ in range(self.rng.randint(2, 3)))
        return syl + self.rng.choice(SUFFIXES)

    def fresh_name(self) -> str:
        while True:
            r = self.rng.random()
            if r < 0.45:
                name = self.word()
            elif r < 0.8:
                name = f"{self.word()}-{self.word()}"
            else:
                prefix = self.rng.choice(WORD_PREFIXES)
                name = prefix + self.word()
            if name not in self.taken and name[0].isalpha():
                self.taken.add(name)
                return name

    def version(self) -> str:
        r = self.rng.random()
        n = self.rng.randint
        if r < 0.6:
            v = f"{n(0, 5)}.{n(0, 30)}.{n(0, 20)}"
        elif r < 0.75:
            v = f"{n(0, 9)}.{n(0, 99)}"
        elif r < 0.85:
            v = f"{n(2019, 2025)}.{n(1, 12)}.{n(0, 30)}"
        elif r < 0.93:
            v = f"{n(1, 4)}.{n(0, 9)}.{n(0, 9)}.post{n(0, 3)}"
        else:
            v = f"{n(1, 4)}.{n(0, 9)}.0rc{n(1, 3)}"
        return v

    def license(self) -> str:
        names = [n for n, _ in LICENSES]
        weights = [w for _, w in LICENSES]
        return self.rng.choices(names, weights)[0]

    def pick(self, pool: list[str], most: int, skew: float = 2.0) -> list[str]:
        """Up to `most` distinct names from pool, earlier ones more likely."""
        if not pool or most <= 0:
            return []
        chosen: list[str] = []
        for _ in range(most):
            name = pool[int(len(pool) * self.rng.random() ** skew)]
            if name not in chosen:
                chosen.append(name)
        return chosen

    # ---- sources --------------------------------------------------------------

    @staticmethod
    def pypi_spelling(pname: str, style: str) -> str:
        parts = pname.replace("_", "-").split("-")
        if style == "underscore":
            return "_".join(parts)
        if style == "camel":
            return "".join(p.capitalize() for p in parts)
        if style == "title":
            return "-".join(p.capitalize() for p in parts)
        if style == "dotted" and len(parts) > 1:
            return ".".join(parts)
        if style == "upper-initial":
            return pname[:1].upper() + pname[1:]
        return pname

    def make_source(self, pname: str, version: str) -> tuple[Source, str]:
        """A source and the package style it implies (wheel or not)."""
        r = self.rng.random()
        style = self.rng.choices(
            ["same", "underscore", "camel", "title", "dotted", "upper-initial"],
            [60, 15, 8, 5, 4, 8],
        )[0]
        pypi = self.pypi_spelling(pname, style)
        initial = pypi[0]
        if r < 0.58:
            ext = "zip" if self.chance(0.04) else "tar.gz"
            lines = (
                ["    inherit pname version;"]
                if pypi == pname
                else [
                    f'    pname = "{pypi}";',
                    "    inherit version;",
                ]
            )
            if ext != "tar.gz":
                lines.append(f'    extension = "{ext}";')
            lines.append(f'    hash = "{self.hash()}";')
            url = f"mirror://pypi/{initial}/{pypi}/{pypi}-{version}.{ext}"
            nix = "fetchPypi {\n" + "\n".join(lines) + "\n  }"
            return Source("fetchPypi-sdist", nix, [url], pypi), "pyproject"
        if r < 0.66:
            dist, py, abi, plat = self.rng.choice(WHEEL_TAGS)
            wheel_name = pypi.replace("-", "_")
            lines = [
                f'    pname = "{wheel_name}";' if wheel_name != pname else "    inherit pname;",
                "    inherit version format;",
                f'    dist = "{dist}";',
                f'    python = "{py}";',
            ]
            if abi != "none":
                lines.append(f'    abi = "{abi}";')
            if plat != "any":
                lines.append(f'    platform = "{plat}";')
            lines.append(f'    hash = "{self.hash()}";')
            url = (
                f"https://files.pythonhosted.org/packages/{dist}/{wheel_name[0]}/{wheel_name}/"
                f"{wheel_name}-{version}-{py}-{abi}-{plat}.whl"
            )
            nix = "fetchPypi {\n" + "\n".join(lines) + "\n  }"
            return Source("fetchPypi-wheel", nix, [url], wheel_name), "wheel"
        if r < 0.74:
            h = "".join(self.rng.choice("0123456789abcdef") for _ in range(60))
            url = f"https://files.pythonhosted.org/packages/{h[:2]}/{h[2:4]}/{h[4:]}/{pypi}-{version}.tar.gz"
            nix = f'fetchurl {{\n    url = "{url}";\n    hash = "{self.hash()}";\n  }}'
            return Source("fetchurl-hash-path", nix, [url]), "pyproject"
        if r < 0.76:
            # Now and then the URL carries another version than the package.
            url_version = version
            if self.chance(0.2):
                url_version = version + ".1"
                self.count("src:version-mismatch")
            url = f"mirror://pypi/{initial}/{pypi}/{pypi}-{url_version}.tar.gz"
            nix = f'fetchurl {{\n    url = "{url}";\n    hash = "{self.hash()}";\n  }}'
            return Source("fetchurl-mirror", nix, [url]), "pyproject"
        if r < 0.78:
            owner = self.rng.choice(OWNERS)
            url = (
                f"https://gitlab.com/{owner}/{pname}/-/archive/v{version}/{pname}-v{version}.tar.gz"
            )
            nix = f'fetchurl {{\n    url = "{url}";\n    hash = "{self.hash()}";\n  }}'
            return Source("fetchurl-other", nix, [url]), "pyproject"
        owner = self.rng.choice(OWNERS) if self.chance(0.6) else pname.split("-")[0]
        repo = pname if self.chance(0.7) else f"{pname}-python"
        if self.chance(0.5):
            ref_line, ref = '    tag = "v${version}";', f"refs/tags/v{version}"
        else:
            ref_line, ref = '    rev = "v${version}";', f"v{version}"
        nix = (
            "fetchFromGitHub {\n"
            f'    owner = "{owner}";\n'
            f'    repo = "{repo}";\n'
            f"{ref_line}\n"
            f'    hash = "{self.hash()}";\n'
            "  }"
        )
        url = f"https://github.com/{owner}/{repo}/archive/{ref}.tar.gz"
        return Source("fetchFromGitHub", nix, [url]), "pyproject"

    # ---- packages ---------------------------------------------------------------

    def sdist_source(self, pname: str, version: str) -> tuple[Source, str]:
        nix = f'fetchPypi {{\n    inherit pname version;\n    hash = "{self.hash()}";\n  }}'
        url = f"mirror://pypi/{pname[0]}/{pname}/{pname}-{version}.tar.gz"
        return Source("fetchPypi-sdist", nix, [url], pname), "pyproject"

    def new_package(self, attr: str, *, plain: bool = False, file: str | None = None) -> Package:
        """A package with a random version and source; `plain` keeps the
        attribute as given and the modern pyproject style."""
        pname = attr
        if not plain and self.chance(0.02) and not attr.startswith("python-"):
            # The attribute carries a prefix the project name does not.
            attr_alt = f"python-{attr}"
            if attr_alt not in self.taken:
                self.taken.discard(attr)
                self.taken.add(attr_alt)
                attr = attr_alt
        version = self.version()
        src, style = self.make_source(pname, version)
        if src.kind == "fetchFromGitHub" and self.chance(0.1):
            version = f"unstable-{self.date()}"
            src, style = self.make_source_github_unstable(pname, version)
        pkg = Package(
            attr=attr,
            pname=pname,
            version=version,
            file=file or f"{attr}/default.nix",
            src=src,
            style=style,
            license=self.license(),
            description=f"Synthetic package {pname}",
        )
        if style != "wheel" and not plain and self.chance(0.1):
            pkg.style = "legacy"
        # Close to a third of today's files use the finalAttrs form.
        pkg.final_attrs = self.chance(0.35)
        return pkg

    def make_source_github_unstable(self, pname: str, version: str) -> tuple[Source, str]:
        owner = self.rng.choice(OWNERS)
        rev = "".join(self.rng.choice("0123456789abcdef") for _ in range(40))
        nix = (
            "fetchFromGitHub {\n"
            f'    owner = "{owner}";\n'
            f'    repo = "{pname}";\n'
            f'    rev = "{rev}";\n'
            f'    hash = "{self.hash()}";\n'
            "  }"
        )
        return Source(
            "fetchFromGitHub", nix, [f"https://github.com/{owner}/{pname}/archive/{rev}.tar.gz"]
        ), "pyproject"

    def fill_inputs(self, pkg: Package, core_build: list[str]) -> None:
        if pkg.style == "pyproject":
            pkg.build_system = self.pick(core_build, self.rng.choice((1, 1, 1, 2)), skew=1.5)
        elif pkg.style == "legacy":
            pkg.build_system = []
        pool = self.dependable
        pkg.deps = self.pick(pool, self.rng.choice((0, 0, 1, 1, 2, 2, 3, 4, 6)))
        if self.chance(0.15) and pool:
            extras = self.rng.sample(EXTRA_NAMES, self.rng.randint(1, 2))
            pkg.optional = {e: self.pick(pool, self.rng.randint(1, 3)) for e in sorted(extras)}
        if self.chance(0.6):
            pkg.check = ["pytestCheckHook"]
            if self.chance(0.3):
                pkg.check.append("pytest-mock")
            pkg.check += [d for d in self.pick(pool, self.rng.randint(0, 2)) if d not in pkg.check]
        if self.chance(0.1):
            pkg.linked = sorted(self.rng.sample(LINKED_NATIVES, self.rng.randint(1, 2)))
            if self.chance(0.6):
                pkg.tools = sorted(self.rng.sample(TOOL_NATIVES, self.rng.randint(1, 2)))

    def render(self, pkg: Package, entry_note: str = "") -> str:
        args = ["lib", pkg.builder, pkg.src.nix.split(" ", 1)[0]]
        if pkg.uncatchable == "missing-attribute":
            args.insert(1, "pkgs")
        if pkg.maturin:
            args.append("rustPlatform")
        if pkg.sphinx:
            args.append("sphinxHook")
        if pkg.disabled_on is not None:
            args.append("pythonAtLeast" if pkg.disabled_on == "3.13" else "pythonOlder")
        for group in (pkg.build_system, pkg.tools, pkg.linked, pkg.deps, pkg.check):
            args += group
        for members in pkg.optional.values():
            args += members
        seen: list[str] = []
        for a in args:
            if a not in seen:
                seen.append(a)
        out = ["# Generated by bench/gen_synthetic.py." + (f" {entry_note}" if entry_note else "")]
        out.append("{")
        out += [f"  {a}," for a in seen]
        out.append("}:")
        out.append("")
        final_attrs = pkg.final_attrs and pkg.uncatchable is None
        uses_rec = not final_attrs and (
            "${version}" in pkg.src.nix
            or "inherit pname" in pkg.src.nix
            or ("inherit version" in pkg.src.nix)
            or pkg.maturin
        )
        if final_attrs:
            out.append(f"{pkg.builder} (finalAttrs: {{")
        else:
            out.append(f"{pkg.builder} {'rec ' if uses_rec else ''}{{")
        out.append(f'  pname = "{pkg.pname}";')
        if pkg.uncatchable == "abort":
            out.append(
                f'  version = abort "{pkg.attr}: this synthetic package aborts the evaluation";'
            )
        elif pkg.uncatchable == "infinite-recursion":
            out.append("  version =\n    let\n      v = v;\n    in\n    v;")
        elif pkg.uncatchable == "missing-attribute":
            out.append("  version = pkgs.zlib.nonexistent-version;")
        else:
            out.append(f'  version = "{pkg.version}";')
        if pkg.style == "wheel":
            out.append('  format = "wheel";')
        elif pkg.style == "legacy":
            out.append('  format = "setuptools";')
        else:
            out.append("  pyproject = true;")
        if pkg.disabled_on == "3.13":
            out.append("")
            out.append('  disabled = pythonAtLeast "3.13";')
        elif pkg.disabled_on == "3.12":
            out.append("")
            out.append('  disabled = pythonOlder "3.13";')
        out.append("")
        src_nix = pkg.src.nix
        if pkg.uncatchable is not None:
            # The version is poisoned; the source keeps a real one.
            src_nix = src_nix.replace("inherit version;", f'version = "{pkg.version}";')
            src_nix = src_nix.replace(
                "inherit version format;", f'version = "{pkg.version}";\n    inherit format;'
            )
            src_nix = src_nix.replace(
                "inherit pname version;", f'inherit pname;\n    version = "{pkg.version}";'
            )
            src_nix = src_nix.replace("${version}", pkg.version)
        elif final_attrs:
            # The source follows finalAttrs; fetchPypi's format is not an
            # attribute of the package's derivation, so it is spelled out.
            src_nix = (
                src_nix.replace("inherit pname version;", "inherit (finalAttrs) pname version;")
                .replace(
                    "inherit version format;",
                    'inherit (finalAttrs) version;\n    format = "wheel";',
                )
                .replace("inherit version;", "inherit (finalAttrs) version;")
                .replace("inherit pname;", "inherit (finalAttrs) pname;")
                .replace("${version}", "${finalAttrs.version}")
            )
        out.append(f"  src = {src_nix};")
        if pkg.maturin:
            inherit = (
                "inherit (finalAttrs) pname version src;"
                if final_attrs
                else "inherit pname version src;"
            )
            out.append("")
            out.append("  cargoDeps = rustPlatform.fetchCargoVendor {")
            out.append(f"    {inherit}")
            out.append(f'    hash = "{self.hash()}";')
            out.append("  };")
        if pkg.sphinx:
            out.append("")
            out.append('  outputs = [\n    "out"\n    "doc"\n  ];')

        def nix_list(name: str, items: list[str]) -> None:
            if not items:
                return
            out.append("")
            if len(items) == 1:
                out.append(f"  {name} = [ {items[0]} ];")
            else:
                out.append(f"  {name} = [")
                out.extend(f"    {i}" for i in items)
                out.append("  ];")

        nix_list("build-system", pkg.build_system)
        nix_list(
            "nativeBuildInputs",
            pkg.tools
            + (
                ["rustPlatform.cargoSetupHook", "rustPlatform.maturinBuildHook"]
                if pkg.maturin
                else []
            )
            + (["sphinxHook"] if pkg.sphinx else []),
        )
        nix_list("buildInputs", pkg.linked)
        nix_list("pythonRelaxDeps", [f'"{d}"' for d in pkg.relax_deps])
        nix_list("propagatedBuildInputs" if pkg.style == "legacy" else "dependencies", pkg.deps)
        if pkg.optional:
            out.append("")
            out.append("  optional-dependencies = {")
            for extra, members in pkg.optional.items():
                out.append(f"    {extra} = [ {' '.join(members)} ];")
            out.append("  };")
        nix_list("nativeCheckInputs", pkg.check)
        out.append("")
        out.append("  meta = {")
        out.append(f'    description = "{pkg.description}";')
        homepage = (
            pkg.src.urls[0].split("/archive/")[0]
            if pkg.src.kind == "fetchFromGitHub"
            else f"https://{pkg.pname}.readthedocs.io/"
        )
        out.append(f'    homepage = "{homepage}";')
        if pkg.unfree:
            out.append("    license = lib.licenses.unfree;")
        else:
            out.append(f"    license = lib.licenses.{pkg.license};")
        if pkg.broken:
            out.append("    broken = true;")
        if pkg.insecure:
            cve = f"CVE-{self.rng.randint(2019, 2025)}-{self.rng.randint(1000, 49999)}"
            out.append(f'    knownVulnerabilities = [ "{cve}" ];')
        if pkg.own_purl:
            out.append("    identifiers = rec {")
            out.append("      purlParts = {")
            out.append('        type = "pypi";')
            out.append(f'        spec = "{pkg.pname}@{pkg.version}";')
            out.append("      };")
            out.append('      purl = "pkg:${purlParts.type}/${purlParts.spec}";')
            out.append("      purls = [ purl ];")
            out.append("    };")
        if pkg.problem is not None:
            out.append("    problems.removal = {")
            out.append(f'      message = "{pkg.problem}";')
            out.append("    };")
        out.append("  };")
        out.append("})" if final_attrs else "}")
        return "\n".join(out) + "\n"

    def record(self, pkg: Package) -> dict[str, object]:
        outcome: dict[str, str] = {}
        for pv in PYTHON_VERSIONS:
            if pkg.uncatchable is not None:
                outcome[pv] = pkg.uncatchable
            elif pkg.disabled_on == pv:
                outcome[pv] = "disabled"
            elif pkg.broken:
                outcome[pv] = "broken"
            elif pkg.unfree:
                outcome[pv] = "unfree"
            elif pkg.insecure:
                outcome[pv] = "insecure"
            else:
                outcome[pv] = "ok"
        return {
            "kind": "package",
            "file": f"pkgs/development/python-modules/{pkg.file}",
            "pname": pkg.pname,
            "version": pkg.version,
            "builder": pkg.builder,
            "style": pkg.style,
            "src": pkg.src.kind,
            "src_urls": pkg.src.urls,
            "pypi_name": pkg.src.pypi_name,
            "own_purl": pkg.own_purl,
            "final_attrs": pkg.final_attrs and pkg.uncatchable is None,
            "maturin": pkg.maturin,
            "sphinx": pkg.sphinx,
            "relax_deps": pkg.relax_deps,
            "problems": pkg.problem is not None,
            "build_system": pkg.build_system,
            "dependencies": pkg.deps,
            "optional_dependencies": pkg.optional,
            "native_check_inputs": pkg.check,
            "native_build_inputs": pkg.tools,
            "build_inputs": pkg.linked,
            "outcome": outcome,
        }

    def add_package(self, pkg: Package, comment: str, note: str = "") -> None:
        self.files[pkg.file] = self.render(pkg, note)
        path = pkg.file[: -len("/default.nix")] if pkg.file.endswith("/default.nix") else pkg.file
        self.entries.append(
            Entry(
                pkg.attr,
                f"callPackage ../development/python-modules/{path} {{ }}",
                comment,
                self.record(pkg),
            )
        )
        if pkg.dependable:
            self.dependable.append(pkg.attr)
        self.count("package")
        self.count(f"src:{pkg.src.kind}")
        for key, present in (
            ("final-attrs", pkg.final_attrs and pkg.uncatchable is None),
            ("maturin", pkg.maturin),
            ("sphinx", pkg.sphinx),
            ("relax-deps", bool(pkg.relax_deps)),
            ("problems", pkg.problem is not None),
        ):
            if present:
                self.count(key)

    # ---- the whole set ------------------------------------------------------------

    def core(self) -> list[str]:
        """Build backends, test tools and what the hooks run, by their usual names."""
        plan: list[tuple[str, list[str], list[str]]] = [
            ("setuptools", [], []),
            ("flit-core", [], []),
            ("wheel", ["flit-core"], []),
            ("packaging", ["flit-core"], []),
            ("pathspec", ["flit-core"], []),
            ("setuptools-scm", ["setuptools"], ["packaging", "setuptools"]),
            ("pluggy", ["setuptools", "setuptools-scm"], []),
            ("hatchling", [], ["packaging", "pathspec", "pluggy"]),
            ("poetry-core", [], []),
            ("pdm-backend", [], []),
            ("cython", ["setuptools"], []),
            ("iniconfig", ["hatchling"], []),
            ("pytest", ["setuptools", "setuptools-scm"], ["iniconfig", "packaging", "pluggy"]),
            ("pytest-mock", ["setuptools", "setuptools-scm"], ["pytest"]),
            ("six", ["setuptools"], []),
            # What pypaBuildHook, pypaInstallHook and sphinxHook run. The
            # bootstrap ones (build, installer, pyproject-hooks, packaging,
            # wheel, flit-core) are built with flit-core only.
            ("pyproject-hooks", ["flit-core"], []),
            ("build", ["flit-core"], ["packaging", "pyproject-hooks"]),
            ("installer", ["flit-core"], []),
            ("markupsafe", ["setuptools"], []),
            ("jinja2", ["flit-core"], ["markupsafe"]),
            ("docutils", ["flit-core"], []),
            ("sphinx", ["flit-core"], ["docutils", "jinja2", "packaging"]),
        ]
        for name, build, deps in plan:
            self.taken.add(name)
            pkg = self.new_package(name, plain=True)
            if pkg.style == "wheel" or pkg.src.kind == "fetchFromGitHub":
                pkg.version = self.version()
                pkg.src, pkg.style = self.sdist_source(name, pkg.version)
            pkg.build_system = build
            pkg.deps = deps
            self.add_package(pkg, "core build system / test tool / hook input")
        return [
            "setuptools",
            "flit-core",
            "hatchling",
            "poetry-core",
            "pdm-backend",
            "setuptools-scm",
            "cython",
            "wheel",
        ]

    def add_by_name_app(self, name: str, core_build: list[str]) -> None:
        """An application in pkgs/by-name built with python3Packages, and the
        set's `NAME = toPythonModule (pkgs.NAME.override { python3Packages = self; })`."""
        version = self.version()
        file = f"{BY_NAME}/{name[:2].lower()}/{name}/package.nix"
        build = self.pick(core_build, 1, skew=1.5)
        deps = self.pick(self.dependable, self.rng.randint(1, 3))
        url = f"mirror://pypi/{name[0]}/{name}/{name}-{version}.tar.gz"

        def listing(items: list[str]) -> str:
            return "[\n" + "".join(f"    {i}\n" for i in items) + "  ]"

        self.tree_files[file] = (
            "# Generated by bench/gen_synthetic.py: a Python application in pkgs/by-name.\n"
            "{\n  lib,\n  fetchPypi,\n  python3Packages,\n}:\n\n"
            "python3Packages.buildPythonApplication (finalAttrs: {\n"
            f'  pname = "{name}";\n'
            f'  version = "{version}";\n'
            "  pyproject = true;\n\n"
            "  src = fetchPypi {\n"
            "    inherit (finalAttrs) pname version;\n"
            f'    hash = "{self.hash()}";\n'
            "  };\n\n"
            f"  build-system = with python3Packages; {listing(build)};\n\n"
            f"  dependencies = with python3Packages; {listing(deps)};\n\n"
            "  meta = {\n"
            f'    description = "Synthetic application {name}";\n'
            f'    homepage = "https://{name}.readthedocs.io/";\n'
            f"    license = lib.licenses.{self.license()};\n"
            f'    mainProgram = "{name}";\n'
            "  };\n"
            "})\n"
        )
        self.entries.append(
            Entry(
                name,
                f"toPythonModule (pkgs.{name}.override {{ python3Packages = self; }})",
                "application from pkgs/by-name, made a module of this set",
                {
                    "kind": "by-name",
                    "file": file,
                    "pname": name,
                    "version": version,
                    "src": "fetchPypi-sdist",
                    "src_urls": [url],
                    "pypi_name": name,
                    "build_system": build,
                    "dependencies": deps,
                    "outcome": dict.fromkeys(PYTHON_VERSIONS, "ok"),
                },
            )
        )
        self.count("by-name")

    def generate(self) -> None:
        core_build = self.core()
        # Every remaining name first, so that the uncatchable ones can be
        # spread evenly through the alphabetical order.
        names = [self.fresh_name() for _ in range(max(0, self.n - len(self.entries)) + self.k)]
        poisoned: dict[str, str] = {}
        if self.k:
            by_name = sorted(names)
            kinds = ("abort", "infinite-recursion", "missing-attribute")
            for i in range(self.k):
                at = min(len(by_name) - 1, int((i + 0.5) * len(by_name) / self.k))
                poisoned[by_name[at]] = kinds[i % len(kinds)]
        regular = [n for n in names if n not in poisoned]
        apps = max(1, self.n // 500)
        i = 0
        while len(self.entries) < self.n and i < len(regular):
            name = regular[i]
            i += 1
            left = self.n - len(self.entries)
            r = self.rng.random()
            if apps and i % 97 == 0 and self.dependable:
                apps -= 1
                self.add_by_name_app(name, core_build)
            elif r < 0.005 and left >= 3:
                self.add_versions(name, core_build)
            elif r < 0.0065:
                self.entries.append(
                    Entry(
                        name,
                        "null",
                        "a null attribute",
                        {"kind": "null", "outcome": dict.fromkeys(PYTHON_VERSIONS, "null")},
                    )
                )
                self.count("null")
            else:
                pkg = self.new_package(name)
                self.fill_inputs(pkg, core_build)
                comment = self.decorate(pkg)
                self.add_package(pkg, comment)
                if "hdf5" in pkg.linked and self.chance(0.5) and len(self.entries) < self.n:
                    self.add_variant(pkg)
        for name in sorted(poisoned):
            pkg = self.new_package(name, plain=True)
            pkg.uncatchable = poisoned[name]
            pkg.build_system = ["setuptools"] if pkg.style == "pyproject" else []
            self.add_package(
                pkg, f"uncatchable: {pkg.uncatchable}", f"Its evaluation dies ({pkg.uncatchable})."
            )
            self.count(f"uncatchable:{pkg.uncatchable}")
        self.make_aliases()

    def decorate(self, pkg: Package) -> str:
        comment = self.outcome_of(pkg)
        # Today's shapes, independent of the outcome.
        if pkg.style == "pyproject" and self.chance(0.02):
            pkg.maturin = True
            comment += "; Rust extension built with maturin"
        if self.chance(0.02):
            pkg.sphinx = True
            comment += "; documentation with sphinxHook"
        if pkg.deps and self.chance(0.05):
            pkg.relax_deps = [self.rng.choice(pkg.deps)]
            comment += "; pythonRelaxDeps"
        if pkg.disabled_on is None and self.chance(0.01):
            pkg.problem = f"{pkg.pname} is unmaintained upstream and will be removed after 26.11"
            comment += "; meta.problems.removal"
        return comment

    def outcome_of(self, pkg: Package) -> str:
        r = self.rng.random()
        if r < 0.01:
            pkg.disabled_on = self.rng.choice(PYTHON_VERSIONS)
            self.count("disabled")
            return f"disabled on Python {pkg.disabled_on}"
        if r < 0.02:
            pkg.broken = True
            self.count("broken")
            return "marked broken"
        if r < 0.025:
            pkg.unfree = True
            self.count("unfree")
            return "unfree license"
        if r < 0.028:
            pkg.insecure = True
            self.count("insecure")
            return "known vulnerabilities"
        if r < 0.048:
            pkg.builder = "buildPythonApplication"
            self.count("application")
            return "application"
        if pkg.src.kind in ("fetchFromGitHub", "fetchurl-other") and self.chance(0.1):
            pkg.own_purl = True
            self.count("own-purl")
            return "non-PyPI source with its own purl"
        return pkg.src.kind

    def add_versions(self, base: str, core_build: list[str]) -> None:
        """base_1, base_2 side by side, and base pointing at the newest."""
        majors = sorted(self.rng.sample(range(1, 9), 2))
        for major in majors:
            attr = f"{base}_{major}"
            self.taken.add(attr)
            pkg = self.new_package(attr, plain=True, file=f"{base}/{major}.nix")
            pkg.pname = base
            pkg.version = f"{major}.{self.rng.randint(0, 20)}.{self.rng.randint(0, 9)}"
            pkg.src, pkg.style = self.sdist_source(base, pkg.version)
            self.fill_inputs(pkg, core_build)
            self.add_package(pkg, f"several versions side by side: {base} {major}")
        newest = f"{base}_{majors[-1]}"
        self.entries.append(
            Entry(
                base,
                newest,
                "the default version",
                {
                    "kind": "default-version",
                    "target": newest,
                    "outcome": dict.fromkeys(PYTHON_VERSIONS, "ok"),
                },
            )
        )
        self.count("versioned")

    def add_variant(self, pkg: Package) -> None:
        attr = f"{pkg.attr}-mpi"
        if attr in self.taken:
            return
        self.taken.add(attr)
        self.entries.append(
            Entry(
                attr,
                f"{pkg.attr}.override {{ hdf5 = pkgs.hdf5-mpi; }}",
                f"variant of {pkg.attr} built against hdf5-mpi",
                {"kind": "variant", "of": pkg.attr, "outcome": self.record(pkg)["outcome"]},
            )
        )
        self.count("variant")

    def make_aliases(self) -> None:
        targets = [
            e.attr
            for e in self.entries
            if e.record.get("kind") == "package" and e.attr in self.dependable
        ]
        want = max(1, self.n // 100) if self.n >= 50 else 0
        for target in self.pick(targets, want * 3, skew=1.0)[:want]:
            parts = target.split("-")
            for candidate in (
                "".join(p.capitalize() for p in parts),
                "_".join(parts),
                f"py{target.replace('-', '')}",
                f"{target}-legacy",
            ):
                if candidate not in self.taken and candidate[0].isalpha():
                    self.taken.add(candidate)
                    self.aliases.append((candidate, target, self.date()))
                    break
        for _ in range(want):
            name = self.fresh_name()
            reason = self.rng.choice(
                (
                    "it has been unmaintained upstream for years",
                    "it was merged into another package",
                    "it does not support any Python version in nixpkgs",
                    "nothing uses it anymore",
                )
            )
            self.removed.append((name, f"'{name}' has been removed: {reason}", self.date()))
        self.counts["alias"] = len(self.aliases)
        self.counts["removed"] = len(self.removed)

    # ---- output ----------------------------------------------------------------------

    def packages_nix(self) -> str:
        out = [
            "# Generated by bench/gen_synthetic.py: the Python packages of a synthetic tree.",
            f"# seed {self.seed}, {self.n} packages, {self.k} uncatchable.",
            "self: super:",
            "with self;",
            "{",
        ]
        for e in self.entries:
            out.append(f"  # {e.comment}")
            out.append(f"  {e.attr} = {e.nix};")
            out.append("")
        out[-1] = "}"
        return "\n".join(out) + "\n"

    def aliases_nix(self) -> str:
        out = [
            "# Generated by bench/gen_synthetic.py: aliases and removals, applied only",
            "# when config.allowAliases is true.",
            "lib: self: super:",
            "with self;",
            "let",
            "  checked = lib.mapAttrs (",
            "    name: value:",
            "    if super ? ${name}",
            '    then throw "python-aliases.nix: ‘${name}’ is also a package"',
            "    else value",
            "  );",
            "in",
            "checked {",
        ]
        for name, target, date in self.aliases:
            out.append(f"  {name} = {target}; # added {date}")
        for name, message, date in self.removed:
            out.append(f'  {name} = throw "{message}"; # added {date}')
        out.append("}")
        return "\n".join(out) + "\n"

    def manifest(self) -> dict[str, object]:
        attrs: dict[str, object] = {e.attr: e.record for e in self.entries}
        for name, target, _ in self.aliases:
            attrs[name] = {
                "kind": "alias",
                "target": target,
                "outcome": dict.fromkeys(PYTHON_VERSIONS, "alias"),
            }
        for name, message, _ in self.removed:
            attrs[name] = {
                "kind": "removed",
                "message": message,
                "outcome": dict.fromkeys(PYTHON_VERSIONS, "throw"),
            }
        for attr, drv_name in HOOKS.items():
            attrs[attr] = {
                "kind": "hook",
                "name": {pv: drv_name.format(version=pv) for pv in PYTHON_VERSIONS},
                "outcome": dict.fromkeys(PYTHON_VERSIONS, "ok"),
            }
        return {
            "generator": "bench/gen_synthetic.py",
            "seed": self.seed,
            "packages": self.n,
            "uncatchable": self.k,
            "counts": dict(sorted(self.counts.items())),
            "attrs": attrs,
        }


def copy_fixture(fixture: Path, out: Path) -> None:
    def ignore(directory: str, names: list[str]) -> set[str]:
        rel = Path(directory).resolve().relative_to(fixture.resolve())
        return {n for n in names if (rel / n).as_posix() in REPLACED}

    shutil.copytree(fixture, out, ignore=ignore, dirs_exist_ok=True)
    by_name = out / BY_NAME
    for package in sorted(by_name.glob("*/*/package.nix")):
        if "python3Packages" in package.read_text():
            shutil.rmtree(package.parent)
            if not any(package.parent.parent.iterdir()):
                package.parent.parent.rmdir()


def write_tree(gen: Generator, out: Path, fixture: Path) -> None:
    copy_fixture(fixture, out)
    modules = out / "pkgs" / "development" / "python-modules"
    for rel, text in gen.files.items():
        path = modules / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    for rel, text in gen.tree_files.items():
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    top = out / "pkgs" / "top-level"
    (top / "python-packages.nix").write_text(gen.packages_nix())
    (top / "python-aliases.nix").write_text(gen.aliases_nix())
    (out / MANIFEST).write_text(json.dumps(gen.manifest(), indent=1, sort_keys=True) + "\n")
    (out / "README.md").write_text(
        "# Synthetic nixpkgs tree\n\n"
        "Generated by `bench/gen_synthetic.py` from the fixture in `data/nixpkgs` "
        f"(seed {gen.seed}, {gen.n} packages, {gen.k} uncatchable).\n"
        f"`{MANIFEST}` lists every generated attribute and its expected outcome.\n"
    )


def prepare_out(out: Path, force: bool) -> None:
    if out.exists() and any(out.iterdir()):
        if not (out / MANIFEST).is_file():
            raise SystemExit(
                f"{out} exists, is not empty and is not a generated tree; refusing to touch it"
            )
        if not force:
            raise SystemExit(f"{out} already holds a generated tree; pass --force to replace it")
        shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Generate a synthetic nixpkgs tree with N Python packages.",
    )
    parser.add_argument("out", type=Path, metavar="OUT_DIR", help="directory to write the tree to")
    parser.add_argument(
        "--packages",
        type=int,
        default=10000,
        help="number of Python package attributes (default 10000)",
    )
    parser.add_argument(
        "--uncatchable",
        type=int,
        default=0,
        metavar="K",
        help="also add K attributes whose evaluation dies uncatchably"
        " (abort, infinite recursion, missing attribute, in turn)",
    )
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument(
        "--fixture", type=Path, default=FIXTURE, help="fixture tree to copy (default data/nixpkgs)"
    )
    parser.add_argument(
        "--force", action="store_true", help="replace OUT_DIR if it holds a generated tree"
    )
    args = parser.parse_args(argv)

    if args.packages < 30:
        parser.error(
            "--packages must be at least 30 (the core build systems and what the hooks run take 22)"
        )
    if args.uncatchable < 0:
        parser.error("--uncatchable must not be negative")
    if not (args.fixture / "default.nix").is_file():
        parser.error(f"no fixture tree at {args.fixture}")

    started = time.monotonic()
    gen = Generator(args.packages, args.uncatchable, args.seed)
    gen.generate()
    prepare_out(args.out, args.force)
    write_tree(gen, args.out, args.fixture)
    c = gen.counts
    print(
        f"{args.out}: {len(gen.entries) - args.uncatchable} packages"
        f" ({c.get('src:fetchPypi-sdist', 0)} sdist, {c.get('src:fetchPypi-wheel', 0)} wheel,"
        f" {c.get('src:fetchurl-hash-path', 0)} hash-path,"
        f" {c.get('src:fetchFromGitHub', 0)} github;"
        f" {c.get('disabled', 0)} disabled, {c.get('broken', 0)} broken,"
        f" {c.get('application', 0)} applications, {c.get('by-name', 0)} in pkgs/by-name;"
        f" {c.get('final-attrs', 0)} finalAttrs, {c.get('maturin', 0)} maturin,"
        f" {c.get('sphinx', 0)} sphinxHook, {c.get('problems', 0)} meta.problems),"
        f" {c.get('alias', 0)} aliases,"
        f" {c.get('removed', 0)} removed, {args.uncatchable} uncatchable,"
        f" {len(gen.files)} files, seed {args.seed}, {time.monotonic() - started:.1f}s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
