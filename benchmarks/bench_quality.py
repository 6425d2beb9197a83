"""Quality plugin benchmarks: importing tickets, sampling, the packet section.

Every figure is a ratio against a baseline measured in the same run:

- importing N tickets (``COREHUB_BENCH_TICKETS``, default 1,000,000) from a Zendesk CSV
  export with ``corehub quality import-tickets``' library call, against a bare
  sqlite-utils ``insert_all`` of the same rows into the same table (goal: at most 3x);
- sampling 5 tickets for each of ``COREHUB_BENCH_AGENTS`` (default 10,000) agents, against
  a bare query of the same tickets and a seeded ``random.sample`` per agent;
- the packet section's data (``person_context``) for one agent, against a bare query of
  that agent's grades.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import tempfile
import time
from pathlib import Path
from typing import Any

from corehub import Hub
from corehub.clock import FixedClock
from corehub.models import Level, Person
from corehub.plugins import make_plugin_manager

TICKETS = int(os.environ.get("COREHUB_BENCH_TICKETS", "1000000"))
AGENTS = int(os.environ.get("COREHUB_BENCH_AGENTS", "10000"))
HEADER = (
    "Id,Subject,Requester,Assignee,Group,Status,Via,Created at,Solved at,"
    "Satisfaction Score,Satisfaction Comment\n"
)
VIAS = ("Mail", "Chat", "Web Form", "Phone")
SCORES = ("Good", "Bad", "Offered", "Unoffered")


def workspace(tmp: str, agents: int) -> Hub:
    from corehub.workspace import init_workspace

    init_workspace(Path(tmp) / "ws").close()
    # every shipped plugin, installed as users install them (entry points), as users run it
    pm = make_plugin_manager(env={})
    hub = Hub(Path(tmp) / "ws", plugin_manager=pm, clock=FixedClock("2026-12-01T09:00:00+00:00"))
    hub.migrate()
    leads = max(1, agents // 12)
    people = [
        Person(id=f"lead{t}", name=f"Lead {t}", team=f"t{t}", level=Level.SUPERVISORY)
        for t in range(leads)
    ]
    people += [
        Person(
            id=f"a{n}",
            name=f"Agent {n}",
            email=f"a{n}@x.org",
            team=f"t{n % leads}",
            manager_id=f"lead{n % leads}",
        )
        for n in range(agents)
    ]
    hub.people.save(people)
    return hub


def write_export(path: Path, tickets: int, agents: int) -> None:
    rng = random.Random(1)
    with path.open("w", encoding="utf-8") as out:
        out.write(HEADER)
        for n in range(tickets):
            day = f"2026-11-{1 + n % 28:02d}"
            out.write(
                f"{n},Case {n},Customer {n},a{n % agents}@x.org,Support,Solved,"
                f"{VIAS[n % 4]},{day} 09:{n % 60:02d},{day} 10:{n % 60:02d},"
                f"{SCORES[rng.randrange(4)]},\n"
            )


def bench_import(tickets: int = TICKETS) -> dict[str, float]:
    from corehub_quality.tickets import import_tickets

    agents = min(AGENTS, max(10, tickets // 100))
    with tempfile.TemporaryDirectory() as tmp:
        hub = workspace(tmp, agents)
        export = Path(tmp) / "export.csv"
        write_export(export, tickets, agents)
        start = time.perf_counter()
        result = import_tickets(hub, export)
        ours = time.perf_counter() - start
        assert result.created == tickets, result
        rows = [
            {k: v for k, v in r.items() if k != "id"}
            for r in hub.db.query("SELECT * FROM quality_tickets")
        ]
        hub.db.execute("DELETE FROM quality_tickets")
        start = time.perf_counter()
        with hub.atomic() as db:
            db.table("quality_tickets").insert_all(rows, batch_size=2000)
        bare = time.perf_counter() - start
        hub.db.execute("DELETE FROM quality_tickets")
        import_tickets(hub, export)
        start = time.perf_counter()
        unchanged = import_tickets(hub, export)  # the same export again: nothing changes
        again = time.perf_counter() - start
        assert unchanged.unchanged == tickets, unchanged
        hub.close()
    return {"ours": ours, "bare": bare, "ratio": ours / bare, "reimport": again}


def bench_sampling(agents: int = AGENTS, per_agent: int = 5) -> dict[str, float]:
    from corehub_quality import sampling

    with tempfile.TemporaryDirectory() as tmp:
        hub = workspace(tmp, agents)
        now = "2026-12-01T00:00:00+00:00"
        rows = [
            {
                "source": "zendesk",
                "ticket_id": str(n),
                "agent_id": f"a{n % agents}",
                "channel": ("email", "chat", "web", "phone")[n % 4],
                "day": f"2026-11-{1 + n % 28:02d}",
                "rating": ("good", "bad", "offered")[n % 3],
                "imported_at": now,
            }
            for n in range(agents * per_agent * 3)
        ]
        with hub.atomic() as db:
            db.table("quality_tickets").insert_all(rows, batch_size=5000)
        start = time.perf_counter()
        bare_rows = list(
            hub.db.query(
                "SELECT * FROM quality_tickets WHERE day BETWEEN ? AND ?",
                ["2026-11-01", "2026-11-30"],
            )
        )
        rng = random.Random(7)
        by_agent: dict[str, list[Any]] = {}
        for row in bare_rows:
            by_agent.setdefault(row["agent_id"], []).append(row)
        picked = [rng.sample(rows_, per_agent) for rows_ in by_agent.values()]
        bare = time.perf_counter() - start
        start = time.perf_counter()
        result = sampling.sample(hub, "2026-11", per_agent=per_agent, strategy="mixed", seed=7)
        ours = time.perf_counter() - start
        assert len(result.picks) == sum(len(p) for p in picked)
        hub.close()
    return {"ours": ours, "bare": bare, "ratio": ours / bare}


def bench_section(graded: int = 40, runs: int = 50) -> dict[str, float]:
    from corehub.models import Report, ReportKind
    from corehub_quality import grading, report, sampling

    with tempfile.TemporaryDirectory() as tmp:
        hub = workspace(tmp, 12)
        now = "2026-12-01T00:00:00+00:00"
        with hub.atomic() as db:
            db.table("quality_tickets").insert_all(
                {
                    "source": "zendesk",
                    "ticket_id": str(n),
                    "agent_id": f"a{n % 12}",
                    "channel": "email",
                    "day": f"2026-{7 + n % 5:02d}-{1 + n % 28:02d}",
                    "imported_at": now,
                }
                for n in range(graded * 12)
            )
        for month in range(7, 12):
            sampling.sample(hub, f"2026-{month:02d}", per_agent=graded // 5, seed=month)
        answers = {
            "greeting": "yes",
            "tone": "4",
            "clarity": "5",
            "respectful_language": "yes",
            "understood": "yes",
            "correct_information": "yes",
            "resolved": "4",
            "personal_data": "yes",
            "documented": "no",
            "knowledge_article": "na",
        }
        for task in list(hub.db.query("SELECT id, grader_id FROM quality_tasks")):
            grading.grade(
                hub, {"task": task["id"], "answers": answers}, submit=True, actor=task["grader_id"]
            )
        cycle = hub.cycles.create("bench", start=dt.date(2026, 7, 1), end=dt.date(2026, 12, 31))
        person = hub.people.get("a1")
        rep = Report(kind=ReportKind.PACKET, cycle=cycle, locale="es", person=person)
        start = time.perf_counter()
        for _ in range(runs):
            data = report.person_context(hub, rep)
        ours = (time.perf_counter() - start) / runs
        assert data is not None and data["overall"]["count"] == graded
        start = time.perf_counter()
        for _ in range(runs):
            list(hub.db.query("SELECT * FROM quality_grades WHERE agent_id = ?", ["a1"]))
        bare = (time.perf_counter() - start) / runs
        hub.close()
    return {"ours": ours, "bare": bare, "ratio": ours / bare}


def main() -> None:
    found = bench_import()
    print(
        f"import {TICKETS:,} tickets (Zendesk CSV): {found['ours']:.1f}s vs bare insert_all "
        f"{found['bare']:.1f}s: {found['ratio']:.2f}x (goal <= 3x); importing it again "
        f"unchanged: {found['reimport']:.1f}s"
    )
    found = bench_sampling()
    print(
        f"sample 5 per agent for {AGENTS:,} agents: {found['ours']:.2f}s vs bare query + "
        f"random.sample {found['bare']:.2f}s: {found['ratio']:.1f}x"
    )
    found = bench_section()
    print(
        f"quality section of one packet (40 graded tickets): {1000 * found['ours']:.1f} ms vs "
        f"a bare query of the grades {1000 * found['bare']:.2f} ms: {found['ratio']:.0f}x"
    )


if __name__ == "__main__":
    main()
