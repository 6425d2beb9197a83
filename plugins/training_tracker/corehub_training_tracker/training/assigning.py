"""Assigning courses to people, and starting them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from typing import Any

import attrs

from corehub.errors import ValidationError
from corehub.messages import M_, Message
from corehub.models import AssignmentStatus, Person
from corehub_training_tracker.records import AssignmentRecord, Completion, iso
from corehub_training_tracker.training.permissions import Permissions
from corehub_training_tracker.training.reading import (
    ASSIGNMENTS,
    COMPLETIONS,
    OPEN_SQL,
    open_status,
)

NewAssignment = tuple[str, str, dt.date, "dt.date | None", str]
"""An assignment to insert: person id, course id, assigned on, due, source."""


def _chunks(values: Sequence[Any], size: int = 500) -> Iterator[Sequence[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


@attrs.frozen
class AssignResult:
    created: tuple[AssignmentRecord, ...] = ()
    skipped: dict[str, str] = attrs.field(factory=dict)
    """Person id -> why nobody was assigned (already open, already holds it...)."""


class Assigning(Permissions):
    """Assigning courses to people, and starting them."""

    def resolve_people(
        self, *, person_ids: Sequence[str] = (), team: str | None = None, level: str | None = None
    ) -> list[Person]:
        """The active people named, in a team, or at a level; unknown names are errors."""
        people: dict[str, Person] = {}
        problems: list[str] = []
        for person_id in person_ids:
            person = self.hub.people.find(person_id)
            if person is None:
                problems.append(M_("unknown person %(id)r", id=person_id))
            elif not person.active:
                problems.append(M_("person %(id)r is inactive", id=person_id))
            else:
                people[person.id] = person
        if team is not None:
            members = self.hub.people.list(team=team)
            if not members:
                teams = ", ".join(self.hub.people.teams()) or M_("none yet")
                problems.append(
                    M_(
                        "no active people in team %(team)r (teams: %(teams)s)",
                        team=team,
                        teams=teams,
                    )
                )
            people.update((p.id, p) for p in members)
        if level is not None:
            from corehub.models import Level

            try:
                members = self.hub.people.list(level=Level(level.lower()))
            except ValueError:
                allowed = ", ".join(lv.value for lv in Level)
                problems.append(M_("unknown level %(level)r", level=level, hint=f"use {allowed}"))
            else:
                if not members:
                    problems.append(M_("no active people at level %(level)r", level=level))
                people.update((p.id, p) for p in members)
        if problems:
            raise ValidationError(M_("nobody was assigned:"), problems)
        if not people:
            raise ValidationError(M_("nobody to assign: give --person, --team or --level"))
        return list(people.values())

    def assign(
        self,
        course_id: str,
        people: Sequence[Person],
        *,
        due: dt.date | None,
        source: str = "manual",
        assigned_on: dt.date | None = None,
        check_permission: bool = True,
    ) -> AssignResult:
        """Assign a course; people with it open (or holding it validly) are skipped, not doubled."""
        course = self.catalogue.course(course_id)
        assigned_on = assigned_on or self.today
        if due is not None and due < assigned_on:
            raise ValidationError(
                M_(
                    "due date %(due)s is before the assignment date %(assigned)s; "
                    "nothing was assigned",
                    due=due,
                    assigned=assigned_on,
                )
            )
        if check_permission:
            allowed = self.manageable_ids(p.id for p in people)
            for person in people:
                if person.id not in allowed:
                    self.require_may_manage(person)  # says who may not, and why
        skipped: dict[str, Any] = {}
        with self.hub.atomic():
            # what is stored of these people and this course, read at once; then, person
            # by person as given, what one assignment after the other would find
            ids = [p.id for p in people]
            open_now = self._open_of(ids, course.id)
            latest = self._latest_of(ids, course.id)
            wanted: list[NewAssignment] = []
            planned: dict[str, int] = {}
            again: dict[str, Person] = {}
            for person in people:
                existing = open_now.get(person.id)
                if existing is not None:
                    skipped[person.id] = self._why_not_assign(person, course.id, existing, None)
                elif person.id in planned:
                    skipped[person.id] = None  # named twice: assigned just before, below
                    again[person.id] = person
                elif why := self._why_not_assign(person, course.id, None, latest.get(person.id)):
                    skipped[person.id] = why
                else:
                    planned[person.id] = len(wanted)
                    wanted.append((person.id, course.id, assigned_on, due, source))
            created = self._insert_assignments(wanted)
            for person_id, person in again.items():
                made = created[planned[person_id]]
                skipped[person_id] = self._why_not_assign(person, course.id, made, None)
        return AssignResult(created=tuple(created), skipped=skipped)

    def _why_not_assign(
        self,
        person: Person,
        course_id: str,
        existing: AssignmentRecord | None,
        latest: Completion | None,
    ) -> Message | None:
        """Why ``person`` is not assigned the course: ``existing``, their open assignment
        of it, or ``latest``, their latest completion of it, still covering it."""
        if existing is not None:
            return M_(
                "already assigned (#%(id)s, %(status)s)",
                id=existing.id,
                status=existing.status(self.today).value,
            )
        if self.covers(latest):
            assert latest is not None
            if latest.expires_on:
                return M_(
                    "already completed on %(day)s, valid until %(until)s",
                    day=latest.completed_on,
                    until=latest.expires_on,
                )
            return M_("already completed on %(day)s", day=latest.completed_on)
        return None

    def _open_of(self, person_ids: Sequence[str], course_id: str) -> dict[str, AssignmentRecord]:
        """Person id -> their open assignment of the course, for those who have one: one
        keyed query per 500 people."""
        found: dict[str, AssignmentRecord] = {}
        for chunk in _chunks(sorted(set(person_ids))):
            for row in self.hub.db.query(
                f"SELECT * FROM {ASSIGNMENTS} WHERE course_id = ? AND person_id IN "
                f"({', '.join('?' * len(chunk))}) AND {OPEN_SQL} ORDER BY assigned_on, id",
                [course_id, *chunk],
            ):
                found.setdefault(row["person_id"], AssignmentRecord.from_row(row))
        return found

    def _latest_of(self, person_ids: Sequence[str], course_id: str) -> dict[str, Completion]:
        """Person id -> their latest completion of the course, for those who have one: one
        keyed query per 500 people."""
        found: dict[str, Completion] = {}
        for chunk in _chunks(sorted(set(person_ids))):
            for row in self.hub.db.query(
                f"SELECT * FROM {COMPLETIONS} WHERE course_id = ? AND person_id IN "
                f"({', '.join('?' * len(chunk))}) ORDER BY completed_on, id",
                [course_id, *chunk],
            ):
                found[row["person_id"]] = Completion.from_row(row)
        return found

    def _insert_assignment(
        self,
        person_id: str,
        course_id: str,
        assigned_on: dt.date,
        due: dt.date | None,
        source: str,
    ) -> AssignmentRecord:
        (record,) = self._insert_assignments([(person_id, course_id, assigned_on, due, source)])
        return record

    def _insert_assignments(self, wanted: Sequence[NewAssignment]) -> list[AssignmentRecord]:
        """Insert assignments in the order given, each with its ``training.assigned`` event
        (inside a transaction), at the cost of writing their rows: one ``insert_all``, one
        ``record_many``. Returns them as stored."""
        if not wanted:
            return []
        db = self.hub.db
        now = self.hub.clock.now().isoformat()
        first_id = db.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {ASSIGNMENTS}").fetchone()[0]
        rows = [
            {
                "id": first_id + n,
                "person_id": person_id,
                "course_id": course_id,
                "assigned_on": assigned_on.isoformat(),
                "due": iso(due),
                "status": AssignmentStatus.ASSIGNED.value,
                "source": source,
                "created_at": now,
                "created_by": self.hub.actor,
            }
            for n, (person_id, course_id, assigned_on, due, source) in enumerate(wanted)
        ]
        db.table(ASSIGNMENTS).insert_all(rows, batch_size=500)
        records = [
            AssignmentRecord(
                id=row["id"],
                person_id=person_id,
                course_id=course_id,
                assigned_on=assigned_on,
                due=due,
                stored_status=AssignmentStatus.ASSIGNED,
                source=source,
            )
            for row, (person_id, course_id, assigned_on, due, source) in zip(
                rows, wanted, strict=True
            )
        ]
        today = self.today
        self.hub.audit.record_many(
            {
                "action": "training.assigned",
                "entity": "training_assignment",
                "entity_id": record.id,
                "after": record.plain(today),
            }
            for record in records
        )
        return records

    def start(self, person_id: str, course_id: str) -> AssignmentRecord:
        """Mark the open assignment of a course as in progress."""
        person = self.person(person_id)
        self.catalogue.course(course_id)
        self.require_self_or_manager(person)
        with self.hub.atomic():
            record = self.open_assignment(person.id, course_id)
            if record is None:
                raise ValidationError(
                    M_(
                        "%(person)s has no open assignment of %(course)r",
                        person=person.id,
                        course=self._course_name(course_id),
                    )
                )
            if record.started_on is not None:
                return record
            self.hub.db.table(ASSIGNMENTS).update(
                record.id,
                {"started_on": self.today.isoformat(), "status": open_status(record, self.today)},
            )
            after = self.assignment(record.id)
            self.hub.audit.record(
                "training.started",
                "training_assignment",
                record.id,
                before=record.plain(self.today),
                after=after.plain(self.today),
            )
        return after
