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


def _steps(hub: Hub, team: str) -> int:
    """SQLite's virtual-machine steps to gather ``team``'s summary in ``hub``."""
    renderer = renderer_for(hub)
    report = renderer.summary_report(hub.cycles.get("2027 H1"), team)
    steps = [0]

    def step() -> int:
        steps[0] += 1
        return 0

    hub.db.conn.set_progress_handler(step, 1)
    try:
        renderer.gather(report)
    finally:
        hub.db.conn.set_progress_handler(None, 0)
    return steps[0]


def _answer(hub_at: Any, people_ids: list[str], day: dt.date, suggest: bool) -> None:
    """Everyone in ``people_ids`` answers the pulse on ``day`` (and some suggest something)."""
    from corehub_feedback import kinds, store

    hub = hub_at(day)
    for i, person_id in enumerate(people_ids):
        store.give(hub, kind=kinds.PULSE, rating=(i * 7) % 11, actor=person_id)
        if suggest and i % 3 == 0:
            store.give(
                hub, kind=kinds.SUGGESTION, text=f"Idea {i} from {person_id}", actor=person_id
            )
    hub.close()


def test_a_team_summary_costs_what_its_team_holds_in_an_organization_four_times_the_size(
    demo_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The eNPS by team (an anonymity decision over every team's answers), the
    organization's suggestions and its closed grader calibrations appear in every team
    summary: a render run works them out once, so the next summary of the run runs as many
    SQLite steps whether the organization has N people or 4N who all answer, suggest and
    coach one another (a team's coaches are found by its people and its name)."""
    from corehub_training_tracker.credentials import Credentials
    from corehub_training_tracker.training import Training

    monkeypatch.delenv("COREHUB_WORKSPACE", raising=False)
    _renderers.clear()

    def hub_at(day: dt.date) -> Hub:
        moment = dt.datetime(day.year, day.month, day.day, 9, tzinfo=dt.UTC)
        return Hub(demo_copy, clock=FixedClock(moment), actor="hr")

    hub = hub_at(dt.date(2027, 1, 4))
    created = hub.cycles.create("2027 H1", start=dt.date(2027, 1, 1), end=dt.date(2027, 6, 30))
    hub.cycles.open(created.name)
    members = hub.cycles.members(created)
    everyone = [p.id for p in hub.people.list() if p.active and not p.has_left(dt.date(2027, 3, 1))]
    team = next(p for p in members if p.level is Level.OPERATIONAL).team
    other = next(p.team for p in members if p.team and p.team != team)
    director = next(p for p in hub.people.list(level="directive"))
    hub.close()
    for month in (1, 2):
        _answer(hub_at, everyone, dt.date(2027, month, 12), suggest=month == 1)

    def one_summary_after_another() -> int:
        _renderers.clear()
        run = hub_at(dt.date(2027, 3, 2))  # January and February are over: published
        _steps(run, other)  # the run's first summary works out what all summaries share
        steps = _steps(run, team)
        run.close()
        return steps

    before = one_summary_after_another()
    assert before > 0

    grown = hub_at(dt.date(2027, 1, 4))
    newcomers = []
    for t in range(len(everyone) // 13 * 3 + 3):  # three times the organization, in teams of 13
        lead = Person(
            id=f"osl-{t}-lead",
            name=f"Ola Nordmann {t}",
            role="Supervisor",
            team=f"Oslo {t}",
            level=Level.SUPERVISORY,
            manager_id=director.id,
        )
        agents = [
            Person(
                id=f"osl-{t}-{i:02d}",
                name=f"Kari Nordmann {t}-{i}",
                role="Agent",
                team=f"Oslo {t}",
                manager_id=lead.id,
            )
            for i in range(12)
        ]
        newcomers.extend([lead, *agents])
    grown.people.save(newcomers)
    grown.cycles.open("2027 H1")
    coaching = Credentials(Training(grown))
    for lead in (p for p in newcomers if p.id.endswith("-lead")):
        coaching.assign_coach(lead.id, team=lead.team)  # as the demo's leads coach their teams
        coaching.assign_coach(lead.id, person_ids=[f"{lead.id[:-5]}-00"])
    assert len(grown.people.list()) >= 4 * len(everyone)
    grown.close()
    for month in (1, 2):
        _answer(hub_at, [p.id for p in newcomers], dt.date(2027, month, 20), suggest=month == 1)

    assert one_summary_after_another() == before
