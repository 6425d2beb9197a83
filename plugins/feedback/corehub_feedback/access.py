"""Who is acting, and what they may see: corehub's rules (:mod:`corehub.access`).

Library functions take the acting person's id (``hub.actor``, set by the command line's
``--as PERSON``, or the signed-in person on the web), so every face applies the same
rules. This module only names them for the feedback plugin; it decides nothing itself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from corehub.access import Viewer, manages, may_see_person, may_see_team, viewer
from corehub.errors import PermissionDeniedError
from corehub.messages import M_

if TYPE_CHECKING:
    from corehub import Hub

__all__ = [
    "Viewer",
    "can_see_person",
    "can_see_team",
    "is_manager",
    "manages",
    "require_see_person",
    "viewer",
]

can_see_person = may_see_person
can_see_team = may_see_team


def require_see_person(hub: Hub, who: Viewer, person_id: str) -> None:
    """PermissionDeniedError unless ``who`` may see ``person_id``'s feedback
    (:func:`corehub.access.may_see_person`)."""
    if not may_see_person(hub, who, person_id):
        raise PermissionDeniedError(
            M_(
                "%(actor)s may not see %(person)s's feedback: only they, their managers and HR can",
                actor=who.actor,
                person=person_id,
            )
        )


def is_manager(hub: Hub, person_id: str) -> bool:
    """Whether ``person_id`` has an active report (one indexed look-up)."""
    row = hub.db.execute(
        "SELECT 1 FROM people WHERE manager_id = ? AND active = 1 LIMIT 1", [person_id]
    ).fetchone()
    return row is not None
