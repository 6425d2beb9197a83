"""Import benchmarks: what an organization's imports cost against writing their rows.

Every figure is a ratio against a baseline measured in the same run: a bare sqlite-utils
``insert_all`` of the very rows the import stored, into the same table of a fresh
workspace, in one transaction. Goal: at most 3x at every size, so an import costs what its
rows cost, whatever the size of the organization.

- CSAT (``corehub feedback import-csat``' library call): an export of 40 rated tickets per
  agent (a comment on one in three) for 1,000 and 10,000 agents
  (``COREHUB_BENCH_IMPORT_AGENTS``, default ``1000,10000``), into a workspace with every
  shipped plugin; then the same file again (every rating unchanged), then a corrected
  export of the same tickets (most scores or comments changed: updates).

- training sync (``corehub training sync``' library call) for an organization of 1,000 and
  10,000 people (``COREHUB_BENCH_SYNC_PEOPLE``, default ``1000,10000``; ``orgs.organization``:
  directors, supervisors, agents, a few new hires), with every shipped plugin: most
  veterans hold most of their required courses (data protection expired or due for
  recertification for some), some hold open assignments past their due date. The sync
  assigns what is missing (inductions, recertifications, courses never taken) and marks
  the overdue ones; the baseline is an ``insert_all`` of the assignment rows it wrote or
  changed and of its events. Then the same sync again, which finds nothing to do (its
  seconds per person: what reading the organization's state costs).

- ticket import (``corehub quality import-tickets``' library call) of a generated export
  of 10,000 and 100,000 tickets (``COREHUB_BENCH_TICKET_SIZES``) in the Zendesk JSON and
  CSV forms (``COREHUB_BENCH_TICKET_FORMS``: any of ``ticket_exports.FORMS``), each in its
  own process: its peak memory (``ru_maxrss``) and time per ticket, against reading the
  same file whole the plainest way (``json.load``, ``csv.reader`` into a list) and a bare
  ``insert_all`` of one row per ticket. The import's memory stays flat as the file grows;
  the baseline's grows with it.

Prints, at each size, the seconds, the ratio and the cost per row; a cost that grows with
the organization shows as a rising cost per row.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import random
import tempfile
import time
from pathlib import Path
from typing import Any

from bench_quality import workspace

from corehub import Hub
from corehub.clock import FixedClock
from corehub.plugins import make_plugin_manager

SIZES = [int(n) for n in os.environ.get("COREHUB_BENCH_IMPORT_AGENTS", "1000,10000").split(",")]
SYNC_SIZES = [int(n) for n in os.environ.get("COREHUB_BENCH_SYNC_PEOPLE", "1000,10000").split(",")]
TICKET_SIZES = [
    int(n) for n in os.environ.get("COREHUB_BENCH_TICKET_SIZES", "10000,100000").split(",")
]
TICKET_FORMS = os.environ.get("COREHUB_BENCH_TICKET_FORMS", "zendesk-json,zendesk-csv").split(",")
SYNC_TODAY = "2026-10-15T09:00:00+00:00"
PER_AGENT = 40
WRITTEN = (
    "id",
    "kind",
    "recipient_id",
    "author_id",
    "anonymous",
    "given_on",
    "given_at",
    "text",
    "rating",
    "tags",
    "source",
    "source_key",
)
"""The columns a CSAT import writes."""
COMMENTS = ("Quick and kind", "Solved at once", "Took two days", "Had to call back", "Thanks!")


def write_csat(path: Path, agents: int, per_agent: int = PER_AGENT, *, seed: int = 0) -> int:
    """A CSAT export as a survey tool writes it: ticket, agent email, score, comment, date.
    Another ``seed`` gives the same tickets with other scores and comments."""
    rng = random.Random(agents + seed)
    rows = 0
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Ticket ID", "Agent Email", "Rating", "Comment", "Rated At"])
        for n in range(agents):
            skill = rng.uniform(3.6, 4.7)
            for k in range(per_agent):
                score = max(1, min(5, round(rng.gauss(skill, 0.9))))
                comment = rng.choice(COMMENTS) if k % 3 == 0 else ""
                day = f"2026-{7 + k % 5:02d}-{1 + (n + k) % 28:02d} {9 + k % 8:02d}:{k % 60:02d}"
                writer.writerow([f"T-{n}-{k}", f"a{n}@x.org", score, comment, day])
                rows += 1
    return rows


def bench_csat(agents: int) -> dict[str, float]:
    from corehub_feedback.csat import import_csat

    with tempfile.TemporaryDirectory() as tmp, tempfile.TemporaryDirectory() as bare_tmp:
        hub = workspace(tmp, agents)
        path = Path(tmp) / "csat.csv"
        rows = write_csat(path, agents)
        start = time.perf_counter()
        result = import_csat(hub, path)
        imported = time.perf_counter() - start
        assert result.created == rows, result
        start = time.perf_counter()
        again = import_csat(hub, path)
        reimported = time.perf_counter() - start
        assert again.unchanged == rows, again
        changed = Path(tmp) / "csat-corrected.csv"
        write_csat(changed, agents, seed=1)
        start = time.perf_counter()
        corrected = import_csat(hub, changed)
        updated = time.perf_counter() - start
        assert corrected.created == 0 and corrected.updated > rows // 2, corrected
        # the rows as the import wrote them: the columns it writes, the values stored
        columns = ", ".join(WRITTEN)
        stored: list[dict[str, Any]] = list(
            hub.db.query(f"SELECT {columns} FROM feedback WHERE kind = 'customer'")
        )
        hub.close()

        bare = workspace(bare_tmp, agents)
        start = time.perf_counter()
        with bare.atomic() as db:
            db.table("feedback").insert_all(stored)
        baseline = time.perf_counter() - start
        assert bare.db["feedback"].count == rows
        bare.close()
    return {
        "rows": rows,
        "import": imported,
        "reimport": reimported,
        "updated": updated,
        "updated_rows": corrected.updated,
        "insert_all": baseline,
    }


def _sync_workspace(folder: Path, people: list[Any]) -> Hub:
    """A workspace with every shipped plugin (entry points, as users install them) and
    ``people``, on the benchmark's day."""
    from corehub.workspace import init_workspace

    init_workspace(folder).close()
    pm = make_plugin_manager(env={})
    hub = Hub(folder, plugin_manager=pm, clock=FixedClock(SYNC_TODAY))
    hub.migrate()
    hub.people.save(people)
    return hub


def _training_records(hub: Hub, people: list[Any]) -> None:
    """Setup (not measured): completions of most required courses, some expired or due for
    recertification, and open assignments, some past their due date, written as stored."""
    from corehub_training_tracker.training import Training

    rng = random.Random(len(people))
    training = Training(hub)
    today = training.today
    stamp = SYNC_TODAY
    completions, assignments = [], []
    for person in people:
        needs = training.required(person, on_record=())  # nothing is on record yet
        if person.hire_date and person.hire_date >= today - dt.timedelta(days=90):
            continue  # new hires: inductions and everything else come from the sync
        for course in needs:
            if course == "induction" or rng.random() > 0.85:
                continue
            done = today - dt.timedelta(days=rng.randint(20, 420))
            completions.append(
                {
                    "person_id": person.id,
                    "course_id": course,
                    "completed_on": done.isoformat(),
                    "expires_on": (done + dt.timedelta(days=365)).isoformat()
                    if course == "data-protection"
                    else None,
                    "source": "import:lms.csv",
                    "recorded_at": stamp,
                }
            )
        if rng.random() < 0.1:
            assigned = today - dt.timedelta(days=rng.randint(10, 90))
            assignments.append(
                {
                    "person_id": person.id,
                    "course_id": "product-update",
                    "assigned_on": assigned.isoformat(),
                    "due": (assigned + dt.timedelta(days=rng.randint(0, 120))).isoformat(),
                    "status": "assigned",
                    "source": "manual",
                    "created_at": stamp,
                }
            )
    with hub.atomic() as db:
        db.table("training_completions").insert_all(completions, batch_size=500)
        db.table("training_assignments").insert_all(assignments, batch_size=500)


def bench_sync(size: int) -> dict[str, float]:
    import orgs

    from corehub_training_tracker.training import Training

    people = orgs.organization(size)
    with tempfile.TemporaryDirectory() as tmp, tempfile.TemporaryDirectory() as bare_tmp:
        hub = _sync_workspace(Path(tmp) / "ws", people)
        _training_records(hub, people)
        assignments_before = {
            row["id"]: row for row in hub.db.query("SELECT * FROM training_assignments")
        }
        events_before = hub.db.execute("SELECT coalesce(max(id), 0) FROM events").fetchone()[0]
        start = time.perf_counter()
        result = Training(hub).sync()
        synced = time.perf_counter() - start
        assert result.created and result.overdue, result
        start = time.perf_counter()
        again = Training(hub).sync()
        resynced = time.perf_counter() - start
        assert not (again.created or again.overdue or again.expired), again
        # the rows as the sync wrote them: assignments made or changed, its events
        written = [
            row
            for row in hub.db.query("SELECT * FROM training_assignments")
            if assignments_before.get(row["id"]) != row
        ]
        events = list(hub.db.query("SELECT * FROM events WHERE id > ?", [events_before]))
        hub.close()

        bare = _sync_workspace(Path(bare_tmp) / "ws", people)
        start = time.perf_counter()
        with bare.atomic() as db:
            db.table("training_assignments").insert_all(written)
            db.table("events").insert_all(events)
        baseline = time.perf_counter() - start
        bare.close()
    return {
        "rows": len(written) + len(events),
        "created": len(result.created),
        "overdue": len(result.overdue),
        "sync": synced,
        "again": resynced,
        "insert_all": baseline,
    }


def bench_tickets(form: str, tickets: int) -> dict[str, dict[str, Any]]:
    """The import and the baseline of one export, each in a fresh process (a process's
    peak memory never goes down)."""
    import json
    import subprocess
    import sys

    found = {}
    for what in ("import", "baseline"):
        run = subprocess.run(
            [sys.executable, str(Path(__file__).parent / "ticket_exports.py"), form, str(tickets)]
            + (["baseline"] if what == "baseline" else []),
            capture_output=True,
            text=True,
            check=True,
        )
        found[what] = json.loads(run.stdout.strip().splitlines()[-1])
    return found


def main() -> None:
    print(
        "   ticket import, read as a stream: peak memory and time per ticket vs the file read "
        "whole (json.load / csv.reader) and a bare insert_all"
    )
    for tickets in TICKET_SIZES:
        for form in TICKET_FORMS:
            f = bench_tickets(form, tickets)
            ours, base = f["import"], f["baseline"]
            print(
                f"   {tickets:>9,} tickets, {form:<13} ({ours['file_mib']:>6.1f} MiB): import "
                f"peak {ours['peak_mib']:>6.0f} MiB, {ours['us_per_ticket']:>6.1f} us/ticket; "
                f"read whole + insert_all peak {base['peak_mib']:>6.0f} MiB "
                f"({ours['peak_mib'] / base['peak_mib']:.2f}x), {base['us_per_ticket']:>5.1f} "
                f"us/ticket ({ours['seconds'] / base['seconds']:.2f}x)"
            )
    print(
        f"   CSAT import, {PER_AGENT} ratings per agent, vs insert_all of the same rows (goal <= 3x)"
    )
    for agents in SIZES:
        f = bench_csat(agents)
        rows = f["rows"]
        print(
            f"   {agents:>6} agents, {rows:>7,.0f} rows: import {f['import']:.2f}s "
            f"({f['import'] / f['insert_all']:.2f}x, {1e6 * f['import'] / rows:.1f} us/row); "
            f"same file again {f['reimport']:.2f}s ({f['reimport'] / f['insert_all']:.2f}x); "
            f"{f['updated_rows']:,.0f} changed {f['updated']:.2f}s "
            f"({f['updated'] / f['insert_all']:.2f}x); "
            f"insert_all {f['insert_all']:.2f}s ({1e6 * f['insert_all'] / rows:.1f} us/row)"
        )

    print("   training sync (every shipped plugin) vs insert_all of the rows it wrote (goal <= 3x)")
    for size in SYNC_SIZES:
        f = bench_sync(size)
        rows = f["rows"]
        print(
            f"   {size:>6} people, {rows:>7,.0f} rows ({f['created']:,.0f} assigned, "
            f"{f['overdue']:,.0f} overdue, and their events): sync {f['sync']:.2f}s "
            f"({f['sync'] / f['insert_all']:.2f}x, {1e6 * f['sync'] / rows:.1f} us/row); "
            f"again, nothing to do {f['again']:.2f}s ({1e6 * f['again'] / size:.1f} us/person); "
            f"insert_all {f['insert_all']:.2f}s ({1e6 * f['insert_all'] / rows:.1f} us/row)"
        )


if __name__ == "__main__":
    main()
