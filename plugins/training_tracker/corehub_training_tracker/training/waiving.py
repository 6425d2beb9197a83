"""Waiving an assignment, with a reason and an end."""

from __future__ import annotations

import datetime as dt

from corehub.errors import ValidationError
from corehub.messages import M_
from corehub.models import AssignmentStatus
from corehub_training_tracker.records import AssignmentRecord, iso
from corehub_training_tracker.training.assigning import Assigning
from corehub_training_tracker.training.reading import ASSIGNMENTS


class Waiving(Assigning):
    """Waiving an assignment, with a reason and an end."""

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
