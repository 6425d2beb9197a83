"""CSAT import, summaries, report sections and the demo."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from corehub.errors import PermissionDeniedError, ValidationError
from corehub.models import Report, ReportKind
from corehub.testing import count_statements
from corehub_feedback import csat, report, store

ZENDESK = "Ticket ID;Assignee email;Satisfaction Score;Satisfaction Comment;Updated at\n"


def _write(tmp_path: Path, text: str, encoding: str = "utf-8-sig") -> Path:
    path = tmp_path / "csat.csv"
    path.write_bytes(text.encode(encoding))
    return path


def test_import_is_idempotent_and_understands_exports(org: Any, cli: Any, tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        ZENDESK + "101;alpha-01@example.org;5;Très bien;01/02/2026 10:00\n"
        "102;alpha-01@example.org;3;;2026-02-03T08:00:00Z\n103;Alpha Agent 2;4;ok;2026-02-10\n",
        encoding="cp1252",
    )
    first = cli("feedback", "import-csat", str(path), "--json")
    assert first.exit_code == 0, first.output
    assert first.json() == {
        "file": "csat.csv",
        "created": 3,
        "updated": 0,
        "unchanged": 0,
        "unrated": 0,
    }
    path.write_text(ZENDESK + "101;alpha-01@example.org;4;Très bien;01/02/2026\n", encoding="utf-8")
    again = cli("feedback", "import-csat", str(path), "--json").json()
    assert (again["created"], again["updated"]) == (0, 1)
    rows = {
        r["source_key"]: r for r in org.db.query("SELECT * FROM feedback WHERE kind = 'customer'")
    }
    assert sorted(rows) == ["101", "102", "103"]
    assert (rows["101"]["rating"], rows["101"]["given_on"], rows["101"]["text"]) == (
        4.0,
        "2026-02-01",
        "Très bien",
    )
    assert rows["103"]["recipient_id"] == "alpha-02"


def test_import_with_map_and_all_or_nothing(org: Any, cli: Any, tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "Caso,Agente,Puntuación,Fecha,Notas\nA1,alpha-01,5,02/02/2026,x\n"
        "A2,nobody,4,02/02/2026,\nA3,alpha-02,6,02/02/2026,\nA1,alpha-02,4,31/02/2026,\n"
        "A5,alpha-02,4,2027-01-01,\n",
    )
    mapping = [
        "--map",
        "Caso=ticket_id",
        "--map",
        "Agente=agent",
        "--map",
        "Puntuación=score",
        "--map",
        "Fecha=date",
        "--map",
        "Notas=",
    ]
    result = cli("feedback", "import-csat", str(path), *mapping)
    assert result.exit_code == 1
    for expected in (
        "row 3, column agent: 'nobody' is not a known person",
        "row 4, column score: '6' is not a score from 1 to 5",
        "row 5, column ticket_id: ticket 'A1' again (also on row 2)",
        "row 5, column date",
        "row 6, column date: 2027-01-01 is in the future",
    ):
        assert expected in result.stderr
    assert org.db["feedback"].count == 0
    bad_map = cli("feedback", "import-csat", str(path), "--map", "Caso=ticket")
    assert bad_map.exit_code == 1 and "'ticket' is not one of" in bad_map.stderr


def test_agents_are_found_as_every_import_finds_people_and_a_shared_name_is_an_error(
    org: Any, cli: Any, tmp_path: Path, make_people: Any
) -> None:
    """An agent is found by id or address in any case, or by a unique full name in any
    case, accents and spacing; a name two people share is a problem of its row naming
    both, and nothing is written."""
    make_people(
        rows=[
            {"id": "jn", "name": "José Núñez", "email": "jose@example.org", "team": "alpha"},
            {"id": "twin", "name": "Alpha Agent 2", "team": "beta"},
        ]
    )
    text = (
        "ticket_id,agent,score,date\nT1,Jose  NUNEZ,5,2026-02-02\nT2,alpha agent 2,4,2026-02-02\n"
        "T3,ALPHA-03,3,2026-02-02\nT4,Alpha  Agent 1,2,2026-02-02\n"
    )
    path = _write(tmp_path, text)
    refused = cli("feedback", "import-csat", str(path))
    assert refused.exit_code == 1
    assert (
        "row 3, column agent: 'alpha agent 2' names more than one person (alpha-02, twin)"
        in refused.stderr
    )
    assert refused.stderr.count("column agent") == 1
    assert org.db["feedback"].count == 0
    path = _write(tmp_path, text.replace("alpha agent 2", "Alpha-02@Example.org"))
    assert cli("feedback", "import-csat", str(path)).exit_code == 0
    found = {r["source_key"]: r["recipient_id"] for r in org.db["feedback"].rows}
    assert found == {"T1": "jn", "T2": "alpha-02", "T3": "alpha-03", "T4": "alpha-01"}


def test_importer_is_registered_for_other_tools(org: Any, tmp_path: Path) -> None:
    importers = org.hook.register_importers.registry(what="importer", hub=org)
    assert importers["csat"].kind == "customer"
    path = _write(tmp_path, "ticket_id,agent,score,date\nT1,alpha-03,2,2026-03-01\n")
    assert importers["csat"].load(org, path, {}).created == 1


def _csat(hub: Any) -> None:
    rows = {}
    for n, (agent, score, day) in enumerate(
        [
            ("alpha-01", 5, "2026-01-10"),
            ("alpha-01", 4, "2026-02-10"),
            ("alpha-01", 2, "2026-02-11"),
            ("alpha-02", 3, "2026-02-12"),
        ]
    ):
        rows[f"T{n}"] = {"recipient_id": agent, "rating": float(score), "text": "", "given_on": day}
    csat._store(hub, "test", rows)


def test_summary_for_a_person_and_a_team(org: Any, cli: Any) -> None:
    _csat(org)
    store.give(org, kind="praise", to="alpha-01", text="Great", actor="alpha-02")
    person = cli("--as", "alpha-01", "feedback", "summary", "--period", "2026-Q1", "--json").json()
    assert person["csat"]["overall"] == {"count": 3, "mean": 3.67, "satisfied_pct": 67}
    assert [t["figures"]["count"] if t["figures"] else 0 for t in person["csat"]["trend"]] == [
        1,
        2,
        0,
    ]
    assert person["praise"]["received"] == 1
    team = cli(
        "--as",
        "alpha-lead",
        "feedback",
        "summary",
        "--team",
        "alpha",
        "--period",
        "2026-02",
        "--json",
    ).json()
    assert [(a["id"], a["figures"]["count"]) for a in team["csat_by_agent"]] == [
        ("alpha-01", 2),
        ("alpha-02", 1),
    ]
    assert "CSAT" in cli("--as", "alpha-lead", "feedback", "summary", "--team", "alpha").stdout
    assert cli("--as", "alpha-02", "feedback", "summary", "--person", "alpha-01").exit_code == 1
    assert cli("--as", "beta-lead", "feedback", "summary", "--team", "alpha").exit_code == 1
    assert cli("feedback", "summary", "--period", "Q1").exit_code == 1
    with pytest.raises(PermissionDeniedError):
        from corehub_feedback.summary import summary

        summary(org, person="alpha-01", actor="beta-01")


def _report(hub: Any, kind: ReportKind, cycle: Any, **kwargs: Any) -> Report:
    return Report(kind=kind, cycle=cycle, locale="en", **kwargs)


def _render(hub: Any, rep: Report) -> dict[str, str]:
    from corehub.testing import render_sections

    return render_sections(hub, rep, plugin="feedback")


def test_packet_sections_hide_aggregates_under_the_threshold(
    org: Any, open_cycle: Any, clock: Any
) -> None:
    from corehub_feedback import peers

    _csat(org)
    store.give(
        org,
        kind="praise",
        to="alpha-lead",
        text="<script>alert(1)</script> great lead",
        actor="alpha-01",
    )
    peers.request_peers(
        org,
        cycle=open_cycle.id,
        person="alpha-lead",
        peers=["beta-lead", "boss", "beta-01", "beta-02", "alpha-01"],
        actor="boss",
    )
    peers.submit_peer(
        org,
        cycle=open_cycle.id,
        about="alpha-lead",
        rating=2,
        keep_doing="secret words",
        actor="beta-lead",
    )
    for n in range(1, 5):
        store.give(org, kind="upward", rating=1, text=f"hidden upward {n}", actor=f"alpha-0{n}")
    lead = org.people.get("alpha-lead")
    packet = _report(org, ReportKind.PACKET, open_cycle, person=lead)
    # while answers can come in, nothing is shown and the packet says when it will be
    withheld = {"results": None, "threshold": 5, "results_after": "2026-06-30"}
    assert report.peer_context(org, packet) == withheld
    assert report.upward_context(org, packet) == withheld
    assert "Results appear after 30 Jun 2026" in _render(org, packet)["feedback.upward"]
    clock.set("2026-07-01")
    # then, under the threshold, still nothing
    assert report.peer_context(org, packet) == withheld | {"results_after": None}
    assert report.upward_context(org, packet) == withheld | {"results_after": None}
    html = _render(org, packet)
    assert set(html) == {"feedback.praise", "feedback.peer", "feedback.upward"}
    everything = "".join(html.values())
    assert "secret words" not in everything and "hidden upward" not in everything
    assert "&lt;script&gt;" in everything and "<script>" not in everything
    assert "fewer than 5 anonymous responses" in html["feedback.upward"]
    agent = _report(org, ReportKind.PACKET, open_cycle, person=org.people.get("alpha-01"))
    assert "<svg" in _render(org, agent)["feedback.csat"]
    assert report.upward_context(org, agent) is None


def test_summary_sections(org: Any, open_cycle: Any) -> None:
    _csat(org)
    item = store.give(org, kind="suggestion", text="Better headsets", actor="alpha-01")
    from corehub_feedback import suggestions

    suggestions.respond(org, item.id, status="under_review", text="Asking IT", actor="alpha-lead")
    summary = _report(org, ReportKind.SUMMARY, open_cycle, team="alpha")
    ctx = report.suggestions_context(org, summary)
    assert ctx is not None and ctx["items"][0]["response"] == "Asking IT"
    assert report.enps_context(org, summary)["trend"][0]["figures"] is None  # type: ignore[index]
    html = _render(org, summary)
    assert (
        "Alpha Agent 1" in html["feedback.csat_agents"]
        and "Asking IT" in html["feedback.suggestions"]
    )
    assert org.hook.extra_stylesheets(hub=org, report=summary) == [
        ["corehub_feedback/feedback.css"]
    ]


def test_demo_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from corehub.demo import build_demo, close_demo
    from corehub_feedback import results

    monkeypatch.setenv("COREHUB_LOAD_PLUGINS", "feedback")
    demo = build_demo(tmp_path / "demo", echo=lambda _line: None)
    hub, cycle = demo.hub, demo.cycle
    counts = {
        r["kind"]: r["n"]
        for r in hub.db.query("SELECT kind, count(*) AS n FROM feedback GROUP BY kind")
    }
    assert {"praise", "suggestion", "customer", "pulse", "peer", "upward"} <= set(counts)
    statuses = {
        r["status"] for r in hub.db.query("SELECT status FROM feedback WHERE kind = 'suggestion'")
    }
    assert statuses == {"new", "under_review", "accepted", "declined", "implemented"}
    supervisors = [p.id for p in hub.people.list() if p.level.value == "supervisory"]
    # on the demo's day (2026-12-10) upward feedback is still open until the cycle's end,
    # peer feedback closed on 2026-11-20, November is over and December is not
    assert all(results.upward_results(hub, cycle.id, s) is None for s in supervisors)
    assert any(results.peer_results(hub, cycle.id, p.id) is not None for p in hub.people.list())
    assert results.pulse_month(hub, "2026-11")["overall"] is not None
    assert results.pulse_month(hub, "2026-12")["results_after"] == "2026-12-31"
    cycle = close_demo(demo)
    assert all(results.upward_results(hub, cycle.id, s) is not None for s in supervisors)
    assert results.upward_results(hub, cycle.id, "dir-01") is None  # three reports: never shown
    hub.close()


def test_settings_are_validated(org: Any) -> None:
    from corehub.errors import ConfigError

    from .conftest import set_settings

    with pytest.raises(ConfigError, match="peers_min"):
        set_settings(org, peers_min=4, peers_max=3)
    # peer feedback that could never be shown is a configuration error, not a silent loss
    with pytest.raises(ConfigError, match=r"peers_max \(4\) is below anonymity_threshold \(5\)"):
        set_settings(org, peers_min=2, peers_max=4)
    assert org.settings("feedback").peers_max != 4  # a refused table changes nothing
    set_settings(org, peers_min=2, peers_max=8)
    set_settings(org, max_text_length=10)
    with pytest.raises(ValidationError, match="limit is 10"):
        store.give(org, kind="praise", to="alpha-02", text="x" * 11, actor="alpha-01")


def test_migrations_are_registered_and_applied(org: Any) -> None:
    assert ("feedback", "m001_feedback") not in org.pending_migrations()
    assert {"feedback", "feedback_responses"} <= set(org.db.table_names())
    names = [m.name for s in org.migration_sets() if s.name == "feedback" for m in s._migrations]
    assert names == ["m001_feedback", "m002_answered", "m003_recipient_day", "m004_author_index"]


def test_rows_with_missing_or_extra_cells_are_named_with_the_other_problems(
    org: Any, cli: Any, tmp_path: Path
) -> None:
    path = _write(
        tmp_path,
        "ticket_id,agent,score,date\nT1,alpha-01,5\nT2,alpha-01,5,2026-02-02,surplus\n"
        "T3,nobody,4,2026-02-02\n",
    )
    result = cli("feedback", "import-csat", str(path))
    assert result.exit_code == 1
    for expected in (
        "row 2: 3 cells but the header has 4 columns (missing: date)",
        "row 3: 5 cells but the header has 4 columns (extra: 'surplus')",
        "row 3",
        "row 4, column agent: 'nobody' is not a known person",
    ):
        assert expected in result.stderr, expected
    assert org.db["feedback"].count == 0


def test_a_missing_column_names_the_users_own_columns_and_the_map_option(org, cli, tmp_path):
    path = tmp_path / "zendesk.csv"
    path.write_text(
        "Ticket ID,Assignee email,Satisfaction Score,Solved at\n"
        "1,alpha-01@example.org,5,2026-01-02\n",
        encoding="utf-8",
    )
    refused = cli("feedback", "import-csat", str(path))
    assert refused.exit_code == 1
    assert "missing column(s): date" in refused.stderr
    assert "'Ticket ID' (read as ticket_id)" in refused.stderr and "'Solved at'" in refused.stderr
    assert "solved_at" not in refused.stderr  # a name the user never wrote
    assert '--map "Solved at=date"' in refused.stderr
    done = cli("feedback", "import-csat", str(path), "--map", "Solved at=date")
    assert done.exit_code == 0, done.output


def test_one_agents_csat_reads_their_ratings_not_everyones(
    org: Any, cli: Any, tmp_path: Path
) -> None:
    import datetime as dt

    def steps() -> int:
        """SQLite's work for alpha-01's CSAT of the half year, in virtual machine steps."""
        with count_statements(org, unit=1) as ran:
            figures = csat.csat_summary(
                org, ["alpha-01"], dt.date(2026, 1, 1), dt.date(2026, 6, 30)
            )
        assert figures["overall"]["count"] == 3
        return ran.steps

    rows = [f"A{i},alpha-01,{3 + i % 3},2026-0{1 + i % 2}-0{1 + i}" for i in range(3)]
    first = cli(
        "feedback",
        "import-csat",
        str(_write(tmp_path, "ticket_id,agent,score,date\n" + "\n".join(rows))),
    )
    assert first.exit_code == 0, first.output
    alone = steps()
    others = [
        f"B{i},alpha-0{2 + i % 5},{1 + i % 5},2026-0{1 + i % 2}-1{i % 10}" for i in range(600)
    ]
    path = _write(tmp_path, "ticket_id,agent,score,date\n" + "\n".join(others))
    assert cli("feedback", "import-csat", str(path)).exit_code == 0
    # the same work with 600 more ratings of colleagues in the same months
    assert steps() < alone * 1.5
