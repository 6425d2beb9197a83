"""Recording completions, with evidence, and what they close."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

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
    OPEN_SQL,
    RECOMMENDATIONS,
    CourseName,
)

if TYPE_CHECKING:
    from corehub_training_tracker.evidence import Upload


NewCompletion = tuple[Person, Course, dt.date, "float | None", "str | None"]
"""A completion to record in a batch: person, course, day, score, evidence text."""


def _chunks(values: Sequence[Any], size: int = 500) -> Iterator[Sequence[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _marks(values: Sequence[Any]) -> str:
    return ", ".join("?" * len(values))


class Completing(Permissions):
    """Recording completions, with evidence, and what they close."""

    def completion_problems(
        self,
        person: Person,
        course: Course,
        on: dt.date,
        *,
        score: float | None = None,
        earlier: Mapping[tuple[str, str], Iterable[dt.date]] | None = None,
        override: bool = False,
        stored: Mapping[tuple[str, str], list[Completion]] | None = None,
    ) -> list[str]:
        """``field: problem`` lines for a completion (Messages: their ``where`` is the field);
        ``earlier`` holds the dates of the completions recorded in the same batch (an
        import) by (person, course); ``stored``, when given, holds every stored completion of the person by
        (person, course), read once for a whole import instead of queried here."""
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
        for prerequisite in course.prerequisites:
            in_batch = any(d <= on for d in (earlier or {}).get((person.id, prerequisite), ()))
            held = (
                self.holds(person.id, prerequisite, on=on)
                if stored is None
                else any(
                    c.valid_on(on) and c.completed_on <= on
                    for c in stored.get((person.id, prerequisite), [])
                )
            )
            if not override and not in_batch and not held:
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
        existing = (
            self.hub.db.table(COMPLETIONS).count_where(
                "person_id = ? AND course_id = ? AND completed_on = ?",
                [person.id, course.id, iso(on)],
            )
            if stored is None
            else any(c.completed_on == on for c in stored.get((person.id, course.id), []))
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

    def stored_completions(
        self, person_ids: Iterable[str]
    ) -> dict[tuple[str, str], list[Completion]]:
        """Every stored completion of these people, by (person, course), oldest first: read
        with one keyed query per 500 people (an import's people, not the organization)."""
        found: dict[tuple[str, str], list[Completion]] = {}
        for chunk in _chunks(sorted(set(person_ids))):
            for row in self.hub.db.query(
                f"SELECT * FROM {COMPLETIONS} WHERE person_id IN ({_marks(chunk)}) "
                "ORDER BY completed_on, id",
                chunk,
            ):
                completion = Completion.from_row(row)
                found.setdefault((completion.person_id, completion.course_id), []).append(
                    completion
                )
        return found

    def _record_completions(
        self, batch: Sequence[NewCompletion], *, source: str, override_reason: str | None
    ) -> int:
        """Record many completions at the cost of writing their rows (inside a transaction),
        exactly as :meth:`_record_completion` would one after the other in the order given:
        each closes the open assignment it satisfies and settles pending recommendations of
        its course. Completions go in with one ``insert_all``, the assignments and
        recommendations they close are read once for the batch's people and updated with
        one prepared statement each, the events are written together. Returns how many
        assignments were completed."""
        if not batch:
            return 0
        db = self.hub.db
        now = self.hub.clock.now().isoformat()
        people = sorted({person.id for person, *_ in batch})
        wanted = {(person.id, course.id) for person, course, *_ in batch}
        open_now: dict[tuple[str, str], AssignmentRecord] = {}
        for chunk in _chunks(people):
            for row in db.query(
                f"SELECT * FROM {ASSIGNMENTS} WHERE person_id IN ({_marks(chunk)}) "
                f"AND {OPEN_SQL} ORDER BY assigned_on, id",
                chunk,
            ):
                assigned = AssignmentRecord.from_row(row)
                open_now.setdefault((assigned.person_id, assigned.course_id), assigned)
        # pending recommendations are few; they have no index by person
        pending: dict[tuple[str, str], list[dict[str, Any]]] = {}
        for row in db.query(f"SELECT * FROM {RECOMMENDATIONS} WHERE status = 'pending'"):
            if (row["person_id"], row["course_id"]) in wanted:
                pending.setdefault((row["person_id"], row["course_id"]), []).append(row)
        first_id = db.execute(f"SELECT coalesce(max(id), 0) FROM {COMPLETIONS}").fetchone()[0] + 1
        rows: list[dict[str, Any]] = []
        events: list[dict[str, Any]] = []
        settled: list[tuple[Any, ...]] = []
        closed: dict[int, tuple[Any, ...]] = {}
        for n, (person, course, on, score, evidence) in enumerate(batch):
            months = self.catalogue.validity_months(course.id, self.catalogue.rules_for(person))
            expires_on = add_months(on, months) if months else None
            row = {
                "id": first_id + n,
                "person_id": person.id,
                "course_id": course.id,
                "completed_on": on.isoformat(),
                "score": score,
                "expires_on": iso(expires_on),
                "evidence_text": evidence,
                "evidence_file": None,
                "evidence_name": None,
                "source": source,
                "override_reason": override_reason,
                "recorded_at": now,
                "recorded_by": self.hub.actor,
            }
            rows.append(row)
            completion = Completion.from_row(row)
            events.append(
                {
                    "action": "training.completed",
                    "entity": "training_completion",
                    "entity_id": completion.id,
                    "after": attrs.asdict(completion),
                    "reason": override_reason,
                }
            )
            reason = f"completed on {on.isoformat()}"
            for rec in pending.pop((person.id, course.id), []):
                settled.append(("completed", now, self.hub.actor, reason, rec["id"]))
                events.append(
                    {
                        "action": "training.recommendation_settled",
                        "entity": "training_recommendation",
                        "entity_id": rec["id"],
                        "before": rec,
                        "after": {"status": "completed", "decision_reason": reason},
                        "cycle_id": rec["cycle_id"],
                        "reason": reason,
                    }
                )
            record = open_now.get((person.id, course.id))
            if record is not None and self._satisfies(completion, record):
                del open_now[(person.id, course.id)]
                closed[record.id] = (
                    AssignmentStatus.COMPLETED.value,
                    on.isoformat(),
                    completion.id,
                    iso(expires_on),
                    record.id,
                )
                events.append(
                    {
                        "action": "training.assignment_completed",
                        "entity": "training_assignment",
                        "entity_id": record.id,
                        "before": record.plain(self.today),
                        "after": record.id,  # the record as stored, below
                    }
                )
        db.table(COMPLETIONS).insert_all(rows, batch_size=500)
        db.conn.executemany(
            f"UPDATE {RECOMMENDATIONS} SET status = ?, decided_at = ?, decided_by = ?, "
            "decision_reason = ? WHERE id = ?",
            settled,
        )
        db.conn.executemany(
            f"UPDATE {ASSIGNMENTS} SET status = ?, completed_on = ?, completion_id = ?, "
            "expires_on = ? WHERE id = ?",
            list(closed.values()),
        )
        after: dict[int, AssignmentRecord] = {}
        for chunk in _chunks(list(closed)):
            for row in db.query(
                f"SELECT * FROM {ASSIGNMENTS} WHERE id IN ({_marks(chunk)})", chunk
            ):
                after[row["id"]] = AssignmentRecord.from_row(row)
        for event in events:
            if event["action"] == "training.assignment_completed":
                event["after"] = after[event["after"]].plain(self.today)
        self.hub.audit.record_many(events)
        if closed and self.hub.hook.implemented("assignment_completed"):
            for assignment_id in closed:
                self.hub.hook.assignment_completed(
                    hub=self.hub, assignment=after[assignment_id].to_model(self.today)
                )
        return len(closed)

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
