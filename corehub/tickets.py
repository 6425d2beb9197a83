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

import codecs
import datetime as dt
import functools
import re
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from corehub.errors import ValidationError
from corehub.people import People, PeopleFinder
from corehub.tabular import TableStream, normalise_header, stream_table, text_encoding

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
        moment = _day_first(text)
    if moment is None:
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
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment


_DAY_FIRST = re.compile(
    r"(\d{1,2})/(\d{1,2})/(\d{4})(?: (\d{1,2}):(\d{1,2})(?::(\d{1,2}))?)?"
    r"|(\d{1,2})\.(\d{1,2})\.(\d{4})(?: (\d{1,2}):(\d{1,2}))?"
)


def _day_first(text: str) -> dt.datetime | None:
    """``03/11/2026 14:22[:05]``, ``03.11.2026 14:22`` and their days alone, read without
    ``strptime`` (a million tickets' dates are read twice on import); None for others."""
    found = _DAY_FIRST.fullmatch(text)
    if found is None:
        return None
    parts = [int(g) if g else 0 for g in found.groups()]
    day, month, year, hour, minute, second = parts[:6] if found.group(1) else (*parts[6:], 0)
    try:
        return dt.datetime(year, month, day, hour, minute, second)
    except ValueError:
        return None


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


class TicketStream:
    """A ticket export read ticket by ticket (:func:`stream_tickets`), for files of any size.

    Iterating reads the file from the start and yields each ticket that has no problem of
    its own; the problems of the rows it skipped, and of the file, are in ``problems`` once
    the iteration has ended (each naming file and row). Iterate again to read the file
    again. Memory does not grow with the file: the ids already seen (a ticket exported
    twice), and the users and comments a Zendesk export lists beside its tickets, are kept
    in a temporary database on disk while the stream is open (``close()``, or ``with``).
    """

    def __init__(
        self, path: Path, fmt: str, source: str, rows: Callable[[TicketStream], Iterator[Ticket]]
    ) -> None:
        self.path = path
        self.format = fmt
        self.source = source
        self.problems: list[str] = []
        self.count = 0
        """Tickets (rows or JSON objects) the last iteration met, with problems or not."""
        self.light = False
        self._rows = rows
        self._scratch: sqlite3.Connection | None = None

    def __iter__(self) -> Iterator[Ticket]:
        return self._read(light=False)

    def assignees(self) -> set[str]:
        """Read the file once to check it: the distinct texts its tickets name their
        assignees by (for ``hub.people.finder``); its problems are then in ``problems``.
        Cheaper than iterating: a ticket's conversation and links are not read."""
        texts: set[str] = set()
        for ticket in self._read(light=True):
            texts.add(ticket.agent_email)
            texts.add(ticket.agent)
        return texts

    def _read(self, *, light: bool) -> Iterator[Ticket]:
        self.problems = []
        self.count = 0
        self.light = light
        db = self.scratch
        db.execute("DELETE FROM seen")
        yield from self._rows(self)
        if not self.count:
            self.problems.append(f"{self.path.name}: no tickets in the file")

    def first_seen(self, ticket_id: str, where: str) -> str | None:
        """Where ``ticket_id`` was met before in this iteration (None the first time)."""
        db = self.scratch
        if db.execute("INSERT OR IGNORE INTO seen VALUES (?, ?)", (ticket_id, where)).rowcount:
            return None
        found = db.execute("SELECT at FROM seen WHERE id = ?", (ticket_id,)).fetchone()
        return str(found[0])

    @property
    def scratch(self) -> sqlite3.Connection:
        if self._scratch is None:
            # "" is a private temporary database: in memory while small, then on disk,
            # deleted when closed
            self._scratch = sqlite3.connect("")
            self._scratch.executescript(
                "CREATE TABLE seen (id TEXT PRIMARY KEY, at TEXT) WITHOUT ROWID;"
                "CREATE TABLE users (id TEXT PRIMARY KEY, name TEXT, email TEXT) WITHOUT ROWID;"
                "CREATE TABLE comments (ticket TEXT, author TEXT, body TEXT, at TEXT);"
                "CREATE INDEX comments_ticket ON comments (ticket);"
            )
        return self._scratch

    def close(self) -> None:
        if self._scratch is not None:
            self._scratch.close()
            self._scratch = None

    def __enter__(self) -> TicketStream:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def read(self) -> TicketExport:
        """Every ticket at once (a ValidationError lists every problem of the file)."""
        with self:
            tickets = tuple(self)
            if self.problems:
                raise ValidationError(
                    f"{self.path.name}: nothing was imported; fix these problems:", self.problems
                )
        return TicketExport(path=self.path, format=self.format, source=self.source, tickets=tickets)


def read_tickets(
    path: Path | str,
    mapping: Mapping[str, str] | None = None,
    *,
    source: str | None = None,
) -> TicketExport:
    """Read a ticket export; a ValidationError lists every problem of the file.

    ``mapping`` (their column -> our field) reads any CSV; with it, a known export's own
    header names still apply to the columns it does not name. ``source`` names the system
    for keys (default: the format's name, ``csv`` for a mapped file). This holds every
    ticket; :func:`stream_tickets` reads an export of any size in bounded memory.
    """
    return stream_tickets(path, mapping, source=source).read()


def stream_tickets(
    path: Path | str,
    mapping: Mapping[str, str] | None = None,
    *,
    source: str | None = None,
) -> TicketStream:
    """The export as a :class:`TicketStream` (the arguments are :func:`read_tickets`').

    What is wrong with the file as a whole (no such file, an unknown header, not JSON) is
    raised at once; the problems of its rows are found while iterating."""
    path = Path(path)
    mapping = {normalise_header(k): v for k, v in (mapping or {}).items()}
    if not path.exists():
        raise ValidationError(f"{path}: no such file")
    if path.is_dir():
        raise ValidationError(f"{path}: is a folder, not a ticket export")
    if path.suffix.lower() == ".json":
        return _json_stream(path, source or "zendesk")
    encoding = text_encoding(path)
    with path.open(encoding=encoding, newline="") as handle:
        start = handle.read(4096).lstrip()
        while not start and (more := handle.read(_PEEK)):
            start = more.lstrip()
    if start.startswith(("{", "[")):
        return _json_stream(path, source or "zendesk")
    with path.open(encoding=encoding, newline="") as handle:
        first = ""
        for line in handle:
            if line.strip():
                first = line.strip()
                break
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
    table = stream_table(
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
    return TicketStream(
        path, fmt or "mapped", source or fmt or "csv", functools.partial(_csv_tickets, table)
    )


_PEEK = 1 << 16


def _csv_tickets(table: TableStream, stream: TicketStream) -> Iterator[Ticket]:
    problems = stream.problems
    name = stream.source
    for row in table:
        stream.count += 1
        where = functools.partial(table.where, row)
        ticket_id = row.get("ticket_id")
        row_problems = []
        if not ticket_id:
            row_problems.append(f"{where('ticket_id')}: empty; every ticket needs its id")
        else:
            before = stream.first_seen(ticket_id, str(row.number))
            if before is not None:
                row_problems.append(
                    f"{where('ticket_id')}: ticket {ticket_id!r} again (also on row "
                    f"{before}); export each ticket once"
                )
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
        if stream.light:  # checking: the assignee is all the caller needs
            yield Ticket(
                source=name,
                ticket_id=ticket_id,
                row=f"row {row.number}",
                agent=row.get("agent"),
                agent_email=row.get("agent_email"),
            )
            continue
        body = row.get("conversation")
        yield Ticket(
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


class _Utf8:
    """A file read as UTF-8 bytes (ijson reads bytes): the byte-order mark skipped, a
    Windows code page file re-encoded as it is read."""

    def __init__(self, path: Path, encoding: str) -> None:
        self._text = path.open(encoding=encoding, newline="")

    def read(self, size: int = -1) -> bytes:
        if size == 0:  # ijson asks for nothing to learn whether the file gives bytes
            return b""
        return self._text.read(size if size < 0 else max(1, size // 4)).encode("utf-8")

    def close(self) -> None:
        self._text.close()


def _json_file(path: Path, encoding: str) -> Any:
    if encoding == "utf-8-sig":
        handle = path.open("rb")
        if handle.read(3) != codecs.BOM_UTF8:
            handle.seek(0)
        return handle
    return _Utf8(path, encoding)


def _json_error(path: Path, exc: Exception) -> ValidationError:
    detail = " ".join(str(exc).split())
    return ValidationError(f"{path.name}: not valid JSON: {detail}")


def _json_stream(path: Path, source: str) -> TicketStream:
    """A Zendesk tickets API export (an object with a ``tickets`` list, the ``users`` and
    ``comments`` it side-loads; one ``ticket``; or a list of tickets), read in two passes:
    the first finds its shape and keeps its users and loose comments in the stream's
    scratch database, the second yields the tickets."""
    import ijson

    try:
        encoding = text_encoding(path)
    except ValidationError as exc:
        if "the file is empty" not in exc.summary:
            raise
        raise ValidationError(f"{path.name}: not valid JSON: the file is empty") from None
    stream = TicketStream(path, "zendesk-json", source, lambda s: iter(()))
    try:
        shape = _shape(path, encoding)
        if shape != "item":
            # the users and loose comments, wherever they are in the file (Zendesk lists
            # them after the tickets): scanned by ijson's C parser, kept on disk
            _side_loads(path, encoding, stream.scratch)
    except StopIteration:
        stream.close()
        raise ValidationError(f"{path.name}: not valid JSON: the file is empty") from None
    except ijson.JSONError as exc:
        stream.close()
        raise _json_error(path, exc) from None
    except BaseException:  # a disk error, Ctrl-C: the scratch database is not left open
        stream.close()
        raise
    if not shape:
        stream.close()
        raise ValidationError(
            f"{path.name}: not a ticket export corehub recognises",
            [
                "expected the JSON of Zendesk's tickets API: an object with a 'tickets' list "
                "(add ?include=users to carry the assignees' emails)",
                f"for CSV files: {_expected()}",
            ],
        )
    stream._rows = functools.partial(_json_tickets, shape, encoding)
    return stream


def _shape(path: Path, encoding: str) -> str:
    """Where the file's tickets are: ``item`` (a list), ``tickets.item`` (an object's
    ``tickets`` list), ``ticket`` (one ticket), or "" (none). Reads up to the tickets; a
    file without a ``tickets`` list is read whole (and checked to be JSON)."""
    import ijson

    handle = _json_file(path, encoding)
    try:
        events = ijson.parse(handle, use_float=True)
        _prefix, first, _value = next(events)
        if first == "start_array":
            for _ in events:  # the rest must be valid JSON too
                pass
            return "item"
        if first != "start_map":
            return ""
        one = False
        for prefix, event, _value in events:
            if prefix == "tickets" and event == "start_array":
                return "tickets.item"
            one = one or (prefix == "ticket" and event == "start_map")
        return "ticket" if one else ""
    finally:
        handle.close()


def _side_loads(path: Path, encoding: str, db: sqlite3.Connection) -> None:
    """Keep the export's ``users`` and loose ``comments`` in ``db``, a thousand at a time."""
    import ijson

    for prefix, keep in (("users.item", _user), ("comments.item", _comment)):
        handle = _json_file(path, encoding)
        try:
            batch: list[tuple[str, ...]] = []
            for item in ijson.items(handle, prefix, use_float=True):
                row = keep(item) if isinstance(item, dict) else None
                if row is not None:
                    batch.append(row)
                if len(batch) >= 1000:
                    _keep(db, prefix, batch)
            _keep(db, prefix, batch)
        finally:
            handle.close()


def _user(item: dict[str, Any]) -> tuple[str, ...]:
    return (str(item.get("id")), str(item.get("name") or ""), str(item.get("email") or ""))


def _comment(item: dict[str, Any]) -> tuple[str, ...] | None:
    if item.get("ticket_id") is None:
        return None
    return (
        str(item["ticket_id"]),
        str(item.get("author_id") or ""),
        str(item.get("body") or item.get("plain_body") or ""),
        str(item.get("created_at") or ""),
    )


def _keep(db: sqlite3.Connection, prefix: str, batch: list[tuple[str, ...]]) -> None:
    if prefix == "users.item":  # the last of one id wins, as in a dict
        db.executemany("INSERT OR REPLACE INTO users VALUES (?, ?, ?)", batch)
    else:
        db.executemany("INSERT INTO comments VALUES (?, ?, ?, ?)", batch)
    batch.clear()


def _json_tickets(shape: str, encoding: str, stream: TicketStream) -> Iterator[Ticket]:
    import ijson

    path = stream.path
    source = stream.source
    problems = stream.problems
    db = stream.scratch
    loose = db.execute("SELECT 1 FROM comments LIMIT 1").fetchone() is not None

    cache: dict[str, dict[str, str]] = {}

    def user(key: Any) -> dict[str, str]:
        # the agents come back on every ticket, a requester on its comments: a bounded cache
        key = str(key)
        found = cache.get(key)
        if found is None:
            if len(cache) >= 2048:
                cache.clear()
            row = db.execute("SELECT name, email FROM users WHERE id = ?", (key,)).fetchone()
            found = cache[key] = {"name": row[0], "email": row[1]} if row else {}
        return found

    handle = _json_file(path, encoding)
    try:
        for index, item in enumerate(ijson.items(handle, shape, use_float=True)):
            stream.count += 1
            where = f"{path.name}, tickets[{index}]"
            known = len(problems)
            if not isinstance(item, dict):
                problems.append(f"{where}: not a ticket object")
                continue
            ticket_id = item.get("id")
            ticket_id = "" if ticket_id is None else str(ticket_id).strip()
            if not ticket_id:
                problems.append(f"{where}, field id: missing; every ticket needs its id")
                continue
            before = stream.first_seen(ticket_id, str(index))
            if before is not None:
                problems.append(
                    f"{where}, field id: ticket {ticket_id!r} again (also tickets[{before}])"
                )
                continue
            assignee = user(item.get("assignee_id"))
            agent_email = str(item.get("assignee_email") or assignee.get("email") or "")
            agent = agent_email or str(assignee.get("name") or item.get("assignee_id") or "")
            if not agent:
                problems.append(
                    f"{where}, field assignee_id: empty; assign the ticket or leave it out"
                )
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
            if len(problems) > known:
                continue
            if stream.light:  # checking: the assignee is all the caller needs
                yield Ticket(
                    source=source,
                    ticket_id=ticket_id,
                    row=f"tickets[{index}]",
                    agent=agent,
                    agent_email=agent_email,
                )
                continue
            requester = user(item.get("requester_id"))
            raw_comments = item.get("comments") or (
                [
                    {"author_id": r[0], "body": r[1], "created_at": r[2]}
                    for r in db.execute(
                        "SELECT author, body, at FROM comments WHERE ticket = ? ORDER BY rowid",
                        (ticket_id,),
                    )
                ]
                if loose
                else []
            )
            conversation = tuple(
                Message(
                    author=str(user(c.get("author_id")).get("name") or c.get("author_id") or ""),
                    body=str(c.get("body") or c.get("plain_body") or ""),
                    at=str(c.get("created_at") or ""),
                )
                for c in raw_comments
                if isinstance(c, dict)
            )
            if not conversation and item.get("description"):
                conversation = (
                    Message(author=requester.get("name") or "", body=str(item["description"])),
                )
            if len(problems) > known:
                continue
            yield Ticket(
                source=source,
                ticket_id=ticket_id,
                row=f"tickets[{index}]",
                agent=agent,
                agent_email=agent_email,
                subject=str(item.get("subject") or item.get("raw_subject") or ""),
                requester=requester.get("name") or requester.get("email") or "",
                channel=channel_of(channel),
                status=str(item.get("status") or "").lower(),
                created_at=moments["created_at"],
                solved_at=moments["solved_at"],
                rating=score.lower(),
                rating_comment=comment,
                conversation=conversation,
                articles=article_links(item.get("linked_articles") or item.get("article_links")),
            )
    except ijson.JSONError as exc:
        raise _json_error(path, exc) from None
    finally:
        handle.close()


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
