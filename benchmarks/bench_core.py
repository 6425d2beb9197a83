"""Core benchmarks: opening a large cycle, and the command line's start-up time.

Every figure is a ratio against a baseline measured in the same run, on the same
machine, so noisy machines still give comparable numbers.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from corehub import Hub, hookimpl
from corehub.clock import FixedClock
from corehub.models import Level, Person, TaskSpec
from corehub.plugins import make_plugin_manager
from corehub.storage import open_database

PEOPLE = int(os.environ.get("COREHUB_BENCH_PEOPLE", "10000"))


class ReviewTasks:
    """A self-assessment for everyone and a manager review for everyone with a manager."""

    @hookimpl
    def cycle_tasks(self, hub, cycle, person):
        tasks = [TaskSpec(kind="self", assignee_id=person.id)]
        if person.manager_id:
            tasks.append(TaskSpec(kind="manager", assignee_id=person.manager_id, after=("self",)))
        return tasks


def organization(size: int) -> list[Person]:
    people = [Person(id="dir", name="Director", level=Level.DIRECTIVE)]
    leads = max(1, size // 12)
    for t in range(leads):
        people.append(
            Person(
                id=f"lead{t}",
                name=f"Lead {t}",
                team=f"team{t}",
                level=Level.SUPERVISORY,
                manager_id="dir",
            )
        )
    for n in range(size - len(people)):
        t = n % leads
        people.append(Person(id=f"p{n}", name=f"Agent {n}", team=f"team{t}", manager_id=f"lead{t}"))
    return people


def best_of(runs: int, fn) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def bench_cycle_open(size: int = PEOPLE) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        from corehub.workspace import init_workspace

        init_workspace(Path(tmp) / "ws").close()
        pm = make_plugin_manager(load_entry_points=False, env={})
        pm.register(ReviewTasks(), name="review-tasks")
        hub = Hub(Path(tmp) / "ws", plugin_manager=pm, clock=FixedClock("2026-03-02"))
        people = organization(size)
        hub.people.save(people)
        import datetime as dt

        hub.cycles.create("bench", start=dt.date(2026, 1, 1), end=dt.date(2026, 6, 30))
        start = time.perf_counter()
        result = hub.cycles.open("bench")
        corehub_time = time.perf_counter() - start
        cycle = result.cycle
        members = list(hub.db.query("SELECT cycle_id, person_id, enrolled_at FROM cycle_members"))
        tasks = list(
            hub.db.query(
                "SELECT cycle_id, kind, assignee_id, subject_id, due, status, plugin, after, created_at FROM tasks"
            )
        )
        assert len(members) == size and result.tasks_created == len(tasks)
        hub.close()

        # Baseline: the same rows, written by sqlite-utils alone into the same schema.
        baseline_ws = Path(tmp) / "baseline"
        init_workspace(baseline_ws).close()
        db = open_database(baseline_ws / "corehub.db")
        with db.atomic():
            db["people"].insert_all(
                (
                    {
                        "id": p.id,
                        "name": p.name,
                        "level": p.level.value,
                        "team": p.team,
                        "manager_id": p.manager_id,
                    }
                    for p in people
                ),
                batch_size=500,
            )
            db["cycles"].insert(
                {
                    "id": cycle.id,
                    "name": "bench",
                    "start_date": "2026-01-01",
                    "end_date": "2026-06-30",
                    "scope": "[]",
                    "status": "open",
                }
            )
        start = time.perf_counter()
        with db.atomic():
            db["cycle_members"].insert_all(members, batch_size=500)
            db["tasks"].insert_all(tasks, batch_size=500)
        baseline_time = time.perf_counter() - start
        db.close()
    return {
        "people": size,
        "tasks": len(tasks),
        "corehub_s": corehub_time,
        "baseline_s": baseline_time,
    }


def bench_help(runs: int = 7) -> dict[str, float]:
    env = dict(os.environ, COREHUB_LOAD_PLUGINS=os.environ.get("COREHUB_LOAD_PLUGINS", ""))
    exe = sys.executable

    def run(args: list[str]) -> float:
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            subprocess.run(args, check=True, stdout=subprocess.DEVNULL, env=env)
            times.append(time.perf_counter() - start)
        return statistics.median(times)

    baseline = run([exe, "-c", "pass"])
    help_all = run([exe, "-m", "corehub", "--help"])
    env["COREHUB_LOAD_PLUGINS"] = ""
    help_core = run([exe, "-m", "corehub", "--help"])
    return {"python_s": baseline, "help_core_s": help_core, "help_installed_plugins_s": help_all}


def main() -> None:
    print(
        f"cycle open, {PEOPLE:,} people (self + manager tasks) vs sqlite-utils insert_all of the same rows"
    )
    r = bench_cycle_open()
    print(
        f"  corehub {r['corehub_s']:.2f}s, baseline {r['baseline_s']:.2f}s, {r['tasks']:,} tasks: ratio {r['corehub_s'] / r['baseline_s']:.1f}x"
    )
    print("corehub --help cold start vs python -c pass (median of 7)")
    h = bench_help()
    print(
        f"  core only: {h['help_core_s'] * 1000:.0f} ms vs {h['python_s'] * 1000:.0f} ms: ratio {h['help_core_s'] / h['python_s']:.1f}x"
    )
    print(
        f"  with installed plugins: {h['help_installed_plugins_s'] * 1000:.0f} ms: ratio {h['help_installed_plugins_s'] / h['python_s']:.1f}x"
    )


if __name__ == "__main__":
    main()
