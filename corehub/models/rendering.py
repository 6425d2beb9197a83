"""The rendering contract: reports and the sections plugins contribute to them."""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from typing import Any

import attrs

from corehub.models.cycles import Cycle
from corehub.models.people import Person


class ReportKind(enum.StrEnum):
    PACKET = "packet"
    """One person's review packet."""
    SUMMARY = "summary"
    """A manager's team summary."""
    CALIBRATION = "calibration"
    """The sheet a facilitator prints for a calibration session over ``scope``."""


@attrs.frozen(kw_only=True)
class Report:
    """What is being rendered: a packet for ``person``, a summary for ``team`` / ``manager``,
    or a calibration sheet for ``scope``.

    A plugin's ``register_report_sections`` looks at ``kind`` and returns sections only for
    the kinds it has something for (a new kind may be added in a later release)."""

    kind: ReportKind
    cycle: Cycle
    locale: str
    person: Person | None = None
    team: str | None = None
    manager: Person | None = None
    scope: str | None = None
    """A calibration sheet's scope: ``all``, ``team:T`` or ``level:L``."""
    viewer: str | None = None
    """Whom a summary or a calibration sheet is rendered for: rows about one person show only the people they may
    see (:func:`corehub.access.in_report`); None (HR, the operator) shows everyone.
    Aggregates always cover the whole team."""


@attrs.frozen(kw_only=True)
class ReportSection:
    """A part of a report: a template rendered with the plain data ``context`` returns.

    ``context(hub, report)`` returns a dict (plain data only) or None to leave the
    section out of this report; ``hub`` is the :class:`corehub.Hub` (typed ``Any`` here:
    records import no service). Sections are laid out by ``order``, lowest first.
    """

    id: str
    title: str
    template: str
    context: Callable[[Any, Report], Mapping[str, Any] | None]
    order: int = 500
    replaces: bool = False


@attrs.define
class RenderedDocument:
    """A finished HTML document and what the PDF engine needs besides it (what the
    ``render_pdf`` hook receives)."""

    report: Report
    title: str
    html: str
    """The complete document, its CSS in a ``<style>`` element (what ``render_pdf`` receives)."""
    body_html: str
    """The same document without the ``<style>``: corehub's engine applies ``stylesheets``
    pre-parsed instead."""
    stylesheets: list[str]
    """CSS texts, corehub's first, then each plugin's ``extra_stylesheets``."""
    packages: tuple[str, ...]
    """Packages whose assets (fonts, images) the document may use."""
    data: dict[str, Any]
    """The plain data shown (embedded as JSON in PDF/A output)."""
    data_name: str
    content_hash: str
    variant: str | None = None
