"""Sample feedback for ``corehub demo``: praise, suggestions in every state, CSAT by month,
a pulse survey, peer and upward feedback. Deterministic: the same data on every run."""

from __future__ import annotations

import datetime as dt
import random
from typing import TYPE_CHECKING

from corehub.models import Level
from corehub_feedback import peers, store, suggestions
from corehub_feedback.csat import _store

if TYPE_CHECKING:
    from corehub.hub import Hub
    from corehub.models import Cycle

PRAISE = [
    ("Stayed calm with a furious caller and turned the call around.", "complaint_handling"),
    ("Wrote the VPN troubleshooting article everyone now uses.", "kcs"),
    ("Covered my shift at short notice; thank you!", "teamwork"),
    ("Listened first, then solved it in one call. Textbook.", "active_listening"),
    ("Explained the new ticket workflow to the new hires so clearly.", "coaching"),
    ("Found the root cause of the printer outage in the Stockholm office.", "problem_solving"),
]
SUGGESTIONS = [
    (
        "A shared macro for refund requests would save minutes per ticket.",
        ["under_review", "accepted", "implemented"],
        [
            "We are collecting the variants now.",
            "Accepted: refunds are 12% of our volume.",
            "Live since November; handling time down by two minutes.",
        ],
    ),
    (
        "Rotate the late shift fairly between the three offices.",
        ["under_review", "accepted"],
        [
            "Checking the coverage numbers per office.",
            "Accepted from January: the schedule will rotate monthly.",
        ],
    ),
    (
        "Give every agent a second monitor.",
        ["under_review", "declined"],
        [
            "Asking facilities about budget.",
            "Declined for now: the 2026 budget is spent; we will revisit it in the 2027 plan.",
        ],
    ),
    ("A quiet room for difficult calls.", ["under_review"], ["Looking at which rooms are free."]),
    ("Translate the knowledge base into Danish and Swedish.", [], []),
]
KEEP = [
    "Always shares what they learn",
    "Patient with difficult customers",
    "Clear ticket notes",
    "Helps new colleagues",
    "Keeps calm under pressure",
]
IMPROVE = [
    "Escalate earlier when stuck",
    "Close tickets with a summary",
    "Take breaks on busy days",
    "Write up fixes as articles",
    "Speak up more in team meetings",
]


def prepare(hub: Hub, cycle: Cycle) -> None:
    """Fill the demo workspace with feedback."""
    rng = random.Random("feedback")
    today = hub.clock.today()
    people = hub.people.list()
    agents = [p for p in people if p.level is Level.OPERATIONAL]
    managers = [p for p in people if hub.people.reports(p.id)]
    for n, agent in enumerate(agents[::2]):
        giver = rng.choice([p for p in agents if p.team == agent.team and p.id != agent.id])
        text, tag = PRAISE[n % len(PRAISE)]
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
    for n, (text, steps, answers) in enumerate(SUGGESTIONS):
        author = agents[n * 3 % len(agents)]
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
                    "text": "Quick and friendly"
                    if score >= 4
                    else ("Took too long" if score <= 2 else ""),
                }
    _store(hub, "demo-csat.csv", tickets)
    for month in (10, 11, 12):
        for person in people:
            if rng.random() < 0.7:
                score = max(0, min(10, round(rng.gauss(7.6, 1.8))))
                store.give(
                    hub,
                    kind="pulse",
                    rating=score,
                    actor=person.id,
                    on=dt.date(
                        2026, month, min(rng.randint(1, 20), today.day if month == 12 else 28)
                    ),
                )
    for n, agent in enumerate(agents[:12]):
        colleagues = [p.id for p in agents if p.team == agent.team and p.id != agent.id]
        chosen = rng.sample(colleagues, 5 if n % 3 else 3)
        peers.request_peers(
            hub, cycle=cycle.id, person=agent.id, peers=chosen, actor=agent.manager_id
        )
        for peer_id in chosen[: len(chosen) if n % 4 else len(chosen) - 1]:
            peers.submit_peer(
                hub,
                cycle=cycle.id,
                about=agent.id,
                rating=rng.randint(3, 5),
                keep_doing=rng.choice(KEEP),
                improve=rng.choice(IMPROVE),
                actor=peer_id,
            )
    for manager in managers:
        for report in hub.people.reports(manager.id):
            if rng.random() < 0.8:
                store.give(
                    hub,
                    kind="upward",
                    rating=rng.randint(3, 5),
                    actor=report.id,
                    cycle=cycle.id,
                    text=rng.choice(
                        [
                            "Clear priorities",
                            "More 1:1 time, please",
                            "Backs us up with customers",
                            "",
                        ]
                    ),
                )
