"""Step 1: Acme's own review form for its night shift agents."""

from corehub.models import Audience, Form, Question, QuestionType, Scale, ScalePoint, Section

FOUR_POINTS = Scale(
    id="acme4",
    points=(
        ScalePoint(value=1, label="Not yet"),
        ScalePoint(value=2, label="Sometimes"),
        ScalePoint(value=3, label="Usually"),
        ScalePoint(value=4, label="Always"),
    ),
)


def rating(qid: str, text: str, competency: str) -> Question:
    return Question(id=qid, text=text, scale="acme4", competency=competency, required=True)


NIGHT_SHIFT = Form(
    id="acme-night-shift",
    title="Acme night shift agent review",
    roles=("Night shift agent",),
    scales={"acme4": FOUR_POINTS},
    sections=(
        Section(
            id="service",
            title="Serving customers alone at night",
            weight=2,
            questions=(
                rating("calm", "Stays calm and friendly with upset callers", "stress_handling"),
                rating("solve", "Solves problems without a supervisor at hand", "problem_solving"),
                rating(
                    "escalate", "Escalates to on-call engineers at the right time", "communication"
                ),
            ),
        ),
        Section(
            id="handover",
            title="Handover to the day shift",
            questions=(rating("notes", "Leaves clear handover notes", "knowledge_sharing"),),
        ),
        Section(
            id="closing",
            title="Looking ahead",
            questions=(
                Question(id="strengths", text="Strengths", type=QuestionType.TEXT),
                Question(id="improve", text="Areas to improve", type=QuestionType.TEXT),
                Question(id="goals_next", text="Goals for next period", type=QuestionType.GOALS),
                Question(
                    id="suggestions",
                    text="How would you improve the night shift?",
                    type=QuestionType.TEXT,
                    audience=Audience.SELF,
                ),
            ),
        ),
    ),
)
