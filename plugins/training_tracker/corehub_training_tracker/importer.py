"""Importing completions exported by a learning management system (CSV).

Columns: ``person`` (id, e-mail address or full name), ``course`` (course id),
``completed_on`` and optionally ``score`` (0-100) and ``evidence`` (a certificate number, a
link). Common
LMS header names are accepted too (``email``, ``course_id``, ``completion_date``...).
All-or-nothing: every problem is listed with its row and column, and nothing is
written unless there is none. Rows already recorded are skipped, so re-importing the
same export is harmless.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from corehub import access
from corehub.errors import PermissionDeniedError, ValidationError
from corehub.loaders import parse_date, read_table
from corehub_training_tracker.training import Training

if TYPE_CHECKING:
    from corehub import Hub
    from corehub.models import Course, Person

ALIASES = {
    "person_id": "person",
    "employee": "person",
    "employee_id": "person",
    "user": "person",
    "user_id": "person",
    "email": "person",
    "user_email": "person",
    "course_id": "course",
    "course_code": "course",
    "completion_date": "completed_on",
    "completed": "completed_on",
    "date": "completed_on",
    "completed_at": "completed_on",
    "result": "score",
    "certificate": "evidence",
}


@attrs.frozen
class ImportResult:
    imported: int
    already_recorded: int
    assignments_completed: int


def _people_of(table: Any) -> set[str]:
    return {row.get("person") for row in table if row.get("person")}


def import_completions(
    hub: Hub,
    path: Path | str,
    *,
    ignore_unknown_columns: bool = False,
    override_reason: str | None = None,
) -> ImportResult:
    """Import an LMS completions CSV; raises ValidationError listing every problem by row."""
    training = Training(hub)
    table = read_table(
        path,
        required=("person", "course", "completed_on"),
        optional=("score", "evidence"),
        aliases=ALIASES,
        allow_unknown=ignore_unknown_columns,
    )
    name = table.path.name
    # the file's people only; an export's completions of people who have left since are
    # theirs all the same: everyone is found
    people = hub.people.finder(_people_of(table), include_inactive=True)
    problems: list[str] = list(table.problems)
    rows: list[tuple[int, Person, Course, dt.date, float | None, str | None]] = []
    seen: dict[tuple[str, str, dt.date], int] = {}
    skipped = 0
    # what is stored of the file's people, read once: their completions (duplicates and
    # prerequisites), not one query per row nor the whole organization's
    found = (people.find(who) for who in _people_of(table))
    stored = training.stored_completions({p.id for p in found if p is not None})
    may_record: dict[str, PermissionDeniedError | None] = {}
    viewer = access.viewer(hub)
    for row in table:
        row_problems: list[str] = []
        match = people.match(row.get("person"))
        person = match.person
        if person is None:
            row_problems.append(match.problem(table.where(row, "person")))
        course_id = row.get("course")
        course = training.catalogue.courses.get(course_id)
        if not course_id:
            row_problems.append(f"{table.where(row, 'course')}: empty")
        elif course is None:
            row_problems.append(f"{table.where(row, 'course')}: unknown course {course_id!r}")
        completed_on = None
        try:
            completed_on = parse_date(row.get("completed_on"))
        except ValueError as exc:
            row_problems.append(f"{table.where(row, 'completed_on')}: {exc}")
        score = None
        if row.get("score"):
            try:
                score = float(row.get("score").replace(",", ".").rstrip("%").strip())
            except ValueError:
                row_problems.append(
                    f"{table.where(row, 'score')}: {row.get('score')!r} is not a number"
                )
        if row_problems or person is None or course is None or completed_on is None:
            problems.extend(row_problems)
            continue
        if person.id not in may_record:
            try:
                training.require_self_or_manager(person, viewer)
                may_record[person.id] = None
            except PermissionDeniedError as exc:
                may_record[person.id] = exc
        refused = may_record[person.id]
        if refused is not None:
            problems.append(f"{table.where(row, 'person')}: {refused}")
            continue
        key = (person.id, course.id, completed_on)
        if key in seen:
            problems.append(f"{table.where(row)}: the same completion is on row {seen[key]}")
            continue
        seen[key] = row.number
        if any(c.completed_on == completed_on for c in stored.get((person.id, course.id), [])):
            skipped += 1
            continue
        rows.append((row.number, person, course, completed_on, score, row.get("evidence") or None))
    batch: dict[tuple[str, str], list[dt.date]] = defaultdict(list)
    for _, p, c, d, _, _ in rows:
        batch[p.id, c.id].append(d)
    for number, person, course, completed_on, score, _ in rows:
        for problem in training.completion_problems(
            person,
            course,
            completed_on,
            score=score,
            earlier=batch,
            override=override_reason is not None,
            stored=stored,
        ):
            field, _, message = problem.partition(": ")
            column = {"date": "completed_on", "score": "score", "course": "course"}.get(
                field, field
            )
            problems.append(f"{name}, row {number}, column {column}: {message}")
    if not table.rows:
        problems.append(f"{name}: no completions in the file")
    if problems:
        raise ValidationError(f"{name}: nothing was imported; fix these problems:", problems)
    with hub.atomic():
        completed = training._record_completions(
            [
                (person, course, completed_on, score, evidence)
                for _, person, course, completed_on, score, evidence in sorted(
                    rows, key=lambda r: r[3]
                )
            ],
            source=f"import:{name}",
            override_reason=override_reason,
        )
    return ImportResult(
        imported=len(rows),
        already_recorded=skipped,
        assignments_completed=completed,
    )
