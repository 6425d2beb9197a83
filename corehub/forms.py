"""Review forms as YAML files: read, check, and the competency vocabulary they use.

A plugin that ships its own form writes it as YAML and registers it::

    from corehub import hookimpl
    from corehub.forms import load_form

    @hookimpl
    def register_forms(hub):
        return [load_form(Path(__file__).parent / "forms" / "night_shift.yaml")]

``register_forms`` may also return the paths themselves (``str`` or :class:`~pathlib.Path`):
they are read with :func:`load_form`. A form file maps onto :class:`corehub.models.Form`;
every problem is reported with the file and the path inside it, e.g.
``forms/agent.yaml: sections[2].questions[0].scale: unknown scale 'x'``.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from corehub.competencies import COMPETENCIES, competency_label
from corehub.errors import ValidationError
from corehub.models import Form, QuestionType
from corehub.models.converter import converter, outside, structure_salvaged

if TYPE_CHECKING:
    from corehub.context import HubContext

__all__ = [
    "COMPETENCIES",
    "check_form",
    "competency_label",
    "form_of",
    "load_form",
    "parse_form",
    "registered_forms",
]

_ID = re.compile(r"^[a-z][a-z0-9_-]{0,63}$")
_cache: dict[tuple[str, int, int], Form] = {}


def load_form(path: str | os.PathLike[str], *, source: str | None = None) -> Form:
    """Read and check one YAML form file.

    :param path: the file (``.yaml``); forms are cached by path, size and modification time.
    :param source: how problems name the file (default: the path as given).
    :returns: the checked :class:`corehub.models.Form`.
    :raises ValidationError: listing every problem of the file, each as
        ``source: path.inside: what is wrong``.
    """
    path = Path(path)
    source = source or str(path)
    stat = path.stat()
    key = (str(path.resolve()), stat.st_mtime_ns, stat.st_size)
    if key in _cache:
        return _cache[key]
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ValidationError(
            f"{source} is not a valid form:", [f"{source}: not UTF-8 text"]
        ) from None
    form = parse_form(text, source=source)
    _cache[key] = form
    return form


def form_of(record: Form | str | os.PathLike[str]) -> Form:
    """What ``register_forms`` returned, as a form: a :class:`~corehub.models.Form` as it
    is, a YAML file's path (``str`` or :class:`~pathlib.Path`) read with :func:`load_form`."""
    if isinstance(record, str | os.PathLike):
        return load_form(record)
    if not isinstance(record, Form):
        raise ValidationError(
            f"register_forms returned {type(record).__name__}: return corehub.models.Form "
            "records or the paths of YAML form files"
        )
    return record


def registered_forms(hub: HubContext) -> dict[str, Form]:
    """Every form the loaded plugins register (``register_forms``), by id, sorted: forms
    returned as YAML paths are read, and a form with ``replaces=True`` takes the place of
    the one with its id. Two forms with one id and no ``replaces`` raise
    :class:`~corehub.errors.DuplicateRegistrationError` naming both plugins."""
    forms: dict[str, Form] = hub.hook.register_forms.registry(what="form", hub=hub)
    return dict(sorted(forms.items()))


def parse_form(text: str, *, source: str) -> Form:
    """Turn YAML text into a checked Form; errors name ``source`` and the path of each problem."""
    import yaml  # on first use: importing corehub.forms stays cheap (corehub --help)

    from corehub.safe_yaml import load_yaml

    summary = f"{source} is not a valid form:"
    try:
        data = load_yaml(text, source=source)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise ValidationError(summary, [f"{source}: {where}not valid YAML: {problem}"]) from None
    if not isinstance(data, dict):
        raise ValidationError(
            summary, [f"{source}: expected a mapping with id, title and sections"]
        )
    # Structure, references (scales) and meaning (weights, ids) are checked in one run:
    # a form with a broken field is still checked for everything else.
    problems = _prepare(data)
    form, broken = structure_salvaged(data, Form, conv=converter)
    problems += broken
    if form is not None:
        problems += outside(check_form(form), broken)
    if problems or form is None:
        raise ValidationError(summary, [f"{source}: {p}" for p in problems])
    return form


def _prepare(data: dict[str, Any]) -> list[str]:
    """Let scales be written as a mapping keyed by id (the id inside is then optional)."""
    problems: list[str] = []
    scales = data.get("scales")
    if isinstance(scales, dict):
        for key, scale in scales.items():
            if isinstance(scale, dict):
                given = scale.get("id")
                if given is None:
                    scale["id"] = str(key)
                elif str(given) != str(key):
                    problems.append(f"scales.{key}.id: {given!r} differs from its key {key!r}")
    return problems


def check_form(form: Form) -> list[str]:
    """Problems a well-typed form can still have, each as ``path: what is wrong``."""
    problems: list[str] = []
    if not _ID.match(form.id):
        problems.append(f"id: {form.id!r} must be lowercase letters, digits, - or _")
    if not form.title.strip():
        problems.append("title: empty")
    if form.version < 1:
        problems.append(f"version: {form.version} must be 1 or more")
    for scale_id, scale in form.scales.items():
        where = f"scales.{scale_id}"
        if len(scale.points) < 2:
            problems.append(f"{where}.points: a scale needs at least 2 points")
        values = [p.value for p in scale.points]
        for value in sorted({v for v in values if values.count(v) > 1}):
            problems.append(f"{where}.points: value {value} appears more than once")
        for i, point in enumerate(scale.points):
            if not point.label.strip():
                problems.append(f"{where}.points[{i}].label: empty")
    if not form.sections:
        problems.append("sections: a form needs at least one section")
    seen_sections: dict[str, int] = {}
    seen_questions: dict[str, str] = {}
    for s, section in enumerate(form.sections):
        where = f"sections[{s}]"
        if not _ID.match(section.id):
            problems.append(f"{where}.id: {section.id!r} must be lowercase letters, digits, - or _")
        if section.id in seen_sections:
            problems.append(
                f"{where}.id: duplicate section id {section.id!r} (also sections[{seen_sections[section.id]}])"
            )
        seen_sections.setdefault(section.id, s)
        if not section.title.strip():
            problems.append(f"{where}.title: empty")
        if section.weight <= 0:
            problems.append(f"{where}.weight: {section.weight:g} must be greater than 0")
        if not section.questions:
            problems.append(f"{where}.questions: a section needs at least one question")
        for q, question in enumerate(section.questions):
            qwhere = f"{where}.questions[{q}]"
            if not _ID.match(question.id):
                problems.append(
                    f"{qwhere}.id: {question.id!r} must be lowercase letters, digits, - or _"
                )
            if question.id in seen_questions:
                problems.append(
                    f"{qwhere}.id: duplicate question id {question.id!r} "
                    f"(also {seen_questions[question.id]})"
                )
            seen_questions.setdefault(question.id, qwhere)
            if not question.text.strip():
                problems.append(f"{qwhere}.text: empty")
            if question.weight <= 0:
                problems.append(f"{qwhere}.weight: {question.weight:g} must be greater than 0")
            problems.extend(_check_question_type(form, question, qwhere))
    return problems


def _check_question_type(form: Form, question: Any, where: str) -> list[str]:
    problems = []
    if question.type is QuestionType.RATING:
        if not question.scale:
            problems.append(f"{where}.scale: a rating question needs a scale")
        elif question.scale not in form.scales:
            known = ", ".join(sorted(form.scales)) or "none defined"
            problems.append(f"{where}.scale: unknown scale {question.scale!r} (scales: {known})")
    elif question.scale:
        problems.append(f"{where}.scale: only rating questions have a scale")
    if question.type is QuestionType.CHOICE:
        if len(question.choices) < 2:
            problems.append(f"{where}.choices: a choice question needs at least 2 choices")
        dupes = sorted({c for c in question.choices if question.choices.count(c) > 1})
        for choice in dupes:
            problems.append(f"{where}.choices: {choice!r} appears more than once")
        for i, choice in enumerate(question.choices):
            if not choice.strip():
                problems.append(f"{where}.choices[{i}]: empty")
    elif question.choices:
        problems.append(f"{where}.choices: only choice questions have choices")
    if not question.allow_na and question.type is not QuestionType.RATING:
        problems.append(f"{where}.allow_na: only rating questions can be answered n/a")
    if question.competency is not None:
        if question.type is not QuestionType.RATING:
            problems.append(f"{where}.competency: only rating questions measure a competency")
        elif not _ID.match(question.competency):
            problems.append(
                f"{where}.competency: {question.competency!r} must be lowercase letters, digits, - or _"
            )
    if question.review_of is not None:
        if question.type is not QuestionType.GOALS:
            problems.append(f"{where}.review_of: only goals questions look back on earlier goals")
        else:
            target = form.question(question.review_of)
            if target is not None and (target.type is not QuestionType.GOALS or target.review_of):
                problems.append(
                    f"{where}.review_of: {question.review_of!r} is not a goals question setting new goals"
                )
            if question.review_of == question.id:
                problems.append(f"{where}.review_of: a question cannot look back on itself")
    return problems
