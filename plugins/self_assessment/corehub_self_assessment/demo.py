"""Sample reviews for ``corehub demo``: most submitted, honest gaps, a few still open."""

from __future__ import annotations

import random
from typing import TYPE_CHECKING, Any

from corehub.errors import NotFoundError
from corehub.models import Cycle, QuestionType, ReviewKind
from corehub_self_assessment import reviews
from corehub_self_assessment.answers import applies

if TYPE_CHECKING:
    from corehub.hub import Hub

STRENGTHS = [
    "Stays calm and friendly with upset customers; several customers thanked them by name.",
    "Thorough diagnosis: escalations arrive with logs, steps tried and the customer's impact.",
    "The go-to person for the new telephony system; helped three colleagues get up to speed.",
    "Clear, plain-language replies; tickets are easy to pick up by anyone on the team.",
    "Reliable at peak times: covered the Black Friday queue without a drop in CSAT.",
    "Writes knowledge articles others actually reuse; the VPN article cut repeat tickets.",
]
IMPROVEMENTS = [
    "Close the loop with customers after escalations instead of leaving it to second line.",
    "Take more ownership of complaints instead of passing them to the supervisor.",
    "Keep up with procedure changes; twice used the old refund process this half.",
    "Share fixes in the knowledge base, not only in chat.",
    "Ask more clarifying questions before proposing a fix.",
    "Manage time on long calls; handle time is fine, but follow-ups slip.",
]
SUGGESTIONS = [
    "A shared library of reply templates for the ten most common requests, kept current by us.",
    "Fifteen minutes at the start of each shift to go through open incidents and changes.",
    "Give first line read access to the billing system so we stop transferring simple questions.",
    "Rotate who covers the chat queue at lunch so it is not always the same people.",
    "Run the procedure training again when procedures change, not only once a year.",
    "A quiet room for difficult calls; the open floor is loud in the afternoons.",
]
RESPONSES = [
    "Agreed. We will pilot it in Q1 and review it in the February team meeting.",
    "Good idea, but billing access needs a data-protection review first; I have asked for one.",
    "We will try it for a month; if the queue suffers we will shorten it to ten minutes.",
    "Not this year: the budget is committed. It is on the list for next year's plan.",
]
GOALS = [
    (
        "Raise customer satisfaction on my tickets",
        "CSAT at 4.5 or more over the next half",
        "2027-06-30",
    ),
    ("Resolve more on first contact", "First-contact resolution at 75% or more", "2027-06-30"),
    (
        "Become the team's expert on the new CRM",
        "Pass the CRM certification and run one team session",
        "2027-04-30",
    ),
    (
        "Better knowledge articles",
        "Articles I write reused in 30+ tickets with no corrections",
        "2027-05-31",
    ),
    (
        "Handle complaints end to end",
        "No complaint of mine escalated for lack of follow-up",
        "2027-06-30",
    ),
]
COMMENTS = [
    "Thanks, fair review. I would like support with the CRM certification.",
    "I see the complaint handling point differently: most of those went to billing by procedure.",
    "Agreed on all points. Looking forward to the new goals.",
]
OVERALL = [
    "exceeded expectations",
    "met expectations",
    "met expectations",
    "partly met expectations",
]


def _clamp(value: float) -> int:
    return max(1, min(5, round(value)))


def _answers(
    form: Any, kind: ReviewKind, rng: random.Random, base: float, bias: float
) -> dict[str, Any]:
    answers: dict[str, Any] = {}
    for _, question in form.questions():
        if not applies(question, kind):
            continue
        qtype = QuestionType(question.type)
        if qtype is QuestionType.RATING:
            if rng.random() < 0.04:
                answers[question.id] = "n/a"
            else:
                answers[question.id] = _clamp(base + bias + rng.gauss(0, 0.7))
        elif qtype is QuestionType.CHOICE:
            if question.id == "overall":
                answers[question.id] = OVERALL[min(3, max(0, int(4.6 - base)))]
            elif question.required or rng.random() < 0.6:
                answers[question.id] = rng.choice(question.choices[1:] or question.choices)
        elif qtype is QuestionType.GOALS and not question.review_of:
            picked = rng.sample(GOALS, 2)
            answers[question.id] = [{"objective": o, "result": r, "due": d} for o, r, d in picked]
        elif qtype is QuestionType.TEXT:
            if "suggestion" in question.id:
                pool = RESPONSES if kind is ReviewKind.MANAGER else SUGGESTIONS
            elif question.id == "strengths":
                pool = STRENGTHS
            elif question.id == "improvements":
                pool = IMPROVEMENTS
            elif question.required or rng.random() < 0.5:
                pool = STRENGTHS[:3]
            else:
                continue
            answers[question.id] = rng.choice(pool)
    return answers


def fill_demo(hub: Hub, cycle: Cycle) -> None:
    """Submit most reviews with realistic answers; release and acknowledge many; leave a few open."""
    rng = random.Random("self_assessment")
    with hub.atomic():
        people = {
            s.review.subject_id: s.review
            for s in reviews.stored_reviews(hub, cycle)
            if s.review.kind is ReviewKind.SELF
        }
        for person_id in sorted(people):
            person = hub.people.get(person_id)
            base = rng.uniform(2.6, 4.4)
            new_hire = person.hire_date is not None and person.hire_date > cycle.start
            self_review = people[person_id]
            if not new_hire and rng.random() < 0.9:
                answers = _answers(
                    self_review.form, ReviewKind.SELF, rng, base, bias=rng.choice([0.0, 0.4, 0.8])
                )
                reviews.save_draft(hub, cycle, person_id, ReviewKind.SELF, answers, actor=person_id)
                reviews.submit(hub, cycle, person_id, ReviewKind.SELF, actor=person_id)
            try:
                manager_review = reviews.find(hub, cycle, person_id, ReviewKind.MANAGER).review
            except NotFoundError:
                continue
            if new_hire or rng.random() < 0.12:
                continue  # left open: overdue on the demo day
            author = manager_review.author_id or ""
            answers = _answers(manager_review.form, ReviewKind.MANAGER, rng, base, bias=0.0)
            if rng.random() < 0.35:  # an honest disagreement the packet should show
                rated = [k for k, v in answers.items() if isinstance(v, int)]
                key = rng.choice(rated)
                answers[key] = max(1, answers[key] - 2)
            note = rng.choice(
                [
                    "",
                    "Discuss the move to senior agent at the next one-to-one.",
                    "Check in on workload.",
                ]
            )
            reviews.save_draft(
                hub, cycle, person_id, ReviewKind.MANAGER, answers, private_note=note, actor=author
            )
            reviews.submit(hub, cycle, person_id, ReviewKind.MANAGER, actor=author)
            if rng.random() < 0.8:
                reviews.release(hub, cycle, person_id, actor=author)
                if rng.random() < 0.3:
                    reviews.comment(hub, cycle, person_id, rng.choice(COMMENTS), actor=person_id)
                if rng.random() < 0.65:
                    reviews.acknowledge(hub, cycle, person_id, actor=person_id)
