"""Who may manage or record whose training."""

from __future__ import annotations

from collections.abc import Iterable

from corehub import access
from corehub.errors import PermissionDeniedError
from corehub.messages import M_
from corehub.models import Person
from corehub_training_tracker.training.reading import TrainingBase


class Permissions(TrainingBase):
    """Who may manage or record whose training."""

    def require_may_manage(self, person: Person) -> None:
        """Managers (direct or further up), HR and the operator may assign, waive and decide."""
        who = access.viewer(self.hub)
        if who.sees_everything or (
            who.id != person.id and access.may_see_person(self.hub, who, person.id)
        ):
            return
        raise PermissionDeniedError(
            M_(
                "%(actor)s does not manage %(person)s: only their managers or HR may do this",
                actor=who.actor,
                person=person.id,
            )
        )

    def manageable_ids(self, person_ids: Iterable[str]) -> set[str]:
        """Which of ``person_ids`` the acting person may manage (:meth:`require_may_manage`'s
        rule), decided at once: HR and the operator any; anyone else the people they manage
        at any level up the org chart (``access.manages``), never themselves. One query
        walks every person's chain of managers, however many people a page shows."""
        ids = list(dict.fromkeys(person_ids))
        who = access.viewer(self.hub)
        if who.sees_everything:
            return set(ids)
        if not ids or who.id is None:
            return set()
        return self.hub.people.managed_among(who.id, ids)

    def require_self_or_manager(self, person: Person, who: access.Viewer | None = None) -> None:
        """The person, their managers, HR and the operator may record their training;
        ``who`` is the acting viewer when the caller has it already (an import asks for
        each of its people)."""
        who = who or access.viewer(self.hub)
        if access.may_see_person(self.hub, who, person.id):
            return
        raise PermissionDeniedError(
            M_(
                "%(actor)s may not record training for %(person)s",
                actor=who.actor,
                person=person.id,
            )
        )
