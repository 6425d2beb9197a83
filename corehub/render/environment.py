"""The jinja2 environment every corehub template is rendered with.

Templates are looked up in three layers, first match wins:

1. the workspace's ``templates/`` folder (the organization's overrides);
2. each loaded plugin package's ``templates/`` folder, in plugin registration order;
3. corehub's own ``corehub/render/templates``.

A prefix reaches one layer directly, so an override can extend the original it replaces:
``{% extends "corehub:packet.html" %}`` is corehub's own ``packet.html``, and
``{% extends "corehub_feedback:corehub_feedback/csat.html" %}`` is the feedback plugin's
original, whatever the workspace puts in front of it.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs
import jinja2

from corehub import i18n
from corehub.plugins import package_root, plugin_packages
from corehub.render.pdf import LOGO_URL, asset_url, logo_path

if TYPE_CHECKING:
    from corehub.hub import Hub

CORE_TEMPLATES = Path(__file__).parent / "templates"


@attrs.frozen
class TemplateRoot:
    """One folder templates are found in, and who it belongs to."""

    label: str
    """``workspace``, ``corehub`` or the plugin's name."""
    prefix: str
    """The prefix reaching this folder directly (the package name); empty for the workspace."""
    path: Path


def template_roots(hub: Hub) -> list[TemplateRoot]:
    """The template folders of ``hub``, in lookup order."""
    roots = []
    if hub.workspace is not None and hub.initialized:
        folder = hub.path("templates")
        if folder.is_dir():
            roots.append(TemplateRoot("workspace", "", folder))
    for name, package in plugin_packages(hub):
        root = package_root(package)
        if root is not None and (root / "templates").is_dir():
            roots.append(TemplateRoot(name, package, root / "templates"))
    roots.append(TemplateRoot("corehub", "corehub", CORE_TEMPLATES))
    return roots


class LayeredLoader(jinja2.BaseLoader):
    """Finds a template in the workspace, then plugins, then corehub (see the module doc)."""

    def __init__(self, roots: list[TemplateRoot]):
        self.roots = roots
        self.by_prefix = {root.prefix: root for root in roots if root.prefix}
        self.origins: dict[str, TemplateRoot] = {}
        """Template name -> the root that served it (for error messages)."""

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        prefix, sep, rest = template.partition(":")
        if sep and prefix in self.by_prefix:
            candidates = [self.by_prefix[prefix]]
            name = rest
        else:
            candidates = self.roots
            name = template
        pieces = jinja2.loaders.split_template_path(name)
        for root in candidates:
            path = root.path.joinpath(*pieces)
            if path.is_file():
                self.origins[template] = root
                mtime = path.stat().st_mtime
                source = path.read_text(encoding="utf-8")
                return source, str(path), lambda p=path, m=mtime: _unchanged(p, m)
        raise jinja2.TemplateNotFound(template)

    def list_templates(self) -> list[str]:
        names = set()
        for root in self.roots:
            for folder, _dirs, files in os.walk(root.path):
                for file in files:
                    rel = Path(folder, file).relative_to(root.path).as_posix()
                    names.add(rel)
        return sorted(names)

    def fingerprint(self) -> str:
        """A hash of every template and stylesheet the loader can serve (for incremental renders)."""
        digest = hashlib.sha256()
        for root in self.roots:
            digest.update(f"\0root {root.label} {root.prefix}\0".encode())
            for folder, dirs, files in sorted(os.walk(root.path)):
                dirs.sort()
                for file in sorted(files):
                    path = Path(folder, file)
                    digest.update(path.relative_to(root.path).as_posix().encode())
                    digest.update(path.read_bytes())
        return digest.hexdigest()


def _unchanged(path: Path, mtime: float) -> bool:
    try:
        return path.stat().st_mtime == mtime
    except OSError:
        return False


def format_date(value: Any, style: str = "long") -> str:
    """A date in the language of the render in progress (see :mod:`corehub.i18n`):
    ``4 Dec 2026`` in English, ``4 de diciembre de 2026`` in Spanish; ``month``, ``short``."""
    return i18n.date_filter(value, style)


def format_number(value: Any, decimals: int = 1) -> str:
    """A rating or figure in the language of the render in progress; None is an en dash."""
    return i18n.number_filter(value, decimals)


def build_environment(hub: Hub) -> jinja2.Environment:
    """A new environment for ``hub``; ``prepare_jinja2_environment`` is called on it once."""
    loader = LayeredLoader(template_roots(hub))
    env = jinja2.Environment(
        loader=loader,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
        extensions=["jinja2.ext.do"],
    )
    i18n.install(env)
    env.globals["asset_url"] = asset_url
    env.globals["logo_url"] = LOGO_URL if logo_path(hub) is not None else None
    hub.hook.prepare_jinja2_environment(hub=hub, env=env)
    if not env.autoescape:
        from corehub.errors import PluginError

        raise PluginError(
            "a prepare_jinja2_environment hook turned autoescape off; corehub needs it on"
        )
    return env
