"""corehub quality import-tickets: recognised exports, idempotent, all-or-nothing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import attrs

from .conftest import HEADER, zendesk_csv


def _tickets(hub: Any) -> dict[str, dict[str, Any]]:
    return {
        f"{r['source']}:{r['ticket_id']}": r for r in hub.db.query("SELECT * FROM quality_tickets")
    }


def test_import_is_keyed_by_source_and_id(team: Any, cli: Any, tmp_path: Path) -> None:
    path = tmp_path / "zendesk.csv"
    path.write_text(zendesk_csv(per_agent=2), encoding="utf-8")
    first = cli("quality", "import-tickets", str(path), "--json")
    assert first.exit_code == 0, first.output
    assert first.json() | {} == {
        "file": "zendesk.csv",
        "format": "zendesk",
        "source": "zendesk",
        "created": 6,
        "updated": 0,
        "unchanged": 0,
        "links": 0,
        "unknown_links": [],
    }
    again = cli("quality", "import-tickets", str(path), "--json").json()
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 6)
    newer = path.read_text().replace("Case 101,", "Case 101 (reopened),")
    path.write_text(newer, encoding="utf-8")
    third = cli("quality", "import-tickets", str(path), "--json").json()
    assert (third["created"], third["updated"], third["unchanged"]) == (0, 1, 5)
    rows = _tickets(team)
    assert rows["zendesk:101"]["subject"] == "Case 101 (reopened)"
    assert rows["zendesk:101"]["agent_id"] == "alpha-01"
    assert rows["zendesk:102"]["channel"] == "chat"
    assert rows["zendesk:101"]["day"] == "2026-02-01"


def test_unknown_agents_are_all_listed_and_nothing_is_written(
    team: Any, cli: Any, tmp_path: Path
) -> None:
    path = tmp_path / "zendesk.csv"
    path.write_text(
        HEADER
        + "1,A,C,Alpha Agent 1,S,Solved,Mail,2026-02-01,2026-02-01,Good,\n"
        + "2,B,C,Zed Unknown,S,Solved,Mail,2026-02-01,2026-02-01,Good,\n"
        + "3,C,C,Yan Unknown,S,Solved,Mail,2026-02-01,2026-02-01,Good,\n",
        encoding="utf-8",
    )
    result = cli("quality", "import-tickets", str(path))
    assert result.exit_code == 1
    assert "zendesk.csv, row 3, column agent: 'Zed Unknown' is not a known person" in result.output
    assert "zendesk.csv, row 4, column agent: 'Yan Unknown'" in result.output
    assert "Traceback" not in result.output
    assert _tickets(team) == {}


def test_unknown_format_names_the_expected_headers_and_map_reads_any_csv(
    team: Any, cli: Any, tmp_path: Path
) -> None:
    path = tmp_path / "own.csv"
    path.write_text(
        "Caso;Agente;Canal;Fecha\n7;alpha-02@example.org;Teléfono;03/02/2026\n", encoding="utf-8"
    )
    refused = cli("quality", "import-tickets", str(path))
    assert refused.exit_code == 1
    assert "not a ticket export corehub recognises" in refused.output
    assert "--map" in refused.output
    mapped = cli(
        "quality",
        "import-tickets",
        str(path),
        "--map",
        "Caso=ticket_id",
        "--map",
        "Agente=agent",
        "--map",
        "Canal=channel",
        "--map",
        "Fecha=created_at",
        "--source",
        "own",
        "--json",
    )
    assert mapped.exit_code == 0, mapped.output
    row = _tickets(team)["own:7"]
    assert (row["agent_id"], row["day"]) == ("alpha-02", "2026-02-03")


def test_zendesk_api_json_keeps_the_conversation(team: Any, cli: Any, tmp_path: Path) -> None:
    path = tmp_path / "tickets.json"
    path.write_text(
        json.dumps(
            {
                "tickets": [
                    {
                        "id": 55,
                        "subject": "Password",
                        "assignee_id": 2,
                        "requester_id": 1,
                        "via": {"channel": "web"},
                        "status": "solved",
                        "created_at": "2026-02-10T09:00:00Z",
                        "comments": [
                            {"author_id": 1, "body": "I cannot sign in <b>at all</b>"},
                            {"author_id": 2, "body": "I have reset it for you."},
                        ],
                    }
                ],
                "users": [
                    {"id": 1, "name": "Kim Customer"},
                    {"id": 2, "name": "A", "email": "alpha-03@example.org"},
                ],
            }
        ),
        encoding="utf-8",
    )
    result = cli("quality", "import-tickets", str(path), "--json")
    assert result.exit_code == 0, result.output
    row = _tickets(team)["zendesk:55"]
    assert row["agent_id"] == "alpha-03" and row["channel"] == "web"
    assert json.loads(row["conversation"])[0]["body"] == "I cannot sign in <b>at all</b>"


def test_article_links_in_every_form_an_export_writes_them(tmp_path: Path) -> None:
    from corehub.loaders import read_tickets
    from corehub_quality.reuse import parse_link

    assert parse_link("https://help.example.com/hc/en-us/articles/360001234-Printer") == (
        None,
        "360001234",
    )
    assert parse_link("https://wiki.example.com/pages/viewpage.action?pageId=98765") == (
        None,
        "98765",
    )
    assert parse_link("https://example.atlassian.net/wiki/spaces/KB/pages/4242/VPN") == (
        None,
        "4242",
    )
    assert parse_link("guide:701") == ("guide", "701")
    assert parse_link("#701") == (None, "701")
    path = tmp_path / "tickets.json"
    path.write_text(
        '{"tickets": [{"id": 1, "assignee_email": "a@example.org", "linked_articles": '
        '[701, "guide:702", 701]}, {"id": 2, "assignee_email": "a@example.org"}]}',
        encoding="utf-8",
    )
    first, second = read_tickets(path).tickets
    assert first.articles == ("701", "guide:702") and second.articles == ()


def test_agents_are_found_as_every_import_finds_people_and_a_shared_name_is_an_error(
    team: Any, cli: Any, tmp_path: Path, make_people: Any
) -> None:
    """The assignee is found by id or address in any case, or by a unique full name in any
    case, accents and spacing; people who have left since are still found. A name two
    people share is a problem of its row naming both, and nothing is written."""
    make_people(
        rows=[
            {"id": "jn", "name": "José  Núñez", "email": "jose@example.org", "team": "alpha"},
            {"id": "twin", "name": "Alpha Agent 2", "team": "beta"},
        ]
    )
    team.people.save([attrs.evolve(team.people.get("alpha-03"), active=False)])
    path = tmp_path / "zendesk.csv"
    rows = (
        "1,A,C,JOSE NUNEZ,S,Solved,Mail,2026-02-01,2026-02-01,Good,\n"
        "2,B,C,alpha agent 2,S,Solved,Mail,2026-02-01,2026-02-01,Good,\n"
        "3,C,C,Alpha Agent 3,S,Solved,Mail,2026-02-01,2026-02-01,Good,\n"
        "4,D,C,ALPHA-01,S,Solved,Mail,2026-02-01,2026-02-01,Good,\n"
    )
    path.write_text(HEADER + rows, encoding="utf-8")
    refused = cli("quality", "import-tickets", str(path))
    assert refused.exit_code == 1
    assert (
        "zendesk.csv, row 3, column agent: 'alpha agent 2' names more than one person "
        "(alpha-02, twin)" in refused.output
    )
    assert refused.output.count("column agent") == 1
    assert _tickets(team) == {}
    path.write_text(HEADER + rows.replace("alpha agent 2", "ALPHA-02@example.org"), "utf-8")
    done = cli("quality", "import-tickets", str(path), "--json")
    assert done.exit_code == 0, done.output
    found = {key: row["agent_id"] for key, row in _tickets(team).items()}
    assert found == {
        "zendesk:1": "jn",
        "zendesk:2": "alpha-02",
        "zendesk:3": "alpha-03",
        "zendesk:4": "alpha-01",
    }
