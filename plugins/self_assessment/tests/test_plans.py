"""Development plans: one per person across cycles, seen by the person, their managers
and HR; goals and agreed actions changed by the person and their manager only; nothing
half-written on bad input; the packet counts only what was done in the cycle's period."""

from __future__ import annotations

import datetime as dt
import sqlite3

import attrs
import pytest

from corehub import hookimpl
from corehub.errors import FrozenError, NotFoundError, PermissionDeniedError, ValidationError
from corehub.models import Person, PlanItem, PlanItemStatus, Report, ReportKind
from corehub.testing import render_sections
from corehub_self_assessment import plans
from corehub_self_assessment.plans_migrations import ACTIONS, GOALS


@pytest.fixture
def org(hub, team):
    """alpha-01..03 report to alpha-lead, who reports to boss; hr-1 is HR."""
    hub.people.save([Person(id="hr-1", name="Hana HR", team="HR")])
    hub.config = attrs.evolve(
        hub.config, organization=attrs.evolve(hub.config.organization, hr=["hr-1"])
    )
    return hub


def _count(hub, table):
    return hub.db.execute(f"SELECT COUNT(*) FROM [{table}]").fetchone()[0]


def test_person_and_manager_agree_actions_and_the_plan_keeps_history(org, cli):
    mine = cli(
        "--as",
        "alpha-01",
        "plan",
        "action",
        "add",
        "--text",
        "Shadow a senior agent",
        "--due",
        "2026-04-30",
    )
    assert mine.exit_code == 0, mine.output
    theirs = cli(
        "--as",
        "alpha-lead",
        "plan",
        "action",
        "add",
        "--person",
        "alpha-01",
        "--text",
        "Book a KCS coaching slot",
        "--owner",
        "alpha-lead",
    )
    assert theirs.exit_code == 0, theirs.output
    done = cli("--as", "alpha-lead", "plan", "action", "done", "1", "--on", "2026-02-20")
    assert done.exit_code == 0 and "done on 2026-02-20" in done.output
    shown = cli("--as", "alpha-01", "plan", "show", "--json").json()
    actions = {a["id"]: a for a in shown["actions"]}
    assert actions[1]["status"] == "done" and actions[1]["done_on"] == "2026-02-20"
    assert actions[1]["added_by"] == "alpha-01" and actions[1]["added_on"] == "2026-03-02"
    assert actions[2]["owner"] == "alpha-lead" and actions[2]["status"] == "open"
    # the history stays: done is final, and nothing is deleted
    again = cli("--as", "alpha-01", "plan", "action", "edit", "1", "--text", "changed")
    assert again.exit_code == 1 and "was marked done on 2026-02-20" in again.output
    with pytest.raises((FrozenError, sqlite3.IntegrityError)), org.atomic() as db:
        db.execute(f"DELETE FROM [{ACTIONS}] WHERE id = 1")
    events = [e.action for e in org.audit.events()]
    assert events.count("plan.action_added") == 2 and "plan.action_done" in events
    # text output for people
    text = cli("--as", "alpha-01", "plan", "show")
    assert text.exit_code == 0 and "Shadow a senior agent" in text.output


@pytest.mark.parametrize(
    ("reader", "sees"),
    [("alpha-01", True), ("alpha-lead", True), ("boss", True), ("hr-1", True), ("alpha-02", False)],
)
def test_who_sees_a_plan(org, cli, reader, sees):
    plans.add_action(org, "alpha-01", "Practise de-escalation", actor="alpha-01")
    result = cli("--as", reader, "plan", "show", "--person", "alpha-01", "--json")
    assert (result.exit_code == 0) is sees, result.output
    if not sees:
        assert "may not see alpha-01's data" in result.output
        assert "Practise de-escalation" not in result.output


@pytest.mark.parametrize(
    ("actor", "allowed"),
    [
        ("alpha-01", True),
        ("alpha-lead", True),
        ("boss", False),
        ("hr-1", False),
        ("alpha-02", False),
    ],
)
def test_who_changes_a_plan(org, cli, actor, allowed):
    result = cli("--as", actor, "plan", "action", "add", "--person", "alpha-01", "--text", "x")
    assert (result.exit_code == 0) is allowed, result.output
    goal = cli("--as", actor, "plan", "goal", "add", "--person", "alpha-01", "--objective", "y")
    assert (goal.exit_code == 0) is allowed, goal.output
    assert _count(org, ACTIONS) == _count(org, GOALS) == (1 if allowed else 0)
    if not allowed:
        assert "Traceback" not in result.output


def test_the_operator_must_say_who_they_are(org, cli):
    result = cli("plan", "action", "add", "--person", "alpha-01", "--text", "x")
    assert result.exit_code == 1 and "--as" in result.output
    assert _count(org, ACTIONS) == 0


def test_bad_input_is_reported_at_once_and_nothing_is_written(org, cli):
    result = cli(
        "--as",
        "alpha-lead",
        "plan",
        "action",
        "add",
        "--person",
        "alpha-01",
        "--text",
        "Coach on refunds",
        "--owner",
        "alpha-02",
        "--due",
        "next week",
    )
    assert result.exit_code == 1
    assert "owner 'alpha-02' is neither alpha-01 nor their manager" in result.output
    assert "'next week' is not a date" in result.output
    assert "Traceback" not in result.output
    assert _count(org, ACTIONS) == 0
    missing = cli("--as", "alpha-lead", "plan", "action", "done", "99")
    assert missing.exit_code == 1 and "no agreed action #99" in missing.output
    empty = cli("--as", "alpha-01", "plan", "goal", "add", "--objective", "  ", "--due", "31/12")
    assert empty.exit_code == 1
    assert "objective is empty" in empty.output and "'31/12' is not a date" in empty.output
    assert _count(org, GOALS) == 0
    future = cli("--as", "alpha-01", "plan", "action", "add", "--text", "x")
    assert future.exit_code == 0
    later = cli("--as", "alpha-01", "plan", "action", "done", "1", "--on", "2027-01-01")
    assert later.exit_code == 1 and "in the future" in later.output
    assert plans.action(org, 1)["status"] == "open"


def test_editing_a_plan_you_may_not_see(org, cli):
    plans.add_action(org, "alpha-01", "Private to alpha-01 and their lead", actor="alpha-01")
    before = org.db.execute(f"SELECT * FROM [{ACTIONS}]").fetchall()
    for args in (
        ("plan", "action", "done", "1"),
        ("plan", "action", "edit", "1", "--text", "mine now"),
    ):
        result = cli("--as", "alpha-02", *args)
        assert result.exit_code == 1, result.output
        # an action in a plan one may not see is not told apart from one that does not exist
        assert "no agreed action #1" in result.output
        assert "Private to" not in result.output
    refused = cli(
        "--as", "alpha-02", "plan", "action", "add", "--person", "alpha-01", "--text", "x"
    )
    assert refused.exit_code == 1 and "may not see alpha-01's data" in refused.output
    assert org.db.execute(f"SELECT * FROM [{ACTIONS}]").fetchall() == before
    with pytest.raises(PermissionDeniedError):
        plans.edit_action(org, 1, text="boss edit", actor="boss")  # sees, may not change
    with pytest.raises(NotFoundError):
        plans.goal_achieved(org, 5, actor="alpha-01")


def test_edit_an_open_action(org, cli):
    plans.add_action(org, "alpha-01", "Read the refund guide", actor="alpha-01")
    result = cli(
        "--as",
        "alpha-lead",
        "plan",
        "action",
        "edit",
        "1",
        "--owner",
        "alpha-lead",
        "--due",
        "2026-05-01",
    )
    assert result.exit_code == 0, result.output
    row = plans.action(org, 1)
    assert (row["owner_id"], row["due"], row["changed_by"]) == (
        "alpha-lead",
        "2026-05-01",
        "alpha-lead",
    )
    bad = cli("--as", "alpha-lead", "plan", "action", "edit", "1", "--owner", "boss")
    assert bad.exit_code == 1 and "neither alpha-01 nor their manager" in bad.output
    assert plans.action(org, 1)["owner_id"] == "alpha-lead"


class OrgItems:
    """An organization's plugin adding its own items to plans."""

    @hookimpl
    def development_plan_items(self, hub, person, start, end):
        return [
            PlanItem(kind="mentoring", title="Mentoring circle", status=PlanItemStatus.OPEN),
            PlanItem(
                kind="mentoring",
                title="Old circle",
                status=PlanItemStatus.DONE,
                done_on=dt.date(2025, 6, 1),
            ),
            PlanItem(
                kind="mentoring",
                title="Spring circle",
                status=PlanItemStatus.DONE,
                done_on=dt.date(2026, 2, 1),
            ),
        ]


def test_a_plugin_contributes_items_and_only_those_done_in_the_period_count(
    org, cycle, register_plugin
):
    register_plugin(OrgItems(), name="org_items")
    plan = plans.show(org, "alpha-01", start=cycle.start, end=cycle.end, actor="alpha-01")
    assert [i["title"] for i in plan["items"]] == ["Mentoring circle"]
    assert plan["items"][0]["source"] == "org_items"
    assert [i["title"] for i in plan["done_in_period"]["other"]] == ["Spring circle"]


def test_the_packet_counts_only_what_was_done_in_the_period(org, cycle, cli):
    cli("--as", "alpha-01", "plan", "action", "add", "--text", "Before the period")
    cli("--as", "alpha-01", "plan", "action", "done", "1", "--on", "2025-12-15")
    cli("--as", "alpha-01", "plan", "action", "add", "--text", "Within the period")
    cli("--as", "alpha-01", "plan", "action", "done", "2", "--on", "2026-02-10")
    cli(
        "--as",
        "alpha-lead",
        "plan",
        "action",
        "add",
        "--person",
        "alpha-01",
        "--text",
        "Still to do",
        "--owner",
        "alpha-lead",
        "--due",
        "2026-06-01",
    )
    cli("--as", "alpha-01", "plan", "goal", "add", "--objective", "Handle refunds alone")
    plan = plans.show(org, "alpha-01", start=cycle.start, end=cycle.end)
    assert [a["text"] for a in plan["done_in_period"]["actions"]] == ["Within the period"]
    person = org.people.get("alpha-01")
    report = Report(kind=ReportKind.PACKET, cycle=cycle, locale="en", person=person)
    html = render_sections(org, report, plugin="self_assessment")["self_assessment.plan"]
    assert "Within the period" in html and "Still to do" in html
    assert "Before the period" not in html
    assert "Handle refunds alone" in html
    # an empty plan is no section at all
    other = Report(
        kind=ReportKind.PACKET, cycle=cycle, locale="en", person=org.people.get("alpha-02")
    )
    assert "self_assessment.plan" not in render_sections(org, other, plugin="self_assessment")


def test_goals_achieved_stay_with_their_date(org, cli):
    cli(
        "--as",
        "alpha-01",
        "plan",
        "goal",
        "add",
        "--objective",
        "Answer in Danish",
        "--result",
        "CSAT 4.5 on Danish tickets",
        "--due",
        "2026-09-30",
    )
    done = cli("--as", "alpha-lead", "plan", "goal", "done", "1", "--outcome", "CSAT 4.6")
    assert done.exit_code == 0, done.output
    goal = plans.show(org, "alpha-01")["goals"][0]
    assert (goal["status"], goal["done_on"], goal["outcome"]) == (
        "achieved",
        "2026-03-02",
        "CSAT 4.6",
    )
    twice = cli("--as", "alpha-lead", "plan", "goal", "done", "1")
    assert twice.exit_code == 1 and "already achieved on 2026-03-02" in twice.output
    with pytest.raises(ValidationError):
        plans.add_goal(org, "alpha-01", "x" * (plans.MAX_TEXT + 1), actor="alpha-01")
