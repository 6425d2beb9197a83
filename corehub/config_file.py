"""Finding the workspace, and the two keys of its ``corehub.toml`` read before the rest.

Which plugins load (``[plugins] disabled``, and the one-file plugins in ``[paths]
plugins``) decides which commands exist, so ``corehub --help`` reads those two keys
here, without building and validating the whole configuration (:mod:`corehub.config`,
read when a command runs). A file these two cannot be read from (not UTF-8, not TOML, a
wrong type) is left to :func:`corehub.config.load_config`, which names the problem.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

CONFIG_FILE = "corehub.toml"

PLUGINS_FOLDER = "plugins"
"""``[paths] plugins`` when the file does not say."""


def find_workspace(
    explicit: str | os.PathLike[str] | None = None, *, cwd: Path | None = None
) -> Path | None:
    """The workspace folder: explicit, else ``COREHUB_WORKSPACE``, else search upwards."""
    if explicit:
        return Path(explicit).resolve()
    env = os.environ.get("COREHUB_WORKSPACE")
    if env:
        return Path(env).resolve()
    here = (cwd or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / CONFIG_FILE).is_file():
            return folder
    return None


def read_plugin_choices(path: Path) -> tuple[list[str], str] | None:
    """``[plugins] disabled`` and ``[paths] plugins`` of the ``corehub.toml`` at ``path``,
    as the full configuration would have them, or None when they cannot be read without
    validating the whole file."""
    import tomllib

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None
    plugins: Any = data.get("plugins", {})
    paths: Any = data.get("paths", {})
    if not isinstance(plugins, dict) or not isinstance(paths, dict):
        return None
    disabled = plugins.get("disabled", [])
    folder = paths.get("plugins", PLUGINS_FOLDER)
    if not isinstance(disabled, list) or not all(isinstance(name, str) for name in disabled):
        return None
    if not isinstance(folder, str):
        return None
    return list(disabled), folder
