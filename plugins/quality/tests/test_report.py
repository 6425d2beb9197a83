"""The packet section and the team summary section."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from corehub_quality import grading

from .conftest import set_settings
from .test_scorecards import WRITTEN_ALL_YES

PHONE_ALL_YES = {
    "opening": "yes",
    "listening": "5",
    "respectful_language": "yes",
    "correct_information": "yes",
    "resolved": "5",
    "calm": "5",
    "identity_check": "yes",
    "wrap_up": "yes",
}


def grade_all(hub: Any, tweak: Any = None) -> None:
    """Submit a grade for every sampled ticket; ``tweak(task, answers)`` may change answers."""
    for task in list(
        hub.db.query(
            "SELECT k.id, k.grader_id, t.channel, t.agent_id, t.ticket_id FROM quality_tasks k "
            "JOIN quality_tickets t ON t.id = k.ticket_row ORDER BY k.id"
        )
    ):
        answers = dict(PHONE_ALL_YES if task["channel"] == "phone" else WRITTEN_ALL_YES)
        if tweak is not None:
            answers = tweak(task, answers)
        grading.grade(
            hub, {"task": task["id"], "answers": answers}, submit=True, actor=task["grader_id"]
        )


@pytest.fixture
def graded(imported: Any, cli: Any) -> Any:
    assert (
        cli("quality", "sample", "--period", "2026-02", "--per-agent", "6", "--seed", "5").exit_code
        == 0
    )

    def tweak(task: dict[str, Any], answers: dict[str, str]) -> dict[str, str]:
        if task["agent_id"] == "alpha-02" and task["channel"] != "phone":
            answers["greeting"] = "no"  # alpha-02 forgets greetings: communication is weaker
        if task["agent_id"] == "alpha-03" and task["channel"] == "email":
            answers["respectful_language"] = "no"
        return answers

    grade_all(imported, tweak)
    imported.cycles.create("2026 H1", start=dt.date(2026, 1, 1), end=dt.date(2026, 6, 30))
    imported.cycles.open("2026 H1")
    return imported


def _pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    return " ".join(page.extract_text() for page in PdfReader(path).pages)


def test_packet_shows_quality_with_trend_categories_critical_and_best(
    graded: Any, cli: Any, tmp_path: Path
) -> None:
    target = tmp_path / "packet.pdf"
    result = cli(
        "render", "packet", "--cycle", "2026 H1", "--person", "alpha-03", "-o", str(target)
    )
    assert result.exit_code == 0, result.output
    text = _pdf_text(target)
    assert "Quality of customer conversations" in text
    assert "from 6 graded conversations" in text
    assert (
        "Critical failures" in text and "Free of rude, disrespectful or unreliable language" in text
    )
    assert "Communication" in text and "Resolution" in text and "Procedure" in text
    assert "Strengths: the best graded conversations" in text


def test_packet_in_spanish(graded: Any, cli: Any, tmp_path: Path) -> None:
    target = tmp_path / "packet-es.pdf"
    result = cli(
        "render",
        "packet",
        "--cycle",
        "2026 H1",
        "--person",
        "alpha-03",
        "--locale",
        "es",
        "-o",
        str(target),
    )
    assert result.exit_code == 0, result.output
    text = _pdf_text(target)
    assert "Calidad de las conversaciones con clientes" in text
    assert "Sin lenguaje grosero, irrespetuoso o poco fiable" in text


def test_nothing_is_shown_below_the_minimum(graded: Any, cli: Any, tmp_path: Path) -> None:
    set_settings(graded, min_graded=7)
    target = tmp_path / "packet.pdf"
    result = cli(
        "render", "packet", "--cycle", "2026 H1", "--person", "alpha-01", "-o", str(target)
    )
    assert result.exit_code == 0, result.output
    assert "Quality of customer conversations" not in _pdf_text(target)


def test_team_summary_lists_agents_alphabetically_with_the_heat_map(
    graded: Any, cli: Any, tmp_path: Path
) -> None:
    target = tmp_path / "summary.pdf"
    result = cli("render", "summary", "--cycle", "2026 H1", "--team", "alpha", "-o", str(target))
    assert result.exit_code == 0, result.output
    text = _pdf_text(target)
    assert "Where our procedures fail" in text
    positions = [text.index(f"Alpha Agent {n}") for n in (1, 2, 3)]
    assert positions == sorted(positions)
    from corehub.models import Report, ReportKind
    from corehub_quality import report

    context = report.team_context(
        graded,
        Report(
            kind=ReportKind.SUMMARY, cycle=graded.cycles.get("2026 H1"), locale="en", team="alpha"
        ),
    )
    assert context is not None
    rows = {r["name"]: r for r in context["agents"]}
    communication = [c["id"] for c in context["categories"]].index("communication")
    assert (
        rows["Alpha Agent 2"]["cells"][communication]
        < rows["Alpha Agent 1"]["cells"][communication]
    )
    assert rows["Alpha Agent 3"]["figures"]["critical"] >= 1


def test_quality_is_evidence_for_the_competencies_its_categories_inform(graded: Any) -> None:
    person = graded.people.get("alpha-02")
    cycle = graded.cycles.get("2026 H1")
    found = [
        e
        for result in graded.hook.extra_competency_evidence(
            hub=graded, person=person, cycle=cycle, locale="es"
        )
        for e in result or []
    ]
    by_competency = {e.competency: e for e in found}
    assert {"communication", "problem_solving", "product_knowledge"} <= set(by_competency)
    communication = by_competency["communication"]
    assert communication.title == "Calidad de las conversaciones con clientes: Comunicación"
    assert communication.value.endswith("de 100 (6 conversaciones evaluadas)")
    set_settings(graded, min_graded=7)
    assert not any(
        graded.hook.extra_competency_evidence(hub=graded, person=person, cycle=cycle, locale="en")
    )
