"""Sampling tickets for grading, fairly.

``sample`` picks up to ``per_agent`` tickets of each agent in a period and makes each a
grading task for a grader, due in ``grading_days``:

- reproducible: the random seed is recorded with the sample; the same seed on the same
  tickets picks the same tickets and graders;
- spread over channels: picks go round the agent's channels (email, chat, phone...);
- never a grader's own ticket, and no ticket twice (a ticket sampled once, in any
  sample, is never picked again);
- strategies: ``random``; ``low-csat`` (badly rated tickets first, then the rest);
  ``mixed`` (half badly rated, half random).

Graders are the people named in ``[settings.quality] graders`` (the ``qa`` right) and
team leads (supervisory people who manage someone); each pick goes to the eligible
grader with the fewest picks so far.
"""

from __future__ import annotations

import datetime as dt
import heapq
import random
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import attrs

from corehub.errors import ValidationError
from corehub.models import Level
from corehub_quality.periods import parse_period
from corehub_quality.settings import settings_of
from corehub_quality.tickets import ticket_label

if TYPE_CHECKING:
    from corehub import Hub
    from corehub.models import Person

STRATEGIES = ("random", "low-csat", "mixed")
LOW_RATINGS = frozenset({"bad", "1", "2"})
"""Ratings that count as a low CSAT (Zendesk's ``bad``, 1-2 on a five-point scale)."""


@attrs.frozen
class Pick:
    ticket: str
    agent_id: str
    grader_id: str
    channel: str
    due: dt.date


@attrs.frozen
class SampleResult:
    sample_id: int | None
    """None for a dry run."""
    period: str
    strategy: str
    seed: int
    picks: tuple[Pick, ...]
    short: dict[str, int]
    """Agents with fewer tickets available than asked: agent id -> tickets picked."""


GRADER_SQL = (
    "people.active = 1 AND (people.id IN (SELECT value FROM json_each(:named)) OR "
    "(people.level = :supervisory AND EXISTS (SELECT 1 FROM people AS r "
    "WHERE r.manager_id = people.id AND r.active = 1)))"
)
"""Who grades, as a condition on ``people``: the ``qa`` right (``:named``, a JSON list) and
team leads (supervisors with an active report)."""


def _grader_params(hub: Hub) -> dict[str, Any]:
    import json

    return {
        "named": json.dumps(sorted(settings_of(hub).graders)),
        "supervisory": Level.SUPERVISORY.value,
    }


def graders(hub: Hub) -> list[Person]:
    """People who grade: the ``qa`` right in corehub.toml, and team leads (by id)."""
    from corehub.loaders import from_row
    from corehub.models import Person

    rows = hub.db.query(f"SELECT * FROM people WHERE {GRADER_SQL} ORDER BY id", _grader_params(hub))
    return [from_row(row, Person) for row in rows]


def is_grader(hub: Hub, person_id: str) -> bool:
    """Whether ``person_id`` is one of :func:`graders` (one look-up)."""
    row = hub.db.execute(
        f"SELECT 1 FROM people WHERE people.id = :id AND {GRADER_SQL}",
        {**_grader_params(hub), "id": person_id},
    ).fetchone()
    return row is not None


def _spread(tickets: list[dict[str, Any]], count: int, rng: random.Random) -> list[dict[str, Any]]:
    """Up to ``count`` tickets, going round the channels (in a seeded order)."""
    by_channel: dict[str, list[dict[str, Any]]] = {}
    for row in tickets:
        by_channel.setdefault(row["channel"], []).append(row)
    channels = sorted(by_channel)
    rng.shuffle(channels)
    for rows in by_channel.values():
        rng.shuffle(rows)
    picked: list[dict[str, Any]] = []
    while len(picked) < count and any(by_channel[c] for c in channels):
        for channel in channels:
            if by_channel[channel] and len(picked) < count:
                picked.append(by_channel[channel].pop())
    return picked


def _choose(
    tickets: list[dict[str, Any]], count: int, strategy: str, rng: random.Random
) -> list[dict[str, Any]]:
    low = [t for t in tickets if t["rating"] in LOW_RATINGS]
    if strategy == "random" or not low:
        return _spread(tickets, count, rng)
    wanted_low = count if strategy == "low-csat" else (count + 1) // 2
    first = _spread(low, wanted_low, rng)
    taken = {t["id"] for t in first}
    rest = _spread([t for t in tickets if t["id"] not in taken], count - len(first), rng)
    return first + rest


class _LeastLoaded:
    """The graders in their (shuffled) order, each with the tickets given so far: ``take``
    gives a ticket to the one with the fewest, the earliest in the order among equals,
    never the agent the ticket is about. A heap: the same grader as looking through
    every grader for each ticket, at a cost that does not grow with how many grade."""

    def __init__(self, grader_ids: list[str]) -> None:
        self._heap = [(0, n, grader) for n, grader in enumerate(grader_ids)]

    def take(self, *, besides: str) -> str:
        skipped = None
        load, n, grader = heapq.heappop(self._heap)
        if grader == besides:
            skipped = (load, n, grader)
            load, n, grader = heapq.heappop(self._heap)
        heapq.heappush(self._heap, (load + 1, n, grader))
        if skipped is not None:
            heapq.heappush(self._heap, skipped)
        return grader


def sample(
    hub: Hub,
    period: str,
    *,
    per_agent: int,
    strategy: str = "random",
    seed: int | None = None,
    team: str | None = None,
    dry_run: bool = False,
) -> SampleResult:
    """Pick tickets of ``period`` for grading and create the grading tasks (one transaction)."""
    problems = []
    if per_agent < 1:
        problems.append(f"--per-agent {per_agent}: pick at least 1 ticket per agent")
    if strategy not in STRATEGIES:
        problems.append(f"--strategy {strategy!r}: use one of {', '.join(STRATEGIES)}")
    if problems:
        raise ValidationError("cannot sample:", problems)
    start, end = parse_period(period)
    if seed is None:
        seed = random.SystemRandom().randrange(1, 2**31)
    rng = random.Random(seed)
    pool_graders = graders(hub)
    if not pool_graders:
        raise ValidationError(
            "cannot sample: nobody grades tickets; name graders in corehub.toml "
            '([settings.quality] graders = ["id", ...]) or give a team a lead'
        )
    agents = {p.id: p for p in hub.people.list() if team is None or p.team == team}
    rows = hub.db.query(
        "SELECT t.* FROM quality_tickets t LEFT JOIN quality_tasks k ON k.ticket_row = t.id "
        "WHERE k.id IS NULL AND t.day BETWEEN ? AND ? ORDER BY t.agent_id, t.source, t.ticket_id",
        [start.isoformat(), end.isoformat()],
    )
    by_agent: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        if row["agent_id"] in agents:
            by_agent.setdefault(row["agent_id"], []).append(row)
    order = list(pool_graders)
    rng.shuffle(order)
    least_loaded = _LeastLoaded([g.id for g in order])
    due = hub.clock.today() + dt.timedelta(days=settings_of(hub).grading_days)
    picks: list[tuple[dict[str, Any], str]] = []
    short: dict[str, int] = {}
    for agent_id in sorted(by_agent):
        if not any(g.id != agent_id for g in order[:2]):  # nobody else grades
            short[agent_id] = 0
            continue
        chosen = _choose(by_agent[agent_id], per_agent, strategy, rng)
        if len(chosen) < per_agent:
            short[agent_id] = len(chosen)
        for ticket in chosen:
            picks.append((ticket, least_loaded.take(besides=agent_id)))
    grader_ids = {g.id for g in pool_graders}
    for agent_id in sorted(set(agents) - set(by_agent) - grader_ids):
        if agents[agent_id].level is Level.OPERATIONAL:
            short[agent_id] = 0
    result_picks = tuple(
        Pick(
            ticket=ticket_label(t),
            agent_id=t["agent_id"],
            grader_id=g,
            channel=t["channel"],
            due=due,
        )
        for t, g in picks
    )
    if dry_run:
        return SampleResult(None, period, strategy, seed, result_picks, short)
    if not picks:
        raise ValidationError(
            f"cannot sample {period}: no ticket of the period is left to grade (import "
            "tickets with `corehub quality import-tickets`, or choose another period)"
        )
    with hub.atomic() as db:
        inserted = db.table("quality_samples").insert(
            {
                "period": period,
                "strategy": strategy,
                "per_agent": per_agent,
                "seed": seed,
                "created_at": hub.clock.now().isoformat(),
                "created_by": hub.actor,
            }
        )
        sample_id = int(inserted.last_pk or 0)
        db.table("quality_tasks").insert_all(
            {
                "sample_id": sample_id,
                "ticket_row": t["id"],
                "grader_id": g,
                "due": due.isoformat(),
                "status": "open",
            }
            for t, g in picks
        )
        hub.audit.record(
            "quality.sampled",
            "quality_samples",
            sample_id,
            after={"period": period, "strategy": strategy, "seed": seed, "tasks": len(picks)},
        )
    return SampleResult(sample_id, period, strategy, seed, result_picks, short)


def status(hub: Hub, period: str | None = None) -> list[dict[str, Any]]:
    """Per grader: open, draft and submitted grading tasks, how many are late, next due."""
    today = hub.clock.today().isoformat()
    sql = (
        "SELECT k.grader_id, k.status, k.due FROM quality_tasks k "
        "JOIN quality_samples s ON s.id = k.sample_id"
    )
    params: list[Any] = []
    if period is not None:
        parse_period(period)
        sql += " WHERE s.period = ?"
        params.append(period)
    people = {p.id: p for p in hub.people.list(include_inactive=True)}
    rows: dict[str, dict[str, Any]] = {}
    for task in hub.db.query(sql, params):
        grader = task["grader_id"]
        entry = rows.setdefault(
            grader,
            {
                "grader": grader,
                "name": people[grader].name if grader in people else grader,
                "open": 0,
                "draft": 0,
                "submitted": 0,
                "late": 0,
                "next_due": None,
            },
        )
        entry[task["status"]] += 1
        if task["status"] != "submitted":
            if task["due"] < today:
                entry["late"] += 1
            if entry["next_due"] is None or task["due"] < entry["next_due"]:
                entry["next_due"] = task["due"]
    return [rows[k] for k in sorted(rows, key=lambda g: rows[g]["name"].lower())]


def open_tasks(hub: Hub, grader_id: str | None = None) -> Iterable[Mapping[str, Any]]:
    """Grading tasks not submitted yet, with their ticket."""
    sql = (
        "SELECT k.id AS task_id, k.grader_id, k.due, k.status, t.source, t.ticket_id, "
        "t.agent_id, t.subject, t.channel FROM quality_tasks k "
        "JOIN quality_tickets t ON t.id = k.ticket_row WHERE k.status != 'submitted'"
    )
    params: list[Any] = []
    if grader_id is not None:
        sql += " AND k.grader_id = ?"
        params.append(grader_id)
    return list(hub.db.query(sql + " ORDER BY k.due, k.id", params))
