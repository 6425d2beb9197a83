"""Review cycles: open once and atomically, track at a glance, close and stay frozen."""

from __future__ import annotations

import datetime as dt

import pytest

from corehub import hookimpl
from corehub.errors import CorehubError, FrozenError, PluginError, ValidationError
from corehub.models import CycleStatus, TaskKind, TaskSpec, TaskStatus

START, END = dt.date(2026, 1, 1), dt.date(2026, 6, 30)


class ReviewTasks:
    """A small plugin: a self-assessment for everyone, a manager review after it."""

    def __init__(self):
        self.enrolled, self.opened, self.closed, self.completed = [], [], [], []

    @hookimpl
    def register_task_kinds(self, hub):
        return [TaskKind(name="self"), TaskKind(name="manager")]

    @hookimpl
    def cycle_tasks(self, hub, cycle, person):
        tasks = [TaskSpec(kind="self", assignee_id=person.id)]
        if person.manager_id:
            tasks.append(TaskSpec(kind="manager", assignee_id=person.manager_id, after=("self",)))
        return tasks

    @hookimpl
    def person_enrolled(self, hub, cycle, person):
        # Tasks exist by the time a person is announced.
        assert hub.cycles.tasks(cycle, subject_id=person.id)
        self.enrolled.append(person.id)

    @hookimpl
    def cycle_opened(self, hub, cycle):
        assert cycle.status is CycleStatus.OPEN
        self.opened.append(cycle.name)

    @hookimpl
    def task_completed(self, hub, task):
        self.completed.append((task.kind, task.assignee_id, task.status))

    @hookimpl
    def cycle_closed(self, hub, cycle):
        self.closed.append((cycle.name, cycle.status))


@pytest.fixture
def tasks_plugin(register_plugin):
    return register_plugin(ReviewTasks(), name="review-tasks")


@pytest.fixture
def team(make_people):
    return make_people(team="alpha", agents=3)


def test_create_validates_everything_at_once(hub, cli):
    result = cli(
        "cycle",
        "create",
        "H1",
        "--start",
        "2026-06-01",
        "--end",
        "2026-01-01",
        "--due",
        "Self=2025-01-01",
        "--scope",
        "bogus",
    )
    assert result.exit_code == 1
    assert "unknown scope" in result.stderr
    with pytest.raises(ValidationError) as info:
        hub.cycles.create(
            "H1",
            start=dt.date(2026, 6, 1),
            end=dt.date(2026, 1, 1),
            due={"Self": dt.date(2025, 1, 1)},
        )
    problems = "\n".join(info.value.problems)
    assert "end 2026-01-01 is before start 2026-06-01" in problems
    assert "the task kind must be lowercase" in problems
    assert "before the cycle starts" in problems
    assert cli("cycle", "create", "H1", "--start", "2026-01-01", "--end", "2026-xx").exit_code == 2
    hub.cycles.create("H1", start=START, end=END, allow_empty=True)
    with pytest.raises(ValidationError, match="already exists"):
        hub.cycles.create("H1", start=START, end=END, allow_empty=True)
    with pytest.raises(ValidationError, match="unknown level"):
        hub.cycles.create("H2", start=START, end=END, scope=["level:junior"])


def test_open_enrols_scope_creates_tasks_and_fires_events_once(hub, cli, tasks_plugin, team):
    assert (
        cli(
            "cycle",
            "create",
            "2026 H1",
            "--start",
            "2026-01-01",
            "--end",
            "2026-06-30",
            "--due",
            "self=2026-02-01",
        ).exit_code
        == 0
    )
    first = cli("cycle", "open", "2026 H1")
    assert first.exit_code == 0, first.output
    assert "enrolled 4 people, created 7 tasks" in first.stdout
    second = cli("cycle", "open", "2026 H1")
    assert "nobody new to enrol" in second.stdout
    cycle = hub.cycles.get("2026 H1")
    assert len(hub.cycles.tasks(cycle)) == 7
    assert tasks_plugin.opened == ["2026 H1"]
    assert sorted(tasks_plugin.enrolled) == sorted(p.id for p in team)
    self_task = hub.cycles.task(cycle, "self", "alpha-01")
    assert self_task.due == dt.date(2026, 2, 1) and self_task.plugin == "review-tasks"
    assert hub.cycles.task(cycle, "manager", "alpha-lead", "alpha-01").due == END


def test_reopening_enrols_only_newcomers(hub, tasks_plugin, team, make_people):
    hub.cycles.create("H1", start=START, end=END, scope=["team:alpha"])
    hub.cycles.open("H1")
    make_people(
        rows=[{"id": "new-1", "name": "New Hire", "team": "alpha", "manager_id": "alpha-lead"}]
    )
    make_people(rows=[{"id": "other", "name": "Other Team", "team": "beta"}])
    result = hub.cycles.open("H1")
    assert result.enrolled == ("new-1",)
    assert result.tasks_created == 2
    assert "other" not in {p.id for p in hub.cycles.members(result.cycle)}


def test_scope_union_of_team_level_role_and_person(hub, make_people):
    make_people(team="alpha", agents=2)
    make_people(team="beta", agents=2)
    cycle = hub.cycles.create(
        "H1", start=START, end=END, scope=["team:alpha", "level:supervisory", "person:beta-02"]
    )
    ids = {p.id for p in hub.cycles.people_in_scope(cycle)}
    assert ids == {"alpha-lead", "alpha-01", "alpha-02", "beta-lead", "beta-02"}


def test_a_failing_plugin_rolls_back_the_whole_opening_and_is_named(
    hub, register_plugin, tasks_plugin, team
):
    class Broken:
        @hookimpl
        def person_enrolled(self, hub, cycle, person):
            if person.id == "alpha-03":
                raise RuntimeError("disk full")

    register_plugin(Broken(), name="broken-plugin")
    hub.cycles.create("H1", start=START, end=END)
    with pytest.raises(
        PluginError,
        match="plugin 'broken-plugin' failed in hook person_enrolled: RuntimeError: disk full",
    ):
        hub.cycles.open("H1")
    cycle = hub.cycles.get("H1")
    assert cycle.status is CycleStatus.DRAFT
    assert hub.cycles.tasks(cycle) == []
    assert hub.cycles.members(cycle) == []
    assert [e.action for e in hub.audit.events(entity="cycle")] == ["cycle.created"]


def test_a_task_for_an_unknown_person_names_the_plugin(hub, register_plugin, team):
    class Sloppy:
        @hookimpl
        def cycle_tasks(self, hub, cycle, person):
            return [TaskSpec(kind="peer", assignee_id="nobody")]

    register_plugin(Sloppy(), name="sloppy")
    hub.cycles.create("H1", start=START, end=END)
    with pytest.raises(PluginError, match="plugin 'sloppy' asked for a 'peer' task for 'nobody'"):
        hub.cycles.open("H1")


def test_status_counts_done_open_overdue_and_waiting(hub, cli, clock, tasks_plugin, team):
    hub.cycles.create("H1", start=START, end=END, due={"self": dt.date(2026, 4, 1)})
    cycle = hub.cycles.open("H1").cycle
    hub.cycles.complete_task(hub.cycles.task(cycle, "self", "alpha-01"), by="alpha-01")
    assert tasks_plugin.completed == [("self", "alpha-01", TaskStatus.DONE)]
    waiting = hub.cycles.task(cycle, "manager", "alpha-lead", "alpha-02")
    assert not hub.cycles.is_available(waiting)
    status = cli("cycle", "status", "H1", "--json").json()
    assert status["by_kind"]["self"] == {
        "done": 1,
        "open": 3,
        "overdue": 0,
        "waiting": 0,
        "cancelled": 0,
    }
    assert (
        status["by_kind"]["manager"]["waiting"] == 2
    )  # alpha-02 and alpha-03 have not self-assessed
    clock.set("2026-04-05")  # self-assessments are now overdue: managers may start anyway
    assert hub.cycles.is_available(waiting)
    status = cli("cycle", "status", "H1", "--json").json()
    assert status["by_kind"]["self"]["overdue"] == 3
    assert status["by_kind"]["manager"]["waiting"] == 0
    assert status["by_team"]["alpha"]["done"] == 1
    text = cli("cycle", "status", "H1").stdout
    assert "self" in text and "alpha" in text and "total" in text
    overdue = cli("cycle", "tasks", "H1", "--overdue", "--json").json()
    assert {t["assignee_id"] for t in overdue} == {"alpha-lead", "alpha-02", "alpha-03"}


def test_close_refuses_open_tasks_then_freezes(hub, cli, tasks_plugin, team):
    hub.cycles.create("H1", start=START, end=END)
    cycle = hub.cycles.open("H1").cycle
    refused = cli("cycle", "close", "H1")
    assert refused.exit_code == 1
    assert (
        "7 open task(s)" in refused.stderr and "self by alpha-01 about alpha-01" in refused.stderr
    )
    no_reason = cli("cycle", "close", "H1", "--force")
    assert no_reason.exit_code == 1 and "needs a --reason" in no_reason.stderr
    assert hub.cycles.get("H1").status is CycleStatus.OPEN
    closed = cli("cycle", "close", "H1", "--force", "--reason", "end of period")
    assert closed.exit_code == 0, closed.output
    assert tasks_plugin.closed == [("H1", CycleStatus.CLOSED)]
    assert {t.status for t in hub.cycles.tasks(cycle)} == {TaskStatus.CANCELLED}
    close_event = next(e for e in hub.audit.events(entity="cycle") if e.action == "cycle.closed")
    assert close_event.reason == "end of period" and close_event.actor == "test-admin"

    # Frozen: the library refuses, and so does the database itself.
    with pytest.raises(FrozenError):
        hub.cycles.complete_task(hub.cycles.tasks(cycle)[0])
    with pytest.raises(FrozenError):
        hub.cycles.add_tasks(
            cycle, team[1], [TaskSpec(kind="peer", assignee_id="alpha-02")], plugin="x"
        )
    with pytest.raises(FrozenError, match="cycle is closed"), hub.atomic() as db:
        db.execute("UPDATE tasks SET status = 'done' WHERE cycle_id = ?", [cycle.id])
    with pytest.raises(FrozenError), hub.atomic() as db:
        db.execute("UPDATE cycles SET name = 'renamed' WHERE id = ?", [cycle.id])
    with pytest.raises(FrozenError):
        hub.cycles.open("H1")
    assert cli("cycle", "close", "H1").exit_code == 1


def test_close_without_open_tasks_needs_no_force(hub, tasks_plugin, make_people):
    make_people(rows=[{"id": "solo", "name": "Solo"}])
    hub.cycles.create("H1", start=START, end=END)
    cycle = hub.cycles.open("H1").cycle
    hub.cycles.complete_task(hub.cycles.task(cycle, "self", "solo"))
    with pytest.raises(CorehubError, match="already done"):
        hub.cycles.complete_task(hub.cycles.task(cycle, "self", "solo"))
    assert hub.cycles.close("H1").status is CycleStatus.CLOSED


def test_draft_cycle_cannot_be_closed_or_written(hub, team):
    cycle = hub.cycles.create("H1", start=START, end=END)
    with pytest.raises(CorehubError, match="never opened"):
        hub.cycles.close("H1")
    with pytest.raises(CorehubError, match="not open yet"):
        hub.cycles.ensure_writable(cycle)


def test_add_tasks_after_enrolment_is_idempotent(hub, tasks_plugin, team):
    hub.cycles.create("H1", start=START, end=END)
    cycle = hub.cycles.open("H1").cycle
    spec = TaskSpec(kind="peer", assignee_id="alpha-02", subject_id="alpha-01")
    first = hub.cycles.add_tasks(cycle, team[1], [spec], plugin="peers")
    again = hub.cycles.add_tasks(cycle, team[1], [spec], plugin="peers")
    assert first == again and first[0].plugin == "peers"
    added = [e for e in hub.audit.events(entity="cycle") if e.action == "cycle.tasks_added"]
    assert len(added) == 1


def test_cancel_task_needs_a_reason(hub, tasks_plugin, team):
    hub.cycles.create("H1", start=START, end=END)
    cycle = hub.cycles.open("H1").cycle
    task = hub.cycles.task(cycle, "self", "alpha-02")
    with pytest.raises(ValidationError):
        hub.cycles.cancel_task(task, reason=" ")
    assert hub.cycles.cancel_task(task, reason="left the company").status is TaskStatus.CANCELLED


def test_cycle_list_and_unknown_cycle(hub, cli):
    hub.cycles.create("H1", start=START, end=END, allow_empty=True)
    assert [c["name"] for c in cli("cycle", "list", "--json").json()] == ["H1"]
    missing = cli("cycle", "status", "H9")
    assert missing.exit_code == 1
    assert "no cycle named 'H9' (cycles: H1)" in missing.stderr


def test_a_done_task_can_be_reopened_with_a_reason(hub, tasks_plugin, team):
    hub.cycles.create("H1", start=START, end=END)
    cycle = hub.cycles.open("H1").cycle
    task = hub.cycles.complete_task(hub.cycles.task(cycle, "self", "alpha-01"))
    with pytest.raises(ValidationError):
        hub.cycles.reopen_task(task, reason="")
    reopened = hub.cycles.reopen_task(task, reason="sent back for more detail", by="alpha-lead")
    assert reopened.status is TaskStatus.OPEN and reopened.completed_at is None
    event = list(hub.audit.events(entity="task", entity_id=task.id))[-1]
    assert (event.action, event.actor, event.reason) == (
        "task.reopened",
        "alpha-lead",
        "sent back for more detail",
    )
    with pytest.raises(CorehubError, match="not done"):
        hub.cycles.reopen_task(reopened, reason="again")
