"""1:1 check-ins through the command line, the hooks and the library's rules."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from corehub.models import Person

DAY = "2026-03-05"  # the test clock stands at 2026-03-02


def set_checkin_settings(hub: Any, **values: Any) -> None:
    """Change ``[settings.checkins]`` for this hub (as editing corehub.toml would)."""
    hub.config.settings["checkins"] = values
    hub.reload_settings()


@pytest.fixture
def org(hub, team, make_people):
    """The alpha team (alpha-lead and three agents under boss), HR, and another team."""
    make_people(team="beta", agents=1, manager_id="boss")
    hub.people.save([Person(id="hr-1", name="Hilda HR", email="hr@example.org", team="HR")])
    import attrs

    hub.config = attrs.evolve(
        hub.config, organization=attrs.evolve(hub.config.organization, hr=("hr-1",))
    )
    return hub


def new_checkin(cli, manager="alpha-lead", person="alpha-01", day=DAY, *agenda: str) -> int:
    args = ["--as", manager, "checkin", "new", person, "--date", day]
    for item in agenda:
        args += ["--agenda", item]
    result = cli(*args)
    assert result.exit_code == 0, result.output
    return int(result.stdout.split()[1].rstrip(":"))


def test_a_manager_and_a_report_share_agenda_notes_and_actions(org, cli):
    checkin_id = new_checkin(cli, "alpha-lead", "alpha-01", DAY, "Queue load")
    assert (
        cli("--as", "alpha-01", "checkin", "agenda", "add", str(checkin_id), "Shift swap").exit_code
        == 0
    )
    assert (
        cli(
            "--as", "alpha-lead", "checkin", "note", str(checkin_id), "Tired; offer the Friday off"
        ).exit_code
        == 0
    )
    result = cli(
        "--as",
        "alpha-lead",
        "checkin",
        "action",
        "add",
        str(checkin_id),
        "Shadow a senior agent",
        "--owner",
        "alpha-01",
        "--due",
        "2026-03-20",
    )
    assert result.exit_code == 0, result.output
    for who in ("alpha-lead", "alpha-01"):
        data = cli("--as", who, "checkin", "show", str(checkin_id), "--json").json()
        assert [e["text"] for e in data["agenda"]] == ["Queue load", "Shift swap"]
        assert [e["author_id"] for e in data["agenda"]] == ["alpha-lead", "alpha-01"]
        assert [e["text"] for e in data["notes"]] == ["Tired; offer the Friday off"]
        assert [(a["text"], a["owner_id"], a["due"], a["done"]) for a in data["actions"]] == [
            ("Shadow a senior agent", "alpha-01", "2026-03-20", False)
        ]
    text = cli("--as", "alpha-01", "checkin", "show", str(checkin_id)).stdout
    assert "Shift swap" in text and "Tired; offer the Friday off" in text
    action_id = data["actions"][0]["id"]
    assert cli("--as", "alpha-01", "checkin", "action", "done", str(action_id)).exit_code == 0
    rows = cli("--as", "alpha-lead", "checkin", "list", "--json").json()
    assert [(r["id"], r["actions_done"], r["actions_open"]) for r in rows] == [(checkin_id, 1, 0)]
    assert (
        cli("--as", "alpha-lead", "checkin", "action", "done", str(action_id), "--undo").exit_code
        == 0
    )
    assert cli("--as", "alpha-lead", "checkin", "list", "--json").json()[0]["actions_open"] == 1


@pytest.mark.parametrize("reader", ["hr-1", "boss", None])
def test_hr_the_managers_above_and_the_operator_see_the_date_and_actions_never_agenda_or_notes(
    org, cli, reader
):
    checkin_id = new_checkin(cli, "alpha-lead", "alpha-01", DAY, "Private worry")
    cli("--as", "alpha-01", "checkin", "note", str(checkin_id), "About my health")
    cli(
        "--as",
        "alpha-01",
        "checkin",
        "action",
        "add",
        str(checkin_id),
        "Book the course",
        "--owner",
        "alpha-01",
        "--due",
        "2026-03-10",
    )
    as_ = ["--as", reader] if reader else []
    data = cli(*as_, "checkin", "show", str(checkin_id), "--json").json()
    assert data["day"] == DAY and data["private_visible"] is False
    assert data["agenda"] is None and data["notes"] is None
    assert [a["text"] for a in data["actions"]] == ["Book the course"]
    text = cli(*as_, "checkin", "show", str(checkin_id)).stdout
    assert "Private worry" not in text and "About my health" not in text
    # and nothing of it reaches the audit trail HR reads
    audit = cli("audit", "--json").stdout
    assert "Private worry" not in audit and "About my health" not in audit
    assert "Book the course" in audit


@pytest.mark.parametrize("reader", ["alpha-02", "beta-lead", "beta-01"])
def test_a_colleague_or_another_team_sees_nothing(org, cli, reader):
    checkin_id = new_checkin(cli)
    result = cli("--as", reader, "checkin", "show", str(checkin_id))
    assert result.exit_code == 1
    assert "may not see the check-ins of alpha-01" in result.stderr
    assert cli("--as", reader, "checkin", "list", "--json").json() == []
    refused = cli("--as", reader, "checkin", "list", "--person", "alpha-01")
    assert refused.exit_code == 1 and "may not see" in refused.stderr


@pytest.mark.parametrize(
    ("actor", "person", "expected"),
    [
        ("alpha-lead", "beta-01", "beta-01 is not one of their reports"),
        ("alpha-01", "alpha-02", "alpha-02 is not one of their reports"),
        ("alpha-01", "alpha-lead", "alpha-lead is not one of their reports"),
        ("alpha-lead", "alpha-lead", "alpha-lead is not one of their reports"),
        ("hr-1", "alpha-01", "alpha-01 is not one of their reports"),
        ("alpha-lead", "nobody", "no active person 'nobody'"),
    ],
)
def test_a_checkin_with_someone_who_is_not_your_report_is_refused(
    org, cli, actor, person, expected
):
    result = cli("--as", actor, "checkin", "new", person, "--date", DAY)
    assert result.exit_code == 1
    assert expected in result.stderr
    assert "Traceback" not in result.output
    assert cli("checkin", "list", "--json").json() == []


def test_the_operator_must_say_who_they_are_to_hold_a_checkin(org, cli):
    result = cli("checkin", "new", "alpha-01", "--date", DAY)
    assert result.exit_code == 1 and "holding a check-in needs to know who you are" in result.stderr


def test_a_manager_further_up_may_hold_a_skip_level_checkin(org, cli):
    checkin_id = new_checkin(cli, "boss", "alpha-01")
    assert (
        cli("--as", "alpha-01", "checkin", "show", str(checkin_id), "--json").json()["manager_id"]
        == "boss"
    )
    # and the direct manager, who is not one of the two, does not read its notes
    cli("--as", "alpha-01", "checkin", "note", str(checkin_id), "Between us")
    data = cli("--as", "alpha-lead", "checkin", "show", str(checkin_id), "--json").json()
    assert data["notes"] is None


def test_bad_actions_are_refused_with_every_problem_and_nothing_is_stored(org, cli):
    checkin_id = new_checkin(cli)
    result = cli(
        "--as",
        "alpha-lead",
        "checkin",
        "action",
        "add",
        str(checkin_id),
        "  ",
        "--owner",
        "alpha-02",
        "--due",
        "2026-03-01",
        "--goal",
        "Fly to the moon",
    )
    assert result.exit_code == 1
    err = result.stderr
    assert "the action item was not added" in err
    assert "text: action is empty" in err
    assert "owner: 'alpha-02' is not one of the two: the owner is alpha-lead or alpha-01" in err
    assert "due: 2026-03-01 is before the check-in (2026-03-05)" in err
    assert "goal: alpha-01 has no goal 'Fly to the moon'" in err
    bad_date = cli(
        "--as",
        "alpha-lead",
        "checkin",
        "action",
        "add",
        str(checkin_id),
        "x",
        "--owner",
        "alpha-01",
        "--due",
        "next week",
    )
    assert (
        bad_date.exit_code == 1
        and "due date 'next week' is not a date (YYYY-MM-DD)" in bad_date.stderr
    )
    assert (
        cli("--as", "alpha-lead", "checkin", "show", str(checkin_id), "--json").json()["actions"]
        == []
    )


def test_only_the_two_write_and_agenda_closes_after_the_day(org, cli, clock):
    checkin_id = new_checkin(cli, "alpha-lead", "alpha-01", "2026-03-02")
    for actor in ("boss", "hr-1", "alpha-02"):
        result = cli("--as", actor, "checkin", "note", str(checkin_id), "sneaky")
        assert result.exit_code == 1
        assert "only the two of them can" in result.stderr
    clock.advance(days=1)
    late = cli("--as", "alpha-01", "checkin", "agenda", "add", str(checkin_id), "one more thing")
    assert late.exit_code == 1
    assert "the check-in of 2026-03-02 is over" in late.stderr
    # notes and actions are still welcome after the day
    assert cli("--as", "alpha-01", "checkin", "note", str(checkin_id), "Follow-up").exit_code == 0


def test_two_checkins_of_the_same_pair_on_one_day_are_refused(org, cli):
    new_checkin(cli)
    again = cli("--as", "alpha-lead", "checkin", "new", "alpha-01", "--date", DAY)
    assert (
        again.exit_code == 1
        and "there is already a check-in with alpha-01 on 2026-03-05" in again.stderr
    )
    bad = cli("--as", "alpha-lead", "checkin", "new", "alpha-01", "--date", "5/3/2026")
    assert bad.exit_code == 1 and "date '5/3/2026' is not a date" in bad.stderr


def test_an_action_links_to_one_of_the_persons_goals(org, cli, hub, cycle, answers):
    from corehub_self_assessment import reviews

    reviews.save_draft(hub, cycle.id, "alpha-01", "self", answers["self"], actor="alpha-01")
    reviews.submit(hub, cycle.id, "alpha-01", "self", actor="alpha-01")
    checkin_id = new_checkin(cli)
    result = cli(
        "--as",
        "alpha-lead",
        "checkin",
        "action",
        "add",
        str(checkin_id),
        "Review ten tickets a week",
        "--owner",
        "alpha-01",
        "--due",
        "2026-03-31",
        "--goal",
        "better first-contact",
    )
    assert result.exit_code == 0, result.output
    data = cli("--as", "alpha-01", "checkin", "show", str(checkin_id), "--json").json()
    assert data["actions"][0]["goal"] == "Better first-contact resolution"
    assert data["goals"] == ["Better first-contact resolution"]


def test_the_cadence_per_team_says_when_the_next_checkin_is_due(org, cli, hub, clock):
    set_checkin_settings(hub, cadence_days=14, teams={"beta": 7})
    new_checkin(cli, "alpha-lead", "alpha-01", "2026-02-10")
    new_checkin(cli, "beta-lead", "beta-01", "2026-02-27")
    rows = {r["person_id"]: r for r in cli("--as", "boss", "checkin", "due", "--json").json()}
    assert rows["alpha-01"]["last"] == "2026-02-10"
    assert rows["alpha-01"]["next_due"] == "2026-02-24" and rows["alpha-01"]["overdue"] is True
    assert rows["beta-01"]["cadence_days"] == 7
    assert rows["beta-01"]["next_due"] == "2026-03-06" and rows["beta-01"]["overdue"] is False
    # never met, no hire date: due now
    assert rows["alpha-02"]["last"] is None and rows["alpha-02"]["next_due"] == "2026-03-02"
    # a report sees no one's cadence but their own pair
    mine = cli("--as", "alpha-01", "checkin", "due", "--json").json()
    assert [r["person_id"] for r in mine] == ["alpha-01"]


def test_bad_cadence_settings_are_an_error_naming_the_setting(org, cli, hub):
    set_checkin_settings(hub, cadence_days=-3, teams={"beta": -1})
    result = cli("checkin", "due")
    assert result.exit_code == 1
    assert "[settings.checkins]" in result.stderr
    assert "cadence_days must be 0 (no cadence) or more days, not -3" in result.stderr


def test_overdue_checkins_and_actions_due_reach_the_manager_and_the_owner(org, cli, hub, clock):
    set_checkin_settings(hub, cadence_days=14)
    old = new_checkin(cli, "alpha-lead", "alpha-01", "2026-02-01")
    cli(
        "--as",
        "alpha-lead",
        "checkin",
        "action",
        "add",
        str(old),
        "Send the macro list",
        "--owner",
        "alpha-lead",
        "--due",
        "2026-03-03",
    )
    cli(
        "--as",
        "alpha-lead",
        "checkin",
        "action",
        "add",
        str(old),
        "Finish the KCS course",
        "--owner",
        "alpha-01",
        "--due",
        "2026-03-04",
    )
    found = [
        r
        for _plugin, found in hub.hook.extra_reminders.collect(hub=hub, today=hub.clock.today())
        for r in found
        if r.category == "checkins"
    ]
    due = [r for r in found if r.key.startswith("checkin-due:")]
    assert {(r.person_id, str(r.about), r.due.isoformat()) for r in due} >= {
        ("alpha-lead", "Alpha Agent 1", "2026-02-15")
    }
    actions = {
        (r.person_id, r.due.isoformat()) for r in found if r.key.startswith("checkin-action:")
    }
    assert actions == {("alpha-lead", "2026-03-03"), ("alpha-01", "2026-03-04")}
    # planning the next check-in ends the reminder to hold one
    new_checkin(cli, "alpha-lead", "alpha-01", "2026-03-09")
    after = [
        r.key
        for _plugin, rs in hub.hook.extra_reminders.collect(hub=hub, today=hub.clock.today())
        for r in rs
    ]
    assert not any(k.startswith("checkin-due:alpha-lead:alpha-01:") for k in after)


def test_remind_sends_checkin_reminders_in_the_recipients_language(org, cli, hub):
    import attrs

    set_checkin_settings(hub, cadence_days=14)
    lead = hub.people.get("alpha-lead")
    hub.people.save([attrs.evolve(lead, locale="es")])
    checkin_id = new_checkin(cli, "alpha-lead", "alpha-01", "2026-02-01")
    cli(
        "--as",
        "alpha-lead",
        "checkin",
        "action",
        "add",
        str(checkin_id),
        "Enviar las macros",
        "--owner",
        "alpha-lead",
        "--due",
        "2026-03-03",
    )
    result = cli("remind", "--dry-run")
    assert "--- to alpha-lead:" in result.stdout, result.output
    block = result.stdout.split("--- to alpha-lead:")[1].split("--- to ")[0]
    assert "Reunión individual" in block
    assert "Acción de una reunión individual" in block


def test_the_packet_shows_checkins_held_cadence_and_actions_never_agenda_or_notes(
    org, cli, hub, cycle, clock
):
    from corehub.models import Report, ReportKind
    from corehub.testing import render_sections

    set_checkin_settings(hub, cadence_days=14)
    clock.set(dt.datetime(2026, 4, 1, 9, 0, tzinfo=dt.UTC))
    ids = [
        new_checkin(cli, "alpha-lead", "alpha-01", day, "Secret agenda <b>x</b>")
        for day in ("2026-02-02", "2026-02-16", "2026-03-20", "2026-04-20")
    ]
    cli("--as", "alpha-01", "checkin", "note", str(ids[0]), "A private note")
    cli(
        "--as",
        "alpha-lead",
        "checkin",
        "action",
        "add",
        str(ids[0]),
        "Call <i>back</i>",
        "--owner",
        "alpha-01",
        "--due",
        "2026-02-10",
    )
    action = cli("--as", "alpha-lead", "checkin", "show", str(ids[0]), "--json").json()["actions"][
        0
    ]
    cli("--as", "alpha-01", "checkin", "action", "done", str(action["id"]))
    cli(
        "--as",
        "alpha-lead",
        "checkin",
        "action",
        "add",
        str(ids[2]),
        "Book the course",
        "--owner",
        "alpha-lead",
        "--due",
        "2026-03-25",
    )
    person = hub.people.get("alpha-01")
    report = Report(kind=ReportKind.PACKET, cycle=cycle, locale="en", person=person)
    html = " ".join(
        render_sections(hub, report, plugin="self_assessment")["self_assessment.checkins"].split()
    )
    assert "3 check-ins held." in html  # the one planned after today is not counted
    assert "Cadence: every 14 days; 1 of 2 came on time." in html
    assert "Action items done: 1 of 2." in html
    assert "later than the cadence" in html
    assert "Call &lt;i&gt;back&lt;/i&gt;" in html and "Book the course" in html
    assert "Secret agenda" not in html and "A private note" not in html
    other = Report(
        kind=ReportKind.PACKET, cycle=cycle, locale="en", person=hub.people.get("alpha-02")
    )
    assert "self_assessment.checkins" not in render_sections(hub, other, plugin="self_assessment")


def test_after_a_move_the_two_who_met_keep_the_notes_and_the_new_manager_does_not(org, cli, hub):
    import attrs

    checkin_id = new_checkin(cli, "alpha-lead", "alpha-01", DAY, "Before the move")
    cli("--as", "alpha-01", "checkin", "note", str(checkin_id), "Thinking of moving teams")
    moved = attrs.evolve(hub.people.get("alpha-01"), manager_id="beta-lead", team="beta")
    hub.people.save([moved])
    old = cli("--as", "alpha-lead", "checkin", "show", str(checkin_id), "--json").json()
    assert [n["text"] for n in old["notes"]] == ["Thinking of moving teams"]
    new = cli("--as", "beta-lead", "checkin", "show", str(checkin_id), "--json").json()
    assert new["notes"] is None and new["agenda"] is None
    # the old manager may no longer hold a new check-in with them
    refused = cli("--as", "alpha-lead", "checkin", "new", "alpha-01", "--date", "2026-03-20")
    assert refused.exit_code == 1 and "is not one of their reports" in refused.stderr


# -- the overview for HR and a team's managers ---------------------------------------------


def _overview_org(hub, clock):
    """Every kind of pair: met long ago (overdue), met recently, never met, a planned one,
    a team with a cadence of its own and a team with none."""
    from corehub_self_assessment import checkins

    set_checkin_settings(hub, cadence_days=14, teams={"beta": 7, "HR": 0})
    hub.people.save(
        [Person(id="new-1", name="Nina New", team="alpha", manager_id="alpha-lead",
                hire_date=dt.date(2026, 2, 25))]
    )  # fmt: skip
    clock.set("2026-01-10")
    checkins.create(hub, "alpha-01", "2026-01-10", actor="alpha-lead")
    clock.set("2026-02-26")
    checkins.create(hub, "alpha-02", "2026-02-26", actor="alpha-lead")
    checkins.create(hub, "beta-01", "2026-02-20", actor="beta-lead")
    checkins.create(hub, "alpha-03", "2026-01-20", actor="alpha-lead")
    checkins.create(hub, "alpha-03", "2026-03-09", actor="alpha-lead")  # planned
    clock.set("2026-03-02")


def test_the_overview_agrees_with_the_cadence_of_every_pair_overdue_first(org, hub, clock):
    from corehub_self_assessment import checkins, checkins_overview

    _overview_org(hub, clock)
    rows = checkins_overview.overview(hub, actor="hr-1")
    # the same last / planned / next due / overdue as the cadence every reminder uses
    expected = {(r["manager_id"], r["person_id"]): r for r in checkins.cadence(hub, actor="hr-1")}
    assert {(r["manager_id"], r["person_id"]) for r in rows} == set(expected)
    for row in rows:
        pair = expected[(row["manager_id"], row["person_id"])]
        for key in ("last", "planned", "next_due", "overdue", "cadence_days", "team"):
            assert row[key] == pair[key], (row, pair)
    overdue = [r["person_id"] for r in rows if r["overdue"]]
    assert overdue == ["alpha-01", "beta-01"]  # 51 days and 10 days since, against 14 and 7
    assert [r["person_id"] for r in rows[:2]] == overdue
    # then the pairs who never met, then the longest since the last check-in
    rest = [r["last"] is None for r in rows[2:]]
    assert rest == sorted(rest, reverse=True) and True in rest and False in rest
    met = [r["days_since"] for r in rows[2:] if r["last"] is not None]
    assert met == sorted(met, reverse=True) and len(met) == 2
    alpha01 = rows[0]
    assert alpha01["days_since"] == 51 and alpha01["held"] == 1


def test_the_overview_pages_and_filters_in_sql_and_refuses_who_may_not_see_the_team(
    org, hub, clock
):
    from corehub.errors import NotFoundError, PermissionDeniedError
    from corehub_self_assessment import checkins_overview

    _overview_org(hub, clock)
    everyone = checkins_overview.overview(hub, actor="hr-1")
    total = checkins_overview.count(hub, actor="hr-1")
    assert total == len(everyone) > 3
    pages = [
        checkins_overview.overview(hub, limit=2, offset=n, actor="hr-1") for n in range(0, total, 2)
    ]
    assert [r for page in pages for r in page] == everyone
    alpha = checkins_overview.overview(hub, team="alpha", actor="alpha-lead")
    assert {r["team"] for r in alpha} == {"alpha"}
    assert checkins_overview.count(hub, team="alpha", actor="alpha-lead") == len(alpha)
    late = checkins_overview.overview(hub, overdue_only=True, actor="hr-1")
    assert [r["person_id"] for r in late] == ["alpha-01", "beta-01"]
    by_boss = checkins_overview.overview(hub, manager_id="boss", actor="hr-1")
    assert {r["manager_id"] for r in by_boss} == {"boss"}
    with pytest.raises(PermissionDeniedError, match="only HR can"):
        checkins_overview.overview(hub, actor="alpha-lead")
    with pytest.raises(PermissionDeniedError, match="team beta"):
        checkins_overview.count(hub, team="beta", actor="alpha-01")
    with pytest.raises(NotFoundError, match="nobody"):
        checkins_overview.overview(hub, manager_id="nobody", actor="hr-1")


def test_checkin_overview_on_the_command_line(org, cli, hub, clock):
    _overview_org(hub, clock)
    shown = cli("checkin", "overview", "--overdue")
    assert shown.exit_code == 0, shown.output
    lines = shown.stdout.strip().splitlines()
    assert lines[0].split()[:3] == ["TEAM", "MANAGER", "PERSON"]
    assert "alpha-01" in lines[2] and "2026-01-10" in lines[2] and "OVERDUE" in lines[2]
    assert "beta-01" in lines[3] and len(lines) == 4
    refused = cli("--as", "alpha-01", "checkin", "overview", "--team", "alpha")
    assert refused.exit_code != 0 and "Traceback" not in refused.output
    assert "may not see team alpha" in refused.output


# -- carrying an action item into the development plan -------------------------------------


def _add_action(cli, checkin_id, text, owner, due, *extra, who="alpha-lead"):
    args = ["--as", who, "checkin", "action", "add", str(checkin_id), text]
    return cli(*args, "--owner", owner, "--due", due, *extra)


def test_an_action_item_carried_into_the_plan_is_linked_both_ways(org, cli, hub):
    from corehub_self_assessment import checkins, plans

    checkin_id = new_checkin(cli, "alpha-lead", "alpha-01", "2026-03-02")
    added = _add_action(cli, checkin_id, "Shadow a senior", "alpha-01", "2026-03-20", "--plan")
    assert added.exit_code == 0, added.output
    assert "Carried into alpha-01's development plan as action #1." in added.stdout
    plan = plans.show(hub, "alpha-01", actor="alpha-01")
    (carried,) = plan["actions"]
    assert carried["text"] == "Shadow a senior" and carried["due"] == "2026-03-20"
    assert carried["owner"] == "alpha-01"
    assert (carried["checkin_id"], carried["checkin_day"]) == (checkin_id, "2026-03-02")
    shown = cli("--as", "alpha-01", "plan", "show")
    assert f"check-in {checkin_id} (2026-03-02)" in shown.stdout, shown.output
    item = checkins.view(hub, checkin_id, actor="alpha-01")["actions"][0]
    assert item["plan_action_id"] == carried["id"]
    row = cli("--as", "alpha-01", "checkin", "show", str(checkin_id)).stdout
    assert f"#{carried['id']}" in row.split("Action items:")[1]
    # one item, one plan action: carrying it again is refused, and nothing is added
    again = cli("--as", "alpha-01", "checkin", "action", "carry", str(item["id"]))
    assert again.exit_code != 0 and "Traceback" not in again.output
    assert "in the development plan already, as action #1" in again.output
    assert len(plans.show(hub, "alpha-01", actor="alpha-01")["actions"]) == 1
    # done on either side is done on both
    plans.action_done(hub, carried["id"], actor="alpha-01")
    assert checkins.find_action(hub, item["id"]).done
    reopen = cli("--as", "alpha-lead", "checkin", "action", "done", str(item["id"]), "--undo")
    assert reopen.exit_code != 0 and "stays done" in reopen.output


def test_marking_a_carried_item_done_marks_the_plan_action_done(org, cli, hub):
    from corehub_self_assessment import checkins, plans

    checkin_id = new_checkin(cli, "alpha-lead", "alpha-01", "2026-03-02")
    assert _add_action(cli, checkin_id, "Read the guide", "alpha-lead", "2026-03-06").exit_code == 0
    action_id = checkins.view(hub, checkin_id, actor="alpha-lead")["actions"][0]["id"]
    carried = cli("--as", "alpha-01", "checkin", "action", "carry", str(action_id))
    assert carried.exit_code == 0, carried.output
    assert plans.action(hub, 1)["owner_id"] == "alpha-lead"
    assert cli("--as", "alpha-01", "checkin", "action", "done", str(action_id)).exit_code == 0
    assert plans.action(hub, 1)["status"] == "done"
    assert plans.action(hub, 1)["done_on"] == "2026-03-02"


def test_carrying_is_refused_to_others_for_done_items_and_with_add_it_is_all_or_nothing(
    org, cli, hub
):
    from corehub_self_assessment import checkins, plans

    checkin_id = new_checkin(cli, "alpha-lead", "alpha-01", "2026-03-02")
    assert _add_action(cli, checkin_id, "Open one", "alpha-01", "2026-03-20").exit_code == 0
    open_id = checkins.view(hub, checkin_id, actor="alpha-lead")["actions"][0]["id"]
    for who in ("alpha-02", "beta-lead"):
        refused = cli("--as", who, "checkin", "action", "carry", str(open_id))
        assert refused.exit_code != 0 and "Traceback" not in refused.output
    hr = cli("--as", "hr-1", "checkin", "action", "carry", str(open_id))
    assert hr.exit_code != 0 and "only they and their manager can" in hr.output
    checkins.set_done(hub, open_id, actor="alpha-01")
    done = cli("--as", "alpha-01", "checkin", "action", "carry", str(open_id))
    assert done.exit_code != 0 and "it is done already" in done.output
    # the boss holds a skip-level check-in: an item the boss owns cannot be in the plan
    # (a plan action is owned by the person or their manager), and --plan adds nothing
    skip = new_checkin(cli, "boss", "alpha-01", "2026-03-03")
    both = _add_action(cli, skip, "Boss does it", "boss", "2026-03-20", "--plan", who="boss")
    assert both.exit_code != 0 and "Traceback" not in both.output
    assert checkins.view(hub, skip, actor="boss")["actions"] == []
    assert plans.show(hub, "alpha-01", actor="alpha-01")["actions"] == []


def test_open_plan_actions_remind_the_owner_in_their_language_and_the_manager_when_late(
    org, cli, hub, clock
):
    import attrs

    from corehub_self_assessment import plans

    hub.people.save([attrs.evolve(hub.people.get("alpha-01"), locale="es")])
    plans.add_action(hub, "alpha-01", "Terminar el curso KCS", due="2026-03-05", actor="alpha-01")
    plans.add_action(
        hub, "alpha-01", "Book the room", owner="alpha-lead", due="2026-03-04", actor="alpha-01"
    )
    plans.add_action(hub, "alpha-01", "Someday", actor="alpha-01")  # no due date: no reminder
    done = plans.add_action(hub, "alpha-01", "Done", due="2026-03-01", actor="alpha-01")
    plans.action_done(hub, done["id"], actor="alpha-01")
    # a check-in item carried into the plan is reminded of once, as a plan action
    checkin_id = new_checkin(cli, "alpha-lead", "alpha-01", "2026-03-02")
    _add_action(cli, checkin_id, "Carried one", "alpha-01", "2026-03-06", "--plan")
    found = {
        (r.key, r.person_id, r.category)
        for _p, rs in hub.hook.extra_reminders.collect(hub=hub, today=hub.clock.today())
        for r in rs
        if r.category in ("plans", "checkins") and "action" in r.key
    }
    assert found == {
        ("plan-action:1", "alpha-01", "plans"),
        ("plan-action:2", "alpha-lead", "plans"),
        ("plan-action:5", "alpha-01", "plans"),
    }
    soon = cli("remind", "--dry-run")
    block = soon.stdout.split("--- to alpha-01:")[1].split("--- to ")[0]
    assert "Acción del plan de desarrollo" in block and "Terminar el curso KCS" in block
    assert "Terminar el curso KCS" not in soon.stdout.split("--- to alpha-lead:")[1]
    clock.set("2026-03-09")  # four days late: the manager is told too
    late = cli("remind", "--dry-run")
    lead = late.stdout.split("--- to alpha-lead:")[1].split("--- to ")[0]
    assert "Terminar el curso KCS" in lead and "Book the room" in lead
