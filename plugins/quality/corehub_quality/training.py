"""Weak quality categories recommend training (``recommend_training``).

When a manager review is submitted, each scorecard category in which the person scored
below ``weak_category_score`` over the cycle's period (from at least ``min_graded``
graded tickets) recommends the courses that build the category's competency, or are
tagged with the category's id among their competencies. The training plugin stores the
recommendations; completing the course settles them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from corehub.models import Recommendation
from corehub_quality import results
from corehub_quality.settings import settings_of

if TYPE_CHECKING:
    from corehub import Hub
    from corehub.models import Course, Person, Review

REASON = "quality: "
"""How the reason of a recommendation from a weak quality category starts."""
PER_CATEGORY = 2
"""At most this many courses are recommended for one weak category."""


def recommend(hub: Hub, person: Person, review: Review) -> list[Recommendation]:
    cycle = hub.cycles.find(review.cycle_id)
    if cycle is None:
        return []
    settings = settings_of(hub)
    data = results.person_quality(hub, person.id, cycle.start, cycle.end, "en", settings.min_graded)
    if data is None:
        return []
    courses: list[Course] = sorted(
        (c for found in hub.hook.register_courses(hub=hub) for c in found or []),
        key=lambda c: c.id,
    )
    count = data["overall"]["count"]
    found: list[Recommendation] = []
    seen: set[str] = set()
    for category in data["categories"]:
        score = category["score"]
        if score is None or score >= settings.weak_category_score:
            continue
        wanted = {category["id"], category.get("competency") or ""} - {""}
        matching = [c for c in courses if wanted & set(c.competencies) and c.id not in seen]
        for course in matching[:PER_CATEGORY]:
            seen.add(course.id)
            found.append(
                Recommendation(
                    person_id=person.id,
                    course_id=course.id,
                    reason=f"{REASON}{category['title']} {score:g} of 100 in {count} graded "
                    "customer conversations",
                    competency=category.get("competency"),
                    review_id=review.id,
                )
            )
    return found
