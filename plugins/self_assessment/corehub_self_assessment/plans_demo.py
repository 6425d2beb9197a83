"""Development plans in the demo: actions agreed with the manager and done over the year,
some before the demo cycle's period (not counted in its packets), some in it, and some
still open; a few goals added to the plan and reached. Written in each author's language."""

from __future__ import annotations

import contextlib
import datetime as dt
import random
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from corehub.demo import DemoWriting
from corehub_self_assessment import plans

if TYPE_CHECKING:
    from corehub import Hub
    from corehub.models import Cycle

ACTIONS = {  # what a person agrees to do (the person owns it)
    "en": [
        "Shadow a senior agent on billing calls for two afternoons",
        "Rewrite the three password-reset macros in plain language",
        "Take over the weekly review of the printer queue",
        "Write a knowledge article on the VPN error 809 workaround",
        "Practise the de-escalation script with a colleague",
    ],
    "es": [
        "Acompañar a un agente sénior en las llamadas de facturación dos tardes",
        "Reescribir en lenguaje claro las tres macros de restablecimiento de contraseña",
        "Encargarte de la revisión semanal de la cola de impresoras",
        "Escribir un artículo de conocimiento sobre la solución al error 809 de la VPN",
        "Practicar el guion de desescalada con una compañera",
    ],
    "da": [
        "Følge en erfaren kollega på faktureringsopkald to eftermiddage",
        "Omskrive de tre makroer til nulstilling af adgangskoder i klart sprog",
        "Overtage den ugentlige gennemgang af printerkøen",
        "Skrive en vidensartikel om løsningen på VPN-fejl 809",
        "Øve nedtrapningsmanuskriptet med en kollega",
    ],
    "sv": [
        "Följa en erfaren kollega på faktureringssamtal två eftermiddagar",
        "Skriva om de tre makrona för lösenordsåterställning på klarspråk",
        "Ta över den veckovisa genomgången av skrivarkön",
        "Skriva en kunskapsartikel om lösningen på VPN-fel 809",
        "Öva nedtrappningsmanuset med en kollega",
    ],
}
MANAGER_ACTIONS = {  # what the manager agrees to do for the person (the manager owns it)
    "en": [
        "Book a seat on the next CRM certification",
        "Arrange two hours a week away from the queue for knowledge articles",
        "Ask the billing team for a walkthrough of the new refund rules",
    ],
    "es": [
        "Reservarte plaza en la próxima certificación del CRM",
        "Organizarte dos horas semanales fuera de la cola para artículos de conocimiento",
        "Pedir al equipo de facturación una sesión sobre las nuevas normas de reembolso",
    ],
    "da": [
        "Booke en plads på næste CRM-certificering",
        "Skaffe to timer om ugen uden for køen til vidensartikler",
        "Bede faktureringsteamet om en gennemgang af de nye refusionsregler",
    ],
    "sv": [
        "Boka en plats på nästa CRM-certifiering",
        "Ordna två timmar i veckan utanför kön för kunskapsartiklar",
        "Be faktureringsteamet om en genomgång av de nya återbetalningsreglerna",
    ],
}
PLAN_GOALS = {  # (objective, measurable result)
    "en": [("Handle refund requests without escalating", "No more than 1 in 10 refunds escalated")],
    "es": [
        (
            "Resolver solicitudes de reembolso sin escalarlas",
            "Como mucho 1 de cada 10 reembolsos escalado",
        )
    ],
    "da": [
        ("Håndtere refusionsanmodninger uden at eskalere", "Højst 1 ud af 10 refusioner eskaleret")
    ],
    "sv": [
        (
            "Hantera återbetalningsärenden utan att eskalera",
            "Högst 1 av 10 återbetalningar eskalerad",
        )
    ],
}
OUTCOMES = {
    "en": ["Reached in October: 1 in 14 escalated"],
    "es": ["Conseguido en octubre: 1 de cada 14 escalado"],
    "da": ["Nået i oktober: 1 ud af 14 eskaleret"],
    "sv": ["Uppnått i oktober: 1 av 14 eskalerad"],
}


@contextlib.contextmanager
def on_day(hub: Hub, day: dt.date) -> Iterator[None]:
    """Play part of the demo on an earlier ``day`` (the demo runs on a settable clock)."""
    clock: Any = hub.clock
    now = clock.now()
    clock.set(dt.datetime.combine(day, now.timetz()))
    try:
        yield
    finally:
        clock.set(now)


def fill_plans(hub: Hub, cycle: Cycle) -> None:
    """Plans for everyone in the cycle who has a manager (new hires start theirs later)."""
    rng = random.Random("self_assessment plans")
    words = DemoWriting(hub, "self_assessment plans")
    before = cycle.start - dt.timedelta(days=150)
    with hub.atomic():
        for person in sorted(hub.cycles.members(cycle), key=lambda p: p.id):
            if not person.manager_id or (person.hire_date and person.hire_date > before):
                continue
            mine, theirs = person.id, person.manager_id
            # agreed in the spring, done before this cycle's period: not counted in it
            with on_day(hub, before):
                early = plans.add_action(hub, mine, words.pick(ACTIONS, mine, mine), actor=mine)
            with on_day(hub, cycle.start - dt.timedelta(days=40)):
                plans.action_done(hub, early["id"], actor=mine)
            # agreed at the start of the period, done in it
            agreed = cycle.start + dt.timedelta(days=rng.randint(5, 20))
            with on_day(hub, agreed):
                done = plans.add_action(
                    hub,
                    mine,
                    words.pick(ACTIONS, mine, mine),
                    due=agreed + dt.timedelta(days=60),
                    actor=theirs,
                )
                support = plans.add_action(
                    hub,
                    mine,
                    words.pick(MANAGER_ACTIONS, theirs, mine),
                    owner=theirs,
                    due=cycle.end + dt.timedelta(days=rng.choice([-60, 45, 60])),
                    actor=theirs,
                )
            finished = agreed + dt.timedelta(days=rng.randint(20, 90))
            if rng.random() < 0.8:
                with on_day(hub, finished):
                    plans.action_done(hub, done["id"], actor=mine)
            if rng.random() < 0.3:
                with on_day(hub, finished + dt.timedelta(days=10)):
                    plans.action_done(hub, support["id"], actor=theirs)
            if rng.random() < 0.35:
                objective, result = words.pick(PLAN_GOALS, mine, mine)
                with on_day(hub, agreed):
                    goal = plans.add_goal(
                        hub, mine, objective, result=result, due=cycle.end, actor=mine
                    )
                if rng.random() < 0.6:
                    with on_day(hub, cycle.start + dt.timedelta(days=110)):
                        plans.goal_achieved(
                            hub,
                            goal["id"],
                            outcome=words.pick(OUTCOMES, theirs, mine),
                            actor=theirs,
                        )
