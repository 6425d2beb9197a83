"""Evidence from the work itself, shown next to the competency it informs in a review."""

from __future__ import annotations

import attrs


@attrs.frozen(kw_only=True)
class Evidence:
    """One figure about a person that informs a competency (e.g. a quality score, CSAT).

    The review form shows it beside each question about ``competency``, without knowing
    which plugin supplied it. ``title`` and ``value`` are already in the reader's language.
    """

    competency: str
    title: str
    """What the figure is, e.g. "Quality of customer conversations: Communication"."""
    value: str
    """The figure itself, e.g. "82.5 of 100 (12 graded conversations)"."""
