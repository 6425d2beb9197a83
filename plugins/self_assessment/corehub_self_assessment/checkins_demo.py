"""Check-ins and new-hire reviews for ``corehub demo``.

The demo workspace turns both on in its corehub.toml (a check-in every 14 days, every 21
in Stockholm; new-hire reviews at 30, 60 and 90 days). Then:

- each supervisor meets some of their agents through the second half of the year, with
  an agenda, notes and action items (some done, some open, one linked to a goal); one
  pair is late by the cadence, one check-in is planned after the demo day;
- the new hires got their new-hire reviews when they were hired: Daniela (Madrid) and
  Nikolaj (København) have their 30-day review done and the 60-day one due; Hugo
  (Stockholm) has filled in his part of the 30-day review, his manager has not yet.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from corehub.errors import NotFoundError
from corehub.models import ReviewKind
from corehub_self_assessment import checkins, newhire
from corehub_self_assessment.checkins_storage import AGENDA

if TYPE_CHECKING:
    from corehub import Hub
    from corehub.models import Cycle

SETTINGS: dict[str, dict[str, Any]] = {
    "checkins": {"cadence_days": 14, "teams": {"Stockholm": 21}},
    "new_hire": {"days": [30, 60, 90]},
}
TOML = """
[settings.checkins]
cadence_days = 14            # a 1:1 check-in every two weeks...
teams = { Stockholm = 21 }   # ...every three weeks in Stockholm

[settings.new_hire]
days = [30, 60, 90]          # short new-hire reviews after the hire date
"""

# (manager, person, [days of the check-ins]) ; texts in the team's language
PAIRS: list[tuple[str, str, list[str]]] = [
    (
        "sup-mad",
        "mad-01",
        [
            "2026-09-08",
            "2026-09-22",
            "2026-10-06",
            "2026-10-20",
            "2026-11-03",
            "2026-11-17",
            "2026-12-01",
            "2026-12-14",
        ],
    ),
    ("sup-mad", "mad-03", ["2026-09-15", "2026-10-13", "2026-11-10", "2026-11-24"]),
    ("sup-cph", "cph-04", ["2026-09-03", "2026-09-17", "2026-10-01", "2026-11-12"]),
    ("sup-sto", "sto-02", ["2026-09-10", "2026-10-01", "2026-10-22", "2026-11-12", "2026-12-03"]),
]
TEXTS: dict[str, dict[str, list[Any]]] = {
    "es": {
        "agenda": [
            "Carga de la cola de correo esta semana",
            "Cambio de turno del viernes",
            "Avances con el curso de gestión de reclamaciones",
            "Ideas para las macros de restablecimiento de contraseña",
        ],
        "notes": [
            "Semana dura por el pico de incidencias de la VPN; lo ha llevado bien.",
            "Quiere asumir más incidencias de nivel 2; lo revisamos en la próxima.",
        ],
        "actions": [
            ("Revisar diez incidencias cerradas a la semana con la guía de calidad", "person"),
            ("Reservar plaza en el curso de gestión de reclamaciones", "manager"),
            ("Redactar el artículo sobre la VPN para la base de conocimiento", "person"),
        ],
    },
    "da": {
        "agenda": [
            "Belastningen i telefonkøen",
            "Vagtbytte i uge 46",
            "Status på kurset i klagebehandling",
        ],
        "notes": [
            "Travl periode med mange henvendelser om Outlook; klarede det roligt.",
            "Vil gerne være mentor for den nye kollega.",
        ],
        "actions": [
            ("Gennemgå ti lukkede sager om ugen efter kvalitetsguiden", "person"),
            ("Aftale mentorordning for den nye kollega", "manager"),
        ],
    },
    "sv": {
        "agenda": [
            "Belastningen i chattkön",
            "Schemat över jul och nyår",
            "Hur det går med KCS-utbildningen",
        ],
        "notes": [
            "Bra period; vill gärna ta fler ärenden på nivå 2.",
            "Behöver mer tid för kunskapsartiklar; vi ser över schemat.",
        ],
        "actions": [
            ("Skriva kunskapsartikeln om lösenordsåterställning", "person"),
            ("Boka en timme i veckan för kunskapsartiklar i schemat", "manager"),
        ],
    },
}
TEAM_LANGUAGE = {"Madrid": "es", "København": "da", "Stockholm": "sv"}

NEW_HIRE_SELF = {
    "es": {
        "going_well": "El equipo me ayuda mucho y ya resuelvo sola las incidencias de contraseñas.",
        "support_needed": "Más práctica con la nueva plataforma de telefonía.",
    },
    "da": {
        "going_well": "Teamet er hjælpsomt, og jeg klarer selv de fleste sager om adgangskoder.",
        "support_needed": "Mere træning i det nye telefonsystem.",
    },
    "sv": {
        "going_well": "Teamet är hjälpsamt och jag löser de flesta lösenordsärenden själv.",
        "support_needed": "Mer övning i det nya telefonisystemet.",
    },
}
NEW_HIRE_MANAGER = {
    "es": "Pasar a la cola de teléfono dos tardes por semana; acompañamiento con Lucía.",
    "da": "Tage telefonkøen to eftermiddage om ugen; sidemandsoplæring med Mads.",
    "sv": "Ta telefonkön två eftermiddagar i veckan; medlyssning med Erik.",
}


def enable(hub: Hub) -> None:
    """Turn check-ins and new-hire reviews on in the demo workspace's corehub.toml."""
    path = hub.config_path
    text = path.read_text(encoding="utf-8")
    if "[settings.checkins]" not in text and "[settings.new_hire]" not in text:
        tmp = path.with_suffix(".toml.part")
        tmp.write_text(text.rstrip("\n") + "\n" + TOML, encoding="utf-8")
        tmp.replace(path)
    for name, values in SETTINGS.items():
        hub.apply_settings(name, values)  # this Hub uses the demo's values from now on


def prepare(hub: Hub, cycle: Cycle) -> None:
    enable(hub)
    today = hub.clock.today()
    goals = _goal_of(hub, cycle)
    for manager_id, person_id, days in PAIRS:
        person = hub.people.find(person_id)
        if person is None or hub.people.find(manager_id) is None:
            continue
        words = TEXTS[TEAM_LANGUAGE.get(person.team, "es")]
        for n, day in enumerate(days):
            when = dt.date.fromisoformat(day)
            agenda = [words["agenda"][(n + i) % len(words["agenda"])] for i in range(2)]
            checkin = checkins.create(
                hub, person_id, when, agenda_items=agenda[:1], actor=manager_id
            )
            if when > today:
                continue
            # the report's own item, added before the day (the demo writes it afterwards)
            checkins.insert_entry(
                hub, AGENDA, checkin, person_id, agenda[1], "checkin.agenda_added"
            )
            checkins.add_note(
                hub, checkin.id, words["notes"][n % len(words["notes"])], actor=manager_id
            )
            text, owner = words["actions"][n % len(words["actions"])]
            owner_id = person_id if owner == "person" else manager_id
            goal = goals.get(person_id) if n == 0 else None
            action_id = checkins.add_action(
                hub,
                checkin.id,
                text,
                owner=owner_id,
                due=when + dt.timedelta(days=10),
                goal=goal,
                actor=manager_id,
            )
            # everything but the latest action of each pair is done
            if n < len([d for d in days if dt.date.fromisoformat(d) <= today]) - 1:
                checkins.set_done(hub, action_id, actor=owner_id)
    _new_hires(hub)


def _goal_of(hub: Hub, cycle: Cycle) -> dict[str, str]:
    """A goal of each demo person, from their submitted self-assessment, to link an action to."""
    from corehub_self_assessment import reviews

    found = {}
    for _manager, person_id, _days in PAIRS:
        try:
            stored = reviews.find(hub, cycle, person_id, ReviewKind.SELF)
        except NotFoundError:
            continue
        goals = stored.review.answers.get("goals_next") or []
        if goals and stored.review.status.value != "draft":
            found[person_id] = str(goals[0].get("objective") or "") or None
    return {k: v for k, v in found.items() if v}


def _new_hires(hub: Hub) -> None:
    """New-hire reviews of the people hired in the second half of the year, created as the
    rule would have when they were hired; the 30-day ones filled in."""
    today = hub.clock.today()
    hired = [
        p for p in hub.people.list() if p.hire_date and p.hire_date >= today - dt.timedelta(days=90)
    ]
    for person in hired:
        assert person.hire_date is not None
        newhire.sync(hub, [person], today=person.hire_date)
        language = TEAM_LANGUAGE.get(person.team, "es")
        first = newhire.settings_of(hub).days[0]
        if person.hire_date + dt.timedelta(days=first) > today:
            continue
        _fill(hub, person.id, first, ReviewKind.SELF, NEW_HIRE_SELF[language], person.id)
        if person.team == "Stockholm":
            continue  # the manager's part is still open on the demo day
        review = newhire.find(hub, person.id, first, ReviewKind.MANAGER)
        answers: dict[str, Any] = {
            "tools_and_procedures": 2,
            "serving_customers": 3,
            "teamwork": 2,
            "next_steps": NEW_HIRE_MANAGER[language],
        }
        _fill(hub, person.id, first, ReviewKind.MANAGER, answers, review.author_id)


def _fill(
    hub: Hub, person_id: str, day: int, kind: ReviewKind, answers: dict[str, Any], actor: str
) -> None:
    newhire.save(hub, person_id, day, kind, answers, submit=True, actor=actor)
