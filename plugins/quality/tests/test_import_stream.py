"""Ticket imports of exports of any size: read as a stream, written in chunks inside one
transaction, and still all-or-nothing with every problem of the file in one run."""

from __future__ import annotations

import json
import random
import tracemalloc
from pathlib import Path
from typing import Any

import pytest

import corehub_quality.tickets
from corehub.errors import ValidationError
from corehub_quality import demo
from corehub_quality.tickets import import_tickets

from .conftest import HEADER

CHUNK = 100


@pytest.fixture(autouse=True)
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Chunks of 100 tickets, so a file of a thousand is written in ten."""
    monkeypatch.setattr(corehub_quality.tickets, "CHUNK", CHUNK)


def _export(
    path: Path, tickets: int, *, subject: str = "Case", rows: dict[int, str] | None = None
) -> Path:
    """A Zendesk CSV export of ``tickets`` tickets (ids 1..n) over the three alpha agents;
    ``rows`` replaces a ticket's line (by ticket number)."""
    lines = [HEADER]
    for n in range(1, tickets + 1):
        line = (
            f"{n},{subject} {n},Customer {n},Alpha Agent {1 + n % 3},Support,Solved,Mail,"
            f"2026-02-{1 + n % 28:02d} 09:00,2026-02-{1 + n % 28:02d} 10:00,Good,\n"
        )
        lines.append((rows or {}).get(n, line))
    path.write_text("".join(lines), encoding="utf-8")
    return path


def _state(hub: Any) -> tuple[list[tuple[Any, ...]], int]:
    tickets = [tuple(r) for r in hub.db.execute("SELECT * FROM quality_tickets ORDER BY id")]
    events = hub.db.execute(
        "SELECT count(*) FROM events WHERE action = 'quality.tickets_imported'"
    ).fetchone()[0]
    return tickets, events


def _bad(n: int, agent: str = "Zed Unknown", created: str = "2026-02-01 09:00") -> str:
    return f"{n},Case {n},Customer {n},{agent},Support,Solved,Mail,{created},,Good,\n"


def test_a_problem_in_the_last_row_of_a_large_file_writes_nothing(
    team: Any, tmp_path: Path
) -> None:
    first = import_tickets(team, _export(tmp_path / "z.csv", 1000))
    assert (first.created, first.updated, first.unchanged) == (1000, 0, 0)
    before = _state(team)
    # a newer export changes every ticket and adds new ones; two rows name nobody, the
    # last one among them: nine chunks are written before it is met, then rolled back
    newer = _export(
        tmp_path / "z.csv", 1200, subject="Reopened", rows={450: _bad(450), 1200: _bad(1200)}
    )
    with pytest.raises(ValidationError) as caught:
        import_tickets(team, newer)
    assert [p.split(":")[0] for p in caught.value.problems] == [
        "z.csv, row 451, column agent",
        "z.csv, row 1201, column agent",
    ]
    assert "'Zed Unknown'" in caught.value.problems[1]
    assert _state(team) == before
    # a problem the reader finds (a bad date) on the last row: the same
    newer = _export(
        tmp_path / "z.csv",
        1200,
        subject="Reopened",
        rows={1200: _bad(1200, "Alpha Agent 1", "soon")},
    )
    with pytest.raises(ValidationError) as caught:
        import_tickets(team, newer)
    assert [p.split(":")[0] for p in caught.value.problems] == [
        "z.csv, row 1201, column created_at"
    ]
    assert _state(team) == before
    # fixed, the newer export updates what changed and adds the rest, over many chunks
    fixed = import_tickets(team, _export(tmp_path / "z.csv", 1200, subject="Reopened"))
    assert (fixed.created, fixed.updated, fixed.unchanged) == (200, 1000, 0)
    again = import_tickets(team, tmp_path / "z.csv")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1200)
    stored = team.db.execute("SELECT count(*), min(subject) FROM quality_tickets").fetchone()
    assert tuple(stored) == (1200, "Reopened 1")


def test_a_ticket_twice_in_one_file_is_a_problem_wherever_it_is(team: Any, tmp_path: Path) -> None:
    # today's rule, kept: each ticket once; the second row names the first
    path = _export(tmp_path / "z.csv", 700, rows={650: _bad(7, "Alpha Agent 1")})
    with pytest.raises(ValidationError) as caught:
        import_tickets(team, path)
    assert caught.value.problems == [
        "z.csv, row 651, column ticket_id: ticket '7' again (also on row 8); export each "
        "ticket once"
    ]
    assert _state(team) == ([], 0)


def test_links_and_unknown_links_are_kept_across_chunks(team: Any, tmp_path: Path) -> None:
    tickets = [
        {"id": n, "assignee_id": 2, "linked_articles": ["KB-1"] if n % 150 == 0 else []}
        for n in range(1, 451)
    ]
    users = [{"id": 2, "name": "A", "email": "alpha-02@example.org"}]
    path = tmp_path / "t.json"
    path.write_text(json.dumps({"tickets": tickets, "users": users}), encoding="utf-8")
    result = import_tickets(team, path)
    assert (result.created, result.links) == (450, 3)
    assert [(u.link, u.rows) for u in result.unknown_links] == [
        ("KB-1", ("tickets[149]", "tickets[299]", "tickets[449]"))
    ]
    event = team.db.execute(
        "SELECT after FROM events WHERE action = 'quality.tickets_imported'"
    ).fetchone()[0]
    assert (
        json.loads(event).items() >= {"created": 450, "links": 3, "unknown_links": ["KB-1"]}.items()
    )


def _import_peak(hub: Any, path: Path) -> int:
    tracemalloc.start()
    try:
        result = import_tickets(hub, path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert result.created > 0
    return peak


def test_an_import_holds_a_chunk_not_the_file(team: Any, tmp_path: Path) -> None:
    small = _import_peak(team, _export(tmp_path / "small.csv", 600))
    team.db.execute("DELETE FROM quality_tickets")
    large = _import_peak(team, _export(tmp_path / "large.csv", 2400))
    # four times the tickets, not more memory: a chunk at a time (held whole, the rows
    # and tickets of the file grow with it)
    assert large < small * 1.5 + 256 * 1024, (small, large)


def test_the_builders_export_is_written_as_a_stream_with_the_same_tickets(
    team: Any, tmp_path: Path
) -> None:
    whole = demo.export(team, random.Random(3))

    def mark(ticket: dict[str, Any], agent: Any) -> None:
        ticket["linked_articles"] = [agent.id]

    path = tmp_path / "tickets.json"
    count = demo.write_export(team, random.Random(3), path, mark)
    written = json.loads(path.read_text(encoding="utf-8"))
    assert count == len(whole["tickets"]) == written["count"] > 0
    assert written["users"] == whole["users"]
    agents = {u["id"]: u["email"] for u in whole["users"] if "email" in u}
    for ours, theirs in zip(written["tickets"], whole["tickets"], strict=True):
        link = ours.pop("linked_articles")
        assert ours == theirs
        assert [f"{link[0]}@example.org"] == [agents[theirs["assignee_id"]]]
    assert not list(tmp_path.glob("*.part"))
