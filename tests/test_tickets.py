"""corehub.tickets: the one reader of help desk ticket exports."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from corehub.errors import ValidationError
from corehub.models import Person
from corehub.tickets import AgentIndex, parse_map, read_tickets


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_zendesk_csv_is_recognised_by_its_headers(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "export.csv",
        "Summation column,Id,Requester,Assignee,Subject,Status,Via,Created at,Solved at,"
        "Satisfaction Score,Satisfaction Comment\n"
        ",5,Ann,Eva Berg,Printer,Solved,Web Widget,2026-11-03 10:00,2026-11-04 08:00,Good,Nice\n",
    )
    export = read_tickets(path)
    assert (export.format, export.source) == ("zendesk", "zendesk")
    [ticket] = export.tickets
    assert (ticket.ticket_id, ticket.agent, ticket.channel, ticket.rating) == (
        "5",
        "Eva Berg",
        "chat",
        "good",
    )
    assert ticket.rated and str(ticket.day) == "2026-11-04"


def test_jira_service_management_csv(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "jira.csv",
        "Summary,Issue key,Issue id,Status,Assignee,Reporter,Created,Resolved,"
        "Custom field (Satisfaction),Custom field (Request Type)\n"
        "Laptop,HD-12,10012,Done,eva@example.org,Kim,03/Nov/26 2:22 PM,04/Nov/26 9:00 AM,4,Email\n",
    )
    export = read_tickets(path)
    [ticket] = export.tickets
    assert export.format == "jira"
    assert (ticket.ticket_id, ticket.rating, ticket.channel) == ("HD-12", "4", "email")
    assert ticket.created_at is not None and ticket.created_at.hour == 14


def test_zendesk_api_json_with_users_and_comments(tmp_path: Path) -> None:
    data = {
        "tickets": [
            {
                "id": 31,
                "subject": "Refund",
                "assignee_id": 2,
                "requester_id": 1,
                "via": {"channel": "voice"},
                "created_at": "2026-11-02T08:00:00Z",
                "satisfaction_rating": {"score": "unoffered"},
                "comments": [
                    {"author_id": 1, "body": "Where is my refund?"},
                    {"author_id": 2, "body": "On its way."},
                ],
            }
        ],
        "users": [{"id": 1, "name": "Customer"}, {"id": 2, "name": "Eva", "email": "eva@x.org"}],
    }
    export = read_tickets(_write(tmp_path, "t.json", json.dumps(data)))
    [ticket] = export.tickets
    assert export.format == "zendesk-json"
    assert (ticket.agent_email, ticket.channel, ticket.rated) == ("eva@x.org", "phone", False)
    assert [(m.author, m.body) for m in ticket.conversation] == [
        ("Customer", "Where is my refund?"),
        ("Eva", "On its way."),
    ]


def test_unknown_format_says_what_was_expected_and_suggests_map(tmp_path: Path) -> None:
    path = _write(tmp_path, "x.csv", "Caso,Agente,Nota\n1,eva,5\n")
    with pytest.raises(ValidationError) as caught:
        read_tickets(path)
    message = str(caught.value)
    assert "not a ticket export corehub recognises" in message
    assert "zendesk: assignee, id, satisfaction_score, via" in message
    assert "--map" in message
    export = read_tickets(path, parse_map(["Caso=ticket_id", "Agente=agent", "Nota=rating"]))
    assert export.format == "mapped" and export.tickets[0].rating == "5"


def test_every_problem_of_the_file_is_listed_with_row_and_column(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "z.csv",
        "Id,Assignee,Via,Satisfaction Score,Created at\n"
        ",Eva,Mail,Good,2026-11-01\n"
        "2,,Mail,Good,yesterday\n"
        "3,Eva,Mail,Good,2026-11-01\n"
        "3,Eva,Mail,Good,2026-11-01\n",
    )
    with pytest.raises(ValidationError) as caught:
        read_tickets(path)
    problems = caught.value.problems
    assert any(p.startswith("z.csv, row 2, column ticket_id: empty") for p in problems)
    assert any(p.startswith("z.csv, row 3, column created_at: 'yesterday'") for p in problems)
    assert any(p.startswith("z.csv, row 3, column agent: empty") for p in problems)
    assert any("row 5, column ticket_id: ticket '3' again (also on row 4)" in p for p in problems)


def test_bad_map_names_the_fields(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="'score' is not one of ticket_id"):
        parse_map(["Nota=score"])


def test_the_old_agent_index_still_finds_people_and_warns() -> None:
    """``AgentIndex`` (corehub.loaders) gave way to ``hub.people.finder``; it keeps working,
    by the finder's rules, for one release."""
    people = [
        Person(id="p1", name="Eva Berg", email="eva@x.org"),
        Person(id="p2", name="Bo Ek"),
        Person(id="p3", name="Bo Ek"),
    ]
    with pytest.warns(DeprecationWarning, match="hub.people.finder"):
        index = AgentIndex(people)

    def find(agent: str) -> tuple[str | None, str]:
        from corehub.tickets import Ticket

        person, why = index.find(Ticket(source="s", ticket_id="1", row="row 2", agent=agent))
        return (person.id if person else None), why

    assert find("EVA@x.org") == ("p1", "")
    assert find("p2") == ("p2", "")
    assert find("Eva  Berg")[0] == "p1"
    assert find("Bo Ek") == (
        None,
        "'Bo Ek' names more than one person (p2, p3) (name them by id or e-mail address in "
        "the file, or give each person a distinct name)",
    )
    assert find("Nobody")[1].startswith("'Nobody' is not a known person")


def test_the_old_agent_index_of_a_hub_reads_the_tickets_people(hub: Any) -> None:
    from corehub.tickets import Ticket

    hub.people.save([Person(id="p1", name="Eva Berg", email="eva@x.org", active=False)])
    tickets = [Ticket(source="s", ticket_id="1", row="row 2", agent="EVA BERG")]
    with pytest.warns(DeprecationWarning):
        index = AgentIndex.of(hub, tickets)
    person, why = index.find(tickets[0])
    assert (person.id if person else None, why) == ("p1", "")
