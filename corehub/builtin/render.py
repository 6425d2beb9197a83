"""Default rendering: the PDF engine (WeasyPrint), replaceable by any plugin."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from corehub.plugins import hookimpl

if TYPE_CHECKING:
    from corehub.hub import Hub


@hookimpl(trylast=True)
def render_pdf(hub: Hub, html: str, target: Path) -> Path:
    """Render with WeasyPrint; only packaged assets can be fetched."""
    from corehub.render.pdf import write_pdf

    return write_pdf(hub, html, target)
