"""Opening a cycle through the batched hooks (cycle_tasks_batch, people_enrolled).

The shipped plugins enrol everyone in one call; a plugin with only the per-person hooks
(cycle_tasks, person_enrolled) still works beside them. Opening writes the same rows as
the per-person hooks write, asks no query per person, and stays one transaction.
"""

from __future__ import annotations

import datetime as dt
import json
import types
from pathlib import Path
from typing import Any

import attrs
import pytest

import corehub_self_assessment.plugin
from corehub import Hub, hookimpl
from corehub.clock import FixedClock
from corehub.errors import PluginError
from corehub.models import CycleStatus, Level, Person, TaskKind, TaskSpec
from corehub.plugins import make_plugin_manager

PAST = ("2025 H2", dt.date(2025, 7, 1), dt.date(2025, 12, 31))
NEXT = ("2026 H1", dt.date(2026, 1, 1), dt.date(2026, 6, 30))
BATCHED_HOOKS = ("cycle_tasks_batch", "people_enrolled")


def organization(agents_per_team: int = 4, teams: int = 3) -> list[Person]:
    """A director, a supervisor per team, agents; one supervisor leaves before the cycle."""
    people = [
        Person(id="dir", name="Director", role="Service desk director", level=Level.DIRECTIVE)
    ]
    for t in range(teams):
        people.append(
            Person(
                id=f"lead{t}",
                name=f"Lead {t}",
                role="Service desk supervisor",
                level=Level.SUPERVISORY,
                team=f"team{t}",
                manager_id="dir",
            )
        )
        people += [
            Person(
                id=f"a{t}{n}",
                name=f"Agent {t}.{n}",
                role="Service desk agent",
                team=f"team{t}",
                manager_id=f"lead{t}",
            )
            for n in range(agents_per_team)
        ]
    return people


def per_person_only(module: Any) -> types.ModuleType:
    """The plugin ``module`` without its batched hooks: how it enrolled people before."""
    plugin = types.ModuleType(f"{module.__name__}_per_person")
    for name in dir(module):
        value = getattr(module, name)
        if hasattr(value, "corehub_impl") and name not in BATCHED_HOOKS:
            setattr(plugin, name, value)
    return plugin


def workspace(folder: Path, *plugins: tuple[str, Any], people: list[Person]) -> Hub:
    """A workspace with ``people``, and a closed past cycle whose reviews set goals."""
    from corehub.workspace import init_workspace

    init_workspace(folder).close()
    pm = make_plugin_manager(load_entry_points=False, env={})
    for name, plugin in plugins:
        pm.register_named(plugin, name)
    hub = Hub(folder, plugin_manager=pm, clock=FixedClock("2026-01-05T09:00:00+00:00"))
    hub.actor = "test-admin"
    hub.migrate()
    hub.people.save(people)
    name, start, end = PAST
    hub.cycles.create(name, start=start, end=end)
    hub.cycles.open(name)
    with hub.atomic() as db:
        rows = list(db.query("SELECT id, subject_id, kind FROM self_assessment_reviews"))
        for row in rows:
            if row["subject_id"].endswith("1"):
                continue  # some people set no goals last time
            goals = [{"objective": f"Goal of {row['subject_id']} ({row['kind']})", "due": ""}]
            db.execute(
                "UPDATE self_assessment_reviews SET answers = ? WHERE id = ?",
                [json.dumps({"goals_next": goals}), row["id"]],
            )
        db.execute("UPDATE self_assessment_reviews SET status = 'submitted'")
        db.execute("UPDATE tasks SET status = 'done'")
    hub.cycles.close(name)
    # The supervisor of team 2 has left: their people get no manager review or tasks.
    leaving = hub.people.get("lead2")
    hub.people.save([attrs_evolve(leaving, active=False)])
    name, start, end = NEXT
    hub.cycles.create(name, start=start, end=end)
    return hub


def attrs_evolve(person: Person, **changes: Any) -> Person:
    import attrs

    return attrs.evolve(person, **changes)


def written(hub: Hub, cycle_id: int, events_after: int) -> dict[str, list[dict[str, Any]]]:
    return {
        "cycle_members": list(
            hub.db.query(
                "SELECT * FROM cycle_members WHERE cycle_id = ? ORDER BY rowid", [cycle_id]
            )
        ),
        "tasks": list(
            hub.db.query("SELECT * FROM tasks WHERE cycle_id = ? ORDER BY id", [cycle_id])
        ),
        "reviews": list(
            hub.db.query(
                "SELECT * FROM self_assessment_reviews WHERE cycle_id = ? ORDER BY id", [cycle_id]
            )
        ),
        "events": list(
            hub.db.query("SELECT * FROM events WHERE id > ? ORDER BY id", [events_after])
        ),
    }


def open_next(hub: Hub) -> dict[str, list[dict[str, Any]]]:
    events = hub.db.execute("SELECT MAX(id) FROM events").fetchone()[0]
    result = hub.cycles.open(NEXT[0])
    return written(hub, result.cycle.id, events)


def test_batched_hooks_write_the_rows_the_per_person_hooks_write(tmp_path):
    """The same members, tasks (ids and order too), reviews (form copies, last period's
    goals) and audit events, whether the plugin enrols everyone at once or one by one."""
    people = organization()
    batched = workspace(
        tmp_path / "batched", ("self_assessment", corehub_self_assessment.plugin), people=people
    )
    one_by_one = workspace(
        tmp_path / "one_by_one",
        ("self_assessment", per_person_only(corehub_self_assessment.plugin)),
        people=people,
    )
    assert not one_by_one.pm.hook.people_enrolled.get_hookimpls()
    ours, theirs = open_next(batched), open_next(one_by_one)
    assert ours == theirs
    # and what they hold is what a second cycle starts with
    reviews = ours["reviews"]
    assert {(r["subject_id"], r["kind"]) for r in reviews} >= {("a00", "self"), ("a00", "manager")}
    assert not [r for r in reviews if r["subject_id"].startswith("a2") and r["kind"] == "manager"]
    prefilled = {
        (r["subject_id"], r["kind"]): json.loads(r["answers"]).get("goals_last") for r in reviews
    }
    assert prefilled["a00", "self"] == [{"objective": "Goal of a00 (manager)"}]
    assert prefilled["a01", "self"] is None
    assert {json.loads(r["form"])["id"] for r in reviews} == {"agent", "supervisor", "director"}
    batched.close()
    one_by_one.close()


class PerPersonPlugin:
    """A third-party plugin written before the batched hooks: one call per person."""

    def __init__(self, fail_on: str | None = None):
        self.enrolled: list[str] = []
        self.reviews_seen: dict[str, int] = {}
        self.fail_on = fail_on

    @hookimpl
    def register_task_kinds(self, hub):
        return [TaskKind(name="checkin", description="a check-in with the team lead")]

    @hookimpl
    def cycle_tasks(self, hub, cycle, person):
        if person.level is Level.OPERATIONAL:
            return [TaskSpec(kind="checkin", assignee_id=person.id)]
        return None

    @hookimpl(trylast=True)
    def person_enrolled(self, hub, cycle, person):
        if person.id == self.fail_on:
            raise RuntimeError("the check-in calendar is unreachable")
        self.enrolled.append(person.id)
        self.reviews_seen[person.id] = hub.db.execute(
            "SELECT COUNT(*) FROM self_assessment_reviews WHERE cycle_id = ? AND subject_id = ?",
            [cycle.id, person.id],
        ).fetchone()[0]


class BothHooks:
    """A plugin implementing a hook and its batched form: reached through the batch only."""

    def __init__(self):
        self.calls: list[tuple[str, int]] = []

    @hookimpl
    def cycle_tasks(self, hub, cycle, person):
        self.calls.append(("cycle_tasks", 1))
        return []

    @hookimpl
    def cycle_tasks_batch(self, hub, cycle, people):
        self.calls.append(("cycle_tasks_batch", len(people)))
        return {}

    @hookimpl
    def person_enrolled(self, hub, cycle, person):
        self.calls.append(("person_enrolled", 1))

    @hookimpl
    def people_enrolled(self, hub, cycle, people):
        self.calls.append(("people_enrolled", len(people)))


@pytest.fixture
def org(hub, installed_plugin):
    for name in ("self_assessment", "training_tracker", "feedback", "quality"):
        installed_plugin(name)
    people = organization()
    hub.people.save(people)
    hub.cycles.create(NEXT[0], start=NEXT[1], end=NEXT[2])
    return people


def test_a_plugin_with_only_per_person_hooks_still_works_beside_the_batched_ones(
    hub, org, register_plugin
):
    old = register_plugin(PerPersonPlugin(), name="checkins")
    both = register_plugin(BothHooks(), name="both")
    expected = [
        (plugin, spec.kind, spec.assignee_id, spec.subject_id or person.id)
        for person in hub.cycles.people_in_scope(hub.cycles.get(NEXT[0]))
        for plugin, specs in hub.hook.cycle_tasks.collect(
            hub=hub, cycle=hub.cycles.get(NEXT[0]), person=person
        )
        if plugin != "both"
        for spec in specs
    ]
    both.calls.clear()
    result = hub.cycles.open(NEXT[0])

    stored = [
        (row["plugin"], row["kind"], row["assignee_id"], row["subject_id"])
        for row in hub.db.query("SELECT * FROM tasks ORDER BY id")
    ]
    # every task, in the order the per-person hooks alone gave (person by person, each
    # person's in plugin order: the check-ins plugin, registered last, answers first)
    assert stored == expected
    assert ("checkins", "checkin", "a00", "a00") in stored
    assert old.enrolled == [p for p in result.enrolled]
    # the per-person plugin runs after the batched one (trylast): every review is there
    assert old.reviews_seen["a00"] == 2 and old.reviews_seen["dir"] == 1
    assert both.calls == [("cycle_tasks_batch", len(org)), ("people_enrolled", len(org))]


def test_a_failure_after_the_batched_writes_leaves_nothing(hub, org, register_plugin):
    register_plugin(PerPersonPlugin(fail_on="a12"), name="checkins")
    with pytest.raises(PluginError, match="plugin 'checkins' failed in hook person_enrolled"):
        hub.cycles.open(NEXT[0])
    assert hub.cycles.get(NEXT[0]).status is CycleStatus.DRAFT
    for table in ("cycle_members", "tasks", "self_assessment_reviews"):
        assert hub.db.execute(f"SELECT COUNT(*) FROM [{table}]").fetchone()[0] == 0, table
    assert not list(hub.audit.events(action="cycle.enrolled"))


def count_statements(hub: Hub, fn: Any) -> int:
    """Statements other than INSERTs that ``fn`` runs on the hub's connection."""
    seen: list[str] = []
    hub.db.conn.set_trace_callback(seen.append)
    try:
        fn()
    finally:
        hub.db.conn.set_trace_callback(None)
    return len([s for s in seen if not s.lstrip().upper().startswith("INSERT")])


def test_opening_asks_no_query_per_person_and_reads_the_forms_once(
    hub, installed_plugin, make_people
):
    """With every shipped plugin: a cycle of 3 people and one of 30 ask the same queries."""
    for name in ("self_assessment", "training_tracker", "feedback", "quality"):
        installed_plugin(name)
    make_people(team="small", agents=2)
    make_people(team="large", agents=29)
    for name, team in (("Small", "small"), ("Large", "large")):
        hub.cycles.create(name, start=NEXT[1], end=NEXT[2], scope=[f"team:{team}"])
    reads: list[str] = []

    class CountForms:
        @hookimpl
        def register_forms(self, hub):
            reads.append("forms")
            return []

    hub.pm.register_named(CountForms(), "count-forms")
    try:
        small = count_statements(hub, lambda: hub.cycles.open("Small"))
        reads.clear()
        large = count_statements(hub, lambda: hub.cycles.open("Large"))
    finally:
        hub.pm.unregister_named("count-forms")
    assert len(hub.cycles.members(hub.cycles.get("Large"))) == 30
    assert hub.db.execute("SELECT COUNT(*) FROM self_assessment_reviews").fetchone()[0] == 5 + 59
    assert large == small
    assert reads == ["forms"]


class BadBatch:
    def __init__(self, answer: Any):
        self.answer = answer

    @hookimpl
    def register_task_kinds(self, hub):
        return [TaskKind(name="extra")]

    @hookimpl
    def cycle_tasks_batch(self, hub, cycle, people):
        return self.answer(people)


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        (lambda people: [TaskSpec(kind="extra", assignee_id="a00")], "must return a dict"),
        (
            lambda people: {"nobody": [TaskSpec(kind="extra", assignee_id="a00")]},
            "returned tasks for 'nobody', who is not among the people being enrolled",
        ),
        (lambda people: {"a00": ["extra"]}, "cycle_tasks must return TaskSpec records"),
        (
            lambda people: {"a00": [TaskSpec(kind="extra", assignee_id="lead2-gone")]},
            "asked for a 'extra' task for 'lead2-gone', who is not an active person",
        ),
    ],
)
def test_cycle_tasks_batch_answers_that_are_refused(hub, org, register_plugin, answer, message):
    register_plugin(BadBatch(answer), name="bad-batch")
    with pytest.raises(PluginError, match=message) as caught:
        hub.cycles.open(NEXT[0])
    assert "bad-batch" in str(caught.value)
    assert hub.cycles.get(NEXT[0]).status is CycleStatus.DRAFT
    assert hub.db.execute("SELECT COUNT(*) FROM tasks").fetchone()[0] == 0


def test_people_enrolled_failing_rolls_back_the_opening(hub, org, register_plugin):
    class Broken:
        @hookimpl
        def people_enrolled(self, hub, cycle, people):
            raise RuntimeError("disk full")

    register_plugin(Broken(), name="broken")
    with pytest.raises(PluginError, match="plugin 'broken' failed in hook people_enrolled"):
        hub.cycles.open(NEXT[0])
    assert hub.cycles.get(NEXT[0]).status is CycleStatus.DRAFT
    assert hub.db.execute("SELECT COUNT(*) FROM self_assessment_reviews").fetchone()[0] == 0


def test_opening_again_calls_the_batched_hooks_only_for_newcomers(hub, org, register_plugin):
    both = register_plugin(BothHooks(), name="both")
    hub.cycles.open(NEXT[0])
    both.calls.clear()
    hub.cycles.open(NEXT[0])
    assert both.calls == []
    hub.people.save(
        [
            Person(
                id="new",
                name="New Agent",
                team="team0",
                manager_id="lead0",
                role="Service desk agent",
            )
        ]
    )
    result = hub.cycles.open(NEXT[0])
    assert result.enrolled == ("new",)
    assert both.calls == [("cycle_tasks_batch", 1), ("people_enrolled", 1)]
    assert (
        hub.db.execute(
            "SELECT COUNT(*) FROM self_assessment_reviews WHERE subject_id = 'new'"
        ).fetchone()[0]
        == 2
    )


def test_tracing_logs_the_batched_and_the_per_person_calls(hub, org, register_plugin, capsys):
    from corehub.plugins import enable_tracing

    register_plugin(PerPersonPlugin(), name="checkins")
    enable_tracing(hub.pm)
    hub.cycles.open(NEXT[0])
    err = capsys.readouterr().err
    assert "corehub trace: people_enrolled(hub=Hub, cycle=1, people=list) -> self_assessment" in err
    assert "corehub trace: person_enrolled(hub=Hub, cycle=1, person=a00) -> checkins" in err
    assert "-> self_assessment, checkins" not in err


@attrs.define
class Unhashable:
    """A plugin object with ``__eq__`` (an attrs class), so it cannot be hashed."""

    enrolled: list[str] = attrs.field(factory=list)

    @hookimpl
    def person_enrolled(self, hub, cycle, person):
        self.enrolled.append(person.id)


def test_a_plugin_object_that_cannot_be_hashed_is_still_called(hub, org, register_plugin):
    plugin = register_plugin(Unhashable(), name="unhashable")
    result = hub.cycles.open(NEXT[0])
    assert plugin.enrolled == list(result.enrolled)
