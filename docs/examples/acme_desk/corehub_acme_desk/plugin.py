"""Acme's hooks: each one hands over to the module of its tutorial step."""

from corehub import hookimpl
from corehub.models import PluginSettings, ReportKind, ReportSection
from corehub_acme_desk import feed, forms, ladder, scoring


@hookimpl
def register_forms(hub):
    return [forms.NIGHT_SHIFT]


@hookimpl(tryfirst=True)
def score_review(hub, review, form):
    return scoring.acme_score(review, form)


@hookimpl
def register_settings(hub):
    return PluginSettings(name="acme_desk", cls=ladder.AcmeSettings)


@hookimpl
def register_report_sections(hub, report):
    if report.kind is not ReportKind.PACKET:
        return []
    return [
        ReportSection(
            id="acme_desk.ladder",
            title="Your career at Acme",
            template="corehub_acme_desk/ladder.html",
            context=ladder.ladder_context,
            order=380,
        )
    ]


@hookimpl
def extra_stylesheets(hub, report):
    return ["corehub_acme_desk/acme.css"]


@hookimpl
def register_commands(cli):
    cli.add_command(ladder.acme)


@hookimpl
def register_migrations(hub):
    return feed.migrations


@hookimpl
def review_submitted(hub, review):
    feed.queue_review(hub, review)
