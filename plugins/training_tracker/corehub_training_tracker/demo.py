"""Sample training data for ``corehub demo`` (the demo's today is 2026-12-10).

Veterans hold most of their level's courses from the last two years, a few are missing
them; the annual data-protection certification is current for most, expiring soon for
some and lapsed for one; Madrid's products update (assigned in September) is overdue
for a few agents; the three recent hires are at different points of their induction;
participants rated the courses they took. Everything goes through the library API, so
the demo data obeys the same rules as real data.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import TYPE_CHECKING

from corehub.models import Person

if TYPE_CHECKING:
    from collections.abc import Callable

    from corehub.hub import Hub
    from corehub.models import Cycle
    from corehub_training_tracker.training import Training

    Complete = Callable[[Person, str, dt.date], None]

COMMENTS = {
    "active-listening": [
        "The paraphrasing exercise changed how I open calls.",
        "Good role plays, a bit long in the afternoon.",
        "Useful; I would like a follow-up session with real recordings.",
    ],
    "complaint-handling": [
        "Finally a method for the angry callers, not just 'stay calm'.",
        "Too much theory, the cases were great though.",
    ],
    "moments-of-truth": [
        "Made me see the whole desk from the customer's side.",
        "Short and to the point.",
    ],
    "data-protection": [
        "Same as last year, but the identity-check examples were new.",
        "Clear. The quiz at the end was too easy.",
    ],
    "supervisor-coaching": ["The one-to-one structure is now how I run my week."],
    "product-update": ["Needed more time on the new portal."],
    "induction": ["Having a buddy for the first week made all the difference."],
}


def prepare(hub: Hub, cycle: Cycle) -> None:
    """Fill the demo workspace with completions, assignments and ratings."""
    from corehub_training_tracker.training import Training

    rng = random.Random("training_tracker")
    training = Training(hub)
    today = training.today
    people = hub.people.list()
    new_hires = [p for p in people if p.hire_date and p.hire_date >= today - dt.timedelta(days=90)]
    veterans = [p for p in people if p not in new_hires]
    completed: list[tuple[str, str]] = []

    def complete(person: Person, course_id: str, on: dt.date) -> None:
        training.complete(
            person.id, course_id, on, score=float(rng.randint(68, 100)), source="demo"
        )
        completed.append((person.id, course_id))

    with hub.atomic():
        for person in veterans:
            start = max(person.hire_date or dt.date(2015, 1, 1), dt.date(2024, 9, 1))
            core = [
                c for c in training.required(person) if c not in {"data-protection", "induction"}
            ]
            days = sorted(_day_between(rng, start, dt.date(2026, 9, 30)) for _ in core)
            done: set[str] = set()
            for course_id, day in zip(sorted(core, key=_prerequisites_first), days, strict=True):
                needs = set(training.catalogue.course(course_id).prerequisites)
                if rng.random() < 0.85 and needs <= done:
                    complete(person, course_id, day)
                    done.add(course_id)
        _data_protection(training, veterans, rng, complete)
        _products_update(training, veterans, rng, complete)
        _inductions(training, new_hires, complete)
        training.sync()
        _ratings(training, completed, rng)
        _recommendations(hub)


def _prerequisites_first(course_id: str) -> int:
    return 0 if course_id == "active-listening" else 1


def _day_between(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    return first + dt.timedelta(days=rng.randint(0, max((last - first).days, 0)))


def _data_protection(
    training: Training, veterans: list[Person], rng: random.Random, complete: Complete
) -> None:
    """Most current; four expire within the recertification window; one lapsed in November."""
    for index, person in enumerate(veterans):
        if index == 7:
            complete(person, "data-protection", dt.date(2025, 11, 20))
        elif index % 9 == 4:
            complete(
                person, "data-protection", dt.date(2025, 12, 15) + dt.timedelta(days=index % 5)
            )
        elif rng.random() < 0.9:
            complete(
                person,
                "data-protection",
                _day_between(rng, dt.date(2026, 1, 12), dt.date(2026, 10, 30)),
            )


def _products_update(
    training: Training, veterans: list[Person], rng: random.Random, complete: Complete
) -> None:
    """Madrid's agents were assigned the products update in September, due end of November."""
    madrid = [p for p in veterans if p.team == "Madrid" and p.level.value == "operational"]
    training.assign(
        "product-update",
        madrid,
        due=dt.date(2026, 11, 30),
        assigned_on=dt.date(2026, 9, 1),
        check_permission=False,
    )
    for index, person in enumerate(madrid):
        if index % 4 != 1:
            complete(
                person,
                "product-update",
                _day_between(rng, dt.date(2026, 9, 10), dt.date(2026, 11, 28)),
            )
    copenhagen = [p for p in veterans if p.team == "København" and p.level.value == "operational"]
    training.assign(
        "clear-writing",
        copenhagen,
        due=dt.date(2027, 1, 29),
        assigned_on=dt.date(2026, 11, 16),
        check_permission=False,
    )
    for person in copenhagen[:4]:
        training.start(person.id, "clear-writing")


def _inductions(training: Training, new_hires: list[Person], complete: Complete) -> None:
    """Induction assigned on the hire date; one done, one started, one not begun."""
    for index, person in enumerate(sorted(new_hires, key=lambda p: p.hire_date or dt.date.min)):
        assert person.hire_date is not None
        days = training.settings.induction_days
        training.assign(
            training.settings.induction_course,
            [person],
            due=person.hire_date + dt.timedelta(days=days),
            assigned_on=person.hire_date,
            source="rule:induction-new-hires",
            check_permission=False,
        )
        if index == 0:
            complete(
                person, training.settings.induction_course, person.hire_date + dt.timedelta(days=24)
            )
        elif index == 1:
            training.start(person.id, training.settings.induction_course)


def _ratings(training: Training, completed: list[tuple[str, str]], rng: random.Random) -> None:
    for person_id, course_id in completed:
        if rng.random() < 0.45:
            comments = COMMENTS.get(course_id, [])
            comment = rng.choice(comments) if comments and rng.random() < 0.4 else ""
            training.rate(
                person_id, course_id, rng.choices([2, 3, 4, 5], weights=[1, 3, 6, 4])[0], comment
            )


def _recommendations(hub: Hub) -> None:
    """Managers decide on the first recommendations, when reviews already produced some."""
    from corehub.errors import ValidationError
    from corehub_training_tracker import recommendations as recs

    pending = recs.listing(hub, status="pending")
    accepted = 0
    for row in pending[:3]:
        try:
            recs.accept(hub, row["id"])
            accepted += 1
        except ValidationError:  # e.g. completed since the review recommended it
            recs.dismiss(hub, row["id"], reason="already completed since the review")
    for row in pending[3:4]:
        recs.dismiss(hub, row["id"], reason="covered by coaching sessions this quarter")
