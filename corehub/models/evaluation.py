"""The evaluation contract: forms, reviews and scores, as plugins exchange them.

The core owns these record types so that any plugin (ours or an organization's) can
offer a form or a scoring rule without importing another plugin.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterator
from typing import Any

import attrs

from corehub.models.people import Level
from corehub.models.text import EMPTY, Text, to_text


class QuestionType(enum.StrEnum):
    RATING = "rating"
    """A point on a named scale; may be left "not rated", which is never counted as zero."""
    TEXT = "text"
    CHOICE = "choice"
    GOALS = "goals"
    """A list of goals: objective, measurable result, due date (and outcome, when reviewed)."""


class Audience(enum.StrEnum):
    """Who answers a question: the person (self), their manager, or both side by side."""

    SELF = "self"
    MANAGER = "manager"
    BOTH = "both"


class ReviewKind(enum.StrEnum):
    SELF = "self"
    MANAGER = "manager"
    PEER = "peer"
    UPWARD = "upward"


class ReviewStatus(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    RELEASED = "released"
    ACKNOWLEDGED = "acknowledged"


def _texts(values: Any) -> tuple[Text, ...]:
    return tuple(to_text(v) for v in values)


@attrs.frozen(kw_only=True)
class ScalePoint:
    value: int
    label: Text = attrs.field(converter=to_text)


@attrs.frozen(kw_only=True)
class Scale:
    """A rating scale with a label per point, e.g. 1 "Needs improvement" .. 5 "Outstanding"."""

    id: str
    points: tuple[ScalePoint, ...]

    @property
    def min(self) -> int:
        return min(p.value for p in self.points)

    @property
    def max(self) -> int:
        return max(p.value for p in self.points)

    def label_for(self, value: int) -> Text | None:
        return next((p.label for p in self.points if p.value == value), None)


@attrs.frozen(kw_only=True)
class Question:
    id: str
    text: Text = attrs.field(converter=to_text)
    type: QuestionType = QuestionType.RATING
    scale: str | None = None
    """Id of a scale in the form's ``scales`` (rating questions)."""
    choices: tuple[Text, ...] = attrs.field(default=(), converter=_texts)
    """The choices offered; an answer stores the choice's English text (its ``str``)."""
    weight: float = 1.0
    required: bool = False
    audience: Audience = Audience.BOTH
    competency: str | None = None
    """The competency a rating measures (e.g. ``active_listening``); links reviews to training."""
    help: Text = attrs.field(default=EMPTY, converter=to_text)
    review_of: str | None = None
    """Goals questions only: the id of the goals question of the person's previous review whose
    goals this question looks back on (their ``outcome`` is recorded here)."""
    allow_na: bool = True
    """Rating questions only: whether ``"n/a"`` (not rated / not applicable) is an answer.
    ``allow_na: false`` makes the person pick a point of the scale."""


@attrs.frozen(kw_only=True)
class Section:
    id: str
    title: Text = attrs.field(converter=to_text)
    questions: tuple[Question, ...]
    weight: float = 1.0
    description: Text = attrs.field(default=EMPTY, converter=to_text)


@attrs.frozen(kw_only=True)
class Form:
    """The questions of a review, in sections, chosen per role or level."""

    id: str
    title: Text = attrs.field(converter=to_text)
    sections: tuple[Section, ...]
    scales: dict[str, Scale] = attrs.field(factory=dict)
    levels: tuple[Level, ...] = ()
    """Levels the form is for; empty means any."""
    roles: tuple[str, ...] = ()
    """Roles (job descriptions) the form is for; a role match wins over a level match."""
    description: Text = attrs.field(default=EMPTY, converter=to_text)
    version: int = 1
    replaces: bool = False
    """True when this form deliberately replaces another registered with the same id."""

    def questions(self) -> Iterator[tuple[Section, Question]]:
        for section in self.sections:
            for question in section.questions:
                yield section, question

    def question(self, question_id: str) -> Question | None:
        return next((q for _, q in self.questions() if q.id == question_id), None)


@attrs.frozen(kw_only=True)
class Goal:
    objective: str
    result: str = ""
    """The measurable result that says the goal was met (an outcome, not an activity count)."""
    due: dt.date | None = None
    outcome: str | None = None


@attrs.frozen(kw_only=True)
class Review:
    """One filled form about one person in one cycle. ``form`` is the copy taken at enrolment."""

    id: int
    cycle_id: int
    kind: ReviewKind
    """``self`` (the person about themselves) or ``manager`` (their manager about them)."""
    subject_id: str
    """The person reviewed."""
    author_id: str | None
    """Who fills it: the subject for a self-assessment, the manager for a manager review."""
    form: Form
    """The form as it was when the cycle enrolled the person: editing the form file later
    never changes a running review."""
    answers: dict[str, Any] = attrs.field(factory=dict)
    """Answers by question id, as stored after checking:

    - a **rating** question: an ``int`` (a point of the question's scale), or the string
      ``"n/a"`` for "not rated / not applicable" (only where the question's ``allow_na`` is
      true); "not rated" is not zero: scoring leaves it out and re-weighs the rest;
    - a **text** question: the ``str`` written;
    - a **choice** question: the chosen choice's English text;
    - a **goals** question: a list of ``{"objective", "result", "due", "outcome"}`` dicts
      (``due`` as ``YYYY-MM-DD``).

    A question not answered (yet) is absent."""
    status: ReviewStatus = ReviewStatus.DRAFT
    """``draft`` → ``submitted`` → ``released`` (both sides visible) → ``acknowledged``."""
    submitted_at: dt.datetime | None = None
    released_at: dt.datetime | None = None


@attrs.frozen(kw_only=True)
class SectionScore:
    """The score of one section of a review."""

    section_id: str
    score: float | None
    """Weighted mean over the rated questions; None when nothing in the section was rated."""
    rated: int
    """How many of the section's rating questions were rated (not ``"n/a"``, not blank)."""
    rateable: int
    """How many rating questions the section asks this kind of review."""


@attrs.frozen(kw_only=True)
class ReviewScore:
    """What the ``score_review`` hook returns: the numbers a packet and the training
    recommendations are made from (on the form's scale, e.g. 1 to 5)."""

    overall: float | None
    """The weighted mean of the section scores over the sections that have one; None when
    nothing was rated."""
    sections: tuple[SectionScore, ...] = ()
    """One score per section of the form, in the form's order."""
    competencies: dict[str, float] = attrs.field(factory=dict)
    """Score per competency id (the ``competency`` of the rating questions): this drives the
    packet's competency table and chart, the self-versus-manager gaps, and the training
    recommended for weak competencies. A competency with no rated question is absent."""
