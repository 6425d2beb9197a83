"""Job titles in each language: the organization's ``roles.yaml``.

People's roles come from the people import as HR typed them ("Service desk agent"); forms
are chosen by that text and it stays as typed. What a reader sees (a packet cover, the
signatures, a team summary, a web page) is the title in the reader's language, when the
organization gives it in the workspace's ``roles.yaml`` (``[paths] roles``)::

    # the role as in the people import: its title in each language
    Service desk agent: {es: Agente del service desk, da: Servicedeskmedarbejder, sv: Servicedeskmedarbetare}
    Team lead:
      es: Jefe de equipo
      da: Teamleder
      sv: Teamledare

A role the file does not name, or a language it does not give, is shown as typed. Roles
are matched without regard to case or spaces around them.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from corehub.errors import ValidationError
from corehub.safe_yaml import load_yaml

if TYPE_CHECKING:
    from corehub.context import HubContext

RoleTitles = Mapping[str, Mapping[str, str]]
"""A role as typed, folded (``service desk agent``) -> language code -> its title."""

_cache: dict[tuple[str, int, int], dict[str, dict[str, str]]] = {}


def key(role: str) -> str:
    """How a role is matched: case and the spaces around it do not matter."""
    return " ".join(str(role).split()).casefold()


def roles_file(hub: HubContext) -> Path | None:
    """The workspace's ``roles.yaml`` (``[paths] roles``), or None when there is none."""
    if hub.workspace is None or not hub.initialized:
        return None
    path = hub.path("roles")
    return path if path.is_file() else None


def role_titles(hub: HubContext) -> tuple[tuple[str, int, int] | None, RoleTitles]:
    """The organization's role titles, and a key that changes when the file does (for
    caches); ``(None, {})`` without a ``roles.yaml``.

    :raises ValidationError: listing every problem of the file.
    """
    path = roles_file(hub)
    if path is None:
        return None, {}
    stat = path.stat()
    cache_key = (str(path.resolve()), stat.st_mtime_ns, stat.st_size)
    found = _cache.get(cache_key)
    if found is None:
        source = path.name if path.parent == hub.workspace else str(path)
        found = parse_roles(path.read_bytes(), source=source)
        _cache[cache_key] = found
    return cache_key, found


def parse_roles(data: bytes | str, *, source: str) -> dict[str, dict[str, str]]:
    """Check ``roles.yaml``: every problem is listed, each naming the file and the role."""
    from corehub.languages import LANGUAGES, normalize

    summary = f"{source} is not a valid list of role titles:"
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValidationError(summary, [f"{source}: not UTF-8 text"]) from None
    try:
        loaded: Any = load_yaml(data, source=source)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise ValidationError(summary, [f"{source}: {where}not valid YAML: {problem}"]) from None
    if loaded is None:
        return {}
    if not isinstance(loaded, dict):
        raise ValidationError(
            summary,
            [f"{source}: expected each role with its title per language (role: {{es: ...}})"],
        )
    problems: list[str] = []
    titles: dict[str, dict[str, str]] = {}
    seen: dict[str, str] = {}
    for role, given in loaded.items():
        if not isinstance(role, str) or not role.strip():
            problems.append(f"{source}: {role!r}: a role is the text of the people import")
            continue
        if key(role) in seen:
            problems.append(f"{source}: {role!r}: the same role as {seen[key(role)]!r}")
            continue
        seen[key(role)] = role
        if not isinstance(given, dict) or not given:
            problems.append(
                f"{source}: {role!r}: give its title per language, e.g. {{es: ..., da: ...}}"
            )
            continue
        languages: dict[str, str] = {}
        for code, title in given.items():
            normal = normalize(code) if isinstance(code, str) else None
            if normal is None or normal.split("_")[0] not in LANGUAGES:
                problems.append(
                    f"{source}: {role!r}: {code!r} is not a language corehub speaks "
                    f"({', '.join(LANGUAGES)})"
                )
            elif not isinstance(title, str) or not title.strip():
                problems.append(f"{source}: {role!r}.{code}: the title is empty")
            else:
                languages[normal] = title.strip()
        titles[key(role)] = languages
    if problems:
        raise ValidationError(summary, problems)
    return titles


def title(titles: RoleTitles, role: str | None, locale: str) -> str:
    """``role`` in ``locale`` (``es_MX`` also tries ``es``), else as typed."""
    if not role:
        return ""
    found = titles.get(key(role))
    if found:
        for code in (locale, locale.split("_")[0]):
            if code in found:
                return found[code]
    return str(role)
