"""Assignments, completions, waivers, sync, compliance and course feedback.

``Training(hub)`` is the library API behind every ``corehub training`` command. Each
write runs in one ``hub.atomic()`` transaction with its audit events and the hooks it
fires, so a failure leaves nothing half-written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from corehub import access
from corehub.errors import NotFoundError, PermissionDeniedError, ValidationError
from corehub.messages import M_, Message, Named
from corehub.models import AssignmentStatus, Course, Person, TrainingRule
from corehub_training_tracker.catalogue import Catalogue, load_catalogue
from corehub_training_tracker.dates import add_months
from corehub_training_tracker.records import OPEN, AssignmentRecord, Completion, iso
from corehub_training_tracker.settings import TrainingSettings, settings

if TYPE_CHECKING:
    from corehub import Hub
    from corehub_training_tracker.evidence import Upload

ASSIGNMENTS = "training_assignments"
COMPLETIONS = "training_completions"
FEEDBACK = "training_feedback"
_OPEN_SQL = "status IN ('assigned', 'in_progress', 'overdue')"


class CourseName(Named):
    """A course named in a message: its id in English (what the command line takes and
    prints), its title in the reader's language on a page (``%(course)r`` quotes either)."""

    @classmethod
    def of(cls, course: Course) -> CourseName:
        made = cls(course.id, course.title)
        assert isinstance(made, CourseName)
        return made


@attrs.frozen
class AssignResult:
    created: tuple[AssignmentRecord, ...] = ()
    skipped: dict[str, str] = attrs.field(factory=dict)
    """Person id -> why nobody was assigned (already open, already holds it...)."""


@attrs.frozen
class SyncResult:
    created: tuple[AssignmentRecord, ...] = ()
    overdue: tuple[AssignmentRecord, ...] = ()
    """Assignments this sync found overdue for the first time."""
    expired: tuple[AssignmentRecord, ...] = ()


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


class Training:
    """The training tracker for one Hub."""

    def __init__(self, hub: Hub, *, as_of: dt.date | None = None):
        self.hub = hub
        self._as_of = as_of

    @cached_property
    def catalogue(self) -> Catalogue:
        return load_catalogue(self.hub)

    @property
    def settings(self) -> TrainingSettings:
        return settings(self.hub)

    @property
    def today(self) -> dt.date:
        """The Hub's today, or the day a report describes (``as_of``)."""
        return self._as_of or self.hub.clock.today()

    # -- reading -----------------------------------------------------------------

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
        filters = _person_course_filter(person_ids, course_id)
        if filters is None:
            return []
        where, params = filters
        if open_only:
            where.append(_OPEN_SQL)
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
        filters = _person_course_filter(person_ids, course_id)
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
        if completion.expires_on is None:
            return True
        window = dt.timedelta(days=self.settings.recertification_window_days)
        return self.today < completion.expires_on - window

    def holds(self, person_id: str, course_id: str, *, on: dt.date | None = None) -> bool:
        """True when the person has a completion of the course valid on ``on`` (default today)."""
        day = on or self.today
        return any(
            c.valid_on(day) and c.completed_on <= day
            for c in self.completions(person_ids=[person_id], course_id=course_id)
        )

    def required(self, person: Person) -> dict[str, list[TrainingRule]]:
        """Course id -> the rules requiring it of ``person`` today."""
        found: dict[str, list[TrainingRule]] = {}
        for rule in self.catalogue.rules_for(person):
            if rule.new_hires_within_days is not None and not self._new_hire_rule_applies(
                rule, person
            ):
                continue
            found.setdefault(rule.course_id, []).append(rule)
        return found

    def _new_hire_rule_applies(self, rule: TrainingRule, person: Person) -> bool:
        if person.hire_date is None:
            return False
        recent = person.hire_date >= self.today - dt.timedelta(
            days=self.settings.new_hire_lookback_days
        )
        if recent:
            return True
        # Once a person has been inducted (or assigned induction), it stays on their record.
        return bool(
            self.assignments(person_ids=[person.id], course_id=rule.course_id)
            or self.completions(person_ids=[person.id], course_id=rule.course_id)
        )

    def _course_name(self, course_id: str) -> CourseName:
        """``course_id`` for a message: the course's title on a page (the id if unknown)."""
        course = self.catalogue.courses.get(course_id)
        return CourseName(course_id, course.title if course is not None else None)

    # -- permissions -------------------------------------------------------------

    def require_may_manage(self, person: Person) -> None:
        """Managers (direct or further up), HR and the operator may assign, waive and decide."""
        who = access.viewer(self.hub)
        if who.sees_everything or (
            who.id != person.id and access.may_see_person(self.hub, who, person.id)
        ):
            return
        raise PermissionDeniedError(
            M_(
                "%(actor)s does not manage %(person)s: only their managers or HR may do this",
                actor=who.actor,
                person=person.id,
            )
        )

    def require_self_or_manager(self, person: Person) -> None:
        """The person, their managers, HR and the operator may record their training."""
        who = access.viewer(self.hub)
        if access.may_see_person(self.hub, who, person.id):
            return
        raise PermissionDeniedError(
            M_(
                "%(actor)s may not record training for %(person)s",
                actor=who.actor,
                person=person.id,
            )
        )

    # -- assigning ---------------------------------------------------------------

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
                {"started_on": self.today.isoformat(), "status": _open_status(record, self.today)},
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

    # -- completing --------------------------------------------------------------

    def completion_problems(
        self,
        person: Person,
        course: Course,
        on: dt.date,
        *,
        score: float | None = None,
        earlier: Iterable[tuple[str, str, dt.date]] = (),
        override: bool = False,
    ) -> list[str]:
        """``field: problem`` lines for a completion (Messages: their ``where`` is the field);
        ``earlier`` are (person, course, date) completions recorded in the same batch (an
        import)."""
        problems: list[str] = []
        if on > self.today:
            problems.append(M_("%(day)s is in the future", where="date", day=on))
        if person.hire_date is not None and on < person.hire_date:
            problems.append(
                M_(
                    "%(day)s is before %(person)s's hire date %(hired)s",
                    where="date",
                    day=on,
                    person=person.id,
                    hired=person.hire_date,
                )
            )
        if score is not None and not 0 <= score <= 100:
            problems.append(
                M_("%(score)s must be between 0 and 100", where="score", score=f"{score:g}")
            )
        batch = set(earlier)
        for prerequisite in course.prerequisites:
            in_batch = any(p == person.id and c == prerequisite and d <= on for p, c, d in batch)
            if not override and not in_batch and not self.holds(person.id, prerequisite, on=on):
                problems.append(
                    M_(
                        "prerequisite %(course)r was not completed by %(person)s on or before "
                        "%(day)s",
                        where="course",
                        hint="use --override --reason to record it anyway",
                        course=self._course_name(prerequisite),
                        person=person.id,
                        day=on,
                    )
                )
        existing = self.hub.db.table(COMPLETIONS).count_where(
            "person_id = ? AND course_id = ? AND completed_on = ?", [person.id, course.id, iso(on)]
        )
        if existing:
            problems.append(
                M_(
                    "%(person)s already has %(course)r completed on %(day)s",
                    where="date",
                    person=person.id,
                    course=CourseName.of(course),
                    day=on,
                )
            )
        return problems

    def complete(
        self,
        person_id: str,
        course_id: str,
        on: dt.date,
        *,
        score: float | None = None,
        evidence: str | None = None,
        evidence_file: Path | None = None,
        evidence_upload: Upload | None = None,
        override_reason: str | None = None,
        source: str = "manual",
    ) -> Completion:
        """Record a completion; the matching open assignment (if any) becomes completed.

        Evidence is a text, a file on disk (``evidence_file``) or a file sent through the
        web app (``evidence_upload``); files are copied by :mod:`.evidence`.
        """
        person = self.hub.people.find(person_id)
        if person is None:
            raise NotFoundError(M_("no person with id %(id)r", id=person_id))
        course = self.catalogue.course(course_id)
        self.require_self_or_manager(person)
        if override_reason is not None and not override_reason.strip():
            raise ValidationError(
                M_("--override needs a --reason saying why the prerequisite is waived")
            )
        problems = self.completion_problems(
            person, course, on, score=score, override=override_reason is not None
        )
        if problems:
            raise ValidationError(
                M_(
                    "the completion of %(course)r by %(person)s was not recorded:",
                    course=CourseName.of(course),
                    person=person.id,
                ),
                problems,
            )
        stored = None
        if evidence_file is not None:
            from corehub_training_tracker.evidence import store_file

            stored = store_file(self.hub, evidence_file, person_id=person.id, course_id=course.id)
        elif evidence_upload is not None:
            from corehub_training_tracker.evidence import store_upload

            stored = store_upload(
                self.hub, evidence_upload, person_id=person.id, course_id=course.id
            )
        try:
            with self.hub.atomic():
                completion = self._record_completion(
                    person,
                    course,
                    on,
                    score=score,
                    evidence_text=evidence,
                    evidence_file=stored.relative_path if stored else None,
                    evidence_name=stored.original_name if stored else None,
                    source=source,
                    override_reason=override_reason,
                )
        except BaseException:
            if stored is not None:
                stored.discard(self.hub)
            raise
        return completion

    def _record_completion(
        self,
        person: Person,
        course: Course,
        on: dt.date,
        *,
        score: float | None,
        source: str,
        evidence_text: str | None = None,
        evidence_file: str | None = None,
        evidence_name: str | None = None,
        override_reason: str | None = None,
    ) -> Completion:
        """Insert one completion and close the open assignment it satisfies (inside a transaction)."""
        months = self.catalogue.validity_months(course.id, self.catalogue.rules_for(person))
        expires_on = add_months(on, months) if months else None
        row_id = (
            self.hub.db.table(COMPLETIONS)
            .insert(
                {
                    "person_id": person.id,
                    "course_id": course.id,
                    "completed_on": on.isoformat(),
                    "score": score,
                    "expires_on": iso(expires_on),
                    "evidence_text": evidence_text,
                    "evidence_file": evidence_file,
                    "evidence_name": evidence_name,
                    "source": source,
                    "override_reason": override_reason,
                    "recorded_at": self.hub.clock.now().isoformat(),
                    "recorded_by": self.hub.actor,
                }
            )
            .last_pk
        )
        completion = Completion.from_row(self.hub.db.table(COMPLETIONS).get(int(row_id or 0)))
        self.hub.audit.record(
            "training.completed",
            "training_completion",
            completion.id,
            after=attrs.asdict(completion),
            reason=override_reason,
        )
        self._settle_recommendations(person.id, course.id, on)
        record = self.open_assignment(person.id, course.id)
        if record is not None and self._satisfies(completion, record):
            self.hub.db.table(ASSIGNMENTS).update(
                record.id,
                {
                    "status": AssignmentStatus.COMPLETED.value,
                    "completed_on": on.isoformat(),
                    "completion_id": completion.id,
                    "expires_on": iso(expires_on),
                },
            )
            after = self.assignment(record.id)
            self.hub.audit.record(
                "training.assignment_completed",
                "training_assignment",
                record.id,
                before=record.plain(self.today),
                after=after.plain(self.today),
            )
            self.hub.hook.assignment_completed(hub=self.hub, assignment=after.to_model(self.today))
        return completion

    def _settle_recommendations(self, person_id: str, course_id: str, on: dt.date) -> None:
        """A course completed while a recommendation of it is pending settles the recommendation."""
        from corehub_training_tracker.recommendations import TABLE

        pending = list(
            self.hub.db.table(TABLE).rows_where(
                "person_id = ? AND course_id = ? AND status = 'pending'", [person_id, course_id]
            )
        )
        for rec in pending:
            reason = f"completed on {on.isoformat()}"
            self.hub.db.table(TABLE).update(
                rec["id"],
                {
                    "status": "completed",
                    "decided_at": self.hub.clock.now().isoformat(),
                    "decided_by": self.hub.actor,
                    "decision_reason": reason,
                },
            )
            self.hub.audit.record(
                "training.recommendation_settled",
                "training_recommendation",
                rec["id"],
                before=rec,
                after={"status": "completed", "decision_reason": reason},
                cycle_id=rec["cycle_id"],
                reason=reason,
            )

    def _satisfies(self, completion: Completion, record: AssignmentRecord) -> bool:
        """A completion closes an assignment when it covers the requirement today; a
        recertification needs a completion made after it was assigned."""
        if record.source == "recertification" and completion.completed_on < record.assigned_on:
            return False
        return self.covers(completion) or completion.completed_on >= record.assigned_on

    # -- waiving -----------------------------------------------------------------

    def waive(
        self, person_id: str, course_id: str, reason: str, *, until: dt.date | None = None
    ) -> AssignmentRecord:
        """Waive a course for a person (their open assignment, or a new waived one)."""
        person = self.person(person_id)
        course = self.catalogue.course(course_id)
        if not reason or not reason.strip():
            raise ValidationError(M_("a waiver needs a reason", hint="--reason"))
        if until is not None and until < self.today:
            raise ValidationError(M_("%(day)s is in the past", where="--until", day=until))
        self.require_may_manage(person)
        with self.hub.atomic():
            record = self.open_assignment(person.id, course.id)
            changes = {
                "status": AssignmentStatus.WAIVED.value,
                "waived_reason": reason.strip(),
                "waived_until": iso(until),
            }
            if record is None:
                record = self._insert_assignment(person.id, course.id, self.today, None, "waiver")
            self.hub.db.table(ASSIGNMENTS).update(record.id, changes)
            after = self.assignment(record.id)
            self.hub.audit.record(
                "training.waived",
                "training_assignment",
                record.id,
                before=record.plain(self.today),
                after=after.plain(self.today),
                reason=reason.strip(),
            )
        return after

    # -- sync --------------------------------------------------------------------

    def sync(self) -> SyncResult:
        """Apply the rules: create missing assignments and recertifications, flag overdue ones.

        Idempotent: a second run creates nothing the first one did. ``assignment_overdue``
        fires once per assignment, the first time a sync finds it overdue.
        """
        today = self.today
        created: list[AssignmentRecord] = []
        overdue: list[AssignmentRecord] = []
        expired: list[AssignmentRecord] = []
        with self.hub.atomic():
            for person in self.hub.people.list():
                for course_id, rules in self.required(person).items():
                    planned = self._planned(person, course_id, rules)
                    if planned is None:
                        continue
                    due, source = planned
                    created.append(
                        self._insert_assignment(person.id, course_id, today, due, source)
                    )
            for record in self.assignments(open_only=True):
                status = record.status(today)
                changes: dict[str, Any] = {}
                if status.value != record.stored_status.value:
                    changes["status"] = status.value
                first_overdue = (
                    status is AssignmentStatus.OVERDUE and not record.overdue_notified_at
                )
                if first_overdue:
                    changes["overdue_notified_at"] = self.hub.clock.now().isoformat()
                if changes:
                    self.hub.db.table(ASSIGNMENTS).update(record.id, changes)
                if first_overdue:
                    after = self.assignment(record.id)
                    overdue.append(after)
                    self.hub.audit.record(
                        "training.overdue",
                        "training_assignment",
                        record.id,
                        after=after.plain(today),
                    )
                    self.hub.hook.assignment_overdue(hub=self.hub, assignment=after.to_model(today))
            for row in self.hub.db.table(ASSIGNMENTS).rows_where(
                "status = 'completed' AND expires_on IS NOT NULL AND expires_on <= ?",
                [today.isoformat()],
            ):
                self.hub.db.table(ASSIGNMENTS).update(
                    row["id"], {"status": AssignmentStatus.EXPIRED.value}
                )
                expired.append(self.assignment(row["id"]))
        return SyncResult(created=tuple(created), overdue=tuple(overdue), expired=tuple(expired))

    def _planned(
        self, person: Person, course_id: str, rules: list[TrainingRule]
    ) -> tuple[dt.date, str] | None:
        """(due, source) of the assignment the rules need, or None when nothing is needed."""
        today = self.today
        records = self.assignments(person_ids=[person.id], course_id=course_id)
        if any(r.is_open() or r.waiver_in_effect(today) for r in records):
            return None
        latest = self.latest_completion(person.id, course_id)
        if self.covers(latest):
            return None
        if latest is not None and latest.expires_on is not None:
            if today < latest.expires_on:
                return latest.expires_on, "recertification"
            return today + dt.timedelta(
                days=self.settings.recertification_window_days
            ), "recertification"
        candidates = []
        for rule in rules:
            if rule.due is not None:
                due = rule.due
            elif rule.new_hires_within_days is not None and person.hire_date is not None:
                due = max(person.hire_date + dt.timedelta(days=rule.new_hires_within_days), today)
            else:
                due = today + dt.timedelta(days=self.settings.default_due_days)
            candidates.append((due, f"rule:{rule.id}"))
        return min(candidates)

    # -- views -------------------------------------------------------------------

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

    # -- course feedback ---------------------------------------------------------

    def rate(self, person_id: str, course_id: str, rating: int, comment: str = "") -> None:
        """The participant rates a course they completed (1-5, with an optional comment)."""
        person = self.person(person_id)
        course = self.catalogue.course(course_id)
        # Only the participant: HR, their managers and the operator are refused alike.
        who = access.viewer(self.hub)
        if who.person is not None and not access.is_self(self.hub, who, person.id):
            raise PermissionDeniedError(
                M_("%(actor)s may only rate courses for themselves", actor=who.actor)
            )
        access.require_self(self.hub, who, person.id, M_("rating a course"))
        problems: list[str] = []
        if isinstance(rating, bool) or not 1 <= rating <= 5:
            problems.append(
                M_("%(rating)s must be a whole number from 1 to 5", where="rating", rating=rating)
            )
        if not self.completions(person_ids=[person.id], course_id=course.id):
            problems.append(
                M_(
                    "%(person)s has not completed %(course)r yet",
                    where="course",
                    person=person.id,
                    course=CourseName.of(course),
                )
            )
        if len(comment) > 2000:
            problems.append(M_("longer than %(limit)s characters", where="comment", limit=2000))
        if problems:
            raise ValidationError(M_("the rating was not saved:"), problems)
        with self.hub.atomic():
            table = self.hub.db.table(FEEDBACK)
            before = next(
                iter(table.rows_where("person_id = ? AND course_id = ?", [person.id, course.id])),
                None,
            )
            row = {
                "person_id": person.id,
                "course_id": course.id,
                "rating": rating,
                "comment": comment.strip(),
                "rated_on": self.today.isoformat(),
            }
            table.upsert(row, pk=("person_id", "course_id"))
            self.hub.audit.record(
                "training.rated",
                "training_feedback",
                f"{person.id}/{course.id}",
                before=before,
                after=row,
            )

    def rating_by(self, person_id: str, course_id: str) -> dict[str, Any] | None:
        """The person's own rating of a course (rating, comment, rated_on), or None."""
        rows = self.hub.db.table(FEEDBACK).rows_where(
            "person_id = ? AND course_id = ?", [person_id, course_id]
        )
        row = next(iter(rows), None)
        if row is None:
            return None
        return {"rating": row["rating"], "comment": row["comment"], "rated_on": row["rated_on"]}

    def ratings(self) -> dict[str, tuple[float, int]]:
        """Course id -> (average rating, number of ratings)."""
        rows = self.hub.db.query(
            f"SELECT course_id, AVG(rating) AS average, COUNT(*) AS n FROM {FEEDBACK} GROUP BY course_id"
        )
        return {row["course_id"]: (float(row["average"]), int(row["n"])) for row in rows}

    def comments(self, course_id: str) -> list[dict[str, Any]]:
        rows = self.hub.db.table(FEEDBACK).rows_where(
            "course_id = ? AND comment != ''", [course_id], order_by="rated_on DESC"
        )
        return [
            {"rating": r["rating"], "comment": r["comment"], "rated_on": r["rated_on"]}
            for r in rows
        ]


def _open_status(record: AssignmentRecord, today: dt.date) -> str:
    if record.due is not None and today > record.due:
        return AssignmentStatus.OVERDUE.value
    return AssignmentStatus.IN_PROGRESS.value


__all__ = ["OPEN", "AssignResult", "Cell", "CourseName", "Matrix", "SyncResult", "Training"]


def _person_course_filter(
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
