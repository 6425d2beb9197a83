"""Sample training data for ``corehub demo`` (the demo's today is 2026-12-10).

Veterans hold most of their level's courses from the last two years, a few are missing
them; the annual data-protection certification is current for most, expiring soon for
some and lapsed for one; Madrid's products update (assigned in September) is overdue
for a few agents; the three recent hires are at different points of their induction;
participants rated the courses they took. Everything goes through the library API, so
the demo data obeys the same rules as real data.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import TYPE_CHECKING, Any

from corehub.demo import DemoWriting
from corehub.models import Person

if TYPE_CHECKING:
    from collections.abc import Callable

    from corehub import Hub
    from corehub.models import Cycle
    from corehub_training_tracker.training import Training

    Complete = Callable[[Person, str, dt.date], None]

# What participants and managers wrote, in each writer's language (corehub.demo.DemoWriting
# picks from these).
COMMENTS = {  # course id -> a participant's comment with their rating
    "active-listening": {
        "en": [
            "The paraphrasing exercise changed how I open calls.",
            "Good role plays, a bit long in the afternoon.",
            "Useful; I would like a follow-up session with real recordings.",
            "Practical from start to finish; I use the summing-up trick every day.",
            "Good to practise with colleagues from the other offices.",
            "The silence exercise felt odd, but it works.",
        ],
        "es": [
            "El ejercicio de parafrasear me ha cambiado la forma de empezar las llamadas.",
            "Buenos role plays, aunque la tarde se hizo algo larga.",
            "Muy útil; me gustaría una sesión de seguimiento con grabaciones reales.",
            "Práctico de principio a fin; lo de resumirle al cliente lo que ha dicho lo uso a diario.",
            "Estuvo bien practicar con compañeros de las otras oficinas.",
            "El ejercicio de los silencios me pareció raro, pero funciona.",
        ],
        "da": [
            "Øvelsen med at omformulere har ændret, hvordan jeg åbner mine opkald.",
            "Gode rollespil, men eftermiddagen blev lidt lang.",
            "Brugbart; jeg vil gerne have en opfølgning med rigtige optagelser.",
            "Praktisk fra start til slut; jeg bruger opsummeringen hver eneste dag.",
            "Godt at øve med kolleger fra de andre kontorer.",
            "Øvelsen med pauser føltes underlig, men den virker.",
        ],
        "sv": [
            "Övningen i att omformulera har ändrat hur jag inleder samtalen.",
            "Bra rollspel, men eftermiddagen blev lite lång.",
            "Användbart; jag skulle vilja ha en uppföljning med riktiga inspelningar.",
            "Praktiskt från början till slut; sammanfattningstricket använder jag varje dag.",
            "Bra att öva med kollegor från de andra kontoren.",
            "Övningen med pauser kändes konstig, men den fungerar.",
        ],
    },
    "complaint-handling": {
        "en": [
            "Finally a method for the angry callers, not just 'stay calm'.",
            "Too much theory, the cases were great though.",
            "The script for saying no politely is gold.",
            "Would have liked more time on written complaints.",
            "The de-escalation phrases are now pinned next to my screen.",
            "Good trainer; real examples from our own queue.",
        ],
        "es": [
            "Por fin un método para los clientes enfadados, no solo «mantén la calma».",
            "Demasiada teoría, aunque los casos prácticos estaban genial.",
            "El guion para decir que no con educación vale oro.",
            "Me habría gustado dedicar más tiempo a las reclamaciones por escrito.",
            "Las frases para rebajar la tensión las tengo ya pegadas junto a la pantalla.",
            "Buena formación, con ejemplos reales de nuestra propia cola.",
        ],
        "da": [
            "Endelig en metode til de vrede kunder og ikke bare »bevar roen«.",
            "For meget teori, men casene var rigtig gode.",
            "Drejebogen til at sige nej på en pæn måde er guld værd.",
            "Jeg havde gerne set mere tid til skriftlige klager.",
            "Formuleringerne til at tage luften ud af en konflikt hænger nu ved min skærm.",
            "God underviser; rigtige eksempler fra vores egen kø.",
        ],
        "sv": [
            "Äntligen en metod för arga kunder, inte bara ”håll dig lugn”.",
            "För mycket teori, men fallen var riktigt bra.",
            "Manuset för att säga nej på ett trevligt sätt är guld värt.",
            "Hade gärna velat ha mer tid till skriftliga klagomål.",
            "Fraserna för att lugna ner en konflikt sitter nu vid min skärm.",
            "Bra utbildare; riktiga exempel från vår egen kö.",
        ],
    },
    "moments-of-truth": {
        "en": [
            "Made me see the whole desk from the customer's side.",
            "Short and to the point.",
            "A good reminder that the first thirty seconds count.",
            "Nice mix of teams in the room.",
            "I now end every call by agreeing the next step with the customer.",
            "Inspiring, though more about phones than chat.",
        ],
        "es": [
            "Me hizo ver todo el servicio desde el lado del cliente.",
            "Breve y al grano.",
            "Buen recordatorio de que los primeros treinta segundos cuentan.",
            "Me gustó que hubiera gente de distintos equipos.",
            "Ahora termino cada llamada confirmando con el cliente el siguiente paso.",
            "Inspirador, aunque más centrado en el teléfono que en el chat.",
        ],
        "da": [
            "Fik mig til at se hele supporten fra kundens side.",
            "Kort og præcist.",
            "God påmindelse om, at de første tredive sekunder tæller.",
            "Godt med en blanding af teams i lokalet.",
            "Nu afslutter jeg hvert opkald med at aftale næste skridt med kunden.",
            "Inspirerende, men mest om telefon og mindre om chat.",
        ],
        "sv": [
            "Fick mig att se hela supporten från kundens sida.",
            "Kort och koncist.",
            "En bra påminnelse om att de första trettio sekunderna räknas.",
            "Bra blandning av team i rummet.",
            "Nu avslutar jag varje samtal med att stämma av nästa steg med kunden.",
            "Inspirerande, men mer om telefon än om chatt.",
        ],
    },
    "data-protection": {
        "en": [
            "Same as last year, but the identity-check examples were new.",
            "Clear. The quiz at the end was too easy.",
            "The phone-scam examples were an eye-opener.",
            "Could be half as long.",
            "Finally clear about what we may say on the phone.",
            "Good that it covered chat and email too.",
        ],
        "es": [
            "Igual que el año pasado, pero los ejemplos de verificación de identidad eran nuevos.",
            "Claro. El test final era demasiado fácil.",
            "Los ejemplos de estafas telefónicas me abrieron los ojos.",
            "Podría durar la mitad.",
            "Por fin tengo claro qué podemos decir por teléfono y qué no.",
            "Bien que también tratara el chat y el correo.",
        ],
        "da": [
            "Det samme som sidste år, men eksemplerne på identitetstjek var nye.",
            "Klart. Quizzen til sidst var for nem.",
            "Eksemplerne på telefonsvindel var en øjenåbner.",
            "Kunne sagtens være halvt så langt.",
            "Endelig klart, hvad vi må sige i telefonen.",
            "Godt, at chat og mail også var med.",
        ],
        "sv": [
            "Samma som förra året, men exemplen på identitetskontroll var nya.",
            "Tydligt. Quizet i slutet var för lätt.",
            "Exemplen på telefonbedrägerier var en ögonöppnare.",
            "Kunde ha varit hälften så långt.",
            "Äntligen tydligt vad vi får säga i telefon.",
            "Bra att chatt och mejl också togs upp.",
        ],
    },
    "supervisor-coaching": {
        "en": [
            "The one-to-one structure is now how I run my week.",
            "I would love a session on difficult conversations.",
        ],
        "es": [
            "La estructura de las reuniones individuales es ahora la base de mi semana.",
            "Me encantaría una sesión sobre conversaciones difíciles.",
        ],
        "da": [
            "Strukturen for 1:1-samtaler er nu den, jeg planlægger min uge efter.",
            "Jeg vil meget gerne have en session om svære samtaler.",
        ],
        "sv": [
            "Strukturen för enskilda samtal är nu det jag planerar veckan efter.",
            "Skulle gärna vilja ha ett pass om svåra samtal.",
        ],
    },
    "product-update": {
        "en": ["Needed more time on the new portal.", "Good overview of what changed."],
        "es": [
            "Hacía falta más tiempo para el nuevo portal.",
            "Buen resumen de lo que ha cambiado.",
        ],
        "da": [
            "Der skulle have været mere tid til den nye portal.",
            "Godt overblik over, hvad der er ændret.",
        ],
        "sv": [
            "Det behövdes mer tid för den nya portalen.",
            "Bra överblick över vad som har ändrats.",
        ],
    },
    "induction": {
        "en": [
            "Having a buddy for the first week made all the difference.",
            "A lot to take in, but the checklists helped.",
        ],
        "es": [
            "Tener un compañero de referencia la primera semana marcó la diferencia.",
            "Mucha información de golpe, pero las listas de comprobación ayudaron.",
        ],
        "da": [
            "Det gjorde hele forskellen at have en makker den første uge.",
            "Meget at tage ind, men tjeklisterne hjalp.",
        ],
        "sv": [
            "Att ha en fadder första veckan gjorde hela skillnaden.",
            "Mycket att ta in, men checklistorna hjälpte.",
        ],
    },
}
DISMISSED = {  # why a manager dismissed a recommendation: (already completed, coaching instead)
    "en": ("already completed since the review", "covered by coaching sessions this quarter"),
    "es": (
        "ya lo ha completado después de la evaluación",
        "cubierto con las sesiones de coaching de este trimestre",
    ),
    "da": (
        "allerede gennemført efter medarbejdersamtalen",
        "dækkes af coachingsessionerne i dette kvartal",
    ),
    "sv": (
        "redan genomförd efter medarbetarsamtalet",
        "täcks av coachningssamtalen det här kvartalet",
    ),
}


def prepare(hub: Hub, cycle: Cycle) -> None:
    """Fill the demo workspace with completions, assignments and ratings."""
    from corehub_training_tracker.training import Training

    rng = random.Random("training_tracker")
    words = DemoWriting(hub, "training_tracker words")
    training = Training(hub)
    today = training.today
    people = hub.people.list()
    new_hires = [p for p in people if p.hire_date and p.hire_date >= today - dt.timedelta(days=90)]
    veterans = [p for p in people if p not in new_hires]
    completed: list[tuple[str, str]] = []

    def complete(person: Person, course_id: str, on: dt.date) -> None:
        training.complete(
            person.id, course_id, on, score=float(rng.randint(68, 100)), source="demo"
        )
        completed.append((person.id, course_id))

    with hub.atomic():
        for person in veterans:
            start = max(person.hire_date or dt.date(2015, 1, 1), dt.date(2024, 9, 1))
            core = [
                c for c in training.required(person) if c not in {"data-protection", "induction"}
            ]
            days = sorted(_day_between(rng, start, dt.date(2026, 9, 30)) for _ in core)
            done: set[str] = set()
            for course_id, day in zip(sorted(core, key=_prerequisites_first), days, strict=True):
                needs = set(training.catalogue.course(course_id).prerequisites)
                if rng.random() < 0.85 and needs <= done:
                    complete(person, course_id, day)
                    done.add(course_id)
        _data_protection(training, veterans, rng, complete)
        _products_update(training, veterans, rng, complete)
        _inductions(training, new_hires, complete)
        training.sync()
        _ratings(training, completed, rng, words)
        _recommendations(hub, words)


def _prerequisites_first(course_id: str) -> int:
    return 0 if course_id == "active-listening" else 1


def _day_between(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    return first + dt.timedelta(days=rng.randint(0, max((last - first).days, 0)))


def _data_protection(
    training: Training, veterans: list[Person], rng: random.Random, complete: Complete
) -> None:
    """Most current; four expire within the recertification window; one lapsed in November."""
    for index, person in enumerate(veterans):
        if index == 7:
            complete(person, "data-protection", dt.date(2025, 11, 20))
        elif index % 9 == 4:
            complete(
                person, "data-protection", dt.date(2025, 12, 15) + dt.timedelta(days=index % 5)
            )
        elif rng.random() < 0.9:
            complete(
                person,
                "data-protection",
                _day_between(rng, dt.date(2026, 1, 12), dt.date(2026, 10, 30)),
            )


def _products_update(
    training: Training, veterans: list[Person], rng: random.Random, complete: Complete
) -> None:
    """Madrid's agents were assigned the products update in September, due end of November."""
    madrid = [p for p in veterans if p.team == "Madrid" and p.level.value == "operational"]
    training.assign(
        "product-update",
        madrid,
        due=dt.date(2026, 11, 30),
        assigned_on=dt.date(2026, 9, 1),
        check_permission=False,
    )
    for index, person in enumerate(madrid):
        if index % 4 != 1:
            complete(
                person,
                "product-update",
                _day_between(rng, dt.date(2026, 9, 10), dt.date(2026, 11, 28)),
            )
    copenhagen = [p for p in veterans if p.team == "København" and p.level.value == "operational"]
    training.assign(
        "clear-writing",
        copenhagen,
        due=dt.date(2027, 1, 29),
        assigned_on=dt.date(2026, 11, 16),
        check_permission=False,
    )
    for person in copenhagen[:4]:
        training.start(person.id, "clear-writing")


def _inductions(training: Training, new_hires: list[Person], complete: Complete) -> None:
    """Induction assigned on the hire date; one done, one started, one not begun."""
    for index, person in enumerate(sorted(new_hires, key=lambda p: p.hire_date or dt.date.min)):
        assert person.hire_date is not None
        days = training.settings.induction_days
        training.assign(
            training.settings.induction_course,
            [person],
            due=person.hire_date + dt.timedelta(days=days),
            assigned_on=person.hire_date,
            source="rule:induction-new-hires",
            check_permission=False,
        )
        if index == 0:
            complete(
                person, training.settings.induction_course, person.hire_date + dt.timedelta(days=24)
            )
        elif index == 1:
            training.start(person.id, training.settings.induction_course)


def _ratings(
    training: Training,
    completed: list[tuple[str, str]],
    rng: random.Random,
    words: DemoWriting,
) -> None:
    for person_id, course_id in completed:
        if rng.random() < 0.45:
            comments = COMMENTS.get(course_id)
            comment = (
                words.pick(comments, person_id, about=course_id)
                if comments and rng.random() < 0.4
                else ""
            )
            rating = rng.choices([2, 3, 4, 5], weights=[1, 3, 6, 4])[0]
            operator, training.hub.actor = training.hub.actor, person_id  # only they rate
            try:
                training.rate(person_id, course_id, rating, comment)
            finally:
                training.hub.actor = operator


def _recommendations(hub: Hub, words: DemoWriting) -> None:
    """Managers decide on the first recommendations, when reviews already produced some."""
    from corehub.errors import ValidationError
    from corehub_training_tracker import recommendations as recs

    def reasons(row: dict[str, Any]) -> tuple[str, str]:
        """The reasons in the language of the person's manager, who decides."""
        return words.phrases(DISMISSED, hub.people.get(row["person_id"]).manager_id)

    pending = recs.listing(hub, status="pending")
    accepted = 0
    for row in pending[:3]:
        try:
            recs.accept(hub, row["id"])
            accepted += 1
        except ValidationError:  # e.g. completed since the review recommended it
            recs.dismiss(hub, row["id"], reason=reasons(row)[0])
    for row in pending[3:4]:
        recs.dismiss(hub, row["id"], reason=reasons(row)[1])
