"""Importing tickets: one row per (source, ticket id), agents matched to people.

The file is read by corehub's ticket reader (:mod:`corehub.tickets`), ticket by ticket; this
module only matches each ticket's assignee to a person and stores the tickets in chunks
inside one transaction, so an export of millions of tickets imports in bounded memory.
Importing the same export again changes nothing; a newer export updates the tickets
that changed. A problem in any row means nothing is written.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from corehub.errors import ValidationError
from corehub.loaders import Ticket, stream_tickets
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
    """Import a ticket export (all-or-nothing; importing it again changes nothing).

    The file is read twice, ticket by ticket, so memory does not grow with it: first to
    check every row and gather the distinct assignees it names, then to match and write
    the tickets in chunks of :data:`CHUNK`, all in one transaction. Any problem (every one
    of the file is reported) rolls the whole import back."""
    with stream_tickets(path, mapping, source=source) as export:
        texts = export.assignees()
        if export.problems:
            raise ValidationError(
                f"{export.path.name}: nothing was imported; fix these problems:", export.problems
            )
        # Tickets of people who have left since are still theirs: everyone is found.
        agents = hub.people.finder(texts, include_inactive=True)
        del texts
        problems: list[str] = []
        created = updated = unchanged = links = 0
        unknown: dict[str, list[str]] = {}
        now = hub.clock.now().isoformat()
        with hub.atomic() as db:
            for chunk in _chunks(export, CHUNK):
                rows: list[dict[str, Any]] = []
                for ticket in chunk:
                    match = agents.match(ticket.agent_email, ticket.agent)
                    if match.person is None:
                        where = f"{export.path.name}, {ticket.row}, column agent"
                        problems.append(match.problem(where))
                    elif not problems:
                        rows.append(_row(export.source, ticket, match.person.id))
                if problems:
                    continue  # nothing more is written; every problem is still found
                counts = sync_rows(
                    db,
                    TABLE,
                    key="ticket_id",
                    where={"source": export.source},
                    rows=rows,
                    compared=_COMPARED,
                    now=now,
                )
                created, updated, unchanged = (
                    a + b for a, b in zip((created, updated, unchanged), counts, strict=True)
                )
                links += reuse.store(db, export.source, {t.ticket_id: t.articles for t in chunk})
                for found in reuse.unknown(db, ((a, t.row) for t in chunk for a in t.articles)):
                    unknown.setdefault(found.link, []).extend(found.rows)
            # assignees nobody matches; or the file changed between the two readings
            if export.problems or problems:
                raise ValidationError(
                    f"{export.path.name}: nothing was imported; fix these problems:",
                    [*export.problems, *problems],
                )
            unknown_links = [reuse.UnknownLink(link=k, rows=tuple(v)) for k, v in unknown.items()]
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
                    "unknown_links": [u.link for u in unknown_links],
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
        unknown_links=tuple(unknown_links),
    )


CHUNK = 2000
"""Tickets matched, compared with the stored ones and written at a time."""


def _chunks(tickets: Iterable[Ticket], size: int) -> Iterator[list[Ticket]]:
    chunk: list[Ticket] = []
    for ticket in tickets:
        chunk.append(ticket)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _row(source: str, ticket: Ticket, agent_id: str) -> dict[str, Any]:
    return {
        "source": source,
        "ticket_id": ticket.ticket_id,
        "agent_id": agent_id,
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


def ticket_label(row: Mapping[str, Any]) -> str:
    """``zendesk:101``: how commands and files name a ticket."""
    return f"{row['source']}:{row['ticket_id']}"
