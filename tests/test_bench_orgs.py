"""The benchmarks' organization builder (``benchmarks/orgs.py``) makes what it promises:
data in every shipped plugin, in every state a packet shows, and a next cycle that opens
with the goals set in the last one. The benchmarks measure what users run on it, so an
organization that lost a plugin's data would make their figures quietly wrong.
(Its speed is measured by the benchmarks, never here.)"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

import orgs

SIZE = 60


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, dict[str, float]]]:
    folder = tmp_path_factory.mktemp("bench-org") / "org"
    times = orgs.build(folder, SIZE, next_cycle=True, echo=lambda _text: None)
    yield folder, times


def _counts(folder: Path, sql: str) -> dict[Any, int]:
    hub = orgs.hub_for(folder)
    try:
        return {key: count for key, count in hub.db.execute(sql).fetchall()}
    finally:
        hub.close()


def test_people_come_through_the_people_import(built: tuple[Path, dict[str, float]]) -> None:
    folder, times = built
    hub = orgs.hub_for(folder)
    people = hub.people.list()
    hub.close()
    assert len(people) == SIZE
    assert {p.level.value for p in people} == {"directive", "supervisory", "operational"}
    assert {p.locale for p in people} >= {"es", "da", "sv"}
    assert (folder / "imports" / "people.csv").is_file()
    assert set(times) >= {"people", "cycle open", "total", "cpu"}


def test_reviews_in_every_state_scored(built: tuple[Path, dict[str, float]]) -> None:
    folder, _ = built
    states = _counts(
        folder,
        "SELECT kind || ':' || status, count(*) FROM self_assessment_reviews GROUP BY 1",
    )
    for state in ("self:submitted", "self:draft", "manager:released", "manager:acknowledged"):
        assert states.get(state), (state, states)
    unscored = _counts(
        folder,
        "SELECT 'n', count(*) FROM self_assessment_reviews WHERE status != 'draft' "
        "AND (score IS NULL OR answers = '{}')",
    )
    assert unscored["n"] == 0
    comments = _counts(folder, "SELECT 'n', count(*) FROM self_assessment_comments")
    assert comments["n"] > 0


def test_every_plugin_has_data(built: tuple[Path, dict[str, float]]) -> None:
    folder, _ = built
    feedback = _counts(folder, "SELECT kind, count(*) FROM feedback GROUP BY kind")
    for kind in ("praise", "suggestion", "customer", "pulse", "upward", "peer"):
        assert feedback.get(kind), (kind, feedback)
    training = _counts(folder, "SELECT status, count(*) FROM training_assignments GROUP BY status")
    assert training.get("assigned") and training.get("overdue"), training
    assert _counts(folder, "SELECT 'n', count(*) FROM training_completions")["n"] > SIZE
    assert _counts(folder, "SELECT 'n', count(*) FROM training_feedback")["n"] > 0
    quality = _counts(
        folder,
        "SELECT 'tickets', count(*) FROM quality_tickets UNION ALL "
        "SELECT 'graded', count(*) FROM quality_grades WHERE status = 'submitted' "
        "AND score IS NOT NULL UNION ALL "
        "SELECT 'open', count(*) FROM quality_tasks WHERE status = 'open' UNION ALL "
        "SELECT 'checked', count(*) FROM quality_article_checks WHERE status = 'submitted' "
        "AND score IS NOT NULL UNION ALL "
        "SELECT 'links', count(*) FROM quality_ticket_links",
    )
    assert all(quality.values()), quality


def test_the_next_cycle_opens_with_last_cycles_goals(
    built: tuple[Path, dict[str, float]], tmp_path: Path
) -> None:
    folder, _ = built
    import shutil

    copy = tmp_path / "copy"
    shutil.copytree(folder, copy)
    hub = orgs.hub_for(copy)
    try:
        closed = hub.cycles.get(orgs.CYCLE[0])
        assert closed.is_closed
        opened = hub.cycles.open(orgs.NEXT[0])
        assert len(opened.enrolled) == SIZE
        carried = hub.db.execute(
            "SELECT count(*) FROM self_assessment_reviews WHERE cycle_id = ? "
            "AND answers LIKE '%objective%'",
            [opened.cycle.id],
        ).fetchone()[0]
    finally:
        hub.close()
    assert carried > 0


@pytest.fixture(scope="module")
def working(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("bench-org-open") / "org"
    orgs.build(folder, SIZE, keep_open=True, echo=lambda _text: None)
    return folder


def test_an_open_cycle_has_what_each_role_s_pages_show(working: Path) -> None:
    """``keep_open`` leaves the cycle open, as on a working day, with what the web
    benchmark's roles reach: HR, a director above the supervisor, the supervisor's agent
    with a self-assessment to fill in and peer feedback to give, a check-in, tickets to
    grade, an open quality calibration the supervisor grades in, and an open dispute."""
    hub = orgs.hub_for(working)
    try:
        assert not hub.cycles.get(orgs.CYCLE[0]).is_closed
        who = orgs.web_people(hub)
        assert who["hr"] in hub.config.organization.hr
        agent, manager, director = (
            hub.people.get(who[k]) for k in ("agent", "manager", "director")
        )
        assert agent.manager_id == manager.id and manager.manager_id == director.id
        assert (manager.level.value, director.level.value) == ("supervisory", "directive")
        one = hub.db.execute
        assert (
            one(
                "SELECT status FROM self_assessment_reviews WHERE kind = 'self' AND subject_id = ?",
                [agent.id],
            ).fetchone()[0]
            == "draft"
        )
        assert one(
            "SELECT count(*) FROM tasks WHERE kind = 'peer' AND assignee_id = ? AND status = 'open'",
            [agent.id],
        ).fetchone()[0]
        assert one(
            "SELECT count(*) FROM self_assessment_checkins WHERE person_id = ?", [agent.id]
        ).fetchone()[0]
        assert one(
            "SELECT count(*) FROM quality_tasks WHERE grader_id = ? AND status = 'open'",
            [manager.id],
        ).fetchone()[0]
        assert one(
            "SELECT count(*) FROM quality_calibrations WHERE status = 'open' AND graders LIKE ?",
            [f"%{manager.id}%"],
        ).fetchone()[0]
        assert one(
            "SELECT count(*) FROM quality_disputes AS d JOIN people AS p ON p.id = d.agent_id "
            "WHERE d.status = 'open' AND p.manager_id = ?",
            [manager.id],
        ).fetchone()[0]
    finally:
        hub.close()
