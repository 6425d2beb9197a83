"""The compliance matrix: required courses by person."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

import attrs

from corehub.models import Course, Person, TrainingRule
from corehub_training_tracker.migrations import (
    COMPLIANCE_COUNTS,
    HIRE_COUNTS,
    PEOPLE_COUNTS,
    RECORDED_COUNTS,
)
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

        One statement, one row, no sorting: the catalogue's rules become one condition per
        course on a person's level, role, team and hire date, summed in one pass over the
        people in scope (who must take what) and one over their stored last days, people
        first and each person's days by the table's key (who is compliant; for a course
        only a new-hire rule requires, whoever was hired longer ago and has it on record
        counts as required too). No person-by-course pair is built, nothing is grouped."""
        return self._counts(people_sql, params, list(self.catalogue.rules.values()))

    def _counts(
        self, people_sql: str, params: dict[str, Any] | None, rules: list[TrainingRule]
    ) -> dict[str, tuple[int, int]]:
        """:meth:`compliance_counts` by ``rules``."""
        if not rules:
            return {}
        today = self.today
        recent = (today - dt.timedelta(days=self.settings.new_hire_lookback_days)).isoformat()
        values: dict[str, Any] = {
            "compliance_recent": recent,
            "compliance_today": today.isoformat(),
        }

        def bound(value: str) -> str:
            name = f"compliance_{len(values)}"
            values[name] = value
            return f":{name}"

        def audience(rule: TrainingRule) -> str:
            """Whether ``s`` is among the rule's levels, roles and teams (``rule_matches``)."""
            parts = [
                f"s.{column} IN ({', '.join(bound(str(getattr(v, 'value', v))) for v in among)})"
                for column, among in (
                    ("level", rule.levels),
                    ("role", rule.roles),
                    ("team", rule.teams),
                )
                if among
            ]
            return " AND ".join(parts) or "1"

        def any_of(conditions: list[str]) -> str | None:
            """One condition for several rules; None for none ("1" when one has no audience)."""
            if "1" in conditions:
                return "1"
            return " OR ".join(f"({c})" for c in conditions) or None

        def either(first: str | None, second: str | None) -> str:
            found = [c for c in (first, second) if c is not None]
            return "1" if "1" in found else " OR ".join(f"({c})" for c in found) or "0"

        by_course: dict[str, list[TrainingRule]] = {}
        for rule in rules:
            by_course.setdefault(rule.course_id, []).append(rule)
        hired = "coalesce(s.hire_date, '') != ''"
        people_columns: list[str] = []
        record_columns: list[str] = []
        inducting: list[str] = []
        for course_id, course_rules in by_course.items():
            course = bound(course_id)
            # required whatever the hire date; by a new-hire rule (as _new_hire_rule_applies)
            always = any_of([audience(r) for r in course_rules if r.new_hires_within_days is None])
            new_hires = any_of(
                [audience(r) for r in course_rules if r.new_hires_within_days is not None]
            )
            recently = (
                None
                if new_hires is None
                else f"({new_hires}) AND coalesce(s.hire_date, '') >= :compliance_recent"
            )
            people_columns.append(f"coalesce(sum({either(always, recently)}), 0)")
            # a stored day on or after today means a waiver or a completion on record
            on_record = None if new_hires is None else f"({new_hires}) AND {hired}"
            record_columns.append(
                f"coalesce(sum(CASE WHEN k.course_id = {course} "
                f"THEN k.through >= :compliance_today AND ({either(always, on_record)}) END), 0)"
            )
            if new_hires is None or always == "1":
                record_columns.append("0")
                continue
            # hired longer ago, with the course on record (a stored day is kept for whoever
            # has had a completion or an assignment of it, and stays when they are deleted)
            inducting.append(course)
            record_columns.append(
                f"coalesce(sum(CASE WHEN k.course_id = {course} "
                + (f"AND NOT ({always}) " if always is not None else "")
                + f"AND ({new_hires}) AND {hired} AND s.hire_date < :compliance_recent "
                "THEN EXISTS (SELECT 1 FROM training_assignments AS a "
                "WHERE a.person_id = s.id AND a.course_id = k.course_id) "
                "OR EXISTS (SELECT 1 FROM training_completions AS c "
                "WHERE c.person_id = s.id AND c.course_id = k.course_id) END), 0)"
            )
        # the days that can count: today's or later, and any of a course inducted
        days = "k.through >= :compliance_today" + (
            f" OR k.course_id IN ({', '.join(inducting)})" if inducting else ""
        )
        sql = f"""
            WITH scope AS NOT MATERIALIZED ({people_sql})
            SELECT * FROM
            (SELECT {", ".join(people_columns)} FROM scope AS s),
            (SELECT {", ".join(record_columns)} FROM scope AS s
             CROSS JOIN training_compliance AS k ON k.person_id = s.id WHERE {days})
        """
        row = self.hub.db.execute(sql, dict(params or {}) | values).fetchone()
        width = len(by_course)
        found: dict[str, tuple[int, int]] = {}
        for n, course_id in enumerate(by_course):
            required = row[n] + row[width + 2 * n + 1]
            if required:
                found[course_id] = (row[width + 2 * n], required)
        return found

    def active_count(self, excluding: str | None = None) -> int:
        """How many people are active, ``excluding`` left out: from the counts the database
        keeps (migration m008), not by reading everyone."""
        db = self.hub.db
        (total,) = db.execute(f"SELECT coalesce(sum(n), 0) FROM [{PEOPLE_COUNTS}]").fetchone()
        (me,) = db.execute(
            "SELECT count(*) FROM people WHERE id = ? AND active = 1", [excluding]
        ).fetchone()
        return int(total) - int(me)

    def compliance_totals(self, excluding: str | None = None) -> dict[str, tuple[int, int]]:
        """Course id -> (compliant, required) over every active person but ``excluding``:
        :meth:`compliance_counts` of the whole organization (HR's team page), read from
        the counts the database keeps (migration m008) instead of from every person.

        People are counted by group, and each group is decided once by the rules: the
        active people by level, role and whether they have a hire date, their stored last
        days by course, level, role, hire date or not, course on record or not and day;
        for the new-hire rules, the people hired within the look-back window and their
        courses on record, by hire date (a range of days). The people of a team that a
        rule names, and ``excluding``, are counted one by one instead
        (:meth:`compliance_counts`, through the team index). What a request reads grows
        with the days stored, the level and role combinations and the hire dates in the
        window, and with the teams rules name, not with the organization."""
        rules = list(self.catalogue.rules.values())
        if not rules:
            return {}
        db = self.hub.db
        today = self.today.isoformat()
        recent = (self.today - dt.timedelta(days=self.settings.new_hire_lookback_days)).isoformat()
        by_course: dict[str, list[TrainingRule]] = {}
        for rule in rules:
            by_course.setdefault(rule.course_id, []).append(rule)
        audiences: dict[tuple[str, str, str], tuple[bool, bool]] = {}

        def audience(course_id: str, level: str, role: str) -> tuple[bool, bool]:
            """Whether a rule naming no team requires the course of a level and role:
            whatever the hire date, and by a new-hire rule."""
            found = audiences.get((course_id, level, role))
            if found is None:
                matching = [
                    rule.new_hires_within_days is None
                    for rule in by_course.get(course_id, ())
                    if not rule.teams
                    and (not rule.levels or level in {v.value for v in rule.levels})
                    and (not rule.roles or role in rule.roles)
                ]
                found = audiences[(course_id, level, role)] = (
                    any(matching),
                    not all(matching),
                )
            return found

        totals = {course_id: [0, 0] for course_id in by_course}
        # required whatever the hire date
        for level, role, n in db.execute(
            f"SELECT level, role, sum(n) FROM [{PEOPLE_COUNTS}] GROUP BY level, role"
        ):
            for course_id, figures in totals.items():
                if audience(course_id, level, role)[0]:
                    figures[1] += n
        # compliant today; and required by a new-hire rule of whoever has it on record
        # (the recent hires among them are taken out again below)
        for course_id, level, role, hired, recorded, current, n in db.execute(
            "SELECT course_id, level, role, hired, recorded, "
            "sum(CASE WHEN through >= :today THEN n ELSE 0 END), sum(n) "
            f"FROM [{COMPLIANCE_COUNTS}] GROUP BY course_id, level, role, hired, recorded",
            {"today": today},
        ):
            if course_id not in totals:
                continue
            always, new_hires = audience(course_id, level, role)
            if always or (new_hires and hired):
                totals[course_id][0] += current
            if not always and new_hires and hired and recorded:
                totals[course_id][1] += n
        # required by a new-hire rule of everyone hired within the window
        inducting = [
            course_id
            for course_id, course_rules in by_course.items()
            if any(rule.new_hires_within_days is not None for rule in course_rules)
        ]
        if inducting:
            for level, role, n in db.execute(
                f"SELECT level, role, sum(n) FROM [{HIRE_COUNTS}] WHERE hire_date >= :recent "
                "GROUP BY level, role",
                {"recent": recent},
            ):
                for course_id in inducting:
                    always, new_hires = audience(course_id, level, role)
                    if not always and new_hires:
                        totals[course_id][1] += n
            for course_id, level, role, n in db.execute(
                f"SELECT course_id, level, role, sum(n) FROM [{RECORDED_COUNTS}] "
                "WHERE course_id IN (SELECT value FROM json_each(:courses)) "
                "AND hire_date >= :recent GROUP BY course_id, level, role",
                {"courses": json.dumps(inducting), "recent": recent},
            ):
                always, new_hires = audience(course_id, level, role)
                if not always and new_hires:
                    totals[course_id][1] -= n  # (counted as recent hires already)
        # the people of the teams rules name, and ``excluding``, one by one: out as the
        # groups counted them (no rule naming a team applies), in as they are
        named = sorted({team for rule in rules for team in rule.teams})
        apart = (
            "SELECT * FROM people WHERE active = 1 AND (id = :apart_excluding "
            "OR team IN (SELECT value FROM json_each(:apart_teams)))"
        )
        params = {"apart_excluding": excluding, "apart_teams": json.dumps(named)}
        teamless = [rule for rule in rules if not rule.teams]
        for course_id, (compliant, required) in self._counts(apart, params, teamless).items():
            totals[course_id][0] -= compliant
            totals[course_id][1] -= required
        if named:
            inside = apart + " AND id IS NOT :apart_excluding"
            for course_id, (compliant, required) in self._counts(inside, params, rules).items():
                totals[course_id][0] += compliant
                totals[course_id][1] += required
        return {
            course_id: (compliant, required)
            for course_id, (compliant, required) in totals.items()
            if required
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
