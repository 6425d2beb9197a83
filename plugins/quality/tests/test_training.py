"""Weak quality categories recommend training through ``recommend_training``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from corehub import hookimpl
from corehub.models import Course, Form, Review, ReviewKind

from .conftest import set_settings
from .test_report import grade_all


class Catalogue:
    @hookimpl
    def register_courses(self, hub: Any) -> list[Course]:
        return [
            Course(id="writing", title="Clear writing", competencies=("communication",)),
            Course(id="phone-care", title="Phone care", competencies=("active_listening",)),
            Course(id="procedures", title="Our procedures", competencies=("procedure",)),
        ]


def _review(hub: Any, person: str) -> Review:
    cycle = hub.cycles.create("2026 H1", start=dt.date(2026, 1, 1), end=dt.date(2026, 6, 30))
    return Review(
        id=1,
        cycle_id=cycle.id,
        kind=ReviewKind.MANAGER,
        subject_id=person,
        author_id="alpha-lead",
        form=Form(id="agent", title="Agent", sections=()),
    )


def test_weak_categories_recommend_courses_building_them(
    imported: Any, cli: Any, register_plugin: Any
) -> None:
    register_plugin(Catalogue(), name="catalogue")
    assert (
        cli("quality", "sample", "--period", "2026-02", "--per-agent", "6", "--seed", "5").exit_code
        == 0
    )

    def tweak(task: dict[str, Any], answers: dict[str, str]) -> dict[str, str]:
        if task["agent_id"] == "alpha-02" and "tone" in answers:
            answers.update(greeting="no", tone="2", clarity="2", documented="no")
        return answers

    grade_all(imported, tweak)
    person = imported.people.get("alpha-02")
    review = _review(imported, "alpha-02")
    found = [
        r
        for result in imported.hook.recommend_training(hub=imported, person=person, review=review)
        for r in result or []
    ]
    assert {r.course_id for r in found} == {"writing", "procedures"}
    writing = next(r for r in found if r.course_id == "writing")
    assert (
        writing.reason.startswith("quality: Communication")
        and writing.competency == "communication"
    )
    assert writing.person_id == "alpha-02" and writing.review_id == 1
    # Nothing for a strong agent, nor below the minimum of graded tickets.
    strong = imported.people.get("alpha-01")
    assert not any(imported.hook.recommend_training(hub=imported, person=strong, review=review))
    set_settings(imported, min_graded=50)
    assert not any(imported.hook.recommend_training(hub=imported, person=person, review=review))
