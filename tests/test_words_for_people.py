"""Errors and empty answers in words for people: the right hint, JSON when JSON was asked."""

from __future__ import annotations

import json
from pathlib import Path

from corehub import Hub
from corehub.testing import run_cli


def test_an_empty_filter_says_why_not_import_people(demo_workspace: Path) -> None:
    hub = Hub(demo_workspace)
    try:
        nope = run_cli(hub, "people", "list", "--team", "nope")
        assert nope.exit_code == 1
        assert "no team named 'nope' (teams: København, Madrid" in nope.stderr
        assert "import" not in nope.stderr
        none = run_cli(hub, "people", "list", "--team", "Madrid", "--level", "directive")
        assert none.stdout.strip() == "Nobody matches."
    finally:
        hub.close()


def test_errors_come_as_json_when_json_was_asked(demo_workspace: Path, tmp_path: Path) -> None:
    hub = Hub(demo_workspace)
    try:
        missing = run_cli(hub, "cycle", "status", "nope", "--json")
        assert missing.exit_code == 1 and missing.stdout == ""
        assert json.loads(missing.stderr) == {
            "error": "no cycle named 'nope' (cycles: 2026 H2)",
            "problems": [],
            "exit_code": 1,
        }
        sheet = tmp_path / "csat.csv"
        sheet.write_text("Ticket ID,Agent,Score\n1,x,5\n", encoding="utf-8")
        bad = json.loads(run_cli(hub, "feedback", "import-csat", str(sheet), "--json").stderr)
        assert bad["error"] == "csat.csv: wrong header (row 1):"
        assert bad["problems"][0].startswith("missing column(s): date")
        usage = run_cli(hub, "people", "list", "--level", "bogus", "--json")
        assert usage.exit_code == 2 and "'bogus' is not one of" in json.loads(usage.stderr)["error"]
        plain = run_cli(hub, "cycle", "status", "nope")
        assert plain.stderr.startswith("Error: no cycle named 'nope'") and plain.stdout == ""
    finally:
        hub.close()
