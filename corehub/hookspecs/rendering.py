"""Rendering hooks: report sections, templates, stylesheets and the PDF engine."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from corehub.hookspecs._markers import hookspec

if TYPE_CHECKING:
    import jinja2

    from corehub.context import HubContext as Hub
    from corehub.models import RenderedDocument, Report, ReportSection


@hookspec
def register_report_sections(hub: Hub, report: Report) -> list[ReportSection] | None:
    """Return the sections to include in ``report``.

    :param hub: the Hub.
    :param report: what is being rendered (its ``kind``: ``packet``, ``summary`` or
        ``calibration``; the cycle, the person, team or calibration scope, the locale).
        Return sections only for the kinds you have something for: corehub may add kinds.
    :returns: a list of ``ReportSection`` (id, title, template, context function, order).
        A section with the same id as another's replaces it only with ``replaces=True``.
        ``context(hub, report)`` returns plain data (a dict) or None to leave the section
        out; the template receives the dict's keys as variables, plus ``report`` (the
        Report as plain data) and ``section`` (``{"id", "title"}``).

    Called once per document, before anything is rendered: also by ``corehub render
    cycle`` for a packet whose PDF turns out to be up to date (its data is what the
    content hash is taken over).
    """


@hookspec
def prepare_jinja2_environment(hub: Hub, env: jinja2.Environment) -> None:
    """Change the jinja2 environment in place: add filters, globals, tests.

    :param hub: the Hub.
    :param env: the environment every corehub template is rendered with
        (``autoescape`` on; do not turn it off).
    :returns: nothing.

    Called once per environment: when a Hub first renders a document (and again if
    the set of loaded plugins changes afterwards).
    """


@hookspec
def extra_template_vars(hub: Hub, template: str, context: dict[str, Any]) -> dict[str, Any] | None:
    """Add variables to a template's context.

    :param hub: the Hub.
    :param template: the name of the template about to be rendered.
    :param context: the context built so far (plain data; do not change it).
    :returns: a dict of plain values to add, or None.

    Called before each template corehub renders itself: the document (``packet.html``,
    ``summary.html``), each section's template and each stylesheet; not for templates
    those include, import or extend.
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
def render_pdf(hub: Hub, html: str, target: Path, document: RenderedDocument | None) -> Path | None:
    """Turn a finished HTML document into a PDF file at ``target``.

    :param hub: the Hub.
    :param html: the complete HTML document (escaped, with its CSS).
    :param target: where the PDF must end up. Write to a temporary name beside it and
        rename, so a crash never leaves half a PDF.
    :param document: the same document in parts (``body_html`` without the CSS, the
        ``stylesheets`` texts, ``report``, ``data``, ``variant`` such as ``"pdf/a-3b"``,
        ``content_hash``), or None when only ``html`` is known. An engine may ignore it.
    :returns: the path written, or None to let the next implementation render. The
        default uses WeasyPrint with a URL fetcher that serves only packaged assets; it
        reuses parsed CSS through ``document`` and embeds ``document.data`` as a JSON
        attachment in PDF/A output.

    Called once per PDF rendered (not for a packet ``corehub render cycle`` finds up to
    date, nor for the binder, which joins the packets' PDFs).
    """
