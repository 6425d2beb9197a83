"""Web pages for KCS licences and coaching (module-level views on the tracker's blueprint): the person sees their level, what the next one
needs and their coaching log; their managers, their coaches and HR see the same, and a
coach logs a session there."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from flask import redirect, render_template, request, url_for

from corehub import access
from corehub.errors import NotFoundError, PermissionDeniedError, ValidationError
from corehub.i18n import Translator, active
from corehub.messages import M_
from corehub.web import current_hub, current_person, error_text, gettext, signed_in, write
from corehub_training_tracker.web import bp

if TYPE_CHECKING:
    from corehub import Hub
    from corehub.models import Person


def may_see(hub: Hub, service: Any, person: Person) -> bool:
    """The person, their managers, HR, and their coaches."""
    who = access.viewer(hub)
    return access.may_see_person(hub, who, person.id) or who.actor in service.coaches_of(person)


def page_context(hub: Hub, person: Person, me: Person, t: Translator) -> dict[str, Any]:
    from corehub_training_tracker.credentials import Credentials
    from corehub_training_tracker.credentials_report import still_needed
    from corehub_training_tracker.training import Training

    service = Credentials(Training(hub))
    if not may_see(hub, service, person):
        raise PermissionDeniedError(
            M_("A person's KCS licence and coaching are for them, their coaches, managers and HR.")
        )
    locale = t.locale
    credential = service.credential(None)
    standing = service.standing(person, credential, locale)
    sessions = service.sessions(person.id, viewer=me.id)
    named = {*standing.coaches, *(s["coach_id"] for s in sessions)}
    names = {p.id: p.name for p in map(hub.people.find, sorted(named)) if p is not None}
    return {
        "subject": person,
        "is_me": person.id == me.id,
        "credential": credential.title.get(locale),
        "standing": standing,
        "needs": still_needed(service, standing, t),
        "coaches": [names.get(c, c) for c in standing.coaches],
        "is_coach": me.id in standing.coaches,
        "sessions": [{**s, "coach": names.get(s["coach_id"], s["coach_id"])} for s in sessions],
        "coachees": [p for p in service.coachees_of(me.id)],
    }


def _show(person_id: str, error: str = "", status: int = 200) -> Any:
    hub = current_hub()
    person = hub.people.find(person_id)
    if person is None:
        raise NotFoundError(M_("There is no person with id %(id)s.", id=repr(person_id)))
    context = page_context(hub, person, current_person(), active())
    return render_template(
        "corehub_training_tracker/web/credentials.html", **context, error=error
    ), status


@bp.get("/kcs")
@signed_in
def kcs_mine() -> Any:
    return _show(current_person().id)


@bp.get("/kcs/<person_id>")
@signed_in
def kcs_person(person_id: str) -> Any:
    return _show(person_id)


@bp.post("/kcs/<person_id>/coaching")
@signed_in
def kcs_log(person_id: str) -> Any:
    from corehub_training_tracker.credentials import Credentials
    from corehub_training_tracker.training import Training

    hub = current_hub()
    try:
        day = dt.date.fromisoformat(request.form.get("day") or hub.clock.today().isoformat())
    except ValueError:
        return _show(person_id, error=gettext("Give the date as YYYY-MM-DD."), status=400)
    try:
        with write(hub):
            Credentials(Training(hub)).log_session(
                person_id,
                day=day,
                notes=request.form.get("notes", ""),
                next_steps=request.form.get("next_steps", ""),
                coach_id=current_person().id,
            )
    except ValidationError as exc:
        return _show(person_id, error=error_text(exc), status=400)
    return redirect(url_for(".kcs_person", person_id=person_id))
