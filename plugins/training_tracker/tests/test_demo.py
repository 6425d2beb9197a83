"""``corehub demo`` with the training tracker: realistic, deterministic sample data."""

from __future__ import annotations

from pathlib import Path

import pytest


def build(folder: Path):
    from corehub.demo import build_demo

    return build_demo(folder, echo=lambda _line: None)


def snapshot(hub):
    tables = ("training_assignments", "training_completions", "training_feedback")
    return {
        t: [
            {
                k: v
                for k, v in row.items()
                if k not in {"created_at", "recorded_at", "overdue_notified_at"}
            }
            for row in hub.db.table(t).rows
        ]
        for t in tables
    }


def test_demo_data_is_realistic_and_deterministic(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from corehub_training_tracker.training import Training

    monkeypatch.setenv("COREHUB_LOAD_PLUGINS", "training_tracker")
    demo = build(tmp_path / "one")
    hub = demo.hub
    try:
        training = Training(hub)
        today = training.today
        statuses = [r.status(today).value for r in training.assignments()]
        assert {"completed", "overdue", "in_progress", "assigned"} <= set(statuses)
        assert 2 <= statuses.count("overdue") <= 15
        completions = training.completions()
        assert len(completions) > 60
        assert all(c.score is not None and 0 <= c.score <= 100 for c in completions)
        people = hub.people.list()
        matrix = training.matrix(people)
        states = {cell.state for cell in matrix.cells.values()}
        assert {"completed", "expiring", "overdue"} <= states
        induction = {
            r.person_id: r.status(today).value for r in training.assignments(course_id="induction")
        }
        assert sorted(induction.values()) == ["completed", "overdue", "overdue"]
        ratings = training.ratings()
        assert ratings and all(1 <= avg <= 5 for avg, _ in ratings.values())
        assert any(training.comments(course_id) for course_id in ratings)
        first = snapshot(hub)
    finally:
        hub.close()
    again = build(tmp_path / "two")
    try:
        assert snapshot(again.hub) == first
    finally:
        again.hub.close()
