"""Evidence from the work itself, beside the competencies of a manager review.

Any plugin may contribute it (``extra_competency_evidence``): a quality score, customer
satisfaction, anything measured outside the review. The form shows it by competency,
without knowing who supplied it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from corehub import Hub
    from corehub.models import Cycle, Evidence, Person


def by_competency(hub: Hub, person: Person, cycle: Cycle, locale: str) -> dict[str, list[Evidence]]:
    """Every plugin's evidence about ``person`` in ``cycle``, grouped by competency."""
    grouped: dict[str, list[Evidence]] = {}
    for found in hub.hook.extra_competency_evidence(
        hub=hub, person=person, cycle=cycle, locale=locale
    ):
        for item in found or []:
            grouped.setdefault(item.competency, []).append(item)
    return grouped
