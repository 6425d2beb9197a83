"""New-hire reviews at 30/60/90 days: the rule, creation on hiring, status, filling, reminders."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from corehub.models import Level, Person

TODAY = dt.date(2026, 3, 2)


def set_rule(hub: Any, **values: Any) -> None:
    """Change ``[settings.new_hire]`` for this hub (as editing corehub.toml would)."""
    hub.config.settings["new_hire"] = values
    hub.reload_settings()


def hire(hub: Any, person_id: str, hired: dt.date, manager: str = "alpha-lead") -> Person:
    person = Person(
        id=person_id,
        name=f"New {person_id}",
        email=f"{person_id}@example.org",
        role="Service desk agent",
        level=Level.OPERATIONAL,
        team="alpha",
        manager_id=manager,
        hire_date=hired,
    )
    hub.people.save([person])
    return person


def parts(cli: Any, *as_: str) -> set[tuple[str, int, str, str | None, str | None]]:
    rows = cli(*as_, "newhire", "status", "--json").json()
    return {(r["person_id"], r["day"], r["due"], r["self"], r["manager"]) for r in rows}


def test_hiring_someone_creates_their_reviews_once(hub, team, cli):
    set_rule(hub, days=[30, 60, 90])
    hire(hub, "new-1", TODAY - dt.timedelta(days=3))
    assert parts(cli) == {
        ("new-1", 30, "2026-03-29", "draft", "draft"),
        ("new-1", 60, "2026-04-28", "draft", "draft"),
        ("new-1", 90, "2026-05-28", "draft", "draft"),
    }
    # importing the same person again, and a sync, create nothing twice
    hire(hub, "new-1", TODAY - dt.timedelta(days=3))
    result = cli("newhire", "sync")
    assert result.exit_code == 0 and "0 new-hire review part(s) created" in result.stdout
    assert len(cli("newhire", "status", "--json").json()) == 3


def test_people_already_present_get_only_milestones_ahead_or_recent(hub, team, cli):
    hire(hub, "old", TODAY - dt.timedelta(days=200))
    hire(hub, "mid", TODAY - dt.timedelta(days=40))  # 30 days was 10 days ago: recent
    hire(hub, "late", TODAY - dt.timedelta(days=50))  # 30 days was 20 days ago: skipped
    assert cli("newhire", "status", "--json").json() == []  # the rule is off by default
    set_rule(hub, days=[30, 60, 90])
    result = cli("newhire", "sync")
    assert result.exit_code == 0, result.output
    assert {(p, d) for p, d, *_ in parts(cli)} == {
        ("mid", 30),
        ("mid", 60),
        ("mid", 90),
        ("late", 60),
        ("late", 90),
    }
    again = cli("newhire", "sync")
    assert "0 new-hire review part(s) created" in again.stdout


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        ({"days": [30, -60]}, "-60 is not a positive number of days"),
        ({"days": [0]}, "0 is not a positive number of days"),
        ({"days": [60, 30]}, "must be in increasing order"),
        ({"days": [30, 30]}, "must be in increasing order"),
        ({"days": "thirty"}, "[settings.new_hire]"),
    ],
)
def test_a_bad_rule_is_an_error_naming_the_setting_and_nothing_is_written(
    hub, team, cli, rule, expected
):
    set_rule(hub, **rule)
    result = cli("newhire", "sync")
    assert result.exit_code == 1
    assert "[settings.new_hire]" in result.stderr and expected in result.stderr
    assert "Traceback" not in result.output
    # hiring someone is refused as a whole: the person is not half-imported
    with pytest.raises(Exception, match=r"settings\.new_hire"):
        hire(hub, "new-2", TODAY)
    assert hub.people.find("new-2") is None


def test_an_unknown_form_is_an_error_and_the_import_is_undone(hub, team, cli):
    set_rule(hub, days=[30], form="onboarding")
    result = cli("newhire", "sync")
    assert result.exit_code == 1
    assert "[settings.new_hire] form: no form 'onboarding'" in result.stderr
    assert "new_hire" in result.stderr  # the forms there are
    with pytest.raises(Exception, match="no form 'onboarding'"):
        hire(hub, "new-3", TODAY)
    assert hub.people.find("new-3") is None


def test_the_new_hire_form_is_never_chosen_for_a_review_cycle(hub, team):
    from corehub_self_assessment import forms

    hub.people.save([Person(id="x", name="X", role="Astronaut", level=Level.OPERATIONAL)])
    assert "new_hire" in forms.all_forms(hub)
    # with every level form replaced by nothing, a general form would be chosen
    person = hub.people.get("x")
    chosen = forms.choose_form(hub, person)
    assert chosen is not None and chosen.id != "new_hire"


def test_each_fills_their_part_and_sees_the_other_once_submitted(hub, team, cli):
    set_rule(hub, days=[30])
    hire(hub, "new-1", TODAY - dt.timedelta(days=29))
    # the manager's draft is theirs alone
    cli(
        "--as",
        "alpha-lead",
        "newhire",
        "fill",
        "new-1",
        "--day",
        "30",
        "--kind",
        "manager",
        "--set",
        "tools_and_procedures=2",
    )
    refused = cli("--as", "new-1", "newhire", "show", "new-1", "--day", "30", "--json")
    assert [p["kind"] for p in refused.json()] == ["self"]
    incomplete = cli("--as", "new-1", "newhire", "fill", "new-1", "--day", "30", "--submit")
    assert incomplete.exit_code == 1
    assert "going_well" in incomplete.stderr and "required" in incomplete.stderr
    bad = cli(
        "--as",
        "new-1",
        "newhire",
        "fill",
        "new-1",
        "--day",
        "30",
        "--set",
        "tools_and_procedures=3",
    )
    assert bad.exit_code == 1 and "answered in the manager review only" in bad.stderr
    ok = cli(
        "--as",
        "new-1",
        "newhire",
        "fill",
        "new-1",
        "--day",
        "30",
        "--set",
        "going_well=The team helps a lot",
        "--submit",
    )
    assert ok.exit_code == 0, ok.output
    assert (
        cli(
            "--as",
            "new-1",
            "newhire",
            "fill",
            "new-1",
            "--day",
            "30",
            "--set",
            "going_well=changed",
        ).exit_code
        == 1
    )
    done = cli(
        "--as",
        "alpha-lead",
        "newhire",
        "fill",
        "new-1",
        "--day",
        "30",
        "--kind",
        "manager",
        "--set",
        "serving_customers=3",
        "--set",
        "next_steps=Take the night queue",
        "--submit",
    )
    assert done.exit_code == 0, done.output
    shown = cli("--as", "new-1", "newhire", "show", "new-1", "--day", "30", "--json").json()
    assert {p["kind"]: p["status"] for p in shown} == {"self": "submitted", "manager": "submitted"}
    manager = next(p for p in shown if p["kind"] == "manager")
    assert manager["answers"]["next_steps"] == "Take the night queue"
    assert parts(cli, "--as", "boss") == {("new-1", 30, "2026-03-03", "submitted", "submitted")}


def test_only_the_author_fills_and_a_colleague_sees_nothing(hub, team, cli):
    set_rule(hub, days=[30])
    hire(hub, "new-1", TODAY)
    other = cli(
        "--as", "alpha-02", "newhire", "fill", "new-1", "--day", "30", "--set", "going_well=x"
    )
    assert other.exit_code == 1 and "it is new-1's to fill in" in other.stderr
    hr = cli(
        "--as",
        "boss",
        "newhire",
        "fill",
        "new-1",
        "--day",
        "30",
        "--kind",
        "manager",
        "--set",
        "next_steps=x",
    )
    assert hr.exit_code == 1 and "it is alpha-lead's to fill in" in hr.stderr
    assert cli("--as", "alpha-02", "newhire", "status", "--json").json() == []
    seen = cli("--as", "alpha-02", "newhire", "show", "new-1", "--day", "30")
    assert seen.exit_code == 1 and "may not see new-1's data" in seen.stderr


def test_open_parts_remind_the_person_and_their_manager(hub, team, cli):
    set_rule(hub, days=[30, 60])
    hire(hub, "new-1", TODAY - dt.timedelta(days=35))
    found = [
        r
        for _plugin, rs in hub.hook.extra_reminders.collect(hub=hub, today=TODAY)
        for r in rs
        if r.category == "new_hire"
    ]
    assert {(r.person_id, r.due.isoformat()) for r in found} == {
        ("new-1", "2026-02-25"),
        ("alpha-lead", "2026-02-25"),
        ("new-1", "2026-03-27"),
        ("alpha-lead", "2026-03-27"),
    }
    titles = {(r.person_id, r.due.isoformat()): r.title for r in found}
    assert titles[("new-1", "2026-02-25")].get(("en",)) == "New-hire review, 30 days: your part"
    assert titles[("alpha-lead", "2026-02-25")].get(("es",)) == (
        "Evaluación de nueva incorporación, 30 días"
    )
    result = cli("remind", "--dry-run")
    block = result.stdout.split("--- to alpha-lead:")[1].split("--- to ")[0]
    assert "New-hire review, 30 days (New new-1)" in block and "overdue" in block
