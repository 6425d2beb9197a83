"""corehub hooks of the training tracker (the logic lives in the package's other modules)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from corehub import hookimpl

if TYPE_CHECKING:
    import datetime as dt

    import click
    from sqlite_utils.migrations import Migrations

    from corehub import Hub
    from corehub.models import (
        Course,
        Cycle,
        Person,
        PlanItem,
        PluginSettings,
        Recommendation,
        Reminder,
        Report,
        ReportSection,
        Review,
        Route,
        TrainingRule,
    )


@hookimpl
def register_migrations(hub: Hub) -> Migrations:
    from corehub_training_tracker.migrations import migrations

    return migrations


@hookimpl
def register_settings(hub: Hub) -> PluginSettings:
    from corehub.models import PluginSettings
    from corehub_training_tracker.settings import NAME, TrainingSettings

    return PluginSettings(name=NAME, cls=TrainingSettings)


@hookimpl
def register_commands(cli: click.Group) -> None:
    from corehub.cli import lazy_commands

    lazy_commands(
        cli,
        "corehub_training_tracker.cli:register",
        {"training": "Training: the course catalogue, assignments, completions and compliance."},
    )


@hookimpl
def extra_protected_paths(hub: Hub) -> list[str]:
    from corehub_training_tracker.settings import settings

    return [settings(hub).evidence_folder]


@hookimpl
def register_courses(hub: Hub) -> list[Course]:
    from corehub_training_tracker.catalogue import own_courses

    return own_courses(hub)


@hookimpl
def register_training_rules(hub: Hub) -> list[TrainingRule]:
    from corehub_training_tracker.catalogue import own_rules

    return own_rules(hub)


@hookimpl
def recommend_training(hub: Hub, person: Person, review: Review) -> list[Recommendation]:
    from corehub_training_tracker.recommendations import recommend

    return recommend(hub, person, review)


@hookimpl
def review_submitted(hub: Hub, review: Review) -> None:
    from corehub_training_tracker.recommendations import store_from_review

    store_from_review(hub, review)


@hookimpl
def register_report_sections(hub: Hub, report: Report) -> list[ReportSection]:
    from corehub_training_tracker import credentials_report
    from corehub_training_tracker.report import sections

    return sections(hub, report) + credentials_report.sections(hub, report)


@hookimpl
def extra_stylesheets(hub: Hub, report: Report) -> list[str]:
    return ["corehub_training_tracker/training_tracker.css"]


@hookimpl(trylast=True)  # after the reviews are in, so their recommendations exist
def prepare_demo(hub: Hub, cycle: Cycle) -> None:
    from corehub_training_tracker import credentials_demo
    from corehub_training_tracker.demo import prepare

    prepare(hub, cycle)
    credentials_demo.prepare(hub)


@hookimpl
def extra_reminders(hub: Hub, today: dt.date) -> list[Reminder]:
    from corehub_training_tracker.coverage import reminders as coverage_reminders
    from corehub_training_tracker.reminders import reminders

    return reminders(hub, today) + coverage_reminders(hub, today)


@hookimpl
def register_routes(hub: Hub) -> Route:
    # the page modules put their views on the plugin's blueprint as they are imported
    from corehub_training_tracker import credentials_web  # noqa: F401
    from corehub_training_tracker.web import route

    return route(hub)


@hookimpl
def development_plan_items(
    hub: Hub, person: Person, start: dt.date, end: dt.date
) -> list[PlanItem]:
    """Recommended and assigned courses, and the courses completed in the period."""
    from corehub_training_tracker.plan_items import plan_items

    return plan_items(hub, person, start, end)
