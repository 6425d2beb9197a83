"""How the check-ins go across the organization, for HR and a team's managers.

One row per manager and direct report in today's org chart: the last check-in the two
held, the next one planned, how many they held in the last year, the days since the last
one against the team's cadence, and how many of their action items are open (and late).
Overdue pairs come first. It says that two people met and when, never what they said:
the agenda and the notes stay the two's (:func:`corehub.access.may_see_conversation`).

The pairs are kept by triggers with their last and planned check-in
(:data:`corehub_self_assessment.checkins_storage.PAIRS`) and read in the page's order from
indexes, so a page of an organization of any size reads that page's rows (and the ones
before it) only; what depends on today (overdue by the team's cadence, the days since, a
leaving date passed) is decided when the page is read.
"""

from __future__ import annotations

import datetime as dt
import heapq
import itertools
import json
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import attrs

from corehub import access
from corehub.errors import NotFoundError
from corehub.messages import M_
from corehub_self_assessment.checkins import Actor, settings_of
from corehub_self_assessment.checkins_storage import ACTIONS, CHECKINS, PAIRS, PAIRS_AS_OF

if TYPE_CHECKING:
    from corehub import Hub

HELD_WINDOW_DAYS = 365
"""``held``: the check-ins of the last year."""

_KEEP = (
    "team", "manager_id", "manager", "person_id", "person", "hire_date", "last", "planned",
)  # fmt: skip
_COLUMNS = ", ".join(_KEEP)


@attrs.frozen
class _Read:
    """What one reading of the overview decides once: today, the cadences, the filters,
    and the pairs whose stored ``last``/``planned`` a check-in day passed since the day
    they are kept as of (worked out here from the check-ins instead)."""

    today: str
    cadences: dict[str, int]
    default_days: int
    team: str | None
    manager_id: str | None
    moved: tuple[str, ...]

    def cadence(self, team: str) -> int:
        return self.cadences.get(team, self.default_days)

    def params(self) -> dict[str, Any]:
        params: dict[str, Any] = {
            "today": self.today,
            "moved": json.dumps(self.moved),
        }
        for i, (name, days) in enumerate(sorted(self.cadences.items())):
            params[f"team_{i}"], params[f"cut_{i}"] = name, self.cutoff(days)
        params["cut_default"] = self.cutoff(self.default_days)
        params["early"], params["late"] = self.bounds()
        if self.team is not None:
            params["team"] = self.team
        if self.manager_id is not None:
            params["manager"] = self.manager_id
        return params

    def cutoff(self, days: int) -> str | None:
        """A pair whose last check-in is before this day is overdue by a cadence of
        ``days`` (None: no cadence, never overdue)."""
        if days <= 0:
            return None
        return (dt.date.fromisoformat(self.today) - dt.timedelta(days=days)).isoformat()

    def cutoff_sql(self) -> str:
        """The team's own cutoff (see :meth:`cutoff`), else the default's: one expression."""
        if not self.cadences:
            return ":cut_default"
        cases = "".join(f" WHEN :team_{i} THEN :cut_{i}" for i in range(len(self.cadences)))
        return f"(CASE team{cases} ELSE :cut_default END)"

    def where(self) -> str:
        """The filters every arm shares: the team and manager asked for, the pair still
        together today, and not one of the moved pairs."""
        where = "(ends IS NULL OR ends > :today)"
        if self.moved:
            where += " AND person_id NOT IN (SELECT value FROM json_each(:moved))"
        if self.team is not None:
            where += " AND team = :team"
        if self.manager_id is not None:
            where += " AND manager_id = :manager"
        return where

    def overdue_sql(self) -> str:
        """Overdue: nothing planned, and the last check-in before the team's cutoff (a
        team without a cadence has none)."""
        return f"planned IS NULL AND coalesce(last < {self.cutoff_sql()}, 0)"

    def bounds(self) -> tuple[str | None, str | None]:
        """The last check-in before which a pair with a cadence may be overdue (the
        shortest cadence's) and before which one is sure to be (the longest's)."""
        days = [d for d in (self.default_days, *self.cadences.values()) if d > 0]
        if not days:
            return None, None
        today = dt.date.fromisoformat(self.today)
        return (
            (today - dt.timedelta(days=min(days))).isoformat(),
            (today - dt.timedelta(days=max(days))).isoformat(),
        )


def _reading(hub: Hub, team: str | None, manager_id: str | None) -> _Read:
    settings = settings_of(hub)
    today = hub.clock.today().isoformat()
    (as_of,) = hub.db.execute(f"SELECT day FROM [{PAIRS_AS_OF}] WHERE id = 1").fetchone()
    moved: tuple[str, ...] = ()
    if as_of != today:
        low, high = sorted((as_of, today))
        moved = tuple(
            r[0]
            for r in hub.db.execute(
                f"SELECT DISTINCT c.person_id FROM [{CHECKINS}] AS c "
                f"JOIN [{PAIRS}] AS p ON p.person_id = c.person_id "
                "AND p.manager_id = c.manager_id WHERE c.day > ? AND c.day <= ?",
                [low, high],
            )
        )
    return _Read(
        today=today,
        cadences=dict(settings.teams),
        default_days=settings.cadence_days,
        team=team,
        manager_id=manager_id,
        moved=moved,
    )


def _arms(read: _Read, overdue: bool) -> list[str]:
    """The queries whose rows, each in the page's order (from an index), make up the
    stored pairs that are (``overdue``) or are not overdue today. Each reads the rows it
    gives, but for the few a cadence longer than the shortest or none lets through."""
    order = "ORDER BY last, team, manager, manager_id, person, person_id"
    base = f"SELECT {_COLUMNS} FROM [{PAIRS}] WHERE {read.where()} AND planned IS NULL"
    is_overdue = read.overdue_sql()
    early, late = read.bounds()
    if overdue:
        return [] if early is None else [f"{base} AND last < :early AND {is_overdue} {order}"]
    arms = [
        f"{base} AND last IS NULL {order}",
        f"SELECT {_COLUMNS} FROM [{PAIRS}] WHERE {read.where()} AND planned IS NOT NULL {order}",
    ]
    if early is None:  # no cadence anywhere: nobody is overdue
        return [*arms, f"{base} AND last IS NOT NULL {order}"]
    # met within the shortest cadence: never overdue; between the shortest and the
    # longest: where the team's cadence is longer; before: only without a cadence
    arms.append(f"{base} AND last >= :early {order}")
    if late != early:
        arms.append(f"{base} AND last >= :late AND last < :early AND NOT ({is_overdue}) {order}")
    if read.default_days > 0:
        arms.extend(
            f"{base} AND team = :team_{i} AND last < :late {order}"
            for i, (team, days) in enumerate(sorted(read.cadences.items()))
            if days <= 0 and read.team in (None, team)
        )
    else:
        arms.append(f"{base} AND last < :late AND {read.cutoff_sql()} IS NULL {order}")
    return arms


def _moved_rows(hub: Hub, read: _Read) -> list[dict[str, Any]]:
    """The moved pairs (see :class:`_Read`), worked out from their check-ins."""
    if not read.moved:
        return []
    where = read.where().replace(
        "person_id NOT IN (SELECT value FROM json_each(:moved))",
        "person_id IN (SELECT value FROM json_each(:moved))",
    )
    sql = (
        f"SELECT team, p.manager_id, manager, p.person_id, person, hire_date, "
        f"(SELECT max(day) FROM [{CHECKINS}] AS c WHERE c.manager_id = p.manager_id "
        "AND c.person_id = p.person_id AND c.day <= :today) AS last, "
        f"(SELECT min(day) FROM [{CHECKINS}] AS c WHERE c.manager_id = p.manager_id "
        "AND c.person_id = p.person_id AND c.day > :today) AS planned "
        f"FROM [{PAIRS}] AS p WHERE {where}"
    )
    return [_figures(read, dict(row)) for row in hub.db.query(sql, read.params())]


def _figures(read: _Read, row: dict[str, Any]) -> dict[str, Any]:
    """A pair's due date, days since and being overdue, from its last check-in and
    today."""
    today = dt.date.fromisoformat(read.today)
    days = read.cadence(row["team"])
    last = row["last"]
    due: dt.date | None = None
    if days > 0:
        if last is not None:
            due = dt.date.fromisoformat(last) + dt.timedelta(days=days)
        elif row["hire_date"]:
            due = max(dt.date.fromisoformat(row["hire_date"]) + dt.timedelta(days=days), today)
        else:
            due = today
    row["cadence_days"] = days if days > 0 else None
    row["days_since"] = None if last is None else (today - dt.date.fromisoformat(last)).days
    row["next_due"] = due.isoformat() if due else None
    row["overdue"] = bool(due is not None and due < today and row["planned"] is None)
    return row


def _key(row: dict[str, Any]) -> tuple[Any, ...]:
    """The page's order: overdue first, then the pairs who never met, then the longest
    since the last check-in, then by team, manager and person."""
    return (
        not row["overdue"], row["last"] is not None, row["last"] or "", row["team"],
        row["manager"], row["manager_id"], row["person"], row["person_id"],
    )  # fmt: skip


def _rows(hub: Hub, read: _Read, overdue_only: bool) -> Iterator[dict[str, Any]]:
    """Every pair of the reading, in the page's order, read as far as the caller reads."""
    params = read.params()
    moved = sorted(
        (r for r in _moved_rows(hub, read) if r["overdue"] or not overdue_only), key=_key
    )

    def arm(sql: str) -> Iterator[dict[str, Any]]:
        for row in hub.db.query(sql, params):
            yield _figures(read, dict(row))

    groups = [True] if overdue_only else [True, False]
    stored = [heapq.merge(*(arm(sql) for sql in _arms(read, g)), key=_key) for g in groups]
    return heapq.merge(*stored, moved, key=_key)


def _details(hub: Hub, read: _Read, rows: list[dict[str, Any]]) -> None:
    """The check-ins held in the last year and the open (and late) action items of the
    page's pairs: a few index look-ups each."""
    if not rows:
        return
    since = (dt.date.fromisoformat(read.today) - dt.timedelta(days=HELD_WINDOW_DAYS)).isoformat()
    pairs = json.dumps([[r["manager_id"], r["person_id"]] for r in rows])
    sql = f"""
    WITH k AS (
        SELECT json_extract(value, '$[0]') AS m, json_extract(value, '$[1]') AS p
        FROM json_each(:pairs)
    )
    SELECT k.m AS manager_id, k.p AS person_id,
        (SELECT count(*) FROM [{CHECKINS}] AS c WHERE c.manager_id = k.m AND c.person_id = k.p
            AND c.day <= :today AND c.day > :since) AS held,
        (SELECT count(*) FROM [{ACTIONS}] AS a JOIN [{CHECKINS}] AS c ON c.id = a.checkin_id
            WHERE c.manager_id = k.m AND c.person_id = k.p AND a.done_at IS NULL) AS actions_open,
        (SELECT count(*) FROM [{ACTIONS}] AS a JOIN [{CHECKINS}] AS c ON c.id = a.checkin_id
            WHERE c.manager_id = k.m AND c.person_id = k.p AND a.done_at IS NULL
            AND a.due < :today) AS actions_late
    FROM k
    """
    found = {
        (r["manager_id"], r["person_id"]): r
        for r in hub.db.query(sql, {"today": read.today, "since": since, "pairs": pairs})
    }
    for row in rows:
        extra = found[(row["manager_id"], row["person_id"])]
        row.update(held=extra["held"], actions_open=extra["actions_open"])
        row["actions_late"] = extra["actions_late"]


def _allowed(hub: Hub, team: str | None, manager_id: str | None, actor: Actor) -> None:
    """Refused unless the actor may see the team's aggregates
    (:func:`corehub.access.require_see_team`): every team for HR and the operator, a team
    for its own managers."""
    who = access.viewer(hub, actor)
    access.require_see_team(hub, who, team)
    if manager_id is not None and hub.people.find(manager_id) is None:
        raise NotFoundError(M_("no person %(id)r", id=manager_id, hint="see: corehub people list"))


def count(
    hub: Hub,
    *,
    team: str | None = None,
    manager_id: str | None = None,
    overdue_only: bool = False,
    actor: Actor = None,
) -> int:
    """How many manager and report pairs :func:`overview` lists."""
    _allowed(hub, team, manager_id, actor)
    read = _reading(hub, team, manager_id)
    params = read.params()
    moved = _moved_rows(hub, read)
    if overdue_only:
        arms = _arms(read, True)
        stored = sum(
            int(hub.db.execute(f"SELECT count(*) FROM ({sql})", params).fetchone()[0])
            for sql in arms
        )
        return stored + sum(1 for r in moved if r["overdue"])
    # every pair, less the ones whose leaving date passed (few): counted from indexes
    # (a team's from its two indexes, with a check-in planned and without)
    ended = "ends IS NOT NULL AND ends <= :today"
    if manager_id is not None:
        ended += " AND manager_id = :manager"
        every = [f"SELECT count(*) FROM [{PAIRS}] WHERE manager_id = :manager"]
        if team is not None:
            every = [every[0] + " AND team = :team"]
    elif team is not None:
        every = [
            f"SELECT count(*) FROM [{PAIRS}] WHERE team = :team AND planned {test}"
            for test in ("IS NULL", "IS NOT NULL")
        ]
    else:
        every = [f"SELECT count(*) FROM [{PAIRS}]"]
    if team is not None:
        ended += " AND team = :team"
    total = sum(int(hub.db.execute(sql, params).fetchone()[0]) for sql in every)
    gone = int(
        hub.db.execute(f"SELECT count(*) FROM [{PAIRS}] WHERE {ended}", params).fetchone()[0]
    )
    return total - gone


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
    and person.

    The pairs are kept by triggers (:data:`checkins_storage.PAIRS`) and read from indexes
    in this order, so a page reads its own rows (and the ones before it), not the
    organization's."""
    _allowed(hub, team, manager_id, actor)
    read = _reading(hub, team, manager_id)
    stop = None if limit is None else offset + limit
    rows = list(itertools.islice(_rows(hub, read, overdue_only), offset, stop))
    _details(hub, read, rows)
    keep = (
        "team", "manager_id", "manager", "person_id", "person", "last", "planned", "held",
        "actions_open", "actions_late", "days_since", "next_due",
    )  # fmt: skip
    return [
        {
            **{k: row[k] for k in keep},
            "cadence_days": row["cadence_days"],
            "overdue": row["overdue"],
        }
        for row in rows
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
