"""The quality plugin's hook implementations (the logic lives in the other modules)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from corehub import hookimpl

if TYPE_CHECKING:
    import click
    from sqlite_utils.migrations import Migrations

    from corehub import Hub
    from corehub.models import (
        CredentialEvidence,
        Cycle,
        Evidence,
        Person,
        PluginSettings,
        Recommendation,
        Reminder,
        Report,
        ReportSection,
        Review,
        Route,
        TicketScore,
    )


@hookimpl
def register_migrations(hub: Hub) -> Migrations:
    from corehub_quality.migrations import migrations

    return migrations


@hookimpl
def register_settings(hub: Hub) -> PluginSettings:
    from corehub.models import PluginSettings
    from corehub_quality.settings import NAME, QualitySettings

    return PluginSettings(name=NAME, cls=QualitySettings)


@hookimpl
def register_commands(cli: click.Group) -> None:
    from corehub.cli import lazy_commands

    lazy_commands(
        cli,
        "corehub_quality.cli:register",
        {"quality": "Quality: grade real customer conversations on scorecards."},
    )


@hookimpl(trylast=True)
def score_ticket(hub: Hub, scorecard: Mapping[str, Any], answers: Mapping[str, Any]) -> TicketScore:
    from corehub_quality.scorecards import default_score

    return default_score(scorecard, answers)


@hookimpl
def extra_reminders(hub: Hub, today: dt.date) -> list[Reminder]:
    from corehub_quality.reminders import reminders

    return reminders(hub, today)


@hookimpl
def register_report_sections(hub: Hub, report: Report) -> list[ReportSection]:
    from corehub_quality.report import sections

    return sections(hub, report)


@hookimpl
def extra_stylesheets(hub: Hub, report: Report) -> list[str]:
    return ["corehub_quality/quality.css"]


@hookimpl
def recommend_training(hub: Hub, person: Person, review: Review) -> list[Recommendation]:
    from corehub_quality.training import recommend

    return recommend(hub, person, review)


@hookimpl
def extra_competency_evidence(
    hub: Hub, person: Person, cycle: Cycle, locale: str
) -> list[Evidence]:
    from corehub_quality.report import evidence

    return evidence(hub, person, cycle, locale)


@hookimpl
def prepare_demo(hub: Hub, cycle: Cycle) -> None:
    from corehub_quality import articles_demo
    from corehub_quality.demo import prepare

    prepare(hub, cycle)
    articles_demo.prepare(hub)


@hookimpl
def register_routes(hub: Hub) -> Route:
    # the page modules put their views on the plugin's blueprint as they are imported
    from corehub_quality import article_web  # noqa: F401
    from corehub_quality.web import route

    return route(hub)


@hookimpl
def credential_evidence(
    hub: Hub, person: Person, kind: str, since: dt.date
) -> list[CredentialEvidence] | None:
    from corehub_quality.articles import evidence

    return evidence(hub, person, kind, since)
