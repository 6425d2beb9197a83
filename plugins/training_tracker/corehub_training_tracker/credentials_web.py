"""Web pages for KCS licences and coaching (module-level views on the tracker's blueprint): the person sees their level, what the next one
needs and their coaching log; their managers, their coaches and HR see the same, and a
coach logs a session and signs off a level there (only a coach of the person, once every
other criterion is met: the library decides)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from flask import flash, redirect, render_template, request, url_for

from corehub import access
from corehub.errors import NotFoundError, PermissionDeniedError, ValidationError
from corehub.i18n import Translator, active
from corehub.messages import M_
from corehub.web import (
    FormErrors,
    current_hub,
    current_person,
    gettext,
    ngettext,
    signed_in,
    write,
)
from corehub_training_tracker.blueprint import bp

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
        "coachees": [
            {
                "person": p,
                "ready": service.standing(p, credential, locale).ready_for_sign_off,
            }
            for p in service.coachees_of(me.id)
        ],
        "note_limit": NOTE_LIMIT,
    }


NOTE_LIMIT = 2000


def _show(
    person_id: str,
    errors: FormErrors | None = None,
    status: int = 200,
    values: dict[str, str] | None = None,
) -> Any:
    """The licence page; after a coaching session that was refused, its ``errors`` and
    the ``values`` typed."""
    hub = current_hub()
    person = hub.people.find(person_id)
    if person is None:
        raise NotFoundError(M_("There is no person with id %(id)s.", id=repr(person_id)))
    context = page_context(hub, person, current_person(), active())
    return render_template(
        "corehub_training_tracker/web/credentials.html",
        **context,
        form_errors=errors or FormErrors(),
        values=values or {},
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
    values = {k: request.form.get(k, "") for k in ("day", "notes", "next_steps")}
    try:
        day = dt.date.fromisoformat(values["day"] or hub.clock.today().isoformat())
    except ValueError:
        problems = FormErrors().add("coaching-day", gettext("Give the date as YYYY-MM-DD."))
        return _show(person_id, problems, 400, values)
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
        problems = FormErrors().add_error(exc, {"a coaching session needs notes": "coaching-notes"})
        return _show(person_id, problems, 400, values)
    return redirect(url_for(".kcs_person", person_id=person_id))


@bp.post("/kcs/<person_id>/sign-off")
@signed_in
def kcs_sign_off(person_id: str) -> Any:
    """A coach of the person grants the next level (the library refuses anyone else, and a
    level whose other criteria are not all met)."""
    from corehub_training_tracker.credentials import Credentials
    from corehub_training_tracker.training import Training

    hub = current_hub()
    me = current_person()
    person = hub.people.find(person_id)
    if person is None:
        raise NotFoundError(M_("There is no person with id %(id)s.", id=repr(person_id)))
    level = request.form.get("level", "")
    note = request.form.get("note", "")
    values = {"sign_off_note": note}
    if len(note) > NOTE_LIMIT:
        errors = FormErrors().add(
            "sign-off-note",
            ngettext("at most %(num)s character", "at most %(num)s characters", NOTE_LIMIT),
            label=gettext("Note (optional)").split(" (")[0],
        )
        return _show(person_id, errors, 400, values)
    service = Credentials(Training(hub))
    try:
        with write(hub):
            state = service.sign_off(person.id, level, note=note.strip(), coach_id=me.id)
    except ValidationError as exc:
        return _show(person_id, FormErrors().add_error(exc), 400, values)
    flash(
        gettext(
            "%(name)s holds %(level)s since %(day)s.",
            name=person.name,
            level=service.credential(None).level(state.level).title.get(active().locale),
            day=active().date(state.earned_on, "message"),
        ),
        "success",
    )
    return redirect(url_for(".kcs_person", person_id=person.id))
