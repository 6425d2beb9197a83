"""``corehub feedback summary``: CSAT, eNPS, praise received and the suggestion pipeline.

Outcomes, not activity counts (seed 004): nothing here ranks people by how much
feedback they gave or received; agents are listed by name.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Any

from corehub.access import require_see_team
from corehub.errors import ValidationError
from corehub.models import CycleStatus
from corehub_feedback import access, csat, kinds, results, suggestions
from corehub_feedback.store import list_feedback

if TYPE_CHECKING:
    from corehub import Hub


def parse_period(text: str | None, today: dt.date) -> tuple[dt.date, dt.date, str]:
    """``2026-11`` (a month), ``2026-Q4``, ``2026``; default: the last 12 months."""
    if not text:
        first = today.year * 12 + today.month - 1 - 11
        start = dt.date(first // 12, first % 12 + 1, 1)
        return start, today, f"{start:%Y-%m} to {today:%Y-%m}"
    value = text.strip().upper()
    if re.fullmatch(r"\d{4}-\d{2}", value):
        try:
            start, end = results.month_bounds(value)
        except ValueError:
            raise ValidationError(f"period {text!r}: no such month") from None
        return start, end, value
    if match := re.fullmatch(r"(\d{4})-Q([1-4])", value):
        year, quarter = int(match.group(1)), int(match.group(2))
        start = dt.date(year, 3 * quarter - 2, 1)
        end = results.month_bounds(f"{year}-{3 * quarter:02d}")[1]
        return start, end, value
    if re.fullmatch(r"\d{4}", value):
        return dt.date(int(value), 1, 1), dt.date(int(value), 12, 31), value
    raise ValidationError(
        f"period {text!r}: use a month (2026-11), a quarter (2026-Q4) or a year (2026)"
    )


def _cycles_in(hub: Hub, start: dt.date, end: dt.date) -> list[Any]:
    return [
        c
        for c in hub.cycles.list()
        if c.status is not CycleStatus.DRAFT and c.start <= end and c.end >= start
    ]


def summary(
    hub: Hub,
    *,
    team: str | None = None,
    person: str | None = None,
    period: str | None = None,
    actor: str | None = None,
) -> dict[str, Any]:
    """Plain data for one person, one team, or (HR and the administrator) everyone."""
    who = access.viewer(hub, actor)
    if team and person:
        raise ValidationError("give --team or --person, not both")
    start, end, label = parse_period(period, hub.clock.today())
    if person is None and team is None and not who.sees_everything:
        person = who.id
    data: dict[str, Any] = {
        "period": {"start": start.isoformat(), "end": end.isoformat(), "label": label},
        "threshold": results.threshold(hub),
        "suggestions": suggestions.counts_by_status(hub),
    }
    if person is not None:
        subject = hub.people.get(person)
        access.require_see_person(hub, who, subject.id)
        data["person"] = {"id": subject.id, "name": subject.name, "team": subject.team}
        data["csat"] = csat.csat_summary(hub, [subject.id], start, end)
        praise = list_feedback(
            hub, actor=actor, to=subject.id, kind=kinds.PRAISE, since=start, until=end
        )
        data["praise"] = {
            "received": len(praise),
            "recent": [
                {"on": p.given_on.isoformat(), "from": p.author_id, "text": p.text}
                for p in praise[:5]
            ],
        }
        data["enps"] = results.pulse_trend(hub, start, end, team=None)
        cycles = _cycles_in(hub, start, end)
        data["peer"] = [_cycle_results(hub, c, kinds.PEER, subject.id) for c in cycles]
        if access.is_manager(hub, subject.id):
            data["upward"] = [_cycle_results(hub, c, kinds.UPWARD, subject.id) for c in cycles]
        return data
    if team is not None:
        if team not in hub.people.teams():
            raise ValidationError(f"no team named {team!r}; teams: {', '.join(hub.people.teams())}")
        require_see_team(hub, who, team)
        members = hub.people.list(team=team)
    else:
        members = hub.people.list()
    ids = [p.id for p in members]
    data["team"] = team
    data["csat"] = csat.csat_summary(hub, ids, start, end)
    data["csat_by_agent"] = agent_csat(hub, members, start, end)
    data["praise"] = {"received": len(_praise_rows(hub, ids, start, end))}
    data["enps"] = results.pulse_trend(hub, start, end, team=team)
    return data


def _cycle_results(hub: Hub, cycle: Any, kind: str, person_id: str) -> dict[str, Any]:
    """One cycle's peer or upward results, and until when they are withheld."""
    after = results.results_after(hub, cycle, kind)
    figures = (
        results.peer_results(hub, cycle.id, person_id)
        if kind == kinds.PEER
        else results.upward_results(hub, cycle.id, person_id)
    )
    return {
        "cycle": cycle.name,
        "results": figures,
        "results_after": after.isoformat() if after else None,
    }


def agent_csat(hub: Hub, members: list[Any], start: dt.date, end: dt.date) -> list[dict[str, Any]]:
    """CSAT per agent with ratings in the period, listed by name (never ranked)."""
    rows = csat.csat_rows(hub, [p.id for p in members], start, end)
    by_agent: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        by_agent.setdefault(r["recipient_id"], []).append(r)
    return [
        {"id": p.id, "name": p.name, "team": p.team, "figures": csat.csat_figures(by_agent[p.id])}
        for p in sorted(members, key=lambda p: (p.name, p.id))
        if p.id in by_agent
    ]


def _praise_rows(hub: Hub, ids: list[str], start: dt.date, end: dt.date) -> list[Any]:
    if not ids:
        return []
    sql = "SELECT id FROM feedback WHERE kind = ? AND given_on BETWEEN ? AND ? AND recipient_id IN ({})"
    return list(
        hub.db.query(
            sql.format(", ".join("?" * len(ids))),
            [kinds.PRAISE, start.isoformat(), end.isoformat(), *ids],
        )
    )
