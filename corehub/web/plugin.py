"""The web face's built-in plugin: what the web app must learn of library events.

Registered as ``corehub.web`` (see ``corehub plugins``); ``[plugins] disabled`` or
``COREHUB_DISABLE_PLUGINS`` can turn it off like any other plugin.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from corehub.plugins import hookimpl

if TYPE_CHECKING:
    from corehub.hub import Hub
    from corehub.models import Person


@hookimpl(trylast=True)
def person_deactivated(hub: Hub, person: Person) -> None:
    """End every web session and unused sign-in link of a deactivated person.

    Whoever leaves is signed out for good: reactivating them later does not bring back a
    session or an unused link.
    """
    from corehub.web import sessions

    sessions.end_everything(hub, [person.id], why="deactivated")
