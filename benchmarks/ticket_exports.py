"""Ticket exports of any size, in every format corehub's ticket reader accepts, written
as a stream (the writer never holds the export), and what importing one costs.

``write(path, form, tickets, agents)`` writes ``tickets`` tickets assigned round-robin to
agents ``a0``..``a{agents-1}`` (``a{n}@x.org``; ``bench_quality.workspace`` makes them):

- ``zendesk-json``: the Zendesk tickets API with ``?include=users``: each ticket with its
  two comments, the users (agents and one requester per ticket) after the tickets;
- ``zendesk-csv``, ``freshdesk-csv``, ``jira-csv``: each system's CSV export;
- ``mapped-csv``: a CSV of the user's own headers, read with ``--map``.

``python benchmarks/ticket_exports.py FORM TICKETS [baseline]`` imports one such export into
a fresh workspace in this process and prints one JSON line: the seconds, and the peak
resident memory (``ru_maxrss``) before and after. ``baseline`` measures, instead of the
import, ``json.load`` of the file (JSON) or ``csv.reader`` into a list (CSV), then a bare
sqlite-utils ``insert_all`` of the rows the import stores. Each measurement is its own
process, since a process's peak memory never goes down.
"""

from __future__ import annotations

import csv
import json
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

FORMS = ("zendesk-json", "zendesk-csv", "freshdesk-csv", "jira-csv", "mapped-csv")
MAPPING = {
    "Case": "ticket_id",
    "Owner": "agent_email",
    "Title": "subject",
    "Opened": "created_at",
    "Closed": "solved_at",
    "Score": "rating",
}
_CHANNELS = ("email", "web", "chat", "voice")
_SCORES = ("good", "bad", "offered", "unoffered")
_ASKED = "My VPN drops every ten minutes since this morning; I have restarted twice."
_ANSWER = "Update the client to 5.2, the fault is fixed there. I will check in tomorrow."


def _moment(n: int, hour: int) -> str:
    return f"2026-{7 + n % 5:02d}-{1 + n % 28:02d}T{hour:02d}:{n % 60:02d}:00Z"


def write(path: Path, form: str, tickets: int, agents: int) -> None:
    """Write the export; memory stays flat whatever ``tickets`` is."""
    if form == "zendesk-json":
        _write_json(path, tickets, agents)
        return
    headers, row = _CSV[form]
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(headers)
        for n in range(tickets):
            writer.writerow(row(n, n % agents))


def _write_json(path: Path, tickets: int, agents: int) -> None:
    with path.open("w", encoding="utf-8") as out:
        out.write('{"tickets": [')
        for n in range(tickets):
            agent = n % agents
            ticket = {
                "id": 5000 + n,
                "subject": f"VPN drops ({n})",
                "assignee_id": 1000 + agent,
                "requester_id": 10_000_000 + n,
                "via": {"channel": _CHANNELS[n % 4]},
                "status": "solved",
                "created_at": _moment(n, 9),
                "metric_set": {"solved_at": _moment(n, 11)},
                "satisfaction_rating": {"score": _SCORES[n % 4]},
                "comments": [
                    {"author_id": 10_000_000 + n, "body": _ASKED, "created_at": _moment(n, 9)},
                    {"author_id": 1000 + agent, "body": _ANSWER, "created_at": _moment(n, 11)},
                ],
            }
            if n % 3 == 0:
                ticket["linked_articles"] = [f"KB-{n % 50}"]
            out.write(("," if n else "") + json.dumps(ticket, ensure_ascii=False))
        out.write('], "users": [')
        for n in range(agents):
            user = {"id": 1000 + n, "name": f"Agent {n}", "email": f"a{n}@x.org"}
            out.write(("," if n else "") + json.dumps(user))
        for n in range(tickets):
            out.write(f', {{"id": {10_000_000 + n}, "name": "Customer {n}"}}')
        out.write(f'], "count": {tickets}}}')


_CSV: dict[str, tuple[list[str], Any]] = {
    "zendesk-csv": (
        [
            "Id",
            "Subject",
            "Requester",
            "Assignee",
            "Via",
            "Status",
            "Created at",
            "Solved at",
            "Satisfaction Score",
            "Description",
            "Linked articles",
        ],
        lambda n, a: [
            n,
            f"VPN drops ({n})",
            f"Customer {n}",
            f"a{a}@x.org",
            ("Mail", "Web Form", "Chat", "Phone")[n % 4],
            "Solved",
            _moment(n, 9),
            _moment(n, 11),
            _SCORES[n % 4].title(),
            _ASKED,
            f"KB-{n % 50}" if n % 3 == 0 else "",
        ],
    ),
    "freshdesk-csv": (
        [
            "Ticket ID",
            "Subject",
            "Agent",
            "Full name",
            "Source",
            "Status",
            "Created time",
            "Resolved time",
            "Survey results",
            "Description",
        ],
        lambda n, a: [
            n,
            f"VPN drops ({n})",
            f"a{a}@x.org",
            f"Customer {n}",
            ("Email", "Portal", "Chat", "Phone")[n % 4],
            "Resolved",
            f"{1 + n % 28:02d}/{7 + n % 5:02d}/2026 09:{n % 60:02d}",
            f"{1 + n % 28:02d}/{7 + n % 5:02d}/2026 11:{n % 60:02d}",
            ("Extremely happy", "Unhappy", "", "")[n % 4],
            _ASKED,
        ],
    ),
    "jira-csv": (
        [
            "Issue key",
            "Summary",
            "Assignee",
            "Reporter",
            "Status",
            "Created",
            "Resolved",
            "Satisfaction",
            "Description",
        ],
        lambda n, a: [
            f"HD-{n}",
            f"VPN drops ({n})",
            f"a{a}@x.org",
            f"Customer {n}",
            "Done",
            _moment(n, 9),
            _moment(n, 11),
            str(1 + n % 5),
            _ASKED,
        ],
    ),
    "mapped-csv": (
        list(MAPPING),
        lambda n, a: (
            [
                f"C{n}",
                f"a{a}@x.org",
                f"VPN drops ({n})",
                _moment(n, 9),
                _moment(n, 11),
                str(1 + n % 5),
            ]
        ),
    ),
}


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(form: str, tickets: int, *, baseline: bool = False) -> dict[str, Any]:
    """Import (or, for ``baseline``, load and bare-insert) one export in this process."""
    from bench_quality import workspace

    agents = max(10, min(10_000, tickets // 100))
    with tempfile.TemporaryDirectory() as tmp:
        hub = workspace(tmp, agents)
        path = Path(tmp) / ("export.json" if form == "zendesk-json" else "export.csv")
        write(path, form, tickets, agents)
        size = path.stat().st_size
        before = _peak_mib()
        start = time.perf_counter()
        if baseline:
            rows = _bare_rows(path, form)
            with hub.atomic() as db:
                db.table("quality_tickets").insert_all(rows, batch_size=2000)
        else:
            from corehub_quality.tickets import import_tickets

            mapping = {k.lower(): v for k, v in MAPPING.items()} if form == "mapped-csv" else None
            result = import_tickets(hub, path, mapping)
            assert result.created == tickets, result
        seconds = time.perf_counter() - start
        hub.close()
    return {
        "form": form,
        "tickets": tickets,
        "what": "baseline" if baseline else "import",
        "file_mib": round(size / 2**20, 1),
        "seconds": round(seconds, 3),
        "us_per_ticket": round(seconds / tickets * 1e6, 1),
        "peak_mib_before": round(before, 1),
        "peak_mib": round(_peak_mib(), 1),
    }


def _bare_rows(path: Path, form: str) -> list[dict[str, Any]]:
    """The file read whole the plainest way, and one stored row per ticket."""
    if form == "zendesk-json":
        with path.open(encoding="utf-8") as handle:
            items = json.load(handle)["tickets"]
        return [
            {
                "source": "zendesk",
                "ticket_id": str(t["id"]),
                "agent_id": f"a{t['assignee_id'] - 1000}",
                "subject": t["subject"],
                "created_at": t["created_at"],
                "conversation": json.dumps(t["comments"]),
                "imported_at": "2026-12-01T09:00:00+00:00",
            }
            for t in items
        ]
    with path.open(encoding="utf-8", newline="") as handle:
        records = list(csv.reader(handle))
    return [
        {
            "source": form,
            "ticket_id": r[0],
            "subject": r[1],
            "agent_id": "a0",
            "requester": r[2],
            "created_at": r[3],
            "imported_at": "2026-12-01T09:00:00+00:00",
        }
        for r in records[1:]
    ]


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).parent))
    print(json.dumps(measure(sys.argv[1], int(sys.argv[2]), baseline=sys.argv[3:] == ["baseline"])))
