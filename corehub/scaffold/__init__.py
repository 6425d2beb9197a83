"""``corehub plugin new``: generate an installable plugin distribution to start from.

The generated project works right away: ``pip install -e`` it and its tests pass, and
``corehub plugins`` lists it. Files come from ``template/``; ``{{name}}`` and friends
in file names and contents are replaced (plain substitution, no template logic, so the
generated files read exactly as they will be edited).
"""

from __future__ import annotations

import importlib.resources
import re
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

from corehub.errors import CorehubError
from corehub.version import __version__

if TYPE_CHECKING:
    from corehub.hub import Hub

_NAME = re.compile(r"^[a-z][a-z0-9_]{1,39}$")


def plugin_names(name: str) -> dict[str, str]:
    """The names a plugin goes by: entry point, module, distribution, title."""
    if not _NAME.match(name):
        raise CorehubError(
            f"plugin name {name!r}: use 2 to 40 lowercase letters, digits and underscores, "
            "starting with a letter (e.g. acme_forms)"
        )
    return {
        "name": name,
        "module": f"corehub_{name}",
        "distribution": f"corehub-{name.replace('_', '-')}",
        "title": name.replace("_", " ").title(),
        "corehub_version": __version__,
    }


def render_text(text: str, names: dict[str, str]) -> str:
    for key, value in names.items():
        text = text.replace("{{" + key + "}}", value)
    return text


def create_plugin(name: str, parent: Path, hub: Hub | None = None) -> Path:
    """Write the project into ``parent/<distribution>``; refuse to touch an existing folder.

    The project is written to a hidden ``.part`` folder first and renamed when complete;
    one left by an interrupted run is removed by the next.
    """
    from corehub.outputs import check_output_folder, part_name

    names = plugin_names(name)
    target = Path(parent) / names["distribution"]
    if target.exists():
        raise CorehubError(f"{target} already exists; choose another name or folder")
    check_output_folder(hub, parent)
    template = importlib.resources.files("corehub.scaffold") / "template"
    staging = part_name(target)
    try:
        _copy(template, staging, names)
        staging.rename(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return target


def _copy(source: importlib.resources.abc.Traversable, dest: Path, names: dict[str, str]) -> None:
    dest.mkdir(parents=True)
    for item in source.iterdir():
        if item.name == "__pycache__":
            continue
        out = dest / render_text(item.name.removesuffix(".tmpl"), names)
        if item.is_dir():
            _copy(item, out, names)
        else:
            out.write_text(render_text(item.read_text(encoding="utf-8"), names), encoding="utf-8")
