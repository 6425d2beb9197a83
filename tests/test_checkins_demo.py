"""The demo workspace shows check-ins and new-hire reviews (issue 18, part 4)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any


def corehub(folder: Path, *args: str) -> Any:
    result = subprocess.run(
        [sys.executable, "-m", "corehub", "-w", str(folder), *args],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_the_demo_has_checkins_with_actions_between_managers_and_reports(demo_workspace):
    rows = corehub(demo_workspace, "--as", "sup-mad", "checkin", "list", "--json")
    people = {r["person_id"] for r in rows}
    assert {"mad-01", "mad-03"} <= people
    assert any(not r["held"] for r in rows)  # one planned after the demo day
    assert sum(r["actions_done"] for r in rows) >= 5 and sum(r["actions_open"] for r in rows) >= 1
    shown = corehub(
        demo_workspace, "--as", "mad-01", "checkin", "show", str(rows[1]["id"]), "--json"
    )
    assert shown["agenda"] and shown["notes"] and shown["actions"]
    # HR sees that it happened and its actions, never the notes
    hr = corehub(demo_workspace, "--as", "dir-01", "checkin", "show", str(rows[1]["id"]), "--json")
    assert hr["notes"] is None and hr["actions"] == shown["actions"]
    teams = {r["manager_id"] for r in corehub(demo_workspace, "checkin", "list", "--json")}
    assert {"sup-mad", "sup-cph", "sup-sto"} <= teams


def test_the_demo_new_hire_has_the_30_day_review_done_and_the_60_day_due(demo_workspace):
    rows = corehub(demo_workspace, "newhire", "status", "--json")
    mine = {r["day"]: r for r in rows if r["person_id"] == "mad-09"}
    assert (mine[30]["self"], mine[30]["manager"]) == ("submitted", "submitted")
    assert (mine[60]["self"], mine[60]["manager"]) == ("draft", "draft")
    assert mine[60]["due"] > "2026-12-10"
    stockholm = {r["day"]: r for r in rows if r["person_id"] == "sto-09"}
    assert stockholm[30]["manager"] == "draft" and stockholm[30]["due"] == "2026-12-09"
