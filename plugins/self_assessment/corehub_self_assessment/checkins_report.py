"""The packet's "Check-ins in this period": the 1:1 check-ins held in the cycle's period,
whether they kept the team's cadence, and their action items, done or open.

Never the agenda or the notes of a check-in: they are the two people's only, and a packet
is read by HR and handed around.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from corehub.i18n import translator
from corehub.models import Report, ReportKind, ReportSection
from corehub_self_assessment import checkins

if TYPE_CHECKING:
    from corehub import Hub


def sections(hub: Hub, report: Report) -> list[ReportSection]:
    if report.kind is not ReportKind.PACKET:
        return []
    _ = translator(hub, report.locale).gettext
    return [
        ReportSection(
            id="self_assessment.checkins",
            title=_("Check-ins in this period"),
            template="corehub_self_assessment/checkins.html",
            context=checkins_context,
            order=320,
        )
    ]


def checkins_context(hub: Hub, report: Report) -> dict[str, Any] | None:
    if report.person is None:
        return None
    summary = checkins.period_summary(hub, report.person.id, report.cycle.start, report.cycle.end)
    if not summary["checkins"]:
        return None
    held = summary["checkins"]
    checked = [c for c in held if c["on_cadence"] is not None]
    return {
        **summary,
        "held": len(held),
        "kept": sum(1 for c in checked if c["on_cadence"]),
        "checked": len(checked),
    }
