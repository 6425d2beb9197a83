"""Review forms: reading YAML form files, checking them, and choosing a form per person.

A form file maps onto ``corehub.models.Form``. Every problem is reported with the file
and the path inside it, e.g. ``forms/agent.yaml: sections[2].questions[0].scale: unknown
scale 'x'``, and nothing is registered from a file with a problem.
"""

from __future__ import annotations

import importlib.resources
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from corehub.errors import NotFoundError, ValidationError
from corehub.models import Form, Person, QuestionType
from corehub.models.converter import converter, outside, structure_salvaged
from corehub.safe_yaml import load_yaml

if TYPE_CHECKING:
    from corehub.hub import Hub

_ID = re.compile(r"^[a-z][a-z0-9_-]{0,63}$")
_cache: dict[tuple[str, int, int], Form] = {}


def shipped_form_files() -> list[Path]:
    """The YAML forms that ship with the plugin (operational agent, supervisor, director)."""
    folder = importlib.resources.files("corehub_self_assessment") / "forms"
    return sorted(Path(str(f)) for f in folder.iterdir() if f.name.endswith((".yaml", ".yml")))


def workspace_form_files(hub: Hub) -> list[Path]:
    """The organization's own forms: ``*.yaml`` in the workspace ``forms/`` folder."""
    if hub.workspace is None or not hub.initialized:
        return []
    folder = hub.path("forms")
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())


def display_name(hub: Hub | None, path: Path) -> str:
    """``forms/agent.yaml`` for a workspace file, the plain path otherwise."""
    if hub is not None and hub.workspace is not None:
        try:
            return path.resolve().relative_to(hub.workspace).as_posix()
        except ValueError:
            pass
    return str(path)


def load_form_file(path: Path, *, source: str | None = None) -> Form:
    """Read and check one form file; a ValidationError lists every problem with its path."""
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


def parse_form(text: str, *, source: str) -> Form:
    """Turn YAML text into a checked Form; errors name ``source`` and the path of each problem."""
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


def collect_forms(hub: Hub) -> list[Form]:
    """The forms this plugin registers: shipped ones, replaced or extended by the workspace's."""
    forms: dict[str, Form] = {}
    for path in shipped_form_files():
        form = load_form_file(path, source=f"corehub_self_assessment/forms/{path.name}")
        forms[form.id] = form
    problems: list[str] = []
    origin: dict[str, str] = {}
    for path in workspace_form_files(hub):
        name = display_name(hub, path)
        try:
            form = load_form_file(path, source=name)
        except ValidationError as exc:
            problems.extend(exc.problems or [exc.summary])
            continue
        if form.id in origin:
            problems.append(f"{name}: id: form {form.id!r} is also defined in {origin[form.id]}")
            continue
        origin[form.id] = name
        # A workspace form is the organization's last word: it replaces a shipped form with
        # the same id, and one registered by another plugin.
        forms[form.id] = _with_replaces(form)
    if problems:
        raise ValidationError("the forms in the workspace have problems:", problems)
    return list(forms.values())


def _with_replaces(form: Form) -> Form:
    import attrs

    return attrs.evolve(form, replaces=True)


def all_forms(hub: Hub) -> dict[str, Form]:
    """Every registered form (from every plugin), by id."""
    forms: dict[str, Form] = hub.hook.register_forms.registry(what="form", hub=hub)
    return dict(sorted(forms.items()))


def get_form(hub: Hub, form_id: str) -> Form:
    forms = all_forms(hub)
    if form_id not in forms:
        known = ", ".join(forms) or "none"
        raise NotFoundError(f"no form {form_id!r} (forms: {known})")
    return forms[form_id]


def choose_form(hub: Hub, person: Person, default_form: str | None = None) -> Form | None:
    """The default choice: a form for the person's role, else for their level, else a general one."""
    forms = list(all_forms(hub).values())
    role = person.role.strip().casefold()
    by_role = [f for f in forms if role and role in {r.strip().casefold() for r in f.roles}]
    if by_role:
        return by_role[0]
    by_level = [f for f in forms if not f.roles and person.level in f.levels]
    if by_level:
        return by_level[0]
    if default_form:
        return next((f for f in forms if f.id == default_form), None)
    general = [f for f in forms if not f.roles and not f.levels]
    return general[0] if general else None
