"""Records for the platform hooks."""

from __future__ import annotations

import attrs


@attrs.frozen(kw_only=True)
class PluginSettings:
    """A plugin's settings: ``[settings.<name>]`` in corehub.toml, validated into ``cls``.

    ``cls`` is an attrs class whose every field has a default.
    """

    name: str
    cls: type
