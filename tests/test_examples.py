"""The examples in examples/, checked for real.

systemd: the units are parsed and their settings asserted, `systemd-analyze verify`
runs on them where it exists, and the wrapper script runs the unit's own ExecStartPre=
and ExecStart= lines in a sandbox with a fake `git` and a fake `nixpkgs-pyindex`.
The same two lines also run with real git and the real `reindex` on the embedded
nixpkgs, committed to a local branch that stands for the channel. GitHub Actions: the
workflow's text, its structure (with PyYAML), the shell syntax of its steps, and the
reindex, summary and audit steps run with the fake. Every `nixpkgs-pyindex reindex` line
of the examples uses only the command's options, and `reindex --help` lists them.
"""

from __future__ import annotations

import configparser
import functools
import importlib.util
import itertools
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest

from indexer.source import default_nixpkgs

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SYSTEMD = EXAMPLES / "systemd"
SERVICE = SYSTEMD / "nixpkgs-pyindex-reindex.service"
TIMER = SYSTEMD / "nixpkgs-pyindex-reindex.timer"
SCRIPT = SYSTEMD / "nixpkgs-pyindex-reindex.sh"
WORKFLOW = EXAMPLES / "github-actions" / "reindex.yml"
README = EXAMPLES / "README.md"

# `nixpkgs-pyindex reindex --channel NAME (--git REPO [--ref REF] | --url URL [--sha256 HASH])
#  [--db DB] [--keep N] [--json] [--wait SECONDS]`; click adds --help.
REINDEX_VALUE_OPTIONS = frozenset(
    {"--channel", "--git", "--ref", "--url", "--sha256", "--db", "--keep", "--wait"}
)
REINDEX_FLAGS = frozenset({"--json"})
REINDEX_OPTIONS = REINDEX_VALUE_OPTIONS | REINDEX_FLAGS
CHANNEL_URL = "https://channels.nixos.org/nixpkgs-unstable"
EXIT_LOCKED = 12


# --- systemd unit files -----------------------------------------------------------------


class _MultiDict(dict[str, Any]):
    """Section storage keeping every value of a repeated key, as systemd does.

    configparser stores a key's value as a list of lines while reading; a repeated key
    extends that list instead of replacing it, and the lines are joined with newlines.
    """

    def __setitem__(self, key: str, value: Any) -> None:
        if isinstance(value, list) and isinstance(self.get(key), list):
            self[key].extend(value)
        else:
            super().__setitem__(key, value)


class _UnitParser(configparser.RawConfigParser):
    def __init__(self) -> None:
        super().__init__(
            strict=False,
            interpolation=None,
            dict_type=_MultiDict,
            default_section="\0no-default-section",
            empty_lines_in_values=False,
            comment_prefixes=("#", ";"),
        )

    def optionxform(self, optionstr: str) -> str:
        return optionstr  # systemd keys are case-sensitive


Unit = dict[str, dict[str, list[str]]]


def read_unit(path: Path) -> Unit:
    """Section → key → every value of the key, in order."""
    text = re.sub(r"\\\n", " ", path.read_text())  # systemd's line continuation
    parser = _UnitParser()
    parser.read_string(text, source=str(path))
    return {
        section: {key: value.split("\n") for key, value in parser.items(section)}
        for section in parser.sections()
    }


def one(unit: Unit, section: str, key: str) -> str:
    values = unit[section][key]
    assert len(values) == 1, f"[{section}] {key}= is set {len(values)} times: {values}"
    return values[0]


def systemd_bool(value: str) -> bool:
    lowered = value.strip().lower()
    assert lowered in {"1", "yes", "y", "true", "t", "on", "0", "no", "n", "false", "f", "off"}
    return lowered in {"1", "yes", "y", "true", "t", "on"}


_TIMESPAN_UNITS = {
    "": 1, "s": 1, "sec": 1, "second": 1, "seconds": 1,
    "m": 60, "min": 60, "minute": 60, "minutes": 60,
    "h": 3600, "hr": 3600, "hour": 3600, "hours": 3600,
    "d": 86400, "day": 86400, "days": 86400,
}  # fmt: skip


def timespan_seconds(value: str) -> float:
    """A systemd time span ("3h", "20min", "1h 30min", "90") in seconds."""
    parts = re.findall(r"(\d+(?:\.\d+)?)\s*([a-z]*)", value.strip())
    assert parts and re.fullmatch(r"(\s*\d+(\.\d+)?\s*[a-z]*)+\s*", value), value
    return sum(float(number) * _TIMESPAN_UNITS[unit] for number, unit in parts)


def unit_environment(service: Unit) -> dict[str, str]:
    env: dict[str, str] = {}
    for line in service["Service"].get("Environment", []):
        for assignment in shlex.split(line):
            name, _, value = assignment.partition("=")
            env[name] = value
    return env


def expand_specifiers(value: str, state_root: Path, cache_root: Path) -> str:
    """%S and %C, the system manager's state and cache roots, and %%."""
    specifiers = {"S": str(state_root), "C": str(cache_root), "%": "%"}

    def replace(match: re.Match[str]) -> str:
        assert match.group(1) in specifiers, f"unexpected specifier %{match.group(1)}"
        return specifiers[match.group(1)]

    return re.sub(r"%(.)", replace, value)


def exec_argv(line: str) -> list[str]:
    """An ExecStart= value as argv (no prefixes like '-' or '@' are used here)."""
    argv = shlex.split(line)
    assert argv and argv[0].startswith("/"), f"not an absolute command: {line}"
    return argv


def option_values(args: Sequence[str]) -> dict[str, list[str]]:
    """The reindex options of a command line: option → its values (flags: [''])."""
    found: dict[str, list[str]] = {}
    items = list(args)
    i = 0
    while i < len(items):
        token = items[i]
        i += 1
        if not token.startswith("--"):
            continue
        name, has_value, value = token.partition("=")
        if name in REINDEX_VALUE_OPTIONS and not has_value:
            assert i < len(items) and not items[i].startswith("--"), f"{name} has no value"
            value = items[i]
            i += 1
        found.setdefault(name, []).append(value)
    return found


@pytest.fixture(scope="module")
def service() -> Unit:
    return read_unit(SERVICE)


@pytest.fixture(scope="module")
def timer() -> Unit:
    return read_unit(TIMER)


def test_unit_parser_keeps_repeated_keys(tmp_path: Path) -> None:
    unit = tmp_path / "x.service"
    unit.write_text("[Service]\nEnvironment=A=1\nenvironment=lower\nEnvironment=B=2 \\\n C=3\n")
    parsed = read_unit(unit)
    assert parsed["Service"]["Environment"] == ["A=1", "B=2   C=3"]
    assert parsed["Service"]["environment"] == ["lower"]


def test_service_runs_the_script_as_a_oneshot(service: Unit) -> None:
    assert one(service, "Service", "Type") == "oneshot"
    assert "network-online.target" in " ".join(service["Unit"]["Wants"])
    assert "network-online.target" in " ".join(service["Unit"]["After"])

    pre = [exec_argv(line) for line in service["Service"]["ExecStartPre"]]
    assert [(Path(argv[0]).name, argv[1:]) for argv in pre] == [(SCRIPT.name, ["fetch"])]

    (start,) = (exec_argv(line) for line in service["Service"]["ExecStart"])
    assert Path(start[0]).name == SCRIPT.name
    assert start[0] == pre[0][0], "ExecStartPre= and ExecStart= run different scripts"
    assert start[1] == "reindex"
    options = option_values(start[2:])
    env = unit_environment(service)
    assert options["--channel"] == [env["NIXPKGS_BRANCH"]] == ["nixpkgs-unstable"]
    # The script clones and fetches that one branch: --ref is its remote-tracking ref.
    assert options["--ref"] == [f"origin/{env['NIXPKGS_BRANCH']}"]
    assert int(options["--keep"][0]) == 60
    assert "--json" in options
    # The script adds --git $STATE_DIRECTORY/nixpkgs; a URL would bypass the clone.
    assert "--git" not in options and "--url" not in options
    # Another reindex holding the lock is no failure.
    assert str(EXIT_LOCKED) in one(service, "Service", "SuccessExitStatus").split()


def test_service_state_cache_and_database(service: Unit) -> None:
    svc = service["Service"]
    assert systemd_bool(one(service, "Service", "DynamicUser"))
    (state,) = one(service, "Service", "StateDirectory").split()
    (cache,) = one(service, "Service", "CacheDirectory").split()
    assert state == cache == "nixpkgs-pyindex"
    env = unit_environment(service)
    # %S/%C are the roots $STATE_DIRECTORY/$CACHE_DIRECTORY are made in.
    assert env["NIXPKGS_PYINDEX_DB"] == f"%S/{state}/index.sqlite"
    assert env["XDG_CACHE_HOME"] == f"%C/{cache}"
    # git wants a HOME; a dynamic user's home is / (read-only).
    assert env["HOME"] in {f"%C/{cache}", f"%S/{state}"}
    assert env["NIXPKGS_GIT_URL"].startswith("https://github.com/NixOS/nixpkgs")
    assert "User" not in svc, "User= and DynamicUser= together"


def test_service_hardening_and_priority(service: Unit) -> None:
    assert one(service, "Service", "ProtectSystem") == "strict"
    assert systemd_bool(one(service, "Service", "ProtectHome"))
    assert systemd_bool(one(service, "Service", "PrivateTmp"))
    assert systemd_bool(one(service, "Service", "NoNewPrivileges"))
    assert int(one(service, "Service", "Nice")) >= 10
    assert one(service, "Service", "IOSchedulingClass") == "idle"
    # A first run clones nixpkgs and evaluates a whole tree: more than the default 90 s.
    assert timespan_seconds(one(service, "Service", "TimeoutStartSec")) >= 3600
    # Anything writable besides the state and cache directories would defeat strict.
    assert "ReadWritePaths" not in service["Service"]


def test_timer_starts_the_service_hourly(timer: Unit) -> None:
    assert one(timer, "Timer", "OnCalendar") in {"hourly", "*-*-* *:00:00"}
    assert 0 < timespan_seconds(one(timer, "Timer", "RandomizedDelaySec")) <= 3600
    assert systemd_bool(one(timer, "Timer", "Persistent"))
    unit = one(timer, "Timer", "Unit")
    assert unit == SERVICE.name and (SYSTEMD / unit).is_file()
    assert "timers.target" in one(timer, "Install", "WantedBy").split()
    # A timer-started service needs no [Install] of its own.
    assert SERVICE.name.removesuffix(".service") == TIMER.name.removesuffix(".timer")


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="no systemd-analyze")
def test_systemd_analyze_verify(tmp_path: Path, service: Unit, timer: Unit) -> None:
    # verify checks that ExecStart='s command exists: point it at the script in this repo.
    (script,) = {exec_argv(line)[0] for line in service["Service"]["ExecStart"]}
    units = []
    for source in (SERVICE, TIMER):
        copy = tmp_path / source.name
        copy.write_text(source.read_text().replace(script, str(SCRIPT)))
        units.append(copy)
    result = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", *map(str, units)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    ours = [
        line
        for line in (result.stdout + result.stderr).splitlines()
        if SERVICE.name in line or TIMER.name in line or str(tmp_path) in line
    ]
    assert result.returncode == 0 and not ours, result.stdout + result.stderr
    # And the schedule and time spans as systemd reads them.
    for command in (
        ["calendar", one(timer, "Timer", "OnCalendar")],
        ["timespan", one(timer, "Timer", "RandomizedDelaySec")],
        ["timespan", one(service, "Service", "TimeoutStartSec")],
    ):
        checked = subprocess.run(
            ["systemd-analyze", *command], capture_output=True, text=True, timeout=60
        )
        assert checked.returncode == 0, checked.stderr


# --- the wrapper script, run with fakes ---------------------------------------------------

FAKE = """#!{python}
# A fake {name}: records its arguments and environment, then acts a little.
import json, os, sys
from pathlib import Path

name = {name!r}
args = sys.argv[1:]
env = {{k: os.environ.get(k) for k in ("NIXPKGS_PYINDEX_DB", "XDG_CACHE_HOME")}}
with open(os.environ["FAKE_LOG"], "a") as log:
    log.write(json.dumps({{"cmd": name, "args": args, "cwd": os.getcwd(), "env": env}}) + "\\n")
code = int(os.environ.get("FAKE_" + name.upper().replace("-", "_") + "_EXIT", "0"))
if name == "git" and "clone" in args:
    (Path(args[-1]) / ".git").mkdir(parents=True)  # even when failing: an interrupted clone
if name == "nixpkgs-pyindex" and args[:1] == ["reindex"]:
    print(json.dumps({{"channel": "nixpkgs-unstable", "revision": "0123abcd", "added": 3}}))
if name == "nixpkgs-pyindex" and args[:1] == ["audit"] and "-o" in args:
    Path(args[args.index("-o") + 1]).write_text("| rule | findings |\\n| --- | --- |\\n| x | 1 |\\n")
sys.exit(code)
"""


class Sandbox:
    """Fake `git` and `nixpkgs-pyindex` first on PATH, recording their calls."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.bin = root / "bin"
        self.bin.mkdir(parents=True)
        self.log = root / "calls.jsonl"
        self.log.touch()
        for name in ("git", "nixpkgs-pyindex"):
            fake = self.bin / name
            fake.write_text(FAKE.format(python=sys.executable, name=name))
            fake.chmod(0o755)
        (self.bin / "python").symlink_to(sys.executable)

    def env(self, extra: Mapping[str, str], path: str = "/usr/bin:/bin") -> dict[str, str]:
        return {
            "HOME": str(self.root / "home"),
            "LANG": "C.UTF-8",
            "FAKE_LOG": str(self.log),
            **extra,
            "PATH": f"{self.bin}:{path}",
        }

    def calls(self, cmd: str | None = None) -> list[dict[str, Any]]:
        records = [json.loads(line) for line in self.log.read_text().splitlines()]
        self.log.write_text("")
        return [r for r in records if cmd is None or r["cmd"] == cmd]


@pytest.fixture
def sandbox(tmp_path: Path) -> Sandbox:
    return Sandbox(tmp_path / "sandbox")


class ServiceRun:
    """The service's ExecStartPre= and ExecStart= as systemd runs them, in a sandbox."""

    def __init__(self, service: Unit, sandbox: Sandbox) -> None:
        self.sandbox = sandbox
        state_root, cache_root = sandbox.root / "var-lib", sandbox.root / "var-cache"
        self.state = state_root / one(service, "Service", "StateDirectory")
        self.cache = cache_root / one(service, "Service", "CacheDirectory")
        self.state.mkdir(parents=True)  # systemd creates them
        self.cache.mkdir(parents=True)
        env = {
            name: expand_specifiers(value, state_root, cache_root)
            for name, value in unit_environment(service).items()
        }
        unit_path = env.pop("PATH", "/usr/bin:/bin")
        self.unit_env = env
        self.env = sandbox.env(
            {**env, "STATE_DIRECTORY": str(self.state), "CACHE_DIRECTORY": str(self.cache)},
            path=unit_path,
        )
        self.commands = [
            [str(SCRIPT), *exec_argv(line)[1:]]
            for key in ("ExecStartPre", "ExecStart")
            for line in service["Service"][key]
        ]
        self.reindex_args = self.commands[-1][2:]
        self.stdout = ""

    def run(self, **extra_env: str) -> tuple[int, str]:
        """Run the commands until one fails: its exit code, and everything they printed."""
        output = ""
        for argv in self.commands:
            result = subprocess.run(
                argv,
                env={**self.env, **extra_env},
                cwd="/",
                capture_output=True,
                text=True,
                timeout=60,
            )
            output += result.stdout + result.stderr
            self.stdout = result.stdout
            if result.returncode != 0:
                return result.returncode, output
        return 0, output


def test_script_is_executable_bash() -> None:
    assert os.access(SCRIPT, os.X_OK), f"chmod +x {SCRIPT}"
    assert SCRIPT.read_text().splitlines()[0] in {"#!/usr/bin/env bash", "#!/bin/bash"}
    result = subprocess.run(["bash", "-n", str(SCRIPT)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_service_clones_then_fetches_then_reindexes(service: Unit, sandbox: Sandbox) -> None:
    run = ServiceRun(service, sandbox)
    clone = run.state / "nixpkgs"
    branch, url = run.unit_env["NIXPKGS_BRANCH"], run.unit_env["NIXPKGS_GIT_URL"]
    expected_reindex = ["reindex", "--git", str(clone), *run.reindex_args]
    expected_env = {
        "NIXPKGS_PYINDEX_DB": str(run.state / "index.sqlite"),
        "XDG_CACHE_HOME": str(run.cache),
    }

    # First run: no clone yet, so a shallow clone of the one branch, moved into place.
    code, output = run.run()
    assert code == 0, output
    (git,) = sandbox.calls("git")
    assert git["args"][0] == "clone"
    assert git["args"][-2:] == [url, f"{clone}.partial"]
    assert git["args"][git["args"].index("--branch") + 1] == branch
    assert {"--single-branch", "--no-checkout"} <= set(git["args"])
    assert (clone / ".git").is_dir() and not Path(f"{clone}.partial").exists()
    # The unit's database and cache, in the state and cache directories.
    assert Path(run.unit_env["NIXPKGS_PYINDEX_DB"]).parent == run.state
    assert run.unit_env["XDG_CACHE_HOME"] == str(run.cache)

    # Second run: the clone is there, so `git -C CLONE fetch`.
    code, output = run.run()
    assert code == 0, output
    calls = sandbox.calls()
    assert [c["cmd"] for c in calls] == ["git", "nixpkgs-pyindex"]
    assert calls[0]["args"][:3] == ["-C", str(clone), "fetch"]
    assert calls[1]["args"] == expected_reindex
    assert calls[1]["env"] == expected_env
    assert '"revision": "0123abcd"' in output  # reindex's --json reaches the journal


def test_first_run_reindexes_after_cloning(service: Unit, sandbox: Sandbox) -> None:
    run = ServiceRun(service, sandbox)
    code, output = run.run()
    assert code == 0, output
    (reindex,) = sandbox.calls("nixpkgs-pyindex")
    assert reindex["args"] == ["reindex", "--git", str(run.state / "nixpkgs"), *run.reindex_args]


def test_interrupted_clone_is_started_over(service: Unit, sandbox: Sandbox) -> None:
    run = ServiceRun(service, sandbox)
    code, _ = run.run(FAKE_GIT_EXIT="128")
    assert code == 128  # ExecStartPre= fails: reindex is not run
    assert [c["cmd"] for c in sandbox.calls()] == ["git"]
    assert not (run.state / "nixpkgs").exists()
    code, output = run.run()
    assert code == 0, output
    assert [c["args"][0] for c in sandbox.calls()] == ["clone", "reindex"]


def test_reindex_exit_code_reaches_systemd(service: Unit, sandbox: Sandbox) -> None:
    run = ServiceRun(service, sandbox)
    code, _ = run.run(FAKE_NIXPKGS_PYINDEX_EXIT=str(EXIT_LOCKED))
    assert code == EXIT_LOCKED  # the unit counts it as success (SuccessExitStatus=)
    code, _ = run.run(FAKE_NIXPKGS_PYINDEX_EXIT="8")
    assert code == 8


def test_script_defaults_outside_the_unit(sandbox: Sandbox, tmp_path: Path) -> None:
    state, other, cache = tmp_path / "state", tmp_path / "other", tmp_path / "cache"
    (state / "nixpkgs" / ".git").mkdir(parents=True)
    env = sandbox.env({"STATE_DIRECTORY": f"{state}:{other}", "CACHE_DIRECTORY": str(cache)})
    result = subprocess.run(
        [str(SCRIPT), "fetch"], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    result = subprocess.run(
        [str(SCRIPT), "reindex", "--channel", "c"], env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    git, reindex = sandbox.calls()
    assert git["args"] == ["-C", str(state / "nixpkgs"), "fetch", "origin"]
    assert reindex["args"] == ["reindex", "--git", str(state / "nixpkgs"), "--channel", "c"]
    assert reindex["env"] == {
        "NIXPKGS_PYINDEX_DB": str(state / "index.sqlite"),
        "XDG_CACHE_HOME": str(cache),
    }


@pytest.mark.parametrize(
    ("args", "state", "message"),
    [
        (["fetch"], False, "STATE_DIRECTORY is not set"),
        (["reindex", "--channel", "c"], True, "fetch' first"),
        ([], True, "usage:"),
        (["fetch", "extra"], True, "no arguments"),
    ],
)
def test_script_refuses(
    sandbox: Sandbox, tmp_path: Path, args: list[str], state: bool, message: str
) -> None:
    extra = {"STATE_DIRECTORY": str(tmp_path)} if state else {}
    result = subprocess.run(
        [str(SCRIPT), *args], env=sandbox.env(extra), capture_output=True, text=True
    )
    assert result.returncode == 2
    assert message in result.stderr
    assert sandbox.calls() == []


@functools.cache
def reindex_help() -> subprocess.CompletedProcess[str]:
    """`python -m indexer reindex --help` (the command exists: a missing one fails the tests)."""
    result = subprocess.run(
        [sys.executable, "-m", "indexer", "reindex", "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return result


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout.strip()


@pytest.mark.usefixtures("nix")
@pytest.mark.skipif(
    shutil.which("nix") is None or shutil.which("git") is None, reason="needs Nix and git"
)
def test_service_with_the_real_command(service: Unit, tmp_path: Path) -> None:
    """The unit's two steps with real git and the real reindex, on the embedded nixpkgs.

    The branch of a local repository stands for nixpkgs-unstable: the shallow clone
    without a checkout must serve `--ref origin/BRANCH`, a second run must be a no-op,
    and a commit on the branch must arrive by `git fetch` and be indexed.
    """
    if reindex_help().returncode != 0:
        pytest.fail(reindex_help().stderr)
    upstream = tmp_path / "upstream"
    shutil.copytree(default_nixpkgs(), upstream)
    branch = unit_environment(service)["NIXPKGS_BRANCH"]
    _git(upstream, "init", "-q", "-b", branch)
    _git(upstream, "add", "-A")
    _git(upstream, "commit", "-q", "-m", "first")
    first = _git(upstream, "rev-parse", "HEAD")

    # Real git and the checkout's nixpkgs-pyindex, no fakes.
    real = tmp_path / "real"
    (real / "bin").mkdir(parents=True)
    command = real / "bin" / "nixpkgs-pyindex"
    command.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m indexer "$@"\n')
    command.chmod(0o755)
    run = ServiceRun(service, Sandbox(real / "sandbox"))
    run.env.update(
        PATH=f"{real / 'bin'}:{run.env['PATH'].partition(':')[2]}",
        PYTHONPATH=str(ROOT),
        NIXPKGS_GIT_URL=f"file://{upstream}",  # file:// so that --depth applies
        **{k: v for k, v in os.environ.items() if k == "NIX_REMOTE"},
    )

    def reindex_json() -> dict[str, Any]:
        code, output = run.run()
        assert code == 0, output
        result = json.loads(run.stdout)
        assert isinstance(result, dict)
        return result

    result = reindex_json()
    assert (result["channel"], result["rev"], result["action"]) == (branch, first, "indexed")
    assert (run.state / "nixpkgs" / ".git" / "shallow").is_file()
    assert Path(run.unit_env["NIXPKGS_PYINDEX_DB"]).is_file()

    result = reindex_json()  # the channel did not move
    assert (result["rev"], result["action"]) == (first, "up-to-date")

    (upstream / "CHANNEL-NOTES").write_text("the channel moved\n")
    _git(upstream, "add", "-A")
    _git(upstream, "commit", "-q", "-m", "second")
    second = _git(upstream, "rev-parse", "HEAD")
    result = reindex_json()
    assert (result["rev"], result["previous"]) == (second, first)
    assert result["action"] in {"indexed", "reused"}


# --- the GitHub Actions workflow ------------------------------------------------------------


def cron_hours(field: str) -> set[int]:
    hours: set[int] = set()
    for part in field.split(","):
        base, _, step = part.partition("/")
        if base == "*":
            low, high = 0, 23
        elif "-" in base:
            low, high = map(int, base.split("-"))
        else:
            low = int(base)
            high = 23 if step else low
        hours.update(range(low, high + 1, int(step or 1)))
    return hours


def assert_every_six_hours(cron: str) -> None:
    minute, hour, day, month, weekday = cron.split()
    assert minute.isdigit() and 0 <= int(minute) < 60, cron
    assert (day, month, weekday) == ("*", "*", "*"), cron
    hours = sorted(cron_hours(hour))
    assert len(hours) == 4 and all(b - a == 6 for a, b in itertools.pairwise(hours)), cron


def test_cron_hours() -> None:
    assert cron_hours("*/6") == cron_hours("0,6,12,18") == {0, 6, 12, 18}
    assert cron_hours("1-23/6") == {1, 7, 13, 19}
    with pytest.raises(AssertionError):
        assert_every_six_hours("0 */4 * * *")


def test_workflow_text() -> None:
    """Without PyYAML: the lines that matter are there."""
    text = WORKFLOW.read_text()
    crons = re.findall(r"^\s*-\s*cron:\s*[\"']([^\"']+)[\"']\s*$", text, re.MULTILINE)
    assert len(crons) == 1
    assert_every_six_hours(crons[0])
    assert re.search(r"^\s+workflow_dispatch:", text, re.MULTILINE)
    assert re.search(r"^permissions:\n  contents: read\n(?!  )", text, re.MULTILINE)
    assert re.search(r"^concurrency:\n\s+group: \S", text, re.MULTILINE)
    assert re.search(r"^\s+shell: bash$", text, re.MULTILINE)  # -eo pipefail
    for needle in (
        "uses: actions/checkout@v4",
        'python-version: "3.12"',
        "pip install .",
        "uses: actions/cache@v4",
        "key: nixpkgs-pyindex-db-${{ github.run_id }}",
        f"--url {CHANNEL_URL}",
        '>> "$GITHUB_STEP_SUMMARY"',
        "nixpkgs-pyindex audit --format markdown -o audit.md",
        "uses: actions/upload-artifact@v4",
    ):
        assert needle in text, needle
    assert "nix-bin" in text or "cachix/install-nix-action@v31" in text
    assert "git clone" not in text and "--git" not in text  # the channel URL needs no clone


def load_workflow() -> dict[Any, Any]:
    yaml = pytest.importorskip("yaml")
    doc = yaml.safe_load(WORKFLOW.read_text())
    assert isinstance(doc, dict)
    return doc


def workflow_steps(doc: Mapping[Any, Any]) -> list[dict[str, Any]]:
    (job,) = doc["jobs"].values()
    steps = job["steps"]
    assert isinstance(steps, list)
    return steps


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _scalar(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value


def _block(lines: list[str], start: int, parent: int) -> tuple[str, int]:
    """A `key: |` literal block from lines[start:], deeper than `parent`: text, next index."""
    end = start
    while end < len(lines) and (not lines[end].strip() or _indent(lines[end]) > parent):
        end += 1
    body = lines[start:end]
    while body and not body[-1].strip():
        body.pop()
    depth = min((_indent(line) for line in body if line.strip()), default=0)
    return "".join(line[depth:] + "\n" for line in body), end


def _mapping(lines: list[str], start: int, indent: int) -> tuple[dict[str, str], int]:
    """`key: scalar` and `key: |` entries at `indent` from lines[start:]; nested ones as ''."""
    found: dict[str, str] = {}
    i = start
    while i < len(lines):
        line = lines[i]
        if not line.strip() or line.lstrip().startswith("#"):
            i += 1
            continue
        if _indent(line) < indent or (_indent(line) == indent and line.lstrip().startswith("-")):
            break
        key, _, value = line.strip().partition(":")
        i += 1
        if value.strip() in {"|", "|-", "|+"}:
            found[key], i = _block(lines, i, indent)
        else:
            found[key] = _scalar(value)
            while i < len(lines) and (not lines[i].strip() or _indent(lines[i]) > indent):
                i += 1  # a nested mapping (`with:`): left out
    return found, i


def read_workflow_job(text: str) -> tuple[dict[str, str], list[dict[str, str]]]:
    """Without PyYAML: the one job's env and its steps' name, uses and run, from the text.

    Reads only the shape this workflow has (block mappings, `- ` step lists, `run: |`).
    """
    lines = text.splitlines()
    (env_line,) = [i for i, line in enumerate(lines) if line.strip() == "env:"]
    env, _ = _mapping(lines, env_line + 1, _indent(lines[env_line + 1]))
    (steps_line,) = [i for i, line in enumerate(lines) if line.strip() == "steps:"]
    i = steps_line + 1
    while not lines[i].strip() or lines[i].lstrip().startswith("#"):
        i += 1
    dash = _indent(lines[i])
    steps: list[dict[str, str]] = []
    while i < len(lines) and lines[i][dash:].startswith("- "):
        lines[i] = lines[i][:dash] + "  " + lines[i][dash + 2 :]
        step, i = _mapping(lines, i, dash + 2)
        steps.append(step)
        while i < len(lines) and lines[i].lstrip().startswith("#"):
            i += 1  # a comment before the next step
    assert steps and all(step.get("uses") or step.get("run") for step in steps)
    return env, steps


def workflow_job() -> tuple[dict[str, str], list[dict[str, Any]]]:
    """The job's env and steps: from PyYAML when it is there, else from the text."""
    if importlib.util.find_spec("yaml") is None:
        return read_workflow_job(WORKFLOW.read_text())
    (job,) = load_workflow()["jobs"].values()
    return dict(job.get("env", {})), workflow_steps({"jobs": {"job": job}})


def test_workflow_reader_without_yaml_agrees_with_yaml() -> None:
    (job,) = load_workflow()["jobs"].values()
    env, steps = read_workflow_job(WORKFLOW.read_text())
    assert env == job["env"]
    keys = ("name", "uses", "run")
    assert [{k: s[k] for k in keys if k in s} for s in steps] == [
        {k: s[k] for k in keys if k in s} for s in job["steps"]
    ]


def step_index(steps: Sequence[Mapping[str, Any]], uses: str = "", run: str = "") -> int:
    """The one step using an action (a prefix), or whose script matches a pattern."""
    found = [
        i
        for i, step in enumerate(steps)
        if (uses and str(step.get("uses", "")).startswith(uses))
        or (run and re.search(run, str(step.get("run", "")), re.MULTILINE))
    ]
    assert len(found) == 1, f"{uses or run}: steps {found}"
    return found[0]


def test_workflow_structure() -> None:
    doc = load_workflow()
    on = doc["on"] if "on" in doc else doc[True]  # YAML 1.1 reads the key `on` as True
    (schedule,) = on["schedule"]
    assert_every_six_hours(schedule["cron"])
    assert "workflow_dispatch" in on
    assert doc["permissions"] == {"contents": "read"}
    assert doc["concurrency"]["group"] and doc["concurrency"]["cancel-in-progress"] is False
    assert doc["defaults"]["run"]["shell"] == "bash"

    (job,) = doc["jobs"].values()
    assert "permissions" not in job  # no job widens them
    steps = workflow_steps(doc)
    checkout = step_index(steps, uses="actions/checkout@")
    python = step_index(steps, uses="actions/setup-python@")
    nix = (
        step_index(steps, run=r"apt-get install .*nix-bin")
        if "nix-bin" in WORKFLOW.read_text()
        else (step_index(steps, uses="cachix/install-nix-action@"))
    )
    install = step_index(steps, run=r"^pip install \.$")
    cache = step_index(steps, uses="actions/cache@")
    reindex = step_index(steps, run=r"^\s*nixpkgs-pyindex reindex ")
    summary = step_index(steps, run=r"json\.tool reindex\.json")
    audit = step_index(steps, run=r"^\s*nixpkgs-pyindex audit ")
    upload = step_index(steps, uses="actions/upload-artifact@v4")
    assert checkout < python < install < reindex < summary < audit < upload
    assert nix < reindex and cache < reindex
    assert str(steps[python]["with"]["python-version"]) == "3.12"
    assert steps[install]["run"].strip() == "pip install ."

    # The cache holds the directory of the database, under a key new in each run.
    db = job["env"]["NIXPKGS_PYINDEX_DB"]
    assert db.startswith("${{ github.workspace }}/")
    db_dir = str(Path(db.removeprefix("${{ github.workspace }}/")).parent)
    cached = steps[cache]["with"]
    assert cached["path"].strip("/") == db_dir
    assert "${{ github.run_id }}" in cached["key"]
    (restore_key,) = cached["restore-keys"].split()
    assert cached["key"].startswith(restore_key) and "${{" not in restore_key

    # The summary gets the JSON and the audit; the artifact the database and the audit.
    assert "GITHUB_STEP_SUMMARY" in steps[summary]["run"] and "json" in steps[summary]["run"]
    assert "GITHUB_STEP_SUMMARY" in steps[audit]["run"]
    assert "--format markdown -o audit.md" in steps[audit]["run"]
    uploaded = [p.strip("/") for p in steps[upload]["with"]["path"].split()]
    assert db_dir in uploaded and "audit.md" in uploaded


def test_workflow_steps_are_valid_bash() -> None:
    _, steps = workflow_job()
    assert any("run" in step for step in steps)
    for step in steps:
        if "run" not in step:
            continue
        script = re.sub(r"\$\{\{[^}]*\}\}", "placeholder", step["run"])
        result = subprocess.run(["bash", "-n"], input=script, capture_output=True, text=True)
        assert result.returncode == 0, f"{step.get('name')}: {result.stderr}"


def run_workflow_steps(sandbox: Sandbox, workspace: Path, **extra_env: str) -> tuple[int, Path]:
    """The reindex, summary and audit steps, as GitHub runs them with `shell: bash`."""
    job_env, steps = workflow_job()
    first = step_index(steps, run=r"^\s*nixpkgs-pyindex reindex ")
    last = step_index(steps, run=r"^\s*nixpkgs-pyindex audit ")
    summary = workspace / "summary.md"
    env = {
        name: value.replace("${{ github.workspace }}", str(workspace))
        for name, value in job_env.items()
    }
    for step in steps[first : last + 1]:
        script = workspace / "step.sh"
        script.write_text(step["run"])
        result = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
            cwd=workspace,
            env=sandbox.env({**env, "GITHUB_STEP_SUMMARY": str(summary), **extra_env}),
            capture_output=True,
            text=True,
            timeout=60,
        )
        if result.returncode != 0:
            return result.returncode, summary
    return 0, summary


def test_workflow_steps_run(sandbox: Sandbox, tmp_path: Path) -> None:
    code, summary = run_workflow_steps(sandbox, tmp_path)
    assert code == 0
    reindex, audit = sandbox.calls("nixpkgs-pyindex")
    assert reindex["args"][:1] == ["reindex"]
    assert option_values(reindex["args"])["--url"] == [CHANNEL_URL]
    assert reindex["env"]["NIXPKGS_PYINDEX_DB"] == str(tmp_path / "index" / "index.sqlite")
    assert audit["args"] == ["audit", "--format", "markdown", "-o", "audit.md"]
    text = summary.read_text()
    assert '    "revision": "0123abcd",' in text  # pretty-printed by json.tool
    assert "| x | 1 |" in text
    assert (tmp_path / "reindex.json").is_file() and (tmp_path / "audit.md").is_file()


def test_workflow_failing_reindex_fails_its_step(sandbox: Sandbox, tmp_path: Path) -> None:
    code, summary = run_workflow_steps(sandbox, tmp_path, FAKE_NIXPKGS_PYINDEX_EXIT="8")
    assert code == 8  # despite `| tee`
    assert [c["args"][0] for c in sandbox.calls()] == ["reindex"]
    assert not summary.exists()


# --- the reindex command lines against the command's options ------------------------------


def _markdown_code(text: str) -> str:
    blocks = re.findall(r"^```[^\n]*\n(.*?)^```", text, re.MULTILINE | re.DOTALL)
    spans = re.findall(r"`([^`\n]+)`", re.sub(r"^```.*?^```", "", text, flags=re.M | re.S))
    return "\n".join(blocks + spans)


def _words(rest: str) -> list[str]:
    """The words of a command line up to a shell operator (|, >, ;, &&, ...)."""
    lexer = shlex.shlex(rest, posix=True, punctuation_chars=True)
    lexer.whitespace_split = True
    words: list[str] = []
    try:
        for word in lexer:
            if word and set(word) <= set("|&;<>()"):
                break
            words.append(word)
    except ValueError:  # an unbalanced quote in a comment
        words = rest.split()
    return words


def reindex_command_lines() -> list[tuple[str, list[str]]]:
    """Every `nixpkgs-pyindex reindex` call in examples/: where, and its arguments."""
    found: list[tuple[str, list[str]]] = []
    for path in sorted(p for p in EXAMPLES.rglob("*") if p.is_file()):
        text = path.read_text()
        text = _markdown_code(text) if path.suffix == ".md" else re.sub(r"\\\n", " ", text)
        for match in re.finditer(
            r"(?<![\w.-])nixpkgs-pyindex\s+reindex(?![\w-])(.*)$", text, re.MULTILINE
        ):
            found.append((str(path.relative_to(ROOT)), _words(match.group(1))))
    # The service passes its options through the script (`… reindex OPTION…`).
    for line in read_unit(SERVICE)["Service"]["ExecStart"]:
        argv = exec_argv(line)
        if argv[1:2] == ["reindex"]:
            found.append((f"{SERVICE.relative_to(ROOT)} ExecStart=", argv[2:]))
    return found


def used_options() -> set[str]:
    return {
        word.partition("=")[0]
        for _, words in reindex_command_lines()
        for word in words
        if word.startswith("-")
    }


def test_reindex_lines_use_only_its_options() -> None:
    lines = reindex_command_lines()
    where = {w.split(" ")[0] for w, _ in lines}
    assert {
        str(SCRIPT.relative_to(ROOT)),
        str(WORKFLOW.relative_to(ROOT)),
        str(SERVICE.relative_to(ROOT)),
        str(README.relative_to(ROOT)),
    } <= where, where
    for place, words in lines:
        unknown = {w.partition("=")[0] for w in words if w.startswith("-")} - REINDEX_OPTIONS
        assert not unknown - {"--help"}, f"{place}: {' '.join(words)}"


def _complete_invocations() -> list[tuple[str, dict[str, list[str]]]]:
    """The two real runs: the service (the script's fixed part + ExecStart=) and CI."""
    script_line = re.search(r"nixpkgs-pyindex reindex (.*)$", SCRIPT.read_text(), re.M)
    assert script_line
    (start,) = (exec_argv(line) for line in read_unit(SERVICE)["Service"]["ExecStart"])
    fixed = [w for w in _words(script_line.group(1)) if w != "$@"]
    workflow = re.search(r"nixpkgs-pyindex reindex (.*)$", WORKFLOW.read_text(), re.M)
    assert workflow
    return [
        ("service", option_values([*fixed, *start[2:]])),
        ("workflow", option_values(_words(workflow.group(1)))),
    ]


def test_reindex_invocations_are_complete() -> None:
    for place, options in _complete_invocations():
        assert set(options) <= REINDEX_OPTIONS, place
        assert all(len(values) == 1 for values in options.values()), place
        assert options["--channel"] == ["nixpkgs-unstable"], place
        assert ("--git" in options) != ("--url" in options), f"{place}: --git or --url"
        assert "--ref" not in options or "--git" in options, place
        assert "--sha256" not in options or "--url" in options, place
        assert int(options["--keep"][0]) > 0 and "--json" in options, place
    assert dict(_complete_invocations())["workflow"]["--url"] == [CHANNEL_URL]


def test_reindex_help_lists_the_options_used() -> None:
    result = reindex_help()
    assert result.returncode == 0, result.stderr
    missing = [
        option
        for option in sorted(used_options() - {"--help"})
        if not re.search(rf"(?<![\w-]){re.escape(option)}(?![\w-])", result.stdout)
    ]
    assert not missing, f"used in examples/ but not in `reindex --help`: {missing}"
    # The service counts 12 as success: the help's exit-code table must say what it is.
    assert "Exit codes" in result.stdout, result.stdout
    assert re.search(rf"^\s*{EXIT_LOCKED}\s", result.stdout, re.MULTILINE), result.stdout
