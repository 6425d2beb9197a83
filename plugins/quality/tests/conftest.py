"""Fixtures for the quality plugin's tests: the plugin registered, a team, tickets."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import corehub_quality.plugin

HEADER = (
    "Id,Subject,Requester,Assignee,Group,Status,Via,Created at,Solved at,"
    "Satisfaction Score,Satisfaction Comment\n"
)
CHANNELS = ("Mail", "Chat", "Web Form", "Phone")


def zendesk_csv(per_agent: int = 8, month: str = "2026-02", agents: int = 3) -> str:
    """A Zendesk CSV export: ``per_agent`` tickets for each alpha agent, over four channels."""
    lines = [HEADER]
    number = 100
    for agent in range(1, agents + 1):
        for n in range(per_agent):
            number += 1
            channel = CHANNELS[n % len(CHANNELS)]
            rating = ("Good", "Bad", "Offered", "Unoffered")[n % 4]
            day = f"{month}-{n + 1:02d}"
            lines.append(
                f"{number},Case {number},Customer {number},Alpha Agent {agent},Support,Solved,"
                f"{channel},{day} 09:00,{day} 10:00,{rating},\n"
            )
    return "".join(lines)


@pytest.fixture
def qa(hub: Any, register_plugin: Any) -> Any:
    """The quality plugin registered on ``hub``."""
    register_plugin(corehub_quality.plugin, name="quality")
    return hub


@pytest.fixture
def team(qa: Any, make_people: Any) -> Any:
    """alpha-lead (a team lead, so a grader) over alpha-01..03, and a QA specialist."""
    make_people(team="alpha", agents=3)
    make_people(rows=[{"id": "qa-1", "name": "Quinn Auditor", "email": "qa-1@example.org"}])
    set_settings(qa, graders=["qa-1"])
    return qa


@pytest.fixture
def imported(team: Any, cli: Any, tmp_path: Path, clock: Any) -> Any:
    """Eight February tickets per agent imported; the clock on 2026-03-02."""
    path = tmp_path / "zendesk.csv"
    path.write_text(zendesk_csv(), encoding="utf-8")
    result = cli("quality", "import-tickets", str(path))
    assert result.exit_code == 0, result.output
    return team


def set_settings(hub: Any, **values: Any) -> None:
    """Change ``[settings.quality]`` for this hub (as editing corehub.toml would)."""
    hub.apply_settings("quality", values)
