"""HTML to PDF with WeasyPrint, imported only when a PDF is rendered.

The URL fetcher serves packaged assets only (``corehub-asset:`` URLs resolved inside
installed packages); every other URL, ``file://``, ``http(s)://`` or ``data:``, is
refused, so user text can never make rendering read a file or reach the network.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from corehub.hub import Hub

ASSET_SCHEME = "corehub-asset:"


def asset_url(package: str, relative: str) -> str:
    """The URL a template uses for a file shipped in ``package`` (e.g. a font or a logo)."""
    return f"{ASSET_SCHEME}{package}/{relative}"


def resolve_asset(url: str) -> Path:
    """The packaged file an asset URL names; ValueError for anything else."""
    import importlib.resources

    if not url.startswith(ASSET_SCHEME):
        raise ValueError(f"refused to fetch {url[:80]!r}: only packaged assets are served")
    package, _, relative = url[len(ASSET_SCHEME) :].partition("/")
    parts = Path(relative).parts
    if not package.isidentifier() and not all(p.isidentifier() for p in package.split(".")):
        raise ValueError(f"refused to fetch {url[:80]!r}")
    if not parts or any(p in ("..", "") or p.startswith(("/", "\\")) for p in parts):
        raise ValueError(f"refused to fetch {url[:80]!r}")
    root = Path(str(importlib.resources.files(package))).resolve()
    path = (root / relative).resolve()
    if root not in path.parents or not path.is_file():
        raise ValueError(f"refused to fetch {url[:80]!r}: no such packaged file")
    return path


def safe_url_fetcher(url: str, timeout: int = 10, ssl_context: Any = None) -> dict[str, Any]:
    path = resolve_asset(url)
    return {"string": path.read_bytes(), "filename": path.name}


def write_pdf(hub: Hub, html: str, target: Path) -> Path:
    """Render ``html`` to ``target`` through a temporary file renamed into place."""
    from weasyprint import HTML

    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    os.close(fd)
    try:
        HTML(string=html, url_fetcher=safe_url_fetcher, base_url=ASSET_SCHEME).write_pdf(tmp_name)
        os.replace(tmp_name, target)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    return target
