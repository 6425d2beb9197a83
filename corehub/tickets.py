"""Reading the ticket exports help desk systems produce.

One reader serves every plugin that needs tickets (quality grading, customer
satisfaction): a Zendesk CSV export, the JSON of Zendesk's tickets API, a Freshdesk CSV
export and a Jira Service Management CSV export are recognised by their headers, with
no mapping; any other CSV is read with ``mapping`` (``{"their column": "our field"}``,
the ``--map COLUMN=field`` of the commands).

The reader only reads: it returns :class:`Ticket` records, each with the row it came
from, and lists *every* problem of the file at once (row, column, what to do). Who the
assignee is in corehub is decided by ``hub.people.finder`` (:class:`corehub.people.PeopleFinder`):
by exact id, else id or e-mail address in any case, else a unique full name.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from corehub.errors import ValidationError
from corehub.people import People, PeopleFinder
from corehub.tabular import decode, normalise_header, read_table

if TYPE_CHECKING:
    from corehub.context import HubContext
    from corehub.models import Person

FIELDS = (
    "ticket_id",
    "subject",
    "agent",
    "agent_email",
    "requester",
    "channel",
    "status",
    "created_at",
    "solved_at",
    "rating",
    "rating_comment",
    "conversation",
    "articles",
)
"""Our names for a ticket's fields (the right-hand side of ``--map``)."""

UNRATED = frozenset({"", "offered", "unoffered", "not offered", "not_offered", "none", "-"})
"""Satisfaction values that mean "no rating was given" (counted and skipped, not errors)."""

# Each known CSV export: its name, the headers (normalised) that recognise it, and how its
# headers map to our fields. The signature is what every export of that system carries.
_FORMATS: tuple[tuple[str, frozenset[str], dict[str, str]], ...] = (
    (
        "zendesk",
        frozenset({"id", "assignee", "via", "satisfaction_score"}),
        {
            "id": "ticket_id",
            "subject": "subject",
            "assignee": "agent",
            "assignee_email": "agent_email",
            "requester": "requester",
            "via": "channel",
            "status": "status",
            "created_at": "created_at",
            "solved_at": "solved_at",
            "satisfaction_score": "rating",
            "satisfaction_comment": "rating_comment",
            "description": "conversation",
            "linked_articles": "articles",
            "knowledge_articles": "articles",
        },
    ),
    (
        "freshdesk",
        frozenset({"ticket_id", "agent", "source", "created_time"}),
        {
            "ticket_id": "ticket_id",
            "subject": "subject",
            "agent": "agent",
            "agent_email": "agent_email",
            "full_name": "requester",
            "source": "channel",
            "status": "status",
            "created_time": "created_at",
            "resolved_time": "solved_at",
            "survey_results": "rating",
            "satisfaction_rating": "rating",
            "survey_comment": "rating_comment",
            "description": "conversation",
            "linked_articles": "articles",
            "solution_articles": "articles",
        },
    ),
    (
        "jira",
        frozenset({"issue_key", "summary", "assignee", "created"}),
        {
            "issue_key": "ticket_id",
            "summary": "subject",
            "assignee": "agent",
            "assignee_id": "agent_email",
            "reporter": "requester",
            "custom_field_(source)": "channel",
            "custom_field_(request_type)": "channel",
            "status": "status",
            "created": "created_at",
            "resolved": "solved_at",
            "custom_field_(satisfaction)": "rating",
            "satisfaction": "rating",
            "satisfaction_rating": "rating",
            "custom_field_(satisfaction_comment)": "rating_comment",
            "description": "conversation",
            "linked_articles": "articles",
            "custom_field_(linked_articles)": "articles",
            "custom_field_(knowledge_articles)": "articles",
        },
    ),
)

_CHANNELS = {
    "mail": "email",
    "e-mail": "email",
    "email": "email",
    "web": "web",
    "web_form": "web",
    "portal": "web",
    "web widget": "chat",
    "chat": "chat",
    "native_messaging": "chat",
    "messaging": "chat",
    "whatsapp": "chat",
    "phone": "phone",
    "voice": "phone",
    "call": "phone",
}


@attrs.frozen(kw_only=True)
class Message:
    """One message of a ticket's conversation."""

    author: str = ""
    body: str = ""
    at: str = ""


@attrs.frozen(kw_only=True)
class Ticket:
    """One ticket as the export gives it; ``row`` says where it is (row or JSON position)."""

    source: str
    ticket_id: str
    row: str
    agent: str = ""
    """The assignee as the export names them: an email, a person id or a name."""
    agent_email: str = ""
    subject: str = ""
    requester: str = ""
    channel: str = ""
    """``email``, ``chat``, ``web``, ``phone`` or the export's own word, lowercase."""
    status: str = ""
    created_at: dt.datetime | None = None
    solved_at: dt.datetime | None = None
    rating: str = ""
    """The satisfaction value as exported (``good``, ``bad``, ``offered``, ``4``...), lowercase."""
    rating_comment: str = ""
    conversation: tuple[Message, ...] = ()
    articles: tuple[str, ...] = ()
    """Knowledge articles the ticket was solved with, as the export names them (ids, URLs
    or ``source:id``), each once, in the export's order."""

    @property
    def key(self) -> tuple[str, str]:
        return (self.source, self.ticket_id)

    @property
    def rated(self) -> bool:
        return self.rating.strip().lower() not in UNRATED

    @property
    def day(self) -> dt.date | None:
        """The day the ticket counts for: solved, else created."""
        moment = self.solved_at or self.created_at
        return moment.date() if moment else None


@attrs.frozen
class TicketExport:
    """What a file held: its format (``zendesk``, ``zendesk-json``, ...) and its tickets."""

    path: Path
    format: str
    source: str
    tickets: tuple[Ticket, ...]


def parse_map(
    pairs: Iterable[str], fields: Sequence[str] = FIELDS, example: str = "Agente=agent"
) -> dict[str, str]:
    """``["Agente=agent", "Nota="]`` to ``{"agente": "agent", "nota": ""}`` (``=`` alone ignores).

    ``fields`` are the names a column may be read as (a ticket's by default; an importer of
    other records passes its own), ``example`` shows one pair in the error message.
    """
    mapping: dict[str, str] = {}
    problems = []
    for pair in pairs:
        theirs, eq, ours = pair.partition("=")
        ours = normalise_header(ours) if ours.strip() else ""
        if not eq or not theirs.strip():
            problems.append(f"{pair!r}: use COLUMN=field, e.g. {example!r}")
        elif ours and ours not in fields:
            problems.append(f"{pair!r}: {ours!r} is not one of {', '.join(fields)}")
        else:
            mapping[normalise_header(theirs)] = ours
    if problems:
        raise ValidationError("bad --map:", problems)
    return mapping


def parse_moment(text: str) -> dt.datetime:
    """``2026-11-03``, ``2026-11-03 14:22``, ``2026-11-03T14:22:05Z``, ``03/11/2026 14:22``,
    Jira's ``03/Nov/26 2:22 PM``; a time without zone is taken as UTC."""
    text = text.strip()
    if not text:
        raise ValueError("empty")
    candidate = text.replace("Z", "+00:00")
    moment: dt.datetime | None = None
    try:
        moment = dt.datetime.fromisoformat(candidate)
    except ValueError:
        for pattern in (
            "%d/%m/%Y %H:%M:%S",
            "%d/%m/%Y %H:%M",
            "%d/%m/%Y",
            "%d.%m.%Y %H:%M",
            "%d.%m.%Y",
            "%d/%b/%y %I:%M %p",
            "%d/%b/%Y %I:%M %p",
            "%Y-%m-%d %H:%M:%S %z",
            "%a, %d %b %Y %H:%M:%S %z",
        ):
            try:
                moment = dt.datetime.strptime(text, pattern)
                break
            except ValueError:
                continue
        if moment is None:
            raise ValueError(
                f"{text!r} is not a date and time (use e.g. 2026-11-03 14:22 or 03/11/2026)"
            ) from None
    assert moment is not None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment


def article_links(value: Any) -> tuple[str, ...]:
    """The article links of one ticket: a cell of ids or URLs separated by commas,
    semicolons, spaces or line breaks (or a JSON list of them), each once, in order."""
    if value is None:
        return ()
    items = value if isinstance(value, list) else [value]
    found: list[str] = []
    for item in items:
        for part in str(item).replace(",", " ").replace(";", " ").split():
            if part not in found:
                found.append(part)
    return tuple(found)


def channel_of(text: str) -> str:
    word = text.strip().lower()
    return _CHANNELS.get(word, _CHANNELS.get(word.replace(" ", "_"), word))


def detect_csv(headers: Iterable[str]) -> str | None:
    """The export a CSV header row belongs to, or None."""
    found = {normalise_header(h) for h in headers}
    for name, signature, _aliases in _FORMATS:
        if signature <= found:
            return name
    return None


def _expected() -> str:
    return (
        "; ".join(f"{name}: {', '.join(sorted(signature))}" for name, signature, _ in _FORMATS)
        + "; Zendesk tickets API JSON: a 'tickets' list"
    )


def read_tickets(
    path: Path | str,
    mapping: Mapping[str, str] | None = None,
    *,
    source: str | None = None,
) -> TicketExport:
    """Read a ticket export; a ValidationError lists every problem of the file.

    ``mapping`` (their column -> our field) reads any CSV; with it, a known export's own
    header names still apply to the columns it does not name. ``source`` names the system
    for keys (default: the format's name, ``csv`` for a mapped file).
    """
    path = Path(path)
    mapping = {normalise_header(k): v for k, v in (mapping or {}).items()}
    if path.suffix.lower() == ".json":
        return _read_json(path, source or "zendesk")
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ValidationError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise ValidationError(f"{path}: is a folder, not a ticket export") from None
    text = decode(raw, path).lstrip()
    if text.startswith(("{", "[")):
        return _read_json(path, source or "zendesk")
    first = text.splitlines()[0] if text.strip() else ""
    delimiter = max((";", ",", "\t"), key=first.count)
    headers = [h.strip().strip('"') for h in first.split(delimiter)]
    fmt = detect_csv(headers)
    aliases: dict[str, str] = {}
    if fmt is not None:
        aliases = dict(next(a for n, _s, a in _FORMATS if n == fmt))
    elif not mapping:
        raise ValidationError(
            f"{path.name}: not a ticket export corehub recognises (row 1 has: "
            f"{', '.join(headers)})",
            [
                f"expected the headers of one of: {_expected()}",
                "for any other CSV, name its columns: --map 'Ticket=ticket_id' --map "
                "'Agent=agent' (fields: " + ", ".join(FIELDS) + ")",
            ],
        )
    # Mapped columns win; "=" alone drops a column; of two columns an export could use for
    # one field, the first wins; every other column is kept unused.
    aliases |= mapping
    resolved: dict[str, str] = {}
    taken: set[str] = set()
    for header in (normalise_header(h) for h in headers):
        field = aliases.get(header, header if header in FIELDS and fmt is None else "")
        if field and field not in taken:
            resolved[header] = field
            taken.add(field)
        else:
            resolved[header] = f"__unused_{header}"
    table = read_table(
        path,
        required=("ticket_id",),
        optional=FIELDS,
        aliases=resolved,
        allow_unknown=True,
    )
    if "agent" not in table.columns and "agent_email" not in table.columns:
        raise ValidationError(
            f"{path.name}: wrong header (row 1):",
            ["no assignee column: name it with --map 'COLUMN=agent' (or agent_email)"],
        )
    name = source or fmt or "csv"
    problems: list[str] = []
    tickets: list[Ticket] = []
    seen: dict[str, int] = {}
    for row in table:
        where = functools.partial(table.where, row)
        ticket_id = row.get("ticket_id")
        row_problems = []
        if not ticket_id:
            row_problems.append(f"{where('ticket_id')}: empty; every ticket needs its id")
        elif ticket_id in seen:
            row_problems.append(
                f"{where('ticket_id')}: ticket {ticket_id!r} again (also on row "
                f"{seen[ticket_id]}); export each ticket once"
            )
        else:
            seen[ticket_id] = row.number
        moments: dict[str, dt.datetime | None] = {}
        for column in ("created_at", "solved_at"):
            value = row.get(column)
            moments[column] = None
            if value:
                try:
                    moments[column] = parse_moment(value)
                except ValueError as exc:
                    row_problems.append(f"{where(column)}: {exc}")
        if not row.get("agent") and not row.get("agent_email"):
            row_problems.append(
                f"{where('agent')}: empty; assign the ticket in the help desk system or "
                "leave it out of the export"
            )
        if row_problems:
            problems.extend(row_problems)
            continue
        body = row.get("conversation")
        tickets.append(
            Ticket(
                source=name,
                ticket_id=ticket_id,
                row=f"row {row.number}",
                agent=row.get("agent"),
                agent_email=row.get("agent_email"),
                subject=row.get("subject"),
                requester=row.get("requester"),
                channel=channel_of(row.get("channel")),
                status=row.get("status").lower(),
                created_at=moments["created_at"],
                solved_at=moments["solved_at"],
                rating=row.get("rating").lower(),
                rating_comment=row.get("rating_comment"),
                conversation=(Message(author=row.get("requester"), body=body),) if body else (),
                articles=article_links(row.get("articles")),
            )
        )
    if not table.rows:
        problems.append(f"{path.name}: no tickets in the file")
    if problems:
        raise ValidationError(f"{path.name}: nothing was imported; fix these problems:", problems)
    return TicketExport(path=path, format=fmt or "mapped", source=name, tickets=tuple(tickets))


def _read_json(path: Path, source: str) -> TicketExport:
    try:
        data = json.loads(decode(path.read_bytes(), path))
    except FileNotFoundError:
        raise ValidationError(f"{path}: no such file") from None
    except json.JSONDecodeError as exc:
        raise ValidationError(
            f"{path.name}: not valid JSON (line {exc.lineno}, column {exc.colno}): {exc.msg}"
        ) from None
    if isinstance(data, dict) and isinstance(data.get("tickets"), list):
        items = data["tickets"]
    elif isinstance(data, dict) and isinstance(data.get("ticket"), dict):
        items = [data["ticket"]]
    elif isinstance(data, list):
        items = data
    else:
        raise ValidationError(
            f"{path.name}: not a ticket export corehub recognises",
            [
                "expected the JSON of Zendesk's tickets API: an object with a 'tickets' list "
                "(add ?include=users to carry the assignees' emails)",
                f"for CSV files: {_expected()}",
            ],
        )
    users = {
        str(u.get("id")): u
        for u in (data.get("users") or [] if isinstance(data, dict) else [])
        if isinstance(u, dict)
    }
    loose_comments: dict[str, list[dict[str, Any]]] = {}
    if isinstance(data, dict):
        for comment in data.get("comments") or []:
            if isinstance(comment, dict) and comment.get("ticket_id") is not None:
                loose_comments.setdefault(str(comment["ticket_id"]), []).append(comment)
    problems: list[str] = []
    tickets: list[Ticket] = []
    seen: dict[str, int] = {}
    for index, item in enumerate(items):
        where = f"{path.name}, tickets[{index}]"
        if not isinstance(item, dict):
            problems.append(f"{where}: not a ticket object")
            continue
        ticket_id = str(item.get("id") or "").strip()
        if not ticket_id:
            problems.append(f"{where}, field id: missing; every ticket needs its id")
            continue
        if ticket_id in seen:
            problems.append(
                f"{where}, field id: ticket {ticket_id!r} again (also tickets[{seen[ticket_id]}])"
            )
            continue
        seen[ticket_id] = index
        assignee = users.get(str(item.get("assignee_id")), {})
        agent_email = str(item.get("assignee_email") or assignee.get("email") or "")
        agent = agent_email or str(assignee.get("name") or item.get("assignee_id") or "")
        if not agent:
            problems.append(f"{where}, field assignee_id: empty; assign the ticket or leave it out")
        via = item.get("via")
        channel = via.get("channel", "") if isinstance(via, dict) else str(via or "")
        rating = item.get("satisfaction_rating")
        score = comment = ""
        if isinstance(rating, dict):
            score = str(rating.get("score") or "")
            comment = str(rating.get("comment") or "")
        elif rating:
            score = str(rating)
        moments: dict[str, dt.datetime | None] = {}
        metrics = item.get("metric_set") if isinstance(item.get("metric_set"), dict) else {}
        for field, value in (
            ("created_at", item.get("created_at")),
            ("solved_at", item.get("solved_at") or (metrics or {}).get("solved_at")),
        ):
            moments[field] = None
            if value:
                try:
                    moments[field] = parse_moment(str(value))
                except ValueError as exc:
                    problems.append(f"{where}, field {field}: {exc}")
        requester = users.get(str(item.get("requester_id")), {})
        raw_comments = item.get("comments") or loose_comments.get(ticket_id) or []
        conversation = tuple(
            Message(
                author=str(
                    users.get(str(c.get("author_id")), {}).get("name") or c.get("author_id") or ""
                ),
                body=str(c.get("body") or c.get("plain_body") or ""),
                at=str(c.get("created_at") or ""),
            )
            for c in raw_comments
            if isinstance(c, dict)
        )
        if not conversation and item.get("description"):
            conversation = (
                Message(author=str(requester.get("name") or ""), body=str(item["description"])),
            )
        tickets.append(
            Ticket(
                source=source,
                ticket_id=ticket_id,
                row=f"tickets[{index}]",
                agent=agent,
                agent_email=agent_email,
                subject=str(item.get("subject") or item.get("raw_subject") or ""),
                requester=str(requester.get("name") or requester.get("email") or ""),
                channel=channel_of(channel),
                status=str(item.get("status") or "").lower(),
                created_at=moments["created_at"],
                solved_at=moments["solved_at"],
                rating=score.lower(),
                rating_comment=comment,
                conversation=conversation,
                articles=article_links(item.get("linked_articles") or item.get("article_links")),
            )
        )
    if not items:
        problems.append(f"{path.name}: no tickets in the file")
    if problems:
        raise ValidationError(f"{path.name}: nothing was imported; fix these problems:", problems)
    return TicketExport(path=path, format="zendesk-json", source=source, tickets=tuple(tickets))


class AgentIndex:
    """Deprecated: use ``hub.people.finder(texts, include_inactive=True)`` and
    ``finder.match(ticket.agent_email, ticket.agent)`` (a :class:`corehub.people.PersonMatch`,
    whose ``problem(where)`` says why nobody was found). Kept, with a ``DeprecationWarning``,
    for one release: it finds people by those rules."""

    def __init__(self, people: Iterable[Person]):
        _deprecated()
        given = list(people)

        def read(keys: set[str]) -> list[Person]:
            found, given[:] = list(given), []
            return found

        self._finder = PeopleFinder(read, include_inactive=True, today=dt.date.today())

    @classmethod
    def of(cls, hub: HubContext, tickets: Iterable[Ticket] | None = None) -> AgentIndex:
        """The index of the people ``tickets`` may name (read by key), or of anyone asked."""
        _deprecated()
        index = cls.__new__(cls)
        texts = (t for ticket in tickets or () for t in (ticket.agent_email, ticket.agent))
        index._finder = People(hub).finder(texts, include_inactive=True)
        return index

    def find(self, ticket: Ticket) -> tuple[Person | None, str]:
        """The assignee, or None and what is wrong (for the problem list)."""
        match = self._finder.match(ticket.agent_email, ticket.agent)
        return match.person, "" if match.person else str(match.problem())


def _deprecated() -> None:
    import warnings

    warnings.warn(
        "corehub.loaders.AgentIndex is deprecated: use hub.people.finder(texts, "
        "include_inactive=True) and its match(ticket.agent_email, ticket.agent)",
        DeprecationWarning,
        stacklevel=3,
    )
