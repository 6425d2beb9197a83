"""Article reuse from ticket links: the tickets solved with each knowledge article.

A ticket export may carry the articles each ticket was solved with (Zendesk's
``Linked articles``, Freshdesk's ``Solution articles``, or any column read as
``articles`` with ``--map``): ids, article URLs or ``source:id``, several per ticket.
Each link is stored with the (source, article id) it names, and counted against the
article when that article is imported, before or after the tickets. A link that names
no known article is not an error: the import reports each such link once, with its rows,
and it counts as soon as the article arrives.

An article's reuse is the number of distinct tickets linked to it; where the article
export carries its own count (``Linked tickets``), the larger of the two is shown (the
export may count tickets corehub never imported; a ticket linked twice counts once).
Reuse is an outcome of an article, never a ranking of its author.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import parse_qs, urlsplit

import attrs

from corehub_quality.upsert import KEYS_PER_QUERY

LINKS = "quality_ticket_links"
ARTICLES = "quality_articles"
_SOURCE = re.compile(r"^([a-z][a-z0-9_-]{0,31}):([^/:]+)$")
_ARTICLE_PATH = re.compile(r"/articles/(\d+)")
_PAGE_PATH = re.compile(r"/pages/(\d+)")


@attrs.frozen
class UnknownLink:
    """A link that names no imported article, and the rows that carry it: ``rows`` are the
    first of them (an import keeps :data:`EXAMPLE_ROWS`), ``count`` is how many carry it."""

    link: str
    rows: tuple[str, ...]
    count: int = attrs.field(default=attrs.Factory(lambda self: len(self.rows), takes_self=True))


EXAMPLE_ROWS = 20
"""Rows an import names for each unknown link (the rest are counted)."""


def parse_link(text: str) -> tuple[str | None, str]:
    """(source or None, article id) a link names: a Zendesk Guide article URL
    (``.../hc/en-us/articles/360001234-Printer-offline``), a Confluence page URL
    (``...?pageId=12345`` or ``.../pages/12345/Title``), ``source:id`` or a bare id."""
    text = text.strip().strip("#")
    if text.lower().startswith(("http://", "https://")):
        parts = urlsplit(text)
        for pattern in (_ARTICLE_PATH, _PAGE_PATH):
            found = pattern.search(parts.path)
            if found:
                return None, found.group(1)
        page = parse_qs(parts.query).get("pageId")
        if page:
            return None, page[0]
        last = [p for p in parts.path.split("/") if p]
        return None, (last[-1].split("-", 1)[0] if last else text)
    found = _SOURCE.match(text)
    if found:
        return found.group(1), found.group(2)
    return None, text


def store(db: Any, source: str, links: Mapping[str, tuple[str, ...]]) -> int:
    """Keep the link rows of the tickets of ``source`` in ``links`` (ticket id -> links) in
    step with the export: rows added or removed only where a ticket's links changed.
    Returns how many links the tickets carry. Run inside the import's transaction."""
    tickets = list(links)
    rows: dict[str, int] = {}
    stored: dict[int, set[str]] = {}
    for start in range(0, len(tickets), KEYS_PER_QUERY):
        chunk = tickets[start : start + KEYS_PER_QUERY]
        marks = ", ".join("?" * len(chunk))
        # this file's tickets only, through the (source, ticket_id) index
        for r in db.query(
            f"SELECT t.id, t.ticket_id, l.link FROM quality_tickets t LEFT JOIN {LINKS} l "
            f"ON l.ticket_row = t.id WHERE t.source = ? AND t.ticket_id IN ({marks})",
            [source, *chunk],
        ):
            rows[r["ticket_id"]] = r["id"]
            if r["link"] is not None:
                stored.setdefault(r["id"], set()).add(r["link"])
    added: list[dict[str, Any]] = []
    dropped: list[tuple[int]] = []
    for ticket_id, wanted in links.items():
        row = rows.get(ticket_id)
        if row is None or stored.get(row, set()) == set(wanted):
            continue
        if row in stored:
            dropped.append((row,))
        for link in wanted:
            link_source, article_id = parse_link(link)
            added.append(
                {"ticket_row": row, "link": link, "source": link_source, "article_id": article_id}
            )
    db.conn.executemany(f"DELETE FROM {LINKS} WHERE ticket_row = ?", dropped)
    db.table(LINKS).insert_all(added, batch_size=2000)
    return sum(len(v) for v in links.values())


def unknown(db: Any, links: Iterable[tuple[str, str]]) -> list[UnknownLink]:
    """The links (link, row) that name no imported article, each once with its rows."""
    parsed = [(link, row, *parse_link(link)) for link, row in links]
    named = sorted({article_id for _, _, _, article_id in parsed})
    known: dict[str, set[str]] = {}
    for chunk in range(0, len(named), 500):  # only the ids the links name, by their index
        part = named[chunk : chunk + 500]
        for r in db.query(
            f"SELECT source, article_id FROM {ARTICLES} "
            f"WHERE article_id IN ({', '.join('?' * len(part))})",
            part,
        ):
            known.setdefault(r["article_id"], set()).add(r["source"])
    found: dict[str, list[str]] = {}
    for link, row, source, article_id in parsed:
        sources = known.get(article_id, set())
        if sources and (source is None or source in sources):
            continue
        found.setdefault(link, []).append(row)
    return [UnknownLink(link=k, rows=tuple(v)) for k, v in found.items()]


def linked_counts(hub: Any, author_id: str | None = None) -> dict[int, int]:
    """Article row -> distinct tickets linked to it (of one author's articles, or all)."""
    sql = (
        f"SELECT a.id AS article_row, COUNT(DISTINCT l.ticket_row) AS n FROM {LINKS} l "
        f"JOIN {ARTICLES} a ON a.article_id = l.article_id "
        "AND (l.source IS NULL OR l.source = a.source)"
    )
    args: list[Any] = []
    if author_id is not None:
        sql += " WHERE a.author_id = ?"
        args.append(author_id)
    sql += " GROUP BY a.id"
    return {r["article_row"]: r["n"] for r in hub.db.query(sql, args)}


def reuse_of(article: Mapping[str, Any], linked: Mapping[int, int]) -> int:
    """An article's reuse: its linked tickets, or the export's own count when larger."""
    return max(int(article["reuse"] or 0), linked.get(article["id"], 0))


def dumps(links: tuple[str, ...]) -> str:
    return json.dumps(list(links), ensure_ascii=False)
