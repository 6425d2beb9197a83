"""Quality scores from submitted grades: per person, per month, per category.

A score is shown only from ``min_graded`` graded tickets on (default 5): fewer grades
say more about which tickets were picked than about the agent.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from corehub.models import Text
from corehub_quality.periods import months_between

if TYPE_CHECKING:
    from corehub import Hub


def graded(
    hub: Hub, agent_ids: Iterable[str] | None, start: dt.date, end: dt.date
) -> list[dict[str, Any]]:
    """Submitted grades of tickets (by the ticket's day) in ``start``..``end``."""
    sql = (
        "SELECT g.*, t.source, t.ticket_id, t.subject, t.channel, t.day AS ticket_day "
        "FROM quality_grades g JOIN quality_tickets t ON t.id = g.ticket_row "
        "WHERE g.status = 'submitted' AND t.day BETWEEN ? AND ?"
    )
    params: list[Any] = [start.isoformat(), end.isoformat()]
    if agent_ids is not None:
        ids = list(agent_ids)
        if not ids:
            return []
        sql += " AND g.agent_id IN ({})".format(", ".join("?" * len(ids)))
        params.extend(ids)
    return list(hub.db.query(sql + " ORDER BY t.day, g.id", params))


def _mean(values: list[float]) -> float | None:
    return round(sum(values) / len(values), 1) if values else None


def figures(grades: list[dict[str, Any]]) -> dict[str, Any]:
    """Count, mean score, critical failures and mean per category of ``grades``."""
    scores = [g["score"] for g in grades if g["score"] is not None]
    by_category: dict[str, list[float]] = {}
    for g in grades:
        for category, value in json.loads(g["categories"]).items():
            by_category.setdefault(category, []).append(value)
    return {
        "count": len(grades),
        "score": _mean(scores),
        "critical": sum(1 for g in grades if g["critical_failed"]),
        "categories": {k: _mean(v) for k, v in by_category.items()},
    }


def category_titles(grades: list[dict[str, Any]], locale: str) -> dict[str, str]:
    """Category id -> its title in ``locale``, from the scorecard copies the grades keep."""
    titles: dict[str, str] = {}
    for g in grades:
        for category in json.loads(g["scorecard"])["categories"]:
            titles.setdefault(category["id"], Text.of(category["title"]).get(locale))
    return titles


def category_competencies(grades: list[dict[str, Any]]) -> dict[str, str]:
    """Category id -> the competency it informs (from the scorecard copies), where named."""
    found: dict[str, str] = {}
    for g in grades:
        for category in json.loads(g["scorecard"])["categories"]:
            if category.get("competency"):
                found.setdefault(category["id"], category["competency"])
    return found


def person_quality(
    hub: Hub, person_id: str, start: dt.date, end: dt.date, locale: str, minimum: int
) -> dict[str, Any] | None:
    """The packet's figures for one person, or None below ``minimum`` graded tickets."""
    grades = graded(hub, [person_id], start, end)
    if len(grades) < minimum:
        return None
    overall = figures(grades)
    titles = category_titles(grades, locale)
    competencies = category_competencies(grades)
    months: dict[str, list[dict[str, Any]]] = {}
    for g in grades:
        months.setdefault(g["ticket_day"][:7], []).append(g)
    trend = [
        {
            "month": m,
            "count": len(months.get(m, [])),
            "score": figures(months[m])["score"] if m in months else None,
        }
        for m in months_between(start, end)
    ]
    best = sorted(
        (g for g in grades if not g["critical_failed"] and g["score"] is not None),
        key=lambda g: (-g["score"], g["ticket_day"], g["id"]),
    )[:3]
    critical = [
        {
            "ticket": f"{g['source']}:{g['ticket_id']}",
            "subject": g["subject"],
            "day": g["ticket_day"],
            "criteria": _criteria_texts(g, locale),
        }
        for g in grades
        if g["critical_failed"]
    ]
    return {
        "overall": overall,
        "trend": trend,
        "categories": [
            {
                "id": cid,
                "title": titles.get(cid, cid),
                "competency": competencies.get(cid),
                "score": score,
            }
            for cid, score in overall["categories"].items()
        ],
        "best": [
            {
                "ticket": f"{g['source']}:{g['ticket_id']}",
                "subject": g["subject"],
                "channel": g["channel"],
                "day": g["ticket_day"],
                "score": g["score"],
                "comments": [c for c in json.loads(g["comments"]).values() if c][:2],
            }
            for g in best
        ],
        "critical": critical,
    }


def _criteria_texts(grade: dict[str, Any], locale: str) -> list[str]:
    card = json.loads(grade["scorecard"])
    texts = {q["id"]: q["text"] for c in card["categories"] for q in c["criteria"]}
    return [Text.of(texts.get(q, q)).get(locale) for q in json.loads(grade["failed_criteria"])]


def team_quality(
    hub: Hub, people: list[Any], start: dt.date, end: dt.date, locale: str, minimum: int
) -> dict[str, Any] | None:
    """Per agent (alphabetical) and the category heat map; agents below ``minimum`` are
    listed without figures; None when nobody in ``people`` has graded tickets."""
    ids = [p.id for p in people]
    grades = graded(hub, ids, start, end)
    if not grades:
        return None
    titles = category_titles(grades, locale)
    order = list(titles)
    by_agent: dict[str, list[dict[str, Any]]] = {}
    for g in grades:
        by_agent.setdefault(g["agent_id"], []).append(g)
    rows = []
    shown: list[dict[str, Any]] = []
    for person in sorted(people, key=lambda p: (p.name.lower(), p.id)):
        mine = by_agent.get(person.id, [])
        if not mine:
            continue
        enough = len(mine) >= minimum
        numbers = figures(mine) if enough else None
        if enough:
            shown.extend(mine)
        rows.append(
            {
                "name": person.name,
                "count": len(mine),
                "figures": numbers,
                "cells": [numbers["categories"].get(cid) if numbers else None for cid in order],
            }
        )
    team = figures(shown) if shown else None
    return {
        "agents": rows,
        "categories": [{"id": cid, "title": titles[cid]} for cid in order],
        "team": team,
        "team_cells": [team["categories"].get(cid) for cid in order] if team else [],
        "minimum": minimum,
    }
