"""The course catalogue and the training rules, from YAML files and other plugins.

A catalogue file is YAML with a ``courses:`` list, a ``rules:`` list, or both. The
plugin ships a help desk catalogue (``catalogue/*.yaml`` in this package); an
organization adds or replaces courses and rules with files in the workspace's
``courses/`` folder (the same id replaces the shipped one), or from its own plugin
through ``register_courses`` / ``register_training_rules``.
"""

from __future__ import annotations

import functools
import importlib.resources
import re
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from corehub.errors import NotFoundError, ValidationError
from corehub.models import Course, Delivery, Level, TrainingRule, outside, structure_salvaged
from corehub_training_tracker.settings import settings

if TYPE_CHECKING:
    from corehub import Hub
    from corehub.models import Person

_ID = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,63}$")
INDUCTION_RULE = "induction-new-hires"


@attrs.frozen
class CatalogueFiles:
    """Courses and rules read from one set of files, with the file each came from."""

    courses: dict[str, Course] = attrs.field(factory=dict)
    rules: dict[str, TrainingRule] = attrs.field(factory=dict)
    sources: dict[str, str] = attrs.field(factory=dict)
    """``course:<id>`` / ``rule:<id>`` -> the file that defined it."""


def shipped_files() -> list[Path]:
    folder = importlib.resources.files("corehub_training_tracker") / "catalogue"
    return sorted(Path(str(p)) for p in folder.iterdir() if p.name.endswith((".yaml", ".yml")))


def workspace_files(hub: Hub) -> list[Path]:
    if hub.workspace is None:
        return []
    folder = hub.path("courses")
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix in {".yaml", ".yml"} and p.is_file())


def read_files(
    paths: Iterable[Path], *, label: Any = None, known: Iterable[str] = ()
) -> CatalogueFiles:
    """Read catalogue files; every problem in every file is reported together.

    Structure, meaning and references are checked in one run: an item with a broken field
    is still checked for everything else, and when anything is wrong, prerequisites and
    rules naming a course defined nowhere (in these files, nor in ``known``) are reported
    too, so the next run does not bring new problems.
    """
    import yaml

    from corehub.loaders import load_yaml

    result = CatalogueFiles()
    problems: list[str] = []
    references: list[tuple[str, str, str]] = []  # (where, field, course id)
    defined: set[str] = set(known)
    for path in paths:
        name = label(path) if label else path.name
        try:
            data = load_yaml(path.read_bytes(), source=name)
        except UnicodeDecodeError:
            problems.append(f"{name}: not UTF-8 text")
            continue
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f", line {mark.line + 1}" if mark is not None else ""
            problems.append(f"{name}{where}: not valid YAML: {getattr(exc, 'problem', exc)}")
            continue
        if data is None:
            continue
        if not isinstance(data, dict):
            problems.append(f"{name}: expected a mapping with 'courses:' and/or 'rules:' lists")
            continue
        unknown = sorted(set(data) - {"courses", "rules"})
        if unknown:
            problems.append(
                f"{name}: unknown key(s) {', '.join(map(str, unknown))} (use courses, rules)"
            )
        for key, cls, store in (
            ("courses", Course, result.courses),
            ("rules", TrainingRule, result.rules),
        ):
            items = data.get(key) or []
            if not isinstance(items, list):
                problems.append(f"{name}, {key}: expected a list")
                continue
            for index, item in enumerate(items):
                where = f"{name}, {key}[{index}]"
                record, item_problems = _structure_item(item, cls, where)
                problems.extend(item_problems)
                if record is None:
                    continue
                if isinstance(record, Course):
                    defined.add(record.id)
                    references += [(where, "prerequisites", c) for c in record.prerequisites]
                else:
                    references.append((where, "course_id", record.course_id))
                if item_problems:
                    continue
                source_key = f"{key[:-1] if key == 'rules' else 'course'}:{record.id}"
                if record.id in store:
                    problems.append(
                        f"{where}: id {record.id!r} is also defined in {result.sources[source_key]}"
                    )
                    continue
                store[record.id] = record
                result.sources[source_key] = f"{name} ({key}[{index}])"
    if problems:
        for where, field, course_id in references:
            if course_id and course_id not in defined:
                problems.append(
                    f"{where}, {field}: unknown course {course_id!r}{_hint(course_id, defined)}"
                )
        raise ValidationError("the training catalogue has problems:", problems)
    return result


def _structure_item(item: Any, cls: type, where: str) -> tuple[Any, list[str]]:
    if not isinstance(item, dict):
        return None, [f"{where}: expected a mapping of fields"]
    data = dict(item)
    if cls is TrainingRule and "course" in data and "course_id" not in data:
        data["course_id"] = data.pop("course")
    for key in ("levels", "roles", "teams", "competencies", "prerequisites"):
        if isinstance(data.get(key), str):
            data[key] = [data[key]]
    item_id = data.get("id")
    label = f"{where} (id {item_id!r})" if isinstance(item_id, str) else where
    record, broken = structure_salvaged(data, cls)
    problems = [f"{label}, {p}" for p in broken]
    if record is None:
        return None, problems
    record, enum_problems = _real_enums(record)
    problems += [f"{label}, {p}" for p in outside([*enum_problems, *check_record(record)], broken)]
    return record, problems


def _real_enums(record: Any) -> tuple[Any, list[str]]:
    """Check ``levels`` and ``delivery`` against their choices (plain text passes the converter)."""
    problems = []
    levels = []
    for index, level in enumerate(record.levels):
        try:
            levels.append(Level(str(level).strip().lower()))
        except ValueError:
            allowed = ", ".join(lv.value for lv in Level)
            problems.append(f"levels[{index}]: {level!r} is not one of: {allowed}")
    changes: dict[str, Any] = {"levels": tuple(levels)}
    if isinstance(record, Course):
        try:
            changes["delivery"] = Delivery(str(record.delivery).strip().lower())
        except ValueError:
            allowed = ", ".join(d.value for d in Delivery)
            problems.append(f"delivery: {record.delivery!r} is not one of: {allowed}")
    return (record if problems else attrs.evolve(record, **changes)), problems


def check_record(record: Course | TrainingRule) -> list[str]:
    """Problems with one course or rule on its own (``field: problem``)."""
    problems = []
    if not _ID.match(record.id):
        problems.append(f"id: {record.id!r} must be lowercase letters, digits, '-', '_' or '.'")
    if isinstance(record, Course):
        if not record.title.strip():
            problems.append("title: empty")
        if record.validity_months is not None and record.validity_months <= 0:
            problems.append(f"validity_months: {record.validity_months} must be at least 1")
        if record.duration_hours is not None and record.duration_hours <= 0:
            problems.append(f"duration_hours: {record.duration_hours} must be more than 0")
        if record.id in record.prerequisites:
            problems.append("prerequisites: a course cannot require itself")
    else:
        if record.new_hires_within_days is not None and record.new_hires_within_days <= 0:
            problems.append(
                f"new_hires_within_days: {record.new_hires_within_days} must be at least 1"
            )
        if record.recertify_months is not None and record.recertify_months <= 0:
            problems.append(f"recertify_months: {record.recertify_months} must be at least 1")
        if record.new_hires_within_days is not None and record.due is not None:
            problems.append("due: a new-hire rule is due relative to the hire date; drop 'due'")
    return problems


@functools.cache
def shipped() -> CatalogueFiles:
    """The catalogue shipped with the plugin (read once per process)."""
    return read_files(
        shipped_files(), label=lambda p: f"corehub_training_tracker/catalogue/{p.name}"
    )


def own_courses(hub: Hub) -> list[Course]:
    """The shipped courses, with the workspace's ``courses/`` files replacing them by id."""
    merged = dict(shipped().courses)
    merged.update(_workspace(hub).courses)
    return list(merged.values())


def own_rules(hub: Hub) -> list[TrainingRule]:
    """Shipped rules (unless switched off), the induction rule, and the workspace's rules."""
    config = settings(hub)
    merged: dict[str, TrainingRule] = {}
    if config.use_shipped_rules:
        merged.update(shipped().rules)
    if config.induction_days > 0:
        merged[INDUCTION_RULE] = TrainingRule(
            id=INDUCTION_RULE,
            course_id=config.induction_course,
            new_hires_within_days=config.induction_days,
        )
    merged.update(_workspace(hub).rules)
    return list(merged.values())


def _workspace(hub: Hub) -> CatalogueFiles:
    folder = hub.path("courses") if hub.workspace is not None else None
    label = (lambda p: f"{folder.name}/{p.name}") if folder is not None else None
    return read_files(workspace_files(hub), label=label, known=shipped().courses)


@attrs.frozen
class Catalogue:
    """Every course and rule registered by any plugin, checked together."""

    courses: dict[str, Course]
    rules: dict[str, TrainingRule]

    def course(self, course_id: str) -> Course:
        course = self.courses.get(course_id)
        if course is None:
            raise NotFoundError(f"no course with id {course_id!r}{_hint(course_id, self.courses)}")
        return course

    def rules_for(self, person: Person) -> list[TrainingRule]:
        """The rules whose audience (levels, roles, teams) includes ``person``."""
        return [rule for rule in self.rules.values() if rule_matches(rule, person)]

    def validity_months(self, course_id: str, rules: Iterable[TrainingRule] = ()) -> int | None:
        """How long a completion stays valid: the course's validity, or the strictest rule's."""
        months = [
            r.recertify_months for r in rules if r.course_id == course_id and r.recertify_months
        ]
        course = self.courses.get(course_id)
        if course is not None and course.validity_months:
            months.append(course.validity_months)
        return min(months) if months else None


def rule_matches(rule: TrainingRule, person: Person) -> bool:
    if rule.levels and person.level not in rule.levels:
        return False
    if rule.roles and person.role not in rule.roles:
        return False
    return not (rule.teams and person.team not in rule.teams)


def _hint(wanted: str, known: Iterable[str]) -> str:
    import difflib

    close = difflib.get_close_matches(wanted, list(known), n=1)
    return f" (did you mean {close[0]!r}?)" if close else " (see: corehub training courses)"


def load_catalogue(hub: Hub) -> Catalogue:
    """The whole catalogue from every plugin; prerequisite loops and unknown ids are errors."""
    courses = hub.hook.register_courses.registry(what="course", hub=hub)
    rules = hub.hook.register_training_rules.registry(what="training rule", hub=hub)
    disabled = set(settings(hub).disabled_rules)
    rules = {rid: rule for rid, rule in rules.items() if rid not in disabled}
    problems = []
    for course in courses.values():
        for field_problem in check_record(course):
            problems.append(f"course {course.id!r}: {field_problem}")
        for prerequisite in course.prerequisites:
            if prerequisite not in courses:
                problems.append(
                    f"course {course.id!r}, prerequisites: unknown course {prerequisite!r}"
                    f"{_hint(prerequisite, courses)}"
                )
    problems.extend(prerequisite_loops(courses))
    for rule in rules.values():
        if rule.course_id not in courses:
            problems.append(
                f"rule {rule.id!r}, course_id: unknown course {rule.course_id!r}"
                f"{_hint(rule.course_id, courses)}"
            )
    if problems:
        raise ValidationError("the training catalogue has problems:", problems)
    return Catalogue(courses=dict(sorted(courses.items())), rules=dict(sorted(rules.items())))


def prerequisite_loops(courses: dict[str, Course]) -> list[str]:
    """One problem per prerequisite loop, e.g. ``a -> b -> a``."""
    loops: list[str] = []
    seen_loops: set[frozenset[str]] = set()
    done: set[str] = set()

    def visit(course_id: str, path: list[str]) -> None:
        if course_id in path:
            cycle = [*path[path.index(course_id) :], course_id]
            key = frozenset(cycle)
            if key not in seen_loops:
                seen_loops.add(key)
                loops.append(f"prerequisite loop: {' -> '.join(cycle)}")
            return
        if course_id in done or course_id not in courses:
            return
        for prerequisite in courses[course_id].prerequisites:
            visit(prerequisite, [*path, course_id])
        done.add(course_id)

    for course_id in sorted(courses):
        visit(course_id, [])
    return loops
