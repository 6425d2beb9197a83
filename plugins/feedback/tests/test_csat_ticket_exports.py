"""import-csat reads the help desk systems' ticket exports through corehub's ticket reader."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

ZENDESK_CSV = (
    "Id,Subject,Requester,Assignee,Group,Status,Via,Created at,Solved at,"
    "Satisfaction Score,Satisfaction Comment\n"
    "101,Printer,Ann,Alpha Agent 1,Support,Solved,Mail,2026-02-03 10:00,2026-02-03 12:00,Good,Thanks\n"
    "102,VPN,Bo,Alpha Agent 2,Support,Closed,Chat,2026-02-04 10:00,2026-02-04 11:00,Bad,Slow\n"
    "103,Mail,Cy,Alpha Agent 2,Support,Closed,Web Form,2026-02-04 10:00,2026-02-04 11:00,Offered,\n"
    "104,Mail,Di,Alpha Agent 3,Support,Closed,Mail,2026-02-05 10:00,2026-02-05 11:00,Unoffered,\n"
    "105,Mail,Ed,Alpha Agent 3,Support,Closed,Mail,2026-02-05 10:00,2026-02-05 11:00,,\n"
)


def _rows(hub: Any) -> dict[str, dict[str, Any]]:
    return {
        r["source_key"]: r for r in hub.db.query("SELECT * FROM feedback WHERE kind = 'customer'")
    }


def test_zendesk_csv_good_bad_become_scores_unrated_are_counted(
    org: Any, cli: Any, tmp_path: Path
) -> None:
    path = tmp_path / "zendesk.csv"
    path.write_text(ZENDESK_CSV, encoding="utf-8")
    result = cli("feedback", "import-csat", str(path), "--json")
    assert result.exit_code == 0, result.output
    assert result.json() == {
        "file": "zendesk.csv",
        "created": 2,
        "updated": 0,
        "unchanged": 0,
        "unrated": 3,
    }
    rows = _rows(org)
    assert rows["zendesk:101"]["rating"] == 5 and rows["zendesk:101"]["recipient_id"] == "alpha-01"
    assert rows["zendesk:102"]["rating"] == 1 and rows["zendesk:102"]["recipient_id"] == "alpha-02"
    assert rows["zendesk:101"]["given_on"] == "2026-02-03"
    again = cli("feedback", "import-csat", str(path), "--json").json()
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 2)


def test_zendesk_api_json_rating_belongs_to_the_assignee(
    org: Any, cli: Any, tmp_path: Path
) -> None:
    path = tmp_path / "tickets.json"
    path.write_text(
        json.dumps(
            {
                "tickets": [
                    {
                        "id": 7,
                        "assignee_id": 900,
                        "requester_id": 1,
                        "via": {"channel": "email"},
                        "created_at": "2026-02-10T09:00:00Z",
                        "satisfaction_rating": {"score": "good", "comment": "Quick!"},
                    },
                    {"id": 8, "assignee_id": 900, "satisfaction_rating": {"score": "offered"}},
                ],
                "users": [{"id": 900, "name": "Someone", "email": "alpha-03@example.org"}],
            }
        ),
        encoding="utf-8",
    )
    result = cli("feedback", "import-csat", str(path), "--json")
    assert result.exit_code == 0, result.output
    assert (result.json()["created"], result.json()["unrated"]) == (1, 1)
    row = _rows(org)["zendesk:7"]
    assert (row["recipient_id"], row["rating"], row["text"]) == ("alpha-03", 5, "Quick!")


def test_other_scales_need_map_values_and_every_problem_is_listed(
    org: Any, cli: Any, tmp_path: Path
) -> None:
    path = tmp_path / "freshdesk.csv"
    path.write_text(
        "Ticket ID,Subject,Status,Source,Agent,Created time,Resolved time,Survey results\n"
        "1,A,Closed,Email,Alpha Agent 1,2026-02-01 10:00:00,2026-02-01 11:00:00,Extremely happy\n"
        "2,B,Closed,Phone,Nobody Known,2026-02-01 10:00:00,2026-02-01 11:00:00,Unhappy\n",
        encoding="utf-8",
    )
    bad = cli("feedback", "import-csat", str(path))
    assert bad.exit_code == 1
    assert "row 2, column rating: 'extremely happy' is not a score" in bad.output
    assert "--map-values" in bad.output
    assert "row 3, column agent: 'Nobody Known' is not a known person" in bad.output
    assert "Traceback" not in bad.output
    assert _rows(org) == {}
    path.write_text(path.read_text().replace("Nobody Known", "alpha-02@example.org"))
    good = cli(
        "feedback",
        "import-csat",
        str(path),
        "--map-values",
        "Extremely happy=5",
        "--map-values",
        "Unhappy=2",
        "--json",
    )
    assert good.exit_code == 0, good.output
    rows = _rows(org)
    assert (rows["freshdesk:1"]["rating"], rows["freshdesk:2"]["rating"]) == (5, 2)


def test_an_ambiguous_name_is_an_error(
    org: Any, cli: Any, make_people: Any, tmp_path: Path
) -> None:
    make_people(rows=[{"id": "twin", "name": "Alpha Agent 1", "team": "beta"}])
    path = tmp_path / "zendesk.csv"
    path.write_text(ZENDESK_CSV, encoding="utf-8")
    result = cli("feedback", "import-csat", str(path))
    assert result.exit_code == 1
    assert "'Alpha Agent 1' names more than one person (alpha-01, twin)" in result.output
    assert _rows(org) == {}


def test_an_assignee_written_last_first_is_found_as_their_name_is(
    org: Any, cli: Any, make_people: Any, tmp_path: Path
) -> None:
    """An export listing agents as "Last, First": found when one person has the name, a
    problem naming every candidate when two may be meant, nothing imported then."""
    text = ZENDESK_CSV.replace("Alpha Agent 1", '"Agent 1, Alpha"').replace(
        "Alpha Agent 2", '"AGENT 2,ALPHA"'
    )
    path = tmp_path / "zendesk.csv"
    path.write_text(text, encoding="utf-8")
    result = cli("feedback", "import-csat", str(path), "--json")
    assert result.exit_code == 0, result.output
    rows = _rows(org)
    assert rows["zendesk:101"]["recipient_id"] == "alpha-01"
    assert rows["zendesk:102"]["recipient_id"] == "alpha-02"
    # someone whose name, as written, is "Agent 1, Alpha": the text may mean either
    make_people(rows=[{"id": "twin", "name": "Agent 1,  Alpha", "team": "beta"}])
    path.write_text(text.replace("101,", "201,").replace("102,", "202,"), encoding="utf-8")
    refused = cli("feedback", "import-csat", str(path))
    assert refused.exit_code == 1
    assert "'Agent 1, Alpha' names more than one person (alpha-01, twin)" in refused.output
    assert set(_rows(org)) == {"zendesk:101", "zendesk:102"}


def test_csat_is_evidence_for_communication_in_a_review(org: Any, cli: Any, tmp_path: Path) -> None:
    import datetime as dt

    path = tmp_path / "zendesk.csv"
    path.write_text(ZENDESK_CSV, encoding="utf-8")
    assert cli("feedback", "import-csat", str(path)).exit_code == 0
    cycle = org.cycles.create("2026 H1", start=dt.date(2026, 1, 1), end=dt.date(2026, 6, 30))
    person = org.people.get("alpha-01")
    [[evidence]] = org.hook.extra_competency_evidence(
        hub=org, person=person, cycle=cycle, locale="es"
    )
    assert evidence.competency == "communication"
    assert evidence.title == "Satisfacción del cliente (CSAT)"
    assert evidence.value.startswith("100") and "de 1 incidencia valorada" in evidence.value
    nobody = org.people.get("alpha-05")
    assert org.hook.extra_competency_evidence(hub=org, person=nobody, cycle=cycle, locale="en") == [
        []
    ]
