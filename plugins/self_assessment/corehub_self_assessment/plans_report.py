"""The development plan in a review packet: what was done in the cycle's period (actions
done, training completed, goals achieved or looked back on), and the plan as it stands
at the cycle's end (open goals, training, agreed actions). Done before the period is not
counted."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from corehub.i18n import N_, Translator, translator
from corehub.models import Report, ReportKind, ReportSection
from corehub_self_assessment import plans

if TYPE_CHECKING:
    from corehub import Hub


def status_label(t: Translator, status: str) -> str:
    """A plan item's status word in ``t``'s language."""
    words = {
        "open": t.pgettext("plan item", "Open"),
        "overdue": t.pgettext("plan item", "Overdue"),
        "done": t.pgettext("plan item", "Done"),
        "achieved": t.pgettext("plan item", "Achieved"),
        "recommended": t.pgettext("plan item", "Recommended"),
    }
    return words.get(status, status)


KINDS = {"training": N_("Training")}


def sections(hub: Hub, report: Report) -> list[ReportSection]:
    if report.kind is not ReportKind.PACKET:
        return []
    t = translator(hub, report.locale)
    return [
        ReportSection(
            id="self_assessment.plan",
            title=t.gettext("Development plan"),
            template="corehub_self_assessment/plan.html",
            context=plan_context,
            order=320,
        )
    ]


def plan_context(hub: Hub, report: Report) -> dict[str, Any] | None:
    person = report.person
    if person is None:
        return None
    t = translator(hub, report.locale)
    end = hub.cycles.as_of(report.cycle)
    plan = plans.show(hub, person.id, start=report.cycle.start, end=end)
    if plans.is_empty(plan):
        return None

    for row in plan["actions"] + plan["goals"] + plan["items"]:
        row["status_label"] = status_label(t, row["status"])
    for row in plan["items"] + plan["done_in_period"]["other"]:
        row["kind_label"] = t.gettext(KINDS[row["kind"]]) if row["kind"] in KINDS else row["kind"]
    done = plan["done_in_period"]
    return {
        "period": plan["period"] | {"start": report.cycle.start.isoformat()},
        "done": done,
        "done_count": sum(len(v) for v in done.values()),
        "open_goals": [g for g in plan["goals"] if g["status"] == "open"],
        "review_goals": [g for g in plan["review_goals"] if not g["outcome"]],
        "items": plan["items"],
        "open_actions": [a for a in plan["actions"] if a["status"] != "done"],
    }
