"""Sync: assignments that the rules require, overdue and expired ones."""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs

from corehub.models import AssignmentStatus, Person, TrainingRule
from corehub_training_tracker.records import AssignmentRecord
from corehub_training_tracker.settings import TrainingSettings
from corehub_training_tracker.training.assigning import Assigning, NewAssignment, _chunks
from corehub_training_tracker.training.reading import ASSIGNMENTS, COMPLETIONS, OPEN_SQL

_NO_COMPLETION = object()
"""``latest`` of a person and course without any completion (None: one that never expires)."""

OPEN_THAT_CHANGES_SQL = f"""
    {OPEN_SQL} AND (
        completed_on IS NOT NULL
        OR (due IS NOT NULL AND due < :today
            AND (status != 'overdue' OR coalesce(overdue_notified_at, '') = ''))
        OR ((due IS NULL OR due >= :today)
            AND status != CASE WHEN started_on IS NOT NULL THEN 'in_progress' ELSE 'assigned' END)
    )
"""
"""The open assignments whose status a sync changes today (:meth:`AssignmentRecord.status`)
or that it finds overdue for the first time: the others need no write, so they are not read
into Python. The rule itself stays :meth:`AssignmentRecord.status`, applied to these rows."""

_ACTIVE = "person_id IN (SELECT id FROM people WHERE active = 1)"
"""Rows of active people: each person's rows read from the index by person and course
(``training_assignments_waived``, ``training_completions_latest``) without the table."""

EXPIRED_SQL = "status = 'completed' AND expires_on IS NOT NULL AND expires_on <= :today"


@attrs.frozen
class SyncResult:
    created: tuple[AssignmentRecord, ...] = ()
    overdue: tuple[AssignmentRecord, ...] = ()
    """Assignments this sync found overdue for the first time."""
    expired: tuple[AssignmentRecord, ...] = ()


@attrs.frozen
class _Stored:
    """What sync needs of the stored records of the people in scope, read at once."""

    blocking: set[tuple[str, str]]
    """(person, course) with an open assignment or a waiver in effect: nothing to create."""
    on_record: set[tuple[str, str]]
    """(person, course) with any assignment or completion (new-hire rules stay applied)."""
    latest: dict[tuple[str, str], dt.date | None]
    """(person, course) -> when their latest completion expires (None: never)."""


class Syncing(Assigning):
    """Sync: assignments that the rules require, overdue and expired ones."""

    def sync(self) -> SyncResult:
        """Apply the rules: create missing assignments and recertifications, flag overdue ones.

        Idempotent: a second run creates nothing the first one did. ``assignment_overdue``
        fires once per assignment, the first time a sync finds it overdue.

        Reads the organization once and writes in bulk: the active people, the state of
        their assignments and their latest completions with one statement each (not two
        look-ups per person and course); new assignments go in with one ``insert_all``
        and their events with one ``record_many``; the assignments that turn overdue or
        expire are updated a few hundred to a statement; all of it in one transaction.
        """
        today = self.today
        config = self.settings
        with self.hub.atomic():
            people = self.hub.people.list()
            stored = self._stored_for_sync(today)
            wanted: list[NewAssignment] = []
            for person in people:
                required = self.required(person, on_record=stored.on_record)
                for course_id, rules in required.items():
                    key = (person.id, course_id)
                    if key in stored.blocking:
                        continue
                    planned = self._plan(
                        person, rules, stored.latest.get(key, _NO_COMPLETION), config, today
                    )
                    if planned is not None:
                        due, source = planned
                        wanted.append((person.id, course_id, today, due, source))
            created = self._insert_assignments(wanted)
            overdue = self._mark_open(today)
            expired = self._mark_expired(today)
        return SyncResult(created=tuple(created), overdue=tuple(overdue), expired=tuple(expired))

    def _stored_for_sync(self, today: dt.date) -> _Stored:
        """The state of the active people's assignments and completions, in two statements
        over the indexes that hold them (by person and course), in the indexes' order."""
        db = self.hub.db
        blocking: set[tuple[str, str]] = set()
        on_record: set[tuple[str, str]] = set()
        for person_id, course_id, blocks in db.execute(
            f"SELECT person_id, course_id, max(status IN ('assigned', 'in_progress', "
            "'overdue') OR (status = 'waived' AND (waived_until IS NULL "
            f"OR waived_until >= :today))) FROM {ASSIGNMENTS} WHERE {_ACTIVE} "
            "GROUP BY person_id, course_id",
            {"today": today.isoformat()},
        ):
            on_record.add((person_id, course_id))
            if blocks:
                blocking.add((person_id, course_id))
        latest: dict[tuple[str, str], dt.date | None] = {}
        # a person completes a course at most once a day (UNIQUE): the row with the latest
        # day is the latest completion, and SQLite takes expires_on from that row
        for person_id, course_id, _, expires_on in db.execute(
            f"SELECT person_id, course_id, max(completed_on), expires_on FROM {COMPLETIONS} "
            f"WHERE {_ACTIVE} GROUP BY person_id, course_id"
        ):
            on_record.add((person_id, course_id))
            latest[person_id, course_id] = dt.date.fromisoformat(expires_on) if expires_on else None
        return _Stored(blocking=blocking, on_record=on_record, latest=latest)

    def _mark_open(self, today: dt.date) -> list[AssignmentRecord]:
        """Store the status of open assignments that changed today; mark (and announce)
        the ones overdue for the first time, which are returned."""
        db = self.hub.db
        now = self.hub.clock.now().isoformat()
        changed: dict[tuple[str, bool], list[int]] = {}
        overdue: list[AssignmentRecord] = []
        for row in db.query(
            f"SELECT * FROM {ASSIGNMENTS} WHERE {OPEN_THAT_CHANGES_SQL} ORDER BY assigned_on, id",
            {"today": today.isoformat()},
        ):
            record = AssignmentRecord.from_row(row)
            status = record.status(today)
            first_overdue = status is AssignmentStatus.OVERDUE and not record.overdue_notified_at
            if status.value == record.stored_status.value and not first_overdue:
                continue
            changed.setdefault((status.value, first_overdue), []).append(record.id)
            if first_overdue:
                overdue.append(attrs.evolve(record, stored_status=status, overdue_notified_at=now))
        for (status_value, notified), ids in changed.items():
            for chunk in _chunks(ids):
                marks = ", ".join("?" * len(chunk))
                if notified:
                    db.execute(
                        f"UPDATE {ASSIGNMENTS} SET status = ?, overdue_notified_at = ? "
                        f"WHERE id IN ({marks})",
                        [status_value, now, *chunk],
                    )
                else:
                    db.execute(
                        f"UPDATE {ASSIGNMENTS} SET status = ? WHERE id IN ({marks})",
                        [status_value, *chunk],
                    )
        if not overdue:
            return overdue
        self.hub.audit.record_many(
            {
                "action": "training.overdue",
                "entity": "training_assignment",
                "entity_id": record.id,
                "after": record.plain(today),
            }
            for record in overdue
        )
        if self.hub.hook.implemented("assignment_overdue"):
            for record in overdue:
                self.hub.hook.assignment_overdue(hub=self.hub, assignment=record.to_model(today))
        return overdue

    def _mark_expired(self, today: dt.date) -> list[AssignmentRecord]:
        """Completed assignments whose completion expired: stored as expired, returned."""
        db = self.hub.db
        params = {"today": today.isoformat()}
        rows = list(
            db.query(f"SELECT * FROM {ASSIGNMENTS} WHERE {EXPIRED_SQL} ORDER BY id", params)
        )
        if rows:
            db.execute(f"UPDATE {ASSIGNMENTS} SET status = 'expired' WHERE {EXPIRED_SQL}", params)
        expired = AssignmentStatus.EXPIRED.value
        return [AssignmentRecord.from_row({**row, "status": expired}) for row in rows]

    def _planned(
        self, person: Person, course_id: str, rules: list[TrainingRule]
    ) -> tuple[dt.date, str] | None:
        """(due, source) of the assignment the rules need, or None when nothing is needed
        (one person and course, looked up; :meth:`sync` reads everyone's at once)."""
        today = self.today
        records = self.assignments(person_ids=[person.id], course_id=course_id)
        if any(r.is_open() or r.waiver_in_effect(today) for r in records):
            return None
        latest = self.latest_completion(person.id, course_id)
        expires = _NO_COMPLETION if latest is None else latest.expires_on
        return self._plan(person, rules, expires, self.settings, today)

    def _plan(
        self,
        person: Person,
        rules: list[TrainingRule],
        latest: Any,
        config: TrainingSettings,
        today: dt.date,
    ) -> tuple[dt.date, str] | None:
        """(due, source) of the assignment ``rules`` need of ``person``, who has no open
        assignment nor waiver of the course; ``latest``: when their latest completion of
        it expires (None: never; ``_NO_COMPLETION``: there is none)."""
        if latest is not _NO_COMPLETION:
            expires_on: dt.date | None = latest
            if self._covers_until(expires_on, config, today):
                return None
            if expires_on is not None:
                if today < expires_on:
                    return expires_on, "recertification"
                return today + dt.timedelta(
                    days=config.recertification_window_days
                ), "recertification"
        candidates = []
        for rule in rules:
            if rule.due is not None:
                due = rule.due
            elif rule.new_hires_within_days is not None and person.hire_date is not None:
                due = max(person.hire_date + dt.timedelta(days=rule.new_hires_within_days), today)
            else:
                due = today + dt.timedelta(days=config.default_due_days)
            candidates.append((due, f"rule:{rule.id}"))
        return min(candidates)
