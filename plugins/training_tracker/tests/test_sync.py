"""``corehub training sync``: rules become assignments, once; recertification; overdue events."""

from __future__ import annotations

import datetime as dt

import attrs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corehub.models import Person


def assignments(hub, **where):
    rows = list(hub.db["training_assignments"].rows)
    return [r for r in rows if all(r[k] == v for k, v in where.items())]


def test_sync_twice_creates_nothing_twice(tracker, team, cli):
    first = cli("training", "sync")
    assert first.exit_code == 0
    count = tracker.db["training_assignments"].count
    # operational: 3 core courses + data protection; supervisory: coaching + data protection
    assert count == 3 * 4 + 2
    second = cli("training", "sync")
    assert "0 assignment(s) created" in second.stdout
    assert tracker.db["training_assignments"].count == count
    pairs = [(r["person_id"], r["course_id"]) for r in tracker.db["training_assignments"].rows]
    assert len(pairs) == len(set(pairs))


def test_sync_does_not_duplicate_a_manual_open_assignment(tracker, team, cli):
    cli(
        "training",
        "assign",
        "--course",
        "active-listening",
        "--person",
        "alpha-01",
        "--due",
        "2026-03-20",
    )
    cli("training", "sync")
    rows = assignments(tracker, person_id="alpha-01", course_id="active-listening")
    assert [(r["source"], r["due"]) for r in rows] == [("manual", "2026-03-20")]


def test_sync_skips_people_holding_the_course(tracker, team, cli):
    cli(
        "training",
        "complete",
        "--person",
        "alpha-02",
        "--course",
        "active-listening",
        "--date",
        "2025-05-05",
    )
    cli("training", "sync")
    assert assignments(tracker, person_id="alpha-02", course_id="active-listening") == []


def test_overdue_event_fires_once_per_assignment(tracker, team, cli, clock, spy):
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
    cli("training", "sync")
    assert spy.overdue == []
    clock.set("2026-03-06")
    result = cli("training", "sync")
    assert "1 newly overdue" in result.stdout
    assert [(a.person_id, a.course_id) for a in spy.overdue] == [("alpha-01", "clear-writing")]
    assert spy.overdue[0].status.value == "overdue"
    clock.set("2026-03-09")
    cli("training", "sync")
    assert len(spy.overdue) == 1
    assert (
        assignments(tracker, person_id="alpha-01", course_id="clear-writing")[0]["status"]
        == "overdue"
    )


def test_overdue_event_rolls_back_with_the_sync(tracker, team, cli, clock, register_plugin):
    from corehub import hookimpl

    class Failing:
        @hookimpl
        def assignment_overdue(self, hub, assignment):
            raise RuntimeError("mail server down")

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
    register_plugin(Failing(), name="failing")
    clock.set("2026-03-06")
    result = cli("training", "sync")
    assert result.exit_code == 1 and "failing" in result.stderr
    assert tracker.db["training_assignments"].count == 1
    assert assignments(tracker)[0]["overdue_notified_at"] is None


def test_certification_is_reassigned_before_it_expires(tracker, team, cli, clock, spy):
    cli(
        "training",
        "complete",
        "--person",
        "alpha-01",
        "--course",
        "data-protection",
        "--date",
        "2025-04-15",
    )
    cli("training", "sync")
    assert assignments(tracker, person_id="alpha-01", course_id="data-protection") == []
    clock.set("2026-03-16")  # 30 days before 2026-04-15
    cli("training", "sync")
    (recert,) = assignments(tracker, person_id="alpha-01", course_id="data-protection")
    assert (recert["source"], recert["due"]) == ("recertification", "2026-04-15")
    # the old completion does not satisfy the recertification; a new one does
    clock.set("2026-04-01")
    cli(
        "training",
        "complete",
        "--person",
        "alpha-01",
        "--course",
        "data-protection",
        "--date",
        "2026-03-30",
    )
    (recert,) = assignments(tracker, person_id="alpha-01", course_id="data-protection")
    assert recert["status"] == "completed" and recert["expires_on"] == "2027-03-30"
    assert spy.completed[-1].source == "recertification"
    cli("training", "sync")
    assert len(assignments(tracker, person_id="alpha-01", course_id="data-protection")) == 1


def test_recertification_window_is_configurable(tracker, team, hub_with_settings, clock):
    other, run = hub_with_settings(recertification_window_days=60)
    run(
        "training",
        "complete",
        "--person",
        "alpha-01",
        "--course",
        "data-protection",
        "--date",
        "2025-04-15",
    )
    clock.set("2026-02-15")  # 59 days before expiry
    run("training", "sync")
    rows = assignments(other, person_id="alpha-01", course_id="data-protection")
    assert [r["source"] for r in rows] == ["recertification"]


def test_expired_certification_shows_in_matrix_and_is_reassigned(tracker, team, cli, clock):
    cli(
        "training",
        "complete",
        "--person",
        "alpha-01",
        "--course",
        "data-protection",
        "--date",
        "2025-01-10",
    )
    matrix = cli("training", "matrix", "--json").json()
    cell = next(p for p in matrix["people"] if p["id"] == "alpha-01")["cells"]["data-protection"]
    assert cell == {
        "state": "expired",
        "completed_on": "2025-01-10",
        "expires_on": "2026-01-10",
        "due": None,
    }
    cli("training", "sync")
    (row,) = assignments(tracker, person_id="alpha-01", course_id="data-protection")
    assert row["source"] == "recertification" and row["due"] == "2026-04-01"


def test_rule_recertify_months_sets_the_expiry(tracker, team, cli, courses_dir):
    (courses_dir / "rules.yaml").write_text(
        "rules:\n  - {id: agents-listen-again, course: active-listening, levels: operational, recertify_months: 18}\n",
        encoding="utf-8",
    )
    result = cli(
        "training",
        "complete",
        "--person",
        "alpha-01",
        "--course",
        "active-listening",
        "--date",
        "2025-08-31",
    )
    assert "valid until 2027-02-28" in result.stdout


def test_new_hires_get_induction_within_the_window(tracker, team, cli):
    tracker.people.save(
        [
            Person(
                id="new-1",
                name="New One",
                team="alpha",
                manager_id="alpha-lead",
                hire_date=dt.date(2026, 2, 20),
            ),
            Person(
                id="new-2",
                name="New Two",
                team="alpha",
                manager_id="alpha-lead",
                hire_date=dt.date(2025, 12, 15),
            ),
            Person(
                id="new-3",
                name="Starts Soon",
                team="alpha",
                manager_id="alpha-lead",
                hire_date=dt.date(2026, 3, 16),
            ),
            Person(id="no-date", name="No Date", team="alpha", manager_id="alpha-lead"),
        ]
    )
    cli("training", "sync")
    induction = {r["person_id"]: r for r in assignments(tracker, course_id="induction")}
    assert set(induction) == {"new-1", "new-2", "new-3"}
    assert induction["new-1"]["due"] == "2026-03-22"  # hired 2026-02-20 + 30 days
    assert induction["new-2"]["due"] == "2026-03-02"  # already late when first seen: due today
    assert induction["new-3"]["due"] == "2026-04-15"
    assert {r["source"] for r in induction.values()} == {"rule:induction-new-hires"}


def test_induction_days_setting(tracker, team, hub_with_settings):
    other, run = hub_with_settings(induction_days=10)
    other.people.save(
        [Person(id="new-1", name="New", team="alpha", hire_date=dt.date(2026, 2, 27))]
    )
    run("training", "sync")
    (row,) = assignments(other, person_id="new-1", course_id="induction")
    assert row["due"] == "2026-03-09"


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    hire=st.dates(min_value=dt.date(2024, 6, 1), max_value=dt.date(2027, 6, 1)),
    today=st.dates(min_value=dt.date(2026, 1, 1), max_value=dt.date(2026, 12, 31)),
)
def test_induction_due_date_arithmetic(tracker, clock, hire, today):
    """New hires (hired in the last 90 days, or not yet started) are due hire date + 30 days,
    never before the day the sync first sees them; earlier hires are not new hires."""
    from corehub_training_tracker.training import Training

    clock.set(today)
    person = Person(
        id=f"h{hire.toordinal()}-{today.toordinal()}", name="Hypo", team="h", hire_date=hire
    )
    tracker.people.save([person])
    training = Training(tracker)
    required = training.required(tracker.people.get(person.id))
    if hire < today - dt.timedelta(days=90):
        assert "induction" not in required
        return
    due, source = training._planned(person, "induction", required["induction"])
    assert due == max(hire + dt.timedelta(days=30), today)
    assert due >= today and source == "rule:induction-new-hires"


def test_evidence_file_is_copied_safely(tracker, team, cli, tmp_path):
    source = tmp_path / "Certificado de Lucía (final).PDF"
    source.write_bytes(b"%PDF-1.4 certificate")
    result = cli(
        "training",
        "complete",
        "--person",
        "alpha-01",
        "--course",
        "clear-writing",
        "--date",
        "2026-03-01",
        "--evidence",
        str(source),
    )
    assert result.exit_code == 0, result.output
    (row,) = tracker.db["training_completions"].rows
    stored = (tracker.workspace / row["evidence_file"]).resolve()
    assert stored.is_relative_to(tracker.workspace.resolve())
    assert stored.read_bytes() == source.read_bytes()
    assert stored.suffix == ".pdf" and " " not in stored.name and "Luc" not in stored.name
    assert row["evidence_name"] == source.name
    assert source.exists()


def test_no_command_writes_over_stored_evidence(tracker, team, cli, tmp_path):
    """extra_protected_paths: a backup or export aimed at the evidence folder is refused."""
    source = tmp_path / "cert.pdf"
    source.write_bytes(b"%PDF-1.4 certificate")
    done = cli(
        "training",
        "complete",
        "--person",
        "alpha-01",
        "--course",
        "clear-writing",
        "--date",
        "2026-03-01",
        "--evidence",
        str(source),
    )
    assert done.exit_code == 0, done.output
    (row,) = tracker.db["training_completions"].rows
    stored = tracker.workspace / row["evidence_file"]
    for target in (stored, stored.parent / "new.db"):
        refused = cli("db", "backup", "--force", str(target))
        assert refused.exit_code == 1 and "plugin's data" in refused.stderr, refused.output
    assert stored.read_bytes() == b"%PDF-1.4 certificate"
    assert sorted(p.name for p in stored.parent.iterdir()) == [stored.name]


def test_evidence_for_a_person_id_with_dots_stays_inside(tracker, cli, tmp_path):
    tracker.people.save([Person(id="..", name="Dot Dot", hire_date=dt.date(2020, 1, 1))])
    source = tmp_path / "cert.txt"
    source.write_text("ok", encoding="utf-8")
    result = cli(
        "training",
        "complete",
        "--person",
        "..",
        "--course",
        "clear-writing",
        "--date",
        "2026-03-01",
        "--evidence",
        str(source),
    )
    assert result.exit_code == 0, result.output
    (row,) = tracker.db["training_completions"].rows
    root = (tracker.workspace / "evidence" / "training").resolve()
    assert (tracker.workspace / row["evidence_file"]).resolve().is_relative_to(root)


def test_evidence_text_and_refused_evidence_leaves_no_file(
    tracker, team, cli, tmp_path, hub_with_settings
):
    result = cli(
        "training",
        "complete",
        "--person",
        "alpha-01",
        "--course",
        "clear-writing",
        "--date",
        "2026-03-01",
        "--evidence",
        "LMS certificate 4711",
    )
    assert result.exit_code == 0
    assert (
        next(iter(tracker.db["training_completions"].rows))["evidence_text"]
        == "LMS certificate 4711"
    )
    source = tmp_path / "big.bin"
    source.write_bytes(b"x" * 2048)
    other, run = hub_with_settings(max_evidence_mb=0.001)
    result = run(
        "training",
        "complete",
        "--person",
        "alpha-02",
        "--course",
        "clear-writing",
        "--date",
        "2026-03-01",
        "--evidence",
        str(source),
    )
    assert result.exit_code == 1 and "max_evidence_mb" in result.stderr
    # a refused completion (duplicate) copies nothing
    result = cli(
        "training",
        "complete",
        "--person",
        "alpha-01",
        "--course",
        "clear-writing",
        "--date",
        "2026-03-01",
        "--evidence",
        str(source),
    )
    assert result.exit_code == 1
    evidence = tracker.workspace / "evidence"
    assert not evidence.exists() or not [p for p in evidence.rglob("*") if p.is_file()]
    assert other.db["training_completions"].count == 1


def test_evidence_folder_outside_workspace_is_refused(tracker, team, hub_with_settings, tmp_path):
    source = tmp_path / "cert.txt"
    source.write_text("ok", encoding="utf-8")
    other, run = hub_with_settings(evidence_folder="../elsewhere")
    result = run(
        "training",
        "complete",
        "--person",
        "alpha-01",
        "--course",
        "clear-writing",
        "--date",
        "2026-03-01",
        "--evidence",
        str(source),
    )
    assert result.exit_code == 1 and "inside the workspace" in result.stderr
    assert not (tmp_path / "elsewhere").exists()
    assert other.db["training_completions"].count == 0


def test_hire_date_change_keeps_records(tracker, team, cli):
    cli("training", "sync")
    tracker.people.save([attrs.evolve(tracker.people.get("alpha-01"), team="beta")])
    result = cli("training", "status", "--team", "beta", "--json")
    assert {r["person_id"] for r in result.json()} == {"alpha-01"}
