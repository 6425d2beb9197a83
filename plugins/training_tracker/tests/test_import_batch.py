"""An LMS import records its completions at the cost of writing them, with the same result
as recording them one at a time: the assignments they close, the recommendations they
settle, the events, the hook calls; and it reads the stored completions of the file's
people only, never the whole organization's."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from corehub.testing import count_statements
from corehub_training_tracker.importer import import_completions
from corehub_training_tracker.training import Training

FILE = """person,course,completed_on,score,evidence
alpha-01,active-listening,2026-02-10,,CERT-1
alpha-01,active-listening,2026-02-20,95,
alpha-01,complaint-handling,2026-02-25,,
alpha-02,clear-writing,2026-01-10,,
alpha-02,active-listening,2026-02-12,90,
alpha-03,data-protection,2026-02-01,,
alpha-lead,product-update,2026-02-05,,
"""


def _scenario(hub: Any) -> None:
    """Open assignments, pending and decided recommendations, an earlier completion."""
    training = Training(hub)
    people = {p.id: p for p in hub.people.list()}
    training.assign(
        "active-listening",
        [people["alpha-01"], people["alpha-02"]],
        due=dt.date(2026, 4, 1),
        check_permission=False,
        assigned_on=dt.date(2026, 1, 5),
    )
    training.assign(
        "data-protection",
        [people["alpha-03"]],
        due=dt.date(2026, 3, 1),
        check_permission=False,
        assigned_on=dt.date(2026, 1, 5),
    )
    training.complete("alpha-02", "clear-writing", dt.date(2026, 1, 10))
    hub.db.table("training_recommendations").insert_all(
        {
            "person_id": person,
            "course_id": course,
            "reason": "weak area",
            "review_id": n,
            "status": status,
            "created_at": "2026-01-02T09:00:00+00:00",
        }
        for n, (person, course, status) in enumerate(
            [
                ("alpha-01", "active-listening", "pending"),
                ("alpha-01", "active-listening", "pending"),
                ("alpha-02", "clear-writing", "pending"),
                ("alpha-03", "active-listening", "dismissed"),
                ("alpha-02", "complaint-handling", "pending"),
            ]
        )
    )


def _state(hub: Any) -> dict[str, list[dict[str, Any]]]:
    return {
        table: [dict(r) for r in hub.db.query(f"SELECT * FROM {table} ORDER BY id")]
        for table in (
            "training_completions",
            "training_assignments",
            "training_recommendations",
        )
    } | {
        "events": [
            {k: v for k, v in r.items() if k != "id"}
            for r in hub.db.query("SELECT * FROM events ORDER BY id")
        ]
    }


class Rollback(Exception):
    pass


def test_an_import_records_what_recording_one_at_a_time_records(
    tracker: Any, team: Any, spy: Any, tmp_path: Path
) -> None:
    _scenario(tracker)
    path = tmp_path / "lms.csv"
    path.write_text(FILE, encoding="utf-8")
    training = Training(tracker)
    people = {p.id: p for p in tracker.people.list()}
    catalogue = training.catalogue.courses
    # recorded one at a time, as `training complete` does, in date order: then undone
    rows = [line.split(",") for line in FILE.splitlines()[1:]]
    rows = [r for r in rows if r[:3] != ["alpha-02", "clear-writing", "2026-01-10"]]
    with pytest.raises(Rollback), tracker.atomic():
        for who, course, day, score, evidence in sorted(rows, key=lambda r: r[2]):
            training._record_completion(
                people[who],
                catalogue[course],
                dt.date.fromisoformat(day),
                score=float(score) if score else None,
                evidence_text=evidence or None,
                source="import:lms.csv",
            )
        one_at_a_time = _state(tracker)
        hooked = [(a.id, a.person_id, a.course_id, a.completed_on) for a in spy.completed]
        raise Rollback
    spy.completed.clear()

    result = import_completions(tracker, path)
    assert (result.imported, result.already_recorded, result.assignments_completed) == (6, 1, 3)
    assert _state(tracker) == one_at_a_time
    assert [(a.id, a.person_id, a.course_id, a.completed_on) for a in spy.completed] == hooked
    assert len(hooked) == 3
    settled = [r for r in one_at_a_time["training_recommendations"] if r["status"] == "completed"]
    # alpha-01's two; not alpha-02's clear-writing (recorded before, skipped), nor the others
    assert [(r["person_id"], r["course_id"]) for r in settled] == [
        ("alpha-01", "active-listening")
    ] * 2

    again = import_completions(tracker, path)
    assert (again.imported, again.already_recorded, again.assignments_completed) == (0, 7, 0)


def test_prerequisites_and_duplicates_are_checked_against_stored_completions(
    tracker: Any, team: Any, tmp_path: Path
) -> None:
    from corehub.errors import ValidationError

    Training(tracker).complete("alpha-01", "active-listening", dt.date(2026, 1, 20))
    path = tmp_path / "lms.csv"
    path.write_text(
        "person,course,completed_on\n"
        "alpha-01,complaint-handling,2026-02-01\n"  # prerequisite stored: fine
        "alpha-02,complaint-handling,2026-02-01\n"  # prerequisite missing
        "alpha-01,active-listening,2026-01-20\n",  # stored already: skipped
        encoding="utf-8",
    )
    with pytest.raises(ValidationError) as refused:
        import_completions(tracker, path)
    problems = " ".join(str(p) for p in refused.value.problems)
    assert "row 3, column course" in problems and "alpha-02" in problems
    assert "row 2" not in problems and "row 4" not in problems
    assert tracker.db["training_completions"].count == 1


def _work(hub: Any, path: Path) -> int:
    with count_statements(hub) as ran:
        import_completions(hub, path)
    return ran.steps


def test_an_import_reads_its_own_peoples_completions_not_everyones(
    tracker: Any, team: Any, make_people: Any, tmp_path: Path
) -> None:
    # the organization's people are read once per import (by id, email); the others'
    # completions must not be read at all
    others = make_people(team="beta", agents=2000)
    path = tmp_path / "lms.csv"
    path.write_text(FILE, encoding="utf-8")
    small = _work(tracker, path)
    with tracker.atomic() as db:
        db.table("training_completions").insert_all(
            {
                "person_id": person.id,
                "course_id": course,
                "completed_on": "2025-06-01",
                "source": "import:old.csv",
                "recorded_at": "2025-06-02T09:00:00+00:00",
            }
            for person in others
            for course in ("active-listening", "clear-writing", "product-update")
        )
    path.write_text(FILE.replace("2026-02", "2025-12").replace("2026-01-10", "2025-11-10"))
    large = _work(tracker, path)
    assert large <= small + 20, (small, large)


def _statements(hub: Any, path: Path) -> int:
    """How many SQL statements an import of ``path`` runs. A trigger's program (training
    keeps each person's last compliant day by triggers, row by row) is reported again with
    the text of the statement that fired it, values and all: such repeats belong to the
    rows written and are not counted."""
    with count_statements(hub) as ran:
        import_completions(hub, path)
    return len(ran)


def test_an_import_runs_the_same_statements_for_ten_rows_or_three_hundred(
    tracker: Any, make_people: Any, tmp_path: Path
) -> None:
    people = make_people(team="gamma", agents=300)
    courses = ("active-listening", "clear-writing", "product-update")

    def export(name: str, rows: int, day: str) -> Path:
        path = tmp_path / name
        lines = ["person,course,completed_on,score"]
        lines += [f"{people[n].id},{courses[n % 3]},{day},{60 + n % 40}" for n in range(rows)]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return path

    few = _statements(tracker, export("few.csv", 10, "2026-02-02"))
    many = _statements(tracker, export("many.csv", 300, "2026-02-03"))
    # rows go in by batches (insert_all): fewer than one more statement per ten more rows,
    # where a statement or more per row would be hundreds more
    assert many - few < (300 - 10) / 10, (few, many)
    assert tracker.db["training_completions"].count == 310
