"""Training in a person's development plan (the ``development_plan_items`` hook).

Recommended courses not yet decided, open and overdue assignments, and the courses
completed in the period asked for. Titles and reasons are in the active language.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from corehub.i18n import active
from corehub.models import AssignmentStatus, Person, PlanItem, PlanItemStatus

if TYPE_CHECKING:
    from corehub import Hub

KIND = "training"
SOURCE = "training_tracker"


def plan_items(hub: Hub, person: Person, start: dt.date, end: dt.date) -> list[PlanItem]:
    """What the person's plan holds of training on ``end``, and what was done since ``start``."""
    from corehub_training_tracker import recommendations as recs
    from corehub_training_tracker.report import _recommendation_reason
    from corehub_training_tracker.training import Training

    t = active()
    training = Training(hub, as_of=end)
    courses = training.catalogue.courses

    def title(course_id: str) -> str:
        course = courses.get(course_id)
        return course.title.get(t.locale) if course else course_id

    items: list[PlanItem] = []
    for row in recs.listing(hub, status="pending", person_id=person.id):
        created = dt.date.fromisoformat(str(row["created_at"])[:10])
        if created > end:
            continue
        items.append(
            PlanItem(
                kind=KIND,
                title=title(row["course_id"]),
                status=PlanItemStatus.RECOMMENDED,
                ref=f"course:{row['course_id']}",
                detail=_recommendation_reason(str(row["reason"]), t),
                since=created,
                source=SOURCE,
            )
        )
    counted: set[int] = set()
    for record in training.assignments(person_ids=[person.id]):
        if record.assigned_on > end:
            continue
        status = record.status(end)
        if record.completed_on is not None and record.completed_on <= end:
            if record.completion_id is not None:
                counted.add(record.completion_id)
            if record.completed_on < start:
                continue
            items.append(
                PlanItem(
                    kind=KIND,
                    title=title(record.course_id),
                    status=PlanItemStatus.DONE,
                    ref=f"course:{record.course_id}",
                    since=record.assigned_on,
                    due=record.due,
                    done_on=record.completed_on,
                    source=SOURCE,
                )
            )
            continue
        if status is AssignmentStatus.WAIVED:
            continue
        items.append(
            PlanItem(
                kind=KIND,
                title=title(record.course_id),
                status=PlanItemStatus.OVERDUE
                if status is AssignmentStatus.OVERDUE
                else PlanItemStatus.OPEN,
                ref=f"course:{record.course_id}",
                since=record.assigned_on,
                due=record.due,
                source=SOURCE,
            )
        )
    for completion in training.completions(person_ids=[person.id]):
        if completion.id in counted or not start <= completion.completed_on <= end:
            continue
        items.append(
            PlanItem(
                kind=KIND,
                title=title(completion.course_id),
                status=PlanItemStatus.DONE,
                ref=f"course:{completion.course_id}",
                done_on=completion.completed_on,
                source=SOURCE,
            )
        )
    return items
