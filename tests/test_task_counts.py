"""The HR overview's counts are kept by the database (core migration m011): through every
write they depend on, the rows and counts it keeps hold what the tasks say, and
``Cycles.report`` gives the figures worked out here from scratch, task by task, on any day."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

import attrs
import pytest

from corehub import hookimpl
from corehub.cycles import NO_TEAM
from corehub.models import Person, TaskKind, TaskSpec, TaskStatus
from corehub.storage import migrations
from corehub.testing import count_statements

START, END = dt.date(2026, 1, 1), dt.date(2026, 6, 30)
SELF_DUE, MANAGER_DUE, PEER_DUE = dt.date(2026, 3, 1), dt.date(2026, 4, 1), dt.date(2026, 3, 15)
DAYS = (
    dt.date(2026, 2, 1),
    SELF_DUE,
    dt.date(2026, 3, 2),
    PEER_DUE,
    dt.date(2026, 3, 20),
    MANAGER_DUE,
    dt.date(2026, 5, 1),
)
"""Days the report is asked about: before, on and after each due date."""


class ReviewTasks:
    """A self-assessment for everyone; a manager review after it; a peer review by the
    next agent after both (its own due date); a private pulse after nothing."""

    @hookimpl
    def register_task_kinds(self, hub: Any) -> list[TaskKind]:
        return [TaskKind(name=k) for k in ("self", "manager", "peer", "pulse")]

    @hookimpl
    def cycle_tasks(self, hub: Any, cycle: Any, person: Person) -> list[TaskSpec]:
        tasks = [
            TaskSpec(kind="self", assignee_id=person.id),
            TaskSpec(kind="pulse", assignee_id=person.id, private=True),
        ]
        if person.manager_id:
            tasks.append(TaskSpec(kind="manager", assignee_id=person.manager_id, after=("self",)))
        if person.id.endswith("-01"):
            peer = person.id.removesuffix("-01") + "-02"
            tasks.append(
                TaskSpec(kind="peer", assignee_id=peer, due=PEER_DUE, after=("self", "manager"))
            )
        return tasks


@pytest.fixture
def cycle(hub: Any, register_plugin: Any, make_people: Any) -> Any:
    register_plugin(ReviewTasks(), name="review-tasks")
    hub.people.save([Person(id="boss", name="Boss", team="Management")])
    make_people(team="alpha", agents=3, manager_id="boss")
    make_people(team="beta", agents=2, manager_id="boss")
    hub.people.save([Person(id="nomad", name="No Team", team="", manager_id="boss")])
    hub.cycles.create(
        "2026 H1",
        start=START,
        end=END,
        due={"self": SELF_DUE, "manager": MANAGER_DUE, "pulse": MANAGER_DUE},
    )
    return hub.cycles.open("2026 H1").cycle


def _from_scratch(hub: Any, cycle: Any, today: dt.date) -> dict[str, Any]:
    """The report's figures worked out from each task of the cycle, as the tasks and the
    cycle's members say them: overdue is open past its due date, waiting is open behind
    an open task about the same person, of a kind it comes after, that is not overdue."""
    members = {p.id: p.team for p in hub.cycles.members(cycle)}
    tasks = hub.cycles.tasks(cycle)
    by_kind: dict[str, Counter[str]] = {}
    by_team: dict[str, Counter[str]] = {}
    for task in tasks:
        counted = Counter[str]()
        if task.status is TaskStatus.DONE:
            counted["done"] = 1
        elif task.status is TaskStatus.CANCELLED:
            counted["cancelled"] = 1
        else:
            counted["open"] = 1
            counted["overdue"] = int(task.is_overdue(today))
            counted["waiting"] = int(
                any(
                    other.subject_id == task.subject_id
                    and other.kind in task.after
                    and other.status is TaskStatus.OPEN
                    and not other.is_overdue(today)
                    for other in tasks
                )
            )
        team = members.get(task.subject_id) or NO_TEAM
        by_kind.setdefault(task.kind, Counter()).update(counted)
        by_team.setdefault(team, Counter()).update(counted)
    fields = ("done", "open", "overdue", "waiting", "cancelled")
    return {
        "kinds": {k: tuple(c[f] for f in fields) for k, c in by_kind.items()},
        "teams": {t: tuple(c[f] for f in fields) for t, c in by_team.items()},
        "people": len(members),
    }


def _reported(hub: Any, cycle: Any, today: dt.date) -> dict[str, Any]:
    report = hub.cycles.report(cycle.id, today=today)

    def figures(c: Any) -> tuple[int, ...]:
        return (c.done, c.open, c.overdue, c.waiting, c.cancelled)

    total = figures(report.total)
    assert total == tuple(sum(x) for x in zip(*map(figures, report.by_kind.values()), strict=True))
    return {
        "kinds": {k: figures(c) for k, c in report.by_kind.items()},
        "teams": {t: figures(c) for t, c in report.by_team.items()},
        "people": report.people,
    }


def _stored(hub: Any) -> tuple[set[tuple[Any, ...]], set[tuple[Any, ...]]]:
    rows = set(hub.db.execute(f"SELECT * FROM {migrations.TASK_TEAM_ROWS}").fetchall())
    counts = set(hub.db.execute(f"SELECT * FROM {migrations.TASK_TEAM_COUNTS}").fetchall())
    return rows, counts


def _recounted(hub: Any) -> tuple[set[tuple[Any, ...]], set[tuple[Any, ...]]]:
    """Every task's row worked out from scratch (the storage's own definition of one),
    and their counts and the cycles' members counted here."""
    rows = set(
        hub.db.execute(migrations.TASK_TEAM_ROW_SQL.format(where="true", indexed="")).fetchall()
    )
    counted: Counter[tuple[Any, ...]] = Counter()
    for _, cycle_id, _, team, kind, status, due, waits in rows:
        counted[(cycle_id, "all", "", kind, status, due, waits)] += 1
        counted[(cycle_id, "team", team, "", status, due, waits)] += 1
    for (cycle_id,) in hub.db.execute("SELECT cycle_id FROM cycle_members").fetchall():
        counted[(cycle_id, "members", "", "", "", "", "")] += 1
    return rows, {(*key, n) for key, n in counted.items()}


def _check(hub: Any, *cycles: Any) -> None:
    """What is stored is what the tasks say, and so is every day's report, whole and
    paged."""
    assert _stored(hub) == _recounted(hub)
    for cycle in cycles:
        for day in DAYS:
            expected = _from_scratch(hub, cycle, day)
            assert _reported(hub, cycle, day) == expected, day
        teams = sorted(expected["teams"])
        assert hub.cycles.report_teams(cycle.id) == (len(teams), teams)
        assert hub.cycles.report_teams(cycle.id, offset=1, limit=2) == (len(teams), teams[1:3])
        part = hub.cycles.report(cycle.id, today=DAYS[2], teams=teams[1:3])
        whole = hub.cycles.report(cycle.id, today=DAYS[2])
        assert part.by_team == {t: whole.by_team[t] for t in teams[1:3]}
        assert part.total == whole.total


def test_the_counts_hold_what_the_tasks_say_after_opening(hub: Any, cycle: Any) -> None:
    report = hub.cycles.report(cycle.id, today=DAYS[0])
    assert report.total.waiting and set(report.by_team) == {"alpha", "beta", "Management", NO_TEAM}
    _check(hub, cycle)


def test_through_tasks_done_reopened_cancelled_and_added(hub: Any, cycle: Any) -> None:
    cycles = hub.cycles
    cycles.complete_task(cycles.task(cycle, "self", "alpha-01", "alpha-01"))
    _check(hub, cycle)  # alpha-01's manager review waits no more; the peer review still does
    cycles.complete_task(cycles.task(cycle, "manager", "alpha-lead", "alpha-01"))
    _check(hub, cycle)
    cycles.reopen_task(cycles.task(cycle, "self", "alpha-01", "alpha-01"), reason="again")
    _check(hub, cycle)
    cycles.cancel_task(cycles.task(cycle, "self", "beta-01", "beta-01"), reason="on leave")
    _check(hub, cycle)
    late = attrs.evolve(hub.people.get("alpha-02"))
    cycles.add_tasks(
        cycle,
        late,
        [TaskSpec(kind="peer", assignee_id="alpha-03", due=MANAGER_DUE, after=("pulse",))],
        plugin="review-tasks",
    )
    _check(hub, cycle)


def test_through_tasks_changed_or_deleted_in_the_database(hub: Any, cycle: Any) -> None:
    """Writes no library call makes today still keep the counts: a due date moved, a kind
    renamed, a task given to another person, a task deleted."""
    with hub.atomic() as db:
        db.execute(
            "UPDATE tasks SET due = '2026-05-01' WHERE kind = 'self' AND subject_id = 'beta-02'"
        )
    _check(hub, cycle)
    with hub.atomic() as db:
        db.execute(
            "UPDATE tasks SET kind = 'pulse2' WHERE kind = 'pulse' AND subject_id = 'alpha-01'"
        )
        db.execute("UPDATE tasks SET after = '[\"pulse2\"]' WHERE kind = 'manager'")
    _check(hub, cycle)
    with hub.atomic() as db:
        db.execute(
            "UPDATE tasks SET subject_id = 'beta-01' WHERE kind = 'peer' AND subject_id = 'alpha-01'"
        )
    _check(hub, cycle)
    with hub.atomic() as db:
        db.execute("DELETE FROM tasks WHERE subject_id = 'alpha-02' AND kind = 'self'")
    _check(hub, cycle)


def test_through_people_moving_joining_and_leaving(hub: Any, cycle: Any) -> None:
    people = hub.people
    people.save([attrs.evolve(people.get("alpha-02"), team="beta")])
    _check(hub, cycle)
    people.save([attrs.evolve(people.get("beta-01"), team="")])  # no team any more
    _check(hub, cycle)
    people.save([attrs.evolve(people.get("nomad"), team="gamma")])
    _check(hub, cycle)
    people.save([Person(id="new-1", name="New One", team="delta", manager_id="alpha-lead")])
    hub.cycles.open(cycle.name)  # enrolled in the cycle: their tasks, under their team
    _check(hub, cycle)
    people.set_leaving_date("alpha-03", dt.date(2026, 2, 1))
    people.deactivate_leavers(dt.date(2026, 2, 2))
    _check(hub, cycle)
    with hub.atomic() as db:  # a member no longer: their tasks count under no team
        db.execute("DELETE FROM cycle_members WHERE person_id = 'alpha-01'")
    _check(hub, cycle)
    with hub.atomic() as db:  # and again one
        db.execute(
            "INSERT INTO cycle_members (cycle_id, person_id, enrolled_at) VALUES (?, ?, ?)",
            [cycle.id, "alpha-01", "2026-01-02"],
        )
    _check(hub, cycle)


def test_through_cycles_opened_closed_and_deleted(hub: Any, cycle: Any) -> None:
    cycles = hub.cycles
    cycles.create("2026 H2", start=dt.date(2026, 7, 1), end=dt.date(2026, 12, 31), due={})
    second = cycles.open("2026 H2").cycle
    _check(hub, cycle, second)
    cycles.complete_task(cycles.task(second, "self", "alpha-01", "alpha-01"))
    closed = cycles.close(cycle.name, force=True, reason="budget freeze")  # cancels the open
    assert cycles.report(closed.id).total.open == 0
    _check(hub, closed, second)
    # a closed cycle's counts follow today's teams, as its tasks' report always did
    hub.people.save([attrs.evolve(hub.people.get("alpha-01"), team="beta")])
    _check(hub, closed, second)
    cycles.create("2027 H1", start=dt.date(2027, 1, 1), end=dt.date(2027, 6, 30), due={})
    third = cycles.open("2027 H1").cycle
    with hub.atomic() as db:  # a draft's tasks and members deleted: nothing left counted
        db.execute("UPDATE cycles SET status = 'draft' WHERE id = ?", [third.id])
        db.execute("DELETE FROM tasks WHERE cycle_id = ?", [third.id])
        db.execute("DELETE FROM cycle_members WHERE cycle_id = ?", [third.id])
        db.execute("DELETE FROM cycles WHERE id = ?", [third.id])
    _check(hub, closed, second)
    counted = hub.db.execute(
        f"SELECT count(*) FROM {migrations.TASK_TEAM_COUNTS} WHERE cycle_id = ?", [third.id]
    ).fetchone()[0]
    assert counted == 0


def test_a_workspace_from_before_the_counts_gets_them(hub: Any, cycle: Any) -> None:
    """Upgrading a workspace counts the tasks it already has (closed cycles' too)."""
    hub.cycles.complete_task(hub.cycles.task(cycle, "self", "alpha-01", "alpha-01"))
    hub.cycles.close(cycle.name, force=True, reason="done")
    hub.cycles.create("2026 H2", start=dt.date(2026, 7, 1), end=dt.date(2026, 12, 31), due={})
    second = hub.cycles.open("2026 H2").cycle
    expected = _stored(hub)
    with hub.atomic() as db:
        for name in (migrations.TASK_TEAM_ROWS, migrations.TASK_TEAM_COUNTS):
            db.execute(f"DROP TABLE {name}")
        db.execute(
            "DELETE FROM _sqlite_migrations WHERE migration_set = 'corehub' "
            "AND name = 'm011_task_counts_by_team'"
        )
    hub.migrate()
    assert _stored(hub) == expected
    _check(hub, hub.cycles.get(cycle.id), second)


def test_the_report_reads_counts_not_tasks(hub: Any, cycle: Any) -> None:
    """SQLite's work for a page of the report (virtual-machine steps, counted without a
    clock) stays the same when the cycle has 400 more people in teams after the page: it
    read every task of the cycle (about 40 steps more per person)."""

    def work() -> int:
        with count_statements(hub, unit=100) as ran:
            total, names = hub.cycles.report_teams(cycle.id, limit=3)
            report = hub.cycles.report(cycle.id, today=DAYS[2], teams=names)
        assert total >= 4 and len(report.by_team) == 3
        return ran.steps

    small = work()
    hub.people.save(
        Person(id=f"zz-{n:04}", name=f"Person {n}", team=f"zz-{n // 40:02}", manager_id="boss")
        for n in range(400)
    )
    hub.cycles.open(cycle.name)
    large = work()
    # ten more teams, listed after the page: a few index entries each
    assert large <= small + 10, (small, large)
