"""The agent sees, acknowledges and disputes grades; another grader or the manager resolves."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from .test_report import grade_all


@pytest.fixture
def graded(imported: Any, cli: Any) -> Any:
    assert (
        cli("quality", "sample", "--period", "2026-02", "--per-agent", "2", "--seed", "9").exit_code
        == 0
    )

    def tweak(task: dict[str, Any], answers: dict[str, str]) -> dict[str, str]:
        if "greeting" in answers:
            answers["greeting"] = "no"
        if "opening" in answers:
            answers["opening"] = "no"
        return answers

    grade_all(imported, tweak)
    return imported


def _mine(cli: Any, agent: str) -> list[dict[str, Any]]:
    result = cli("--as", agent, "quality", "grades", "--json")
    assert result.exit_code == 0, result.output
    return list(result.json())


def test_an_agent_sees_only_their_grades_their_manager_sees_the_team(graded: Any, cli: Any) -> None:
    mine = _mine(cli, "alpha-01")
    assert len(mine) == 2 and {g["agent"] for g in mine} == {"alpha-01"}
    assert len(_mine(cli, "alpha-lead")) == 6
    assert _mine(cli, "qa-1") == []


def test_acknowledge_and_dispute_then_resolve_with_a_changed_grade(graded: Any, cli: Any) -> None:
    first, second = _mine(cli, "alpha-01")
    ack = cli("--as", "alpha-01", "quality", "acknowledge", str(first["grade"]))
    assert ack.exit_code == 0, ack.output
    assert _mine(cli, "alpha-01")[0]["acknowledged"] is True
    not_mine = cli("--as", "alpha-02", "quality", "dispute", str(second["grade"]), "--reason", "x")
    assert not_mine.exit_code == 1 and "only alpha-01" in not_mine.output
    empty = cli("--as", "alpha-01", "quality", "dispute", str(second["grade"]), "--reason", " ")
    assert empty.exit_code == 1 and "say why" in empty.output
    opened = cli(
        "--as",
        "alpha-01",
        "quality",
        "dispute",
        str(second["grade"]),
        "--reason",
        "I did greet the customer, in the first line of the reply.",
    )
    assert opened.exit_code == 0, opened.output
    twice = cli("--as", "alpha-01", "quality", "dispute", str(second["grade"]), "--reason", "again")
    assert twice.exit_code == 1 and "disputed already" in twice.output
    [open_one] = cli("quality", "disputes", "--json").json()
    resolver = "qa-1" if open_one["grader"] == "alpha-lead" else "alpha-lead"
    assert [
        d["dispute"] for d in cli("--as", resolver, "quality", "disputes", "--json").json()
    ] == [open_one["dispute"]]
    by_grader = cli(
        "--as",
        open_one["grader"],
        "quality",
        "resolve",
        str(open_one["dispute"]),
        "--answer",
        "No.",
    )
    assert by_grader.exit_code == 1 and "another grader or the agent's manager" in by_grader.output
    criterion = "greeting" if second["channel"] != "phone" else "opening"
    resolved = cli(
        "--as",
        resolver,
        "quality",
        "resolve",
        str(open_one["dispute"]),
        "--answer",
        "The greeting is there; the grade is corrected.",
        "--set",
        f"{criterion}=yes",
        "--json",
    )
    assert resolved.exit_code == 0, resolved.output
    body = resolved.json()
    assert body["status"] == "changed" and body["score_after"] > body["score_before"]
    after = next(g for g in _mine(cli, "alpha-01") if g["grade"] == second["grade"])
    assert after["score"] == body["score_after"] and after["dispute"] == "changed"
    actions = [e["action"] for e in graded.db.query("SELECT action FROM events ORDER BY id")]
    for action in (
        "quality.grade_acknowledged",
        "quality.grade_disputed",
        "quality.dispute_resolved",
    ):
        assert action in actions
    again = cli("--as", resolver, "quality", "resolve", str(open_one["dispute"]), "--answer", "x")
    assert again.exit_code == 1 and "resolved already" in again.output


def test_no_dispute_once_the_period_is_closed(graded: Any, cli: Any) -> None:
    graded.cycles.create("2026 H1", start=dt.date(2026, 1, 1), end=dt.date(2026, 6, 30))
    graded.cycles.open("2026 H1")
    graded.cycles.close("2026 H1")
    grade = _mine(cli, "alpha-01")[0]["grade"]
    result = cli("--as", "alpha-01", "quality", "dispute", str(grade), "--reason", "Unfair.")
    assert result.exit_code == 1
    assert "cycle '2026 H1', which is closed" in result.output
    assert list(graded.db.query("SELECT * FROM quality_disputes")) == []
