"""Shared fixtures: the training tracker registered on the test Hub, and a small team."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs
import pytest

import corehub_training_tracker.plugin
from corehub import Hub, hookimpl
from corehub.models import Assignment, Person
from corehub.testing import CliResult, run_cli


@pytest.fixture
def tracker(hub: Hub, register_plugin: Callable[..., Any]) -> Hub:
    """The Hub with the training tracker registered."""
    register_plugin(corehub_training_tracker.plugin, name="training_tracker")
    return hub


@pytest.fixture
def team(tracker: Hub, make_people: Callable[..., list[Person]]) -> list[Person]:
    """alpha-lead (supervisory) and alpha-01..03 (operational), all hired in 2020."""
    people = make_people(team="alpha", agents=3)
    tracker.people.save([attrs.evolve(p, hire_date=dt.date(2020, 1, 6)) for p in people])
    return [tracker.people.get(p.id) for p in people]


class EventSpy:
    """A plugin recording the training events it receives."""

    def __init__(self) -> None:
        self.completed: list[Assignment] = []
        self.overdue: list[Assignment] = []

    @hookimpl
    def assignment_completed(self, hub: Hub, assignment: Assignment) -> None:
        self.completed.append(assignment)

    @hookimpl
    def assignment_overdue(self, hub: Hub, assignment: Assignment) -> None:
        self.overdue.append(assignment)


@pytest.fixture
def spy(tracker: Hub, register_plugin: Callable[..., Any]) -> EventSpy:
    spy = EventSpy()
    register_plugin(spy, name="spy")
    return spy


@pytest.fixture
def courses_dir(tracker: Hub) -> Path:
    """The workspace's courses/ folder."""
    folder = tracker.path("courses")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def hub_with_settings(
    tracker: Hub, workspace: Path, clock: Any
) -> Callable[..., tuple[Hub, Callable[..., CliResult]]]:
    """A second Hub on the same workspace, with ``[settings.training_tracker]`` written."""
    hubs: list[Hub] = []

    def make(**values: Any) -> tuple[Hub, Callable[..., CliResult]]:
        import json

        config = workspace / "corehub.toml"
        lines = ["", "[settings.training_tracker]"]
        for key, value in values.items():
            if isinstance(value, dict):
                inner = ", ".join(f"{json.dumps(k)} = {json.dumps(v)}" for k, v in value.items())
                lines.append(f"{key} = {{ {inner} }}")
            else:
                lines.append(f"{key} = {json.dumps(value)}")
        config.write_text(
            config.read_text(encoding="utf-8") + "\n".join(lines) + "\n", encoding="utf-8"
        )
        other = Hub(workspace, clock=clock, plugin_manager=tracker.pm, actor=tracker.actor)
        hubs.append(other)
        return other, lambda *args: run_cli(other, *args)

    yield make
    for other in hubs:
        other.close()
