"""Who is acting, and what they may see.

Library functions take the acting person's id (``hub.actor``, set by the command line's
``--as PERSON``), so the command line and a future web app apply the same rules. An
actor that is not a person (``cli:<user>``, the operator who runs the workspace and
holds its database) acts as an administrator.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs

from corehub.errors import PermissionDeniedError, ValidationError
from corehub.messages import M_

if TYPE_CHECKING:
    from corehub.hub import Hub
    from corehub.models import Person


@attrs.frozen
class Viewer:
    """The acting person (None for the administrator) and their rights."""

    actor: str
    person: Person | None
    is_hr: bool

    @property
    def is_admin(self) -> bool:
        return self.person is None

    @property
    def sees_everything(self) -> bool:
        return self.is_admin or self.is_hr

    @property
    def id(self) -> str | None:
        return self.person.id if self.person else None

    def require_person(self, doing: str) -> Person:
        """The acting person; an error when an administrator tries to act as somebody.

        ``doing`` (``M_("giving feedback")``) names what needs a person, in the error.
        """
        if self.person is None:
            raise ValidationError(
                M_(
                    "%(doing)s needs to know who you are",
                    doing=doing,
                    hint=f"pass --as PERSON; acting as {self.actor!r}",
                )
            )
        return self.person


def viewer(hub: Hub, actor: str | None = None) -> Viewer:
    """The Viewer for ``actor``; without one, ``hub.actor`` (the operator when not a person)."""
    if actor is None:
        person = hub.people.find(hub.actor)
        if person is None:
            return Viewer(actor=hub.actor, person=None, is_hr=True)
    else:
        person = hub.people.find(actor)
        if person is None:
            raise PermissionDeniedError(M_("%(id)r is not a known person", id=actor))
    if not person.active:
        raise PermissionDeniedError(M_("%(id)r is no longer active", id=person.id))
    return Viewer(actor=person.id, person=person, is_hr=person.id in hub.config.organization.hr)


def manages(hub: Hub, manager_id: str, person_id: str) -> bool:
    return hub.people.manages(manager_id, person_id)


def can_see_person(hub: Hub, who: Viewer, person_id: str) -> bool:
    """The person themself, anyone above them in the org chart, HR and the administrator."""
    if who.sees_everything:
        return True
    return who.id == person_id or manages(hub, who.id or "", person_id)


def require_see_person(hub: Hub, who: Viewer, person_id: str) -> None:
    if not can_see_person(hub, who, person_id):
        raise PermissionDeniedError(
            M_(
                "%(actor)s may not see %(person)s's feedback: only they, their managers and HR can",
                actor=who.actor,
                person=person_id,
            )
        )


def can_see_team(hub: Hub, who: Viewer, team: str) -> bool:
    """HR, the administrator, and anyone who manages somebody in the team."""
    if who.sees_everything:
        return True
    return any(manages(hub, who.id or "", p.id) for p in hub.people.list(team=team))


def is_manager(hub: Hub, person_id: str) -> bool:
    return bool(hub.people.reports(person_id))
