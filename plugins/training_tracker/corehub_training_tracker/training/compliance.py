"""The compliance matrix: required courses by person."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import attrs

from corehub.models import Course, Person
from corehub_training_tracker.records import AssignmentRecord, Completion, iso
from corehub_training_tracker.training.reading import TrainingBase


@attrs.frozen
class Cell:
    """One person and one required course in the compliance matrix."""

    state: str
    """completed, expiring, expired, assigned, in_progress, overdue, waived or missing."""
    completed_on: dt.date | None = None
    expires_on: dt.date | None = None
    due: dt.date | None = None

    @property
    def compliant(self) -> bool:
        return self.state in {"completed", "expiring", "waived"}

    def plain(self) -> dict[str, Any]:
        return {
            "state": self.state,
            "completed_on": iso(self.completed_on),
            "expires_on": iso(self.expires_on),
            "due": iso(self.due),
        }


@attrs.frozen
class Matrix:
    courses: tuple[Course, ...]
    people: tuple[Person, ...]
    cells: dict[tuple[str, str], Cell]
    """(person id, course id) -> cell; absent where the course is not required."""

    def compliance(self, course_id: str) -> tuple[int, int]:
        """(compliant, required) for one course."""
        cells = [c for (_, cid), c in self.cells.items() if cid == course_id]
        return sum(c.compliant for c in cells), len(cells)

    def plain(self) -> dict[str, Any]:
        return {
            "courses": [
                {
                    "id": c.id,
                    "title": c.title,
                    "compliant": self.compliance(c.id)[0],
                    "required": self.compliance(c.id)[1],
                }
                for c in self.courses
            ],
            "people": [
                {
                    "id": p.id,
                    "name": p.name,
                    "team": p.team,
                    "level": p.level.value,
                    "cells": {
                        c.id: cell.plain() if (cell := self.cells.get((p.id, c.id))) else None
                        for c in self.courses
                    },
                }
                for p in self.people
            ],
        }


class Compliance(TrainingBase):
    """The compliance matrix: required courses by person."""

    def matrix(self, people: Sequence[Person]) -> Matrix:
        """People by the courses required of any of them, with each cell's state and dates."""
        today = self.today
        required = {person.id: self.required(person) for person in people}
        course_ids = {cid for needs in required.values() for cid in needs}
        courses = tuple(c for cid, c in self.catalogue.courses.items() if cid in course_ids)
        ids = [p.id for p in people]
        records: dict[tuple[str, str], list[AssignmentRecord]] = {}
        for record in self.assignments(person_ids=ids):
            records.setdefault((record.person_id, record.course_id), []).append(record)
        latest: dict[tuple[str, str], Completion] = {}
        for completion in self.completions(person_ids=ids):
            latest[(completion.person_id, completion.course_id)] = completion
        cells: dict[tuple[str, str], Cell] = {}
        for person in people:
            for course_id in required[person.id]:
                key = (person.id, course_id)
                cells[key] = self._cell(records.get(key, []), latest.get(key), today)
        return Matrix(courses=courses, people=tuple(people), cells=cells)

    def compliance_counts(
        self, people_sql: str, params: dict[str, Any] | None = None
    ) -> dict[str, tuple[int, int]]:
        """Course id -> (compliant, required) over the people ``people_sql`` selects (a query
        on ``people`` returning its columns): the figures of :meth:`matrix` for many people
        without building its cells. A cell is compliant when a waiver is in effect or the
        person's latest completion is valid today (``Cell.compliant``); who must take what
        is :meth:`required`'s rule, matched once per level, role and team."""

        today = self.today
        day = today.isoformat()
        params = dict(params or {})
        scope = f"SELECT id FROM ({people_sql})"
        valid: dict[tuple[str, str], bool] = {}
        for person_id, course_id, expires_on in self.hub.db.execute(
            "SELECT person_id, course_id, expires_on FROM training_completions "
            f"WHERE person_id IN ({scope}) ORDER BY completed_on, id",
            params,
        ):
            valid[(person_id, course_id)] = expires_on is None or day < expires_on
        waived = set(
            self.hub.db.execute(
                "SELECT person_id, course_id FROM training_assignments WHERE status = 'waived' "
                "AND (waived_until IS NULL OR waived_until >= :waived_today) "
                f"AND person_id IN ({scope})",
                {**params, "waived_today": day},
            )
        )
        on_record = set(valid) | set(
            self.hub.db.execute(
                "SELECT DISTINCT person_id, course_id FROM training_assignments "
                f"WHERE person_id IN ({scope})",
                params,
            )
        )
        recent = (today - dt.timedelta(days=self.settings.new_hire_lookback_days)).isoformat()
        rules_of: dict[tuple[str, str, str], list[Any]] = {}
        counts: dict[str, list[int]] = {}
        for person_id, level, role, team, hired in self.hub.db.execute(
            f"SELECT id, level, role, team, hire_date FROM ({people_sql})", params
        ):
            key = (level, role or "", team or "")
            rules = rules_of.get(key)
            if rules is None:
                like = Person(id="-", name="-", level=level, role=key[1], team=key[2])
                rules = rules_of[key] = self.catalogue.rules_for(like)
            required = set()
            for rule in rules:
                if rule.new_hires_within_days is not None and not (
                    hired and (hired >= recent or (person_id, rule.course_id) in on_record)
                ):
                    continue  # as _new_hire_rule_applies
                required.add(rule.course_id)
            for course_id in required:
                pair = counts.setdefault(course_id, [0, 0])
                pair[1] += 1
                if (person_id, course_id) in waived or valid.get((person_id, course_id), False):
                    pair[0] += 1
        return {course_id: (n, of) for course_id, (n, of) in counts.items()}

    def _cell(
        self, records: list[AssignmentRecord], completion: Completion | None, today: dt.date
    ) -> Cell:
        done = {
            "completed_on": completion.completed_on if completion else None,
            "expires_on": completion.expires_on if completion else None,
        }
        if any(r.waiver_in_effect(today) for r in records):
            return Cell("waived", **done)
        if completion is not None and completion.valid_on(today):
            return Cell("completed" if self.covers(completion) else "expiring", **done)
        open_record = next((r for r in records if r.is_open()), None)
        if open_record is not None:
            return Cell(open_record.status(today).value, due=open_record.due, **done)
        if completion is not None:
            return Cell("expired", **done)
        return Cell("missing")
