"""corehub.loaders.stream_tickets: exports of any size read ticket by ticket.

The reader never holds the file: memory is checked with tracemalloc (bytes, never time)
against the size of the file, and laziness by reading a few tickets of a file that is
broken further on.
"""

from __future__ import annotations

import itertools
import json
import sqlite3
import tracemalloc
from pathlib import Path
from typing import Any

import pytest

from corehub.errors import ValidationError
from corehub.loaders import read_tickets, stream_tickets

BODY = "My VPN drops every ten minutes since this morning; I restarted twice. " * 24
TICKETS = 10_000


def _zendesk_json(path: Path, tickets: int, *, tail: str = "") -> Path:
    with path.open("w", encoding="utf-8") as out:
        out.write('{"tickets": [')
        for n in range(tickets):
            ticket = {
                "id": n + 1,
                "subject": f"VPN {n}",
                "assignee_id": 7,
                "requester_id": 100_000 + n,
                "created_at": "2026-11-02T08:00:00Z",
                "comments": [{"author_id": 100_000 + n, "body": BODY}],
            }
            out.write(("," if n else "") + json.dumps(ticket))
        out.write(tail + '], "users": [{"id": 7, "name": "Eva", "email": "eva@x.org"}')
        for n in range(tickets):
            out.write(f', {{"id": {100_000 + n}, "name": "Customer {n}"}}')
        out.write("]}")
    return path


def _zendesk_csv(path: Path, tickets: int, *, tail: str = "") -> Path:
    with path.open("w", encoding="utf-8") as out:
        out.write("Id,Assignee,Via,Satisfaction Score,Created at,Description\n")
        for n in range(tickets):
            out.write(f'{n + 1},eva@x.org,Mail,Good,2026-11-01 09:00,"{BODY}"\n')
        out.write(tail)
    return path


def _peak(path: Path) -> int:
    """The most memory Python held while the whole file was read, ticket by ticket."""
    tracemalloc.start()
    try:
        with stream_tickets(path) as stream:
            count = sum(1 for _ in stream)
            _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert stream.problems == [] and count == stream.count
    return peak


@pytest.mark.parametrize("write", [_zendesk_json, _zendesk_csv], ids=["json", "csv"])
def test_reading_a_large_export_holds_a_small_part_of_it(tmp_path: Path, write: object) -> None:
    suffix = ".json" if write is _zendesk_json else ".csv"
    small = write(tmp_path / f"small{suffix}", TICKETS // 4)  # type: ignore[operator]
    large = write(tmp_path / f"large{suffix}", TICKETS)  # type: ignore[operator]
    size = large.stat().st_size
    small_peak, large_peak = _peak(small), _peak(large)
    # four times the tickets, not more memory (the whole file as tickets would be several
    # times its size, and grow with it)
    assert large_peak < small_peak * 1.5 + 256 * 1024, (small_peak, large_peak)
    assert large_peak < size / 4, (large_peak, size)


@pytest.mark.parametrize("write", [_zendesk_json, _zendesk_csv], ids=["json", "csv"])
def test_tickets_come_before_the_file_is_read_to_its_end(tmp_path: Path, write: object) -> None:
    broken = ', {"id": ' if write is _zendesk_json else "3,eva@x.org,Mail,Good,yesterday\n"
    name = "t.json" if write is _zendesk_json else "t.csv"
    path = write(tmp_path / name, 2000, tail=broken)  # type: ignore[operator]
    if write is _zendesk_json:
        # the file's shape and side-loaded users are read first: broken JSON is said at once
        with pytest.raises(ValidationError, match=r"t\.json: not valid JSON"):
            stream_tickets(path)
        path = write(tmp_path / name, 2000)  # type: ignore[operator]
    with stream_tickets(path) as stream:
        first = list(itertools.islice(stream, 5))
        assert [t.ticket_id for t in first] == ["1", "2", "3", "4", "5"]
        assert stream.count == 5  # five tickets read, not the file


def test_every_problem_is_found_after_the_whole_file_is_read(tmp_path: Path) -> None:
    path = _zendesk_csv(
        tmp_path / "z.csv", 3000, tail="3,eva@x.org,Mail,Good,yesterday\n,eva,Mail,Good,\n"
    )
    with stream_tickets(path) as stream:
        good = sum(1 for _ in stream)
        problems = list(stream.problems)
    assert good == 3000
    assert problems == [
        "z.csv, row 3002, column ticket_id: ticket '3' again (also on row 4); export each "
        "ticket once",
        "z.csv, row 3002, column created_at: 'yesterday' is not a date and time (use e.g. "
        "2026-11-03 14:22 or 03/11/2026)",
        "z.csv, row 3003, column ticket_id: empty; every ticket needs its id",
    ]
    with pytest.raises(ValidationError) as caught:
        read_tickets(path)
    assert caught.value.problems == problems


def test_a_stream_read_again_reads_the_file_again(tmp_path: Path) -> None:
    path = _zendesk_json(tmp_path / "t.json", 30)
    with stream_tickets(path) as stream:
        once = [t.ticket_id for t in stream]
        again = [t.ticket_id for t in stream]
    assert once == again == [str(n) for n in range(1, 31)]
    assert stream.problems == []  # the ids seen on the first reading are not "again"


def test_json_duplicates_side_loads_and_shapes(tmp_path: Path) -> None:
    data = {
        "users": [{"id": 2, "name": "Eva", "email": "eva@x.org"}, {"id": 1, "name": "Kim"}],
        "tickets": [
            {"id": 31, "assignee_id": 2, "requester_id": 1},
            {"id": 32, "assignee_id": 2},
            {"id": 31, "assignee_id": 2},
        ],
        "comments": [
            {"ticket_id": 31, "author_id": 1, "body": "Where is my refund?"},
            {"ticket_id": 32, "author_id": 2, "body": "Done."},
            {"ticket_id": 31, "author_id": 2, "body": "On its way."},
        ],
    }
    path = tmp_path / "t.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ValidationError) as caught:
        read_tickets(path)
    assert caught.value.problems == [
        "t.json, tickets[2], field id: ticket '31' again (also tickets[0])"
    ]
    data["tickets"].pop()
    path.write_text(json.dumps(data), encoding="utf-8")
    first, second = read_tickets(path).tickets
    assert [(m.author, m.body) for m in first.conversation] == [
        ("Kim", "Where is my refund?"),
        ("Eva", "On its way."),
    ]
    assert (first.requester, second.agent_email) == ("Kim", "eva@x.org")
    # one ticket, a bare list, a byte-order mark, the Windows code page
    one = tmp_path / "one.json"
    one.write_bytes(
        b"\xef\xbb\xbf" + json.dumps({"ticket": {"id": 9, "assignee_id": "eva"}}).encode()
    )
    assert [t.ticket_id for t in read_tickets(one).tickets] == ["9"]
    listed = tmp_path / "list.json"
    listed.write_bytes('[{"id": 8, "subject": "Caf\xe9", "assignee_id": "eva"}]'.encode("cp1252"))
    [ticket] = read_tickets(listed).tickets
    assert ticket.subject == "Café"


def test_json_that_is_not_an_export_says_so(tmp_path: Path) -> None:
    path = tmp_path / "t.json"
    path.write_text('{"tickets": {"id": 1}, "ticket": [1]}', encoding="utf-8")
    with pytest.raises(ValidationError, match="not a ticket export corehub recognises"):
        stream_tickets(path)
    path.write_text('{"tickets": []}', encoding="utf-8")
    with pytest.raises(ValidationError) as caught:
        read_tickets(path)
    assert caught.value.problems == ["t.json: no tickets in the file"]
    path.write_text('{"tickets": [{"id": 1,}]}', encoding="utf-8")
    with pytest.raises(ValidationError, match=r"t\.json: not valid JSON"):
        stream_tickets(path)


def test_day_first_dates_are_read_as_strptime_reads_them() -> None:
    """The day-first forms are read without strptime (twice per ticket on import): the same
    moments, and the same refusals, as the patterns they stand for."""
    import datetime as dt

    from corehub.loaders import parse_moment

    patterns = ("%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d/%m/%Y", "%d.%m.%Y %H:%M", "%d.%m.%Y")
    texts = [
        text
        for day, month, hour, minute in itertools.product(
            (0, 1, 9, 29, 31, 32), (0, 2, 12, 13), (0, 9, 24), (5, 59, 60)
        )
        for text in (
            f"{day:02d}/{month}/2026 {hour}:{minute:02d}",
            f"{day}/{month:02d}/2024",
            f"{day}.{month}.2026 {hour:02d}:{minute}",
            f"{day}/{month}/2026 {hour}:{minute}:{minute}",
            f"{day}.{month}.2026",
            f"{day}.{month}.2026 {hour}:{minute}:{minute}",
        )
    ]
    for text in texts:
        expected = None
        for pattern in patterns:
            try:
                expected = dt.datetime.strptime(text, pattern).replace(tzinfo=dt.UTC)
                break
            except ValueError:
                continue
        try:
            got = parse_moment(text)
        except ValueError:
            got = None
        assert got == expected, text


def test_a_json_ticket_without_an_id_is_a_problem_and_id_0_is_read(tmp_path: Path) -> None:
    path = tmp_path / "t.json"
    tickets = [{"id": 0, "assignee_id": "eva"}, {"assignee_id": "eva"}, {"id": None}, {"id": " "}]
    path.write_text(json.dumps({"tickets": tickets}), encoding="utf-8")
    with stream_tickets(path) as stream:
        assert [t.ticket_id for t in stream] == ["0"]
        assert stream.problems == [
            f"t.json, tickets[{n}], field id: missing; every ticket needs its id" for n in (1, 2, 3)
        ]


def test_the_scratch_database_is_closed_when_reading_stops_early(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import corehub.tickets

    path = _zendesk_json(tmp_path / "t.json", 3)
    opened: list[Any] = []
    real = corehub.tickets.sqlite3.connect

    def connect(*args: Any, **kwargs: Any) -> Any:
        opened.append(real(*args, **kwargs))
        return opened[-1]

    def interrupted(*args: Any) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(corehub.tickets.sqlite3, "connect", connect)
    monkeypatch.setattr(corehub.tickets, "_side_loads", interrupted)
    with pytest.raises(KeyboardInterrupt):
        stream_tickets(path)
    [scratch] = opened
    with pytest.raises(sqlite3.ProgrammingError, match="closed"):
        scratch.execute("SELECT 1")
