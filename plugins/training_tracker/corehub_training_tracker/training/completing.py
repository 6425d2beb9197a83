"""Recording completions, with evidence, and what they close."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import attrs

from corehub.errors import NotFoundError, ValidationError
from corehub.messages import M_
from corehub.models import AssignmentStatus, Course, Person
from corehub_training_tracker.dates import add_months
from corehub_training_tracker.records import AssignmentRecord, Completion, iso
from corehub_training_tracker.training.permissions import Permissions
from corehub_training_tracker.training.reading import (
    ASSIGNMENTS,
    COMPLETIONS,
    RECOMMENDATIONS,
    CourseName,
)

if TYPE_CHECKING:
    from corehub_training_tracker.evidence import Upload


class Completing(Permissions):
    """Recording completions, with evidence, and what they close."""

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
        pending = list(
            self.hub.db.table(RECOMMENDATIONS).rows_where(
                "person_id = ? AND course_id = ? AND status = 'pending'", [person_id, course_id]
            )
        )
        for rec in pending:
            reason = f"completed on {on.isoformat()}"
            self.hub.db.table(RECOMMENDATIONS).update(
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
