"""Quality hooks: scoring a customer conversation graded on a scorecard."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from corehub.hookspecs._markers import hookspec

if TYPE_CHECKING:
    from corehub.context import HubContext as Hub
    from corehub.models import TicketScore


@hookspec(firstresult=True)
def score_ticket(
    hub: Hub, scorecard: Mapping[str, Any], answers: Mapping[str, Any]
) -> TicketScore | None:
    """Score one graded ticket.

    :param hub: the Hub.
    :param scorecard: the copy of the scorecard the grade was made with, as plain data:
        ``id``, ``version``, ``scales`` and ``categories``, each category with ``id``,
        ``weight`` and ``criteria`` (``id``, ``weight``, ``type`` ``yes_no`` or ``scale``,
        ``scale``, ``critical``).
    :param answers: criterion id -> ``"yes"``, ``"no"``, ``"na"`` or a scale value.
    :returns: a ``TicketScore``, or None to let the next implementation score it. The
        default (the quality plugin's) weighs the answered criteria, re-normalises over
        what was answered (N/A is never zero) and fails the ticket on a failed critical
        criterion; an organization plugin replaces it by answering first.

    Called when a grade is saved or submitted and whenever a report needs its score.
    """
