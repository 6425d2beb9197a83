"""Aggregates of confidential and anonymous answers: peer, upward and pulse (eNPS).

Every figure here goes through :mod:`corehub_feedback.anonymity`: a group under the
threshold, or a breakdown part that could be isolated by subtraction, comes back as
``None`` (or is absent), so the command line, JSON and PDF cannot show it.

And no figure is published while answers can still come in: two readings of a live
figure, before and after one known person answers, would give that answer away (five
answers at 5.0, then six at 4.33: the sixth gave 1). So a figure covers a closed window
only, and a closed window takes no more answers:

- peer and upward results of a cycle, once its window for that kind has closed: the
  day after the kind's due date in the cycle (the cycle's end unless it names one), or
  when the cycle closes, whichever comes first (:func:`results_after`);
- eNPS of a calendar month, once the month is over (:func:`pulse_month`).

Every surface (web pages, command line, JSON, PDF) reads the same functions with the
same clock, so none can show a snapshot another withholds.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from corehub.loaders import loads
from corehub_feedback import kinds
from corehub_feedback.anonymity import publishable, publishable_parts
from corehub_feedback.settings import settings_of

if TYPE_CHECKING:
    from corehub import Hub
    from corehub.models import Cycle

OTHER_TEAMS = "(other teams)"


def threshold(hub: Hub) -> int:
    return settings_of(hub).anonymity_threshold


def window_closed(hub: Hub, cycle: Cycle, kind: str) -> bool:
    """Whether ``cycle`` takes no more ``kind`` (peer, upward) answers: its due date for
    ``kind`` is past, or the cycle is closed."""
    return cycle.is_closed or hub.clock.today() > cycle.due_for(kind)


def results_after(hub: Hub, cycle: Cycle, kind: str) -> dt.date | None:
    """The day after which ``kind`` results of ``cycle`` appear, or None once they may."""
    return None if window_closed(hub, cycle, kind) else cycle.due_for(kind)


def month_results_after(hub: Hub, month: str) -> dt.date | None:
    """The day after which a month's eNPS appears (its last day), or None once it may."""
    end = month_bounds(month)[1]
    return end if hub.clock.today() <= end else None


def _rating_figures(rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    ratings = [r["rating"] for r in rows if r["rating"] is not None]
    distribution = {str(v): sum(1 for r in ratings if r == v) for v in range(1, 6)}
    return {
        "responses": len(rows),
        "ratings": len(ratings),
        "mean": round(sum(ratings) / len(ratings), 2) if ratings else None,
        "distribution": distribution,
    }


def peer_results(hub: Hub, cycle_id: int, person_id: str) -> dict[str, Any] | None:
    """Peer ratings and comments about a person in a cycle, or None: under the threshold,
    or while peers can still answer (see :func:`results_after`).

    Comments are sorted alphabetically, so their order says nothing about who wrote them.
    """
    if results_after(hub, hub.cycles.get(cycle_id), kinds.PEER) is not None:
        return None
    rows = list(
        hub.db.query(
            "SELECT id, rating, answers FROM feedback WHERE kind = ? AND cycle_id = ? AND recipient_id = ?",
            [kinds.PEER, cycle_id, person_id],
        )
    )
    if not publishable({"all": [r["id"] for r in rows]}, threshold(hub)):
        return None
    answers = [loads(r["answers"]) or {} for r in rows]
    return _rating_figures(rows) | {
        "keep_doing": sorted(a["keep_doing"] for a in answers if a.get("keep_doing")),
        "improve": sorted(a["improve"] for a in answers if a.get("improve")),
    }


def upward_results(hub: Hub, cycle_id: int, manager_id: str) -> dict[str, Any] | None:
    """Upward ratings and comments about a manager in a cycle, or None: under the
    threshold, or while the cycle still takes upward answers (see :func:`results_after`)."""
    if results_after(hub, hub.cycles.get(cycle_id), kinds.UPWARD) is not None:
        return None
    rows = list(
        hub.db.query(
            "SELECT id, rating, text FROM feedback WHERE kind = ? AND cycle_id = ? AND recipient_id = ?",
            [kinds.UPWARD, cycle_id, manager_id],
        )
    )
    if not publishable({"all": [r["id"] for r in rows]}, threshold(hub)):
        return None
    return _rating_figures(rows) | {"comments": sorted(r["text"] for r in rows if r["text"])}


def enps_figures(scores: Sequence[float]) -> dict[str, Any]:
    """eNPS = % promoters (9-10) - % detractors (0-6), with the shares behind it."""
    promoters = sum(1 for s in scores if s >= 9)
    detractors = sum(1 for s in scores if s <= 6)
    return enps_from_counts(len(scores), promoters, detractors)


def enps_from_counts(responses: int, promoters: int, detractors: int) -> dict[str, Any]:
    """:func:`enps_figures` from how many answered, and how many of them promote (9-10)
    and detract (0-6)."""
    n = responses
    return {
        "responses": n,
        "enps": round(100 * (promoters - detractors) / n),
        "promoters_pct": round(100 * promoters / n),
        "passives_pct": round(100 * (n - promoters - detractors) / n),
        "detractors_pct": round(100 * detractors / n),
    }


def month_bounds(month: str) -> tuple[dt.date, dt.date]:
    start = dt.date.fromisoformat(f"{month}-01")
    following = dt.date(start.year + start.month // 12, start.month % 12 + 1, 1)
    return start, following - dt.timedelta(days=1)


def pulse_month(hub: Hub, month: str) -> dict[str, Any]:
    """The eNPS of one calendar month, organization-wide and by team.

    Months are the only periods eNPS is published for: fixed, non-overlapping periods
    cannot be subtracted from each other. Within the month, the whole and its teams go
    through :func:`publishable` together (as :func:`publishable_parts`, from their
    sizes); a suppressed team is named, its figures are not.
    A month is published only once it is over (``results_after`` says when), so nobody
    can read it before and after one more answer.

    Every team's figure depends on the sizes of all the others, so a month is counted
    over the whole organization: once per unchanged database (``hub.cached``), not once
    per team summary. The dict returned is shared: read it, do not change it.
    """
    return hub.cached(
        ("feedback.pulse_month", month, threshold(hub), hub.clock.today()),
        lambda: _pulse_month(hub, month),
    )


def _pulse_month(hub: Hub, month: str) -> dict[str, Any]:
    start, end = month_bounds(month)
    after = month_results_after(hub, month)
    if after is not None:
        return {
            "month": month,
            "threshold": threshold(hub),
            "results_after": after.isoformat(),
            "overall": None,
            "teams": {},
            "withheld_teams": [],
        }
    # counted by team in SQL: every team's figure is decided from the sizes alone, so a
    # month costs the same whatever the size of the organization's answers in Python
    counts: dict[str, list[int]] = {}
    for r in hub.db.query(
        "SELECT cohort, count(*) AS n, sum(rating >= 9) AS promoters, "
        "sum(rating <= 6) AS detractors FROM feedback "
        "WHERE kind = ? AND given_on BETWEEN ? AND ? GROUP BY cohort",
        [kinds.PULSE, start.isoformat(), end.isoformat()],
    ):
        team = counts.setdefault(r["cohort"] or OTHER_TEAMS, [0, 0, 0])
        for i, column in enumerate(("n", "promoters", "detractors")):
            team[i] += r[column] or 0
    whole = [sum(c[i] for c in counts.values()) for i in range(3)]
    whole_shown, shown = publishable_parts(
        whole[0], {team: counts[team][0] for team in sorted(counts)}, threshold(hub)
    )
    return {
        "month": month,
        "threshold": threshold(hub),
        "results_after": None,
        "overall": enps_from_counts(*whole) if whole_shown else None,
        "teams": {t: enps_from_counts(*counts[t]) for t in sorted(counts) if t in shown},
        "withheld_teams": sorted(t for t in counts if t not in shown),
    }


def months_between(start: dt.date, end: dt.date) -> list[str]:
    months, current = [], dt.date(start.year, start.month, 1)
    while current <= end:
        months.append(current.strftime("%Y-%m"))
        current = dt.date(current.year + current.month // 12, current.month % 12 + 1, 1)
    return months


def pulse_trend(
    hub: Hub, start: dt.date, end: dt.date, team: str | None = None
) -> list[dict[str, Any]]:
    """Monthly eNPS between two dates: the organization's, or one team's part of it.

    A month not over yet has no figures and says when they appear (``results_after``).
    """
    trend = []
    for month in months_between(start, end):
        figures = pulse_month(hub, month)
        shown = figures["overall"] if team is None else figures["teams"].get(team)
        trend.append({"month": month, "figures": shown, "results_after": figures["results_after"]})
    return trend
