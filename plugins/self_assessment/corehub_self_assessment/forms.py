"""Review forms: reading YAML form files, checking them, and choosing a form per person.

A form file maps onto ``corehub.models.Form``. Every problem is reported with the file
and the path inside it, e.g. ``forms/agent.yaml: sections[2].questions[0].scale: unknown
scale 'x'``, and nothing is registered from a file with a problem.
"""

from __future__ import annotations

import contextlib
import contextvars
import importlib.resources
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from corehub.errors import NotFoundError, ValidationError
from corehub.forms import check_form, load_form, parse_form, registered_forms
from corehub.models import Form, Person

if TYPE_CHECKING:
    from corehub import Hub

__all__ = ["check_form", "load_form", "load_form_file", "parse_form"]

load_form_file = load_form
"""The plugin's former name for :func:`corehub.forms.load_form`."""


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


def collect_forms(hub: Hub) -> list[Form]:
    """The forms this plugin registers: shipped ones, replaced or extended by the workspace's."""
    forms: dict[str, Form] = {}
    for path in shipped_form_files():
        form = load_form(path, source=f"corehub_self_assessment/forms/{path.name}")
        forms[form.id] = form
    problems: list[str] = []
    origin: dict[str, str] = {}
    for path in workspace_form_files(hub):
        name = display_name(hub, path)
        try:
            form = load_form(path, source=name)
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


_PINNED: contextvars.ContextVar[tuple[Hub, dict[str, Form]] | None] = contextvars.ContextVar(
    "corehub_self_assessment_pinned_forms", default=None
)


@contextlib.contextmanager
def pinned(hub: Hub) -> Iterator[dict[str, Form]]:
    """Read every registered form once and answer :func:`all_forms` from that for ``hub``
    until the block ends: enrolling ten thousand people reads and checks each form file
    once, not once per person."""
    current = _PINNED.get()
    if current is not None and current[0] is hub:
        yield dict(current[1])
        return
    forms = all_forms(hub)
    token = _PINNED.set((hub, forms))
    try:
        yield dict(forms)
    finally:
        _PINNED.reset(token)


def all_forms(hub: Hub) -> dict[str, Form]:
    """Every registered form (from every plugin), by id."""
    current = _PINNED.get()
    if current is not None and current[0] is hub:
        return dict(current[1])
    return registered_forms(hub)


def get_form(hub: Hub, form_id: str) -> Form:
    forms = all_forms(hub)
    if form_id not in forms:
        known = ", ".join(forms) or "none"
        raise NotFoundError(f"no form {form_id!r} (forms: {known})")
    return forms[form_id]


def choose_form(hub: Hub, person: Person, default_form: str | None = None) -> Form | None:
    """The default choice: a form for the person's role, else for their level, else a general
    one; never the new-hire form (``[settings.new_hire] form``), which is for new hires only."""
    new_hire_form = hub.settings("new_hire").form
    forms = [f for f in all_forms(hub).values() if f.id != new_hire_form]
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
