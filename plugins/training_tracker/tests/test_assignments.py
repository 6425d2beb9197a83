"""Assigning, starting, completing and waiving courses; the status of each assignment."""

from __future__ import annotations

import datetime as dt

import attrs

from corehub.models import AssignmentStatus


def status_of(cli, person_id, course_id):
    rows = cli("training", "status", "--person", person_id, "--json").json()
    found = [r for r in rows if r["course_id"] == course_id]
    return found[-1] if found else None


def test_assign_to_person_team_and_level(tracker, team, cli):
    result = cli(
        "training",
        "assign",
        "--course",
        "stress-handling",
        "--person",
        "alpha-01",
        "--due",
        "2026-04-01",
    )
    assert result.exit_code == 0, result.output
    assert status_of(cli, "alpha-01", "stress-handling")["status"] == "assigned"

    result = cli(
        "training",
        "assign",
        "--course",
        "stress-handling",
        "--team",
        "alpha",
        "--due",
        "01/04/2026",
    )
    assert result.exit_code == 0, result.output
    assert "Assigned stress-handling to 3 person(s)" in result.stdout
    assert "skipped alpha-01: already assigned" in result.stdout

    result = cli(
        "training",
        "assign",
        "--course",
        "clear-writing",
        "--level",
        "supervisory",
        "--due",
        "2026-04-01",
    )
    assert "to 1 person(s)" in result.stdout
    rows = cli("training", "status", "--json").json()
    assert {(r["person_id"], r["course_id"]) for r in rows} == {
        *((p.id, "stress-handling") for p in team),
        ("alpha-lead", "clear-writing"),
    }
    assert all(r["due"] == "2026-04-01" and r["source"] == "manual" for r in rows)


def test_assign_bad_input_writes_nothing(tracker, team, cli):
    cases = [
        (
            ["--course", "stres-handling", "--person", "alpha-01", "--due", "2026-04-01"],
            "did you mean 'stress-handling'",
        ),
        (
            ["--course", "stress-handling", "--person", "nobody", "--due", "2026-04-01"],
            "unknown person 'nobody'",
        ),
        (
            ["--course", "stress-handling", "--team", "omega", "--due", "2026-04-01"],
            "no active people in team 'omega'",
        ),
        (
            ["--course", "stress-handling", "--person", "alpha-01", "--due", "2026-03-01"],
            "before the assignment date 2026-03-02",
        ),
        (
            ["--course", "stress-handling", "--person", "alpha-01", "--due", "31/02/2026"],
            "not a date",
        ),
        (
            ["--course", "stress-handling", "--due", "2026-04-01"],
            "give --person, --team or --level",
        ),
    ]
    for args, message in cases:
        result = cli("training", "assign", *args)
        assert result.exit_code != 0, args
        assert message in result.output, (args, result.output)
    assert tracker.db["training_assignments"].count == 0


def test_one_unknown_person_among_good_ones_assigns_nobody(tracker, team, cli):
    result = cli(
        "training",
        "assign",
        "--course",
        "stress-handling",
        "--person",
        "alpha-01",
        "--person",
        "ghost",
        "--due",
        "2026-04-01",
    )
    assert result.exit_code == 1
    assert tracker.db["training_assignments"].count == 0


def test_complete_closes_the_assignment_and_fires_the_event(tracker, team, cli, spy, clock):
    cli(
        "training",
        "assign",
        "--course",
        "data-protection",
        "--person",
        "alpha-02",
        "--due",
        "2026-04-01",
    )
    clock.set("2026-03-20")
    result = cli(
        "training",
        "complete",
        "--person",
        "alpha-02",
        "--course",
        "data-protection",
        "--date",
        "18/03/2026",
        "--score",
        "92.5",
    )
    assert result.exit_code == 0, result.output
    assert "valid until 2027-03-18" in result.stdout
    row = status_of(cli, "alpha-02", "data-protection")
    assert row["status"] == "completed"
    assert row["completed_on"] == "2026-03-18" and row["expires_on"] == "2027-03-18"
    assert [a.person_id for a in spy.completed] == ["alpha-02"]
    assert spy.completed[0].status is AssignmentStatus.COMPLETED
    assert spy.completed[0].expires_on == dt.date(2027, 3, 18)
    events = [e.action for e in tracker.audit.events(entity="training_assignment")]
    assert "training.assignment_completed" in events


def test_completion_without_assignment_is_kept_and_counts(tracker, team, cli):
    result = cli(
        "training",
        "complete",
        "--person",
        "alpha-01",
        "--course",
        "moments-of-truth",
        "--date",
        "2026-02-10",
    )
    assert result.exit_code == 0, result.output
    cli("training", "sync")
    assert status_of(cli, "alpha-01", "moments-of-truth") is None
    matrix = cli("training", "matrix", "--json").json()
    alpha01 = next(p for p in matrix["people"] if p["id"] == "alpha-01")
    assert alpha01["cells"]["moments-of-truth"]["state"] == "completed"


def test_completion_bad_input_is_refused_and_nothing_written(tracker, team, cli, spy):
    cli(
        "training",
        "assign",
        "--course",
        "active-listening",
        "--person",
        "alpha-01",
        "--due",
        "2026-04-01",
    )
    cases = [
        (
            ["--person", "alpha-01", "--course", "active-listening", "--date", "2019-12-31"],
            "before alpha-01's hire date 2020-01-06",
        ),
        (
            ["--person", "alpha-01", "--course", "active-listening", "--date", "2026-03-03"],
            "in the future",
        ),
        (
            ["--person", "ghost", "--course", "active-listening", "--date", "2026-03-01"],
            "no person with id 'ghost'",
        ),
        (
            ["--person", "alpha-01", "--course", "nothing", "--date", "2026-03-01"],
            "no course with id 'nothing'",
        ),
        (
            [
                "--person",
                "alpha-01",
                "--course",
                "active-listening",
                "--date",
                "2026-03-01",
                "--score",
                "101",
            ],
            "101",
        ),
        (
            ["--person", "alpha-01", "--course", "complaint-handling", "--date", "2026-03-01"],
            "prerequisite 'active-listening'",
        ),
        (
            [
                "--person",
                "alpha-01",
                "--course",
                "complaint-handling",
                "--date",
                "2026-03-01",
                "--override",
            ],
            "--override needs --reason",
        ),
    ]
    for args, message in cases:
        result = cli("training", "complete", *args)
        assert result.exit_code != 0, args
        assert message in result.output, (args, result.output)
    assert tracker.db["training_completions"].count == 0
    assert status_of(cli, "alpha-01", "active-listening")["status"] == "assigned"
    assert spy.completed == []


def test_prerequisite_met_or_overridden_with_reason(tracker, team, cli):
    assert (
        cli(
            "training",
            "complete",
            "--person",
            "alpha-01",
            "--course",
            "active-listening",
            "--date",
            "2026-01-10",
        ).exit_code
        == 0
    )
    assert (
        cli(
            "training",
            "complete",
            "--person",
            "alpha-01",
            "--course",
            "complaint-handling",
            "--date",
            "2026-01-20",
        ).exit_code
        == 0
    )
    # the prerequisite must come first: a completion dated before it does not count
    result = cli(
        "training",
        "complete",
        "--person",
        "alpha-02",
        "--course",
        "active-listening",
        "--date",
        "2026-02-10",
    )
    assert result.exit_code == 0
    result = cli(
        "training",
        "complete",
        "--person",
        "alpha-02",
        "--course",
        "complaint-handling",
        "--date",
        "2026-02-01",
    )
    assert result.exit_code == 1 and "prerequisite" in result.stderr
    result = cli(
        "training",
        "complete",
        "--person",
        "alpha-03",
        "--course",
        "complaint-handling",
        "--date",
        "2026-02-01",
        "--override",
        "--reason",
        "took the equivalent course at her last job",
    )
    assert result.exit_code == 0, result.output
    reasons = [e.reason for e in tracker.audit.events(action="training.completed")]
    assert "took the equivalent course at her last job" in reasons


def test_same_completion_twice_is_refused(tracker, team, cli):
    args = (
        "training",
        "complete",
        "--person",
        "alpha-01",
        "--course",
        "clear-writing",
        "--date",
        "2026-02-10",
    )
    assert cli(*args).exit_code == 0
    result = cli(*args)
    assert (
        result.exit_code == 1
        and "already has 'clear-writing' completed on 2026-02-10" in result.stderr
    )


def test_statuses_in_progress_overdue_expired(tracker, team, cli, clock):
    cli(
        "training",
        "assign",
        "--course",
        "product-update",
        "--person",
        "alpha-01",
        "--due",
        "2026-03-31",
    )
    cli(
        "training",
        "assign",
        "--course",
        "clear-writing",
        "--person",
        "alpha-02",
        "--due",
        "2026-03-10",
    )
    assert (
        cli("training", "start", "--person", "alpha-01", "--course", "product-update").exit_code
        == 0
    )
    assert status_of(cli, "alpha-01", "product-update")["status"] == "in_progress"
    assert status_of(cli, "alpha-02", "clear-writing")["status"] == "assigned"
    clock.set("2026-03-11")
    row = status_of(cli, "alpha-02", "clear-writing")
    assert row["status"] == "overdue" and row["days_overdue"] == 1
    overdue = cli("training", "status", "--overdue", "--json").json()
    assert [(r["person_id"], r["course_id"]) for r in overdue] == [("alpha-02", "clear-writing")]
    cli(
        "training",
        "complete",
        "--person",
        "alpha-01",
        "--course",
        "product-update",
        "--date",
        "2026-03-11",
    )
    clock.set("2027-03-11")
    assert status_of(cli, "alpha-01", "product-update")["status"] == "expired"
    table = cli("training", "status", "--team", "alpha").stdout
    assert "EXPIRED" in table and "OVERDUE" in table


def test_start_needs_an_open_assignment(tracker, team, cli):
    result = cli("training", "start", "--person", "alpha-01", "--course", "product-update")
    assert result.exit_code == 1 and "no open assignment" in result.stderr


def test_waive_needs_a_reason_and_keeps_sync_away(tracker, team, cli, clock):
    result = cli("training", "waive", "--person", "alpha-01", "--course", "data-protection")
    assert result.exit_code != 0 and "--reason" in result.output
    result = cli(
        "training", "waive", "--person", "alpha-01", "--course", "data-protection", "--reason", " "
    )
    assert result.exit_code == 1 and "needs a reason" in result.stderr
    result = cli(
        "training",
        "waive",
        "--person",
        "alpha-01",
        "--course",
        "data-protection",
        "--reason",
        "certified by the parent company",
        "--until",
        "2026-06-30",
    )
    assert result.exit_code == 0, result.output
    cli("training", "sync")
    rows = [
        r
        for r in cli("training", "status", "--person", "alpha-01", "--json").json()
        if r["course_id"] == "data-protection"
    ]
    assert [r["status"] for r in rows] == ["waived"]
    assert rows[0]["waived_reason"] == "certified by the parent company"
    clock.set("2026-07-01")
    cli("training", "sync")
    rows = [
        r
        for r in cli("training", "status", "--person", "alpha-01", "--json").json()
        if r["course_id"] == "data-protection"
    ]
    assert sorted(r["status"] for r in rows) == ["assigned", "waived"]


def test_waive_an_open_assignment(tracker, team, cli):
    cli("training", "sync")
    result = cli(
        "training",
        "waive",
        "--person",
        "alpha-lead",
        "--course",
        "supervisor-coaching",
        "--reason",
        "ICF certified coach",
    )
    assert result.exit_code == 0
    rows = [
        r
        for r in cli("training", "status", "--person", "alpha-lead", "--json").json()
        if r["course_id"] == "supervisor-coaching"
    ]
    assert [r["status"] for r in rows] == ["waived"]


def test_people_acting_for_themselves_and_for_others(tracker, team, cli):
    from corehub.testing import run_cli

    tracker.actor = "alpha-01"
    result = run_cli(
        tracker,
        "training",
        "assign",
        "--course",
        "clear-writing",
        "--person",
        "alpha-02",
        "--due",
        "2026-04-01",
    )
    assert result.exit_code == 1 and "alpha-01 does not manage alpha-02" in result.stderr
    result = run_cli(
        tracker,
        "training",
        "complete",
        "--person",
        "alpha-01",
        "--course",
        "clear-writing",
        "--date",
        "2026-03-01",
    )
    assert result.exit_code == 0, result.output
    result = run_cli(
        tracker,
        "training",
        "complete",
        "--person",
        "alpha-02",
        "--course",
        "clear-writing",
        "--date",
        "2026-03-01",
    )
    assert result.exit_code == 1
    tracker.actor = "alpha-lead"
    result = run_cli(
        tracker,
        "training",
        "assign",
        "--course",
        "clear-writing",
        "--person",
        "alpha-02",
        "--due",
        "2026-04-01",
    )
    assert result.exit_code == 0, result.output


def test_inactive_person_cannot_be_assigned(tracker, team, cli):
    tracker.people.save([attrs.evolve(tracker.people.get("alpha-03"), active=False)])
    result = cli(
        "training",
        "assign",
        "--course",
        "clear-writing",
        "--person",
        "alpha-03",
        "--due",
        "2026-04-01",
    )
    assert result.exit_code == 1 and "inactive" in result.stderr
