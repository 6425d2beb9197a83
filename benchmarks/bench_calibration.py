"""Calibration view of a large cycle vs a bare SQL aggregate of the same ratings.

Both read the same stored manager-review scores of a ``COREHUB_BENCH_PEOPLE``-person
(10,000 by default) cycle; the baseline is one GROUP BY per manager (count, mean, sum
of squares and counts per scale point) in SQLite alone, measured in the same run.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import tempfile
from pathlib import Path

from bench_core import best_of, organization

from corehub import Hub
from corehub.clock import FixedClock
from corehub.plugins import make_plugin_manager

PEOPLE = int(os.environ.get("COREHUB_BENCH_PEOPLE", "10000"))

BASELINE = """
SELECT author_id,
       COUNT(*) AS n,
       AVG(json_extract(score, '$.overall')) AS mean,
       AVG(json_extract(score, '$.overall') * json_extract(score, '$.overall')) AS squares,
       SUM(ROUND(json_extract(score, '$.overall')) = 1) AS p1,
       SUM(ROUND(json_extract(score, '$.overall')) = 2) AS p2,
       SUM(ROUND(json_extract(score, '$.overall')) = 3) AS p3,
       SUM(ROUND(json_extract(score, '$.overall')) = 4) AS p4,
       SUM(ROUND(json_extract(score, '$.overall')) = 5) AS p5
FROM self_assessment_reviews
WHERE cycle_id = ? AND kind = 'manager' AND status != 'draft'
GROUP BY author_id
"""


def build(tmp: Path, size: int) -> tuple[Hub, int]:
    import corehub_self_assessment.plugin
    from corehub.cli.workspace import init_workspace
    from corehub_self_assessment import forms

    init_workspace(tmp / "ws").close()
    pm = make_plugin_manager(load_entry_points=False, env={})
    hub = Hub(tmp / "ws", plugin_manager=pm, clock=FixedClock("2026-03-02"))
    people = organization(size)
    hub.people.save(people)
    hub.cycles.create("bench", start=dt.date(2026, 1, 1), end=dt.date(2026, 6, 30), calibrate=True)
    cycle = hub.cycles.open("bench").cycle
    hub.close()
    # the reviews plugin from here on: its tables, and a submitted manager review (with
    # its stored score) for everyone with a manager, written in bulk
    pm = make_plugin_manager(load_entry_points=False, env={})
    pm.register(corehub_self_assessment.plugin, name="self_assessment")
    hub = Hub(tmp / "ws", plugin_manager=pm, clock=FixedClock("2026-03-02"))
    form = forms.all_forms(hub)["agent"]
    form_json = json.dumps(hub.unstructure(form))
    rng = random.Random(18)
    rows = []
    for person in people:
        if not person.manager_id:
            continue
        skill = rng.gauss(3.4, 0.7) + (0.4 if person.manager_id.endswith("7") else 0)
        overall = min(5.0, max(1.0, round(skill, 2)))
        score = {
            "overall": overall,
            "sections": [],
            "competencies": {"communication": overall, "teamwork": min(5.0, overall + 0.3)},
        }
        rows.append(
            {
                "cycle_id": cycle.id,
                "kind": "manager",
                "subject_id": person.id,
                "author_id": person.manager_id,
                "form_id": form.id,
                "form": form_json,
                "answers": "{}",
                "status": "submitted",
                "score": json.dumps(score),
                "score_source": json.dumps({"plugin": "self_assessment"}),
                "created_at": "2026-03-02T09:00:00+00:00",
                "submitted_at": "2026-03-02T09:00:00+00:00",
            }
        )
    with hub.atomic() as db:
        db.table("self_assessment_reviews").insert_all(rows, batch_size=500)
    return hub, cycle.id


def bench_calibration_view(size: int = PEOPLE) -> dict[str, float]:
    from corehub_self_assessment import calibration

    with tempfile.TemporaryDirectory() as tmp:
        hub, cycle_id = build(Path(tmp), size)
        data: dict = {}

        def view() -> None:
            data.update(calibration.view(hub, cycle_id, "all"))

        corehub_s = best_of(3, view)

        def baseline() -> None:
            rows = hub.db.execute(BASELINE, [cycle_id]).fetchall()
            assert rows

        baseline_s = best_of(3, baseline)
        assert data["reviewed"] == size - 1
        hub.close()
    return {"people": size, "corehub_s": corehub_s, "baseline_s": baseline_s}


def main() -> None:
    print(
        f"calibration view, {PEOPLE:,} people (per manager: mean, spread, share per point, "
        "competencies; gaps; edges) vs one SQL GROUP BY of the same stored ratings"
    )
    r = bench_calibration_view()
    print(
        f"  corehub {r['corehub_s']:.2f}s, baseline {r['baseline_s']:.3f}s: "
        f"ratio {r['corehub_s'] / r['baseline_s']:.1f}x"
    )


if __name__ == "__main__":
    main()
