"""Graded conversations are chosen, counted and paged in SQL by the rule of ``_may_see``."""

from __future__ import annotations

from typing import Any

import pytest

from corehub_quality import disputes, sampling

from .test_report import grade_all


@pytest.fixture
def graded(imported: Any, cli: Any, make_people: Any) -> Any:
    # beta-01 works in another team, under nobody of team alpha
    make_people(rows=[{"id": "beta-01", "name": "Bea Other", "team": "beta"}])
    assert cli("quality", "sample", "--period", "2026-02", "--per-agent", "4").exit_code == 0
    grade_all(imported)
    return imported


@pytest.mark.parametrize("actor", ["alpha-lead", "alpha-01", "alpha-02", "qa-1", "beta-01"])
def test_a_reader_gets_exactly_the_grades_they_may_see_in_pages(graded: Any, actor: str) -> None:
    everything = disputes.list_grades(graded, actor="cli:operator")
    assert everything  # the operator sees every grade
    expected = [g for g in everything if disputes._may_see(graded, actor, g["agent"])]
    assert disputes.list_grades(graded, actor=actor) == expected
    assert disputes.count_grades(graded, actor=actor) == len(expected)
    paged = [
        g
        for offset in range(0, len(expected) + 5, 5)
        for g in disputes.list_grades(graded, actor=actor, limit=5, offset=offset)
    ]
    assert paged == expected
    others = [g for g in expected if g["agent"] != actor]
    assert disputes.list_grades(graded, actor=actor, other_agents=True) == others
    assert disputes.count_grades(graded, actor=actor, other_agents=True) == len(others)
    own = [g for g in expected if g["agent"] == actor]
    assert disputes.list_grades(graded, actor=actor, agent=actor) == own


def test_graders_are_the_qa_right_and_team_leads(graded: Any) -> None:
    assert [p.id for p in sampling.graders(graded)] == ["alpha-lead", "qa-1"]
    assert sampling.is_grader(graded, "qa-1") and sampling.is_grader(graded, "alpha-lead")
    assert not sampling.is_grader(graded, "alpha-01")


@pytest.mark.parametrize(
    ("actor", "index"),
    [("cli:operator", "quality_grades_newest"), ("alpha-lead", "quality_grades_agent")],
)
def test_a_page_of_grades_is_read_by_an_index(graded: Any, actor: str, index: str) -> None:
    """HR's page of the organization's grades, newest first, is read from an index in that
    order (it stops at the page's last row); a lead's or an agent's, agent by agent (never
    by walking every grade of the organization); each row's dispute is found by its grade."""
    seen: list[tuple[str, Any]] = []
    execute = graded.db.query

    def traced(sql: str, params: Any = None) -> Any:
        seen.append((sql, params))
        return execute(sql, params)

    graded.db.query = traced  # type: ignore[method-assign]
    try:
        disputes.list_grades(graded, actor=actor, other_agents=True, limit=5)
    finally:
        del graded.db.query
    [(sql, params)] = [(q, p) for q, p in seen if "FROM quality_grades g" in q]
    plan = " ".join(row[3] for row in graded.db.execute("EXPLAIN QUERY PLAN " + sql, params))
    assert f"SEARCH g USING INDEX {index}" in plan, plan
    assert "SCAN d" not in plan, plan
    if actor == "cli:operator":
        assert "TEMP B-TREE" not in plan, plan


def _plans(hub: Any, call: Any) -> list[str]:
    """The query plan of every statement ``call`` runs against the database."""
    seen: list[tuple[str, Any]] = []
    execute, query = hub.db.execute, hub.db.query

    def traced_execute(sql: str, params: Any = None) -> Any:
        seen.append((sql, params))
        return execute(sql, params)

    def traced_query(sql: str, params: Any = None) -> Any:
        seen.append((sql, params))
        return query(sql, params)

    hub.db.execute, hub.db.query = traced_execute, traced_query
    try:
        call()
    finally:
        del hub.db.execute, hub.db.query
    return [
        " ".join(row[3] for row in hub.db.execute("EXPLAIN QUERY PLAN " + sql, params or []))
        for sql, params in seen
    ]


@pytest.mark.parametrize("actor", ["cli:operator", "alpha-lead", "alpha-01"])
def test_the_quality_page_s_counts_and_own_grades_never_read_every_grade(
    graded: Any, actor: str
) -> None:
    """The counts of the Quality page's lists and a reader's own grades come from an index
    alone or agent by agent: "everyone's but mine" is counted as all less one's own, never
    by reading every grade's row to compare its agent."""
    for call in (
        lambda: disputes.count_grades(graded, actor=actor, other_agents=True),
        lambda: disputes.count_grades(graded, actor=actor, agent=actor),
        lambda: disputes.list_grades(graded, actor=actor, agent=actor, limit=5),
    ):
        for plan in _plans(graded, call):
            if "quality_grades" not in plan and " g" not in plan:
                continue
            assert "SCAN g" not in plan, plan
            assert "COVERING INDEX" in plan or "quality_grades_agent" in plan, plan


def test_a_coach_s_open_article_checks_are_found_by_the_coach(graded: Any) -> None:
    from corehub_quality import articles

    [plan] = _plans(graded, lambda: articles.list_checks(graded, coach="qa-1", status="open"))
    assert "quality_article_checks_coach" in plan and "SCAN c" not in plan, plan
    assert "TEMP B-TREE" not in plan, plan
