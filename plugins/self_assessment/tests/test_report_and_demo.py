"""Report sections (packet and summary) and the demo data."""

from __future__ import annotations

import datetime as dt

import pytest

from corehub.errors import FrozenError
from corehub.models import Report, ReportKind
from corehub.testing import FixedClock
from corehub_self_assessment import reviews


@pytest.fixture
def reviewed(hub, cycle, answers, clock):
    """alpha-01: both reviews submitted, the manager's released with a private note and a comment."""
    reviews.save_draft(hub, cycle, "alpha-01", "self", answers["self"], actor="alpha-01")
    reviews.submit(hub, cycle, "alpha-01", "self", actor="alpha-01")
    reviews.save_draft(
        hub,
        cycle,
        "alpha-01",
        "manager",
        answers["manager"],
        private_note="SECRET-NOTE",
        actor="alpha-lead",
    )
    reviews.submit(hub, cycle, "alpha-01", "manager", actor="alpha-lead")
    return cycle


def packet(hub, cycle, person_id):
    person = hub.people.get(person_id)
    manager = hub.people.get(person.manager_id) if person.manager_id else None
    return Report(kind=ReportKind.PACKET, cycle=cycle, locale="en", person=person, manager=manager)


def sections_by_id(hub, report):
    found = {}
    for _plugin, result in hub.hook.register_report_sections.collect(hub=hub, report=report):
        for section in result:
            found[section.id] = section
    return found


def test_packet_shows_only_what_the_person_may_see(hub, reviewed):
    report = packet(hub, reviewed, "alpha-01")
    sections = sections_by_id(hub, report)
    ratings = sections["self_assessment.ratings"].context(hub, report)
    assert ratings["has_self"] and not ratings["has_manager"]  # not released yet
    assert ratings["manager_status"] == "pending"
    reviews.release(hub, reviewed, "alpha-01", actor="alpha-lead")
    reviews.comment(hub, reviewed, "alpha-01", "<b>Thanks</b>", actor="alpha-01")
    ratings = sections["self_assessment.ratings"].context(hub, report)
    assert ratings["has_manager"]
    assert ratings["flagged"] == ["Active listening"]
    assert [
        s.order
        for s in sorted(sections.values(), key=lambda s: s.order)
        if s.id.startswith("self_")
    ] == [200, 250, 300, 320, 350, 900]
    everything = repr(
        [s.context(hub, report) for s in sections.values() if s.id.startswith("self_")]
    )
    assert "SECRET-NOTE" not in everything
    goals = sections["self_assessment.goals"].context(hub, report)
    assert goals["next"][0]["result"] == "FCR at 75% or more"
    suggestions = sections["self_assessment.suggestions"].context(hub, report)
    assert {r["self"] for r in suggestions["rows"]} >= {
        "A shared macro library for the most common password resets."
    }
    signoff = sections["self_assessment.signoff"].context(hub, report)
    assert signoff["comments"][0]["text"] == "<b>Thanks</b>" and signoff["acknowledged"] is None


def test_packet_sections_stay_out_without_submitted_reviews(hub, cycle):
    report = packet(hub, cycle, "alpha-02")
    for section in sections_by_id(hub, report).values():
        if section.id.startswith("self_assessment."):
            assert (
                section.context(hub, report) in (None, {})
                or section.id == "self_assessment.signoff"
            )


def test_summary_distribution_and_heat_map(hub, reviewed):
    report = Report(kind=ReportKind.SUMMARY, cycle=reviewed, locale="en", team="alpha")
    sections = sections_by_id(hub, report)
    dist = sections["self_assessment.distribution"].context(hub, report)
    assert (dist["people"], dist["reviewed"], dist["pending"]) == (
        4,
        1,
        3,
    )  # the lead is in the team
    assert sum(b["count"] for b in dist["bins"]) == 1
    heat = sections["self_assessment.heatmap"].context(hub, report)
    assert [p["name"] for p in heat["people"]] == ["Alpha Agent 1"]
    cells = dict(
        zip([c["id"] for c in heat["competencies"]], heat["people"][0]["cells"], strict=True)
    )
    assert cells["knowledge_sharing"] == {"value": 1, "low": True}
    assert cells["communication"] == {"value": 4, "low": False}


def test_extra_stylesheet(hub, plugin, cycle):
    sheets = hub.hook.extra_stylesheets(hub=hub, report=packet(hub, cycle, "alpha-01"))
    assert ["corehub_self_assessment/self_assessment.css"] in sheets


def test_packet_pdf_carries_the_sections(hub, reviewed, cli, tmp_path):
    pypdf = pytest.importorskip("pypdf")
    reviews.release(hub, reviewed, "alpha-01", actor="alpha-lead")
    reviews.comment(
        hub, reviewed, "alpha-01", "I see <listening> differently & will discuss.", actor="alpha-01"
    )
    target = tmp_path / "packet.pdf"
    result = cli(
        "render", "packet", "--cycle", reviewed.name, "--person", "alpha-01", "-o", str(target)
    )
    assert result.exit_code == 0, result.output
    text = " ".join(page.extract_text() for page in pypdf.PdfReader(str(target)).pages)
    for expected in (
        "Self-assessment and manager review",
        "Strengths and areas to improve",
        "Suggestions to improve the help desk",
        "FCR at 75% or more",
        "I see <listening> differently & will discuss.",
    ):
        assert " ".join(expected.split()) in " ".join(text.split()), expected
    assert "SECRET-NOTE" not in text


def test_demo_fills_a_realistic_cycle(hub, plugin):
    from corehub.demo import DEMO_DUE, DEMO_END, DEMO_START, DEMO_TODAY, people_csv

    hub.people.import_csv(people_csv())
    kinds = hub.cycles.task_kinds()  # 'peer' is the feedback plugin's, not loaded here
    due = {kind: date for kind, date in DEMO_DUE.items() if kind in kinds}
    hub.cycles.create("2026 H2", start=DEMO_START, end=DEMO_END, due=due)
    hub.clock = FixedClock(DEMO_START)
    cycle = hub.cycles.open("2026 H2").cycle
    hub.clock = FixedClock(DEMO_TODAY)
    hub.hook.prepare_demo(hub=hub, cycle=cycle)
    stored = reviews.stored_reviews(hub, cycle)
    statuses = [s.review.status.value for s in stored]
    assert statuses.count("draft") >= 3  # a few left open
    assert (
        statuses.count("submitted") + statuses.count("released") + statuses.count("acknowledged")
        > 50
    )
    assert "acknowledged" in statuses
    gaps = 0
    for person in {s.review.subject_id for s in stored}:
        pair = {s.review.kind.value: s.review for s in stored if s.review.subject_id == person}
        if all(k in pair and pair[k].status.value != "draft" for k in ("self", "manager")):
            gaps += any(
                isinstance(pair["self"].answers.get(q), int)
                and isinstance(v, int)
                and abs(v - pair["self"].answers[q]) >= 2
                for q, v in pair["manager"].answers.items()
            )
    assert gaps >= 3
    assert dt.date(2026, 12, 10) > DEMO_DUE["self"]


def test_the_demo_calibrates_before_it_releases(hub, plugin):
    from corehub.demo import DEMO_DUE, DEMO_END, DEMO_START, DEMO_TODAY, people_csv
    from corehub_self_assessment import calibration

    hub.people.import_csv(people_csv())
    kinds = hub.cycles.task_kinds()
    due = {kind: date for kind, date in DEMO_DUE.items() if kind in kinds}
    hub.cycles.create("2026 H2", start=DEMO_START, end=DEMO_END, due=due, calibrate=True)
    hub.clock = FixedClock(DEMO_START)
    cycle = hub.cycles.open("2026 H2").cycle
    hub.clock = FixedClock(DEMO_TODAY)
    hub.hook.prepare_demo(hub=hub, cycle=cycle)
    [session] = calibration.sessions(hub, cycle)
    assert (session["scope"], session["status"]) == ("all", "closed")
    data = calibration.view(hub, cycle, "all")
    assert len(data["adjustments"]) == 2
    assert all(a["reason"] for a in data["adjustments"])
    statuses = [s.review.status.value for s in reviews.stored_reviews(hub, cycle)]
    assert "released" in statuses or "acknowledged" in statuses
    # the closed demo cycle's scores are never recomputed
    hub.cycles.close("2026 H2", force=True, reason="end of the demo")
    with pytest.raises(FrozenError, match="never recomputed"):
        reviews.rescore(hub, cycle)
