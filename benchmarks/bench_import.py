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

Prints, at each size, the seconds, the ratio and the cost per row; a cost that grows with
the organization shows as a rising cost per row.
"""

from __future__ import annotations

import csv
import os
import random
import tempfile
import time
from pathlib import Path
from typing import Any

from bench_quality import workspace

SIZES = [int(n) for n in os.environ.get("COREHUB_BENCH_IMPORT_AGENTS", "1000,10000").split(",")]
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


def main() -> None:
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


if __name__ == "__main__":
    main()
