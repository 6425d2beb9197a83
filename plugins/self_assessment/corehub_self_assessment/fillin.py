"""Fill-in files: a review exported as commented YAML, filled in with any editor, imported back."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from corehub.errors import ValidationError
from corehub.loaders import load_yaml
from corehub.models import QuestionType, Review, ReviewKind
from corehub_self_assessment import reviews
from corehub_self_assessment.answers import (
    display_answer,
    normalise_answers,
    questions_for,
    scale_text,
)
from corehub_self_assessment.evidence import by_competency

if TYPE_CHECKING:
    from corehub import Hub
    from corehub.models import Evidence

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
        f"# Status: {review.status.value}. Fill in the answers, then run:",
        f"#   corehub --as {who} review import THIS_FILE            (saves a draft)",
        f"#   corehub --as {who} review import THIS_FILE --submit   (saves and submits)",
        "# Ratings: a number from the scale shown, or n/a for 'not rated / not applicable'",
        "# (which never counts as zero). Leave an answer empty to skip it for now;",
        "# questions marked (required) must be answered before submitting.",
        *_dump(
            {"cycle": cycle.name, "person": person.id, "kind": review.kind.value, "form": form.id},
            0,
        ),
        "answers:",
    ]
    self_review = _visible_self_review(hub, review, actor)
    evidence = by_competency(hub, person, cycle, "en") if review.kind is ReviewKind.MANAGER else {}
    for section in form.sections:
        asked = [q for s, q in questions_for(form, review.kind) if s.id == section.id]
        if not asked:
            continue
        lines.append("")
        lines.append(f"  # ==== {section.title} ====")
        if section.description:
            lines.extend(_comment(section.description, 2))
        for question in asked:
            lines.append("")
            shown = evidence.get(question.competency or "", [])
            lines.extend(_question_lines(hub, review, question, self_review, shown))
    if review.kind is ReviewKind.MANAGER and reviews.can_see_private_note(hub, review, actor):
        note = reviews.private_note(hub, review, actor=actor) or None
        lines.append("")
        lines.append(
            f"# Private note: for you, your managers and HR only; never shown to {person.id}."
        )
        lines.extend(_dump({"private_note": note}, 0))
    return "\n".join(lines) + "\n"


def _visible_self_review(hub: Hub, review: Review, actor: str | None) -> Review | None:
    if review.kind is not ReviewKind.MANAGER:
        return None
    try:
        mine = reviews.find(hub, review.cycle_id, review.subject_id, ReviewKind.SELF).review
    except Exception:
        return None
    return mine if mine.status.value != "draft" and reviews.can_see(hub, mine, actor) else None


def _question_lines(
    hub: Hub,
    review: Review,
    question: Any,
    self_review: Review | None,
    evidence: Iterable[Evidence] = (),
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
    for item in evidence:
        lines.extend(_comment(f"Evidence: {item.title}: {item.value}", 2))
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
        data = load_yaml(text, source=name)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f", line {mark.line + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise ValidationError(f"{name}{where}: not valid YAML: {problem}") from None
    if not isinstance(data, dict):
        raise ValidationError(
            f"{name}: expected cycle, person, kind and answers (export one first)"
        )
    return data


def file_problems(data: dict[str, Any], name: str) -> list[str]:
    """Unknown and missing top-level keys of a fill-in file (the answers are checked apart)."""
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
    return problems


def import_data(
    hub: Hub, name: str, data: dict[str, Any], *, submit: bool = False, actor: str | None = None
) -> Review:
    """Save the file's answers as a draft (and submit them), all or nothing.

    Every problem of the file is reported in one run: its keys, and its answers checked
    against the review's form, together.
    """
    problems = file_problems(data, name)
    if any(not data.get(key) for key in ("cycle", "person", "kind")):
        raise ValidationError(f"{name} was not imported:", problems)
    cycle_name, person_id, kind = str(data["cycle"]), str(data["person"]), str(data["kind"])
    with hub.atomic():
        stored = reviews.find(hub, cycle_name, person_id, kind)
        form_id = data.get("form")
        if form_id is not None and str(form_id) != stored.review.form.id:
            problems.append(
                f"{name}: form: the file was made for form {form_id!r}, but this review uses form "
                f"{stored.review.form.id!r}; export it again"
            )
            raise ValidationError(f"{name} was not imported:", problems)
        answers = data.get("answers")
        if problems:
            if isinstance(answers, dict):
                _, answer_problems = normalise_answers(
                    stored.review.form, stored.review.kind, answers, where=f"{name}: answers"
                )
                problems += answer_problems
            raise ValidationError(f"{name} was not imported:", problems)
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
