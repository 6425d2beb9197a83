"""Scorecards: shipped, org-overridable, checked; scoring is a replaceable hook."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from corehub import hookimpl
from corehub.errors import ValidationError
from corehub.models import TicketScore
from corehub_quality import scorecards

WRITTEN_ALL_YES = {
    "greeting": "yes",
    "tone": "5",
    "clarity": "5",
    "respectful_language": "yes",
    "understood": "yes",
    "correct_information": "yes",
    "resolved": "5",
    "personal_data": "yes",
    "documented": "yes",
    "knowledge_article": "yes",
}


def test_three_scorecards_ship_in_four_languages(qa: Any, cli: Any) -> None:
    cards = {c["id"]: c for c in cli("quality", "scorecards", "--json").json()}
    assert set(cards) == {"written", "phone", "article"}
    assert cards["article"]["channels"] == []  # knowledge articles: no ticket uses it
    assert set(cards["written"]["channels"]) == {"email", "chat", "web"}
    assert cards["phone"]["channels"] == ["phone"]
    for card in cards.values():
        assert set(card["title"]) == {"en", "es", "da", "sv"}
        for category in card["categories"]:
            for criterion in category["criteria"]:
                assert set(criterion["text"]) == {"en", "es", "da", "sv"}, criterion["id"]
    critical = {
        q["id"] for c in cards["written"]["categories"] for q in c["criteria"] if q["critical"]
    }
    assert critical == {"respectful_language", "correct_information", "personal_data"}


def test_na_renormalises_and_a_critical_no_fails_the_ticket(qa: Any) -> None:
    card = scorecards.get(qa, "written")
    perfect = qa.hook.score_ticket(hub=qa, scorecard=card, answers=WRITTEN_ALL_YES)
    assert perfect.score == 100.0 and not perfect.critical_failed
    # Greeting "no" costs the communication category 1 of its 5 weight points.
    partial = qa.hook.score_ticket(
        hub=qa, scorecard=card, answers=WRITTEN_ALL_YES | {"greeting": "no"}
    )
    assert partial.categories["communication"] == 80.0
    # N/A leaves the criterion out: the category is perfect again, not 80.
    na = qa.hook.score_ticket(hub=qa, scorecard=card, answers=WRITTEN_ALL_YES | {"greeting": "na"})
    assert na.categories["communication"] == 100.0
    # A scale of 1-5: 3 is half way.
    mid = qa.hook.score_ticket(hub=qa, scorecard=card, answers={"resolved": "3"})
    assert mid.categories == {"resolution": 50.0} and mid.score == 50.0
    failed = qa.hook.score_ticket(
        hub=qa, scorecard=card, answers=WRITTEN_ALL_YES | {"respectful_language": "no"}
    )
    assert (failed.score, failed.critical_failed, failed.failed_criteria) == (
        0.0,
        True,
        ("respectful_language",),
    )


def test_an_organization_replaces_the_scoring_rule(qa: Any, register_plugin: Any) -> None:
    class PassFail:
        @hookimpl
        def score_ticket(self, hub: Any, scorecard: Any, answers: Any) -> TicketScore:
            return TicketScore(score=0.0 if "no" in answers.values() else 100.0)

    register_plugin(PassFail(), name="pass-fail")
    card = scorecards.get(qa, "written")
    result = qa.hook.score_ticket(hub=qa, scorecard=card, answers={"greeting": "no", "tone": "5"})
    assert result.score == 0.0


def test_a_workspace_scorecard_replaces_a_shipped_one(qa: Any, cli: Any) -> None:
    folder = Path(qa.workspace) / "scorecards"
    folder.mkdir()
    (folder / "written.yaml").write_text(
        "id: written\nversion: 2\ntitle: Our own\nchannels: [email, chat, web]\n"
        "categories:\n  - id: basics\n    weight: 1\n    criteria:\n"
        "      - {id: polite, text: Polite, type: yes_no}\n",
        encoding="utf-8",
    )
    cards = {c["id"]: c for c in cli("quality", "scorecards", "--json").json()}
    assert cards["written"]["version"] == 2
    assert cards["written"]["categories"][0]["criteria"][0]["id"] == "polite"


def test_bad_weights_and_unknown_scales_are_all_reported(qa: Any, cli: Any) -> None:
    folder = Path(qa.workspace) / "scorecards"
    folder.mkdir()
    (folder / "bad.yaml").write_text(
        "id: bad\ncategories:\n  - id: one\n    weight: -1\n    criteria:\n"
        "      - {id: a, text: A, type: scale, scale: ten}\n"
        "      - {id: b, text: B, type: yes_no, weight: zero}\n"
        "      - {id: c, text: C, type: stars}\n",
        encoding="utf-8",
    )
    with pytest.raises(ValidationError) as caught:
        scorecards.all_scorecards(qa)
    text = str(caught.value)
    assert "bad.yaml: the scorecard has problems: categories.one" in text
    assert "categories.one: weight -1 must be a number above 0" in text
    assert "categories.one.a.scale: unknown scale 'ten' (known: none defined)" in text
    assert "categories.one.b: weight 'zero' must be a number above 0" in text
    assert "categories.one.c.type: 'stars' is not one of yes_no, scale" in text
    result = cli("quality", "scorecards")
    assert result.exit_code == 1 and "Traceback" not in result.output
