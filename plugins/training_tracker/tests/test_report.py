"""Report sections: the person's training in the packet, compliance and overdue in summaries."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from corehub.models import Report, ReportKind, Review, ReviewKind, ReviewStatus
from corehub_training_tracker import report

from .test_recommendations import FORM


@pytest.fixture
def cycle(tracker):
    return tracker.cycles.create("2026 H1", start=dt.date(2026, 1, 1), end=dt.date(2026, 6, 30))


@pytest.fixture
def history(tracker, team, cli, clock, cycle):
    """alpha-01 with completions, an overdue course, a waiver and a recommendation."""
    cli(
        "training",
        "complete",
        "--person",
        "alpha-01",
        "--course",
        "active-listening",
        "--date",
        "2025-06-01",
        "--score",
        "91",
    )
    cli(
        "training",
        "complete",
        "--person",
        "alpha-01",
        "--course",
        "data-protection",
        "--date",
        "2025-03-25",
    )
    cli(
        "training",
        "assign",
        "--course",
        "clear-writing",
        "--person",
        "alpha-01",
        "--due",
        "2026-03-05",
    )
    cli(
        "training",
        "waive",
        "--person",
        "alpha-01",
        "--course",
        "moments-of-truth",
        "--reason",
        "Teaches <it> herself",
    )
    cli("training", "sync")
    tracker.hook.review_submitted(
        hub=tracker,
        review=Review(
            id=3,
            cycle_id=cycle.id,
            kind=ReviewKind.MANAGER,
            subject_id="alpha-01",
            author_id="alpha-lead",
            form=FORM,
            answers={"stress": 1},
            status=ReviewStatus.SUBMITTED,
        ),
    )
    clock.set("2026-03-09")


def packet(hub, cycle, person_id):
    return Report(
        kind=ReportKind.PACKET, cycle=cycle, locale="en", person=hub.people.get(person_id)
    )


def summary(cycle, **kwargs: Any):
    return Report(kind=ReportKind.SUMMARY, cycle=cycle, locale="en", **kwargs)


def sections_by_id(hub, rep):
    results = hub.hook.register_report_sections(hub=hub, report=rep)
    return {s.id: s for result in results for s in result if s.id.startswith("training_tracker.")}


def test_packet_context(tracker, history, cycle):
    rep = packet(tracker, cycle, "alpha-01")
    section = sections_by_id(tracker, rep)["training_tracker.person"]
    assert section.id == "training_tracker.person" and 400 <= section.order < 500
    data = section.context(tracker, rep)
    completed = {r["course_id"]: r for r in data["completed"]}
    assert completed["active-listening"]["completed_on"] == "2025-06-01"
    assert completed["active-listening"]["score"] == 91
    assert completed["data-protection"]["expires_on"] == "2026-03-25"
    assert completed["data-protection"]["state"] == "expiring"
    open_rows = {r["course_id"]: r for r in data["open"]}
    assert (
        open_rows["clear-writing"]["status"] == "overdue"
        and open_rows["clear-writing"]["days_overdue"] == 4
    )
    assert open_rows["data-protection"]["source"] == "recertification"
    assert data["open"][0]["course_id"] == "clear-writing"  # overdue first
    assert data["overdue_count"] == 1
    assert [w["course_id"] for w in data["waived"]] == ["moments-of-truth"]
    assert [r["title"] for r in data["recommended"]] == ["Handling stress at the desk"]
    assert data["recommended"][0]["reason"] == "Manager review: Stress handling rated 1 of 5"
    import json

    json.dumps(data)  # plain data only


def test_packet_without_training_leaves_the_section_out(tracker, team, cycle):
    rep = packet(tracker, cycle, "alpha-02")
    assert report.person_context(tracker, rep) is None


def test_summary_contexts(tracker, history, cycle):
    rep = summary(cycle, team="alpha")
    found = sections_by_id(tracker, rep)
    assert set(found) == {
        "training_tracker.matrix",
        "training_tracker.overdue",
        "training_tracker.credentials",
        "training_tracker.coverage",
    }
    matrix = found["training_tracker.matrix"].context(tracker, rep)
    assert [p["id"] for p in matrix["people"]] == ["alpha-01", "alpha-02", "alpha-03", "alpha-lead"]
    cell = matrix["people"][0]["cells"]["data-protection"]
    assert (cell["state"], cell["mark"], cell["date"]) == ("expiring", "Expiring", "2026-03-25")
    listening = next(c for c in matrix["courses"] if c["id"] == "active-listening")
    assert (listening["compliant"], listening["required"], listening["percent"]) == (1, 3, 33)
    overdue = found["training_tracker.overdue"].context(tracker, rep)
    assert [(r["person_id"], r["course_id"], r["days_overdue"]) for r in overdue["overdue"]] == [
        ("alpha-01", "clear-writing", 4)
    ]
    empty = found["training_tracker.overdue"].context(tracker, summary(cycle, team="nobody"))
    assert empty is None


def test_summary_for_a_manager_covers_everyone_they_manage(tracker, history, cycle, make_people):
    make_people(team="beta", agents=1)
    rep = summary(cycle, manager=tracker.people.get("alpha-lead"))
    people = report.matrix_context(tracker, rep)["people"]
    assert {p["id"] for p in people} == {"alpha-01", "alpha-02", "alpha-03"}


def _render(hub, rep):
    from corehub.testing import render_sections

    return render_sections(hub, rep, plugin="training_tracker")


def test_sections_render_with_escaping(tracker, history, cycle):
    html = _render(tracker, packet(tracker, cycle, "alpha-01"))["training_tracker.person"]
    assert "Clear written communication" in html and "Overdue" in html and "<thead>" in html
    assert "Teaches &lt;it&gt; herself" in html and "<it>" not in html
    html = _render(tracker, summary(cycle, team="alpha"))
    assert "Alpha Agent 1" in html["training_tracker.matrix"]
    assert (
        "Late" in html["training_tracker.matrix"] or "Expiring" in html["training_tracker.matrix"]
    )
    assert "clear" in html["training_tracker.overdue"].lower()
    assert tracker.hook.extra_stylesheets(hub=tracker, report=summary(cycle, team="alpha")) == [
        ["corehub_training_tracker/training_tracker.css"]
    ]


def test_packet_and_summary_pdfs_show_the_training(tracker, history, cycle, cli, tmp_path):
    from pypdf import PdfReader

    cli("cycle", "open", "2026 H1")
    target = tmp_path / "packet.pdf"
    result = cli(
        "render", "packet", "--cycle", "2026 H1", "--person", "alpha-01", "-o", str(target)
    )
    assert result.exit_code == 0, result.output
    text = " ".join(page.extract_text() for page in PdfReader(target).pages)
    assert "Training" in text and "Clear written communication" in text
    assert "Handling stress at the desk" in text
    target = tmp_path / "summary.pdf"
    result = cli("render", "summary", "--cycle", "2026 H1", "--team", "alpha", "-o", str(target))
    assert result.exit_code == 0, result.output
    text = " ".join(page.extract_text() for page in PdfReader(target).pages)
    assert "Training compliance" in text and "Overdue training" in text and "Alpha Agent 1" in text
