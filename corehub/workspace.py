"""Creating a workspace: corehub.toml, the organization's folders and the database.

``corehub init`` and ``corehub demo`` call :func:`init_workspace`; so can a plugin's tests or
a script that sets up a workspace of its own.
"""

from __future__ import annotations

from pathlib import Path

from corehub.config_file import CONFIG_FILE
from corehub.errors import CorehubError
from corehub.hub import Hub

WORKSPACE_FOLDERS = ("templates", "forms", "courses", "plugins", "output")
"""The folders a new workspace gets (named by ``[paths]`` in corehub.toml)."""


def init_workspace(
    folder: Path | str,
    *,
    organization: str = "My help desk",
    locale: str = "en",
    timezone: str = "UTC",
) -> Hub:
    """Create a workspace in ``folder`` and return a Hub on it (close it when done).

    Refuses a folder that is a workspace already and an unknown time zone, before anything
    is written; corehub.toml is written under a temporary name and renamed.
    """
    folder = Path(folder)
    config = folder / CONFIG_FILE
    if config.exists():
        raise CorehubError(f"{config} already exists; this folder is a workspace already")
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise CorehubError(
            f"unknown time zone {timezone!r} (use a name like Europe/Madrid)"
        ) from None
    from corehub.config import default_config_text

    folder.mkdir(parents=True, exist_ok=True)
    tmp = config.with_suffix(".toml.part")
    tmp.write_text(default_config_text(organization, locale, timezone), encoding="utf-8")
    tmp.replace(config)
    hub = Hub(folder)
    for kind in WORKSPACE_FOLDERS:
        hub.path(kind).mkdir(exist_ok=True)
    hub.create_database()  # the only place a database is created; migrations applied
    return hub
