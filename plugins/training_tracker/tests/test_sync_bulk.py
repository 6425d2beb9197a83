"""``training sync`` at the cost of what it writes: the same assignments, overdue marks,
events, hook calls and result as the rules worked out from scratch, person by person, on
small organizations full of edge cases; a second run changes nothing; and the statements it
runs do not grow with the organization."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import random
import shutil
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corehub import Hub, hookimpl
from corehub.models import Assignment, Level, Person
from corehub.testing import FixedClock, count_statements
from corehub_training_tracker.records import AssignmentRecord
from corehub_training_tracker.training import Training

OPEN = ("assigned", "in_progress", "overdue")
COURSES = (
    "active-listening",
    "clear-writing",
    "complaint-handling",  # needs active-listening first: sync assigns it all the same
    "data-protection",
    "induction",
    "moments-of-truth",
    "product-update",
    "supervisor-coaching",
)
RULES = """rules:
  - {id: beta-writing, course: clear-writing, teams: [beta], due: 2026-04-01}
  - {id: beta-product, course: product-update, teams: [beta], new_hires_within_days: 10}
  - {id: leads-coaching, course: supervisor-coaching, roles: [Team lead]}
  - {id: agents-listen-again, course: active-listening, levels: operational, recertify_months: 18}
"""
"""Rules by team (a person who moved team loses one and gains another), by role, a fixed
due date (overdue as soon as it is made once the day has passed), a second new-hire rule
and a second rule of a course the shipped rules require already."""
LOOKBACK = 90
WINDOW = 30
DEFAULT_DUE = 60


class Spy:
    def __init__(self) -> None:
        self.overdue: list[Assignment] = []

    @hookimpl
    def assignment_overdue(self, hub: Hub, assignment: Assignment) -> None:
        self.overdue.append(assignment)


@pytest.fixture
def fresh(
    tracker: Hub, workspace: Path, tmp_path: Path, register_plugin: Callable[..., Any]
) -> Iterator[Callable[[dt.date], tuple[Hub, Spy]]]:
    """``fresh(today)``: a new workspace with the training tracker, its rules and a spy of
    ``assignment_overdue`` (one per hypothesis example: nothing carries over)."""
    spy = register_plugin(Spy(), name="spy")
    # the migrated, empty database, copied for each workspace
    template = tmp_path / "template.db"
    with contextlib.closing(sqlite3.connect(template)) as copy:
        tracker.db.conn.backup(copy)
    made: list[Hub] = []

    def make(today: dt.date) -> tuple[Hub, Spy]:
        folder = Path(tempfile.mkdtemp(dir=tmp_path))
        (folder / "courses").mkdir()
        shutil.copy(workspace / "corehub.toml", folder / "corehub.toml")
        shutil.copy(template, folder / "corehub.db")
        (folder / "courses" / "rules.yaml").write_text(RULES, encoding="utf-8")
        hub = Hub(folder, clock=FixedClock(f"{today}T09:00:00+00:00"), plugin_manager=tracker.pm)
        hub.migrate()
        made.append(hub)
        spy.overdue.clear()
        return hub, spy

    yield make
    for hub in made:
        hub.close()


def _scenario(hub: Hub, rng: random.Random, today: dt.date) -> None:
    """People (new hires, hires yet to start, veterans, no hire date, inactive, two teams,
    levels and roles), their completions (current, due for recertification, expired, of
    prerequisites) and assignments in every state, written as the plugin stores them."""
    day = lambda lo, hi: today + dt.timedelta(days=rng.randint(lo, hi))  # noqa: E731
    people = []
    for n in range(rng.randint(2, 8)):
        hired = None if rng.random() < 0.1 else day(-1500, 40)
        people.append(
            Person(
                id=f"p{n}",
                name=rng.choice(["Ana", "Bo", "Cy"]),
                team=rng.choice(["alpha", "beta"]),
                level=rng.choice(list(Level)),
                role=rng.choice(["Service desk agent", "Team lead"]),
                hire_date=hired,
                active=rng.random() < 0.85,
            )
        )
    hub.people.save(people)
    stamp = f"{today}T08:00:00+00:00"
    completions = {}
    for person in people:
        for _ in range(rng.randint(0, 4)):
            course = rng.choice(COURSES)
            done = day(-800, 0)
            expires = rng.choice([None, done + dt.timedelta(days=365), day(-40, 80)])
            if expires is not None and expires <= done:
                expires = done + dt.timedelta(days=1)
            completions[person.id, course, done] = {
                "person_id": person.id,
                "course_id": course,
                "completed_on": done.isoformat(),
                "expires_on": expires and expires.isoformat(),
                "source": "manual",
                "recorded_at": stamp,
            }
    assignments = []
    open_pairs = set()
    for person in people:
        for _ in range(rng.randint(0, 4)):
            course = rng.choice(COURSES)
            status = rng.choice([*OPEN, *OPEN, "waived", "completed", "expired"])
            if status in OPEN and (person.id, course) in open_pairs:
                continue
            assigned = day(-400, 5)
            row: dict[str, Any] = {
                "person_id": person.id,
                "course_id": course,
                "assigned_on": assigned.isoformat(),
                "due": None
                if rng.random() < 0.2
                else (assigned + dt.timedelta(days=rng.randint(0, 200))).isoformat(),
                "status": status,
                "source": rng.choice(["manual", "rule:x", "recertification"]),
                "created_at": stamp,
            }
            if status in OPEN:
                open_pairs.add((person.id, course))
                if rng.random() < 0.4:
                    row["started_on"] = assigned.isoformat()
                if rng.random() < 0.3:
                    row["overdue_notified_at"] = rng.choice([stamp, ""])
                if rng.random() < 0.05:  # closed by hand, status left open
                    row["completed_on"] = day(-30, 0).isoformat()
            elif status == "waived":
                row["waived_reason"] = "exempt"
                row["waived_until"] = rng.choice([None, day(-60, 60).isoformat()])
            else:
                row["completed_on"] = (assigned + dt.timedelta(days=3)).isoformat()
                row["expires_on"] = rng.choice([None, day(-100, 100).isoformat()])
            assignments.append(row)
    with hub.atomic() as db:
        db.table("training_completions").insert_all(list(completions.values()))
        db.table("training_assignments").insert_all(assignments)


def _status(row: dict[str, Any], today: str) -> str:
    """An assignment's state on ``today`` (ISO dates compare as text)."""
    if row["status"] == "waived":
        return "waived"
    if row["completed_on"] is not None:
        return "expired" if row["expires_on"] and today >= row["expires_on"] else "completed"
    if row["due"] is not None and today > row["due"]:
        return "overdue"
    return "in_progress" if row["started_on"] is not None else "assigned"


def _expected(hub: Hub, today: dt.date) -> dict[str, Any]:
    """What a sync on ``today`` must do, worked out from the stored rows, person by person
    and course by course, without the plugin's code: the rules, their audiences and dates,
    as docs/training.md states them."""
    day = today.isoformat()
    rules = sorted(Training(hub).catalogue.rules.values(), key=lambda r: r.id)
    people = sorted(
        (p for p in hub.people.list(include_inactive=True) if p.active),
        key=lambda p: (p.team or "", p.name, p.id),
    )
    assignments = [dict(r) for r in hub.db.query("SELECT * FROM training_assignments")]
    completions = [dict(r) for r in hub.db.query("SELECT * FROM training_completions")]
    new: list[dict[str, Any]] = []
    for person in people:
        needs: dict[str, list[Any]] = {}
        for rule in rules:
            if rule.levels and person.level not in rule.levels:
                continue
            if rule.roles and person.role not in rule.roles:
                continue
            if rule.teams and person.team not in rule.teams:
                continue
            if rule.new_hires_within_days is not None:
                on_record = any(
                    r["person_id"] == person.id and r["course_id"] == rule.course_id
                    for r in assignments + completions
                )
                if person.hire_date is None:
                    continue
                if person.hire_date < today - dt.timedelta(days=LOOKBACK) and not on_record:
                    continue
            needs.setdefault(rule.course_id, []).append(rule)
        for course, course_rules in needs.items():
            mine = [
                r for r in assignments if r["person_id"] == person.id and r["course_id"] == course
            ]
            if any(
                r["status"] in OPEN
                or (
                    r["status"] == "waived"
                    and (r["waived_until"] is None or day <= r["waived_until"])
                )
                for r in mine
            ):
                continue
            done = sorted(
                (
                    r
                    for r in completions
                    if r["person_id"] == person.id and r["course_id"] == course
                ),
                key=lambda r: r["completed_on"],
            )
            if done:
                expires = done[-1]["expires_on"]
                if expires is None:
                    continue
                expires_on = dt.date.fromisoformat(expires)
                if today < expires_on - dt.timedelta(days=WINDOW):
                    continue
                due = expires_on if today < expires_on else today + dt.timedelta(days=WINDOW)
                new.append((person.id, course, due, "recertification"))
                continue
            candidates = []
            for rule in course_rules:
                if rule.due is not None:
                    due = rule.due
                elif rule.new_hires_within_days is not None:
                    due = max(
                        person.hire_date + dt.timedelta(days=rule.new_hires_within_days), today
                    )
                else:
                    due = today + dt.timedelta(days=DEFAULT_DUE)
                candidates.append((due, f"rule:{rule.id}"))
            new.append((person.id, course, *min(candidates)))
    next_id = max((r["id"] for r in assignments), default=0) + 1
    created = []
    for n, (person_id, course, due, source) in enumerate(new):
        row = {column.name: None for column in hub.db["training_assignments"].columns}
        row.update(
            id=next_id + n,
            person_id=person_id,
            course_id=course,
            assigned_on=day,
            due=due.isoformat(),
            status="assigned",
            source=source,
            started_on=None,
            completed_on=None,
            expires_on=None,
            overdue_notified_at=None,
            waived_until=None,
            created_by=hub.actor,
        )
        created.append(row)
    as_made = {r["id"]: dict(r) for r in created}
    after = {r["id"]: dict(r) for r in assignments + created}
    overdue = []
    for row in sorted(
        (r for r in after.values() if r["status"] in OPEN),
        key=lambda r: (r["assigned_on"], r["id"]),
    ):
        status = _status(row, day)
        if status == "overdue" and not row["overdue_notified_at"]:
            row["overdue_notified_at"] = f"{day}T09:00:00+00:00"
            overdue.append(row["id"])
        row["status"] = status
    expired = []
    for row in sorted(after.values(), key=lambda r: r["id"]):
        if row["status"] == "completed" and row["expires_on"] and row["expires_on"] <= day:
            row["status"] = "expired"
            expired.append(row["id"])
    return {
        "created": [r["id"] for r in created],
        "as_made": as_made,
        "overdue": overdue,
        "expired": expired,
        "rows": after,
    }


def _table(hub: Hub) -> dict[int, dict[str, Any]]:
    rows = hub.db.query("SELECT * FROM training_assignments")
    return {r["id"]: {k: v for k, v in r.items() if k != "created_at"} for r in rows}


def _events(hub: Hub, since: int) -> list[tuple[str, str, str, Any]]:
    return [
        (e["action"], e["entity"], e["entity_id"], json.loads(e["after"]))
        for e in hub.db.query("SELECT * FROM events WHERE id > ? ORDER BY id", [since])
    ]


def _last_event(hub: Hub) -> int:
    return hub.db.execute("SELECT coalesce(max(id), 0) FROM events").fetchone()[0]


def _sync_as_expected(hub: Hub, spy: Spy, today: dt.date) -> dict[str, Any]:
    """Run a sync and check it did what :func:`_expected` says, in every respect."""
    expected = _expected(hub, today)
    since = _last_event(hub)
    heard = len(spy.overdue)

    result = Training(hub).sync()

    stored = _table(hub)
    want = {
        i: {k: v for k, v in row.items() if k != "created_at"}
        for i, row in expected["rows"].items()
    }
    # the rows that differ, side by side
    assert {i: r for i, r in stored.items() if want.get(i) != r} == {
        i: r for i, r in want.items() if stored.get(i) != r
    }
    assert [r.id for r in result.created] == expected["created"]
    assert [r.id for r in result.overdue] == expected["overdue"]
    assert [r.id for r in result.expired] == expected["expired"]
    # each record returned is the assignment as stored when it was made (one made overdue
    # is marked after), found overdue or expired
    for record in result.created:
        assert record == AssignmentRecord.from_row(expected["as_made"][record.id])
    for record in (*result.overdue, *result.expired):
        assert record == AssignmentRecord.from_row(stored[record.id])
    # events: one per assignment made, then one per assignment found overdue, in order
    plain = {i: AssignmentRecord.from_row(row).plain(today) for i, row in stored.items()}
    assert _events(hub, since) == [
        *[
            ("training.assigned", "training_assignment", str(i), plain[i])
            for i in expected["created"]
        ],
        *[
            ("training.overdue", "training_assignment", str(i), plain[i])
            for i in expected["overdue"]
        ],
    ]
    assert spy.overdue[heard:] == [
        AssignmentRecord.from_row(stored[i]).to_model(today) for i in expected["overdue"]
    ]
    return expected


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(seed=st.integers(0, 2**32), offset=st.integers(0, 364))
def test_sync_does_what_the_rules_say_from_scratch_and_then_nothing(fresh, seed, offset):
    today = dt.date(2026, 1, 1) + dt.timedelta(days=offset)
    hub, spy = fresh(today)
    _scenario(hub, random.Random(seed), today)
    # an open assignment someone closed by hand (completed_on set, status left open) is
    # settled by the first run, after the rules were applied: the second may then assign
    # the course again. Otherwise the second run the same day finds nothing to do.
    by_hand = hub.db.execute(
        "SELECT count(*) FROM training_assignments WHERE completed_on IS NOT NULL "
        "AND status IN ('assigned', 'in_progress', 'overdue')"
    ).fetchone()[0]
    _sync_as_expected(hub, spy, today)
    stored = _table(hub)
    since = _last_event(hub)
    second = _sync_as_expected(hub, spy, today)
    if not by_hand:
        assert (second["created"], second["overdue"], second["expired"]) == ([], [], [])
        assert _table(hub) == stored
        assert _events(hub, since) == []
    third = _sync_as_expected(hub, spy, today)
    assert (third["created"], third["overdue"], third["expired"]) == ([], [], [])


def test_a_failing_listener_leaves_nothing_written(fresh, register_plugin):
    """One transaction: assignments, marks and events all roll back with a failing hook."""
    today = dt.date(2026, 5, 4)
    hub, _ = fresh(today)
    hub.people.save(
        [Person(id="b1", name="Bo", team="beta", level=Level.OPERATIONAL, hire_date=today)]
    )

    class Failing:
        @hookimpl
        def assignment_overdue(self, hub: Hub, assignment: Assignment) -> None:
            raise RuntimeError("mail server down")

    register_plugin(Failing(), name="failing")
    before = _last_event(hub)
    with pytest.raises(Exception, match=r"mail server down|failing"):
        Training(hub).sync()  # beta-writing was due 2026-04-01: overdue when made
    assert hub.db["training_assignments"].count == 0
    assert _last_event(hub) == before


# -- what it costs ---------------------------------------------------------------------------


def _org(hub: Hub, teams: int, today: dt.date) -> None:
    """``teams`` teams of a lead and five agents hired long ago, each holding every course
    the rules require of them (nothing for sync to do), and one team of new hires."""
    people = []
    for t in range(teams):
        people.append(
            Person(
                id=f"lead{t}",
                name=f"Lead {t}",
                team=f"t{t}",
                level=Level.SUPERVISORY,
                role="Team lead",
                hire_date=dt.date(2019, 3, 1),
            )
        )
        people += [
            Person(
                id=f"a{t}-{n}",
                name=f"Agent {t} {n}",
                team=f"t{t}",
                manager_id=f"lead{t}",
                hire_date=dt.date(2020, 5, 1),
            )
            for n in range(5)
        ]
    hub.people.save(people)
    training = Training(hub)
    done = []
    for person in hub.people.list():
        person_id, needs = person.id, training.required(person)
        done += [
            {
                "person_id": person_id,
                "course_id": course,
                "completed_on": (today - dt.timedelta(days=20)).isoformat(),
                "source": "manual",
                "recorded_at": f"{today}T08:00:00+00:00",
            }
            for course in needs
        ]
    with hub.atomic() as db:
        db.table("training_completions").insert_all(done)


def _new_hires(hub: Hub, today: dt.date, count: int = 4) -> None:
    hub.people.save(
        [Person(id=f"new{n}", name=f"New {n}", team="new", hire_date=today) for n in range(count)]
    )


def _sync_statements(fresh: Any, teams: int) -> tuple[int, Any]:
    today = dt.date(2026, 3, 2)
    hub, _ = fresh(today)
    _org(hub, teams, today)
    _new_hires(hub, today)
    # an assignment that turns overdue today, of someone in the first team
    hub.db["training_assignments"].insert(
        {
            "person_id": "a0-0",
            "course_id": "clear-writing",
            "assigned_on": "2026-01-05",
            "due": "2026-03-01",
            "status": "assigned",
            "source": "manual",
            "created_at": "2026-01-05T09:00:00+00:00",
        }
    )
    with count_statements(hub) as ran:
        result = Training(hub).sync()
    assert len(result.created) == 4 * 5 and len(result.overdue) == 1, result
    return len(ran), ran


def test_sync_runs_the_same_statements_for_an_organization_four_times_larger(fresh):
    """Four new hires to assign and one assignment overdue in an organization of 2 teams,
    then of 8: the same statements (the old sync ran two lookups per person and course)."""
    small, _ = _sync_statements(fresh, 2)
    large, ran = _sync_statements(fresh, 8)
    assert large == small, "\n".join(ran.statements)
    assert large < 40, "\n".join(ran.statements)


def test_sync_writes_by_batches(fresh):
    """Four new hires or 120: a few statements more, not one or more per assignment."""
    counts = []
    for hires in (4, 120):
        today = dt.date(2026, 3, 2)
        hub, _ = fresh(today)
        _new_hires(hub, today, hires)
        with count_statements(hub) as ran:
            result = Training(hub).sync()
        assert len(result.created) == 5 * hires
        counts.append(len(ran))
    # rows go in by batches (insert_all): fewer than one more statement per ten more rows,
    # where the old sync ran several statements per assignment
    assert counts[1] - counts[0] < (120 - 4) * 5 / 10, counts


def test_a_second_sync_reads_the_same_few_statements(fresh):
    today = dt.date(2026, 3, 2)
    hub, _ = fresh(today)
    _org(hub, 3, today)
    Training(hub).sync()
    with count_statements(hub) as ran:
        result = Training(hub).sync()
    assert (result.created, result.overdue, result.expired) == ((), (), ())
    assert len(ran) < 15, "\n".join(ran.statements)
    assert not any(s.lstrip().upper().startswith(("INSERT", "UPDATE")) for s in ran)


# -- assign and required_of, read at once --------------------------------------------------


def test_required_of_is_required_person_by_person(fresh):
    rng = random.Random(5)
    today = dt.date(2026, 6, 1)
    hub, _ = fresh(today)
    _scenario(hub, rng, today)
    training = Training(hub)
    people = hub.people.list()
    assert training.required_of(people) == {p.id: training.required(p) for p in people}


def test_assign_many_gives_each_person_what_one_at_a_time_would(fresh):
    today = dt.date(2026, 3, 2)
    hub, _ = fresh(today)
    hub.people.save(
        [
            Person(id=f"a{n}", name=f"A {n}", team="alpha", hire_date=dt.date(2020, 1, 1))
            for n in range(5)
        ]
    )
    training = Training(hub)
    people = {p.id: p for p in hub.people.list()}
    # a0 holds it, a1 has it open (overdue), a2 completed it long ago (expired)
    training.complete("a0", "data-protection", dt.date(2026, 1, 10))
    training.assign(
        "data-protection",
        [people["a1"]],
        due=dt.date(2026, 2, 1),
        assigned_on=dt.date(2026, 1, 5),
        check_permission=False,
    )
    training.complete("a2", "data-protection", dt.date(2024, 1, 10))
    since = _last_event(hub)
    named = [people[i] for i in ("a3", "a0", "a1", "a2", "a3", "a4")]
    result = training.assign("data-protection", named, due=dt.date(2026, 4, 1))
    assert [(r.person_id, r.due) for r in result.created] == [
        ("a3", dt.date(2026, 4, 1)),
        ("a2", dt.date(2026, 4, 1)),
        ("a4", dt.date(2026, 4, 1)),
    ]
    made = {r.person_id: r.id for r in result.created}
    (a1_open,) = training.assignments(person_ids=["a1"], open_only=True)
    assert {k: str(v) for k, v in result.skipped.items()} == {
        "a3": f"already assigned (#{made['a3']}, assigned)",
        "a0": "already completed on 2026-01-10, valid until 2027-01-10",
        "a1": f"already assigned (#{a1_open.id}, overdue)",
    }
    assert list(result.skipped) == ["a0", "a1", "a3"]  # in the order they came up
    for record in result.created:
        assert training.assignment(record.id) == record
    assert _events(hub, since) == [
        ("training.assigned", "training_assignment", str(r.id), r.plain(today))
        for r in result.created
    ]


def test_assigning_a_team_of_thirty_runs_the_statements_of_a_team_of_three(fresh):
    """Each person's open assignment and latest completion are read at once (the old
    assign looked both up person by person and inserted one at a time)."""
    counts = []
    for size in (3, 30):
        today = dt.date(2026, 3, 2)
        hub, _ = fresh(today)
        hub.people.save([Person(id=f"a{n}", name=f"A {n}", team="alpha") for n in range(size)])
        training = Training(hub)
        people = hub.people.list()
        training.complete("a0", "clear-writing", dt.date(2026, 2, 2))
        with count_statements(hub) as ran:
            result = training.assign("clear-writing", people, due=None)
        assert len(result.created) == size - 1 and list(result.skipped) == ["a0"]
        counts.append(len(ran))
    assert counts[0] == counts[1], counts


def test_assign_refuses_the_first_person_the_actor_does_not_manage(fresh):
    from corehub.errors import PermissionDeniedError

    today = dt.date(2026, 3, 2)
    hub, _ = fresh(today)
    hub.people.save(
        [
            Person(id="lead", name="Lead", team="alpha", level=Level.SUPERVISORY),
            Person(id="a1", name="A 1", team="alpha", manager_id="lead"),
            Person(id="b1", name="B 1", team="beta"),
            Person(id="b2", name="B 2", team="beta"),
        ]
    )
    lead = Hub(hub.workspace, clock=hub.clock, plugin_manager=hub.pm, actor="lead")
    try:
        training = Training(lead)
        people = {p.id: p for p in lead.people.list()}
        with pytest.raises(PermissionDeniedError, match="lead does not manage b1"):
            training.assign("clear-writing", [people["a1"], people["b1"], people["b2"]], due=None)
        with pytest.raises(PermissionDeniedError, match="lead does not manage lead"):
            training.assign("clear-writing", [people["lead"]], due=None)
        assert lead.db["training_assignments"].count == 0
        assert [
            r.person_id for r in training.assign("clear-writing", [people["a1"]], due=None).created
        ] == ["a1"]
    finally:
        lead.close()
