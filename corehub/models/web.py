"""Records for the web hooks: the pages a plugin adds to ``corehub serve``."""

from __future__ import annotations

from typing import Any

import attrs

ROLES = ("employee", "manager", "hr")
"""Who sees a navigation item: everyone signed in, people with reports, HR (``organization.hr``)."""


@attrs.frozen(kw_only=True)
class NavItem:
    """A link in the web app's navigation bar."""

    label: str
    endpoint: str
    """The Flask endpoint it links to, e.g. ``self_assessment.mine``."""
    roles: tuple[str, ...] = ("employee",)
    """The roles that see it (any of ``employee``, ``manager``, ``hr``)."""
    order: int = 100
    """Smaller comes first; the core's own items use 0-20."""

    def __attrs_post_init__(self) -> None:
        unknown = [r for r in self.roles if r not in ROLES]
        if unknown:
            raise ValueError(f"NavItem {self.label!r}: unknown roles {unknown} (use {ROLES})")


@attrs.frozen(kw_only=True)
class Route:
    """A plugin's pages: a Flask blueprint, its navigation items, the tasks it opens.

    ``task_endpoints`` maps a cycle task kind (``self``, ``peer``...) to the endpoint that
    does it; "My tasks" links there with ``cycle_id`` and ``person_id`` (the task's subject).
    Every view must check who may see or change what itself, through the plugin's library.
    """

    name: str
    blueprint: Any
    """A ``flask.Blueprint``: a module-level one (views defined at module level, the usual
    shape) may be returned from every ``register_routes`` call, since Flask registers a
    blueprint with any number of apps; one built inside the hook works too."""
    url_prefix: str = ""
    nav: tuple[NavItem, ...] = ()
    task_endpoints: dict[str, str] = attrs.field(factory=dict)
    task_labels: dict[str, str] = attrs.field(factory=dict)
    """What "My tasks" calls a task kind when the task has no title, e.g. ``self``:
    ``Self-assessment``."""
    replaces: bool = False
    max_request_bytes: Any = None
    """``max_request_bytes(hub) -> int``: the largest request this plugin's pages accept
    (a file upload), when more than the web app's 2 MB; None keeps the 2 MB."""
