"""The GitHub Actions example that publishes the index (examples/github-actions/publish.yml).

actionlint checks both workflows (and is shown to catch a mistake); the
publishing workflow's structure is read with PyYAML; its decision step runs
in bash with a fake `gh`, for each state of the latest release; and its
`publish` line uses only options the command has, uploading exactly the
files it writes.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from indexer.cli import main
from indexer.publish.manifest import INDEX_NAME, MANIFEST_NAME, SIGNATURE_SUFFIX

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = sorted((ROOT / "examples" / "github-actions").glob("*.yml"))
PUBLISH = ROOT / "examples" / "github-actions" / "publish.yml"


def actionlint() -> str:
    # The [test] extra installs it into the virtual environment, beside python.
    found = shutil.which("actionlint", path=str(Path(sys.executable).parent)) or shutil.which(
        "actionlint"
    )
    assert found, "actionlint is missing: pip install -e '.[test]'"
    return found


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda p: p.name)
def test_actionlint_passes(workflow: Path) -> None:
    run = subprocess.run([actionlint(), str(workflow)], capture_output=True, text=True)
    assert (run.returncode, run.stdout + run.stderr) == (0, "")


def test_actionlint_catches_a_mistake(tmp_path: Path) -> None:
    broken = tmp_path / "publish.yml"
    broken.write_text(PUBLISH.read_text().replace("steps.decide.outputs.publish", "steps.decided.outputs.publish"))
    run = subprocess.run([actionlint(), str(broken)], capture_output=True, text=True)
    assert run.returncode == 1 and "decided" in run.stdout


def workflow() -> dict[Any, Any]:
    loaded: dict[Any, Any] = yaml.safe_load(PUBLISH.read_text())
    return loaded


def steps() -> dict[str, dict[str, Any]]:
    return {step["name"]: step for step in workflow()["jobs"]["publish"]["steps"]}


def test_it_may_write_releases_and_nothing_else() -> None:
    assert workflow()["permissions"] == {"contents": "write"}


def test_publishing_runs_only_when_the_decision_says_so() -> None:
    by_name = steps()
    for name in ("Publish", "Release"):
        assert by_name[name]["if"] == "steps.decide.outputs.publish == 'true'"
    names = list(by_name)
    assert names.index("Reindex nixpkgs-unstable") < names.index("Decide whether to publish")
    assert names.index("Decide whether to publish") < names.index("Publish") < names.index("Release")


def test_the_signing_key_is_a_secret_seen_by_the_publish_step_alone() -> None:
    for name, step in steps().items():
        mentions = "secrets." in str(step)
        assert mentions == (name == "Publish"), name
    env = steps()["Publish"]["env"]
    assert env["PYINDEX_MINISIGN_KEY"] == "${{ secrets.PYINDEX_MINISIGN_KEY }}"


def command_lines(script: str, command: str) -> list[list[str]]:
    joined = script.replace("\\\n", " ")
    return [shlex.split(line.split("|")[0]) for line in joined.splitlines()
            if line.strip().startswith(command)]  # fmt: skip


def test_the_publish_line_uses_the_commands_options() -> None:
    [line] = command_lines(steps()["Publish"]["run"], "nixpkgs-pyindex publish")
    options = {opt for param in main.commands["publish"].params for opt in param.opts}
    used = {word for word in line[2:] if word.startswith("-")}
    assert used <= options, used - options


def test_the_release_uploads_the_three_files_publish_writes() -> None:
    [line] = command_lines(steps()["Release"]["run"], "gh release create")
    files = [word for word in line if word.startswith("public/")]
    assert files == [f"public/{n}" for n in (INDEX_NAME, MANIFEST_NAME, MANIFEST_NAME + SIGNATURE_SUFFIX)]


# The latest release's newest revision (None: no release yet) → publish?
DECISIONS = [
    ("no release yet", None, "true"),
    ("the channel moved", "0" * 40, "true"),
    ("the channel did not move", "f" * 40, "false"),
]


@pytest.mark.parametrize("case, released, publish", DECISIONS, ids=[d[0] for d in DECISIONS])
def test_the_decision(case: str, released: str | None, publish: str, tmp_path: Path) -> None:
    head = "f" * 40
    (tmp_path / "reindex.json").write_text(f'{{"rev": "{head}", "action": "up-to-date"}}')
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    # A fake gh: `release download … --dir DIR` writes the release's manifest, or fails.
    fake = bin_dir / "gh"
    manifest = f'{{"newest": {{"rev": "{released}"}}}}' if released else ""
    fake.write_text(
        "#!/bin/sh\n"
        + (f"mkdir -p latest && printf '%s' '{manifest}' > latest/manifest.json\n" if released else "exit 1\n")
    )
    fake.chmod(0o755)
    (bin_dir / "python").symlink_to(sys.executable)
    output = tmp_path / "output"
    output.touch()
    env = {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}", "GITHUB_OUTPUT": str(output),
           "GITHUB_REPOSITORY": "owner/repo"}  # fmt: skip
    run = subprocess.run(["bash", "-eo", "pipefail", "-c", steps()["Decide whether to publish"]["run"]],
                         cwd=tmp_path, env=env, capture_output=True, text=True)  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert output.read_text().splitlines() == [f"publish={publish}", f"rev={head}"]
