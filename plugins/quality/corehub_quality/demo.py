"""Sample quality data for ``corehub demo``: a Zendesk-style export, samples, grades, one
calibration session and one dispute. Deterministic: the same data on every run.

The export is the JSON of Zendesk's tickets API (with ``users`` and the comments), written
into the workspace as ``imports/zendesk-tickets.json`` and imported like any other; the
conversations are in each agent's language.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import random
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from corehub.demo import DemoWriting
from corehub.models import Level
from corehub_quality import calibration, disputes, grading, sampling, scorecards
from corehub_quality.tickets import import_tickets

if TYPE_CHECKING:
    from corehub import Hub
    from corehub.models import Cycle, Person

# (subject, the customer's message, the agent's answer), in the language of each team.
CONVERSATIONS = {
    "en": [
        (
            "Cannot sign in",
            "I cannot sign in since this morning.",
            "I have reset your password; the link is in your inbox. Tell me if it works.",
        ),
        (
            "VPN keeps dropping",
            "The VPN drops every ten minutes.",
            "Please update the client to 5.2; it fixes the drop. I will check in tomorrow.",
        ),
        (
            "Printer offline",
            "The printer on floor 3 says offline.",
            "The print server restarted; it is back. Thanks for telling us.",
        ),
        (
            "Invoice copy",
            "I need a copy of invoice 2231.",
            "Here is the copy; I checked your identity first as our procedure asks.",
        ),
    ],
    "es": [
        (
            "No puedo iniciar sesión",
            "Desde esta mañana no puedo entrar.",
            "He restablecido tu contraseña; tienes el enlace en tu correo. Dime si funciona.",
        ),
        (
            "La VPN se corta",
            "La VPN se corta cada diez minutos.",
            "Actualiza el cliente a la 5.2, que corrige el corte. Mañana te vuelvo a escribir.",
        ),
        (
            "Impresora sin conexión",
            "La impresora de la 3.ª planta dice «sin conexión».",
            "Se reinició el servidor de impresión y ya funciona. Gracias por avisar.",
        ),
        (
            "Copia de factura",
            "Necesito una copia de la factura 2231.",
            "Aquí tienes la copia; antes comprobé tu identidad, como pide el procedimiento.",
        ),
    ],
    "da": [
        (
            "Kan ikke logge ind",
            "Jeg har ikke kunnet logge ind siden i morges.",
            "Jeg har nulstillet din adgangskode; linket ligger i din indbakke. Sig til, om det virker.",
        ),
        (
            "VPN'en falder ud",
            "VPN'en falder ud hvert tiende minut.",
            "Opdater klienten til 5.2, så er fejlen rettet. Jeg følger op i morgen.",
        ),
        (
            "Printer offline",
            "Printeren på 3. sal står som offline.",
            "Printserveren er genstartet, og den virker igen. Tak for beskeden.",
        ),
        (
            "Kopi af faktura",
            "Jeg skal bruge en kopi af faktura 2231.",
            "Her er kopien; jeg tjekkede først din identitet, som proceduren kræver.",
        ),
    ],
    "sv": [
        (
            "Kan inte logga in",
            "Jag har inte kunnat logga in sedan i morse.",
            "Jag har återställt ditt lösenord; länken finns i din inkorg. Säg till om det fungerar.",
        ),
        (
            "VPN:en kopplar ner",
            "VPN:en kopplar ner var tionde minut.",
            "Uppdatera klienten till 5.2, då är felet åtgärdat. Jag hör av mig i morgon.",
        ),
        (
            "Skrivaren offline",
            "Skrivaren på plan 3 står som offline.",
            "Utskriftsservern har startats om och fungerar igen. Tack för att du hörde av dig.",
        ),
        (
            "Kopia av faktura",
            "Jag behöver en kopia av faktura 2231.",
            "Här är kopian; jag kontrollerade först din identitet enligt rutinen.",
        ),
    ],
}
CHANNELS = ("email", "web", "chat", "voice")
MONTHS = (7, 8, 9, 10, 11)


def export(hub: Hub, rng: random.Random) -> dict[str, Any]:
    """A Zendesk tickets API export: tickets with comments, and the users they name."""
    agents = _agents(hub)
    tickets = [ticket for ticket, _agent in _tickets(hub, agents, rng)]
    users = [*_agent_users(agents), *_requesters(tickets[0]["id"] if tickets else 0, len(tickets))]
    return {"tickets": tickets, "users": users, "count": len(tickets)}


def write_export(
    hub: Hub,
    rng: random.Random,
    path: Path,
    extra: Callable[[dict[str, Any], Person], None] | None = None,
) -> int:
    """Write :func:`export` (the same tickets for the same ``rng``) to ``path`` ticket by
    ticket, never holding it: an organization of any size. ``extra(ticket, agent)`` may add
    fields to a ticket before it is written. Returns how many tickets were written."""
    agents = _agents(hub)
    count = 0
    first = 0
    part = path.with_name(path.name + ".part")
    try:
        with part.open("w", encoding="utf-8") as out:
            out.write('{"tickets": [')
            for ticket, agent in _tickets(hub, agents, rng):
                if extra is not None:
                    extra(ticket, agent)
                first = first or ticket["id"]
                out.write((", " if count else "") + json.dumps(ticket, ensure_ascii=False))
                count += 1
            out.write('], "users": [')
            users = itertools.chain(_agent_users(agents), _requesters(first, count))
            for n, user in enumerate(users):
                out.write((", " if n else "") + json.dumps(user, ensure_ascii=False))
            out.write(f'], "count": {count}}}')
        part.replace(path)
    except BaseException:  # an error or Ctrl-C: no half-written file is left behind
        part.unlink(missing_ok=True)
        raise
    return count


def _agents(hub: Hub) -> list[Person]:
    return [p for p in hub.people.list() if p.level is Level.OPERATIONAL]


def _agent_users(agents: list[Person]) -> Iterator[dict[str, Any]]:
    for n, agent in enumerate(agents):
        yield {"id": 1000 + n, "name": agent.name, "email": agent.email}


def _requesters(first: int, count: int) -> Iterator[dict[str, Any]]:
    """One requester per ticket (ticket ``number`` is asked by user ``90000 + number``)."""
    for number in range(first, first + count):
        yield {"id": 90000 + number, "name": f"Customer {number}"}


def _tickets(
    hub: Hub, agents: list[Person], rng: random.Random
) -> Iterator[tuple[dict[str, Any], Person]]:
    words = DemoWriting(hub, "quality conversations")
    number = 5000
    for n, agent in enumerate(agents):
        for month in MONTHS:
            for _ in range(rng.randint(4, 7)):
                number += 1
                subject, asked, answer = words.pick(CONVERSATIONS, agent.id, about=agent.id)
                created = dt.datetime(
                    2026, month, rng.randint(1, 28), rng.randint(8, 17), tzinfo=dt.UTC
                )
                solved = created + dt.timedelta(hours=rng.randint(1, 30))
                requester = 90000 + number
                score = rng.choices(("good", "bad", "offered", "unoffered"), (5, 1, 2, 2))[0]
                ticket = {
                    "id": number,
                    "subject": subject,
                    "assignee_id": 1000 + n,
                    "requester_id": requester,
                    "via": {"channel": rng.choice(CHANNELS)},
                    "status": "solved",
                    "created_at": created.isoformat().replace("+00:00", "Z"),
                    "metric_set": {"solved_at": solved.isoformat().replace("+00:00", "Z")},
                    "satisfaction_rating": {"score": score},
                    "comments": [
                        {"author_id": requester, "body": asked, "created_at": created.isoformat()},
                        {"author_id": 1000 + n, "body": answer, "created_at": solved.isoformat()},
                    ],
                }
                yield ticket, agent


def _answers(
    card: dict[str, Any], skill: float, rng: random.Random, critical: bool
) -> dict[str, str]:
    """A grader's answers for an agent of ``skill`` (0-1); ``critical``: one critical fails."""
    answers: dict[str, str] = {}
    failed = False
    for criterion in scorecards.criteria(card).values():
        if criterion["critical"]:
            answers[criterion["id"]] = "no" if critical and not failed else "yes"
            failed = failed or critical
        elif criterion["type"] == "yes_no":
            answers[criterion["id"]] = "yes" if rng.random() < skill else rng.choice(("no", "na"))
        else:
            value = round(1 + 4 * skill + rng.uniform(-1.2, 0.8))
            answers[criterion["id"]] = str(max(1, min(5, value)))
    return answers


def prepare(hub: Hub, cycle: Cycle) -> None:
    """Import, sample and grade; one calibration session and one dispute."""
    rng = random.Random("quality")
    folder = hub.require_workspace() / "imports"
    folder.mkdir(exist_ok=True)
    path = folder / "zendesk-tickets.json"
    path.write_text(json.dumps(export(hub, rng), ensure_ascii=False, indent=1), encoding="utf-8")
    import_tickets(hub, path)
    skills: dict[str, float] = {}
    for month in MONTHS:
        sampling.sample(hub, f"2026-{month:02d}", per_agent=2, strategy="mixed", seed=2026 + month)
    tasks = list(
        hub.db.query(
            "SELECT k.id, k.grader_id, t.agent_id, t.channel FROM quality_tasks k "
            "JOIN quality_tickets t ON t.id = k.ticket_row ORDER BY k.id"
        )
    )
    last = tasks[-8:]  # the newest sample is not all graded yet
    for task in tasks:
        if task in last:
            continue
        skill = skills.setdefault(task["agent_id"], rng.uniform(0.55, 0.95))
        card = grading.scorecard_for(hub, {"task_id": task["id"], "channel": task["channel"]})
        answers = _answers(card, skill, rng, critical=rng.random() < 0.02)
        grading.grade(
            hub,
            {"task": task["id"], "answers": answers},
            submit=True,
            actor=task["grader_id"],
        )
    _calibration(hub, rng)
    _dispute(hub)


def _calibration(hub: Hub, rng: random.Random) -> None:
    leads = [g.id for g in sampling.graders(hub)][:3]
    rows = list(
        hub.db.query(
            "SELECT source, ticket_id, agent_id FROM quality_tickets WHERE channel IN "
            "('email', 'chat', 'web') ORDER BY id LIMIT 40"
        )
    )
    tickets = [f"{r['source']}:{r['ticket_id']}" for r in rows if r["agent_id"] not in leads][:4]
    if len(leads) < 2 or len(tickets) < 2:
        return
    name = "2026-11 written"
    calibration.create(hub, name, tickets, leads)
    for ticket in tickets:
        for n, lead in enumerate(leads):
            answers = {
                "greeting": "yes",
                "tone": str(4 - n),  # the leads read "tone" differently
                "clarity": "4",
                "respectful_language": "yes",
                "understood": "yes",
                "correct_information": "yes",
                "resolved": rng.choice(("4", "5")),
                "personal_data": "yes",
                "documented": "yes" if n else "no",
                "knowledge_article": "na",
            }
            calibration.grade(
                hub,
                {"calibration": name, "ticket": ticket, "answers": answers},
                submit=True,
                source="demo",
                actor=lead,
            )
    calibration.close(hub, name)


def _dispute(hub: Hub) -> None:
    rows = list(
        hub.db.query(
            "SELECT g.id, g.agent_id, g.grader_id, g.answers FROM quality_grades g "
            "WHERE g.status = 'submitted' AND g.answers LIKE '%\"greeting\": \"no\"%' ORDER BY g.id LIMIT 1"
        )
    )
    if not rows:
        return
    grade = rows[0]
    agent: Person = hub.people.get(grade["agent_id"])
    dispute_id = disputes.dispute(
        hub, grade["id"], "I greeted the customer by name in my first reply.", actor=agent.id
    )
    resolver = next(
        (g.id for g in sampling.graders(hub) if g.id not in (grade["grader_id"], agent.id)),
        None,
    )
    if resolver is None:
        return
    disputes.resolve(
        hub,
        dispute_id,
        "The greeting is in the first reply; the grade is corrected.",
        changes={"greeting": "yes"},
        actor=resolver,
    )
