"""Customer satisfaction (CSAT): importing ticket ratings and summarising them.

One row per rated ticket: ticket id, agent (id, email or exact name), score 1-5,
comment, date. Header names of the common ticket-system exports are understood
(Zendesk, Freshdesk, Jira Service Management, ServiceNow, Help Scout); ``--map
theirs=ours`` names any other column (``--map theirs=`` ignores one). The ticket id is
the key: importing the same tickets again creates nothing twice (a changed score or
comment is updated). Imports are all-or-nothing and list every problem with its row.

The ticket exports themselves (a Zendesk CSV or tickets-API JSON, a Freshdesk or Jira
Service Management CSV, read by :mod:`corehub.tickets`) are accepted as they are: a
``good``/``bad`` rating becomes 5/1, a 1-5 number stays, other scales are named with
``--map-values`` (``"Extremely happy=5"``); unrated tickets (``offered``, ``unoffered``,
empty) are counted and skipped. The rating belongs to the ticket's assignee; such
tickets are keyed by (system, ticket id).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from corehub.errors import ValidationError
from corehub.loaders import (
    detect_csv,
    normalise_header,
    parse_date,
    read_table,
    read_tickets,
)
from corehub_feedback import kinds
from corehub_feedback.settings import settings_of
from corehub_feedback.store import _to_item, announce, new_ids

if TYPE_CHECKING:
    from corehub import Hub

COLUMNS = ("ticket_id", "agent", "score", "comment", "date")
REQUIRED = ("ticket_id", "agent", "score", "date")

KNOWN_HEADERS: dict[str, str] = {
    # ticket id
    "ticket": "ticket_id",
    "ticket_number": "ticket_id",
    "ticket_no": "ticket_id",
    "issue_key": "ticket_id",
    "key": "ticket_id",
    "number": "ticket_id",
    "conversation_id": "ticket_id",
    "conversation_number": "ticket_id",
    "case_number": "ticket_id",
    # agent
    "agent_id": "agent",
    "agent_email": "agent",
    "agent_name": "agent",
    "assignee": "agent",
    "assignee_email": "agent",
    "assigned_to": "agent",
    "assigned_user": "agent",
    "responder": "agent",
    # score
    "rating": "score",
    "csat": "score",
    "csat_score": "score",
    "satisfaction": "score",
    "satisfaction_score": "score",
    "satisfaction_rating": "score",
    # comment
    "comments": "comment",
    "feedback": "comment",
    "satisfaction_comment": "comment",
    "csat_comment": "comment",
    "rating_comment": "comment",
    # date
    "rated_on": "date",
    "rated_at": "date",
    "created_at": "date",
    "created_date": "date",
    "satisfaction_date": "date",
    "survey_date": "date",
    "date_rated": "date",
    "updated_at": "date",
}
"""Header names of common exports (after normalising: lowercase, spaces to _)."""


@attrs.frozen
class CsatImport:
    """What an import did: tickets created, updated (score or comment changed), unchanged."""

    file: str
    created: int
    updated: int
    unchanged: int
    unrated: int = 0
    """Tickets of a ticket export with no rating (offered, unoffered, empty): skipped."""


VALUE_PREFIX = "value:"
"""Options of the csat importer whose key starts with this map a rating to a score
(``{"value:extremely happy": "5"}``), from ``--map-values``."""

DEFAULT_VALUES = {"good": 5.0, "bad": 1.0}
"""Zendesk's two-point satisfaction as CSAT scores (good counts as satisfied)."""


def parse_values(pairs: Iterable[str]) -> dict[str, str]:
    """``["Extremely happy=5"]`` to ``{"value:extremely happy": "5"}`` (importer options)."""
    values, problems = {}, []
    for pair in pairs:
        theirs, eq, ours = pair.rpartition("=")
        try:
            score = float(ours.strip().replace(",", "."))
        except ValueError:
            score = 0.0
        if not eq or not theirs.strip() or not (score == int(score) and 1 <= score <= 5):
            problems.append(f"{pair!r}: use RATING=SCORE with a score from 1 to 5, e.g. 'Happy=5'")
        else:
            values[VALUE_PREFIX + " ".join(theirs.lower().split())] = str(int(score))
    if problems:
        raise ValidationError("bad --map-values:", problems)
    return values


def is_ticket_export(path: Path) -> bool:
    """Whether ``path`` is one of the ticket exports :mod:`corehub.tickets` recognises."""
    if path.suffix.lower() == ".json":
        return True
    try:
        with path.open("rb") as handle:
            first = handle.readline().decode("utf-8-sig", errors="replace")
    except OSError:
        return False
    delimiter = max((";", ",", "\t"), key=first.count)
    return detect_csv(h.strip().strip('"') for h in first.split(delimiter)) is not None


_TICKET_FIELDS = {"ticket_id": "ticket_id", "agent": "agent", "score": "rating"}
_TICKET_FIELDS |= {"comment": "rating_comment", "date": "solved_at"}


def import_ticket_csat(
    hub: Hub, path: Path, mapping: Mapping[str, str], values: Mapping[str, str]
) -> CsatImport:
    """Import the ratings of a ticket export; nothing is written unless every row is right."""
    export = read_tickets(path, {k: _TICKET_FIELDS.get(v, v) for k, v in mapping.items()})
    scale = {k: float(v) for k, v in DEFAULT_VALUES.items()}
    scale |= {k: float(v) for k, v in values.items()}
    limit = settings_of(hub).max_text_length
    today = hub.clock.today()
    # A rating of a ticket of someone who has left since is still theirs: everyone is found.
    agents = hub.people.finder(
        (t for ticket in export.tickets for t in (ticket.agent_email, ticket.agent)),
        include_inactive=True,
    )
    problems: list[str] = []
    parsed: dict[str, dict[str, Any]] = {}
    unrated = 0
    for ticket in export.tickets:
        where = f"{export.path.name}, {ticket.row}"
        if not ticket.rated:
            unrated += 1
            continue
        rating = " ".join(ticket.rating.split())
        score = scale.get(rating)
        if score is None:
            try:
                number = float(rating.replace(",", "."))
                score = number if number == int(number) and 1 <= number <= 5 else None
            except ValueError:
                score = None
        if score is None:
            problems.append(
                f"{where}, column rating: {ticket.rating!r} is not a score; name its score "
                f"with --map-values '{ticket.rating}=N' (N from 1 to 5)"
            )
        match = agents.match(ticket.agent_email, ticket.agent)
        agent = match.person
        if agent is None:
            problems.append(match.problem(f"{where}, column agent"))
        day = ticket.day
        if day is None:
            problems.append(
                f"{where}, column solved_at: no date (solved or created) for the rating"
            )
        elif day > today:
            problems.append(f"{where}, column solved_at: {day} is in the future")
        if len(ticket.rating_comment) > limit:
            problems.append(f"{where}, column rating_comment: longer than {limit} characters")
        if agent is None or score is None or day is None:
            continue
        parsed[f"{export.source}:{ticket.ticket_id}"] = {
            "recipient_id": agent.id,
            "rating": score,
            "text": ticket.rating_comment,
            "given_on": day.isoformat(),
        }
    if problems:
        raise ValidationError(
            f"{export.path.name}: nothing was imported; fix these problems:", problems
        )
    result = _store(hub, export.path.name, parsed)
    return attrs.evolve(result, unrated=unrated)


def parse_mapping(pairs: Iterable[str]) -> dict[str, str]:
    """``["Puntuación=score", "Notes="]`` to ``{"puntuación": "score", "notes": ""}``."""
    mapping, problems = {}, []
    for pair in pairs:
        theirs, eq, ours = pair.partition("=")
        ours = normalise_header(ours) if ours.strip() else ""
        if not eq or not theirs.strip():
            problems.append(f"{pair!r}: use THEIRS=OURS, e.g. 'Puntuación=score'")
        elif ours and ours not in COLUMNS:
            problems.append(f"{pair!r}: {ours!r} is not one of {', '.join(COLUMNS)}")
        else:
            mapping[normalise_header(theirs)] = ours
    if problems:
        raise ValidationError("bad --map:", problems)
    return mapping


def _date_of(text: str) -> dt.date:
    """A date, also from export timestamps like ``2026-11-03 14:22`` or ``2026-11-03T14:22Z``."""
    day = text.strip().replace("T", " ").split(" ")[0]
    return parse_date(day)


def import_csat(hub: Hub, path: Path | str, mapping: Mapping[str, str] | None = None) -> CsatImport:
    """Import a CSAT export; nothing is written unless every row is right.

    Ticket exports (see :func:`is_ticket_export`) go to :func:`import_ticket_csat`;
    ``mapping`` keys starting with ``value:`` map their ratings to scores.
    """
    options = dict(mapping or {})
    values = {k[len(VALUE_PREFIX) :]: v for k, v in options.items() if k.startswith(VALUE_PREFIX)}
    mapping = {k: v for k, v in options.items() if not k.startswith(VALUE_PREFIX)}
    if is_ticket_export(Path(path)):
        return import_ticket_csat(hub, Path(path), mapping, values)
    if values:
        raise ValidationError(
            f"{Path(path).name}: --map-values applies to ticket exports (Zendesk, Freshdesk, "
            "Jira Service Management); this file's scores are already 1 to 5"
        )
    aliases = KNOWN_HEADERS | {normalise_header(k): v for k, v in mapping.items()}
    table = read_table(
        path,
        required=REQUIRED,
        optional=("comment",),
        aliases=aliases,
        allow_unknown=True,
        map_option="--map",
    )
    limit = settings_of(hub).max_text_length
    today = hub.clock.today()
    # A rating of someone who has left since is still theirs: everyone is found.
    agents = hub.people.finder((row.get("agent") for row in table), include_inactive=True)
    problems: list[str] = list(table.problems)
    parsed: dict[str, dict[str, Any]] = {}
    first_row: dict[str, int] = {}
    for row in table:
        ticket = row.get("ticket_id")
        agent_text = row.get("agent")
        score_text = row.get("score")
        comment = row.get("comment")
        row_problems = []
        if not ticket:
            row_problems.append(f"{table.where(row, 'ticket_id')}: empty")
        elif len(ticket) > 100:
            row_problems.append(f"{table.where(row, 'ticket_id')}: longer than 100 characters")
        elif ticket in parsed or ticket in first_row:
            row_problems.append(
                f"{table.where(row, 'ticket_id')}: ticket {ticket!r} again (also on row {first_row[ticket]})"
            )
        match = agents.match(agent_text)
        agent = match.person
        if agent is None:
            row_problems.append(match.problem(table.where(row, "agent")))
        score = None
        try:
            value = float(score_text.replace(",", "."))
            if value == int(value) and 1 <= value <= 5:
                score = float(value)
        except ValueError:
            pass
        if score is None:
            row_problems.append(
                f"{table.where(row, 'score')}: {score_text!r} is not a score from 1 to 5"
            )
        day = None
        try:
            day = _date_of(row.get("date"))
            if day > today:
                row_problems.append(f"{table.where(row, 'date')}: {day} is in the future")
        except ValueError as exc:
            row_problems.append(f"{table.where(row, 'date')}: {exc}")
        if len(comment) > limit:
            row_problems.append(f"{table.where(row, 'comment')}: longer than {limit} characters")
        if ticket:
            first_row.setdefault(ticket, row.number)
        if row_problems:
            problems.extend(row_problems)
            continue
        assert agent is not None and day is not None
        parsed[ticket] = {
            "recipient_id": agent.id,
            "rating": score,
            "text": comment,
            "given_on": day.isoformat(),
        }
    if not table.rows:
        problems.append(f"{table.path.name}: no rated tickets in the file")
    if problems:
        raise ValidationError(
            f"{table.path.name}: nothing was imported; fix these problems:", problems
        )
    return _store(hub, table.path.name, parsed)


_COMPARED = ("recipient_id", "rating", "text", "given_on")
"""The columns an import writes from the file; a ticket whose values all match is unchanged."""

_KEYS_PER_QUERY = 500


def _store(hub: Hub, source: str, parsed: dict[str, dict[str, Any]]) -> CsatImport:
    """Write the ratings of one file in one transaction, at the cost of writing them: the
    tickets already stored are found by a keyed lookup of this file's tickets only (the
    (kind, source_key) unique index), the new ones are inserted with ``insert_all``, the
    changed ones updated with one prepared statement, and the plugins hear of the new
    ones once (``feedback_received_batch``; ``feedback_received`` per item only for a
    plugin that implements only that)."""
    tickets = list(parsed)
    with hub.atomic() as db:
        existing: dict[str, dict[str, Any]] = {}
        columns = ", ".join(("id", "source_key", *_COMPARED))
        for start in range(0, len(tickets), _KEYS_PER_QUERY):
            chunk = tickets[start : start + _KEYS_PER_QUERY]
            for row in db.query(
                f"SELECT {columns} FROM feedback WHERE kind = ? AND source_key IN "
                f"({', '.join('?' * len(chunk))})",
                [kinds.CUSTOMER, *chunk],
            ):
                existing[row["source_key"]] = row
        now = hub.clock.now().isoformat()
        new = [ticket for ticket in tickets if ticket not in existing]
        ids = iter(new_ids(hub, len(new)))
        created: list[dict[str, Any]] = []
        changed: list[tuple[Any, ...]] = []
        unchanged = 0
        for ticket in tickets:
            values = parsed[ticket]
            before = existing.get(ticket)
            if before is None:
                created.append(
                    values
                    | {
                        "id": next(ids),
                        "kind": kinds.CUSTOMER,
                        "author_id": None,
                        "anonymous": 0,
                        "given_at": now,
                        "tags": "[]",
                        "source": source,
                        "source_key": ticket,
                    }
                )
            elif all(before[k] == values[k] for k in _COMPARED):
                unchanged += 1
            else:
                changed.append((*(values[k] for k in _COMPARED), source, before["id"]))
        if changed:
            db.conn.executemany(
                "UPDATE feedback SET "
                + ", ".join(f"{k} = ?" for k in (*_COMPARED, "source"))
                + " WHERE id = ?",
                changed,
            )
        if created:
            db.table("feedback").insert_all(created)
        announce(hub, [_to_item(row) for row in created] if _listened(hub) else [])
        hub.audit.record(
            "feedback.csat_imported",
            "feedback",
            source,
            after={"created": len(created), "updated": len(changed), "unchanged": unchanged},
        )
    return CsatImport(file=source, created=len(created), updated=len(changed), unchanged=unchanged)


def _listened(hub: Hub) -> bool:
    return hub.hook.implemented("feedback_received_batch", "feedback_received")


def csat_figures(rows: list[dict[str, Any]]) -> dict[str, Any] | None:
    """% of 4-5 scores, mean and count; None when there is no rating."""
    if not rows:
        return None
    scores = [r["rating"] for r in rows]
    return {
        "count": len(scores),
        "mean": round(sum(scores) / len(scores), 2),
        "satisfied_pct": round(100 * sum(1 for s in scores if s >= 4) / len(scores)),
    }


def csat_rows(
    hub: Hub, agent_ids: list[str] | None, start: dt.date, end: dt.date
) -> list[dict[str, Any]]:
    sql = "SELECT recipient_id, rating, text, given_on FROM feedback"
    where = " WHERE kind = ? AND given_on BETWEEN ? AND ?"
    params: list[Any] = [kinds.CUSTOMER, start.isoformat(), end.isoformat()]
    if agent_ids is not None:
        if not agent_ids:
            return []
        # through each agent's own ratings: the (kind, day) index the planner would
        # otherwise pick reads every rating of the period, for every packet
        sql += " INDEXED BY feedback_recipient_kind_day"
        where += " AND recipient_id IN ({})".format(", ".join("?" * len(agent_ids)))
        params.extend(agent_ids)
    return list(hub.db.query(sql + where + " ORDER BY given_on", params))


def csat_summary(
    hub: Hub, agent_ids: list[str] | None, start: dt.date, end: dt.date
) -> dict[str, Any]:
    """Overall CSAT and its monthly trend for the agents given (None: everyone)."""
    from corehub_feedback.results import months_between

    rows = csat_rows(hub, agent_ids, start, end)
    by_month: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        by_month.setdefault(r["given_on"][:7], []).append(r)
    return {
        "overall": csat_figures(rows),
        "trend": [
            {"month": m, "figures": csat_figures(by_month.get(m, []))}
            for m in months_between(start, end)
        ],
    }
