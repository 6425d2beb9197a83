"""The feedback plugin's sections of review packets and team summaries.

Context functions return plain data, or None to leave a section out. Aggregates of
confidential or anonymous answers come from :mod:`corehub_feedback.results`, so a
group under the anonymity threshold never reaches a template.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from corehub.access import in_report
from corehub.i18n import N_, translator
from corehub.models import Evidence, ReportKind, ReportSection
from corehub_feedback import access, csat, kinds, results, store, suggestions
from corehub_feedback.summary import agent_csat

if TYPE_CHECKING:
    from corehub import Hub
    from corehub.models import Report


SUGGESTION_STATUSES = {
    "new": N_("New"),
    "under_review": N_("Under review"),
    "accepted": N_("Accepted"),
    "declined": N_("Declined"),
    "implemented": N_("Implemented"),
}
"""The suggestion statuses as a report shows them (translated where shown)."""


def sections(hub: Hub, report: Report) -> list[ReportSection]:
    """The sections this plugin adds to ``report``, titled in the report's language."""
    _ = translator(hub, report.locale).gettext
    if report.kind is ReportKind.PACKET:
        return [
            ReportSection(
                id="feedback.praise",
                title=_("Praise"),
                template="corehub_feedback/praise.html",
                context=praise_context,
                order=500,
            ),
            ReportSection(
                id="feedback.peer",
                title=_("Peer feedback"),
                template="corehub_feedback/peer.html",
                context=peer_context,
                order=520,
            ),
            ReportSection(
                id="feedback.csat",
                title=_("Customer satisfaction"),
                template="corehub_feedback/csat.html",
                context=csat_context,
                order=540,
            ),
            ReportSection(
                id="feedback.upward",
                title=_("Upward feedback"),
                template="corehub_feedback/upward.html",
                context=upward_context,
                order=560,
            ),
        ]
    if report.kind is not ReportKind.SUMMARY:
        return []
    return [
        ReportSection(
            id="feedback.enps",
            title=_("Employee satisfaction (eNPS)"),
            template="corehub_feedback/enps.html",
            context=enps_context,
            order=500,
        ),
        ReportSection(
            id="feedback.csat_agents",
            title=_("Customer satisfaction by agent"),
            template="corehub_feedback/csat_agents.html",
            context=csat_agents_context,
            order=520,
        ),
        ReportSection(
            id="feedback.suggestions",
            title=_("Suggestions"),
            template="corehub_feedback/suggestions.html",
            context=suggestions_context,
            order=540,
        ),
    ]


def _window(report: Report) -> tuple[Any, Any]:
    return report.cycle.start, report.cycle.end


def praise_context(hub: Hub, report: Report) -> dict[str, Any] | None:
    assert report.person is not None
    start, end = _window(report)
    rows = list(
        hub.db.query(
            "SELECT author_id, text, tags, given_on FROM feedback WHERE kind = ? AND recipient_id = ? "
            "AND given_on BETWEEN ? AND ? ORDER BY given_on DESC",
            [kinds.PRAISE, report.person.id, start.isoformat(), end.isoformat()],
        )
    )
    if not rows:
        return None
    names = hub.people.names(r["author_id"] for r in rows)
    import json

    t = translator(hub, report.locale)
    quotes = []
    for r in rows:
        tags = json.loads(r["tags"] or "[]")
        quotes.append(
            {
                "text": r["text"],
                "from": names.get(r["author_id"], r["author_id"]),
                "on": r["given_on"],
                "tags": tags,
                # a tag naming a competency reads as its label, in the report's language
                "tag_labels": [store.tag_label(tag, t) for tag in tags],
            }
        )
    return {"quotes": quotes}


def peer_context(hub: Hub, report: Report) -> dict[str, Any] | None:
    assert report.person is not None
    asked = hub.cycles.tasks(report.cycle, kind=kinds.PEER, subject_id=report.person.id)
    if not asked:
        return None
    after = results.results_after(hub, report.cycle, kinds.PEER)
    return {
        "results": results.peer_results(hub, report.cycle.id, report.person.id),
        "threshold": results.threshold(hub),
        "results_after": after.isoformat() if after else None,
    }


def csat_context(hub: Hub, report: Report) -> dict[str, Any] | None:
    assert report.person is not None
    start, end = _window(report)
    data = csat.csat_summary(hub, [report.person.id], start, end)
    if data["overall"] is None:
        return None
    tr = translator(hub, report.locale)
    points = [
        {
            "label": tr.date(t["month"] + "-01", "month_abbr"),
            "value": t["figures"]["satisfied_pct"] if t["figures"] else None,
        }
        for t in data["trend"]
    ]
    return {"overall": data["overall"], "trend": data["trend"], "points": points}


CSAT_COMPETENCIES = ("communication",)
"""The competencies customer satisfaction informs, beside which a manager review shows it."""


def csat_evidence(hub: Hub, person: Any, cycle: Any, locale: str) -> list[Evidence]:
    """The person's CSAT over the cycle's period, as evidence for a manager review."""
    figures = csat.csat_summary(hub, [person.id], cycle.start, cycle.end)["overall"]
    if figures is None:
        return []
    tr = translator(hub, locale)
    value = tr.ngettext(
        "%(pct)s satisfied (4-5) from %(num)s rated ticket",
        "%(pct)s satisfied (4-5) from %(num)s rated tickets",
        figures["count"],
    ) % {"pct": tr.percent(figures["satisfied_pct"]), "num": figures["count"]}
    title = tr.gettext("Customer satisfaction (CSAT)")
    return [Evidence(competency=c, title=title, value=value) for c in CSAT_COMPETENCIES]


def upward_context(hub: Hub, report: Report) -> dict[str, Any] | None:
    assert report.person is not None
    if not access.is_manager(hub, report.person.id):
        return None
    after = results.results_after(hub, report.cycle, kinds.UPWARD)
    return {
        "results": results.upward_results(hub, report.cycle.id, report.person.id),
        "threshold": results.threshold(hub),
        "results_after": after.isoformat() if after else None,
    }


def _members(hub: Hub, report: Report) -> list[Any]:
    if report.team:
        return hub.people.list(team=report.team)
    if report.manager is not None:
        return [p for p in hub.people.list() if hub.people.manages(report.manager.id, p.id)]
    return hub.people.list()


def enps_context(hub: Hub, report: Report) -> dict[str, Any] | None:
    start, end = _window(report)
    trend = results.pulse_trend(hub, start, min(end, hub.clock.today()), team=report.team)
    tr = translator(hub, report.locale)
    return {
        "trend": trend,
        "points": [
            {
                "label": tr.date(t["month"] + "-01", "month_abbr"),
                "value": t["figures"]["enps"] if t["figures"] else None,
            }
            for t in trend
        ],
        "threshold": results.threshold(hub),
        "team": report.team,
    }


def csat_agents_context(hub: Hub, report: Report) -> dict[str, Any] | None:
    start, end = _window(report)
    members = [p for p in _members(hub, report) if in_report(hub, report, p.id)]
    agents = agent_csat(hub, members, start, end)
    if not agents:
        return None
    return {"agents": agents}


def _suggestions(
    hub: Hub, start: Any, end: Any
) -> tuple[list[dict[str, Any]], dict[int, str], dict[str, int]]:
    """The organization's suggestions of a window, the latest answer to each and the counts
    by status: the same for every team summary, so read once per unchanged database."""
    today = hub.clock.today().isoformat()

    def read() -> tuple[list[dict[str, Any]], dict[int, str], dict[str, int]]:
        window = [kinds.SUGGESTION, start.isoformat(), end.isoformat(), today]
        rows = list(
            hub.db.query(
                "SELECT id, text, status, anonymous FROM feedback WHERE kind = ? "
                f"AND given_on BETWEEN ? AND ? AND {store.HELD_BACK} ORDER BY status, id",
                window,
            )
        )
        latest: dict[int, str] = {}
        for r in hub.db.query(
            "SELECT feedback_id, text FROM feedback_responses WHERE feedback_id IN (SELECT id "
            f"FROM feedback WHERE kind = ? AND given_on BETWEEN ? AND ? AND {store.HELD_BACK}) "
            "ORDER BY id",
            window,
        ):
            latest[r["feedback_id"]] = r["text"]
        return rows, latest, suggestions.counts_by_status(hub)

    return hub.cached(("feedback.summary_suggestions", start, end, today), read)


def suggestions_context(hub: Hub, report: Report) -> dict[str, Any] | None:
    start, end = _window(report)
    rows, latest, counts = _suggestions(hub, start, end)
    t = translator(hub, report.locale)

    def label(status: str | None) -> str:
        status = status or "new"
        return t.gettext(SUGGESTION_STATUSES[status]) if status in SUGGESTION_STATUSES else status

    return {
        "counts": dict(counts),
        "statuses": [
            {"status": status, "label": label(status), "count": n} for status, n in counts.items()
        ],
        "items": [
            {
                "id": r["id"],
                "text": r["text"],
                "status": r["status"],
                "status_label": label(r["status"]),
                "response": latest.get(r["id"], ""),
            }
            for r in rows
        ],
    }
