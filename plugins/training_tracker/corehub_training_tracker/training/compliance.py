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
        ids = [p.id for p in people]
        records: dict[tuple[str, str], list[AssignmentRecord]] = {}
        for record in self.assignments(person_ids=ids):
            records.setdefault((record.person_id, record.course_id), []).append(record)
        latest: dict[tuple[str, str], Completion] = {}
        for completion in self.completions(person_ids=ids):
            latest[(completion.person_id, completion.course_id)] = completion
        # who must take what, from the records just read (not looked up person by person)
        on_record = records.keys() | latest.keys()
        required = {person.id: self.required(person, on_record=on_record) for person in people}
        course_ids = {cid for needs in required.values() for cid in needs}
        courses = tuple(c for cid, c in self.catalogue.courses.items() if cid in course_ids)
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
        person's latest completion is valid today (``Cell.compliant``): today is on or
        before the last day the database keeps for the person and course (migration m005);
        who must take what is :meth:`required`'s rule, matched once per level, role and
        team."""

        import json

        today = self.today
        day = today.isoformat()
        params = dict(params or {})
        recent = (today - dt.timedelta(days=self.settings.new_hire_lookback_days)).isoformat()
        # Who must take what is the catalogue's rule (Python), matched once per level, role
        # and team of the people in scope; the people, their records and the counts stay in
        # SQL: one GROUP BY, whatever the number of people.
        required: dict[tuple[str, str, str, str], int] = {}
        for level, role, team in self.hub.db.execute(
            f"SELECT DISTINCT level, role, team FROM ({people_sql})", params
        ).fetchall():
            key = (level, role or "", team or "")
            like = Person(id="-", name="-", level=level, role=key[1], team=key[2])
            for rule in self.catalogue.rules_for(like):
                # 1: only as a new-hire rule (as _new_hire_rule_applies); one rule without
                # that condition makes the course required whatever the hire date
                new_hires = int(rule.new_hires_within_days is not None)
                required[(*key, rule.course_id)] = min(
                    new_hires, required.get((*key, rule.course_id), 1)
                )
        if not required:
            return {}
        sql = f"""
            WITH scope AS ({people_sql}),
            rules AS MATERIALIZED (
                SELECT json_extract(value, '$[0]') AS level, json_extract(value, '$[1]') AS role,
                       json_extract(value, '$[2]') AS team,
                       json_extract(value, '$[3]') AS course_id,
                       json_extract(value, '$[4]') AS new_hires
                FROM json_each(:compliance_rules)
            ),
            cells AS (
                SELECT s.id AS person_id, r.course_id
                FROM scope AS s CROSS JOIN rules AS r ON r.level = s.level
                 AND r.role = coalesce(s.role, '') AND r.team = coalesce(s.team, '')
                WHERE NOT r.new_hires OR (coalesce(s.hire_date, '') != '' AND (
                    s.hire_date >= :compliance_recent
                    OR EXISTS (SELECT 1 FROM training_assignments AS a
                               WHERE a.person_id = s.id AND a.course_id = r.course_id)
                    OR EXISTS (SELECT 1 FROM training_completions AS c
                               WHERE c.person_id = s.id AND c.course_id = r.course_id)))
            )
            SELECT cells.course_id, count(*) AS required,
                   coalesce(sum(k.through >= :compliance_today), 0) AS compliant
            FROM cells LEFT JOIN training_compliance AS k
            ON k.person_id = cells.person_id AND k.course_id = cells.course_id
            GROUP BY cells.course_id
        """
        return {
            course_id: (compliant, of)
            for course_id, of, compliant in self.hub.db.execute(
                sql,
                params
                | {
                    "compliance_rules": json.dumps([[*k, n] for k, n in required.items()]),
                    "compliance_recent": recent,
                    "compliance_today": day,
                },
            ).fetchall()
        }

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
