"""HTML to PDF with WeasyPrint, imported only when a PDF is rendered.

The URL fetcher serves packaged assets only: ``corehub-asset:PACKAGE/PATH`` URLs naming a
font, stylesheet or image inside corehub or a loaded plugin's package, and
``corehub-logo:`` for the organization's logo named in ``corehub.toml``. Every other URL
(``file://``, ``http(s)://``, ``data:``) is refused, so text typed into a review can never
make rendering read a file or reach the network.

One ``FontConfiguration`` and the parsed stylesheets are kept for the life of the
process and reused by every document (a new FontConfiguration per document leaks
memory, and parsing the same CSS for each of 1,000 packets is wasted time).
"""

from __future__ import annotations

import atexit
import hashlib
import json
import threading
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from corehub.plugins import package_root as package_root  # its old home, kept for a release

if TYPE_CHECKING:
    from corehub.hub import Hub
    from corehub.models import RenderedDocument

ASSET_SCHEME = "corehub-asset:"
LOGO_URL = "corehub-logo:"
ASSET_SUFFIXES = {
    ".css": "text/css",
    ".otf": "font/otf",
    ".ttf": "font/ttf",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".svg": "image/svg+xml",
    ".webp": "image/webp",
}
PDF_VARIANTS = ("pdf/a-3b",)
"""PDF variants ``corehub render --pdf-variant`` offers (besides plain PDF)."""


class AssetRefused(ValueError):
    """A URL the renderer will not fetch."""


def asset_url(package: str, relative: str) -> str:
    """The URL a template uses for a file shipped in ``package`` (a font, an image)."""
    return f"{ASSET_SCHEME}{package}/{relative}"


def resolve_asset(url: str, packages: Iterable[str]) -> Path:
    """The packaged file an asset URL names, if ``packages`` allows it; AssetRefused otherwise."""
    shown = url[:80]
    if not url.startswith(ASSET_SCHEME):
        raise AssetRefused(f"refused to fetch {shown!r}: only packaged assets are served")
    package, _, relative = url[len(ASSET_SCHEME) :].partition("/")
    if package not in set(packages):
        raise AssetRefused(f"refused to fetch {shown!r}: {package!r} is not corehub or a plugin")
    parts = relative.split("/")
    if not relative or any(p in ("", ".", "..") or "\\" in p for p in parts):
        raise AssetRefused(f"refused to fetch {shown!r}: not a path inside the package")
    suffix = Path(relative).suffix.lower()
    if suffix not in ASSET_SUFFIXES:
        raise AssetRefused(f"refused to fetch {shown!r}: only fonts, stylesheets and images")
    root = package_root(package)
    if root is None:
        raise AssetRefused(f"refused to fetch {shown!r}: {package!r} is not a package")
    path = (root / relative).resolve()
    if root not in path.parents or not path.is_file():
        raise AssetRefused(f"refused to fetch {shown!r}: no such packaged file")
    return path


def logo_path(hub: Hub) -> Path | None:
    """The organization's logo file named in ``[organization] logo``, if set and present."""
    name = hub.config.organization.logo
    if not name or hub.workspace is None:
        return None
    path = (hub.workspace / name).resolve()
    if path.suffix.lower() not in ASSET_SUFFIXES or path.suffix.lower() == ".css":
        from corehub.errors import ConfigError

        raise ConfigError(f"{hub.config_path}: [organization] logo {name!r} is not an image file")
    if not path.is_file():
        from corehub.errors import ConfigError

        raise ConfigError(f"{hub.config_path}: [organization] logo {name!r}: no such file")
    return path


# -- WeasyPrint, loaded on first use ---------------------------------------------------

_lock = threading.Lock()
_state: dict[str, Any] = {}


def _weasyprint() -> Any:
    import weasyprint

    return weasyprint


def font_config() -> Any:
    """The process's one FontConfiguration."""
    with _lock:
        if "font_config" not in _state:
            from weasyprint.text.fonts import FontConfiguration

            _state["font_config"] = FontConfiguration()
            # release it while the interpreter can still run its clean-up
            atexit.register(_state.clear)
        return _state["font_config"]


def uses_harfbuzz_subset() -> bool:
    """True when WeasyPrint subsets fonts with HarfBuzz (fast) rather than fontTools."""
    from weasyprint.text.ffi import harfbuzz, harfbuzz_subset

    return bool(harfbuzz_subset) and bool(harfbuzz.hb_version_atleast(4, 1, 0))


def make_fetcher(packages: Iterable[str], logo: Path | None = None) -> Any:
    """A WeasyPrint URL fetcher serving only packaged assets (and the logo)."""
    weasyprint = _weasyprint()
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    allowed = frozenset(packages)

    class PackagedAssetFetcher(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> Any:
            path = logo if url == LOGO_URL and logo is not None else resolve_asset(url, allowed)
            mime = ASSET_SUFFIXES[path.suffix.lower()]
            return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": mime})

    del weasyprint
    return PackagedAssetFetcher(timeout=1, fail_on_errors=False)


def parsed_css(text: str, fetcher: Any) -> Any:
    """A parsed stylesheet, cached by its text for the life of the process."""
    key = hashlib.sha256(text.encode()).hexdigest()
    cache: dict[str, Any] = _state.setdefault("css", {})
    css = cache.get(key)
    if css is None:
        weasyprint = _weasyprint()
        css = weasyprint.CSS(
            string=text, base_url=ASSET_SCHEME, url_fetcher=fetcher, font_config=font_config()
        )
        if len(cache) >= 64:  # organizations with per-report CSS: keep the cache bounded
            cache.pop(next(iter(cache)))
        cache[key] = css
    return css


def fetcher_for(hub: Hub, packages: Iterable[str]) -> Any:
    """The fetcher for ``hub``'s packages and logo, reused while they do not change."""
    logo = logo_path(hub)
    key = (frozenset(packages), str(logo))
    fetchers: dict[Any, Any] = _state.setdefault("fetchers", {})
    if key not in fetchers:
        fetchers[key] = make_fetcher(key[0], logo)
    return fetchers[key]


def warm_up(hub: Hub, stylesheets: Sequence[str], packages: Iterable[str]) -> None:
    """Import WeasyPrint, parse ``stylesheets`` (loading the fonts they name) and lay out a
    line of text, so the first document of a process costs what every other one does."""
    weasyprint = _weasyprint()
    fetcher = fetcher_for(hub, packages)
    css = [parsed_css(text, fetcher) for text in stylesheets]
    html = (
        "<h1>corehub</h1><p><b>Åsa</b> <i>Núñez</i> ✓ 1 2 3</p><table><tr><td>4</td></tr></table>"
    )
    document = weasyprint.HTML(string=html, url_fetcher=fetcher, base_url=ASSET_SCHEME)
    document.write_pdf(stylesheets=css, font_config=font_config())


def write_pdf(
    hub: Hub,
    html: str,
    target: Path,
    *,
    stylesheets: Sequence[str] = (),
    packages: Iterable[str] = ("corehub",),
    variant: str | None = None,
    attachments: Sequence[tuple[str, bytes, str]] = (),
    identifier: str | None = None,
) -> Path:
    """Render ``html`` (plus ``stylesheets``, CSS texts) to ``target`` through a temporary file.

    ``attachments`` are ``(file name, bytes, description)`` embedded in the PDF;
    ``variant`` is one of :data:`PDF_VARIANTS` or None for plain PDF.
    """
    weasyprint = _weasyprint()
    if variant is not None and variant not in PDF_VARIANTS:
        from corehub.errors import ValidationError

        raise ValidationError(f"unknown PDF variant {variant!r}: use {', '.join(PDF_VARIANTS)}")
    fetcher = fetcher_for(hub, packages)
    css = [parsed_css(text, fetcher) for text in stylesheets]
    options: dict[str, Any] = {"stylesheets": css, "font_config": font_config()}
    if variant:
        options["pdf_variant"] = variant
        if identifier:
            options["pdf_identifier"] = hashlib.md5(identifier.encode()).hexdigest().encode()
    if attachments:
        options["attachments"] = [
            weasyprint.Attachment(string=data, name=name, description=description, base_url=None)
            for name, data, description in attachments
        ]
    document = weasyprint.HTML(string=html, url_fetcher=fetcher, base_url=ASSET_SCHEME)
    with atomic_write(Path(target), hub) as tmp:
        document.write_pdf(str(tmp), **options)
    return Path(target)


def atomic_write(target: Path, hub: Hub | None = None) -> Any:
    """``with atomic_write(target, hub) as tmp:`` write ``tmp``; it becomes ``target`` on success.

    The output path is checked against ``hub``'s workspace (see :mod:`corehub.outputs`).
    """
    from corehub.outputs import write_output

    return write_output(hub, target)


def write_text_atomic(target: Path, text: str, hub: Hub | None = None) -> None:
    """Write a small text file the same safe way.

    The content hash kept beside a PDF is written without ``hub``: its name is made from a
    target already checked, and it is never one of the workspace's own files.
    """
    from corehub.outputs import write_text_output

    write_text_output(hub, target, text)


def default_render(hub: Hub, html: str, target: Path, document: RenderedDocument | None) -> Path:
    """What the built-in ``render_pdf`` does: reuse parsed CSS when the document is corehub's."""
    if document is not None and document.html == html:
        attachments: list[tuple[str, bytes, str]] = []
        if document.variant:
            data = json.dumps(document.data, ensure_ascii=False, indent=1, default=str)
            attachments.append((document.data_name, data.encode(), "The data this document shows"))
        return write_pdf(
            hub,
            document.body_html,
            target,
            stylesheets=document.stylesheets,
            packages=document.packages,
            variant=document.variant,
            attachments=attachments,
            identifier=document.content_hash,
        )
    packages = document.packages if document is not None else ("corehub",)
    return write_pdf(hub, html, target, packages=packages)
