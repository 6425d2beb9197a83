"""Sync: assignments that the rules require, overdue and expired ones."""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs

from corehub.models import AssignmentStatus, Person, TrainingRule
from corehub_training_tracker.records import AssignmentRecord
from corehub_training_tracker.training.assigning import Assigning
from corehub_training_tracker.training.reading import ASSIGNMENTS


@attrs.frozen
class SyncResult:
    created: tuple[AssignmentRecord, ...] = ()
    overdue: tuple[AssignmentRecord, ...] = ()
    """Assignments this sync found overdue for the first time."""
    expired: tuple[AssignmentRecord, ...] = ()


class Syncing(Assigning):
    """Sync: assignments that the rules require, overdue and expired ones."""

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
