"""Ticket imports of exports of any size: read as a stream, written in chunks inside one
transaction, and still all-or-nothing with every problem of the file in one run."""

from __future__ import annotations

import json
import random
import sqlite3
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


def _other_writer(hub: Any) -> sqlite3.Connection:
    """Another connection to the workspace, as the web app or another command has, that
    gives up at once when the write lock is held."""
    return sqlite3.connect(hub.db_path, timeout=0.05, isolation_level=None)


def test_other_writers_go_on_while_the_file_is_read(
    team: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _export(tmp_path / "z.csv", 450)
    team.db.execute("CREATE TABLE other_writes (n INTEGER)")
    chunks = corehub_quality.tickets._chunks
    written: list[int] = []

    def between_chunks(tickets: Any, size: int) -> Any:
        # each time a chunk of the file has been read, someone else writes
        for n, chunk in enumerate(chunks(tickets, size)):
            other = _other_writer(team)
            try:
                other.execute("INSERT INTO other_writes VALUES (?)", (n,))
            finally:
                other.close()
            written.append(n)
            yield chunk

    monkeypatch.setattr(corehub_quality.tickets, "_chunks", between_chunks)
    result = import_tickets(team, path)
    assert written == [0, 1, 2, 3, 4]
    assert (result.created, result.updated, result.unchanged) == (450, 0, 0)
    assert team.db.execute("SELECT count(*) FROM other_writes").fetchone()[0] == 5
    # importing it again, with the same writers about: all unchanged
    again = import_tickets(team, path)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 450)


def test_a_person_removed_while_the_file_is_read_writes_nothing(
    team: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _export(tmp_path / "z.csv", 300)
    chunks = corehub_quality.tickets._chunks

    def remove_after_reading(tickets: Any, size: int) -> Any:
        yield from chunks(tickets, size)
        # matched to alpha-02 while reading; gone (a restored backup, a hand edit) before
        # the rows are written
        team.db.execute("PRAGMA foreign_keys = OFF")
        team.db.execute("DELETE FROM people_match WHERE person_id = 'alpha-02'")
        team.db.execute("DELETE FROM people WHERE id = 'alpha-02'")
        team.db.execute("PRAGMA foreign_keys = ON")

    monkeypatch.setattr(corehub_quality.tickets, "_chunks", remove_after_reading)
    with pytest.raises(ValidationError) as caught:
        import_tickets(team, path)
    assert "the workspace changed while the file was read" in caught.value.summary
    assert caught.value.problems == ["person 'alpha-02' was removed; import the file again"]
    assert _state(team) == ([], 0)


def test_a_link_on_many_rows_keeps_a_few_of_them_and_counts_all(team: Any, tmp_path: Path) -> None:
    tickets = [
        {"id": n, "assignee_id": 2, "linked_articles": ["KB-9", "KB-1"] if n > 5 else ["KB-1"]}
        for n in range(1, 351)
    ]
    users = [{"id": 2, "name": "A", "email": "alpha-02@example.org"}]
    path = tmp_path / "t.json"
    path.write_text(json.dumps({"tickets": tickets, "users": users}), encoding="utf-8")
    result = import_tickets(team, path)
    assert (result.created, result.links) == (350, 695)
    [kb1, kb9] = sorted(result.unknown_links, key=lambda u: u.link)
    # the first twenty rows, in the file's order across chunks, and how many there are
    assert (kb1.link, kb1.count, kb1.rows) == (
        "KB-1",
        350,
        tuple(f"tickets[{n}]" for n in range(20)),
    )
    assert (kb9.link, kb9.count, kb9.rows) == (
        "KB-9",
        345,
        tuple(f"tickets[{n}]" for n in range(5, 25)),
    )


def test_the_command_names_a_few_rows_of_a_link_and_counts_the_rest(
    team: Any, cli: Any, tmp_path: Path
) -> None:
    tickets = [{"id": n, "assignee_id": 2, "linked_articles": ["KB-1"]} for n in range(1, 31)]
    users = [{"id": 2, "name": "A", "email": "alpha-02@example.org"}]
    path = tmp_path / "t.json"
    path.write_text(json.dumps({"tickets": tickets, "users": users}), encoding="utf-8")
    result = cli("quality", "import-tickets", str(path))
    assert result.exit_code == 0, result.output
    rows = ", ".join(f"tickets[{n}]" for n in range(20))
    assert f"1 linked article(s) not imported yet: 'KB-1' ({rows} and 10 more)." in result.stderr
    data = cli("quality", "import-tickets", str(path), "--json").json()
    assert data["unknown_links"] == [
        {"link": "KB-1", "rows": [f"tickets[{n}]" for n in range(20)], "count": 30}
    ]


def test_a_json_ticket_without_an_id_is_a_problem_and_id_0_is_a_ticket(
    team: Any, tmp_path: Path
) -> None:
    users = [{"id": 2, "name": "A", "email": "alpha-02@example.org"}]
    path = tmp_path / "t.json"
    tickets: list[dict[str, Any]] = [
        {"id": 0, "assignee_id": 2},
        {"assignee_id": 2},
        {"id": None, "assignee_id": 2},
        {"id": 5, "assignee_id": 2},
    ]
    path.write_text(json.dumps({"tickets": tickets, "users": users}), encoding="utf-8")
    with pytest.raises(ValidationError) as caught:
        import_tickets(team, path)
    assert caught.value.problems == [
        f"t.json, tickets[{n}], field id: missing; every ticket needs its id" for n in (1, 2)
    ]
    assert _state(team) == ([], 0)
    del tickets[1:3]
    path.write_text(json.dumps({"tickets": tickets, "users": users}), encoding="utf-8")
    result = import_tickets(team, path)
    assert result.created == 2
    stored = [r[0] for r in team.db.execute("SELECT ticket_id FROM quality_tickets ORDER BY id")]
    assert stored == ["0", "5"]


def test_the_builders_export_leaves_no_part_file_when_it_stops(team: Any, tmp_path: Path) -> None:
    path = tmp_path / "out" / "tickets.json"
    path.parent.mkdir()

    def stop(ticket: dict[str, Any], agent: Any) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        demo.write_export(team, random.Random(3), path, stop)
    assert list(path.parent.iterdir()) == []
