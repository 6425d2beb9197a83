"""Default scoring, and the self-vs-manager comparison.

A section's score is the weighted mean of its rated questions; the overall score is the
weighted mean of the sections that have a score (section weights). Both re-normalise over
what was rated: "not rated" and unanswered questions leave the mean alone instead of
counting as zero. A competency's score is the weighted mean of the questions measuring it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import attrs

from corehub.forms import competency_label
from corehub.models import Form, QuestionType, Review, ReviewKind, ReviewScore, SectionScore
from corehub_self_assessment.answers import applies, display_answer

if TYPE_CHECKING:
    from corehub import Hub
    from corehub.i18n import Translator

PLUGIN = "self_assessment"


def _rated_value(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def weighted_mean(pairs: list[tuple[float, float]]) -> float | None:
    """The mean of ``(weight, value)`` pairs; None for none. Never outside the values' range,
    even where floating-point rounding would nudge it (5.000000000000001 on a 1-5 scale)."""
    if not pairs:
        return None
    mean = math.fsum(w * v for w, v in pairs) / math.fsum(w for w, _ in pairs)
    values = [v for _, v in pairs]
    return min(max(mean, min(values)), max(values))


def default_score(form: Form, kind: ReviewKind | str, answers: Mapping[str, Any]) -> ReviewScore:
    """Weighted means per section, per competency and overall (see the module docstring)."""
    sections = []
    overall: list[tuple[float, float]] = []
    competencies: dict[str, list[tuple[float, float]]] = {}
    for section in form.sections:
        rateable = [
            q
            for q in section.questions
            if QuestionType(q.type) is QuestionType.RATING and applies(q, kind)
        ]
        if not rateable:
            continue
        rated: list[tuple[float, float]] = []
        for question in rateable:
            value = _rated_value(answers.get(question.id))
            if value is None:
                continue
            rated.append((question.weight, value))
            if question.competency:
                competencies.setdefault(question.competency, []).append((question.weight, value))
        score = weighted_mean(rated)
        sections.append(
            SectionScore(
                section_id=section.id, score=score, rated=len(rated), rateable=len(rateable)
            )
        )
        if score is not None:
            overall.append((section.weight, score))
    return ReviewScore(
        overall=weighted_mean(overall),
        sections=tuple(sections),
        competencies={c: weighted_mean(competencies[c]) or 0.0 for c in sorted(competencies)},
    )


def score(hub: Hub, review: Review) -> ReviewScore:
    """The review's score as the installed scoring rule (``score_review``) gives it now.

    Only for a draft's preview and for submitting or rescoring: a submitted review's score
    is the one stored when it was given (:func:`corehub_self_assessment.reviews.given_score`).
    """
    return score_with_source(hub, review)[0]


def score_with_source(hub: Hub, review: Review) -> tuple[ReviewScore, dict[str, Any]]:
    """The score the installed scoring rule gives now, and what produced it: the plugin
    that answered ``score_review`` and its version, the form and its version, when."""
    plugin, result = hub.hook.score_review.first(hub=hub, review=review, form=review.form)
    if result is None:
        plugin, result = PLUGIN, default_score(review.form, review.kind, review.answers)
    source = {
        "plugin": plugin,
        "plugin_version": hub.pm.version_of(plugin) if plugin else None,
        "form": review.form.id,
        "form_version": review.form.version,
        "scored_at": hub.clock.now().isoformat(),
    }
    return result, source


@attrs.frozen(kw_only=True)
class Gap:
    """One competency (or question) rated by both sides."""

    key: str
    label: str
    self_score: float | None
    manager_score: float | None
    gap: float | None
    """Manager minus self; positive when the manager rates higher."""
    flagged: bool


def competency_gaps(
    self_score: ReviewScore | None,
    manager_score: ReviewScore | None,
    threshold: float,
    t: Translator | None = None,
) -> list[Gap]:
    """Self vs manager per competency; flagged when they differ by ``threshold`` or more."""
    mine = self_score.competencies if self_score else {}
    theirs = manager_score.competencies if manager_score else {}
    gaps = []
    for key in sorted(set(mine) | set(theirs)):
        a, b = mine.get(key), theirs.get(key)
        gap = None if a is None or b is None else b - a
        gaps.append(
            Gap(
                key=key,
                label=competency_label(key, t),
                self_score=a,
                manager_score=b,
                gap=gap,
                flagged=gap is not None and abs(gap) >= threshold,
            )
        )
    return gaps


def question_rows(
    form: Form,
    self_answers: Mapping[str, Any] | None,
    manager_answers: Mapping[str, Any] | None,
    threshold: float,
    t: Translator | None = None,
) -> list[dict[str, Any]]:
    """Rating questions side by side: what each side answered, the gap and whether it is flagged."""
    rows = []
    for section, question in form.questions():
        if QuestionType(question.type) is not QuestionType.RATING:
            continue
        mine = self_answers.get(question.id) if self_answers is not None else None
        theirs = manager_answers.get(question.id) if manager_answers is not None else None
        a, b = _rated_value(mine), _rated_value(theirs)
        gap = None if a is None or b is None else b - a
        rows.append(
            {
                "section": section.title,
                "question_id": question.id,
                "question": question.text,
                "competency": question.competency,
                "self": a,
                "self_text": display_answer(form, question, mine, t),
                "manager": b,
                "manager_text": display_answer(form, question, theirs, t),
                "gap": gap,
                "flagged": gap is not None and abs(gap) >= threshold,
            }
        )
    return rows
