"""The built-in kinds of feedback, and how each behaves."""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs

from corehub.errors import ValidationError
from corehub.models import Anonymity, FeedbackKind

if TYPE_CHECKING:
    from corehub.hub import Hub

PRAISE = "praise"
SUGGESTION = "suggestion"
CONCERN = "concern"
PEER = "peer"
UPWARD = "upward"
CUSTOMER = "customer"
PULSE = "pulse"

BUILTIN_KINDS = (
    FeedbackKind(
        id=PRAISE,
        label="Praise",
        description="Recognition from one person to another, with optional competency tags.",
    ),
    FeedbackKind(
        id=SUGGESTION,
        label="Suggestion",
        description="An idea to improve the help desk; answered with the reasoning.",
        anonymity=Anonymity.OPTIONAL,
        needs_recipient=False,
    ),
    FeedbackKind(
        id=CONCERN,
        label="Concern",
        description="A concern about a person, seen only by their managers and HR.",
    ),
    FeedbackKind(
        id=PEER,
        label="Peer feedback",
        description="Requested in a cycle: keep doing, improve, a rating 1-5 "
        "(confidential; shown to the person only as themes at the anonymity threshold).",
    ),
    FeedbackKind(
        id=UPWARD,
        label="Upward feedback",
        description="About one's own manager, in a cycle; always anonymous; rating 1-5.",
        anonymity=Anonymity.ALWAYS,
    ),
    FeedbackKind(
        id=CUSTOMER,
        label="Customer satisfaction (CSAT)",
        description="One rated ticket from the ticket system (score 1-5); imported.",
    ),
    FeedbackKind(
        id=PULSE,
        label="Pulse (eNPS)",
        description="How likely are you to recommend working here, 0-10; always anonymous.",
        anonymity=Anonymity.ALWAYS,
        needs_recipient=False,
    ),
)

AGGREGATE_ONLY = frozenset({PEER, UPWARD, PULSE})
"""Kinds never listed one by one: they are only shown as aggregates at the threshold."""

GIVEN_ELSEWHERE = {
    PEER: "peer feedback is given on a cycle task: corehub feedback peer --cycle C --about P ...",
    CUSTOMER: "CSAT comes from the ticket system: corehub feedback import-csat FILE.csv",
}


@attrs.frozen
class RatingScale:
    low: int
    high: int
    required: bool


RATING_SCALES = {
    PULSE: RatingScale(0, 10, required=True),
    UPWARD: RatingScale(1, 5, required=False),
    PEER: RatingScale(1, 5, required=True),
    CUSTOMER: RatingScale(1, 5, required=True),
    PRAISE: None,
    SUGGESTION: None,
    CONCERN: None,
}
"""The rating each kind takes; kinds added by organizations take an optional 1-5."""


def rating_scale(kind: str) -> RatingScale | None:
    return RATING_SCALES.get(kind, RatingScale(1, 5, required=False))


def all_kinds(hub: Hub) -> dict[str, FeedbackKind]:
    """Every registered kind, by id (built-in ones and organizations' own)."""
    kinds: dict[str, FeedbackKind] = hub.hook.register_feedback_kinds.registry(
        what="feedback kind", hub=hub
    )
    return kinds


def get_kind(hub: Hub, kind_id: str) -> FeedbackKind:
    kinds = all_kinds(hub)
    if kind_id not in kinds:
        raise ValidationError(
            f"unknown kind of feedback {kind_id!r}; kinds: {', '.join(sorted(kinds))}"
        )
    return kinds[kind_id]
