"""Acme's plugin, tested as any organization tests theirs: with corehub's fixtures."""

import datetime as dt

import pytest
from pypdf import PdfReader

from corehub.models import Review, ReviewKind, ReviewStatus
from corehub_acme_desk import plugin
from corehub_acme_desk.forms import NIGHT_SHIFT


@pytest.fixture
def acme(register_plugin):
    return register_plugin(plugin, name="acme_desk")


@pytest.fixture
def night_agent(make_people):
    make_people(team="night", agents=0)
    (agent,) = make_people(
        rows=[
            {
                "id": "n1",
                "name": "Noa Natt",
                "role": "Night shift agent",
                "team": "night",
                "manager_id": "night-lead",
            }
        ]
    )
    return agent


def manager_review(answers, review_id=1):
    return Review(
        id=review_id,
        cycle_id=1,
        kind=ReviewKind.MANAGER,
        subject_id="n1",
        author_id="night-lead",
        form=NIGHT_SHIFT,
        answers=answers,
        status=ReviewStatus.SUBMITTED,
    )


def test_step1_the_night_shift_form_is_offered(acme, hub):
    forms = hub.hook.register_forms.registry(what="form", hub=hub)
    assert forms["acme-night-shift"].roles == ("Night shift agent",)
    assert forms["acme-night-shift"].sections[-1].questions[-1].id == "suggestions"


def test_step2_scores_round_to_half_points_and_need_enough_evidence(acme, hub):
    score = hub.hook.score_review(
        hub=hub, review=manager_review({"calm": 4, "solve": 3}), form=NIGHT_SHIFT
    )
    by_section = {s.section_id: s.score for s in score.sections}
    assert by_section == {"service": 3.5, "handover": None}  # 2 of 3 rated; handover not rated
    assert score.overall == 3.5
    too_little = hub.hook.score_review(
        hub=hub, review=manager_review({"calm": 4}), form=NIGHT_SHIFT
    )
    assert too_little.overall is None


def test_step3_the_packet_shows_the_career_ladder(acme, hub, cli, night_agent, tmp_path):
    hub.cycles.create("2026 H2", start=dt.date(2026, 1, 1), end=dt.date(2026, 6, 30))
    hub.cycles.open("2026 H2")
    target = tmp_path / "noa.pdf"
    result = cli("render", "packet", "--cycle", "2026 H2", "--person", "n1", "-o", str(target))
    assert result.exit_code == 0, result.output
    text = " ".join(page.extract_text() for page in PdfReader(target).pages)
    assert "Your career at Acme" in text
    assert "Next step: Service desk agent" in text


def test_step4_the_ladder_command(acme, cli, night_agent):
    result = cli("acme", "ladder", "--json")
    assert result.exit_code == 0, result.output
    assert result.json()[0] == {"role": "Night shift agent", "people": 1}


def test_step5_submitted_manager_reviews_feed_hr_once(acme, hub):
    hub.hook.review_submitted(hub=hub, review=manager_review({"calm": 4}))
    hub.hook.review_submitted(hub=hub, review=manager_review({"calm": 4}))
    own = Review(
        id=2, cycle_id=1, kind=ReviewKind.SELF, subject_id="n1", author_id="n1", form=NIGHT_SHIFT
    )
    hub.hook.review_submitted(hub=hub, review=own)  # self-assessments are not fed to HR
    rows = list(hub.db.table("acme_hr_feed").rows)
    assert rows == [
        {"review_id": 1, "person_id": "n1", "cycle_id": 1, "submitted_on": "2026-03-02"}
    ]
