"""Who may see whom, and who may act for whom: the one rule every face and plugin uses.

Every command line command (``--as PERSON``), every web page and every plugin asks this
module, so a rule is written once and holds everywhere::

    from corehub import access

    who = access.viewer(hub)                 # the acting person (hub.actor)
    access.require_see_person(hub, who, "mad-03")
    access.require_see_team(hub, who, "Madrid")
    access.require_self(hub, who, "mad-03", M_("rating a course"))

The rules (see docs/access.md):

- **A person's own data** (their reviews, packet, training, feedback results) is seen by
  the person, by their managers in today's org chart (direct or further up) and by HR
  (``organization.hr``). Nobody else, and no peer.
- **A team's aggregates** (a team summary, team CSAT, the team's training coverage) are
  seen by the team's own managers (its lead and everyone above the lead) and by HR.
  Managing one member of the team does not open the whole team.
- **What only the person may do** (rate a course they took, submit their own
  self-assessment, acknowledge their review, answer their own surveys) refuses
  everyone else, HR and the operator included: nobody acts as someone else.
- **A private note** belongs to its author and HR; it never follows the org chart.
- **A conversation between two people** (the agenda and notes of a 1:1 check-in) is
  read by those two only: not HR, not the operator, not anyone up the org chart. What
  others may know of it (that it happened, when, its action items) is the person's data.

An actor who is not a person of the organization (``cli:<user>``, the operator who runs
the workspace and holds its database) sees everything, like HR, but may not act as a
person.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import TYPE_CHECKING

import attrs

from corehub.errors import PermissionDeniedError, ValidationError
from corehub.keys import derived_key
from corehub.messages import M_, Message
from corehub.people import People

if TYPE_CHECKING:
    from corehub.context import HubContext
    from corehub.models import Person, Report

__all__ = [
    "Viewer",
    "derived_key",
    "in_report",
    "is_self",
    "manages",
    "may_see_conversation",
    "may_see_person",
    "may_see_private_note",
    "may_see_team",
    "require_see_person",
    "require_see_team",
    "require_self",
    "team_leads",
    "team_managers",
    "viewer",
]


@attrs.frozen
class Viewer:
    """The acting person (None for the operator) and their rights."""

    actor: str
    """The actor's id: a person's id, or ``cli:<user>`` for the operator."""
    person: Person | None
    """The acting person; None for the operator at the terminal."""
    is_hr: bool
    """Named in ``organization.hr`` (always True for the operator)."""

    @property
    def is_admin(self) -> bool:
        """The operator at the terminal (not a person of the organization)."""
        return self.person is None

    @property
    def sees_everything(self) -> bool:
        """HR and the operator see every person and every team."""
        return self.is_admin or self.is_hr

    @property
    def id(self) -> str | None:
        """The acting person's id; None for the operator."""
        return self.person.id if self.person else None

    def require_person(self, doing: str | Message) -> Person:
        """The acting person; a ValidationError when the operator tries to act as somebody.

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


def viewer(hub: HubContext, actor: Viewer | Person | str | None = None) -> Viewer:
    """The Viewer for ``actor`` (a person's id, a Person or a Viewer).

    Without ``actor``, ``hub.actor``: a person when it names one, else the operator. A
    named actor that is not a known, active person is refused (PermissionDeniedError).
    """
    if isinstance(actor, Viewer):
        return actor
    if actor is None:
        person = People(hub).find(hub.actor)
        if person is None:
            return Viewer(actor=hub.actor, person=None, is_hr=True)
    else:
        actor_id = actor if isinstance(actor, str) else actor.id
        person = People(hub).find(actor_id)
        if person is None:
            raise PermissionDeniedError(M_("%(id)r is not a known person", id=actor_id))
    if not person.active or person.has_left(hub.clock.today()):
        raise PermissionDeniedError(M_("%(id)r is no longer active", id=person.id))
    return Viewer(actor=person.id, person=person, is_hr=person.id in hub.config.organization.hr)


def manages(hub: HubContext, manager_id: str, person_id: str) -> bool:
    """True if ``manager_id`` manages ``person_id`` in today's org chart (at any level)."""
    return People(hub).manages(manager_id, person_id)


def may_see_person(hub: HubContext, who: Viewer | Person | str | None, person_id: str) -> bool:
    """The person, their managers in today's org chart (any level up), HR and the operator."""
    who = viewer(hub, who)
    if who.sees_everything:
        return True
    return who.id == person_id or manages(hub, who.id or "", person_id)


def require_see_person(hub: HubContext, who: Viewer | Person | str | None, person_id: str) -> None:
    """PermissionDeniedError unless :func:`may_see_person`."""
    who = viewer(hub, who)
    if may_see_person(hub, who, person_id):
        return
    raise PermissionDeniedError(
        M_(
            "%(actor)s may not see %(person)s's data: only they, their managers and HR can",
            actor=who.actor,
            person=person_id,
        )
    )


def team_leads(hub: HubContext, team: str) -> list[Person]:
    """Whom the team reports to: its members who are managed from outside the team and
    manage someone in it (the supervisor sits in the team); when no member is, the
    manager most of the members report to directly (every one of them on a tie).

    A supervisor of another team who manages one member is not a lead of this team.
    """
    members = People(hub).list(team=team)
    ids = {p.id for p in members}
    inside = [
        p for p in members if p.manager_id not in ids and any(m.manager_id == p.id for m in members)
    ]
    if inside:
        return sorted(inside, key=lambda p: (p.name, p.id))
    counts = Counter(p.manager_id for p in members if p.manager_id)
    if not counts:
        return []
    most = max(counts.values())
    leads = [People(hub).find(manager_id) for manager_id, n in counts.items() if n == most]
    return sorted((p for p in leads if p is not None and p.active), key=lambda p: (p.name, p.id))


def team_managers(hub: HubContext, team: str) -> list[Person]:
    """The team's own managers: its leads (:func:`team_leads`) and everyone above them in
    today's org chart, sorted by name. They see the team's aggregates."""
    people = People(hub)
    found: dict[str, Person] = {}
    seen: set[str] = set()
    for lead in team_leads(hub, team):
        current: Person | None = lead
        while current is not None and current.id not in seen:
            seen.add(current.id)
            if current.active:
                found[current.id] = current
            current = people.find(current.manager_id) if current.manager_id else None
    return sorted(found.values(), key=lambda p: (p.name, p.id))


def may_see_team(hub: HubContext, who: Viewer | Person | str | None, team: str | None) -> bool:
    """A team's aggregates: the team's own managers (:func:`team_managers`), HR and the
    operator. ``team`` None means every team: HR and the operator only."""
    who = viewer(hub, who)
    if who.sees_everything:
        return True
    if team is None or who.id is None:
        return False
    return any(p.id == who.id for p in team_managers(hub, team))


def require_see_team(hub: HubContext, who: Viewer | Person | str | None, team: str | None) -> None:
    """PermissionDeniedError unless :func:`may_see_team`."""
    who = viewer(hub, who)
    if may_see_team(hub, who, team):
        return
    if team is None:
        raise PermissionDeniedError(
            M_("%(actor)s may not see every team: only HR can", actor=who.actor)
        )
    raise PermissionDeniedError(
        M_(
            "%(actor)s may not see team %(team)s: only the team's own managers and HR can",
            actor=who.actor,
            team=team,
        )
    )


def is_self(hub: HubContext, who: Viewer | Person | str | None, person_id: str) -> bool:
    """Whether the actor is the person ``person_id`` (HR and the operator are not)."""
    return viewer(hub, who).id == person_id


def require_self(
    hub: HubContext, who: Viewer | Person | str | None, person_id: str, doing: str | Message
) -> Person:
    """The acting person, when they are ``person_id``; PermissionDeniedError for anyone
    else, HR and managers included, and a ValidationError asking for ``--as`` when the
    operator tries. ``doing`` (``M_("rating a course")``) names the action in the error."""
    who = viewer(hub, who)
    if who.person is None:
        raise ValidationError(
            M_(
                "%(doing)s is for %(person)s only",
                doing=doing,
                person=person_id,
                hint=f"pass --as {person_id}",
            )
        )
    if who.id != person_id:
        raise PermissionDeniedError(
            M_(
                "%(actor)s may not act for %(person)s: %(doing)s is for %(person)s only",
                actor=who.actor,
                person=person_id,
                doing=doing,
            )
        )
    return who.person


def may_see_private_note(
    hub: HubContext, who: Viewer | Person | str | None, author_id: str | None
) -> bool:
    """A private note: its author, HR and the operator; never by the org chart."""
    who = viewer(hub, who)
    if who.sees_everything:
        return True
    return who.id is not None and who.id == author_id


def may_see_conversation(
    hub: HubContext, who: Viewer | Person | str | None, parties: Iterable[str]
) -> bool:
    """A conversation between ``parties`` (a 1:1 check-in's agenda and notes): those
    people only. HR and the operator are refused, and the org chart opens nothing."""
    who = viewer(hub, who)
    return who.id is not None and who.id in set(parties)


def in_report(hub: HubContext, report: Report, person_id: str) -> bool:
    """Whether a row about ``person_id`` may appear in ``report``: always, unless the report
    is rendered for a viewer (``report.viewer``) who may not see that person. A section
    shows such rows with this; its aggregates still count the whole team."""
    return report.viewer is None or may_see_person(hub, report.viewer, person_id)
