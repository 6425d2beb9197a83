"""What a packet or a team summary reads follows its person or team, not the organization.

Runs on a copy of the demo workspace with every shipped plugin: a packet and a team
summary are gathered, 60 more people join the organization (and the cycle) in a team of
their own, and the same documents are gathered again. Had any section read the whole
organization's people or tasks, it would now read 60 more of them.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from corehub import cycles, people
from corehub.clock import FixedClock
from corehub.hub import Hub
from corehub.models import Level, Person
from corehub.render.documents import _renderers, renderer_for


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """How many people and tasks were read from the database (made into records)."""
    seen: Counter[str] = Counter()
    to_person, to_task = people._to_person, cycles._to_task

    def person(row: Any) -> Person:
        seen["people"] += 1
        return to_person(row)

    def task(row: Any) -> Any:
        seen["tasks"] += 1
        return to_task(row)

    monkeypatch.setattr(people, "_to_person", person)
    monkeypatch.setattr(cycles, "_to_task", task)
    return seen


def _reads(hub: Hub, counted: Counter[str], kind: str, key: str) -> Counter[str]:
    renderer = renderer_for(hub)
    cycle = hub.cycles.get("2027 H1")
    report = (
        renderer.packet_report(cycle, key)
        if kind == "packet"
        else renderer.summary_report(cycle, key)
    )
    counted.clear()
    renderer.gather(report)
    return Counter(counted)


def test_packets_and_team_summaries_read_the_same_whatever_joins_the_organization(
    demo_copy: Path, counted: Counter[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("COREHUB_WORKSPACE", raising=False)
    _renderers.clear()
    hub = Hub(demo_copy, clock=FixedClock(dt.datetime(2027, 2, 1, 9, tzinfo=dt.UTC)), actor="hr")
    created = hub.cycles.create("2027 H1", start=dt.date(2027, 1, 1), end=dt.date(2027, 6, 30))
    hub.cycles.open(created.name)
    agent = next(p for p in hub.cycles.members(created) if p.level is Level.OPERATIONAL)
    director = next(p for p in hub.people.list(level="directive"))
    before = {
        "packet": _reads(hub, counted, "packet", agent.id),
        "summary": _reads(hub, counted, "summary", agent.team),
        "manager's packet": _reads(hub, counted, "packet", agent.manager_id or ""),
    }
    assert before["summary"]["people"] > 0 and before["summary"]["tasks"] > 0

    lead = Person(
        id="osl-lead", name="Ola Nordmann", role="Supervisor", team="Oslo", level=Level.SUPERVISORY
    )
    newcomers = [
        Person(
            id=f"osl-{i:02d}",
            name=f"Kari Nordmann {i}",
            role="Agent",
            team="Oslo",
            manager_id="osl-lead",
        )
        for i in range(59)
    ]
    hub.people.save(
        [
            Person(
                **{**hub.unstructure(lead), "level": Level.SUPERVISORY, "manager_id": director.id}
            ),
            *newcomers,
        ]
    )
    assert len(hub.cycles.open("2027 H1").enrolled) == 60
    after = {
        "packet": _reads(hub, counted, "packet", agent.id),
        "summary": _reads(hub, counted, "summary", agent.team),
        "manager's packet": _reads(hub, counted, "packet", agent.manager_id or ""),
    }
    assert after == before
    hub.close()
