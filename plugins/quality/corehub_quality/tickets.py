"""Importing tickets: one row per (source, ticket id), agents matched to people.

The file is read by corehub's ticket reader (:mod:`corehub.tickets`); this module only
matches each ticket's assignee to a person and stores the tickets in one transaction.
Importing the same export again changes nothing; a newer export updates the tickets
that changed. A problem in any row means nothing is written.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from corehub.errors import ValidationError
from corehub.loaders import read_tickets
from corehub_quality import reuse
from corehub_quality.upsert import sync_rows

if TYPE_CHECKING:
    from corehub import Hub

TABLE = "quality_tickets"
_COMPARED = (
    "agent_id",
    "subject",
    "requester",
    "channel",
    "status",
    "created_at",
    "solved_at",
    "day",
    "rating",
    "rating_comment",
    "conversation",
    "links",
)


@attrs.frozen
class TicketImport:
    """What an import did."""

    file: str
    format: str
    source: str
    created: int
    updated: int
    unchanged: int
    links: int = 0
    """Article links the file's tickets carry (reuse: tickets solved with an article)."""
    unknown_links: tuple[reuse.UnknownLink, ...] = ()
    """Links naming no imported article (not an error: they count once it is imported)."""


def import_tickets(
    hub: Hub,
    path: Path | str,
    mapping: Mapping[str, str] | None = None,
    *,
    source: str | None = None,
) -> TicketImport:
    """Import a ticket export (all-or-nothing; importing it again changes nothing)."""
    export = read_tickets(path, mapping, source=source)
    # Tickets of people who have left since are still theirs: everyone is found.
    agents = hub.people.finder(
        (t for ticket in export.tickets for t in (ticket.agent_email, ticket.agent)),
        include_inactive=True,
    )
    problems: list[str] = []
    rows: list[dict[str, Any]] = []
    for ticket in export.tickets:
        match = agents.match(ticket.agent_email, ticket.agent)
        agent = match.person
        if agent is None:
            problems.append(match.problem(f"{export.path.name}, {ticket.row}, column agent"))
            continue
        rows.append(
            {
                "source": export.source,
                "ticket_id": ticket.ticket_id,
                "agent_id": agent.id,
                "subject": ticket.subject,
                "requester": ticket.requester,
                "channel": ticket.channel,
                "status": ticket.status,
                "created_at": ticket.created_at.isoformat() if ticket.created_at else None,
                "solved_at": ticket.solved_at.isoformat() if ticket.solved_at else None,
                "day": ticket.day.isoformat() if ticket.day else None,
                "rating": ticket.rating,
                "rating_comment": ticket.rating_comment,
                "conversation": json.dumps(
                    [attrs.asdict(m) for m in ticket.conversation], ensure_ascii=False
                ),
                "links": reuse.dumps(ticket.articles),
            }
        )
    if problems:
        raise ValidationError(
            f"{export.path.name}: nothing was imported; fix these problems:", problems
        )
    now = hub.clock.now().isoformat()
    with hub.atomic() as db:
        created, updated, unchanged = sync_rows(
            db,
            TABLE,
            key="ticket_id",
            where={"source": export.source},
            rows=rows,
            compared=_COMPARED,
            now=now,
        )
        links = reuse.store(db, export.source, {t.ticket_id: t.articles for t in export.tickets})
        unknown = reuse.unknown(db, ((a, t.row) for t in export.tickets for a in t.articles))
        hub.audit.record(
            "quality.tickets_imported",
            "quality_tickets",
            export.path.name,
            after={
                "source": export.source,
                "created": created,
                "updated": updated,
                "unchanged": unchanged,
                "links": links,
                "unknown_links": [u.link for u in unknown],
            },
        )
    return TicketImport(
        file=export.path.name,
        format=export.format,
        source=export.source,
        created=created,
        updated=updated,
        unchanged=unchanged,
        links=links,
        unknown_links=tuple(unknown),
    )


def ticket_label(row: Mapping[str, Any]) -> str:
    """``zendesk:101``: how commands and files name a ticket."""
    return f"{row['source']}:{row['ticket_id']}"
