"""The calibration sheet (``corehub render calibration``): what a facilitator prints for a
calibration session over one scope of a cycle.

Per scale level, how many overall manager ratings fell on it as given and as calibrated
so far; each manager's ratings before and after; every adjustment with its reason and who
made it; and the people in scope, with a column left blank for the session's notes. Rows
about one person show only the people the reader may see (:func:`corehub.access.in_report`);
the distribution and the managers' figures count the whole scope. Every figure is
:func:`corehub_self_assessment.calibration.view`'s, so the sheet, the web page and
``corehub cycle calibrate show`` agree; like them, the sheet is for HR and directors.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from typing import TYPE_CHECKING, Any

from corehub import access
from corehub.i18n import translator
from corehub.models import Report, ReportKind, ReportSection
from corehub_self_assessment import calibration

if TYPE_CHECKING:
    from corehub import Hub

T = "corehub_self_assessment/"


def sections(hub: Hub, report: Report) -> list[ReportSection]:
    if report.kind is not ReportKind.CALIBRATION:
        return []
    _ = translator(hub, report.locale).gettext
    return [
        ReportSection(
            id="self_assessment.calibration_distribution",
            title=_("Ratings per level, before and after calibration"),
            template=T + "calibration_distribution.html",
            context=distribution_context,
            order=100,
        ),
        ReportSection(
            id="self_assessment.calibration_managers",
            title=_("Managers side by side"),
            template=T + "calibration_managers.html",
            context=managers_context,
            order=150,
        ),
        ReportSection(
            id="self_assessment.calibration_adjustments",
            title=_("Adjustments"),
            template=T + "calibration_adjustments.html",
            context=adjustments_context,
            order=200,
        ),
        ReportSection(
            id="self_assessment.calibration_people",
            title=_("People in scope"),
            template=T + "calibration_people.html",
            context=people_context,
            order=300,
        ),
    ]


def _view(hub: Hub, report: Report) -> dict[str, Any]:
    """The calibration view of the report's scope, for its reader (refused to anyone but
    HR, directors and the operator)."""
    return calibration.view(hub, report.cycle, report.scope or "all", actor=report.viewer)


def _names(hub: Hub) -> dict[str, str]:
    return {p.id: p.name for p in hub.people.list(include_inactive=True)}


def _stats(values: list[float]) -> dict[str, float | None]:
    return {
        "mean": round(statistics.fmean(values), 2) if values else None,
        "spread": round(statistics.pstdev(values), 2) if len(values) > 1 else None,
    }


def distribution_context(hub: Hub, report: Report) -> dict[str, Any]:
    data = _view(hub, report)
    points: list[int] = list(data["scale"])
    low, high = points[0], points[-1]

    def level(value: float) -> int:
        return min(max(round(value), low), high)

    before = Counter(level(r["original"]) for r in data["ratings"] if r["original"] is not None)
    after = Counter(level(r["overall"]) for r in data["ratings"] if r["overall"] is not None)
    top = max([*before.values(), *after.values(), 1])
    given = [r["original"] for r in data["ratings"] if r["original"] is not None]
    calibrated = [r["overall"] for r in data["ratings"] if r["overall"] is not None]
    return {
        "people": data["people"],
        "reviewed": data["reviewed"],
        "levels": [
            {"level": p, "before": before[p], "after": after[p], "moved": after[p] - before[p]}
            for p in points
        ],
        "top": top,
        "before": _stats(given),
        "after": _stats(calibrated),
        "sessions": [
            s | {"opened_by_name": _names(hub).get(s["opened_by"], s["opened_by"])}
            for s in data["sessions"]
            if s["scope"] == data["scope"]
        ],
    }


def managers_context(hub: Hub, report: Report) -> dict[str, Any] | None:
    data = _view(hub, report)
    if not data["ratings"]:
        return None
    names = _names(hub)
    by_manager: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in data["ratings"]:
        by_manager[row["manager"] or ""].append(row)
    rows = []
    for manager, ratings in sorted(by_manager.items(), key=lambda m: names.get(m[0], m[0])):
        given = [r["original"] for r in ratings if r["original"] is not None]
        now = [r["overall"] for r in ratings if r["overall"] is not None]
        rows.append(
            {
                "name": names.get(manager, manager),
                "n": len(ratings),
                "adjusted": sum(1 for r in ratings if r["adjusted"]),
                "before": _stats(given),
                "after": _stats(now),
            }
        )
    return {"managers": rows}


def adjustments_context(hub: Hub, report: Report) -> dict[str, Any]:
    data = _view(hub, report)
    shown, hidden = [], 0
    for row in sorted(data["adjustments"], key=lambda a: a["at"]):
        if not access.in_report(hub, report, row["person"]):
            hidden += 1
            continue
        shown.append(row | {"day": row["at"][:10]})
    return {"adjustments": shown, "hidden": hidden}


def people_context(hub: Hub, report: Report) -> dict[str, Any]:
    data = _view(hub, report)
    names = _names(hub)
    rated = {r["person"]: r for r in data["ratings"]}
    members = [
        p
        for p in hub.cycles.members(report.cycle)
        if calibration.in_scope(p, data["scope"]) and access.in_report(hub, report, p.id)
    ]
    rows = []
    for person in sorted(members, key=lambda p: (p.team or "", p.name, p.id)):
        row = rated.get(person.id)
        rows.append(
            {
                "name": person.name,
                "team": person.team,
                "manager": names.get(person.manager_id or "", person.manager_id or ""),
                "self": row["self"] if row else None,
                "given": row["original"] if row else None,
                "calibrated": row["overall"] if row else None,
                "adjusted": bool(row and row["adjusted"]),
                "submitted": row is not None,
            }
        )
    return {"people": rows, "left_out": data["people"] - len(rows)}
