"""The quality plugin's sections of review packets and team summaries."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from corehub.i18n import translator
from corehub.models import Evidence, ReportKind, ReportSection
from corehub_quality import results
from corehub_quality.settings import settings_of

if TYPE_CHECKING:
    from corehub import Hub
    from corehub.models import Report


def sections(hub: Hub, report: Report) -> list[ReportSection]:
    _ = translator(hub, report.locale).gettext
    if report.kind is ReportKind.PACKET:
        return [
            ReportSection(
                id="quality.person",
                title=_("Quality of customer conversations"),
                template="corehub_quality/quality.html",
                context=person_context,
                order=530,
            ),
            ReportSection(
                id="quality.articles",
                title=_("Knowledge articles"),
                template="corehub_quality/articles.html",
                context=articles_context,
                order=540,
            ),
        ]
    if report.kind is not ReportKind.SUMMARY:
        return []
    return [
        ReportSection(
            id="quality.team",
            title=_("Quality of customer conversations"),
            template="corehub_quality/team.html",
            context=team_context,
            order=530,
        ),
        ReportSection(
            id="quality.calibration",
            title=_("Grader calibration"),
            template="corehub_quality/calibration.html",
            context=calibration_context,
            order=535,
        ),
        ReportSection(
            id="quality.articles_team",
            title=_("Knowledge article health"),
            template="corehub_quality/articles_team.html",
            context=articles_team_context,
            order=540,
        ),
    ]


def person_context(hub: Hub, report: Report) -> dict[str, Any] | None:
    assert report.person is not None
    data = results.person_quality(
        hub,
        report.person.id,
        report.cycle.start,
        report.cycle.end,
        report.locale,
        settings_of(hub).min_graded,
    )
    if data is None:
        return None
    tr = translator(hub, report.locale)
    data["points"] = [
        {"label": tr.date(t["month"] + "-01", "month_abbr"), "value": t["score"]}
        for t in data["trend"]
    ]
    return data


def _members(hub: Hub, report: Report) -> list[Any]:
    if report.team:
        return hub.people.list(team=report.team)
    if report.manager is not None:
        return [p for p in hub.people.list() if hub.people.manages(report.manager.id, p.id)]
    return hub.people.list()


def team_context(hub: Hub, report: Report) -> dict[str, Any] | None:
    return results.team_quality(
        hub,
        _members(hub, report),
        report.cycle.start,
        report.cycle.end,
        report.locale,
        settings_of(hub).min_graded,
    )


def evidence(hub: Hub, person: Any, cycle: Any, locale: str) -> list[Evidence]:
    """The person's quality per category, beside the competency each category informs."""
    data = results.person_quality(
        hub, person.id, cycle.start, cycle.end, locale, settings_of(hub).min_graded
    )
    if data is None:
        return []
    tr = translator(hub, locale)
    count = data["overall"]["count"]
    found = []
    for category in data["categories"]:
        if not category["competency"] or category["score"] is None:
            continue
        found.append(
            Evidence(
                competency=category["competency"],
                title=tr.gettext("Quality of customer conversations: %(category)s")
                % {"category": category["title"]},
                value=tr.ngettext(
                    "%(score)s of 100 (%(num)s graded conversation)",
                    "%(score)s of 100 (%(num)s graded conversations)",
                    count,
                )
                % {"score": tr.number(category["score"], 1), "num": count},
            )
        )
    return found


def calibration_context(hub: Hub, report: Report) -> dict[str, Any] | None:
    """Calibration sessions closed in the cycle's period: where graders read the scorecard
    differently. About graders only, never about an agent's own results.

    The same for every team summary: worked out once per unchanged database and language
    (``hub.cached``), not once per team."""
    start, end = report.cycle.start, report.cycle.end
    sessions = hub.cached(
        ("quality.closed_calibrations", start, end, report.locale),
        lambda: _closed_calibrations(hub, start.isoformat(), end.isoformat(), report.locale),
    )
    if not sessions:
        return None
    return {"sessions": sessions}


def _closed_calibrations(hub: Hub, start: str, end: str, locale: str) -> list[dict[str, Any]]:
    from corehub_quality import calibration

    sessions = hub.db.query(
        "SELECT id FROM quality_calibrations WHERE status = 'closed' AND closed_at BETWEEN ? "
        "AND ? ORDER BY closed_at, id",
        [start, end + "T99"],
    )
    return [calibration.results(hub, str(s["id"]), locale=locale) for s in list(sessions)]


def articles_context(hub: Hub, report: Report) -> dict[str, Any] | None:
    """The person's knowledge articles: content-standard trend and reuse, not their number."""
    from corehub_quality.articles import author_summary

    assert report.person is not None
    data = author_summary(hub, report.person.id)
    if not data["articles"]:
        return None
    tr = translator(hub, report.locale)
    data["points"] = [
        {"label": tr.date(t["month"] + "-01", "month_abbr"), "value": t["score"]}
        for t in data["trend"]
    ]
    data["minimum"] = settings_of(hub).article_min_score
    return data


def articles_team_context(hub: Hub, report: Report) -> dict[str, Any] | None:
    from corehub_quality.articles import team_health

    return team_health(hub, _members(hub, report))
