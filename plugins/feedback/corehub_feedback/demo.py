"""Sample feedback for ``corehub demo``: praise, suggestions in every state, CSAT by month,
a pulse survey, peer and upward feedback. Deterministic: the same data on every run."""

from __future__ import annotations

import contextlib
import datetime as dt
import random
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from corehub.demo import DemoWriting
from corehub.models import Level
from corehub_feedback import peers, store, suggestions
from corehub_feedback.csat import _store

if TYPE_CHECKING:
    from corehub import Hub
    from corehub.models import Cycle

# What people wrote, in each writer's language (corehub.demo.DemoWriting picks from these).
PRAISE = {  # (text, competency tag): a colleague thanks the recipient
    "en": [
        ("Stayed calm with a furious caller and turned the call around.", "complaint_handling"),
        ("Wrote the VPN troubleshooting article everyone now uses.", "knowledge_sharing"),
        ("Covered my shift at short notice; thank you!", "teamwork"),
        ("Listened first, then solved it in one call. Textbook.", "active_listening"),
        ("Explained the new ticket workflow to the new hires so clearly.", "coaching"),
        ("Found the root cause of the printer outage on the third floor.", "problem_solving"),
        ("Knew the answers on the new portal when nobody else did. Thanks!", "product_knowledge"),
        ("Kept the whole team calm on the day email was down.", "stress_handling"),
    ],
    "es": [
        (
            "Mantuviste la calma con un cliente furioso y le diste la vuelta a la llamada.",
            "complaint_handling",
        ),
        ("Tu artículo sobre la VPN es el que usamos ya todos.", "knowledge_sharing"),
        ("Me cubriste el turno casi sin aviso. ¡Mil gracias!", "teamwork"),
        (
            "Primero escuchaste y luego lo resolviste en una sola llamada. De manual.",
            "active_listening",
        ),
        ("Qué bien les explicaste a los nuevos el flujo de incidencias.", "coaching"),
        (
            "Diste con la causa de la caída de las impresoras de la tercera planta.",
            "problem_solving",
        ),
        (
            "Eras la única persona que sabía responder sobre el nuevo portal. ¡Gracias por echarme un cable!",
            "product_knowledge",
        ),
        (
            "El día que se cayó el correo conseguiste que todo el equipo mantuviera la calma.",
            "stress_handling",
        ),
    ],
    "da": [
        (
            "Du holdt hovedet koldt med en rasende kunde og fik vendt samtalen.",
            "complaint_handling",
        ),
        ("Din VPN-guide er den, vi alle bruger nu.", "knowledge_sharing"),
        ("Tak, fordi du tog min vagt med så kort varsel!", "teamwork"),
        ("Du lyttede først og løste det så i ét opkald. Lige efter bogen.", "active_listening"),
        ("Du forklarede det nye sagsflow for de nye kolleger så klart.", "coaching"),
        ("Du fandt årsagen til printernedbruddet på tredje sal.", "problem_solving"),
        (
            "Du kunne svare på alt om den nye portal, da ingen andre kunne. Tak for hjælpen!",
            "product_knowledge",
        ),
        ("Du fik hele teamet til at bevare roen den dag, mailen var nede.", "stress_handling"),
    ],
    "sv": [
        (
            "Du höll huvudet kallt med en rasande kund och lyckades vända samtalet.",
            "complaint_handling",
        ),
        ("Din VPN-guide är den vi alla använder nu.", "knowledge_sharing"),
        ("Tack för att du tog mitt pass med så kort varsel!", "teamwork"),
        (
            "Du lyssnade först och löste det sedan på ett enda samtal. Helt enligt boken.",
            "active_listening",
        ),
        ("Du förklarade det nya ärendeflödet för de nyanställda så tydligt.", "coaching"),
        ("Du hittade orsaken till skrivarstoppet på tredje våningen.", "problem_solving"),
        (
            "Du hade svaren om den nya portalen när ingen annan hade det. Tack för hjälpen!",
            "product_knowledge",
        ),
        ("Du fick hela teamet att behålla lugnet när mejlen låg nere.", "stress_handling"),
    ],
}
SUGGESTION_STEPS = [
    ["under_review", "accepted", "implemented"],
    ["under_review", "accepted"],
    ["under_review", "declined"],
    ["under_review"],
    [],
]
"""The statuses each suggestion goes through; its text and answers are in SUGGESTIONS."""
SUGGESTIONS = {  # (suggestion by its author, the reviewer's answer at each step)
    "en": [
        (
            "A shared macro for refund requests would save minutes per ticket.",
            [
                "We are collecting the variants now.",
                "Accepted: refunds are 12% of our volume.",
                "Live since November; handling time down by two minutes.",
            ],
        ),
        (
            "Rotate the late shift fairly between the three offices.",
            [
                "Checking the coverage numbers per office.",
                "Accepted from January: the schedule will rotate monthly.",
            ],
        ),
        (
            "Give every agent a second monitor.",
            [
                "Asking facilities about budget.",
                "Declined for now: the 2026 budget is spent; we will revisit it in the 2027 plan.",
            ],
        ),
        ("A quiet room for difficult calls.", ["Looking at which rooms are free."]),
        ("Translate the knowledge base into Danish and Swedish.", []),
    ],
    "es": [
        (
            "Una macro común para las solicitudes de reembolso nos ahorraría minutos en cada incidencia.",
            [
                "Estamos recopilando las distintas variantes.",
                "Aceptada: los reembolsos son el 12 % de nuestro volumen.",
                "En marcha desde noviembre; el tiempo de gestión ha bajado dos minutos.",
            ],
        ),
        (
            "Repartir el turno de tarde de forma equitativa entre las tres oficinas.",
            [
                "Revisando la cobertura de cada oficina.",
                "Aceptada a partir de enero: el cuadrante rotará cada mes.",
            ],
        ),
        (
            "Un segundo monitor para cada agente.",
            [
                "Consultando el presupuesto con servicios generales.",
                "Rechazada por ahora: el presupuesto de 2026 está agotado; lo retomaremos en el plan de 2027.",
            ],
        ),
        ("Una sala tranquila para las llamadas difíciles.", ["Mirando qué salas quedan libres."]),
        ("Traducir la base de conocimiento al danés y al sueco.", []),
    ],
    "da": [
        (
            "En fælles makro til refusionsanmodninger ville spare minutter på hver sag.",
            [
                "Vi samler varianterne nu.",
                "Godkendt: refusioner udgør 12 % af vores henvendelser.",
                "I drift siden november; behandlingstiden er faldet med to minutter.",
            ],
        ),
        (
            "Fordel aftenvagten retfærdigt mellem de tre kontorer.",
            [
                "Vi kigger på bemandingen på hvert kontor.",
                "Godkendt fra januar: vagtplanen roterer hver måned.",
            ],
        ),
        (
            "Giv alle i supporten en ekstra skærm.",
            [
                "Vi spørger facility om budgettet.",
                "Afvist indtil videre: budgettet for 2026 er brugt; vi tager det op igen i planen for 2027.",
            ],
        ),
        ("Et stillerum til svære opkald.", ["Vi undersøger, hvilke lokaler der er ledige."]),
        ("Oversæt vidensbasen til dansk og svensk.", []),
    ],
    "sv": [
        (
            "Ett gemensamt makro för återbetalningsärenden skulle spara några minuter per ärende.",
            [
                "Vi samlar in varianterna nu.",
                "Godkänt: återbetalningar är 12 % av vår volym.",
                "I drift sedan november; hanteringstiden har minskat med två minuter.",
            ],
        ),
        (
            "Fördela kvällspasset rättvist mellan de tre kontoren.",
            [
                "Vi går igenom bemanningen per kontor.",
                "Godkänt från januari: schemat roterar varje månad.",
            ],
        ),
        (
            "Ge alla i supporten en extra skärm.",
            [
                "Vi frågar fastighetsavdelningen om budget.",
                "Avslaget tills vidare: budgeten för 2026 är förbrukad; vi tar upp det igen i planen för 2027.",
            ],
        ),
        ("Ett tyst rum för svåra samtal.", ["Vi tittar på vilka rum som är lediga."]),
        ("Översätt kunskapsdatabasen till danska och svenska.", []),
    ],
}
KEEP = {  # a peer's "keep doing"
    "en": [
        "Always shares what they learn",
        "Patient with difficult customers",
        "Clear ticket notes",
        "Helps new colleagues",
        "Keeps calm under pressure",
        "Follows up without being asked",
        "Knows where to find the answer",
        "Good humour on the busy days",
        "Not afraid to ask for help",
        "Takes the hard calls without complaining",
    ],
    "es": [
        "Siempre comparte lo que aprende",
        "Mucha paciencia con los clientes difíciles",
        "Notas de incidencia claras",
        "Echa una mano a los nuevos",
        "Mantiene la calma bajo presión",
        "Hace el seguimiento sin que nadie se lo pida",
        "Sabe dónde buscar la respuesta",
        "Buen humor en los días de locura",
        "No le da apuro pedir ayuda",
        "Coge las llamadas difíciles sin quejarse",
    ],
    "da": [
        "Deler altid ud af sin viden",
        "Tålmodig med besværlige kunder",
        "Klare sagsnoter",
        "Hjælper nye kolleger i gang",
        "Bevarer roen under pres",
        "Følger op uden at blive bedt om det",
        "Ved, hvor svaret skal findes",
        "Godt humør på de travle dage",
        "Ikke bange for at bede om hjælp",
        "Tager de svære opkald uden at brokke sig",
    ],
    "sv": [
        "Delar alltid med sig av det som är nytt",
        "Tålamod med besvärliga kunder",
        "Tydliga ärendeanteckningar",
        "Hjälper nya kollegor till rätta",
        "Behåller lugnet under press",
        "Följer upp utan att någon behöver be om det",
        "Vet var svaret finns",
        "Gott humör de stressiga dagarna",
        "Inte rädd för att be om hjälp",
        "Tar de svåra samtalen utan att klaga",
    ],
}
IMPROVE = {  # a peer's "improve"
    "en": [
        "Escalate earlier when stuck",
        "Close tickets with a summary",
        "Take breaks on busy days",
        "Write up fixes as articles",
        "Speak up more in team meetings",
        "Shorter replies to customers",
        "Update the ticket status as you go",
        "Say so before taking over a colleague's ticket",
        "Double-check the customer's details",
        "Take a fair share of the chat queue",
    ],
    "es": [
        "Escalar antes cuando algo se atasca",
        "Cerrar las incidencias con un resumen",
        "Hacer pausas los días de más carga",
        "Convertir las soluciones en artículos",
        "Participar más en las reuniones de equipo",
        "Respuestas más cortas a los clientes",
        "Actualizar el estado de la incidencia sobre la marcha",
        "Avisar antes de coger la incidencia de otro",
        "Comprobar bien los datos del cliente",
        "Repartir mejor la cola del chat",
    ],
    "da": [
        "Eskalere tidligere, når det går i stå",
        "Lukke sager med en kort opsummering",
        "Holde pauser på de travle dage",
        "Skrive løsninger op som artikler",
        "Sige mere på teammøderne",
        "Kortere svar til kunderne",
        "Opdatere sagsstatus løbende",
        "Sige til, før en kollegas sag overtages",
        "Dobbelttjekke kundens oplysninger",
        "Tage sin del af chatkøen",
    ],
    "sv": [
        "Eskalera tidigare när det tar stopp",
        "Avsluta ärenden med en kort sammanfattning",
        "Ta pauser de stressiga dagarna",
        "Skriva ihop lösningar till artiklar",
        "Ta mer plats på teammötena",
        "Kortare svar till kunderna",
        "Uppdatera ärendestatus löpande",
        "Säga till innan en kollegas ärende tas över",
        "Dubbelkolla kundens uppgifter",
        "Ta sin del av chattkön",
    ],
}
UPWARD = {  # an anonymous word to one's manager
    "en": [
        "Clear priorities",
        "More 1:1 time, please",
        "Backs us up with customers",
        "Explains the why behind changes",
        "Quick to unblock a stuck escalation",
        "Fair with the shift schedule",
        "Could share decisions earlier",
        "Listens and follows through",
        "Shields us from last-minute tasks",
        "More feedback between reviews, please",
    ],
    "es": [
        "Prioridades claras",
        "Más tiempo para las reuniones individuales, por favor",
        "Nos respalda delante de los clientes",
        "Explica el porqué de los cambios",
        "Desbloquea enseguida las escaladas atascadas",
        "Reparte los turnos con justicia",
        "Podría comunicar las decisiones antes",
        "Escucha y cumple lo que promete",
        "Nos protege de los encargos de última hora",
        "Más feedback entre evaluación y evaluación, por favor",
    ],
    "da": [
        "Klare prioriteter",
        "Mere tid til 1:1-samtaler, tak",
        "Bakker os op over for kunderne",
        "Forklarer, hvorfor vi ændrer tingene",
        "Hurtig til at hjælpe, når en eskalering sidder fast",
        "Fair med vagtplanen",
        "Kunne melde beslutninger ud tidligere",
        "Lytter og følger op",
        "Skærmer os mod opgaver i sidste øjeblik",
        "Mere feedback mellem samtalerne, tak",
    ],
    "sv": [
        "Tydliga prioriteringar",
        "Mer tid för enskilda samtal, tack",
        "Står upp för oss mot kunderna",
        "Förklarar varför vi ändrar saker",
        "Snabb att hjälpa till när en eskalering har fastnat",
        "Rättvis med schemat",
        "Kunde gå ut med beslut tidigare",
        "Lyssnar och följer upp",
        "Skyddar oss från uppgifter i sista minuten",
        "Mer återkoppling mellan samtalen, tack",
    ],
}
CUSTOMER_HAPPY = {  # a customer's comment on a good rating, in the language of the agent's desk
    "en": [
        "Quick and friendly",
        "Solved on the first call",
        "Very patient, thank you",
        "Clear explanation",
        "Fixed in minutes",
    ],
    "es": [
        "Rápido y amable",
        "Resuelto a la primera",
        "Mucha paciencia, gracias",
        "Me lo explicaron muy claro",
        "Solucionado en unos minutos",
    ],
    "da": [
        "Hurtig og venlig",
        "Løst i første opkald",
        "Meget tålmodig, tak",
        "God og klar forklaring",
        "Klaret på få minutter",
    ],
    "sv": [
        "Snabb och trevlig",
        "Löst på första samtalet",
        "Mycket tålmodig, tack",
        "Tydlig förklaring",
        "Fixat på några minuter",
    ],
}
CUSTOMER_UNHAPPY = {
    "en": ["Took too long", "Had to call back twice", "Nobody followed up", "Still not working"],
    "es": [
        "Tardaron demasiado",
        "Tuve que llamar dos veces más",
        "Nadie me volvió a llamar",
        "Sigue sin funcionar",
    ],
    "da": [
        "Det tog alt for lang tid",
        "Måtte ringe op to gange mere",
        "Ingen fulgte op",
        "Virker stadig ikke",
    ],
    "sv": [
        "Det tog alldeles för lång tid",
        "Fick ringa tillbaka två gånger",
        "Ingen återkom",
        "Fungerar fortfarande inte",
    ],
}


def prepare(hub: Hub, cycle: Cycle) -> None:
    """Fill the demo workspace with feedback."""
    rng = random.Random("feedback")
    words = DemoWriting(hub, "feedback words")
    today = hub.clock.today()
    people = hub.people.list()
    agents = [p for p in people if p.level is Level.OPERATIONAL]
    managers = [p for p in people if hub.people.reports(p.id)]
    for agent in agents[::2]:
        giver = rng.choice([p for p in agents if p.team == agent.team and p.id != agent.id])
        # one praise each, so vary it across the team
        text, tag = words.pick(PRAISE, giver.id, about=agent.team)
        store.give(
            hub,
            kind="praise",
            to=agent.id,
            text=text,
            tags=[tag],
            actor=giver.id,
            on=today - dt.timedelta(days=rng.randint(5, 150)),
        )
    reviewer = managers[0]
    for n, steps in enumerate(SUGGESTION_STEPS):
        author = agents[n * 3 % len(agents)]
        text = words.phrases(SUGGESTIONS, author.id)[n][0]
        answers = words.phrases(SUGGESTIONS, reviewer.id)[n][1]
        item = store.give(
            hub,
            kind="suggestion",
            text=text,
            anonymous=n % 2 == 1,
            actor=author.id,
            on=today - dt.timedelta(days=120 - 20 * n),
        )
        for status, answer in zip(steps, answers, strict=True):
            suggestions.respond(hub, item.id, status=status, text=answer, actor=reviewer.id)
    tickets: dict[str, dict[str, object]] = {}
    for agent in agents:
        skill = rng.uniform(3.6, 4.7)
        for month in range(7, 13):
            for _ in range(rng.randint(4, 12)):
                day = dt.date(2026, month, rng.randint(1, 28))
                if day > today:
                    continue
                score = max(1, min(5, round(rng.gauss(skill, 0.9))))
                tickets[f"DEMO-{len(tickets) + 1000}"] = {
                    "recipient_id": agent.id,
                    "rating": float(score),
                    "given_on": day.isoformat(),
                    "text": _customer_comment(words, agent.id, score),
                }
    _store(hub, "demo-csat.csv", tickets)
    for month in (10, 11, 12):
        for person in people:
            if rng.random() < 0.7:
                score = max(0, min(10, round(rng.gauss(7.6, 1.8))))
                day = dt.date(
                    2026, month, min(rng.randint(1, 20), today.day if month == 12 else 28)
                )
                # a survey answer is given on its day (it cannot be dated back)
                with _on_day(hub, day):
                    store.give(hub, kind="pulse", rating=score, actor=person.id)
    for n, agent in enumerate(agents[:12]):
        colleagues = [p.id for p in agents if p.team == agent.team and p.id != agent.id]
        # at least the anonymity threshold (5) is asked, or nothing could ever show;
        # in some teams one of them does not answer, and those results stay hidden
        if len(colleagues) < 5:
            continue
        chosen = rng.sample(colleagues, min(len(colleagues), 6 if n % 3 else 5))
        # peer feedback happened before its due date: results are out by the demo's today
        peer_due = cycle.due_for("peer")
        with _on_day(hub, peer_due - dt.timedelta(days=20)):
            peers.request_peers(
                hub, cycle=cycle.id, person=agent.id, peers=chosen, actor=agent.manager_id
            )
        for k, peer_id in enumerate(chosen[: len(chosen) if n % 4 else len(chosen) - 1]):
            with _on_day(hub, peer_due - dt.timedelta(days=k + 1)):
                peers.submit_peer(
                    hub,
                    cycle=cycle.id,
                    about=agent.id,
                    rating=rng.randint(3, 5),
                    keep_doing=words.pick(KEEP, peer_id, about=agent.id),
                    improve=words.pick(IMPROVE, peer_id, about=agent.id),
                    actor=peer_id,
                )
    for manager in managers:
        reports = hub.people.reports(manager.id)
        # four in five answer, and at least five (the threshold), so each team's supervisor
        # sees results; the director's three reports stay under it
        answering = rng.sample(reports, max(min(5, len(reports)), round(0.8 * len(reports))))
        for report in reports:
            if report in answering:
                store.give(
                    hub,
                    kind="upward",
                    rating=rng.randint(3, 5),
                    actor=report.id,
                    cycle=cycle.id,
                    text=""
                    if words.rng.random() < 0.25
                    else words.pick(UPWARD, report.id, about=manager.id),
                )


@contextlib.contextmanager
def _on_day(hub: Hub, day: dt.date) -> Iterator[None]:
    """Play part of the demo on an earlier ``day`` (the demo runs on a settable clock)."""
    clock: Any = hub.clock
    now = clock.now()
    clock.set(dt.datetime.combine(day, now.timetz()))
    try:
        yield
    finally:
        clock.set(now)


def _customer_comment(words: DemoWriting, agent_id: str, score: int) -> str:
    """What a customer wrote with a rating: customers speak the language of the agent's desk."""
    if score >= 4:
        return words.pick(CUSTOMER_HAPPY, agent_id)
    return words.pick(CUSTOMER_UNHAPPY, agent_id) if score <= 2 else ""
