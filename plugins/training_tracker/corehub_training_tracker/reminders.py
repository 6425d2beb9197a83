"""What ``corehub remind`` tells people about training: open assignments by their due date.

Recertifications are assignments too (``corehub training sync`` creates them before a
certification lapses), so an expiring certification is reminded of as "Renew: ...".
A reminder's title and note are given in every shipped language: the digest goes to the
person, and to their manager or HR once it is late, each reading their own language.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from corehub.i18n import LANGUAGES, N_, translator
from corehub.models import Reminder, Text
from corehub_training_tracker.training import Training

if TYPE_CHECKING:
    from corehub import Hub

RENEW = N_("Renew: %(course)s")
ABOUT_RENEWAL = N_("certification expires")
ABOUT_TRAINING = N_("training")


def reminders(hub: Hub, today: dt.date) -> list[Reminder]:
    """One reminder per open assignment with a due date, for the person who must take it."""
    training = Training(hub, as_of=today)
    active = {p.id for p in hub.people.list()}
    titles = {course.id: course.title for course in training.catalogue.courses.values()}
    translators = {lang: translator(hub, lang) for lang in LANGUAGES}
    found = []
    for record in training.assignments(open_only=True):
        if record.due is None or record.person_id not in active:
            continue
        title = Text.of(titles.get(record.course_id, record.course_id))
        renewal = record.source == "recertification"
        names = {lang: t.text(title) for lang, t in translators.items()}
        if renewal:
            names = {
                lang: t.gettext(RENEW) % {"course": names[lang]} for lang, t in translators.items()
            }
        about = ABOUT_RENEWAL if renewal else ABOUT_TRAINING
        found.append(
            Reminder(
                key=f"training-assignment:{record.id}",
                person_id=record.person_id,
                category="training",
                title=Text(names),
                due=record.due,
                about=Text({lang: t.gettext(about) for lang, t in translators.items()}),
            )
        )
    return found
