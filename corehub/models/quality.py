"""The quality contract: what scoring one graded ticket yields."""

from __future__ import annotations

import attrs


@attrs.frozen(kw_only=True)
class TicketScore:
    """The score of one graded ticket (a grader's filled scorecard).

    ``score`` is 0-100 over the criteria answered (N/A answers leave it, weights
    re-normalised), None when nothing was answered; a failed critical criterion fails the
    whole ticket: ``critical_failed`` is True and ``score`` is 0.
    """

    score: float | None
    categories: dict[str, float] = attrs.field(factory=dict)
    """Category id -> 0-100 score, for categories with at least one answered criterion."""
    critical_failed: bool = False
    failed_criteria: tuple[str, ...] = ()
    """Ids of the critical criteria that failed."""
