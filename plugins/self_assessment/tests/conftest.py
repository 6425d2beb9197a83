"""Fixtures: the plugin registered on a fresh hub, a team, and an open cycle."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

import corehub_self_assessment.plugin
from corehub import Hub
from corehub.models import Cycle, Level, Person


@pytest.fixture
def plugin(register_plugin: Callable[..., Any]) -> Any:
    return register_plugin(corehub_self_assessment.plugin, name="self_assessment")


@pytest.fixture
def team(hub: Hub, plugin: Any, make_people: Callable[..., list[Person]]) -> list[Person]:
    """A director, a supervisor (alpha-lead) reporting to them, and three agents."""
    director = Person(
        id="boss",
        name="Isabel Director",
        role="Service desk director",
        level=Level.DIRECTIVE,
        team="Management",
    )
    hub.people.save([director])
    return [director, *make_people(team="alpha", agents=3, manager_id="boss")]


@pytest.fixture
def cycle(hub: Hub, team: list[Person]) -> Cycle:
    """Cycle "2026 H1", opened on 2026-03-02: self due 03-20, manager due 04-10."""
    hub.cycles.create(
        "2026 H1",
        start=dt.date(2026, 1, 1),
        end=dt.date(2026, 6, 30),
        due={"self": dt.date(2026, 3, 20), "manager": dt.date(2026, 4, 10)},
    )
    return hub.cycles.open("2026 H1").cycle


GOOD_SELF = {
    "communication": 4,
    "active_listening": 5,
    "complaint_handling": 3,
    "problem_solving": 4,
    "product_knowledge": 3,
    "stress_handling": "n/a",
    "knowledge_sharing": 2,
    "teamwork": 4,
    "strengths": "Calm with upset customers.",
    "improvements": "Write more knowledge articles that others can reuse.",
    "goals_next": [
        {
            "objective": "Better first-contact resolution",
            "result": "FCR at 75% or more",
            "due": "2026-12-31",
        }
    ],
    "suggestions": "A shared macro library for the most common password resets.",
}

GOOD_MANAGER = {
    **{k: v for k, v in GOOD_SELF.items() if k != "suggestions"},
    "active_listening": 3,
    "knowledge_sharing": 1,
    "stress_handling": 4,
    "overall": "met expectations",
    "suggestions_response": "Agreed: we will pilot a macro library next quarter.",
}


@pytest.fixture
def answers() -> dict[str, dict[str, Any]]:
    return {"self": dict(GOOD_SELF), "manager": dict(GOOD_MANAGER)}
