"""Property tests of the default scoring rule over any answers to the shipped scorecards."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from corehub_quality import scorecards

CARDS = {path.stem: scorecards.load_file(path) for path in scorecards.shipped_files()}


def answers_for(card: dict[str, Any]) -> st.SearchStrategy[dict[str, str]]:
    fields = {}
    for qid, criterion in scorecards.criteria(card).items():
        if criterion["type"] == "yes_no":
            choices = ["yes", "no", "na", ""]
        else:
            points = card["scales"][criterion["scale"]]["points"]
            choices = [str(p["value"]) for p in points] + ["na", ""]
        fields[qid] = st.sampled_from(choices)
    return st.fixed_dictionaries(fields)


@settings(max_examples=200, deadline=None)
@given(data=st.data(), card_id=st.sampled_from(sorted(CARDS)))
def test_scores_are_honest(data: Any, card_id: str) -> None:
    card = CARDS[card_id]
    answers = data.draw(answers_for(card))
    result = scorecards.default_score(card, answers)
    critical = {q for q, c in scorecards.criteria(card).items() if c["critical"]}
    failed = {q for q in critical if answers.get(q) == "no"}
    assert result.critical_failed == bool(failed)
    assert set(result.failed_criteria) == failed
    if failed:
        assert result.score == 0.0
    elif result.score is not None:
        assert 0.0 <= result.score <= 100.0
    for value in result.categories.values():
        assert 0.0 <= value <= 100.0
    # N/A and unanswered are the same: never counted as zero.
    blanked = {k: ("na" if v == "" else v) for k, v in answers.items()}
    assert scorecards.default_score(card, blanked) == result
    # Every non-critical answer N/A: nothing to score (unless a critical failed).
    if not failed:
        only_na = {k: ("na" if k not in critical else v) for k, v in answers.items()}
        assert scorecards.default_score(card, only_na).score is None
