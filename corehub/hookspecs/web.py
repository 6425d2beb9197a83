"""Web hooks: pages and navigation plugins add to ``corehub serve``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from corehub.hookspecs._markers import hookspec

if TYPE_CHECKING:
    from corehub.context import HubContext as Hub
    from corehub.models import Route


@hookspec
def register_routes(hub: Hub) -> Route | list[Route] | None:
    """Add pages to the web app.

    :param hub: a Hub on the workspace being served (use it for settings, not per request).
    :returns: a ``Route`` (or a list): a unique ``name``, a ``flask.Blueprint``, its
        ``url_prefix``, ``NavItem`` records with the roles that see them, and
        ``task_endpoints`` mapping a cycle task kind to the endpoint that does it. In a
        view, ``corehub.web.current_hub()`` is the request's Hub and
        ``corehub.web.current_person()`` the signed-in person; every view checks who may
        see or change what through the plugin's own library functions. Forms must carry
        ``{{ csrf_field() }}``.

    Called once when the web app is built (``corehub serve``, or ``create_app`` in tests).
    """
