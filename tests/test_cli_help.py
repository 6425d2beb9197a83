"""``corehub --help`` is fast: it lists every command, plugins' included, without loading
the heavy libraries (WeasyPrint, Flask, Jinja, Babel, sqlite-utils, PyYAML) that only the
commands themselves need. Timing is measured by benchmarks/bench_cli.py."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import click
import pytest

from corehub import Hub
from corehub.cli import build_cli

HEAVY = (
    "weasyprint",
    "flask",
    "werkzeug",
    "jinja2",
    "babel",
    "sqlite_utils",
    "numpy",
    "yaml",
    "pypdf",
    "pydyf",
    "corehub.render",
    "corehub.web.app",
)

COMMAND_MODULES = (
    "corehub.cli.workspace",
    "corehub.cli.people",
    "corehub.cli.cycles",
    "corehub.cli.remind",
    "corehub.cli.audit",
    "corehub.cli.db",
    "corehub.cli.plugins",
    "corehub.cli.scaffold",
    "corehub.cli.demo",
    "corehub.cli.render",
    "corehub.cli.serve",
    "corehub_self_assessment.cli",
    "corehub_self_assessment.checkins_cli",
    "corehub_self_assessment.plans_cli",
    "corehub_training_tracker.cli",
    "corehub_feedback.cli",
    "corehub_quality.cli",
)
"""The modules that define the commands: ``--help`` names their commands without them."""

SETTINGS = (
    # the workspace's configuration classes and its validation (cattrs), and the plugins'
    # settings classes: read when a command runs, not to list the commands
    "cattrs",
    "corehub.config",
    "corehub.models.converter",
    "corehub_self_assessment.settings",
    "corehub_training_tracker.settings",
    "corehub_feedback.settings",
    "corehub_quality.settings",
)

NOT_FOR_LISTING = (
    *HEAVY,
    *COMMAND_MODULES,
    *SETTINGS,
    # what listing commands needs neither: the hashing behind keys and temporary names, and
    # the record classes (attrs: not one is built to list the commands)
    "attr",
    "attrs",
    "hashlib",
    "corehub.models.quality",
    "corehub.models.feedback",
    "corehub.models.plans",
    "corehub.models.evaluation",
    "corehub.models.training",
)

PROBE = textwrap.dedent(
    """
    import contextlib, io, json, sys
    from corehub.cli import main

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        try:
            main(sys.argv[1:])
        except SystemExit as exc:
            code = exc.code
    heavy = json.loads(sys.stdin.read())
    loaded = sorted(m for m in sys.modules if m.split(".")[0] in heavy or m in heavy)
    print(json.dumps({"code": code, "help": out.getvalue(), "loaded": loaded}))
    """
)


def probe(*args: str, cwd: str, env: dict[str, str] | None = None) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        input=json.dumps(NOT_FOR_LISTING),
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        check=True,
    )
    return json.loads(result.stdout)


def _env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("COREHUB_")}


def test_help_loads_no_heavy_library(tmp_path):
    found = probe("--help", cwd=str(tmp_path), env=_env())
    assert found["code"] == 0
    assert found["loaded"] == [], f"corehub --help imported {found['loaded']}"
    # with every shipped plugin installed and loaded
    for command in ("review", "forms", "training", "feedback", "quality"):
        assert f"\n  {command} " in found["help"]


def test_help_in_a_workspace_loads_no_heavy_library(demo_workspace, tmp_path):
    found = probe("--workspace", str(demo_workspace), "--help", cwd=str(tmp_path), env=_env())
    assert found["code"] == 0
    assert found["loaded"] == [], f"corehub --help imported {found['loaded']}"


def test_help_in_a_workspace_from_inside_it_loads_no_heavy_library(demo_workspace):
    """The workspace found from the current folder (its corehub.toml read for which plugins
    load), not named with --workspace."""
    found = probe("--help", cwd=str(demo_workspace / "forms"), env=_env())
    assert found["code"] == 0
    assert found["loaded"] == [], f"corehub --help imported {found['loaded']}"


def test_help_lists_every_command_with_its_short_help(tmp_path, monkeypatch):
    """The listing is the commands' own: each named command, loaded, is listed exactly as
    its stand-in was (name and short help, at the width the listing uses), and loading
    them all adds no command the listing missed."""
    found = probe("--help", cwd=str(tmp_path), env=_env())
    monkeypatch.chdir(tmp_path)
    for name in [n for n in os.environ if n.startswith("COREHUB_")]:
        monkeypatch.delenv(name)
    group = build_cli(Hub(None))
    with group.make_context("corehub", [], resilient_parsing=True) as ctx:
        listed_lazily = group.get_help(ctx)
        assert found["help"] == listed_lazily + "\n"
        names = list(group.commands)
        loaded = dict(group.commands.items())  # imports every command module
        assert sorted(loaded) == sorted(names)
        assert all(isinstance(command, click.Command) for command in loaded.values())
        assert group.get_help(ctx) == listed_lazily
    listed = found["help"].split("Commands:\n", 1)[1].splitlines()
    names = [line.split()[0] for line in listed if line.startswith("  ") and line[2] != " "]
    assert names == sorted(group.commands)
    # the shipped plugins' commands and the core's, including those a plugin adds to a
    # core group (cycle calibrate) and a core module to another's (people invite)
    assert {"review", "forms", "checkin", "newhire", "plan", "training", "feedback"} <= set(names)
    cycle, people = group.commands["cycle"], group.commands["people"]
    assert isinstance(cycle, click.Group) and "calibrate" in cycle.commands
    assert isinstance(people, click.Group) and "invite" in people.commands


@pytest.mark.parametrize("width", [40, 60, 80, 120])
def test_each_stand_in_is_listed_as_its_command_at_any_width(width, tmp_path, monkeypatch):
    """Short help is cut to the terminal's width: the stand-ins cut where the commands do."""
    monkeypatch.chdir(tmp_path)
    for name in [n for n in os.environ if n.startswith("COREHUB_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("COLUMNS", str(width))
    group = build_cli(Hub(None))
    with group.make_context(
        "corehub", [], resilient_parsing=True, terminal_width=width, max_content_width=width
    ) as ctx:
        lazily = group.get_help(ctx)
        dict(group.commands.items())
        assert group.get_help(ctx) == lazily


def test_a_command_still_loads_what_it_needs(tmp_path):
    """Lazy is not absent: a plugin command that needs its library still finds it."""
    found = probe("forms", "list", "--json", cwd=str(tmp_path), env=_env())
    assert found["code"] != 0 or found["help"]  # no workspace here: a clear refusal
    env = _env()
    init = subprocess.run(
        [sys.executable, "-m", "corehub", "init", "ws"], cwd=tmp_path, env=env, capture_output=True
    )
    assert init.returncode == 0, init.stderr
    listed = probe(
        "--workspace", str(tmp_path / "ws"), "forms", "list", "--json", cwd=str(tmp_path), env=env
    )
    assert listed["code"] == 0
    assert {form["id"] for form in json.loads(listed["help"])} >= {"agent"}
    assert "yaml" in listed["loaded"]  # the forms are YAML: read when asked for


PUBLIC_MODULES = (
    "corehub",
    "corehub.models",
    "corehub.errors",
    "corehub.messages",
    "corehub.i18n",
    "corehub.access",
    "corehub.forms",
    "corehub.loaders",
    "corehub.cli",
    "corehub.web",
    "corehub.testing",
)


@pytest.mark.parametrize("module", PUBLIC_MODULES)
def test_importing_a_public_module_loads_no_heavy_library(module):
    """A plugin's command module imports these at its top: that must stay cheap, so the
    heavy libraries load on first use (PyYAML when a form or a YAML file is read)."""
    code = (
        f"import json, sys, {module}\n"
        "heavy = json.loads(sys.stdin.read())\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in heavy or m in heavy)))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        input=json.dumps(HEAVY),
        capture_output=True,
        text=True,
        env=_env(),
        check=True,
    )
    assert json.loads(result.stdout) == [], f"import {module} loaded {result.stdout}"
