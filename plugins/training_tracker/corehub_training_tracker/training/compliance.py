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
        who must take what is :meth:`required`'s rule.

        No person-by-course pair of the scope is built: the people are counted by what the
        catalogue's rules look at (level, and the roles and teams a rule names), the groups
        matched with the rules in SQL; the compliant cells are the stored last days of a
        course on or after today (an index, migration m006), each checked against its
        person's group; a course only a new-hire rule requires counts the recent hires and
        whoever else has it on record."""

        import json

        rules = list(self.catalogue.rules.values())
        if not rules:
            return {}
        today = self.today
        recent = (today - dt.timedelta(days=self.settings.new_hire_lookback_days)).isoformat()
        roles = sorted({role for rule in rules for role in rule.roles})
        teams = sorted({team for rule in rules for team in rule.teams})
        # what a rule does not name does not tell people apart: one group for the rest
        role = (
            "CASE WHEN {s}.role IN (SELECT value FROM json_each(:compliance_roles)) "
            "THEN {s}.role END"
            if roles
            else "NULL"
        )
        team = (
            "CASE WHEN {s}.team IN (SELECT value FROM json_each(:compliance_teams)) "
            "THEN {s}.team END"
            if teams
            else "NULL"
        )

        def in_group(s: str) -> str:
            return (
                f"need.level = {s}.level AND need.role IS {role.format(s=s)} "
                f"AND need.team IS {team.format(s=s)}"
            )

        sql = f"""
            WITH scope AS NOT MATERIALIZED ({people_sql}),
            rules AS MATERIALIZED (
                SELECT json_extract(value, '$[0]') AS course_id,
                       json_extract(value, '$[1]') AS levels,
                       json_extract(value, '$[2]') AS roles,
                       json_extract(value, '$[3]') AS teams,
                       json_extract(value, '$[4]') AS new_hires
                FROM json_each(:compliance_rules)
            ),
            groups AS MATERIALIZED (
                SELECT s.level, {role.format(s="s")} AS role, {team.format(s="s")} AS team,
                       count(*) AS n,
                       coalesce(sum(coalesce(s.hire_date, '') >= :compliance_recent), 0)
                           AS recent
                FROM scope AS s GROUP BY 1, 2, 3
            ),
            -- per group, the courses its people must take; new_hires 1 when only new-hire
            -- rules require it (as _new_hire_rule_applies)
            need AS MATERIALIZED (
                SELECT g.level, g.role, g.team, g.n, g.recent, r.course_id,
                       min(r.new_hires) AS new_hires
                FROM groups AS g JOIN rules AS r
                ON (json_array_length(r.levels) = 0
                    OR g.level IN (SELECT value FROM json_each(r.levels)))
                AND (json_array_length(r.roles) = 0
                     OR g.role IN (SELECT value FROM json_each(r.roles)))
                AND (json_array_length(r.teams) = 0
                     OR g.team IN (SELECT value FROM json_each(r.teams)))
                GROUP BY g.level, g.role, g.team, r.course_id
            ),
            required AS (
                SELECT course_id, sum(CASE WHEN new_hires THEN recent ELSE n END) AS n
                FROM need GROUP BY course_id
                UNION ALL
                -- hired longer ago, with the course on record (a stored day, kept for
                -- whoever has had a completion or an assignment of it)
                SELECT k.course_id, count(*) FROM need
                CROSS JOIN training_compliance AS k ON k.course_id = need.course_id
                JOIN scope AS s ON s.id = k.person_id
                WHERE need.new_hires AND {in_group("s")}
                  AND coalesce(s.hire_date, '') != '' AND s.hire_date < :compliance_recent
                  AND (EXISTS (SELECT 1 FROM training_assignments AS a
                               WHERE a.person_id = s.id AND a.course_id = k.course_id)
                       OR EXISTS (SELECT 1 FROM training_completions AS c
                                  WHERE c.person_id = s.id AND c.course_id = k.course_id))
                GROUP BY k.course_id
            ),
            compliant AS MATERIALIZED (
                -- a stored day means a waiver or a completion on record: a new-hire rule
                -- applies to whoever has a hire date
                SELECT k.course_id, count(*) AS n
                FROM need CROSS JOIN training_compliance AS k ON k.course_id = need.course_id
                JOIN scope AS s ON s.id = k.person_id
                WHERE k.through >= :compliance_today AND {in_group("s")}
                  AND (NOT need.new_hires OR coalesce(s.hire_date, '') != '')
                GROUP BY k.course_id
            )
            SELECT required.course_id, sum(required.n) AS required,
                   coalesce(compliant.n, 0) AS compliant
            FROM required LEFT JOIN compliant ON compliant.course_id = required.course_id
            GROUP BY required.course_id HAVING sum(required.n) > 0
        """
        payload = [
            [
                rule.course_id,
                [str(getattr(level, "value", level)) for level in rule.levels],
                list(rule.roles),
                list(rule.teams),
                int(rule.new_hires_within_days is not None),
            ]
            for rule in rules
        ]
        return {
            course_id: (compliant, of)
            for course_id, of, compliant in self.hub.db.execute(
                sql,
                dict(params or {})
                | {
                    "compliance_rules": json.dumps(payload),
                    "compliance_roles": json.dumps(roles),
                    "compliance_teams": json.dumps(teams),
                    "compliance_recent": recent,
                    "compliance_today": today.isoformat(),
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
