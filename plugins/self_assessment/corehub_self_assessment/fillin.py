"""Fill-in files: a review exported as commented YAML, filled in with any editor, imported back."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from corehub.errors import ValidationError
from corehub.i18n import Translator, translator
from corehub.loaders import load_yaml
from corehub.messages import M_, Named, localize
from corehub.models import QuestionType, Review, ReviewKind
from corehub_self_assessment import reviews
from corehub_self_assessment.answers import (
    display_answer,
    normalise_answers,
    questions_for,
    self_only,
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


def _translator(hub: Hub, review: Review) -> Translator:
    """The language of whoever fills the file in (the person, or their manager), like a packet."""
    who = hub.people.find(review.author_id or review.subject_id)
    return translator(hub, who.locale if who is not None else None)


def export_text(hub: Hub, review: Review, *, actor: str | None = None) -> str:
    """The fill-in file for ``review``: every question it asks, its scale, and current answers,
    with its comments in the language of whoever fills it in. Keys stay as they are (they are
    what the import reads); a choice may be written in any language of the form."""
    t = _translator(hub, review)
    cycle = hub.cycles.get(review.cycle_id)
    person = hub.people.get(review.subject_id)
    form = review.form
    who = review.author_id or ""
    named = Named(f"{person.id} ({person.name})", f"{person.name} ({person.id})")
    kind_name = (
        M_("%(person)s's self-assessment", person=named)
        if review.kind is ReviewKind.SELF
        else M_("the manager's review of %(person)s", person=named)
    )
    lines = [
        *_comment(
            t.gettext("corehub review: %(review)s, cycle %(cycle)s")
            % {"review": localize(kind_name, t), "cycle": repr(cycle.name)},
            0,
        ),
        *_comment(
            t.gettext("Form %(form)s version %(version)s: %(title)s")
            % {"form": repr(form.id), "version": form.version, "title": t.text(form.title)},
            0,
        ),
        *_status_lines(t, review, cycle.is_closed, cycle.name, who),
        *_comment(
            _wrap(
                t.gettext(
                    "Ratings: a number from the scale shown, or n/a for 'not rated / not "
                    "applicable' (which never counts as zero). Leave an answer empty to skip it "
                    "for now; questions marked (required) must be answered before submitting."
                )
            ),
            0,
        ),
        *_dump(
            {"cycle": cycle.name, "person": person.id, "kind": review.kind.value, "form": form.id},
            0,
        ),
        "answers:",
    ]
    self_review = visible_self_review(hub, review, actor)
    evidence = (
        by_competency(hub, person, cycle, t.locale) if review.kind is ReviewKind.MANAGER else {}
    )
    for section in form.sections:
        asked = [q for s, q in questions_for(form, review.kind) if s.id == section.id]
        if not asked:
            continue
        lines.append("")
        lines.append(f"  # ==== {t.text(section.title)} ====")
        if section.description:
            lines.extend(_comment(_wrap(t.text(section.description)), 2))
        if self_review is not None:
            lines.extend(_self_only_lines(t, self_review, section.id, person.id))
        for question in asked:
            lines.append("")
            shown = evidence.get(question.competency or "", [])
            lines.extend(_question_lines(t, review, question, self_review, shown))
    if review.kind is ReviewKind.MANAGER and reviews.can_see_private_note(hub, review, actor):
        note = reviews.private_note(hub, review, actor=actor) or None
        lines.append("")
        lines.extend(
            _comment(
                t.gettext(
                    "Private note: for you, your managers and HR only; never shown to %(person)s."
                )
                % {"person": person.id},
                0,
            )
        )
        lines.extend(_dump({"private_note": note}, 0))
    return "\n".join(lines) + "\n"


def _wrap(text: str, width: int = 86) -> str:
    return "\n".join(textwrap.wrap(text, width)) or text


def _status_lines(
    t: Translator, review: Review, closed: bool, cycle_name: str, who: str
) -> list[str]:
    """What the file is for: filling in (a draft of an open cycle), or a copy to read."""
    status = review.status.value
    if closed:
        text = (
            t.gettext(
                "Status: draft, never submitted. Cycle %(cycle)s is closed and frozen: this "
                "file is a copy to read; `review import` does not accept it."
            )
            if status == "draft"
            else t.gettext(
                "Status: %(status)s. Cycle %(cycle)s is closed and frozen: this file is a copy "
                "to read; `review import` does not accept it."
            )
        )
        word = t.pgettext("review status", status)
        return _comment(_wrap(text % {"status": word, "cycle": repr(cycle_name)}), 0)
    if status != "draft":
        text = t.gettext(
            "Status: %(status)s. A %(status)s review cannot be edited: this file is a copy to "
            "read (a manager or HR can reopen the review with `review reopen`)."
        )
        return _comment(_wrap(text % {"status": t.pgettext("review status", status)}), 0)
    saves, submits = t.gettext("saves a draft"), t.gettext("saves and submits")
    return [
        *_comment(t.gettext("Status: draft. Fill in the answers, then run:"), 0),
        f"#   corehub --as {who} review import THIS_FILE            ({saves})",
        f"#   corehub --as {who} review import THIS_FILE --submit   ({submits})",
    ]


def visible_self_review(hub: Hub, review: Review, actor: str | None) -> Review | None:
    if review.kind is not ReviewKind.MANAGER:
        return None
    try:
        mine = reviews.find(hub, review.cycle_id, review.subject_id, ReviewKind.SELF).review
    except Exception:
        return None
    return mine if mine.status.value != "draft" and reviews.can_see(hub, mine, actor) else None


def _self_only_lines(
    t: Translator, self_review: Review, section_id: str, person_id: str
) -> list[str]:
    """What the person answered in this section that the manager does not answer themselves
    (their suggestions): shown as comments above the manager's own questions."""
    lines: list[str] = []
    for question in self_only(self_review.form, section_id):
        said = display_answer(self_review.form, question, self_review.answers.get(question.id), t)
        lines.append("")
        asked = t.gettext("%(name)s was asked:") % {"name": person_id}
        lines.extend(_comment(_wrap(f"{asked} {t.text(question.text)}"), 2))
        answered = t.gettext("%(name)s answered: %(answer)s") % {
            "name": person_id,
            "answer": said or t.gettext("(no answer)"),
        }
        lines.extend(_comment(answered, 2))
    return lines


def _question_lines(
    t: Translator,
    review: Review,
    question: Any,
    self_review: Review | None,
    evidence: Iterable[Evidence] = (),
) -> list[str]:
    form = review.form
    qtype = QuestionType(question.type)
    flag = " " + t.gettext("(required)") if question.required else ""
    lines = _comment(_wrap(t.text(question.text) + flag), 2)
    if question.help:
        lines.extend(_comment(_wrap(t.text(question.help)), 2))
    value = review.answers.get(question.id)
    if qtype is QuestionType.RATING:
        scale = form.scales.get(question.scale or "")
        points = ", ".join(f"{p.value} {t.text(p.label)}" for p in scale.points) if scale else ""
        scale_line = (
            t.gettext("Scale: %(scale)s; or n/a")
            if question.allow_na
            else t.gettext("Scale: %(scale)s")
        )
        lines.append("  # " + scale_line % {"scale": points})
    elif qtype is QuestionType.CHOICE:
        choices = " | ".join(t.text(c) for c in question.choices)
        lines.append("  # " + t.gettext("One of: %(choices)s") % {"choices": choices})
        if value is not None:
            chosen = next((c for c in question.choices if str(c) == str(value)), None)
            value = t.text(chosen) if chosen is not None else value
    elif qtype is QuestionType.TEXT:
        lines.append(
            "  # " + t.gettext("Free text (use | and indented lines for several paragraphs).")
        )
    elif question.review_of:
        if value:
            lines.append(
                "  # "
                + t.gettext(
                    "Write the outcome of each goal: met, partly met, not met, and what happened."
                )
            )
        else:
            lines.append(
                "  # " + t.gettext("No goals were set in an earlier review: leave this empty.")
            )
    else:
        lines.append(
            "  # "
            + t.gettext(
                "For each goal: objective, a measurable result (an outcome, not a count) and due."
            )
        )
    if self_review is not None and question.id in self_review.answers:
        said = display_answer(form, question, self_review.answers[question.id], t)
        lines.extend(_comment(t.gettext("Self-assessment: %(answer)s") % {"answer": said}, 2))
    for item in evidence:
        lines.extend(
            _comment(
                t.gettext("Evidence: %(title)s: %(value)s")
                % {"title": item.title, "value": item.value},
                2,
            )
        )
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
