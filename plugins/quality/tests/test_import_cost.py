"""Ticket and article imports read the rows of their own file, never every stored row.

The work an import does (SQLite virtual-machine steps, counted with a progress handler:
no clock) stays the same when 30,000 more tickets or articles of the same system are
stored already; reading those rows, as a whole-table lookup of duplicates does, takes
hundreds of thousands of steps more.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from corehub_quality.articles import import_articles
from corehub_quality.tickets import import_tickets

from .conftest import zendesk_csv
from .test_articles import GUIDE

STORED = 30_000


def _work(hub: Any, load: Any, path: Path) -> tuple[int, Any]:
    steps = 0

    def step() -> int:
        nonlocal steps
        steps += 1
        return 0

    hub.db.conn.set_progress_handler(step, 1000)
    try:
        result = load(hub, path)
    finally:
        hub.db.conn.set_progress_handler(None, 1000)
    return steps, result


def test_a_ticket_import_reads_its_own_tickets(team: Any, tmp_path: Path) -> None:
    path = tmp_path / "zendesk.csv"
    path.write_text(zendesk_csv(per_agent=4), encoding="utf-8")
    small, first = _work(team, import_tickets, path)
    assert first.created == 12
    stored = team.db.execute("SELECT * FROM quality_tickets LIMIT 1").fetchone()
    columns = [c[0] for c in team.db.execute("SELECT * FROM quality_tickets LIMIT 1").description]
    template = dict(zip(columns, stored, strict=True))
    with team.atomic() as db:
        db.table("quality_tickets").insert_all(
            template | {"id": None, "ticket_id": f"OLD-{n}", "conversation": "[]" * 20}
            for n in range(STORED)
        )
    later = re.sub(r"^1(\d\d),", r"9\1,", zendesk_csv(per_agent=4, month="2026-03"), flags=re.M)
    path.write_text(later, "utf-8")
    large, second = _work(team, import_tickets, path)
    assert (second.created, second.updated, second.unchanged) == (12, 0, 0)
    assert large <= small + 20, (small, large)
    # the same file again: every ticket found, none written
    _, again = _work(team, import_tickets, path)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 12)


def test_an_article_import_reads_its_own_articles(team: Any, tmp_path: Path) -> None:
    path = tmp_path / "guide.csv"
    path.write_text(GUIDE, encoding="utf-8")
    small, first = _work(team, import_articles, path)
    assert first.created == 3
    row = team.db.execute("SELECT * FROM quality_articles LIMIT 1")
    template = dict(zip([c[0] for c in row.description], row.fetchone(), strict=True))
    with team.atomic() as db:
        db.table("quality_articles").insert_all(
            template | {"id": None, "article_id": f"OLD-{n}"} for n in range(STORED)
        )
    path.write_text(GUIDE.replace("\n50", "\n70").replace("VPN drops", "VPN stops"), "utf-8")
    large, second = _work(team, import_articles, path)
    assert (second.created, second.updated, second.unchanged) == (3, 0, 0)
    assert large <= small + 20, (small, large)


def _links(hub: Any) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for r in hub.db.query(
        "SELECT t.ticket_id, l.link FROM quality_tickets t "
        "LEFT JOIN quality_ticket_links l ON l.ticket_row = t.id"
    ):
        found.setdefault(r["ticket_id"], set())
        if r["link"] is not None:
            found[r["ticket_id"]].add(r["link"])
    return found


def test_a_later_export_changes_only_the_links_that_changed(team: Any, tmp_path: Path) -> None:
    def export(links: dict[int, list[Any]]) -> Path:
        tickets = [
            {"id": n, "assignee_email": "alpha-01@example.org", "linked_articles": wanted}
            for n, wanted in links.items()
        ]
        path = tmp_path / "tickets.json"
        path.write_text(json.dumps({"tickets": tickets}), encoding="utf-8")
        return path

    first = import_tickets(team, export({1: [701, 702], 2: [701], 3: [], 4: [703]}))
    assert first.links == 4
    assert _links(team) == {"1": {"701", "702"}, "2": {"701"}, "3": set(), "4": {"703"}}
    kept = team.db.execute("SELECT rowid FROM quality_ticket_links WHERE link = '703'").fetchone()[
        0
    ]
    # 1 loses a link, 2 changes its link, 3 gains one, 4 is the same; 5 is new
    import_tickets(team, export({1: [701], 2: [704], 3: [705, 706], 4: [703], 5: [701]}))
    assert _links(team) == {
        "1": {"701"},
        "2": {"704"},
        "3": {"705", "706"},
        "4": {"703"},
        "5": {"701"},
    }
    assert (
        team.db.execute("SELECT rowid FROM quality_ticket_links WHERE link = '703'").fetchone()[0]
        == kept
    )  # an unchanged ticket's links are left alone
    # an export with only some tickets leaves the others' links as they are
    import_tickets(team, export({2: []}))
    assert _links(team)["2"] == set() and _links(team)["1"] == {"701"}


def test_a_ticket_import_looks_up_only_the_articles_it_links(team: Any, tmp_path: Path) -> None:
    """Which links name no imported article is decided from the articles those links
    name: 30,000 more articles in the knowledge base leave the import's work the same."""
    guide = tmp_path / "guide.csv"
    guide.write_text(GUIDE, encoding="utf-8")
    import_articles(team, guide)

    def export(month: int) -> Path:
        tickets = [
            {
                "id": month * 100 + n,
                "assignee_email": "alpha-01@example.org",
                "linked_articles": [501, "https://help.example.org/hc/en-us/articles/777-Gone"],
            }
            for n in range(5)
        ]
        path = tmp_path / f"tickets-{month}.json"
        path.write_text(json.dumps({"tickets": tickets}), encoding="utf-8")
        return path

    small, first = _work(team, import_tickets, export(1))
    assert [u.link for u in first.unknown_links] == [
        "https://help.example.org/hc/en-us/articles/777-Gone"
    ]
    row = team.db.execute("SELECT * FROM quality_articles LIMIT 1")
    template = dict(zip([c[0] for c in row.description], row.fetchone(), strict=True))
    with team.atomic() as db:
        db.table("quality_articles").insert_all(
            template | {"id": None, "article_id": f"OLD-{n}"} for n in range(STORED)
        )
    large, second = _work(team, import_tickets, export(2))
    assert [u.link for u in second.unknown_links] == [u.link for u in first.unknown_links]
    assert len(second.unknown_links[0].rows) == 5
    assert large <= small + 20, (small, large)


def test_imports_read_the_people_they_name_not_everyone(team: Any, tmp_path: Path) -> None:
    """Agents and authors are looked up by e-mail address, id or name: 5,000 more people
    in the organization leave a ticket or article import's work the same."""
    from corehub.models import Person

    tickets, guide = tmp_path / "zendesk.csv", tmp_path / "guide.csv"
    tickets.write_text(zendesk_csv(per_agent=2), encoding="utf-8")
    guide.write_text(GUIDE, encoding="utf-8")
    small = [_work(team, import_tickets, tickets)[0], _work(team, import_articles, guide)[0]]
    team.people.save(
        Person(id=f"p{n:05}", name=f"Person {n}", email=f"p{n}@example.org") for n in range(5_000)
    )
    later = re.sub(r"^1(\d\d),", r"9\1,", zendesk_csv(per_agent=2, month="2026-03"), flags=re.M)
    tickets.write_text(later, encoding="utf-8")
    guide.write_text(GUIDE.replace("\n50", "\n70"), encoding="utf-8")
    large = [_work(team, import_tickets, tickets)[0], _work(team, import_articles, guide)[0]]
    assert all(b <= a + 20 for a, b in zip(small, large, strict=True)), (small, large)
