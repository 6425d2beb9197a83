"""Answers: checking what a person typed against the form, and what submitting requires.

Answers are stored as plain JSON, keyed by question id:

- rating: a point of the question's scale (an int), or ``"n/a"`` for "not rated / not
  applicable", which is an answer but never counts as a score;
- text: a string; choice: one of the question's choices;
- goals: a list of ``{objective, result, due, outcome}`` (``due`` as YYYY-MM-DD).

An unanswered question has no key.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from corehub.messages import M_, N_, Message
from corehub.models import Audience, Form, Question, QuestionType, ReviewKind

if TYPE_CHECKING:
    from corehub.i18n import Translator

NOT_RATED = "n/a"
_NOT_RATED_WORDS = {"n/a", "na", "not rated", "not applicable", "-"}
GOAL_KEYS = ("objective", "result", "due", "outcome")
MAX_TEXT = 20_000

KIND_NAMES = {ReviewKind.SELF: "the self-assessment", ReviewKind.MANAGER: "the manager's review"}
_ANSWERED_ONLY_IN = {
    Audience.SELF: N_("this question is answered in the self review only"),
    Audience.MANAGER: N_("this question is answered in the manager review only"),
}


def applies(question: Question, kind: ReviewKind | str) -> bool:
    """Whether ``question`` is asked in a review of ``kind`` (self and manager see "both")."""
    audience = Audience(question.audience)
    if audience is Audience.BOTH:
        return True
    return audience.value == str(kind)


def questions_for(form: Form, kind: ReviewKind | str) -> list[tuple[Any, Question]]:
    """(section, question) pairs asked in a review of ``kind``, in form order."""
    return [(s, q) for s, q in form.questions() if applies(q, kind)]


def self_only(form: Form, section_id: str) -> list[Question]:
    """The questions of a section that only the person answers (in their self-assessment),
    such as their suggestions: the manager reads them where they answer the section."""
    return [
        q
        for s, q in form.questions()
        if s.id == section_id and Audience(q.audience) is Audience.SELF
    ]


def scale_text(form: Form, question: Question) -> str:
    scale = form.scales.get(question.scale or "")
    if scale is None:
        return ""
    return ", ".join(f"{p.value} {p.label}" for p in scale.points)


def normalise_answers(
    form: Form, kind: ReviewKind | str, raw: Mapping[str, Any], *, where: str = "answers"
) -> tuple[dict[str, Any], list[Message]]:
    """Check raw answers against the form; return (answers as stored, problems)."""
    answers: dict[str, Any] = {}
    problems: list[Message] = []
    if not isinstance(raw, Mapping):
        return {}, [M_("expected question ids with their answers", where=where)]
    for key, value in raw.items():
        qid = str(key)
        path = f"{where}.{qid}"
        question = form.question(qid)
        if question is None:
            problems.append(
                M_(
                    "unknown question (form %(form)r has no question %(question)r)",
                    where=path,
                    form=form.id,
                    question=qid,
                )
            )
            continue
        if not applies(question, kind):
            problems.append(M_(_ANSWERED_ONLY_IN[Audience(question.audience)], where=path))
            continue
        stored, problem = normalise_answer(form, question, value, path=path)
        if problem:
            problems.extend(problem)
        elif stored is not None:
            answers[qid] = stored
    return answers, problems


def normalise_answer(
    form: Form, question: Question, value: Any, *, path: str
) -> tuple[Any, list[Message]]:
    """One answer as stored (None for unanswered) and its problems."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, []
    qtype = QuestionType(question.type)
    if qtype is QuestionType.RATING:
        return _rating(form, question, value, path)
    if qtype is QuestionType.TEXT:
        if isinstance(value, bool | dict | list):
            return None, [M_("expected text", where=path)]
        text = str(value).strip()
        if len(text) > MAX_TEXT:
            return None, [
                M_(
                    "%(count)s characters; at most %(limit)s",
                    where=path,
                    count=len(text),
                    limit=MAX_TEXT,
                )
            ]
        return text, []
    if qtype is QuestionType.CHOICE:
        text = str(value).strip()
        # The English choice, or its text in any language (a fill-in file in Spanish).
        match = next(
            (
                c
                for c in question.choices
                if text.casefold()
                in {c.casefold(), *(v.casefold() for v in getattr(c, "translations", {}).values())}
            ),
            None,
        )
        if match is None:
            options = "; ".join(question.choices)
            return None, [
                M_(
                    "%(value)r is not one of the choices (%(choices)s)",
                    where=path,
                    value=text,
                    choices=options,
                )
            ]
        return match, []
    return _goals(question, value, path)


def _rating(form: Form, question: Question, value: Any, path: str) -> tuple[Any, list[Message]]:
    scale = form.scales.get(question.scale or "")
    if isinstance(value, str) and value.strip().lower() in _NOT_RATED_WORDS:
        if not question.allow_na:
            return None, [
                M_(
                    "this question needs a rating: n/a is not allowed (%(low)s-%(high)s)",
                    where=path,
                    low=scale.min if scale else "?",
                    high=scale.max if scale else "?",
                )
            ]
        return NOT_RATED, []
    number: int | None = None
    if isinstance(value, bool):
        number = None
    elif isinstance(value, int):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    elif isinstance(value, str):
        try:
            number = int(value.strip())
        except ValueError:
            number = None
    if scale is None:
        return None, [M_("the question has no scale in form %(form)r", where=path, form=form.id)]
    points: dict[str, Any] = {
        "low": scale.min,
        "high": scale.max,
        "points": scale_text(form, question),
        "scale": scale.id,
    }
    # "or n/a" only where the question allows it (allow_na: false makes people rate it)
    if number is None:
        return None, [
            M_(
                "%(value)r is not a point on the scale %(scale)r "
                "(%(low)s-%(high)s: %(points)s; or n/a)",
                where=path,
                value=value,
                **points,
            )
            if question.allow_na
            else M_(
                "%(value)r is not a point on the scale %(scale)r (%(low)s-%(high)s: %(points)s)",
                where=path,
                value=value,
                **points,
            )
        ]
    if scale.label_for(number) is None:
        return None, [
            M_(
                "%(value)s is outside the scale %(scale)r (%(low)s-%(high)s: %(points)s; or n/a)",
                where=path,
                value=number,
                **points,
            )
            if question.allow_na
            else M_(
                "%(value)s is outside the scale %(scale)r (%(low)s-%(high)s: %(points)s)",
                where=path,
                value=number,
                **points,
            )
        ]
    return number, []


def _goals(question: Question, value: Any, path: str) -> tuple[Any, list[Message]]:
    if not isinstance(value, list):
        return None, [M_("expected a list of goals (objective, result, due)", where=path)]
    goals = []
    problems: list[Message] = []
    for i, item in enumerate(value):
        gpath = f"{path}[{i}]"
        if item is None:
            continue
        if not isinstance(item, Mapping):
            problems.append(M_("expected objective, result, due and outcome", where=gpath))
            continue
        goal: dict[str, Any] = {}
        for key, raw in item.items():
            if key not in GOAL_KEYS:
                problems.append(
                    M_(
                        "unknown key (use %(keys)s)",
                        where=f"{gpath}.{key}",
                        keys=", ".join(GOAL_KEYS),
                    )
                )
                continue
            if raw is None or (isinstance(raw, str) and not raw.strip()):
                continue
            if key == "due":
                if isinstance(raw, dt.date):
                    goal["due"] = raw.isoformat()
                else:
                    try:
                        goal["due"] = dt.date.fromisoformat(str(raw).strip()).isoformat()
                    except ValueError:
                        problems.append(
                            M_(
                                "%(value)r is not a date (use YYYY-MM-DD)",
                                where=f"{gpath}.due",
                                value=raw,
                            )
                        )
            elif isinstance(raw, dict | list | bool):
                problems.append(M_("expected text", where=f"{gpath}.{key}"))
            else:
                goal[key] = str(raw).strip()
        if not goal:
            continue  # an empty entry, as the fill-in file offers
        if "objective" not in goal:
            problems.append(M_("a goal needs an objective", where=f"{gpath}.objective"))
        goals.append(goal)
    if problems:
        return None, problems
    return (goals or None), []


def submit_problems(
    form: Form, kind: ReviewKind | str, answers: Mapping[str, Any]
) -> list[Message]:
    """What keeps a review from being submitted: required answers, incomplete goals."""
    _, problems = normalise_answers(form, kind, answers)
    for _, question in questions_for(form, kind):
        value = answers.get(question.id)
        qtype = QuestionType(question.type)
        if question.required and value in (None, "", []):
            problems.append(M_("required", where=question.id))
            continue
        if qtype is QuestionType.GOALS and isinstance(value, list):
            for i, goal in enumerate(value):
                where = f"{question.id}[{i}]"
                if question.review_of:
                    if not goal.get("outcome"):
                        problems.append(M_("say what came of this goal", where=f"{where}.outcome"))
                    continue
                if not goal.get("result"):
                    problems.append(M_("a goal needs a measurable result", where=f"{where}.result"))
                if not goal.get("due"):
                    problems.append(M_("a goal needs a due date", where=f"{where}.due"))
    return problems


def display_answer(form: Form, question: Question, value: Any, t: Translator | None = None) -> str:
    """An answer as a person reads it: ``4 Strong``, ``not rated``, the text, the goals; in
    ``t``'s language when given (scale labels and choices from the form's translations)."""
    if value is None:
        return ""
    _ = t.gettext if t is not None else str
    qtype = QuestionType(question.type)
    if qtype is QuestionType.RATING:
        if value == NOT_RATED:
            return _("not rated")
        scale = form.scales.get(question.scale or "")
        label = scale.label_for(value) if scale else None
        if not label:
            return str(value)
        return f"{value} {t.text(label) if t is not None else label}"
    if qtype is QuestionType.GOALS:
        lines = []
        for goal in value:
            line = goal.get("objective", "")
            if goal.get("result"):
                line += " | " + _("result: %(result)s") % {"result": goal["result"]}
            if goal.get("due"):
                due = t.date(goal["due"]) if t is not None else goal["due"]
                line += " | " + _("due %(due)s") % {"due": due}
            if goal.get("outcome"):
                line += " | " + _("outcome: %(outcome)s") % {"outcome": goal["outcome"]}
            lines.append(line)
        return "\n".join(lines)
    if qtype is QuestionType.CHOICE and t is not None:
        chosen = next((c for c in question.choices if str(c) == str(value)), None)
        return t.text(chosen) if chosen is not None else str(value)
    return str(value)
