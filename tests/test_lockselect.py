"""Which locked packages an install takes (mapping/lockselect.py), as each installer reads its lock.

The locks are our own, in the shapes real uv (2024 and today's: workspaces,
git sources, resolution forks, conflicts), poetry (1.1, 2.0, 2.1), PDM and
uv (pylock.toml) and pip-compile write.
"""

from __future__ import annotations

import pytest

from mapping.locks import LockError, parse_lock
from mapping.lockselect import Selection, SelectionError, choose, excluded_python, select


def environment(python: str) -> dict[str, str]:
    """A CPython on Linux, as the index's interpreters are."""
    full = python if python.count(".") == 2 else f"{python}.1"
    return {
        "python_version": ".".join(full.split(".")[:2]),
        "python_full_version": full,
        "implementation_name": "cpython",
        "implementation_version": full,
        "platform_python_implementation": "CPython",
        "os_name": "posix",
        "sys_platform": "linux",
        "platform_system": "Linux",
        "platform_machine": "x86_64",
        "platform_release": "",
        "platform_version": "",
    }


def taken(file: str, text: str, python: str = "3.12", **selection: object) -> list[str]:
    lock = parse_lock(file, text)
    chosen = choose(lock, Selection(**selection))  # type: ignore[arg-type]
    flags = select(lock, environment(python), chosen)
    # Sorted: what is taken, not in which order.
    return sorted(
        f"{p.name}=={p.version}" for p, flag in zip(lock.packages, flags, strict=True) if flag
    )


# uv.lock of today: a project, a dev group and a lint group, an extra, markers on edges.
UV = """\
version = 1
revision = 3
requires-python = ">=3.9"
resolution-markers = [
    "python_full_version >= '3.12'",
    "python_full_version < '3.12'",
]

[[package]]
name = "app"
version = "0.1.0"
source = { editable = "." }
dependencies = [
    { name = "anyio" },
    { name = "numpy", version = "1.26.4", source = { registry = "https://example.invalid/simple" }, marker = "python_full_version < '3.12'" },
    { name = "numpy", version = "2.1.3", source = { registry = "https://example.invalid/simple" }, marker = "python_full_version >= '3.12'" },
    { name = "pywin32", marker = "sys_platform == 'win32'" },
    { name = "requests", extra = ["socks"] },
]

[package.optional-dependencies]
postgres = [
    { name = "psycopg" },
]

[package.dev-dependencies]
dev = [
    { name = "pytest" },
]
lint = [
    { name = "ruff" },
]

[[package]]
name = "anyio"
version = "4.7.0"
source = { registry = "https://example.invalid/simple" }
dependencies = [
    { name = "exceptiongroup", marker = "python_full_version < '3.11'" },
    { name = "idna" },
]

[[package]]
name = "exceptiongroup"
version = "1.2.2"
source = { registry = "https://example.invalid/simple" }

[[package]]
name = "idna"
version = "3.10"
source = { registry = "https://example.invalid/simple" }

[[package]]
name = "numpy"
version = "1.26.4"
source = { registry = "https://example.invalid/simple" }
resolution-markers = ["python_full_version < '3.12'"]

[[package]]
name = "numpy"
version = "2.1.3"
source = { registry = "https://example.invalid/simple" }
resolution-markers = ["python_full_version >= '3.12'"]

[[package]]
name = "psycopg"
version = "3.2.3"
source = { registry = "https://example.invalid/simple" }

[[package]]
name = "pysocks"
version = "1.7.1"
source = { registry = "https://example.invalid/simple" }

[[package]]
name = "pytest"
version = "8.3.4"
source = { registry = "https://example.invalid/simple" }
dependencies = [
    { name = "colorama", marker = "sys_platform == 'win32'" },
    { name = "exceptiongroup", marker = "python_full_version < '3.11'" },
    { name = "tomli", marker = "python_full_version < '3.11'" },
]

[[package]]
name = "colorama"
version = "0.4.6"
source = { registry = "https://example.invalid/simple" }

[[package]]
name = "tomli"
version = "2.2.1"
source = { registry = "https://example.invalid/simple" }

[[package]]
name = "pywin32"
version = "308"
source = { registry = "https://example.invalid/simple" }

[[package]]
name = "requests"
version = "2.32.3"
source = { registry = "https://example.invalid/simple" }
dependencies = [
    { name = "idna" },
]

[package.optional-dependencies]
socks = [
    { name = "pysocks" },
]

[[package]]
name = "ruff"
version = "0.8.4"
source = { registry = "https://example.invalid/simple" }
"""

BASE_312 = ["anyio==4.7.0", "idna==3.10", "numpy==2.1.3", "pysocks==1.7.1", "requests==2.32.3"]


@pytest.mark.parametrize(
    ("python", "selection", "packages"),
    [
        # dev is uv's default group; markers on edges decide per interpreter.
        ("3.12", {}, [*BASE_312, "pytest==8.3.4"]),
        ("3.10", {}, ["anyio==4.7.0", "exceptiongroup==1.2.2", "idna==3.10", "numpy==1.26.4",
                      "pysocks==1.7.1", "pytest==8.3.4", "tomli==2.2.1", "requests==2.32.3"]),
        ("3.12", {"no_default_groups": True}, BASE_312),
        ("3.12", {"groups": ("lint",)}, [*BASE_312, "pytest==8.3.4", "ruff==0.8.4"]),
        ("3.12", {"groups": ("lint",), "no_default_groups": True}, [*BASE_312, "ruff==0.8.4"]),
        ("3.12", {"all_groups": True}, [*BASE_312, "pytest==8.3.4", "ruff==0.8.4"]),
        ("3.12", {"extras": ("postgres",), "no_default_groups": True},
         [*BASE_312[:3], "psycopg==3.2.3", *BASE_312[3:]]),
        ("3.12", {"all_extras": True, "no_default_groups": True},
         [*BASE_312[:3], "psycopg==3.2.3", *BASE_312[3:]]),
    ],
)  # fmt: skip
def test_uv_walks_the_graph_from_the_project_through_edges_whose_markers_hold(
    python: str, selection: dict[str, object], packages: list[str]
) -> None:
    assert taken("uv.lock", UV, python, **selection) == sorted(packages)


# uv.lock of 2024 (uv 0.3/0.4): no revision, `environment-markers`, a workspace of two members.
UV_2024_WORKSPACE = """\
version = 1
requires-python = ">=3.10"
environment-markers = ["python_full_version < '3.11'", "python_full_version >= '3.11'"]

[manifest]
members = ["root", "member"]

[[package]]
name = "root"
version = "0.1.0"
source = { virtual = "." }
dependencies = [{ name = "member" }]

[[package]]
name = "member"
version = "0.2.0"
source = { editable = "packages/member" }
dependencies = [
    { name = "async-timeout", marker = "python_full_version < '3.11'" },
    { name = "hatchling" },
]

[[package]]
name = "async-timeout"
version = "5.0.1"
source = { registry = "https://example.invalid/simple" }

[[package]]
name = "hatchling"
version = "1.27.0"
source = { git = "https://example.invalid/hatch.git?subdirectory=backend&rev=v1#cbf6598e" }
dependencies = [{ name = "pluggy" }]

[[package]]
name = "pluggy"
version = "1.5.0"
source = { registry = "https://example.invalid/simple" }

[[package]]
name = "orphan"
version = "1.0"
source = { registry = "https://example.invalid/simple" }
"""

# uv's conflicting extras and groups: one package locked twice; edges and
# packages carry the encoded conflict extras in their markers.
UV_CONFLICTS = """\
version = 1
revision = 3
requires-python = ">=3.12"
conflicts = [[
    { package = "project", extra = "cpu" },
    { package = "project", extra = "gpu" },
    { package = "project", group = "legacy" },
]]

[[package]]
name = "project"
version = "0.1.0"
source = { virtual = "." }
dependencies = [
    { name = "runtime", marker = "extra == 'extra-7-project-cpu' or extra == 'extra-7-project-gpu'" },
]

[package.optional-dependencies]
cpu = [{ name = "torch", version = "2.5.1", source = { registry = "https://example.invalid/cpu" } }]
gpu = [{ name = "torch", version = "2.5.1+cu124", source = { registry = "https://example.invalid/cu124" } }]

[package.dev-dependencies]
legacy = [{ name = "torch", version = "2.2.0", source = { registry = "https://example.invalid/simple" } }]

[[package]]
name = "runtime"
version = "1.0"
source = { registry = "https://example.invalid/simple" }

[[package]]
name = "torch"
version = "2.5.1"
source = { registry = "https://example.invalid/cpu" }
resolution-markers = ["extra == 'extra-7-project-cpu'"]

[[package]]
name = "torch"
version = "2.5.1+cu124"
source = { registry = "https://example.invalid/cu124" }
resolution-markers = ["extra == 'extra-7-project-gpu'"]

[[package]]
name = "torch"
version = "2.2.0"
source = { registry = "https://example.invalid/simple" }
"""

# poetry 2.1: groups and a table of one marker per group where they differ.
POETRY_21 = """\
[[package]]
name = "colorama"
version = "0.4.6"
optional = false
python-versions = ">=3.7"
groups = ["main", "dev"]
markers = {main = "os_name == \\"nt\\"", dev = "sys_platform == \\"win32\\""}

[[package]]
name = "click"
version = "8.1.8"
optional = false
python-versions = ">=3.7"
groups = ["main"]

[[package]]
name = "tomli"
version = "2.2.1"
optional = false
python-versions = ">=3.8"
groups = ["dev"]
markers = "python_version < \\"3.11\\""

[[package]]
name = "pytest"
version = "8.3.4"
optional = false
python-versions = ">=3.8"
groups = ["dev"]

[[package]]
name = "ipython"
version = "8.31.0"
optional = false
python-versions = ">=3.10"
groups = ["main", "docs"]
markers = {docs = "python_version >= \\"3.10\\"", main = "extra == \\"shell\\""}

[[package]]
name = "psycopg"
version = "3.2.3"
optional = true
python-versions = ">=3.8"
groups = ["main"]
markers = "extra == \\"pg\\""

[extras]
pg = ["psycopg"]
shell = ["ipython"]

[metadata]
lock-version = "2.1"
python-versions = "^3.9"
content-hash = "00"
"""

# poetry 2.0 (poetry 1.5-2.0): no groups; the graph of [package.dependencies].
POETRY_20 = """\
[[package]]
name = "pytest"
version = "8.3.4"
optional = false
python-versions = ">=3.8"
files = []

[package.dependencies]
colorama = {version = "*", markers = "sys_platform == \\"win32\\""}
exceptiongroup = {version = ">=1.0.0rc8", markers = "python_version < \\"3.11\\""}
pluggy = ">=1.5,<2"
tomli = {version = ">=1", markers = "python_version < \\"3.11\\""}

[[package]]
name = "colorama"
version = "0.4.6"
optional = false
python-versions = "*"
files = []

[[package]]
name = "exceptiongroup"
version = "1.2.2"
optional = false
python-versions = ">=3.7"
files = []

[[package]]
name = "pluggy"
version = "1.5.0"
optional = false
python-versions = ">=3.8"
files = []

[[package]]
name = "tomli"
version = "2.2.1"
optional = false
python-versions = ">=3.8"
files = []

[[package]]
name = "requests"
version = "2.32.3"
optional = false
python-versions = ">=3.8"
files = []

[package.dependencies]
PySocks = {version = ">=1.5.6,<1.5.7 || >1.5.7", optional = true}

[package.extras]
socks = ["PySocks (>=1.5.6,!=1.5.7)"]

[[package]]
name = "pysocks"
version = "1.7.1"
optional = true
python-versions = "*"
files = []

[[package]]
name = "numpy"
version = "1.24.4"
optional = false
python-versions = ">=3.8"
files = []

[[package]]
name = "numpy"
version = "2.1.3"
optional = false
python-versions = ">=3.10"
files = []

[[package]]
name = "scipy"
version = "1.14.1"
optional = false
python-versions = ">=3.10"
files = []

[package.dependencies]
numpy = [
    {version = ">=1.23.5,<1.25", python = "<3.10"},
    {version = ">=2.0,<2.3", python = ">=3.10"},
]

[extras]
socks = ["pysocks"]

[metadata]
lock-version = "2.0"
python-versions = "^3.9"
content-hash = "00"
"""

# poetry 1.1: `category`, and the files in [metadata.files].
POETRY_11 = """\
[[package]]
name = "django"
version = "3.2.25"
description = ""
category = "main"
optional = false
python-versions = ">=3.6"

[package.dependencies]
asgiref = ">=3.3.2,<4"
backports-zoneinfo = {version = "*", markers = "python_version < \\"3.9\\""}

[[package]]
name = "asgiref"
version = "3.8.1"
description = ""
category = "main"
optional = false
python-versions = ">=3.8"

[[package]]
name = "backports.zoneinfo"
version = "0.2.1"
description = ""
category = "main"
optional = false
python-versions = ">=3.6"

[[package]]
name = "black"
version = "22.3.0"
description = ""
category = "dev"
optional = false
python-versions = ">=3.6.2"

[metadata]
lock-version = "1.1"
python-versions = "^3.8"
content-hash = "00"

[metadata.files]
django = []
"""

# pylock.toml as PDM writes it: every package's marker names its groups.
PYLOCK_PDM = """\
lock-version = "1.0"
requires-python = ">=3.9"
environments = ['python_version >= "3.9"']
extras = ["pg"]
dependency-groups = ["default", "dev"]
default-groups = ["default"]
created-by = "pdm"

[[packages]]
name = "requests"
version = "2.32.3"
marker = "\\"default\\" in dependency_groups"

[[packages]]
name = "tomli"
version = "2.2.1"
marker = "python_version < \\"3.11\\" and \\"dev\\" in dependency_groups"

[[packages]]
name = "pytest"
version = "8.3.4"
marker = "\\"dev\\" in dependency_groups"

[[packages]]
name = "psycopg"
version = "3.2.3"
marker = "\\"default\\" in dependency_groups and \\"pg\\" in extras"
"""

# pylock.toml as `uv export --format pylock.toml` writes it: plain markers.
PYLOCK_UV = """\
lock-version = "1.0"
created-by = "uv"
requires-python = ">=3.12"

[[packages]]
name = "colorama"
version = "0.4.6"
marker = "sys_platform == 'win32'"

[[packages]]
name = "idna"
version = "3.10"
"""

REQUIREMENTS = """\
# This file was autogenerated by uv via the following command:
#    uv pip compile requirements.in -o requirements.txt
exceptiongroup==1.2.2 ; python_full_version < '3.11'
    # via anyio
idna==3.10
    # via anyio
"""


@pytest.mark.parametrize(
    ("file", "text", "python", "selection", "packages"),
    [
        # uv 2024, a workspace: both members are roots; the git source is followed.
        ("uv.lock", UV_2024_WORKSPACE, "3.12", {}, ["hatchling==1.27.0", "pluggy==1.5.0"]),
        ("uv.lock", UV_2024_WORKSPACE, "3.10", {},
         ["async-timeout==5.0.1", "hatchling==1.27.0", "pluggy==1.5.0"]),
        # uv conflicts: the package locked three times is taken for the choice only.
        ("uv.lock", UV_CONFLICTS, "3.12", {}, []),
        ("uv.lock", UV_CONFLICTS, "3.12", {"extras": ("cpu",)}, ["runtime==1.0", "torch==2.5.1"]),
        ("uv.lock", UV_CONFLICTS, "3.12", {"extras": ("gpu",)},
         ["runtime==1.0", "torch==2.5.1+cu124"]),
        ("uv.lock", UV_CONFLICTS, "3.12", {"groups": ("legacy",)}, ["torch==2.2.0"]),
        # poetry 2.1: per-group markers; main always, the other groups by default.
        ("poetry.lock", POETRY_21, "3.12", {}, ["click==8.1.8", "pytest==8.3.4", "ipython==8.31.0"]),
        ("poetry.lock", POETRY_21, "3.10", {},
         ["click==8.1.8", "tomli==2.2.1", "pytest==8.3.4", "ipython==8.31.0"]),
        ("poetry.lock", POETRY_21, "3.12", {"no_default_groups": True}, ["click==8.1.8"]),
        ("poetry.lock", POETRY_21, "3.12", {"no_default_groups": True, "extras": ("shell",)},
         ["click==8.1.8", "ipython==8.31.0"]),
        ("poetry.lock", POETRY_21, "3.12", {"no_default_groups": True, "extras": ("pg",)},
         ["click==8.1.8", "psycopg==3.2.3"]),
        # poetry 2.0: the graph from what nothing depends on; optional only through extras.
        ("poetry.lock", POETRY_20, "3.12", {},
         ["pytest==8.3.4", "pluggy==1.5.0", "requests==2.32.3", "numpy==2.1.3", "scipy==1.14.1"]),
        ("poetry.lock", POETRY_20, "3.9", {},
         ["pytest==8.3.4", "exceptiongroup==1.2.2", "pluggy==1.5.0", "tomli==2.2.1",
          "requests==2.32.3", "numpy==1.24.4", "scipy==1.14.1"]),
        ("poetry.lock", POETRY_20, "3.12", {"extras": ("socks",)},
         ["pytest==8.3.4", "pluggy==1.5.0", "requests==2.32.3", "pysocks==1.7.1", "numpy==2.1.3",
          "scipy==1.14.1"]),
        # poetry 1.1: category dev is the group dev.
        ("poetry.lock", POETRY_11, "3.12", {}, ["django==3.2.25", "asgiref==3.8.1", "black==22.3.0"]),
        ("poetry.lock", POETRY_11, "3.8", {"no_default_groups": True},
         ["django==3.2.25", "asgiref==3.8.1", "backports-zoneinfo==0.2.1"]),
        # PEP 751 as PDM writes it: dependency_groups and extras, default-groups.
        ("pylock.toml", PYLOCK_PDM, "3.12", {}, ["requests==2.32.3"]),
        ("pylock.toml", PYLOCK_PDM, "3.10", {"groups": ("dev",)},
         ["requests==2.32.3", "tomli==2.2.1", "pytest==8.3.4"]),
        ("pylock.toml", PYLOCK_PDM, "3.12", {"extras": ("pg",)}, ["requests==2.32.3", "psycopg==3.2.3"]),
        ("pylock.toml", PYLOCK_PDM, "3.12", {"no_default_groups": True}, []),
        ("pylock.toml", PYLOCK_UV, "3.12", {}, ["idna==3.10"]),
        ("requirements.txt", REQUIREMENTS, "3.12", {}, ["idna==3.10"]),
        ("requirements.txt", REQUIREMENTS, "3.10", {}, ["exceptiongroup==1.2.2", "idna==3.10"]),
    ],
)  # fmt: skip
def test_each_format_takes_what_its_installer_takes(
    file: str, text: str, python: str, selection: dict[str, object], packages: list[str]
) -> None:
    assert taken(file, text, python, **selection) == sorted(packages)


@pytest.mark.parametrize(
    ("file", "text", "selection", "error"),
    [
        ("uv.lock", UV, {"groups": ("docs",)},
         "uv.lock: no group 'docs' in the lock (it has: dev, lint)"),
        ("uv.lock", UV, {"extras": ("mysql",)},
         "uv.lock: no extra 'mysql' in the lock (it has: postgres)"),
        ("uv.lock", UV_CONFLICTS, {"extras": ("cpu", "gpu")},
         "uv.lock: extra 'cpu' and extra 'gpu' conflict (the lock's conflicts): choose one"),
        ("uv.lock", UV_CONFLICTS, {"extras": ("cpu",), "groups": ("legacy",)},
         "uv.lock: extra 'cpu' and group 'legacy' conflict (the lock's conflicts): choose one"),
        ("pylock.toml", PYLOCK_PDM, {"groups": ("lint",)},
         "pylock.toml: no group 'lint' in the lock (it has: default, dev)"),
        ("requirements.txt", REQUIREMENTS, {"extras": ("x",)},
         "requirements.txt: no extra 'x' in the lock (it has: none)"),
    ],
)  # fmt: skip
def test_a_choice_the_lock_cannot_make_is_one_line(
    file: str, text: str, selection: dict[str, object], error: str
) -> None:
    with pytest.raises(SelectionError) as caught:
        choose(parse_lock(file, text), Selection(**selection))  # type: ignore[arg-type]
    assert str(caught.value) == error


@pytest.mark.parametrize(
    ("file", "text", "python", "error"),
    [
        ("uv.lock", 'version = 1\nrequires-python = ">=3.11, <3.12"\n', "3.13",
         "uv.lock: the lock is for Python >=3.11, <3.12 (requires-python), not 3.13.1"),
        ("uv.lock", 'version = 1\nrequires-python = ">=3.11, <3.12"\n', "3.11", None),
        ("pylock.toml", PYLOCK_UV, "3.11",
         "pylock.toml: the lock is for Python >=3.12 (requires-python), not 3.11.1"),
        ("poetry.lock", POETRY_11, "3.7",
         "poetry.lock: the lock is for Python ^3.8 (python-versions), not 3.7.1"),
        ("poetry.lock", POETRY_11, "4.0", "poetry.lock: the lock is for Python ^3.8 (python-versions), not 4.0.1"),
        ("poetry.lock", POETRY_21, "3.13", None),
        ("requirements.txt", REQUIREMENTS, "2.7", None),
    ],
)  # fmt: skip
def test_a_lock_whose_python_range_excludes_the_interpreter_says_so(
    file: str, text: str, python: str, error: str | None
) -> None:
    assert excluded_python(parse_lock(file, text), environment(python)) == error


@pytest.mark.parametrize(
    ("file", "text"),
    [
        ("poetry.lock",
         '[[package]]\nname = "a"\nversion = "1"\ngroups = ["main"]\n'
         'markers = "\\"dev\\" in dependency_groups"\n[metadata]\nlock-version = "2.1"\n'),
        ("requirements.txt", 'a==1 ; "dev" in dependency_groups\n'),
    ],
)  # fmt: skip
def test_a_marker_that_cannot_be_evaluated_is_named_by_line(file: str, text: str) -> None:
    with pytest.raises(LockError) as caught:
        taken(file, text)
    assert str(caught.value).startswith(f"{file}:1: a: cannot evaluate the marker")
    assert "\n" not in str(caught.value)
