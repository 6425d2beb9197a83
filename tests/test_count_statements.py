"""``corehub.testing.count_statements``: the statements a block runs and the database's work,
as plugin tests use them to check that a cost does not grow with the rows stored."""

from __future__ import annotations

import itertools

import pytest

from corehub.testing import StatementCount, count_statements


@pytest.fixture
def table(hub):
    hub.db.execute("CREATE TABLE counted (id INTEGER PRIMARY KEY, name TEXT, team TEXT)")
    hub.db.execute("CREATE TABLE changes (counted_id INTEGER)")
    hub.db.execute(
        "CREATE TRIGGER counted_changed AFTER INSERT ON counted "
        "BEGIN INSERT INTO changes VALUES (new.id); END"
    )
    return hub.db["counted"]


def test_one_statement_per_row_counts_every_row(hub, table):
    with count_statements(hub) as ran, hub.atomic():
        for n in range(30):
            hub.db.execute("INSERT INTO counted (name) VALUES (?)", [f"p{n}"])
    assert isinstance(ran, StatementCount)
    assert len(ran) == 32  # and BEGIN IMMEDIATE, COMMIT
    assert list(ran) == ran.statements
    assert ran.statements[1] == "INSERT INTO counted (name) VALUES ('p0')"


def test_a_trigger_firing_for_each_row_is_not_a_statement_of_its_own(hub, table):
    """SQLite reports the statement that fired a row trigger again for each row."""
    raw: list[str] = []
    hub.db.conn.set_trace_callback(raw.append)
    try:
        table.insert_all([{"name": "a"}, {"name": "b"}, {"name": "c"}])
    finally:
        hub.db.conn.set_trace_callback(None)
    # what the counter is there to fold: the INSERT again, once per row the trigger ran for
    assert any(a == b for a, b in itertools.pairwise(raw)), raw
    with count_statements(hub) as ran, hub.atomic():
        table.insert_all([{"name": f"p{n}"} for n in range(300)], batch_size=100)
    inserts = [s for s in ran.statements if s.startswith("INSERT")]
    assert len(inserts) == 3  # three batches of 100 rows, each firing the trigger 100 times
    assert len(ran) < 30  # not one per row: 300 rows, each a trigger firing
    assert hub.db["changes"].count == 303


def test_steps_grow_with_the_rows_a_statement_reads(hub, table):
    table.insert_all([{"name": f"p{n}", "team": f"t{n % 50}"} for n in range(20_000)])
    with count_statements(hub) as by_key:
        hub.db.execute("SELECT * FROM counted WHERE id = 7").fetchall()
    with count_statements(hub) as scan:
        hub.db.execute("SELECT * FROM counted WHERE team = 't7'").fetchall()
    assert len(by_key) == len(scan) == 1
    assert by_key.steps == 0
    assert scan.steps >= 20  # every row read: thousands of steps each


def test_counting_ends_with_the_block_even_when_it_raises(hub, table):
    with pytest.raises(RuntimeError), count_statements(hub) as ran:
        hub.db.execute("INSERT INTO counted (name) VALUES ('a')")
        raise RuntimeError("stop")
    hub.db.execute("INSERT INTO counted (name) VALUES ('b')")
    assert "INSERT INTO counted (name) VALUES ('a')" in ran.statements
    assert not any("'b'" in statement for statement in ran.statements)
