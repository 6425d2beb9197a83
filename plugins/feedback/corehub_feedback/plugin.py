"""The feedback plugin's hook implementations (the logic lives in the other modules)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from corehub import hookimpl

if TYPE_CHECKING:
    import click
    from sqlite_utils.migrations import Migrations

    from corehub import Hub
    from corehub.models import (
        Cycle,
        Evidence,
        FeedbackKind,
        Importer,
        Person,
        PluginSettings,
        Report,
        ReportSection,
        Route,
        TaskKind,
    )


@hookimpl
def register_migrations(hub: Hub) -> Migrations:
    from corehub_feedback.migrations import migrations

    return migrations


@hookimpl
def register_settings(hub: Hub) -> PluginSettings:
    from corehub.models import PluginSettings
    from corehub_feedback.settings import FeedbackSettings

    return PluginSettings(name="feedback", cls=FeedbackSettings)


@hookimpl
def register_feedback_kinds(hub: Hub) -> list[FeedbackKind]:
    from corehub_feedback.kinds import BUILTIN_KINDS

    return list(BUILTIN_KINDS)


@hookimpl
def register_task_kinds(hub: Hub) -> list[TaskKind]:
    from corehub.models import TaskKind
    from corehub_feedback import kinds

    return [
        TaskKind(name=kinds.PEER, description="a peer's feedback on the person"),
        # No task is created for upward feedback (it is anonymous), but its due date closes
        # the window after which a manager's upward results are published.
        TaskKind(
            name=kinds.UPWARD,
            description="the last day for upward feedback; results follow the day after",
        ),
    ]


@hookimpl
def register_importers(hub: Hub) -> list[Importer]:
    from corehub.models import Importer
    from corehub_feedback.csat import import_csat

    def load(hub: Hub, path: Path, options: dict[str, str]) -> Any:
        return import_csat(hub, path, options)

    return [
        Importer(
            id="csat",
            description="CSAT ratings from a ticket-system export: ticket id, agent, score 1-5, "
            "comment, date",
            kind="customer",
            load=load,
        )
    ]


@hookimpl
def register_commands(cli: click.Group) -> None:
    from corehub.cli import lazy_commands

    lazy_commands(
        cli,
        "corehub_feedback.cli:register",
        {
            "feedback": "Feedback: praise, suggestions, concerns, peer and upward feedback, "
            "CSAT and eNPS."
        },
    )


@hookimpl
def register_report_sections(hub: Hub, report: Report) -> list[ReportSection]:
    from corehub_feedback.report import sections

    return sections(hub, report)


@hookimpl
def extra_stylesheets(hub: Hub, report: Report) -> list[str]:
    return ["corehub_feedback/feedback.css"]


@hookimpl
def prepare_demo(hub: Hub, cycle: Cycle) -> None:
    from corehub_feedback.demo import prepare

    prepare(hub, cycle)


@hookimpl
def register_routes(hub: Hub) -> Route:
    from corehub_feedback.web import route

    return route(hub)


@hookimpl
def extra_competency_evidence(
    hub: Hub, person: Person, cycle: Cycle, locale: str
) -> list[Evidence]:
    from corehub_feedback.report import csat_evidence

    return csat_evidence(hub, person, cycle, locale)
