"""Rendering: review packets and team summaries, from plugin sections to PDF.

Data flows one way: ``register_report_sections`` gives the sections of a report, each
section's ``context`` gives plain data, jinja2 templates (workspace, then plugins, then
corehub) turn it into HTML, and the ``render_pdf`` hook (WeasyPrint by default) writes
the PDF. WeasyPrint is imported only when a PDF is written.

Library use::

    from corehub.render import render_packet, render_summary, render_cycle
    render_packet(hub, "2026 H2", "agt-mad-01", "out/packet.pdf")
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from corehub.models import RenderedDocument
from corehub.render.documents import Renderer, renderer_for

if TYPE_CHECKING:
    from corehub.hub import Hub
    from corehub.models import Cycle, Person
    from corehub.render.batch import CycleRun

__all__ = [
    "RenderedDocument",
    "Renderer",
    "render_calibration",
    "render_cycle",
    "render_packet",
    "render_summary",
    "renderer_for",
]


def render_packet(
    hub: Hub,
    cycle: Cycle | str | int,
    person: Person | str,
    target: Path | str,
    *,
    variant: str | None = None,
    locale: str | None = None,
) -> Path:
    """Render ``person``'s review packet for ``cycle`` to ``target`` (always re-rendered), in
    ``locale`` when given, else in the person's language, else the organization's."""
    renderer = renderer_for(hub)
    report = renderer.packet_report(cycle, person, locale=locale)
    return renderer.render(report, Path(target), variant=variant)


def render_summary(
    hub: Hub,
    cycle: Cycle | str | int,
    target: Path | str,
    *,
    team: str | None = None,
    variant: str | None = None,
    locale: str | None = None,
) -> Path:
    """Render the summary of ``team`` (or of everyone) in ``cycle`` to ``target``, in
    ``locale`` when given, else in the team manager's language, else the organization's."""
    renderer = renderer_for(hub)
    report = renderer.summary_report(cycle, team, locale=locale)
    return renderer.render(report, Path(target), variant=variant)


def render_calibration(
    hub: Hub,
    cycle: Cycle | str | int,
    target: Path | str,
    *,
    scope: str = "all",
    variant: str | None = None,
    locale: str | None = None,
) -> Path:
    """Render the calibration sheet of ``scope`` in ``cycle`` to ``target``, for the acting
    person (``hub.actor``), in ``locale`` when given, else theirs, else the organization's."""
    renderer = renderer_for(hub)
    report = renderer.calibration_report(cycle, scope, locale=locale)
    return renderer.render(report, Path(target), variant=variant)


def render_cycle(
    hub: Hub, cycle: Cycle | str | int, folder: Path | str, **options: Any
) -> CycleRun:
    """Render a cycle's packets and summaries; see :func:`corehub.render.batch.render_cycle`."""
    from corehub.render.batch import render_cycle as run

    return run(hub, cycle, folder, **options)
