"""Assigning courses to people, and starting them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import attrs

from corehub.errors import ValidationError
from corehub.messages import M_, Message
from corehub.models import AssignmentStatus, Person
from corehub_training_tracker.records import AssignmentRecord, iso
from corehub_training_tracker.training.permissions import Permissions
from corehub_training_tracker.training.reading import (
    ASSIGNMENTS,
    open_status,
)


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
            for person in people:
                self.require_may_manage(person)
        created: list[AssignmentRecord] = []
        skipped: dict[str, str] = {}
        with self.hub.atomic():
            for person in people:
                why = self._why_not_assign(person, course.id)
                if why:
                    skipped[person.id] = why
                    continue
                created.append(
                    self._insert_assignment(person.id, course.id, assigned_on, due, source)
                )
        return AssignResult(created=tuple(created), skipped=skipped)

    def _why_not_assign(self, person: Person, course_id: str) -> Message | None:
        existing = self.open_assignment(person.id, course_id)
        if existing is not None:
            return M_(
                "already assigned (#%(id)s, %(status)s)",
                id=existing.id,
                status=existing.status(self.today).value,
            )
        latest = self.latest_completion(person.id, course_id)
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

    def _insert_assignment(
        self,
        person_id: str,
        course_id: str,
        assigned_on: dt.date,
        due: dt.date | None,
        source: str,
    ) -> AssignmentRecord:
        table = self.hub.db.table(ASSIGNMENTS)
        row_id = table.insert(
            {
                "person_id": person_id,
                "course_id": course_id,
                "assigned_on": assigned_on.isoformat(),
                "due": iso(due),
                "status": AssignmentStatus.ASSIGNED.value,
                "source": source,
                "created_at": self.hub.clock.now().isoformat(),
                "created_by": self.hub.actor,
            }
        ).last_pk
        record = self.assignment(int(row_id or 0))
        self.hub.audit.record(
            "training.assigned", "training_assignment", record.id, after=record.plain(self.today)
        )
        return record

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
