"""The plugin's own records: assignments and completions as stored, with their state."""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs

from corehub.loaders import from_row
from corehub.models import Assignment, AssignmentStatus

OPEN = (AssignmentStatus.ASSIGNED, AssignmentStatus.IN_PROGRESS, AssignmentStatus.OVERDUE)


def iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


@attrs.frozen(kw_only=True)
class Completion:
    """Proof that a person completed a course on a date."""

    id: int
    person_id: str
    course_id: str
    completed_on: dt.date
    score: float | None = None
    expires_on: dt.date | None = None
    """The first day the completion is no longer valid; None: it never expires."""
    evidence_text: str | None = None
    evidence_file: str | None = None
    """Path of the copied evidence file, relative to the workspace."""
    evidence_name: str | None = None
    source: str = "manual"
    override_reason: str | None = None

    def valid_on(self, day: dt.date) -> bool:
        return self.expires_on is None or day < self.expires_on

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Completion:
        return from_row(row, cls)


@attrs.frozen(kw_only=True)
class AssignmentRecord:
    """A stored assignment; :meth:`status` tells its state on a given day."""

    id: int
    person_id: str
    course_id: str
    assigned_on: dt.date
    due: dt.date | None = None
    stored_status: AssignmentStatus = AssignmentStatus.ASSIGNED
    source: str = "manual"
    started_on: dt.date | None = None
    completed_on: dt.date | None = None
    completion_id: int | None = None
    expires_on: dt.date | None = None
    waived_reason: str | None = None
    waived_until: dt.date | None = None
    overdue_notified_at: str | None = None

    def status(self, today: dt.date) -> AssignmentStatus:
        if self.stored_status is AssignmentStatus.WAIVED:
            return AssignmentStatus.WAIVED
        if self.completed_on is not None:
            if self.expires_on is not None and today >= self.expires_on:
                return AssignmentStatus.EXPIRED
            return AssignmentStatus.COMPLETED
        if self.due is not None and today > self.due:
            return AssignmentStatus.OVERDUE
        if self.started_on is not None:
            return AssignmentStatus.IN_PROGRESS
        return AssignmentStatus.ASSIGNED

    def is_open(self) -> bool:
        return self.stored_status in OPEN

    def waiver_in_effect(self, today: dt.date) -> bool:
        return self.stored_status is AssignmentStatus.WAIVED and (
            self.waived_until is None or today <= self.waived_until
        )

    def to_model(self, today: dt.date) -> Assignment:
        """The core's ``Assignment`` record, as hooks receive it."""
        return Assignment(
            id=self.id,
            person_id=self.person_id,
            course_id=self.course_id,
            assigned_on=self.assigned_on,
            due=self.due,
            status=self.status(today),
            completed_on=self.completed_on,
            expires_on=self.expires_on,
            source=self.source,
        )

    def plain(self, today: dt.date) -> dict[str, Any]:
        """Plain data for JSON and templates."""
        return {
            "id": self.id,
            "person_id": self.person_id,
            "course_id": self.course_id,
            "status": self.status(today).value,
            "assigned_on": iso(self.assigned_on),
            "due": iso(self.due),
            "days_overdue": (today - self.due).days
            if self.due and self.status(today) is AssignmentStatus.OVERDUE
            else None,
            "started_on": iso(self.started_on),
            "completed_on": iso(self.completed_on),
            "expires_on": iso(self.expires_on),
            "source": self.source,
            "waived_reason": self.waived_reason,
            "waived_until": iso(self.waived_until),
        }

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> AssignmentRecord:
        return from_row(row, cls, columns={"status": "stored_status"})
