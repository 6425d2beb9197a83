"""Shared fixtures: the training tracker registered on the test Hub."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

import corehub_training_tracker.plugin
from corehub.hub import Hub
from corehub.models import Person


@pytest.fixture
def tracker(hub: Hub, register_plugin: Callable[..., Any]) -> Hub:
    """The Hub with the training tracker registered."""
    register_plugin(corehub_training_tracker.plugin, name="training_tracker")
    return hub


@pytest.fixture
def team(tracker: Hub, make_people: Callable[..., list[Person]]) -> list[Person]:
    """alpha-lead (supervisory) and alpha-01..03 (operational), hired long ago."""
    import datetime as dt

    people = make_people(team="alpha", agents=3)
    tracker.people.save(
        [p.__class__(**{**_fields(p), "hire_date": dt.date(2020, 1, 6)}) for p in people]
    )
    return [tracker.people.get(p.id) for p in people]


def _fields(person: Person) -> dict[str, Any]:
    import attrs

    return attrs.asdict(person, recurse=False)
