"""A CSAT import costs what writing its rows costs, and tells every plugin what it stored.

The counts (created, updated, unchanged, unrated) and the rows stored are those of
importing ticket by ticket; existing ratings are found through this file's tickets only,
never by reading every rating; plugins hear of the new ratings through
``feedback_received_batch`` once, or ``feedback_received`` per rating when that is all
they implement.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import corehub
from corehub.errors import PluginError, ValidationError
from corehub_feedback import csat

HEADER = "ticket_id,agent,score,comment,date\n"


def _write(path: Path, rows: list[str]) -> Path:
    path.write_text(HEADER + "".join(r + "\n" for r in rows), encoding="utf-8")
    return path


def _stored(hub: Any) -> dict[str, dict[str, Any]]:
    return {
        r["source_key"]: r
        for r in hub.db.query("SELECT * FROM feedback WHERE kind = 'customer' ORDER BY source_key")
    }


FIRST = [
    "T1,alpha-01,5,Great,2026-02-01",
    "T2,alpha-02,4,,2026-02-02",
    "T3,alpha-01@example.org,3,Slow reply,2026-02-03",
    "T4,Alpha Agent 3,2,,2026-02-04T10:30Z",
    "T5,alpha-04,1,Never again,2026-02-05 14:22",
]


def test_reimport_and_an_overlapping_file_count_and_store_as_ticket_by_ticket(
    org: Any, tmp_path: Path
) -> None:
    first = _write(tmp_path / "february.csv", FIRST)
    result = csat.import_csat(org, first)
    assert (result.created, result.updated, result.unchanged) == (5, 0, 0)
    stored = _stored(org)
    assert {
        k: (r["recipient_id"], r["rating"], r["text"], r["given_on"]) for k, r in stored.items()
    } == {
        "T1": ("alpha-01", 5.0, "Great", "2026-02-01"),
        "T2": ("alpha-02", 4.0, "", "2026-02-02"),
        "T3": ("alpha-01", 3.0, "Slow reply", "2026-02-03"),
        "T4": ("alpha-03", 2.0, "", "2026-02-04"),
        "T5": ("alpha-04", 1.0, "Never again", "2026-02-05"),
    }
    assert {r["source"] for r in stored.values()} == {"february.csv"}
    assert all(r["author_id"] is None and r["anonymous"] == 0 for r in stored.values())
    assert len({r["id"] for r in stored.values()}) == 5

    again = csat.import_csat(org, first)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 5)
    assert _stored(org) == stored  # nothing rewritten, ids kept

    second = _write(
        tmp_path / "march.csv",
        [
            "T1,alpha-01,5,Great,2026-02-01",  # the same
            "T2,alpha-02,2,,2026-02-02",  # score changed
            "T3,alpha-01,3,Slow, but kind,2026-02-03",  # comment changed (quoted below)
            "T4,alpha-05,2,,2026-02-04",  # now another agent's
            "T6,alpha-06,4,New,2026-03-01",
            "T7,alpha-06,5,,2026-03-02",
        ],
    )
    second.write_text(
        second.read_text(encoding="utf-8").replace("Slow, but kind", '"Slow, but kind"'),
        encoding="utf-8",
    )
    result = csat.import_csat(org, second)
    assert (result.created, result.updated, result.unchanged) == (2, 3, 1)
    after = _stored(org)
    assert set(after) == {"T1", "T2", "T3", "T4", "T5", "T6", "T7"}
    assert {k: after[k]["id"] for k in stored} == {k: stored[k]["id"] for k in stored}
    assert (after["T2"]["rating"], after["T2"]["source"]) == (2.0, "march.csv")
    assert (after["T3"]["text"], after["T3"]["source"]) == ("Slow, but kind", "march.csv")
    assert (after["T4"]["recipient_id"], after["T4"]["source"]) == ("alpha-05", "march.csv")
    assert after["T1"]["source"] == after["T5"]["source"] == "february.csv"
    assert after["T1"] == stored["T1"]
    assert (after["T6"]["rating"], after["T6"]["text"], after["T6"]["source"]) == (
        4.0,
        "New",
        "march.csv",
    )
    events = [e.after for e in org.audit.events(action="feedback.csat_imported")]
    assert events[-1] == {"created": 2, "updated": 3, "unchanged": 1}


def test_a_file_with_a_problem_writes_nothing_and_names_every_row(org: Any, tmp_path: Path) -> None:
    csat.import_csat(org, _write(tmp_path / "february.csv", FIRST))
    before = _stored(org)
    bad = _write(
        tmp_path / "bad.csv",
        [
            "T1,alpha-01,1,changed,2026-02-01",
            "T8,nobody,4,,2026-02-01",
            "T9,alpha-01,4,,2026-02-01",
            "T9,alpha-02,4,,2026-02-01",
        ],
    )
    with pytest.raises(ValidationError) as refused:
        csat.import_csat(org, bad)
    text = str(refused.value) + " ".join(refused.value.problems)
    assert "bad.csv, row 3" in text and "'nobody'" in text
    assert "ticket 'T9' again (also on row 4)" in text
    assert _stored(org) == before


ZENDESK = (
    "Id,Subject,Requester,Assignee,Group,Status,Via,Created at,Solved at,"
    "Satisfaction Score,Satisfaction Comment\n"
    "101,Printer,Ann,Alpha Agent 1,Support,Solved,Mail,2026-02-03 10:00,2026-02-03 12:00,Good,Thanks\n"
    "102,VPN,Bo,Alpha Agent 2,Support,Closed,Chat,2026-02-04 10:00,2026-02-04 11:00,Bad,Slow\n"
    "103,Mail,Cy,Alpha Agent 2,Support,Closed,Web Form,2026-02-04 10:00,2026-02-04 11:00,Offered,\n"
    "104,Mail,Di,Alpha Agent 3,Support,Closed,Mail,2026-02-05 10:00,2026-02-05 11:00,,\n"
)


def test_a_ticket_export_counts_unrated_tickets_and_overlaps_by_system_and_id(
    org: Any, tmp_path: Path
) -> None:
    path = tmp_path / "zendesk.csv"
    path.write_text(ZENDESK, encoding="utf-8")
    result = csat.import_csat(org, path)
    assert (result.created, result.updated, result.unchanged, result.unrated) == (2, 0, 0, 2)
    # a later export: 103 was rated since, 102's rating changed, 101 is the same
    path.write_text(
        ZENDESK.replace("Bad,Slow", "Good,Solved after all").replace("Offered,", "Good,Quick"),
        encoding="utf-8",
    )
    result = csat.import_csat(org, path)
    assert (result.created, result.updated, result.unchanged, result.unrated) == (1, 1, 1, 1)
    rows = _stored(org)
    assert set(rows) == {"zendesk:101", "zendesk:102", "zendesk:103"}
    assert (rows["zendesk:102"]["rating"], rows["zendesk:102"]["text"]) == (5.0, "Solved after all")
    # the same ticket numbers from the plain CSAT format are other tickets
    csat.import_csat(org, _write(tmp_path / "plain.csv", ["101,alpha-01,3,,2026-02-03"]))
    assert _stored(org)["101"]["rating"] == 3.0 and rows["zendesk:101"]["rating"] == 5.0


class OneByOne:
    def __init__(self) -> None:
        self.seen: list[Any] = []

    @corehub.hookimpl
    def feedback_received(self, hub: Any, feedback: Any) -> None:
        self.seen.append(feedback)


class Batched:
    def __init__(self) -> None:
        self.calls: list[list[Any]] = []

    @corehub.hookimpl
    def feedback_received_batch(self, hub: Any, items: list[Any]) -> None:
        # inside the transaction: the rows are there already
        assert hub.db.execute(
            "SELECT count(*) FROM feedback WHERE id IN ({})".format(",".join("?" * len(items))),
            [i.id for i in items],
        ).fetchone()[0] == len(items)
        self.calls.append(list(items))


class Both(Batched):
    def __init__(self) -> None:
        super().__init__()
        self.single: list[Any] = []

    @corehub.hookimpl
    def feedback_received(self, hub: Any, feedback: Any) -> None:
        self.single.append(feedback)


def test_plugins_hear_of_each_new_rating_once_through_the_hook_they_implement(
    org: Any, register_plugin: Any, tmp_path: Path
) -> None:
    one, batched, both = OneByOne(), Batched(), Both()
    register_plugin(one, name="one-by-one")
    register_plugin(batched, name="batched")
    register_plugin(both, name="both")
    csat.import_csat(org, _write(tmp_path / "february.csv", FIRST))
    stored = _stored(org)
    expected = sorted((r["id"], k) for k, r in stored.items())
    assert sorted((f.id, f.kind) for f in one.seen) == [(i, "customer") for i, _ in expected]
    assert [len(call) for call in batched.calls] == [5]
    assert sorted(f.id for f in batched.calls[0]) == [i for i, _ in expected]
    assert [len(call) for call in both.calls] == [5] and both.single == []
    first = {f.id: f for f in one.seen}
    t1 = first[stored["T1"]["id"]]
    assert (t1.recipient_id, t1.rating, t1.text, t1.author_id) == ("alpha-01", 5.0, "Great", None)

    # a re-import and an overlapping file: only what is new is announced
    csat.import_csat(org, _write(tmp_path / "february.csv", FIRST))
    csat.import_csat(
        org,
        _write(
            tmp_path / "march.csv",
            ["T1,alpha-01,1,Changed my mind,2026-02-01", "T6,alpha-06,4,,2026-03-01"],
        ),
    )
    assert len(one.seen) == 6 and one.seen[-1].id == _stored(org)["T6"]["id"]
    assert [len(call) for call in batched.calls] == [5, 1]
    assert [len(call) for call in both.calls] == [5, 1] and both.single == []


def test_feedback_given_one_at_a_time_reaches_batched_plugins_too(
    org: Any, register_plugin: Any
) -> None:
    from corehub_feedback import store

    batched, both = Batched(), Both()
    register_plugin(batched, name="batched")
    register_plugin(both, name="both")
    item = store.give(org, kind="praise", to="alpha-02", text="fine", actor="alpha-01")
    assert [[f.id for f in call] for call in batched.calls] == [[item.id]]
    assert [[f.id for f in call] for call in both.calls] == [[item.id]] and both.single == []


@pytest.mark.parametrize("hook", ["feedback_received", "feedback_received_batch"])
def test_a_failing_plugin_is_named_and_nothing_is_written(
    org: Any, register_plugin: Any, tmp_path: Path, hook: str
) -> None:
    csat.import_csat(org, _write(tmp_path / "february.csv", FIRST))
    before = _stored(org)
    events = len(list(org.audit.events(action="feedback.csat_imported")))

    def fail(self: Any, hub: Any, **kwargs: Any) -> None:
        raise RuntimeError("the dashboard is down")

    if hook == "feedback_received":

        class Broken:
            @corehub.hookimpl
            def feedback_received(self, hub: Any, feedback: Any) -> None:
                fail(self, hub)
    else:

        class Broken:  # type: ignore[no-redef]
            @corehub.hookimpl
            def feedback_received_batch(self, hub: Any, items: Any) -> None:
                fail(self, hub)

    register_plugin(Broken(), name="dashboard")
    overlapping = _write(
        tmp_path / "march.csv",
        ["T1,alpha-01,1,Changed my mind,2026-02-01", "T6,alpha-06,4,,2026-03-01"],
    )
    with pytest.raises(PluginError, match=f"plugin 'dashboard' failed in hook {hook}"):
        csat.import_csat(org, overlapping)
    assert _stored(org) == before  # neither the new rating nor the changed one
    assert len(list(org.audit.events(action="feedback.csat_imported"))) == events


def test_nothing_is_built_for_plugins_when_none_listens(
    org: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from corehub_feedback.store import Item

    built: list[Any] = []
    to_feedback = Item.to_feedback

    def counting(self: Any) -> Any:
        built.append(self)
        return to_feedback(self)

    monkeypatch.setattr(Item, "to_feedback", counting)
    assert csat.import_csat(org, _write(tmp_path / "february.csv", FIRST)).created == 5
    assert built == []


def _work(hub: Any, path: Path) -> int:
    """The SQLite virtual-machine steps (in thousands) an import of ``path`` takes."""
    steps = 0

    def step() -> int:
        nonlocal steps
        steps += 1
        return 0

    hub.db.conn.set_progress_handler(step, 1000)
    try:
        csat.import_csat(hub, path)
    finally:
        hub.db.conn.set_progress_handler(None, 1000)
    return steps


def test_an_import_reads_its_own_tickets_not_every_rating(org: Any, tmp_path: Path) -> None:
    small = _work(org, _write(tmp_path / "february.csv", FIRST))
    with org.atomic() as db:
        db.table("feedback").insert_all(
            {
                "id": 200_000_000 + n,
                "kind": "customer",
                "recipient_id": "alpha-01",
                "anonymous": 0,
                "given_on": "2026-01-01",
                "text": "",
                "rating": 4.0,
                "tags": "[]",
                "source": "old.csv",
                "source_key": f"OLD-{n}",
            }
            for n in range(30_000)
        )
    march = _write(
        tmp_path / "march.csv",
        [row.replace("T", "M", 1) for row in FIRST],
    )
    large = _work(org, march)
    # reading 30,000 ratings takes several hundred thousand steps; the keyed lookups of
    # five tickets in a deeper index take a few more than before
    assert large <= small + 20, (small, large)


def _statements(hub: Any, path: Path) -> int:
    """How many SQL statements an import of ``path`` runs. A row trigger of the table
    (the cycle freeze) reports its statement again for each row: counted once."""
    ran: list[str] = []
    hub.db.conn.set_trace_callback(ran.append)
    try:
        csat.import_csat(hub, path)
    finally:
        hub.db.conn.set_trace_callback(None)
    return sum(1 for n, sql in enumerate(ran) if n == 0 or sql != ran[n - 1])


def test_an_import_runs_the_same_statements_for_ten_rows_or_three_hundred(
    org: Any, tmp_path: Path
) -> None:
    """New ratings go in by batches. (Changed ones are updated with one prepared statement
    run for each, which the trace reports row by row; their cost is in bench_import.)"""

    def export(name: str, rows: int) -> Path:
        agents = [f"alpha-0{1 + n % 6}" for n in range(rows)]
        return _write(
            tmp_path / name,
            [f"{name}-{n},{agents[n]},4,,2026-02-0{1 + n % 9}" for n in range(rows)],
        )

    counted = _statements(org, export("few", 10)), _statements(org, export("many", 300))
    # fewer than one more statement per ten more rows, where a statement per row would be
    # hundreds more
    assert counted[1] - counted[0] < (300 - 10) / 10, counted
    assert org.db["feedback"].count == 310


def test_an_import_reads_its_own_agents_not_everyone(org: Any, tmp_path: Path) -> None:
    """The agents a file names are looked up by id, e-mail address or name: 5,000 more
    people in the organization leave the import's work the same."""
    small = _work(org, _write(tmp_path / "february.csv", FIRST))
    org.people.save(
        corehub.models.Person(id=f"p{n:05}", name=f"Person {n}", email=f"p{n}@example.org")
        for n in range(5_000)
    )
    large = _work(org, _write(tmp_path / "march.csv", [r.replace("T", "M", 1) for r in FIRST]))
    assert large <= small + 20, (small, large)
