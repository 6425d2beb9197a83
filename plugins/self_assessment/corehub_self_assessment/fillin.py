"""Fill-in files: a review exported as commented YAML, filled in with any editor, imported back."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from corehub.errors import ValidationError
from corehub.models import QuestionType, Review, ReviewKind
from corehub_self_assessment import reviews
from corehub_self_assessment.answers import display_answer, questions_for, scale_text, self_only

if TYPE_CHECKING:
    from corehub.hub import Hub

TOP_KEYS = ("cycle", "person", "kind", "form", "answers", "private_note")


class _Dumper(yaml.SafeDumper):
    """Writes None as an empty value, so a blank answer reads ``communication:``."""


_Dumper.add_representer(
    type(None), lambda dumper, _: dumper.represent_scalar("tag:yaml.org,2002:null", "")
)


def _str_representer(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str_representer)


def _dump(data: dict[str, Any], indent: int) -> list[str]:
    text = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)
    return [" " * indent + line if line else line for line in text.rstrip("\n").split("\n")]


def _comment(text: str, indent: int) -> list[str]:
    lines = []
    for line in text.strip().splitlines() or [""]:
        lines.append(f"{' ' * indent}# {line}".rstrip())
    return lines


def export_text(hub: Hub, review: Review, *, actor: str | None = None) -> str:
    """The fill-in file for ``review``: every question it asks, its scale, and current answers."""
    cycle = hub.cycles.get(review.cycle_id)
    person = hub.people.get(review.subject_id)
    form = review.form
    kind_name = "self-assessment" if review.kind is ReviewKind.SELF else "manager's review"
    who = review.author_id or ""
    lines = [
        f"# corehub review: the {kind_name} of {person.id} ({person.name}), cycle {cycle.name!r}",
        f"# Form {form.id!r} version {form.version}: {form.title}",
        *_status_lines(review, cycle.is_closed, cycle.name, who),
        "# Ratings: a number from the scale shown, or n/a for 'not rated / not applicable'",
        "# (which never counts as zero). Leave an answer empty to skip it for now;",
        "# questions marked (required) must be answered before submitting.",
        *_dump(
            {"cycle": cycle.name, "person": person.id, "kind": review.kind.value, "form": form.id},
            0,
        ),
        "answers:",
    ]
    self_review = visible_self_review(hub, review, actor)
    for section in form.sections:
        asked = [q for s, q in questions_for(form, review.kind) if s.id == section.id]
        if not asked:
            continue
        lines.append("")
        lines.append(f"  # ==== {section.title} ====")
        if section.description:
            lines.extend(_comment(section.description, 2))
        if self_review is not None:
            lines.extend(_self_only_lines(self_review, section.id, person.id))
        for question in asked:
            lines.append("")
            lines.extend(_question_lines(hub, review, question, self_review))
    if review.kind is ReviewKind.MANAGER and reviews.can_see_private_note(hub, review, actor):
        note = reviews.private_note(hub, review, actor=actor) or None
        lines.append("")
        lines.append(
            f"# Private note: for you, your managers and HR only; never shown to {person.id}."
        )
        lines.extend(_dump({"private_note": note}, 0))
    return "\n".join(lines) + "\n"


def _status_lines(review: Review, closed: bool, cycle_name: str, who: str) -> list[str]:
    """What the file is for: filling in (a draft of an open cycle), or a copy to read."""
    status = review.status.value
    if closed:
        never = ", never submitted" if status == "draft" else ""
        return [
            f"# Status: {status}{never}. Cycle {cycle_name!r} is closed and frozen: this file",
            "# is a copy to read; `review import` does not accept it.",
        ]
    if status != "draft":
        return [
            f"# Status: {status}. A {status} review cannot be edited: this file is a copy to",
            "# read (a manager or HR can reopen the review with `review reopen`).",
        ]
    return [
        "# Status: draft. Fill in the answers, then run:",
        f"#   corehub --as {who} review import THIS_FILE            (saves a draft)",
        f"#   corehub --as {who} review import THIS_FILE --submit   (saves and submits)",
    ]


def visible_self_review(hub: Hub, review: Review, actor: str | None) -> Review | None:
    if review.kind is not ReviewKind.MANAGER:
        return None
    try:
        mine = reviews.find(hub, review.cycle_id, review.subject_id, ReviewKind.SELF).review
    except Exception:
        return None
    return mine if mine.status.value != "draft" and reviews.can_see(hub, mine, actor) else None


def _self_only_lines(self_review: Review, section_id: str, person_id: str) -> list[str]:
    """What the person answered in this section that the manager does not answer themselves
    (their suggestions): shown as comments above the manager's own questions."""
    lines: list[str] = []
    for question in self_only(self_review.form, section_id):
        said = display_answer(self_review.form, question, self_review.answers.get(question.id))
        lines.append("")
        lines.extend(_comment(f"{person_id} was asked: {question.text}", 2))
        lines.extend(_comment(f"{person_id} answered: {said or '(no answer)'}", 2))
    return lines


def _question_lines(
    hub: Hub, review: Review, question: Any, self_review: Review | None
) -> list[str]:
    form = review.form
    qtype = QuestionType(question.type)
    flag = " (required)" if question.required else ""
    lines = _comment(question.text + flag, 2)
    if question.help:
        lines.extend(_comment(question.help, 2))
    value = review.answers.get(question.id)
    if qtype is QuestionType.RATING:
        lines.append(f"  # Scale: {scale_text(form, question)}; or n/a")
    elif qtype is QuestionType.CHOICE:
        lines.append(f"  # One of: {' | '.join(question.choices)}")
    elif qtype is QuestionType.TEXT:
        lines.append("  # Free text (use | and indented lines for several paragraphs).")
    elif question.review_of:
        if value:
            lines.append(
                "  # Write the outcome of each goal: met, partly met, not met, and what happened."
            )
        else:
            lines.append("  # No goals were set in an earlier review: leave this empty.")
    else:
        lines.append(
            "  # For each goal: objective, a measurable result (an outcome, not a count) and due."
        )
    if self_review is not None and question.id in self_review.answers:
        said = display_answer(form, question, self_review.answers[question.id])
        lines.extend(_comment(f"Self-assessment: {said}", 2))
    if qtype is QuestionType.GOALS and not value and not question.review_of:
        lines.append(f"  {question.id}:")
        lines.append("  - objective:")
        lines.append("    result:")
        lines.append("    due:        # YYYY-MM-DD")
        return lines
    if qtype is QuestionType.GOALS and question.review_of and value:
        value = [{**goal, "outcome": goal.get("outcome")} for goal in value]
    lines.extend(_dump({question.id: value}, 2))
    return lines


def read_fillin(path: Path | str) -> tuple[str, dict[str, Any]]:
    """Read a fill-in file; returns (display name, data). YAML errors name the line."""
    path = Path(path)
    name = path.name
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ValidationError(f"{path}: no such file") from None
    except UnicodeDecodeError:
        raise ValidationError(f"{name}: not UTF-8 text") from None
    return name, parse_fillin(text, name)


def parse_fillin(text: str, name: str) -> dict[str, Any]:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f", line {mark.line + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise ValidationError(f"{name}{where}: not valid YAML: {problem}") from None
    if not isinstance(data, dict):
        raise ValidationError(
            f"{name}: expected cycle, person, kind and answers (export one first)"
        )
    problems = [
        f"{name}: {key}: unknown key (use {', '.join(TOP_KEYS)})"
        for key in data
        if key not in TOP_KEYS
    ]
    problems += [
        f"{name}: {key}: missing" for key in ("cycle", "person", "kind") if not data.get(key)
    ]
    answers = data.get("answers")
    if answers is not None and not isinstance(answers, dict):
        problems.append(f"{name}: answers: expected question ids with their answers")
    if problems:
        raise ValidationError(f"{name} was not imported:", problems)
    return data


def import_data(
    hub: Hub, name: str, data: dict[str, Any], *, submit: bool = False, actor: str | None = None
) -> Review:
    """Save the file's answers as a draft (and submit them), all or nothing."""
    cycle_name, person_id, kind = str(data["cycle"]), str(data["person"]), str(data["kind"])
    with hub.atomic():
        stored = reviews.find(hub, cycle_name, person_id, kind)
        form_id = data.get("form")
        if form_id is not None and str(form_id) != stored.review.form.id:
            raise ValidationError(
                f"{name}: form: the file was made for form {form_id!r}, but this review uses form "
                f"{stored.review.form.id!r}; export it again"
            )
        note = data.get("private_note")
        review = reviews.save_draft(
            hub,
            cycle_name,
            person_id,
            kind,
            data.get("answers") or {},
            private_note=None if note is None and "private_note" not in data else str(note or ""),
            actor=actor,
            source=f"{name}: answers",
        )
        if submit:
            review = reviews.submit(hub, cycle_name, person_id, kind, actor=actor)
    return review
