"""Finding, loading and calling plugins.

Plugins are found in three places, in this order: corehub's own defaults (built-in
plugins marked ``trylast`` so any installed plugin can replace them), installed
distributions with an entry point in the ``corehub`` group, and one-file plugins in a
plugins folder. Each loads on its own: one that fails to import, or that implements a
hook corehub does not know, is reported by name on stderr and skipped, so one broken
plugin never breaks the command line (``COREHUB_STRICT_PLUGINS=1`` makes that fatal).

Environment:

- ``COREHUB_LOAD_PLUGINS=a,b``: load only these installed plugins (empty: none);
- ``COREHUB_DISABLE_PLUGINS=a,b``: never load these (as ``[plugins] disabled`` does);
- ``COREHUB_TRACE_PLUGINS=1``: log each hook call and the plugins it reaches;
- ``COREHUB_STRICT_PLUGINS=1``: a plugin that fails to load is an error.

Names are entry-point names (``feedback``) or distribution names (``corehub-feedback``).
"""

from __future__ import annotations

import functools
import importlib
import importlib.util
import os
import re
import sys
import types
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pluggy

from corehub import hookspecs
from corehub.errors import PluginError

# The plugin manager and the hook relay live in corehub.hookcalls, below the hook
# specifications and the Hub; their old names here keep working.
from corehub.hookcalls import HookRelay as HookRelay
from corehub.hookcalls import Implementation as Implementation
from corehub.hookcalls import NamedHookCaller as NamedHookCaller
from corehub.hookcalls import PluginFailure as PluginFailure
from corehub.hookcalls import PluginInfo as PluginInfo
from corehub.hookcalls import PluginManager as PluginManager
from corehub.hookcalls import batched_implementations as batched_implementations

if TYPE_CHECKING:
    from corehub.context import HubContext

hookimpl = pluggy.HookimplMarker("corehub")
"""Marks a function as the implementation of a corehub hook."""

ENTRY_POINT_GROUP = "corehub"

BUILTIN_PLUGINS: tuple[tuple[str, str], ...] = (
    ("corehub.render", "corehub.builtin.render"),
    ("corehub.notify", "corehub.builtin.notify"),
    ("corehub.web", "corehub.web.plugin"),
)
"""corehub's own default implementations, as (plugin name, module)."""


def normalize_name(name: str) -> str:
    """``corehub-self-assessment``, ``corehub_self_assessment`` and case all compare equal."""
    return re.sub(r"[-_.]+", "-", name.strip()).lower()


def _names_from_env(env: Mapping[str, str], key: str) -> set[str] | None:
    raw = env.get(key)
    if raw is None:
        return None
    return {normalize_name(n) for n in raw.split(",") if n.strip()}


def _env_flag(env: Mapping[str, str], key: str) -> bool:
    return env.get(key, "").strip().lower() in {"1", "true", "yes", "on"}


FILE_PLUGINS_PACKAGE = "corehub_plugins_dir"
"""The package one-file plugins are imported under (``corehub_plugins_dir.<file stem>``)."""


@functools.lru_cache(maxsize=256)
def package_root(package: str) -> Path | None:
    """The folder of an importable package, or None (a plain module or nothing). Cached:
    a web request asks for every plugin's folder, and imports do not move."""
    try:
        spec = importlib.util.find_spec(package)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    locations = list(spec.submodule_search_locations)
    return Path(locations[0]).resolve() if locations else None


def plugin_packages(hub: HubContext) -> list[tuple[str, str]]:
    """(plugin name, top-level package) of every loaded plugin that is a package: where its
    templates, catalogs and assets are found."""
    found: list[tuple[str, str]] = []
    seen = set()
    for name, info in hub.pm.infos.items():
        package = (info.module or "").split(".")[0]
        if not package or package in seen or package in ("corehub", FILE_PLUGINS_PACKAGE):
            continue
        seen.add(package)
        if package_root(package) is not None:
            found.append((name, package))
    return found


def plugin_folders(
    workspace: Path | None, configured: str = "plugins", extra: Path | None = None
) -> list[Path]:
    """The folders one-file plugins are loaded from, in loading order.

    ``extra`` is a folder named on the command line (``--plugins-dir``); ``configured`` is
    ``[paths] plugins`` of the workspace's corehub.toml, relative to the workspace. Every process
    that builds a plugin manager for a workspace (the command line, the web app, render workers)
    asks this function, so all of them load the same plugins.
    """
    folders: list[Path] = []
    if extra is not None:
        folders.append(Path(extra))
    if workspace is not None:
        ws_dir = Path(workspace) / configured
        if ws_dir.is_dir() and ws_dir not in folders:
            folders.append(ws_dir)
    return folders


def make_plugin_manager(
    *,
    disabled: Iterable[str] = (),
    plugins_dirs: Iterable[Path] = (),
    load_entry_points: bool = True,
    env: Mapping[str, str] | None = None,
) -> PluginManager:
    """Build a fresh plugin manager: blocklist, core defaults, entry points, plugins dirs."""
    env = os.environ if env is None else env
    strict = _env_flag(env, "COREHUB_STRICT_PLUGINS")
    blocked = {normalize_name(n) for n in disabled} | (
        _names_from_env(env, "COREHUB_DISABLE_PLUGINS") or set()
    )
    only = _names_from_env(env, "COREHUB_LOAD_PLUGINS")
    pm = PluginManager(hookspecs.MODULES)

    for name, module_name in BUILTIN_PLUGINS:
        if normalize_name(name) in blocked:
            continue
        pm.register_named(importlib.import_module(module_name), name, source="builtin")

    if load_entry_points:
        for ep in _entry_points():
            dist_name = ep.dist.name if ep.dist else None
            names = {normalize_name(ep.name)} | (
                {normalize_name(dist_name)} if dist_name else set()
            )
            if names & blocked or (only is not None and not names & only):
                continue
            if pm.get_plugin(ep.name) is not None:
                pm._fail(ep.name, dist_name, f"another plugin is already registered as {ep.name!r}")
                continue
            try:
                plugin = ep.load()
                pm.register_named(
                    plugin,
                    ep.name,
                    source="entry point",
                    distribution=dist_name,
                    version=ep.dist.version if ep.dist else None,
                    entry_point=ep.value,
                )
            except Exception as exc:
                message = f"failed to load: {type(exc).__name__}: {exc}"
                if strict:
                    raise PluginError(f"plugin {ep.name!r} {message}", plugin=ep.name) from exc
                pm._fail(ep.name, dist_name, message)

    for folder in plugins_dirs:
        for path in sorted(Path(folder).glob("*.py")):
            name = path.stem
            if path.name.startswith("_") or normalize_name(name) in blocked:
                continue
            try:
                pm.register_named(
                    _load_file(path), name, source="plugins dir", entry_point=str(path)
                )
            except Exception as exc:
                message = f"failed to load {path}: {type(exc).__name__}: {exc}"
                if strict:
                    raise PluginError(f"plugin {name!r} {message}", plugin=name) from exc
                pm._fail(name, None, message)

    pm.check_and_drop_invalid(strict=strict)
    if _env_flag(env, "COREHUB_TRACE_PLUGINS"):
        enable_tracing(pm)
    return pm


def _entry_points() -> Iterator[metadata.EntryPoint]:
    seen: set[tuple[str, str]] = set()
    for ep in sorted(metadata.entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
        key = (ep.name, ep.value)
        if key not in seen:  # the same distribution found twice on sys.path
            seen.add(key)
            yield ep


def _load_file(path: Path) -> types.ModuleType:
    module_name = f"{FILE_PLUGINS_PACKAGE}.{path.stem}"
    spec = importlib.util.spec_from_file_location(module_name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot import {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def enable_tracing(pm: pluggy.PluginManager, write: Callable[[str], Any] | None = None) -> None:
    """Log each hook call, its arguments and the plugins it reaches (in call order)."""
    out = write or (lambda line: print(line, file=sys.stderr))

    def before(hook_name: str, hook_impls: Sequence[Any], kwargs: Mapping[str, Any]) -> None:
        order = ", ".join(impl.plugin_name for impl in reversed(hook_impls)) or "(no plugins)"
        args = ", ".join(f"{k}={_short(v)}" for k, v in kwargs.items())
        out(f"corehub trace: {hook_name}({args}) -> {order}")

    def after(
        outcome: Any, hook_name: str, hook_impls: Sequence[Any], kwargs: Mapping[str, Any]
    ) -> None:
        if outcome.exception is not None:
            out(f"corehub trace: {hook_name} raised {type(outcome.exception).__name__}")

    pm.add_hookcall_monitoring(before, after)


def _short(value: Any) -> str:
    text = getattr(value, "id", None) or getattr(value, "name", None) or type(value).__name__
    return str(text)[:40]
