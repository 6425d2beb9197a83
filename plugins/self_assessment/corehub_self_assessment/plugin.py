"""The self_assessment plugin's hook implementations (the logic lives in the other modules).

They import that logic when called, so loading the plugin (as ``corehub --help`` does)
stays light.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from corehub import hookimpl

if TYPE_CHECKING:
    import click
    from sqlite_utils.migrations import Migrations

    from corehub import Hub
    from corehub.messages import Message
    from corehub.models import (
        Cycle,
        ExtraTask,
        Form,
        Person,
        PluginSettings,
        Reminder,
        Report,
        ReportSection,
        Review,
        ReviewScore,
        Route,
        TaskKind,
        TaskSpec,
    )


@hookimpl
def register_migrations(hub: Hub) -> list[Migrations]:
    from corehub_self_assessment.checkins_storage import migrations as checkins
    from corehub_self_assessment.plans_migrations import migrations as plan_migrations
    from corehub_self_assessment.storage import migrations

    return [migrations, checkins, plan_migrations]


@hookimpl
def register_settings(hub: Hub) -> list[PluginSettings]:
    from corehub.models import PluginSettings
    from corehub_self_assessment.settings import (
        CHECKINS,
        NAME,
        NEW_HIRE,
        CheckinSettings,
        NewHireSettings,
        SelfAssessmentSettings,
    )

    return [
        PluginSettings(name=NAME, cls=SelfAssessmentSettings),
        PluginSettings(name=CHECKINS, cls=CheckinSettings),
        PluginSettings(name=NEW_HIRE, cls=NewHireSettings),
    ]


@hookimpl
def register_forms(hub: Hub) -> list[Form]:
    """The shipped forms, replaced or extended by the workspace's ``forms/`` folder."""
    from corehub_self_assessment import forms

    return forms.collect_forms(hub)


@hookimpl(trylast=True)
def select_form(hub: Hub, cycle: Cycle, person: Person) -> Form | None:
    """By role, then level, then the configured default or a form for any level."""
    from corehub_self_assessment import forms
    from corehub_self_assessment.settings import NAME

    settings = hub.settings(NAME)
    return forms.choose_form(hub, person, settings.default_form or None)


@hookimpl
def register_task_kinds(hub: Hub) -> list[TaskKind]:
    from corehub.models import TaskKind

    return [
        TaskKind(name="self", description="the person's self-assessment"),
        TaskKind(name="manager", description="the manager's review of the person"),
        TaskKind(name="acknowledge", description="the person acknowledges the manager's review"),
    ]


@hookimpl
def cycle_tasks(hub: Hub, cycle: Cycle, person: Person) -> list[TaskSpec]:
    """``self`` for the person; ``manager`` for their manager once it is done or overdue;
    ``acknowledge`` for the person once the manager's review is in."""
    from corehub_self_assessment import reviews

    return reviews.enrolment_tasks(hub, [person])[person.id]


@hookimpl
def cycle_tasks_batch(hub: Hub, cycle: Cycle, people: list[Person]) -> dict[str, list[TaskSpec]]:
    """``cycle_tasks`` for everyone a cycle opening enrols, with one query for the managers."""
    from corehub_self_assessment import reviews

    return reviews.enrolment_tasks(hub, people)


@hookimpl
def person_enrolled(hub: Hub, cycle: Cycle, person: Person) -> None:
    """Store the person's reviews, each with a copy of its form as it is today."""
    from corehub_self_assessment import reviews

    reviews.create_for_enrolment(hub, cycle, person)


@hookimpl
def people_enrolled(hub: Hub, cycle: Cycle, people: list[Person]) -> None:
    """Store everyone's reviews at once: each form read and serialised once, one insert."""
    from corehub_self_assessment import reviews

    reviews.create_for_people(hub, cycle, people)


@hookimpl
def validate_review(hub: Hub, review: Review, form: Form) -> list[Message]:
    """Answers on the form's scales and choices, required questions answered, goals complete."""
    from corehub_self_assessment.answers import submit_problems

    return submit_problems(form, review.kind, review.answers)


@hookimpl(trylast=True)
def score_review(hub: Hub, review: Review, form: Form) -> ReviewScore:
    """Weighted means per section and overall, re-normalised over what was rated."""
    from corehub_self_assessment.scoring import default_score

    return default_score(form, review.kind, review.answers)


@hookimpl
def register_commands(cli: click.Group) -> None:
    from corehub.cli import lazy_commands

    lazy_commands(
        cli,
        _register_commands,
        {
            "review": "Self-assessments and manager reviews: fill in, submit, release, "
            "acknowledge.",
            "forms": "Review forms: list, show, check a form file.",
            "checkin": "1:1 check-ins between a manager and a report: agenda, notes, action items.",
            "newhire": "New-hire reviews some days after the hire date ([settings.new_hire] days).",
            "plan": "Development plans: goals, training and agreed actions, carried across cycles.",
        },
        extends=("cycle",),  # corehub cycle calibrate
    )


def _register_commands(cli: click.Group) -> None:
    from corehub_self_assessment import checkins_cli
    from corehub_self_assessment.cli import register
    from corehub_self_assessment.plans_cli import register as register_plans

    register(cli)
    checkins_cli.register(cli)
    register_plans(cli)


@hookimpl
def register_report_sections(hub: Hub, report: Report) -> list[ReportSection]:
    from corehub_self_assessment import calibration_sheet, plans_report
    from corehub_self_assessment.checkins_report import sections as checkin_sections
    from corehub_self_assessment.report import sections

    return (
        sections(hub, report)
        + checkin_sections(hub, report)
        + plans_report.sections(hub, report)
        + calibration_sheet.sections(hub, report)
    )


@hookimpl
def extra_stylesheets(hub: Hub, report: Report) -> list[str]:
    return ["corehub_self_assessment/self_assessment.css"]


@hookimpl
def prepare_demo(hub: Hub, cycle: Cycle) -> None:
    from corehub_self_assessment import checkins_demo
    from corehub_self_assessment.demo import fill_demo
    from corehub_self_assessment.plans_demo import fill_plans

    fill_demo(hub, cycle)
    checkins_demo.prepare(hub, cycle)
    fill_plans(hub, cycle)


@hookimpl
def register_routes(hub: Hub) -> list[Route]:
    # the page modules put their views on the plugin's blueprint as they are imported
    from corehub_self_assessment import checkins_web, plans_web, web_calibration  # noqa: F401
    from corehub_self_assessment.web import route

    return [route(hub), checkins_web.route(hub)]


@hookimpl
def person_hired(hub: Hub, person: Person) -> None:
    """The new-hire reviews the rule asks for (``[settings.new_hire]``)."""
    from corehub_self_assessment import newhire

    newhire.sync(hub, [person])


@hookimpl
def extra_reminders(hub: Hub, today: dt.date) -> list[Reminder]:
    """Check-ins due by the cadence, open check-in action items, new-hire reviews to fill,
    open development plan actions."""
    from corehub_self_assessment import checkins, newhire, plans

    return (
        checkins.reminders(hub, today) + newhire.reminders(hub, today) + plans.reminders(hub, today)
    )


@hookimpl
def extra_tasks(hub: Hub, person: Person, today: dt.date) -> list[ExtraTask]:
    """The parts of new-hire reviews the person writes, on their "My tasks" page."""
    from corehub_self_assessment import newhire

    return newhire.tasks_of(hub, person.id, today)
