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
from corehub.loaders import AgentIndex, read_tickets

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


def import_tickets(
    hub: Hub,
    path: Path | str,
    mapping: Mapping[str, str] | None = None,
    *,
    source: str | None = None,
) -> TicketImport:
    """Import a ticket export (all-or-nothing; importing it again changes nothing)."""
    export = read_tickets(path, mapping, source=source)
    agents = AgentIndex.of(hub)
    problems: list[str] = []
    rows: list[dict[str, Any]] = []
    for ticket in export.tickets:
        agent, why = agents.find(ticket)
        if agent is None:
            problems.append(f"{export.path.name}, {ticket.row}, column agent: {why}")
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
            }
        )
    if problems:
        raise ValidationError(
            f"{export.path.name}: nothing was imported; fix these problems:", problems
        )
    created = updated = unchanged = 0
    now = hub.clock.now().isoformat()
    with hub.atomic() as db:
        existing = {
            (r["ticket_id"]): r
            for r in db.query(f"SELECT * FROM {TABLE} WHERE source = ?", [export.source])
        }
        new_rows = []
        for row in rows:
            before = existing.get(row["ticket_id"])
            if before is None:
                new_rows.append(row | {"imported_at": now})
                created += 1
            elif any(before[k] != row[k] for k in _COMPARED):
                db.table(TABLE).update(before["id"], row | {"imported_at": now})
                updated += 1
            else:
                unchanged += 1
        db.table(TABLE).insert_all(new_rows, batch_size=2000)
        hub.audit.record(
            "quality.tickets_imported",
            "quality_tickets",
            export.path.name,
            after={
                "source": export.source,
                "created": created,
                "updated": updated,
                "unchanged": unchanged,
            },
        )
    return TicketImport(
        file=export.path.name,
        format=export.format,
        source=export.source,
        created=created,
        updated=updated,
        unchanged=unchanged,
    )


def ticket_label(row: Mapping[str, Any]) -> str:
    """``zendesk:101``: how commands and files name a ticket."""
    return f"{row['source']}:{row['ticket_id']}"
