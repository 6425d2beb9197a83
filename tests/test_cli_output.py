"""Every command prints words for people: never a Python repr of corehub's own types
(``Text({...})``, ``{'en': ...}``, ``<ReviewKind.SELF: 'self'>``, ``Person(...)``)."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest

from corehub import Hub
from corehub.cli import build_cli
from corehub.testing import run_cli

REPR = re.compile(
    r"Text\(|\{'en':|\{'es':|\{\"en\":|<[A-Z]\w+\.[A-Z_]+: |\b(Person|Cycle|Review|Task|Course|"
    r"Form|Question|Assignment|Completion|Feedback|Recommendation)\(\w+=|object at 0x|"
    r"datetime\.(date|datetime)\("
)
CYCLE = "2026 H2"
RUN: dict[str, list[list[str]]] = {
    "audit": [["audit"]],
    "cycle list": [["cycle", "list"]],
    "cycle status": [["cycle", "status", CYCLE]],
    "cycle tasks": [["cycle", "tasks", CYCLE]],
    "cycle settings": [["cycle", "settings", CYCLE]],
    "cycle calibrate show": [["--as", "dir-01", "cycle", "calibrate", "show", "--cycle", CYCLE]],
    "feedback peer-status": [
        ["--as", "sup-cph", "feedback", "peer-status", "--cycle", CYCLE, "--person", "cph-04"]
    ],
    "db check": [["db", "check"]],
    "feedback kinds": [["feedback", "kinds"]],
    "feedback list": [["--as", "sup-cph", "feedback", "list"]],
    "feedback pulse results": [["--as", "dir-01", "feedback", "pulse", "results"]],
    "feedback suggestions": [["--as", "sup-cph", "feedback", "suggestions"]],
    "feedback summary": [["--as", "sup-cph", "feedback", "summary"]],
    "feedback give": [
        [
            "--as",
            "cph-03",
            "feedback",
            "give",
            "--kind",
            "praise",
            "--to",
            "cph-04",
            "--text",
            "Thanks!",
        ]
    ],
    "forms list": [["forms", "list"]],
    "forms show": [["forms", "show", "agent"]],
    "info": [["info"]],
    "people list": [["people", "list"]],
    "people show": [["people", "show", "cph-04"]],
    "people invite": [["people", "invite", "--person", "cph-04"]],
    "people leave": [
        ["people", "leave", "cph-04", "--on", "2027-06-30"],
        ["people", "leave", "cph-04", "--cancel"],
    ],
    "plugins": [["plugins"]],
    "remind": [["remind"]],
    "review list": [["review", "list", "--cycle", CYCLE]],
    "review show": [["--as", "sup-cph", "review", "show", "--cycle", CYCLE, "--person", "cph-04"]],
    "review export": [
        [
            "--as",
            "sup-cph",
            "review",
            "export",
            "--cycle",
            CYCLE,
            "--person",
            "cph-04",
            "--kind",
            "manager",
        ]
    ],
    "review goals": [["--as", "cph-04", "review", "goals"]],
    "checkin list": [["checkin", "list"], ["--as", "sup-mad", "checkin", "list"]],
    "checkin show": [["--as", "sup-mad", "checkin", "show", "1"], ["checkin", "show", "1"]],
    "checkin due": [["--as", "sup-mad", "checkin", "due"]],
    "checkin overview": [
        ["checkin", "overview"],
        ["--as", "sup-mad", "checkin", "overview", "--team", "Madrid", "--overdue"],
    ],
    "newhire status": [["newhire", "status"]],
    "newhire show": [["--as", "sup-mad", "newhire", "show", "mad-09", "--day", "30"]],
    "quality scorecards": [["quality", "scorecards"]],
    "quality status": [["quality", "status"]],
    "quality tasks": [["quality", "tasks"]],
    "quality grades": [["--as", "cph-04", "quality", "grades"]],
    "quality disputes": [["quality", "disputes"]],
    "quality calibrate results": [["quality", "calibrate", "results", "2026-11 written"]],
    "training courses": [["training", "courses"]],
    "training matrix": [["training", "matrix"]],
    "training recommendations": [["training", "recommendations"]],
    "training status": [["training", "status"]],
    "quality article-checks": [["quality", "article-checks"]],
    "training credentials": [["training", "credentials", "--team", "København"]],
    "training coverage": [["training", "coverage"]],
    "training coach list": [["training", "coach", "list"]],
    "training coaching show": [["training", "coaching", "show", "cph-01"]],
    "plan show": [
        ["--as", "mad-01", "plan", "show"],
        ["--as", "sup-mad", "plan", "show", "--person", "mad-01", "--cycle", CYCLE],
    ],
}
NOT_RUN = {
    "checkin new",
    "checkin agenda add",
    "checkin note",
    "checkin action add",
    "checkin action done",
    "checkin action carry",
    "newhire sync",
    "newhire fill",
    "cycle calibrate adjust",
    "cycle calibrate close",
    "cycle calibrate open",
    "quality import-articles",
    "quality sample-articles",
    "quality check-article",
    "training sign-off",
    "training coach assign",
    "training coaching log",
    "cycle close",
    "cycle create",
    "cycle open",
    "db backup",
    "db snapshot",
    "db migrate",
    "demo",
    "init",
    "feedback import-csat",
    "feedback peer",
    "feedback pulse answer",
    "feedback request-peers",
    "feedback respond",
    "forms check",
    "people import",
    "quality acknowledge",
    "quality calibrate close",
    "quality calibrate grade",
    "quality calibrate grade-file",
    "quality calibrate new",
    "quality dispute",
    "quality grade",
    "quality grade-file",
    "quality import-tickets",
    "quality resolve",
    "quality sample",
    "people sign-out",
    "plugin new",
    "plan action add",
    "plan action done",
    "plan action edit",
    "plan goal add",
    "plan goal done",
    "render calibration",
    "render cycle",
    "render packet",
    "render summary",
    "review acknowledge",
    "review comment",
    "review fill",
    "review import",
    "review release",
    "review reopen",
    "review rescore",
    "review submit",
    "serve",
    "training accept",
    "training assign",
    "training complete",
    "training dismiss",
    "training import",
    "training rate",
    "training start",
    "training sync",
    "training waive",
}
"""Commands that change the workspace or start something: the docs examples run most of
them and check their output for reprs too (tests/test_docs_examples.py)."""


def leaf_commands(group: click.Group, path: tuple[str, ...] = ()) -> set[str]:
    found: set[str] = set()
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            found |= leaf_commands(command, (*path, name))
        else:
            found.add(" ".join((*path, name)))
    return found


def test_every_command_is_checked_or_named(demo_workspace: Path) -> None:
    commands = leaf_commands(build_cli(Hub(demo_workspace)))
    assert commands == set(RUN) | NOT_RUN, commands ^ (set(RUN) | NOT_RUN)


@pytest.mark.parametrize("command", sorted(RUN))
def test_no_command_prints_a_python_repr(demo_copy: Path, command: str) -> None:
    hub = Hub(demo_copy)
    try:
        for args in RUN[command]:
            for extra in ([], ["--json"]):
                if extra and not _takes_json(hub, args):
                    continue
                result = run_cli(hub, *args, *extra)
                assert result.exit_code == 0, (args, result.output)
                text = result.stdout + result.stderr
                found = REPR.search(text)
                assert found is None, (args, extra, text[max(0, found.start() - 100) :][:300])
    finally:
        hub.close()


def _takes_json(hub: Hub, args: list[str]) -> bool:
    command: click.Command = build_cli(hub)
    for word in (a for a in args if not a.startswith("-")):
        if not isinstance(command, click.Group) or word not in command.commands:
            break
        command = command.commands[word]
    return any("--json" in getattr(p, "opts", ()) for p in command.params)
