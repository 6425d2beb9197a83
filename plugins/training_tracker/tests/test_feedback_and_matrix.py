"""Course feedback (ratings and comments) and the compliance matrix."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from corehub_training_tracker.dates import add_months


def test_participants_rate_completed_courses(tracker, team, cli):
    result = cli(
        "--as",
        "alpha-01",
        "training",
        "rate",
        "--person",
        "alpha-01",
        "--course",
        "clear-writing",
        "--rating",
        "4",
    )
    assert result.exit_code == 1 and "has not completed 'clear-writing'" in result.stderr
    for person in ("alpha-01", "alpha-02", "alpha-03"):
        cli(
            "training",
            "complete",
            "--person",
            person,
            "--course",
            "clear-writing",
            "--date",
            "2026-02-01",
        )
    cli(
        "--as",
        "alpha-01",
        "training",
        "rate",
        "--person",
        "alpha-01",
        "--course",
        "clear-writing",
        "--rating",
        "5",
        "--comment",
        "<b>great</b> examples",
    )
    cli(
        "--as",
        "alpha-02",
        "training",
        "rate",
        "--person",
        "alpha-02",
        "--course",
        "clear-writing",
        "--rating",
        "3",
    )
    cli(
        "--as",
        "alpha-02",
        "training",
        "rate",
        "--person",
        "alpha-02",
        "--course",
        "clear-writing",
        "--rating",
        "2",
        "--comment",
        "too long",
    )
    courses = {c["id"]: c for c in cli("training", "courses", "--json").json()}
    assert courses["clear-writing"]["rating_average"] == 3.5
    assert courses["clear-writing"]["rating_count"] == 2
    assert courses["stress-handling"]["rating_count"] == 0
    assert "3.5 (2)" in cli("training", "courses").stdout
    assert (
        cli(
            "--as",
            "alpha-03",
            "training",
            "rate",
            "--person",
            "alpha-03",
            "--course",
            "clear-writing",
            "--rating",
            "6",
        ).exit_code
        != 0
    )
    assert (
        cli(
            "--as",
            "alpha-03",
            "training",
            "rate",
            "--person",
            "alpha-03",
            "--course",
            "clear-writing",
            "--rating",
            "0",
        ).exit_code
        != 0
    )


def test_only_the_participant_rates(tracker, team, cli):
    from corehub.testing import run_cli

    cli(
        "training",
        "complete",
        "--person",
        "alpha-01",
        "--course",
        "clear-writing",
        "--date",
        "2026-02-01",
    )
    tracker.actor = "alpha-lead"
    result = run_cli(
        tracker,
        "training",
        "rate",
        "--person",
        "alpha-01",
        "--course",
        "clear-writing",
        "--rating",
        "1",
    )
    assert result.exit_code == 1 and "only rate courses for themselves" in result.stderr
    tracker.actor = "alpha-01"
    assert (
        run_cli(
            tracker,
            "training",
            "rate",
            "--person",
            "alpha-01",
            "--course",
            "clear-writing",
            "--rating",
            "4",
        ).exit_code
        == 0
    )


def test_matrix_states_dates_and_compliance(tracker, team, cli, clock):
    cli(
        "training",
        "complete",
        "--person",
        "alpha-01",
        "--course",
        "active-listening",
        "--date",
        "2025-05-01",
    )
    cli(
        "training",
        "complete",
        "--person",
        "alpha-01",
        "--course",
        "data-protection",
        "--date",
        "2025-03-20",
    )
    cli("training", "sync")
    cli("training", "start", "--person", "alpha-02", "--course", "active-listening")
    cli(
        "training",
        "waive",
        "--person",
        "alpha-03",
        "--course",
        "active-listening",
        "--reason",
        "trainer of the course",
    )
    cli(
        "training",
        "assign",
        "--course",
        "clear-writing",
        "--person",
        "alpha-01",
        "--due",
        "2026-03-05",
    )
    clock.set("2026-03-10")
    matrix = cli("training", "matrix", "--team", "alpha", "--json").json()
    assert [c["id"] for c in matrix["courses"]] == [
        "active-listening",
        "complaint-handling",
        "data-protection",
        "moments-of-truth",
        "supervisor-coaching",
    ]
    cells = {p["id"]: p["cells"] for p in matrix["people"]}
    assert cells["alpha-01"]["active-listening"]["state"] == "completed"
    assert cells["alpha-01"]["data-protection"]["state"] == "expiring"  # recertification open
    assert cells["alpha-01"]["data-protection"]["expires_on"] == "2026-03-20"
    assert cells["alpha-02"]["active-listening"]["state"] == "in_progress"
    assert cells["alpha-03"]["active-listening"]["state"] == "waived"
    assert cells["alpha-02"]["moments-of-truth"] == {
        "state": "assigned",
        "completed_on": None,
        "expires_on": None,
        "due": "2026-05-01",
    }
    assert cells["alpha-lead"]["active-listening"] is None  # not required of a supervisor
    assert cells["alpha-lead"]["supervisor-coaching"]["state"] == "assigned"
    listening = next(c for c in matrix["courses"] if c["id"] == "active-listening")
    assert (listening["compliant"], listening["required"]) == (2, 3)
    clock.set("2026-05-02")
    matrix = cli("training", "matrix", "--json").json()
    cells = {p["id"]: p["cells"] for p in matrix["people"]}
    assert cells["alpha-02"]["moments-of-truth"]["state"] == "overdue"
    # the certification lapsed while its recertification (due on the expiry day) is still open
    assert cells["alpha-01"]["data-protection"]["state"] == "overdue"
    assert cells["alpha-01"]["data-protection"]["due"] == "2026-03-20"
    text = cli("training", "matrix").stdout
    assert "OVERDUE, due 2026-05-01" in text and "Compliant: active-listening 2/3" in text


def test_matrix_shows_missing_before_sync_and_unknown_team_is_an_error(tracker, team, cli):
    matrix = cli("training", "matrix", "--json").json()
    assert {cell["state"] for p in matrix["people"] for cell in p["cells"].values() if cell} == {
        "missing"
    }
    result = cli("training", "matrix", "--team", "omega")
    assert result.exit_code == 1 and "omega" in result.stderr


@given(
    day=st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2200, 1, 1)),
    months=st.integers(0, 240),
)
def test_add_months(day, months):
    result = add_months(day, months)
    assert (result.year * 12 + result.month) - (day.year * 12 + day.month) == months
    assert result.day == day.day or (
        result.day < day.day and (result + dt.timedelta(days=1)).day == 1
    )
    assert add_months(day, 0) == day
    if months and day.day <= 28:
        assert add_months(add_months(day, months), -months) == day
