"""KCS licences for ``corehub demo``: each team's supervisor coaches the team (and a senior
agent coaches a newer colleague), agents hold each level on their evidence, one
promotion waits for a coach's sign-off, and coaches have logged sessions. Everything
goes through the library, so sign-offs obey the same rules as real ones."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from corehub.models import Level

if TYPE_CHECKING:
    from corehub import Hub

SESSIONS = {
    "es": (
        "Revisamos dos artículos: el título ya va en palabras del cliente.",
        "Añadir el entorno (versión del cliente VPN) antes de publicar.",
    ),
    "da": (
        "Vi gennemgik to artikler: titlerne bruger nu kundens egne ord.",
        "Tilføj miljøet (VPN-klientens version), før du publicerer.",
    ),
    "sv": (
        "Vi gick igenom två artiklar: rubrikerna använder nu kundens egna ord.",
        "Lägg till miljön (VPN-klientens version) innan du publicerar.",
    ),
}


def prepare(hub: Hub) -> None:
    from corehub_training_tracker.credentials import Credentials
    from corehub_training_tracker.training import Training

    training = Training(hub)
    service = Credentials(training)
    if "kcs" not in service.all:
        return
    kcs = service.credential("kcs")
    today = training.today
    leads = {p.team: p for p in hub.people.list() if p.level is Level.SUPERVISORY}
    for team, lead in sorted(leads.items()):
        if team:
            service.assign_coach(lead.id, team=team)
    agents = [p for p in hub.people.list() if p.level is Level.OPERATIONAL]
    seniors = {p.team: p for p in agents if p.role.startswith("Senior")}
    newest = sorted((p for p in agents if p.team in seniors), key=lambda p: p.hire_date or today)
    if newest:
        service.assign_coach(seniors[newest[-1].team].id, person_ids=[newest[-1].id])
    pending_left = 1
    for index, person in enumerate(agents):
        if person.hire_date and person.hire_date.year == 2026:
            continue
        if index % 6 == 5:
            continue  # a few have not started the KCS path
        if any(training.open_assignment(person.id, c) for c in ("clear-writing", "kcs-basics")):
            continue  # still taking the course: the training demo shows them in progress
        earned = dt.date(2026, 6, 1) + dt.timedelta(days=index * 3)
        for course in ("clear-writing", "kcs-basics"):
            if not training.holds(person.id, course, on=earned):
                training.complete(
                    person.id,
                    course,
                    earned - dt.timedelta(days=14),
                    score=float(75 + index % 25),
                    source="demo",
                )
        if person.role.startswith("Senior") and not training.holds(person.id, "product-update"):
            training.complete(
                person.id, "product-update", dt.date(2026, 10, 5), score=92.0, source="demo"
            )
        coach = leads[person.team].id
        Credentials(Training(hub, as_of=earned)).sign_off(person.id, "candidate", coach_id=coach)
        for level in kcs.levels[1:]:
            state = service.level_state(person, kcs, level, None)
            held = service._held(person.id, kcs.id)
            if not state.ready or (level.requires and level.requires not in held):
                break
            if level.id == "contributor" and pending_left and not person.role.startswith("Senior"):
                pending_left -= 1  # ready, waiting for the coach's sign-off
                break
            service.sign_off(person.id, level.id, coach_id=coach)
    for person in agents[::5]:
        coaches = service.coaches_of(person)
        if not coaches:
            continue
        notes, steps = SESSIONS.get(person.locale or "", SESSIONS["sv"])
        service.log_session(
            person.id,
            day=today - dt.timedelta(days=9),
            notes=notes,
            next_steps=steps,
            coach_id=coaches[0],
        )
