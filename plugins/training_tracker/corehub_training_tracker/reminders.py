"""What ``corehub remind`` tells people about training: open assignments by their due date.

Recertifications are assignments too (``corehub training sync`` creates them before a
certification lapses), so an expiring certification is reminded of as "Renew: ...".
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from corehub.models import Reminder
from corehub_training_tracker.training import Training

if TYPE_CHECKING:
    from corehub.hub import Hub


def reminders(hub: Hub, today: dt.date) -> list[Reminder]:
    """One reminder per open assignment with a due date, for the person who must take it."""
    training = Training(hub, as_of=today)
    active = {p.id for p in hub.people.list()}
    titles = {course.id: course.title for course in training.catalogue.courses.values()}
    found = []
    for record in training.assignments(open_only=True):
        if record.due is None or record.person_id not in active:
            continue
        title = titles.get(record.course_id, record.course_id)
        renewal = record.source == "recertification"
        found.append(
            Reminder(
                key=f"training-assignment:{record.id}",
                person_id=record.person_id,
                category="training",
                title=f"Renew: {title}" if renewal else title,
                due=record.due,
                about="certification expires" if renewal else "training",
            )
        )
    return found
