"""How the check-ins go across the organization, for HR and a team's managers.

One row per manager and direct report in today's org chart: the last check-in the two
held, the next one planned, how many they held in the last year, the days since the last
one against the team's cadence, and how many of their action items are open (and late).
Overdue pairs come first. It says that two people met and when, never what they said:
the agenda and the notes stay the two's (:func:`corehub.access.may_see_conversation`).

Everything is counted, sorted and paged in SQL, so a page of an organization of any size
reads that page's rows only.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from corehub import access
from corehub.errors import NotFoundError
from corehub.messages import M_
from corehub_self_assessment.checkins import Actor, settings_of
from corehub_self_assessment.checkins_storage import ACTIONS, CHECKINS

if TYPE_CHECKING:
    from corehub import Hub

HELD_WINDOW_DAYS = 365
"""``held``: the check-ins of the last year."""

_PAIRS = """
WITH pairs AS (
    SELECT p.id AS person_id, p.name AS person, p.team AS team, p.hire_date AS hire_date,
           m.id AS manager_id, m.name AS manager, {cadence} AS cadence_days
    FROM people AS p JOIN people AS m ON m.id = p.manager_id
    WHERE p.active = 1 AND m.active = 1 AND p.id != m.id
      AND (p.leaving_date IS NULL OR p.leaving_date > :today)
      AND (m.leaving_date IS NULL OR m.leaving_date > :today)
      {where}
),
met AS (
    SELECT pairs.*,
        (SELECT max(day) FROM [{checkins}] AS c WHERE c.manager_id = pairs.manager_id
            AND c.person_id = pairs.person_id AND c.day <= :today) AS last,
        (SELECT min(day) FROM [{checkins}] AS c WHERE c.manager_id = pairs.manager_id
            AND c.person_id = pairs.person_id AND c.day > :today) AS planned,
        (SELECT count(*) FROM [{checkins}] AS c WHERE c.manager_id = pairs.manager_id
            AND c.person_id = pairs.person_id AND c.day <= :today AND c.day > :since) AS held,
        (SELECT count(*) FROM [{actions}] AS a JOIN [{checkins}] AS c ON c.id = a.checkin_id
            WHERE c.manager_id = pairs.manager_id AND c.person_id = pairs.person_id
            AND a.done_at IS NULL) AS actions_open,
        (SELECT count(*) FROM [{actions}] AS a JOIN [{checkins}] AS c ON c.id = a.checkin_id
            WHERE c.manager_id = pairs.manager_id AND c.person_id = pairs.person_id
            AND a.done_at IS NULL AND a.due < :today) AS actions_late
    FROM pairs
),
due AS (
    SELECT met.*,
        CAST(julianday(:today) - julianday(last) AS INTEGER) AS days_since,
        CASE
            WHEN cadence_days IS NULL OR cadence_days <= 0 THEN NULL
            WHEN last IS NOT NULL THEN date(last, '+' || cadence_days || ' days')
            WHEN hire_date IS NOT NULL
                THEN max(date(hire_date, '+' || cadence_days || ' days'), :today)
            ELSE :today
        END AS next_due
    FROM met
)
SELECT *, (next_due IS NOT NULL AND next_due < :today AND planned IS NULL) AS overdue
FROM due
"""


def _query(hub: Hub, team: str | None, manager_id: str | None) -> tuple[str, dict[str, Any]]:
    settings = settings_of(hub)
    today = hub.clock.today()
    params: dict[str, Any] = {
        "today": today.isoformat(),
        "since": (today - dt.timedelta(days=HELD_WINDOW_DAYS)).isoformat(),
        "default_days": settings.cadence_days,
    }
    # the team's own cadence, else the default: one expression (a query per pair, run
    # again wherever the pair's due date is worked out, cost a third of the page)
    cadence = ":default_days"
    if settings.teams:
        cadence = "CASE p.team"
        for i, (name, days) in enumerate(sorted(settings.teams.items())):
            cadence += f" WHEN :team_{i} THEN :days_{i}"
            params[f"team_{i}"], params[f"days_{i}"] = name, days
        cadence += " ELSE :default_days END"
    where = ""
    if team is not None:
        where += " AND p.team = :team"
        params["team"] = team
    if manager_id is not None:
        where += " AND m.id = :manager"
        params["manager"] = manager_id
    sql = _PAIRS.format(cadence=cadence, where=where, checkins=CHECKINS, actions=ACTIONS)
    return sql, params


def _pairs_sql(
    hub: Hub, team: str | None, manager_id: str | None, overdue_only: bool, actor: Actor
) -> tuple[str, dict[str, Any]]:
    """The query of the pairs the actor may look over; refused unless they may see the
    team's aggregates (:func:`corehub.access.require_see_team`): every team for HR and
    the operator, a team for its own managers."""
    who = access.viewer(hub, actor)
    access.require_see_team(hub, who, team)
    if manager_id is not None and hub.people.find(manager_id) is None:
        raise NotFoundError(M_("no person %(id)r", id=manager_id, hint="see: corehub people list"))
    sql, params = _query(hub, team, manager_id)
    if overdue_only:
        sql = f"SELECT * FROM ({sql}) WHERE overdue"
    return sql, params


def count(
    hub: Hub,
    *,
    team: str | None = None,
    manager_id: str | None = None,
    overdue_only: bool = False,
    actor: Actor = None,
) -> int:
    """How many manager and report pairs :func:`overview` lists."""
    sql, params = _pairs_sql(hub, team, manager_id, overdue_only, actor)
    return int(hub.db.execute(f"SELECT count(*) FROM ({sql})", params).fetchone()[0])


def overview(
    hub: Hub,
    *,
    team: str | None = None,
    manager_id: str | None = None,
    overdue_only: bool = False,
    limit: int | None = None,
    offset: int = 0,
    actor: Actor = None,
) -> list[dict[str, Any]]:
    """The manager and report pairs of ``team`` (every team: None) and ``manager_id``
    (every manager: None), ``limit`` of them from ``offset``: overdue first, then the
    ones who never met, then the longest since the last check-in, then by team, manager
    and person."""
    sql, params = _pairs_sql(hub, team, manager_id, overdue_only, actor)
    page = (
        f"SELECT * FROM ({sql}) ORDER BY overdue DESC, last IS NOT NULL, days_since DESC, "
        "team, manager, manager_id, person, person_id"
    )
    if limit is not None:
        page += " LIMIT :limit OFFSET :offset"
        params = {**params, "limit": limit, "offset": offset}
    keep = (
        "team", "manager_id", "manager", "person_id", "person", "last", "planned", "held",
        "actions_open", "actions_late", "days_since", "next_due",
    )  # fmt: skip
    return [
        {
            **{k: row[k] for k in keep},
            "cadence_days": row["cadence_days"] or None,
            "overdue": bool(row["overdue"]),
        }
        for row in hub.db.query(page, params)
    ]


def teams(hub: Hub, *, actor: Actor = None) -> list[str]:
    """The teams whose check-ins the actor may look over (every team for HR)."""
    who = access.viewer(hub, actor)
    if who.sees_everything:
        # each team (from the index of teams) that has someone active
        sql, params = (
            "SELECT team FROM (SELECT DISTINCT team FROM people WHERE team != '') AS t "
            "WHERE EXISTS (SELECT 1 FROM people AS q WHERE q.team = t.team AND q.active = 1)",
            {},
        )
    else:
        # a team's managers are its leads and those above them, and a lead manages someone
        # in the team: only the teams of the people below the actor (found by the org
        # chart's index, at every level) can be theirs; the rule decides among those
        sql = (
            "WITH RECURSIVE below(id) AS (SELECT id FROM people WHERE manager_id = :me "
            "UNION SELECT people.id FROM people JOIN below ON people.manager_id = below.id) "
            "SELECT DISTINCT team FROM people WHERE active = 1 AND team != '' "
            "AND id IN (SELECT id FROM below)"
        )
        params = {"me": who.id}
    names = [r[0] for r in hub.db.execute(sql + " ORDER BY team", params)]
    if who.sees_everything:
        return names  # every team (the rule asked for each would say so each time)
    return [t for t in names if access.may_see_team(hub, who, t)]
