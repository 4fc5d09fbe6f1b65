"""Git histories of the embedded fixture nixpkgs, for tests that index revisions.

`git`, `commit` and `edit` build any history (tests/test_reindex.py's channel);
`build_history` builds the one the storage must get right (issue 15's
differential test), one commit per step of `STEPS`:

| step          | what changes                                   | what storage must get right             |
|---------------|------------------------------------------------|-----------------------------------------|
| base          | the fixture, without stack-overflow (*)        | a first revision, nothing to compare to |
| bump-dep      | urllib3 2.3.0 -> 2.4.0                         | a dependency's bump: requests' inputs   |
| new           | tomli: init at 2.2.1                           | a package added                         |
| remove        | tinygrad: remove                               | a package removed, its findings gone    |
| break         | mdurl: its version throws                      | an eval failure, and its dependents     |
| fix           | mdurl: fixed                                   | a failing package evaluates again       |
| finding-new   | pathspec: fetches 0.12.0, says 0.12.1          | an audit finding appears                |
| finding-fixed | msgpack: pname msgpack, as its source          | an audit finding disappears             |
| one-set       | pyyaml 6.0.3 on Python 3.13 only               | one set changes, the other does not     |
| interpreter   | python313: 3.13.1 -> 3.13.2                    | a set's interpreter version             |
| docs          | doc/python.md                                  | reindex reuses the previous revision    |

(*) how its crash ends varies from one evaluation to the next.

Commit dates are fixed (a day per commit from 2025-01-01), so the commits,
and what the index stores of them, are the same on every run.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "data" / "nixpkgs"
MODULES = "pkgs/development/python-modules"
PACKAGES = "pkgs/top-level/python-packages.nix"


def git(repo: Path, *args: str, env: dict[str, str] | None = None) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org", **(env or {})}  # fmt: skip
    return subprocess.run(
        ["git", "-C", str(repo), *args], check=True, capture_output=True, text=True, env=env
    ).stdout.strip()


def commit(repo: Path, message: str) -> str:
    """Commit everything; dated a day after the parent (2025-01-01 for the first)."""
    has_head = subprocess.run(["git", "-C", str(repo), "rev-parse", "-q", "--verify", "HEAD"],
                              capture_output=True).returncode == 0  # fmt: skip
    day = int(git(repo, "rev-list", "--count", "HEAD")) if has_head else 0
    dated = f"{1735689600 + day * 86400} +0000"  # 2025-01-01T00:00:00Z, plus `day` days
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message,
        env={"GIT_AUTHOR_DATE": dated, "GIT_COMMITTER_DATE": dated})  # fmt: skip
    return git(repo, "rev-parse", "HEAD")


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, (path, old)
    path.write_text(text.replace(old, new))


def new_repository(into: Path) -> Path:
    """A git repository of the fixture tree, no commit yet."""
    repo = into / "nixpkgs"
    shutil.copytree(FIXTURE, repo)
    git(repo, "init", "-q", "-b", "main")
    return repo


# ---- the history the storage must get right --------------------------------


def deterministic(repo: Path) -> None:
    # How stack-overflow's crash ends varies from run to run (a message and
    # exit 1, or SIGSEGV): two indexes evaluated separately would differ.
    edit(
        repo / PACKAGES,
        "  stack-overflow = callPackage ../development/python-modules/stack-overflow { };\n",
        "",
    )


def _bump_dependency(repo: Path) -> None:
    edit(repo / MODULES / "urllib3/default.nix", '"2.3.0"', '"2.4.0"')


def _add_package(repo: Path) -> None:
    shutil.copytree(repo / MODULES / "six", repo / MODULES / "tomli")
    module = repo / MODULES / "tomli/default.nix"
    edit(module, 'pname = "six"', 'pname = "tomli"')
    edit(module, 'version = "1.17.0"', 'version = "2.2.1"')
    edit(module, "Python 2 and 3 compatibility library", "A lil' TOML parser")
    edit(repo / PACKAGES, "  six = callPackage",
         "  tomli = callPackage ../development/python-modules/tomli { };\n\n  six = callPackage")  # fmt: skip


def _remove_package(repo: Path) -> None:
    edit(
        repo / PACKAGES,
        "  tinygrad = callPackage ../development/python-modules/tinygrad { };\n",
        "",
    )


def _break_package(repo: Path) -> None:
    edit(repo / MODULES / "mdurl/default.nix", 'version = "',
         'version = throw "mdurl: the release was yanked"; brokenVersion = "')  # fmt: skip


def _fix_package(repo: Path) -> None:
    edit(repo / MODULES / "mdurl/default.nix",
         'version = throw "mdurl: the release was yanked"; brokenVersion = "', 'version = "')  # fmt: skip


def _make_finding(repo: Path) -> None:
    edit(repo / MODULES / "pathspec/default.nix", "inherit pname version;",
         'inherit pname;\n    version = "0.12.0";')  # fmt: skip


def _fix_finding(repo: Path) -> None:
    module = repo / MODULES / "msgpack/default.nix"
    edit(module, 'pname = "msgpack-python";', 'pname = "msgpack";')


def _change_one_set(repo: Path) -> None:
    module = repo / MODULES / "pyyaml/default.nix"
    edit(module, "  lib,\n", "  lib,\n  pythonAtLeast,\n")
    edit(
        module, 'version = "6.0.2";', 'version = if pythonAtLeast "3.13" then "6.0.3" else "6.0.2";'
    )


def _bump_interpreter(repo: Path) -> None:
    edit(repo / "pkgs/development/interpreters/python/default.nix",
         'minor = "13";\n      patch = "1";', 'minor = "13";\n      patch = "2";')  # fmt: skip


def _docs_only(repo: Path) -> None:
    (repo / "doc").mkdir(exist_ok=True)
    (repo / "doc/python.md").write_text("# Python\n\nThe Python package sets.\n")


@dataclass(frozen=True)
class Step:
    name: str
    message: str  # the commit's subject
    purpose: str  # what the storage must get right, the commit's body
    change: Callable[[Path], None] | None  # None: the fixture as it is


STEPS: tuple[Step, ...] = (
    Step("base", "the fixture, without stack-overflow",
         "A first revision: nothing to compare to. Without stack-overflow, whose crash"
         " is not the same from one evaluation to the next.", deterministic),
    Step("bump-dep", "urllib3: 2.3.0 -> 2.4.0",
         "A dependency's bump: requests' inputs carry the new version.", _bump_dependency),
    Step("new", "tomli: init at 2.2.1", "A package added.", _add_package),
    Step("remove", "tinygrad: remove",
         "A package removed; its not-on-pypi and non-pep440 findings go with it.", _remove_package),
    Step("break", "mdurl: the release was yanked",
         "A package that fails to evaluate (eval-error appears); markdown-it-py and rich need it.",
         _break_package),
    Step("fix", "mdurl: fixed", "The failing package evaluates again.", _fix_package),
    Step("finding-new", "pathspec: fetch 0.12.0",
         "An audit finding appears: version-mismatch (the source's 0.12.0 against 0.12.1).",
         _make_finding),
    Step("finding-fixed", "msgpack: pname as its source names it",
         "An audit finding disappears: pname-mismatch.", _fix_finding),
    Step("one-set", "pyyaml: 6.0.3 on Python 3.13",
         "A package of both sets changes in python313Packages only.", _change_one_set),
    Step("interpreter", "python313: 3.13.1 -> 3.13.2",
         "A set's interpreter version changes, its packages do not.", _bump_interpreter),
    Step("docs", "doc: the Python section",
         "A docs-only commit: reindex reuses the previous revision.", _docs_only),
)  # fmt: skip


def build_history(into: Path) -> tuple[Path, dict[str, str]]:
    """The repository of `STEPS` and each step's commit, in order."""
    repo = new_repository(into)
    revs: dict[str, str] = {}
    for step in STEPS:
        if step.change is not None:
            step.change(repo)
        revs[step.name] = commit(repo, f"{step.message}\n\n{step.purpose}")
    return repo, revs
