"""Rendering hooks: report sections, templates, stylesheets and the PDF engine."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from corehub.hookspecs import hookspec

if TYPE_CHECKING:
    import jinja2

    from corehub.hub import Hub
    from corehub.models import Report, ReportSection


@hookspec
def register_report_sections(hub: Hub, report: Report) -> list[ReportSection] | None:
    """Return the sections to include in ``report``.

    :param hub: the Hub.
    :param report: what is being rendered (its ``kind``: ``packet`` or ``summary``, the
        cycle, the person or team, the locale).
    :returns: a list of ``ReportSection`` (id, title, template, context function, order).
        A section with the same id as another's replaces it only with ``replaces=True``.

    Called once per document rendered.
    """


@hookspec
def prepare_jinja2_environment(hub: Hub, env: jinja2.Environment) -> None:
    """Change the jinja2 environment in place: add filters, globals, tests.

    :param hub: the Hub.
    :param env: the environment every corehub template is rendered with
        (``autoescape`` on; do not turn it off).
    :returns: nothing.

    Called once, when the Hub first builds its template environment.
    """


@hookspec
def extra_template_vars(hub: Hub, template: str, context: dict[str, Any]) -> dict[str, Any] | None:
    """Add variables to a template's context.

    :param hub: the Hub.
    :param template: the name of the template about to be rendered.
    :param context: the context built so far (plain data; do not change it).
    :returns: a dict of plain values to add, or None.

    Called before each top-level template render.
    """


@hookspec
def extra_stylesheets(hub: Hub, report: Report) -> list[str] | None:
    """Add CSS to a report.

    :param hub: the Hub.
    :param report: the report being rendered.
    :returns: template names of CSS files (e.g. ``"corehub_feedback/feedback.css"``),
        rendered through jinja2 and appended after corehub's own stylesheet.

    Called once per document rendered.
    """


@hookspec(firstresult=True)
def render_pdf(hub: Hub, html: str, target: Path) -> Path | None:
    """Turn a finished HTML document into a PDF file at ``target``.

    :param hub: the Hub.
    :param html: the complete HTML document (escaped, with its CSS).
    :param target: where the PDF must end up. Write to a temporary name beside it and
        rename, so a crash never leaves half a PDF.
    :returns: the path written, or None to let the next implementation render. The
        default uses WeasyPrint with a URL fetcher that serves only packaged assets.

    Called once per PDF.
    """
