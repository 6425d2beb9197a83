"""Core benchmarks: opening a cycle as users run it, and the command line's start-up time.

``cycle open`` runs on an organization of 1,000 and 10,000 people (and 100,000 with
``COREHUB_BENCH_LARGE=1``) made by the benchmarks' one builder (``orgs.build``: data in
every shipped plugin; kept in ``build/bench-orgs/`` between runs) with every installed
plugin loaded from its entry point, in an organization's second cycle: last cycle's
reviews were submitted with goals, which the new reviews start with. The baseline, measured in the same run, is a
bare sqlite-utils ``insert_all`` of exactly the rows the opening wrote (members, tasks,
reviews with their form copies, audit events) into the same schema, in one transaction.
Cost per person at each size shows whether it grows with the organization.

Every figure is a ratio against a baseline measured in the same run, on the same
machine, so noisy machines still give comparable numbers.

Environment: ``COREHUB_BENCH_LARGE=1`` adds 100,000 people (about 20 GB of temporary
disk, and its organization kept in ``build/bench-orgs/``: delete it when done);
``COREHUB_BENCH_PEOPLE=2000`` or ``=1000,5000`` measures those sizes instead;
``COREHUB_BENCH_ROUNDS`` (3) rounds at each size up to 10,000 people, the best counting.
"""

from __future__ import annotations

import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

import orgs
from orgs import organization  # noqa: F401  (bench_calibration builds its org with it)

LARGE = os.environ.get("COREHUB_BENCH_LARGE", "").strip() not in ("", "0")
SIZES = [1_000, 10_000] + ([100_000] if LARGE else [])
if os.environ.get("COREHUB_BENCH_PEOPLE"):
    SIZES = [int(n) for n in os.environ["COREHUB_BENCH_PEOPLE"].split(",")]
ROUNDS = int(os.environ.get("COREHUB_BENCH_ROUNDS", "3"))
"""Rounds at each size up to 10,000 people (one at larger sizes); the best of each counts."""

WRITTEN = {
    "cycle_members": "cycle_id = :cycle",
    "tasks": "cycle_id = :cycle",
    "self_assessment_reviews": "cycle_id = :cycle",
    "events": "id > :events",
}
"""The tables ``cycle open`` writes, and which rows of each it wrote."""


def best_of(runs: int, fn: Callable[[], Any]) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def _copy(source: Path, target: Path) -> None:
    """A consistent copy of a SQLite database (the backup API, not a file copy)."""
    target.unlink(missing_ok=True)
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    src.close()
    dst.close()
    _settle(target)


def _settle(path: Path) -> None:
    """Flush the file to disk, so the next timed commit does not pay for writing it."""
    with path.open("rb+") as f:
        os.fsync(f.fileno())


def bench_cycle_open(size: int, rounds: int = ROUNDS) -> dict[str, float]:
    """``hub.cycles.open`` on a ``size``-person organization against ``insert_all`` of its rows."""
    from corehub.storage import open_database

    with tempfile.TemporaryDirectory() as tmp:
        ws = Path(tmp) / "ws"
        hub = orgs.workspace(ws, size)
        name = orgs.NEXT[0]
        cycle_id = hub.cycles.get(name).id
        db_path = hub.db_path
        hub.close()
        _settle(db_path)
        rounds = rounds if size <= 10_000 else 1
        # a copy to open again from, in each round after the first (none with one round:
        # at 100,000 people the database holds gigabytes of form copies)
        pristine = Path(tmp) / "pristine.db"
        if rounds > 1:
            _copy(db_path, pristine)

        # The baseline's database: the same schema (every plugin's migrations), the same
        # people and cycles, none of the rows the opening writes.
        base_ws = Path(tmp) / "baseline"
        from corehub.workspace import init_workspace

        init_workspace(base_ws).close()
        base = orgs.hub_for(base_ws)
        base.migrate()
        base_path = base.db_path
        base.close()
        db = open_database(base_path)
        db.execute("ATTACH DATABASE ? AS src", [str(pristine if rounds > 1 else db_path)])
        with db.atomic():
            for table in ("people", "cycles"):
                db.execute(f"INSERT INTO main.[{table}] SELECT * FROM src.[{table}]")
        db.execute("DETACH DATABASE src")
        db.close()
        base_pristine = Path(tmp) / "baseline-pristine.db"
        _copy(base_path, base_pristine)

        opens: list[float] = []
        inserts: list[float] = []
        rows: dict[str, list[dict[str, Any]]] = {}
        tasks = 0
        for n in range(rounds):
            if n:
                _copy(pristine, db_path)
            hub = orgs.hub_for(ws)
            events = hub.db.execute("SELECT COALESCE(MAX(id), 0) FROM events").fetchone()[0]
            start = time.perf_counter()
            result = hub.cycles.open(name)
            opens.append(time.perf_counter() - start)
            assert len(result.enrolled) == size, (len(result.enrolled), size)
            tasks = result.tasks_created
            if not rows:
                params = {"cycle": cycle_id, "events": events}
                # one string for each distinct long value (a form copy), as the opening
                # shares it: 200,000 copies of 17 kB would not fit in memory
                shared: dict[str, str] = {}
                rows = {
                    table: [
                        {
                            k: shared.setdefault(v, v) if isinstance(v, str) and len(v) > 512 else v
                            for k, v in row.items()
                            if k != "id"
                        }
                        for row in hub.db.query(
                            f"SELECT * FROM [{table}] WHERE {where} ORDER BY rowid", params
                        )
                    ]
                    for table, where in WRITTEN.items()
                }
            hub.close()

            _copy(base_pristine, base_path)
            db = open_database(base_path)
            start = time.perf_counter()
            with db.atomic():
                for table, table_rows in rows.items():
                    db.table(table).insert_all(table_rows, batch_size=500)
            inserts.append(time.perf_counter() - start)
            db.close()
        rows_written = sum(len(r) for r in rows.values())
        reviews = len(rows["self_assessment_reviews"])
    return {
        "people": size,
        "tasks": tasks,
        "reviews": reviews,
        "rows": rows_written,
        "corehub_s": min(opens),
        "baseline_s": min(inserts),
        "rounds": len(opens),
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
    from corehub.plugins import make_plugin_manager

    plugins = sorted(
        info.name for info in make_plugin_manager(env={}).infos.values() if info.source != "builtin"
    )
    print(
        "cycle open (second cycle: reviews start with last cycle's goals) vs sqlite-utils "
        "insert_all of the same rows, in one transaction"
    )
    print(f"  plugins: {', '.join(plugins) or 'none installed'} (entry points)")
    if not LARGE:
        print(
            "  100,000 people: set COREHUB_BENCH_LARGE=1 (about 20 GB of temporary disk; "
            "its organization is built once and kept in build/bench-orgs/)"
        )
    print(
        f"  {'people':>8} {'rows':>9} {'open':>8} {'insert_all':>10} {'ratio':>6} "
        f"{'open/person':>12} {'insert/person':>14}"
    )
    for size in SIZES:
        r = bench_cycle_open(size)
        per_open = r["corehub_s"] / size * 1e6
        per_insert = r["baseline_s"] / size * 1e6
        print(
            f"  {size:>8,} {r['rows']:>9,} {r['corehub_s']:>7.2f}s {r['baseline_s']:>9.2f}s "
            f"{r['corehub_s'] / r['baseline_s']:>5.2f}x {per_open:>9.0f} µs {per_insert:>11.0f} µs"
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
