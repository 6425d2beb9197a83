"""Fixtures for the feedback plugin's tests: the plugin registered, and an organization."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

import corehub_feedback.plugin
from corehub.models import Level


@pytest.fixture
def fb(hub: Any, register_plugin: Any) -> Any:
    """The feedback plugin registered on ``hub``."""
    register_plugin(corehub_feedback.plugin, name="feedback")
    return hub


@pytest.fixture
def org(fb: Any, make_people: Any) -> Any:
    """A director over two teams: alpha (lead + 6 agents) and beta (lead + 2 agents)."""
    make_people(
        rows=[
            {"id": "boss", "name": "Dora Director", "level": Level.DIRECTIVE, "team": "Management"},
        ]
    )
    make_people(team="alpha", agents=6, manager_id="boss")
    make_people(team="beta", agents=2, manager_id="boss")
    return fb


@pytest.fixture
def open_cycle(org: Any) -> Any:
    org.cycles.create("2026 H1", start=dt.date(2026, 1, 1), end=dt.date(2026, 6, 30))
    return org.cycles.open("2026 H1").cycle


def set_settings(hub: Any, **values: Any) -> None:
    """Change ``[settings.feedback]`` for this hub (as editing corehub.toml would)."""
    hub.apply_settings("feedback", values)
