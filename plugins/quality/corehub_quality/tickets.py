"""Importing tickets: one row per (source, ticket id), agents matched to people.

The file is read by corehub's ticket reader (:mod:`corehub.tickets`), ticket by ticket; this
module only matches each ticket's assignee to a person, stages the finished rows on disk
and then stores them in chunks inside one short transaction, so an export of millions of
tickets imports in bounded memory without holding the workspace's write lock while the
file is read.
Importing the same export again changes nothing; a newer export updates the tickets
that changed. A problem in any row means nothing is written.
"""

from __future__ import annotations

import json
import sqlite3
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
    check every row and gather the distinct assignees it names, then to match each ticket
    to its agent and stage the finished rows in a private temporary database on disk.
    Neither reading holds the workspace's write lock, so the web app and other commands
    keep writing while a large file is read. Only then one short transaction writes the
    staged rows in chunks of :data:`CHUNK`, after checking that every agent they name is
    still in the workspace. Any problem (every one of the file is reported) writes
    nothing."""
    with stream_tickets(path, mapping, source=source) as export, _Staging() as staged:
        name = export.path.name
        texts = export.assignees()
        if export.problems:
            raise ValidationError(
                f"{name}: nothing was imported; fix these problems:", export.problems
            )
        # Tickets of people who have left since are still theirs: everyone is found.
        agents = hub.people.finder(texts, include_inactive=True)
        del texts
        problems: list[str] = []
        examples: dict[str, list[str]] = {}  # the first rows of each unknown link
        carried: dict[str, int] = {}  # and how many rows carry it
        for chunk in _chunks(export, CHUNK):
            rows: list[dict[str, Any]] = []
            for ticket in chunk:
                match = agents.match(ticket.agent_email, ticket.agent)
                if match.person is None:
                    problems.append(match.problem(f"{name}, {ticket.row}, column agent"))
                elif not problems:
                    rows.append(_row(export.source, ticket, match.person.id))
            if problems:
                continue  # nothing more is staged; every problem is still found
            staged.add(rows)
            # a read of the articles the chunk names (no write lock): listed, not refused
            for found in reuse.unknown(hub.db, ((a, t.row) for t in chunk for a in t.articles)):
                first = examples.setdefault(found.link, [])
                first.extend(found.rows[: reuse.EXAMPLE_ROWS - len(first)])
                carried[found.link] = carried.get(found.link, 0) + found.count
        # assignees nobody matches; or the file changed between the two readings
        if export.problems or problems:
            raise ValidationError(
                f"{name}: nothing was imported; fix these problems:",
                [*export.problems, *problems],
            )
        unknown_links = tuple(
            reuse.UnknownLink(link=link, rows=tuple(first), count=carried[link])
            for link, first in examples.items()
        )
        del examples, carried
        created = updated = unchanged = links = 0
        now = hub.clock.now().isoformat()
        with hub.atomic() as db:
            # the people matched above may have been removed while the file was read
            gone = _missing_people(db, staged.agents())
            if gone:
                raise ValidationError(
                    f"{name}: nothing was imported; the workspace changed while the file was read:",
                    [
                        f"person {person_id!r} was removed; import the file again"
                        for person_id in gone
                    ],
                )
            for rows in staged.chunks(CHUNK):
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
                links += reuse.store(
                    db, export.source, {r["ticket_id"]: tuple(json.loads(r["links"])) for r in rows}
                )
            hub.audit.record(
                "quality.tickets_imported",
                "quality_tickets",
                name,
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
        file=name,
        format=export.format,
        source=export.source,
        created=created,
        updated=updated,
        unchanged=unchanged,
        links=links,
        unknown_links=unknown_links,
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


_COLUMNS = ("source", "ticket_id", "agent_id", *_COMPARED[1:])


class _Staging:
    """The rows an import will write, finished outside its transaction: kept in a private
    temporary SQLite database (in memory while small, then on disk; deleted when closed),
    so neither memory nor the write lock grows with the file."""

    def __init__(self) -> None:
        self._db = sqlite3.connect("")
        self._db.execute(f"CREATE TABLE staged ({', '.join(_COLUMNS)})")
        self._insert = f"INSERT INTO staged VALUES ({', '.join('?' * len(_COLUMNS))})"

    def add(self, rows: list[dict[str, Any]]) -> None:
        self._db.executemany(self._insert, [tuple(r[c] for c in _COLUMNS) for r in rows])

    def agents(self) -> list[str]:
        """The distinct people the staged rows name."""
        return [r[0] for r in self._db.execute("SELECT DISTINCT agent_id FROM staged")]

    def chunks(self, size: int) -> Iterator[list[dict[str, Any]]]:
        """The staged rows, ``size`` at a time, in the file's order."""
        cursor = self._db.execute(f"SELECT {', '.join(_COLUMNS)} FROM staged ORDER BY rowid")
        while batch := cursor.fetchmany(size):
            yield [dict(zip(_COLUMNS, r, strict=True)) for r in batch]

    def __enter__(self) -> _Staging:
        return self

    def __exit__(self, *exc: object) -> None:
        self._db.close()


def _missing_people(db: Any, ids: list[str]) -> list[str]:
    """The ``ids`` no person of the workspace has (a keyed lookup of these ids only)."""
    found: set[str] = set()
    for start in range(0, len(ids), 500):
        part = ids[start : start + 500]
        marks = ", ".join("?" * len(part))
        found.update(r[0] for r in db.execute(f"SELECT id FROM people WHERE id IN ({marks})", part))
    return sorted(set(ids) - found)


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
