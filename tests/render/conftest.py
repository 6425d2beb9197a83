"""Fixtures for the render tests: a small team in an open cycle, and PDF reading helpers."""

from __future__ import annotations

import datetime as dt
import textwrap
import types
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from corehub import hookimpl
from corehub.models import TaskKind, TaskSpec


def task_plugin() -> types.ModuleType:
    """A plugin asking for a self-assessment and a manager review of everyone enrolled."""
    module = types.ModuleType("render_test_tasks")

    @hookimpl
    def cycle_tasks(hub: Any, cycle: Any, person: Any) -> list[TaskSpec]:
        specs = [TaskSpec(kind="self", assignee_id=person.id)]
        if person.manager_id:
            specs.append(TaskSpec(kind="manager", assignee_id=person.manager_id, after=("self",)))
        return specs

    @hookimpl
    def register_task_kinds(hub: Any) -> list[TaskKind]:
        return [TaskKind(name="self"), TaskKind(name="manager")]

    module.cycle_tasks = cycle_tasks  # type: ignore[attr-defined]
    module.register_task_kinds = register_task_kinds  # type: ignore[attr-defined]
    return module


@pytest.fixture
def cycle(hub, make_people, register_plugin):
    """Cycle "2026 H1" with a supervisor and three agents of team alpha (one Danish), opened."""
    register_plugin(task_plugin(), name="render_test_tasks")
    people = make_people(team="alpha", agents=3)
    agent = people[1]
    hub.people.save(
        [
            hub.converter.structure(
                {**hub.unstructure(agent), "locale": "da", "name": "Søren Åkesson Núñez"},
                type(agent),
            )
        ]
    )
    created = hub.cycles.create(
        "2026 H1",
        start=dt.date(2026, 1, 1),
        end=dt.date(2026, 6, 30),
        due={"self": dt.date(2026, 3, 1)},
    )
    return hub.cycles.open(created.name).cycle


@pytest.fixture
def templates(hub):
    """``templates("name.html", text)`` writes a template into the workspace templates folder."""

    def write(name: str, text: str) -> Path:
        path = hub.path("templates") / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    return write


def pdf_pages(path: Path) -> list[str]:
    """The text of each page of a PDF."""
    return [page.extract_text() or "" for page in PdfReader(str(path)).pages]


def pdf_text(path: Path) -> str:
    return "\n".join(pdf_pages(path))


@pytest.fixture
def pdf():
    """``pdf.text(path)``, ``pdf.pages(path)`` and ``pdf.reader(path)``."""
    return types.SimpleNamespace(text=pdf_text, pages=pdf_pages, reader=lambda p: PdfReader(str(p)))
