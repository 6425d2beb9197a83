"""The development plan in a review packet: what was done in the cycle's period (actions
done, training completed, goals achieved or looked back on), and the plan as it stands
at the cycle's end (open goals, training, agreed actions). Done before the period is not
counted."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from corehub.i18n import Translator, translator
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
            order=330,
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
        row["kind_label"] = t.gettext("Training") if row["kind"] == "training" else row["kind"]
    done = plan["done_in_period"]
    rows = (
        [(a["done_on"], t.gettext("Agreed action"), a["text"]) for a in done["actions"]]
        + [(c["done_on"], t.gettext("Course completed"), c["title"]) for c in done["training"]]
        + [(o["done_on"], o["kind_label"], o["title"]) for o in done["other"]]
        + [
            (
                g.get("done_on") or g["on"],
                t.gettext("Goal"),
                f"{g['objective']}: {g['outcome']}" if g.get("outcome") else g["objective"],
            )
            for g in done["goals"]
        ]
    )
    return {
        "period": plan["period"] | {"start": report.cycle.start.isoformat()},
        "done": [{"day": d, "what": w, "item": i} for d, w, i in sorted(rows, key=lambda r: r[0])],
        "open_goals": [g for g in plan["goals"] if g["status"] == "open"],
        "review_goals": [g for g in plan["review_goals"] if not g["outcome"]],
        "items": plan["items"],
        "open_actions": [a for a in plan["actions"] if a["status"] != "done"],
    }
