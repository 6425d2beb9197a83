"""Scoring: weighted means, re-normalised over what was rated; replaceable by a plugin."""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st

from corehub import hookimpl
from corehub.models import (
    Audience,
    Form,
    Question,
    QuestionType,
    Review,
    ReviewKind,
    ReviewScore,
    Scale,
    ScalePoint,
    Section,
)
from corehub_self_assessment import reviews
from corehub_self_assessment.answers import NOT_RATED
from corehub_self_assessment.scoring import default_score

SCALE = Scale(id="five", points=tuple(ScalePoint(value=v, label=f"p{v}") for v in range(1, 6)))
weights = st.floats(min_value=0.1, max_value=10, allow_nan=False, allow_infinity=False)
answer = st.one_of(st.integers(min_value=1, max_value=5), st.just(NOT_RATED), st.none())


@st.composite
def forms_and_answers(draw):
    sections = []
    answers = {}
    n = 0
    for s in range(draw(st.integers(min_value=1, max_value=4))):
        questions = []
        for _ in range(draw(st.integers(min_value=1, max_value=5))):
            n += 1
            qid = f"q{n}"
            questions.append(
                Question(
                    id=qid,
                    text=qid,
                    scale="five",
                    weight=draw(weights),
                    competency=draw(st.sampled_from("abc")),
                )
            )
            value = draw(answer)
            if value is not None:
                answers[qid] = value
        sections.append(
            Section(id=f"s{s}", title=f"S{s}", questions=tuple(questions), weight=draw(weights))
        )
    return Form(id="f", title="F", sections=tuple(sections), scales={"five": SCALE}), answers


def rated(answers):
    return {k: v for k, v in answers.items() if isinstance(v, int)}


@given(forms_and_answers())
def test_scores_stay_within_the_rated_values(case):
    form, answers = case
    result = default_score(form, ReviewKind.SELF, answers)
    values = list(rated(answers).values())
    if not values:
        assert result.overall is None
        assert result.competencies == {}
        return
    assert min(values) - 1e-9 <= result.overall <= max(values) + 1e-9
    for section in result.sections:
        if section.score is not None:
            assert 1 <= section.score <= 5
    for value in result.competencies.values():
        assert min(values) - 1e-9 <= value <= max(values) + 1e-9


@given(forms_and_answers())
def test_not_rated_is_not_zero(case):
    form, answers = case
    with_na = default_score(form, ReviewKind.SELF, answers)
    without = default_score(form, ReviewKind.SELF, rated(answers))
    assert with_na == without  # "n/a" and unanswered leave the means alone
    for section in with_na.sections:
        form_section = next(s for s in form.sections if s.id == section.section_id)
        assert section.rated == sum(1 for q in form_section.questions if q.id in rated(answers))
        assert (section.score is None) == (section.rated == 0)


@given(forms_and_answers(), weights)
def test_scaling_every_weight_changes_nothing(case, factor):
    form, answers = case
    scaled = Form(
        id=form.id,
        title=form.title,
        scales=form.scales,
        sections=tuple(
            Section(
                id=s.id,
                title=s.title,
                weight=s.weight * factor,
                questions=tuple(
                    Question(
                        id=q.id,
                        text=q.text,
                        scale=q.scale,
                        weight=q.weight * factor,
                        competency=q.competency,
                    )
                    for q in s.questions
                ),
            )
            for s in form.sections
        ),
    )
    a = default_score(form, ReviewKind.SELF, answers)
    b = default_score(scaled, ReviewKind.SELF, answers)
    if a.overall is None:
        assert b.overall is None
    else:
        assert math.isclose(a.overall, b.overall, rel_tol=1e-9)


@given(st.lists(st.integers(min_value=1, max_value=5), min_size=1, max_size=8))
def test_equal_weights_give_the_plain_mean(values):
    questions = tuple(Question(id=f"q{i}", text="t", scale="five") for i in range(len(values)))
    form = Form(
        id="f",
        title="F",
        sections=(Section(id="s", title="S", questions=questions),),
        scales={"five": SCALE},
    )
    result = default_score(form, ReviewKind.MANAGER, {f"q{i}": v for i, v in enumerate(values)})
    assert math.isclose(result.overall, sum(values) / len(values))


def test_weights_and_sections_by_hand():
    form = Form(
        id="f",
        title="F",
        scales={"five": SCALE},
        sections=(
            Section(
                id="a",
                title="A",
                weight=3,
                questions=(
                    Question(id="q1", text="t", scale="five", weight=3, competency="x"),
                    Question(id="q2", text="t", scale="five", weight=1, competency="y"),
                    Question(id="q3", text="t", scale="five", audience=Audience.MANAGER),
                    Question(id="t", text="t", type=QuestionType.TEXT),
                ),
            ),
            Section(
                id="b",
                title="B",
                weight=1,
                questions=(Question(id="q4", text="t", scale="five", competency="x"),),
            ),
        ),
    )
    result = default_score(form, ReviewKind.SELF, {"q1": 5, "q2": 1, "q4": 2, "t": "text"})
    section_a = (3 * 5 + 1 * 1) / 4  # q3 is the manager's question: not rateable in a self review
    assert result.sections[0].score == section_a
    assert (result.sections[0].rated, result.sections[0].rateable) == (2, 2)
    assert math.isclose(result.overall, (3 * section_a + 2) / 4)
    assert result.competencies == {"x": (3 * 5 + 2) / 4, "y": 1}


class Strict:
    """An organization's scoring: the lowest rating is the score."""

    @hookimpl
    def score_review(self, hub, review, form):
        values = [v for v in review.answers.values() if isinstance(v, int)]
        return ReviewScore(overall=min(values) if values else None)


def test_an_organization_plugin_replaces_scoring(hub, cycle, register_plugin, answers, cli):
    register_plugin(Strict(), name="strict")
    reviews.save_draft(hub, cycle, "alpha-01", "self", answers["self"], actor="alpha-01")
    reviews.submit(hub, cycle, "alpha-01", "self", actor="alpha-01")
    view = cli("--as", "alpha-01", "review", "show", "--json").json()
    assert view["reviews"]["self"]["score"]["overall"] == 2


def test_default_score_review_hook(hub, plugin):
    form = Form(
        id="f",
        title="F",
        sections=(
            Section(id="s", title="S", questions=(Question(id="q", text="t", scale="five"),)),
        ),
        scales={"five": SCALE},
    )
    review = Review(
        id=1,
        cycle_id=1,
        kind=ReviewKind.SELF,
        subject_id="x",
        author_id="x",
        form=form,
        answers={"q": 4},
    )
    assert hub.hook.score_review(hub=hub, review=review, form=form).overall == 4
