"""The training tracker's shared ground: its tables, and reading assignments,
completions and requirements (what every other part of :class:`Training` builds on)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Sequence
from functools import cached_property
from typing import TYPE_CHECKING, Any

from corehub.errors import NotFoundError, ValidationError
from corehub.messages import M_, Named
from corehub.models import AssignmentStatus, Course, Person, TrainingRule
from corehub_training_tracker.catalogue import Catalogue, load_catalogue
from corehub_training_tracker.records import AssignmentRecord, Completion
from corehub_training_tracker.settings import TrainingSettings, settings

if TYPE_CHECKING:
    from corehub import Hub

ASSIGNMENTS = "training_assignments"
COMPLETIONS = "training_completions"
FEEDBACK = "training_feedback"
RECOMMENDATIONS = "training_recommendations"
OPEN_SQL = "status IN ('assigned', 'in_progress', 'overdue')"


class CourseName(Named):
    """A course named in a message: its id in English (what the command line takes and
    prints), its title in the reader's language on a page (``%(course)r`` quotes either)."""

    @classmethod
    def of(cls, course: Course) -> CourseName:
        made = cls(course.id, course.title)
        assert isinstance(made, CourseName)
        return made


class TrainingBase:
    """Reading: assignments, completions and what is required of whom."""

    def __init__(self, hub: Hub, *, as_of: dt.date | None = None):
        self.hub = hub
        self._as_of = as_of

    @cached_property
    def catalogue(self) -> Catalogue:
        return load_catalogue(self.hub)

    @cached_property
    def _rules_by_audience(self) -> dict[tuple[Any, ...], list[TrainingRule]]:
        """(level, role, team) -> the catalogue's rules for people of that audience (what
        :meth:`Catalogue.rules_for` decides on), worked out once per audience."""
        return {}

    @property
    def settings(self) -> TrainingSettings:
        return settings(self.hub)

    @property
    def today(self) -> dt.date:
        """The Hub's today, or the day a report describes (``as_of``)."""
        return self._as_of or self.hub.clock.today()

    def person(self, person_id: str) -> Person:
        person = self.hub.people.find(person_id)
        if person is None:
            raise NotFoundError(M_("no person with id %(id)r", id=person_id))
        if not person.active:
            raise ValidationError(M_("person %(id)r is inactive", id=person_id))
        return person

    def assignments(
        self,
        *,
        person_ids: Iterable[str] | None = None,
        course_id: str | None = None,
        open_only: bool = False,
    ) -> list[AssignmentRecord]:
        filters = person_course_filter(person_ids, course_id)
        if filters is None:
            return []
        where, params = filters
        if open_only:
            where.append(OPEN_SQL)
        rows = self.hub.db.table(ASSIGNMENTS).rows_where(
            " AND ".join(where) or None, params, order_by="assigned_on, id"
        )
        return [AssignmentRecord.from_row(row) for row in rows]

    def assignment(self, assignment_id: int) -> AssignmentRecord:
        rows = list(self.hub.db.table(ASSIGNMENTS).rows_where("id = ?", [assignment_id]))
        if not rows:
            raise NotFoundError(M_("no training assignment #%(id)s", id=assignment_id))
        return AssignmentRecord.from_row(rows[0])

    def open_assignment(self, person_id: str, course_id: str) -> AssignmentRecord | None:
        found = self.assignments(person_ids=[person_id], course_id=course_id, open_only=True)
        return found[0] if found else None

    def completions(
        self, *, person_ids: Iterable[str] | None = None, course_id: str | None = None
    ) -> list[Completion]:
        filters = person_course_filter(person_ids, course_id)
        if filters is None:
            return []
        where, params = filters
        rows = self.hub.db.table(COMPLETIONS).rows_where(
            " AND ".join(where) or None, params, order_by="completed_on, id"
        )
        return [Completion.from_row(row) for row in rows]

    def latest_completion(self, person_id: str, course_id: str) -> Completion | None:
        found = self.completions(person_ids=[person_id], course_id=course_id)
        return found[-1] if found else None

    def covers(self, completion: Completion | None) -> bool:
        """True when ``completion`` is valid and not yet due for recertification."""
        if completion is None:
            return False
        return self._covers_until(completion.expires_on, self.settings, self.today)

    @staticmethod
    def _covers_until(expires_on: dt.date | None, config: TrainingSettings, today: dt.date) -> bool:
        """:meth:`covers` on ``today`` for a completion expiring on ``expires_on`` (None:
        never)."""
        if expires_on is None:
            return True
        window = dt.timedelta(days=config.recertification_window_days)
        return today < expires_on - window

    def holds(self, person_id: str, course_id: str, *, on: dt.date | None = None) -> bool:
        """True when the person has a completion of the course valid on ``on`` (default today)."""
        day = on or self.today
        return any(
            c.valid_on(day) and c.completed_on <= day
            for c in self.completions(person_ids=[person_id], course_id=course_id)
        )

    def required(
        self, person: Person, *, on_record: Collection[tuple[str, str]] | None = None
    ) -> dict[str, list[TrainingRule]]:
        """Course id -> the rules requiring it of ``person`` today. ``on_record``: the
        (person id, course id) pairs with an assignment or a completion, when the caller has
        read them already (else they are looked up)."""
        found: dict[str, list[TrainingRule]] = {}
        audience = (person.level, person.role, person.team)
        rules = self._rules_by_audience.get(audience)
        if rules is None:
            rules = self._rules_by_audience[audience] = self.catalogue.rules_for(person)
        for rule in rules:
            if rule.new_hires_within_days is not None and not self._new_hire_rule_applies(
                rule, person, on_record
            ):
                continue
            found.setdefault(rule.course_id, []).append(rule)
        return found

    def required_of(self, people: Sequence[Person]) -> dict[str, dict[str, list[TrainingRule]]]:
        """Person id -> :meth:`required` of each of ``people``, with what is on their record
        read at once: one keyed query per 500 people for the courses of new-hire rules, and
        only when someone hired before the look-back window falls under one (not two
        queries per person)."""
        courses = {
            r.course_id
            for r in self.catalogue.rules.values()
            if r.new_hires_within_days is not None
        }
        recent = self.today - dt.timedelta(days=self.settings.new_hire_lookback_days)
        veterans = sorted(
            {p.id for p in people if courses and p.hire_date is not None and p.hire_date < recent}
        )
        on_record: set[tuple[str, str]] = set()
        wanted = sorted(courses)
        for start in range(0, len(veterans), 500):
            chunk = veterans[start : start + 500]
            marks = ", ".join("?" * len(chunk))
            course_marks = ", ".join("?" * len(wanted))
            on_record.update(
                (row["person_id"], row["course_id"])
                for row in self.hub.db.query(
                    f"SELECT person_id, course_id FROM {ASSIGNMENTS} WHERE person_id IN "
                    f"({marks}) AND course_id IN ({course_marks}) UNION "
                    f"SELECT person_id, course_id FROM {COMPLETIONS} WHERE person_id IN "
                    f"({marks}) AND course_id IN ({course_marks})",
                    [*chunk, *wanted, *chunk, *wanted],
                )
            )
        return {person.id: self.required(person, on_record=on_record) for person in people}

    def _new_hire_rule_applies(
        self,
        rule: TrainingRule,
        person: Person,
        on_record: Collection[tuple[str, str]] | None = None,
    ) -> bool:
        if person.hire_date is None:
            return False
        recent = person.hire_date >= self.today - dt.timedelta(
            days=self.settings.new_hire_lookback_days
        )
        if recent:
            return True
        # Once a person has been inducted (or assigned induction), it stays on their record.
        if on_record is not None:
            return (person.id, rule.course_id) in on_record
        return bool(
            self.assignments(person_ids=[person.id], course_id=rule.course_id)
            or self.completions(person_ids=[person.id], course_id=rule.course_id)
        )

    def _course_name(self, course_id: str) -> CourseName:
        """``course_id`` for a message: the course's title on a page (the id if unknown)."""
        course = self.catalogue.courses.get(course_id)
        return CourseName(course_id, course.title if course is not None else None)


def open_status(record: AssignmentRecord, today: dt.date) -> str:
    if record.due is not None and today > record.due:
        return AssignmentStatus.OVERDUE.value
    return AssignmentStatus.IN_PROGRESS.value


def person_course_filter(
    person_ids: Iterable[str] | None, course_id: str | None
) -> tuple[list[str], list[str]] | None:
    """SQL conditions and parameters for rows of these people and this course; None when
    ``person_ids`` is given but empty (no row can match)."""
    where: list[str] = []
    params: list[str] = []
    if person_ids is not None:
        ids = list(person_ids)
        if not ids:
            return None
        where.append(f"person_id IN ({', '.join('?' * len(ids))})")
        params.extend(ids)
    if course_id is not None:
        where.append("course_id = ?")
        params.append(course_id)
    return where, params
