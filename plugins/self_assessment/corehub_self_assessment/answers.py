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

from corehub.models import Audience, Form, Question, QuestionType, ReviewKind

if TYPE_CHECKING:
    from corehub.render.i18n import Translator

NOT_RATED = "n/a"
_NOT_RATED_WORDS = {"n/a", "na", "not rated", "not applicable", "-"}
GOAL_KEYS = ("objective", "result", "due", "outcome")
MAX_TEXT = 20_000

KIND_NAMES = {ReviewKind.SELF: "the self-assessment", ReviewKind.MANAGER: "the manager's review"}


def applies(question: Question, kind: ReviewKind | str) -> bool:
    """Whether ``question`` is asked in a review of ``kind`` (self and manager see "both")."""
    audience = Audience(question.audience)
    if audience is Audience.BOTH:
        return True
    return audience.value == str(kind)


def questions_for(form: Form, kind: ReviewKind | str) -> list[tuple[Any, Question]]:
    """(section, question) pairs asked in a review of ``kind``, in form order."""
    return [(s, q) for s, q in form.questions() if applies(q, kind)]


def scale_text(form: Form, question: Question) -> str:
    scale = form.scales.get(question.scale or "")
    if scale is None:
        return ""
    return ", ".join(f"{p.value} {p.label}" for p in scale.points)


def normalise_answers(
    form: Form, kind: ReviewKind | str, raw: Mapping[str, Any], *, where: str = "answers"
) -> tuple[dict[str, Any], list[str]]:
    """Check raw answers against the form; return (answers as stored, problems)."""
    answers: dict[str, Any] = {}
    problems: list[str] = []
    if not isinstance(raw, Mapping):
        return {}, [f"{where}: expected question ids with their answers"]
    for key, value in raw.items():
        qid = str(key)
        path = f"{where}.{qid}"
        question = form.question(qid)
        if question is None:
            problems.append(f"{path}: unknown question (form {form.id!r} has no question {qid!r})")
            continue
        if not applies(question, kind):
            only = Audience(question.audience).value
            problems.append(f"{path}: this question is answered in the {only} review only")
            continue
        stored, problem = normalise_answer(form, question, value, path=path)
        if problem:
            problems.extend(problem)
        elif stored is not None:
            answers[qid] = stored
    return answers, problems


def normalise_answer(
    form: Form, question: Question, value: Any, *, path: str
) -> tuple[Any, list[str]]:
    """One answer as stored (None for unanswered) and its problems."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, []
    qtype = QuestionType(question.type)
    if qtype is QuestionType.RATING:
        return _rating(form, question, value, path)
    if qtype is QuestionType.TEXT:
        if isinstance(value, bool | dict | list):
            return None, [f"{path}: expected text"]
        text = str(value).strip()
        if len(text) > MAX_TEXT:
            return None, [f"{path}: {len(text)} characters; at most {MAX_TEXT}"]
        return text, []
    if qtype is QuestionType.CHOICE:
        text = str(value).strip()
        match = next((c for c in question.choices if c.casefold() == text.casefold()), None)
        if match is None:
            options = "; ".join(question.choices)
            return None, [f"{path}: {text!r} is not one of the choices ({options})"]
        return match, []
    return _goals(question, value, path)


def _rating(form: Form, question: Question, value: Any, path: str) -> tuple[Any, list[str]]:
    scale = form.scales.get(question.scale or "")
    if isinstance(value, str) and value.strip().lower() in _NOT_RATED_WORDS:
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
        return None, [f"{path}: the question has no scale in form {form.id!r}"]
    points = f"{scale.min}-{scale.max}: {scale_text(form, question)}; or n/a"
    if number is None:
        return None, [f"{path}: {value!r} is not a point on the scale {scale.id!r} ({points})"]
    if scale.label_for(number) is None:
        return None, [f"{path}: {number} is outside the scale {scale.id!r} ({points})"]
    return number, []


def _goals(question: Question, value: Any, path: str) -> tuple[Any, list[str]]:
    if not isinstance(value, list):
        return None, [f"{path}: expected a list of goals (objective, result, due)"]
    goals = []
    problems = []
    for i, item in enumerate(value):
        gpath = f"{path}[{i}]"
        if item is None:
            continue
        if not isinstance(item, Mapping):
            problems.append(f"{gpath}: expected objective, result, due and outcome")
            continue
        goal: dict[str, Any] = {}
        for key, raw in item.items():
            if key not in GOAL_KEYS:
                problems.append(f"{gpath}.{key}: unknown key (use {', '.join(GOAL_KEYS)})")
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
                        problems.append(f"{gpath}.due: {raw!r} is not a date (use YYYY-MM-DD)")
            elif isinstance(raw, dict | list | bool):
                problems.append(f"{gpath}.{key}: expected text")
            else:
                goal[key] = str(raw).strip()
        if not goal:
            continue  # an empty entry, as the fill-in file offers
        if "objective" not in goal:
            problems.append(f"{gpath}.objective: a goal needs an objective")
        goals.append(goal)
    if problems:
        return None, problems
    return (goals or None), []


def submit_problems(form: Form, kind: ReviewKind | str, answers: Mapping[str, Any]) -> list[str]:
    """What keeps a review from being submitted: required answers, incomplete goals."""
    _, problems = normalise_answers(form, kind, answers)
    for _, question in questions_for(form, kind):
        value = answers.get(question.id)
        qtype = QuestionType(question.type)
        if question.required and value in (None, "", []):
            problems.append(f"{question.id}: required")
            continue
        if qtype is QuestionType.GOALS and isinstance(value, list):
            for i, goal in enumerate(value):
                where = f"{question.id}[{i}]"
                if question.review_of:
                    if not goal.get("outcome"):
                        problems.append(f"{where}.outcome: say what came of this goal")
                    continue
                if not goal.get("result"):
                    problems.append(f"{where}.result: a goal needs a measurable result")
                if not goal.get("due"):
                    problems.append(f"{where}.due: a goal needs a due date")
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
