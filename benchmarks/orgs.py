"""A generated help desk organization for benchmarks, with every shipped plugin loaded.

``organization(size)`` is the org chart alone: a director, heads of department
(directive), one supervisor per team of about a dozen agents (supervisory), agents
(operational) with roles, e-mails, hire dates and the four languages corehub speaks.
``workspace(folder, size)`` is a workspace on disk with that organization, every
installed plugin loaded from its entry point (as ``corehub`` loads them), and a past
cycle whose reviews were submitted with goals, so the next cycle opens as it does in an
organization in its second year: each review starts with last period's goals. Every
plugin has data too: training completed and assigned, praise and customer ratings
(CSAT) in the feedback plugin, and help desk tickets with satisfaction ratings.

The same seed always gives the same organization, so two runs compare the same data.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path

from corehub import Hub
from corehub.clock import FixedClock
from corehub.models import Level, Person
from corehub.plugins import make_plugin_manager

TEAM_SIZE = 12
"""People in a team: a supervisor and their agents."""
TEAMS_PER_HEAD = 10
LOCALES = ("en", "es", "da", "sv")
TODAY = "2026-07-01T09:00:00+00:00"
PAST = ("2026 H1", dt.date(2026, 1, 1), dt.date(2026, 6, 30))
NEXT = ("2026 H2", dt.date(2026, 7, 1), dt.date(2026, 12, 31))


def organization(size: int, *, seed: int = 17) -> list[Person]:
    """``size`` people: one director, a head per ten teams, a supervisor per team, agents."""
    rng = random.Random(seed)
    people = [
        Person(
            id="dir",
            name="Director",
            email="dir@desk.example",
            role="Service desk director",
            level=Level.DIRECTIVE,
            team="Management",
            hire_date=dt.date(2015, 2, 2),
            locale="en",
        )
    ]
    teams = max(1, (size - 1) // TEAM_SIZE)
    heads = max(1, teams // TEAMS_PER_HEAD) if size > TEAM_SIZE * 2 else 0
    for h in range(heads):
        people.append(
            Person(
                id=f"head{h}",
                name=f"Head {h}",
                email=f"head{h}@desk.example",
                role="Head of service",
                level=Level.DIRECTIVE,
                team="Management",
                manager_id="dir",
                hire_date=dt.date(2016, 1 + h % 12, 1),
                locale=LOCALES[h % 4],
            )
        )
    for t in range(teams):
        if len(people) >= size:
            break
        people.append(
            Person(
                id=f"lead{t}",
                name=f"Lead {t}",
                email=f"lead{t}@desk.example",
                role="Service desk supervisor",
                level=Level.SUPERVISORY,
                team=f"Team {t}",
                manager_id=f"head{t % heads}" if heads else "dir",
                hire_date=dt.date(2018, 1 + t % 12, 1 + t % 28),
                locale=LOCALES[t % 4],
            )
        )
    n = 0
    while len(people) < size:
        t = n % teams
        hired = dt.date(2019, 1, 1) + dt.timedelta(days=rng.randrange(2700))
        people.append(
            Person(
                id=f"p{n}",
                name=f"Agent {n}",
                email=f"p{n}@desk.example",
                role="Service desk agent",
                team=f"Team {t}",
                manager_id=f"lead{t}",
                hire_date=hired,
                locale=LOCALES[(t + n) % 4],
            )
        )
        n += 1
    return people


def hub_for(folder: Path) -> Hub:
    """A Hub on ``folder`` with every installed plugin, loaded from its entry point."""
    pm = make_plugin_manager(env={})
    return Hub(folder, plugin_manager=pm, clock=FixedClock(TODAY))


def workspace(folder: Path, size: int, *, history: bool = True) -> Hub:
    """A workspace in ``folder`` with ``size`` people, a closed past cycle (with
    ``history``) and the next cycle planned as a draft, named ``NEXT[0]``."""
    from corehub.workspace import init_workspace

    init_workspace(folder).close()
    hub = hub_for(folder)
    hub.migrate()
    people = organization(size)
    hub.people.save(people)
    if history:
        past_cycle(hub, people)
        activity(hub, people)
    name, start, end = NEXT
    hub.cycles.create(name, start=start, end=end)
    return hub


def past_cycle(hub: Hub, people: list[Person], *, seed: int = 23) -> None:
    """The past cycle, opened and closed, with every review submitted and goals set.

    Reviews are written in bulk (their form copy, answers with goals, a score) as if each
    person and manager had filled them in; what the next cycle reads from them is real.
    """
    name, start, end = PAST
    hub.cycles.create(name, start=start, end=end)
    hub.cycles.open(name)
    cycle = hub.cycles.get(name)
    rng = random.Random(seed)
    submitted = (end - dt.timedelta(days=10)).isoformat() + "T10:00:00+00:00"
    with hub.atomic() as db:
        updates = []
        for row in db.query(
            "SELECT id, answers FROM self_assessment_reviews WHERE cycle_id = ?", [cycle.id]
        ):
            goals = [
                {
                    "objective": f"Goal {g} of review {row['id']}",
                    "result": rng.choice(("CSAT above 90%", "two articles published", "ITIL")),
                    "due": (end + dt.timedelta(days=30 * (g + 2))).isoformat(),
                }
                for g in range(rng.randrange(1, 4))
            ]
            answers = json.loads(row["answers"]) | {"goals_next": goals, "overall": 3}
            updates.append((json.dumps(answers), submitted, row["id"]))
        db.conn.executemany(
            "UPDATE self_assessment_reviews SET answers = ? WHERE id = ?",
            [(a, i) for a, _, i in updates],
        )
        db.conn.executemany(
            "UPDATE self_assessment_reviews SET status = 'submitted', submitted_at = ? "
            "WHERE id = ?",
            [(s, i) for _, s, i in updates],
        )
        db.execute("UPDATE tasks SET status = 'done' WHERE cycle_id = ?", [cycle.id])
    hub.cycles.close(name)


COURSES = ("induction", "moments-of-truth", "active-listening", "complaint-handling")
CHANNELS = ("email", "chat", "web", "phone")


def activity(hub: Hub, people: list[Person], *, seed: int = 29) -> None:
    """Half a year of work in every plugin, written in bulk: per person two completed
    courses and one assigned; praise for about a third of the people and a customer
    rating for every agent; five tickets per agent, most with a satisfaction rating."""
    rng = random.Random(seed)
    now = TODAY
    _, start, _end = PAST
    completions, assignments, feedback, tickets = [], [], [], []
    for person in people:
        done = rng.sample(COURSES, 3)
        for course in done[:2]:
            day = start + dt.timedelta(days=rng.randrange(170))
            completions.append(
                {
                    "person_id": person.id,
                    "course_id": course,
                    "completed_on": day.isoformat(),
                    "score": float(rng.randrange(60, 101)),
                    "source": "import",
                    "recorded_at": now,
                    "recorded_by": "bench",
                }
            )
        assignments.append(
            {
                "person_id": person.id,
                "course_id": done[2],
                "assigned_on": start.isoformat(),
                "due": (start + dt.timedelta(days=240)).isoformat(),
                "status": "assigned",
                "source": "manual",
                "created_at": now,
            }
        )
        if person.manager_id and rng.random() < 0.33:
            feedback.append(
                {
                    "kind": "praise",
                    "recipient_id": person.id,
                    "author_id": person.manager_id,
                    "given_on": (start + dt.timedelta(days=rng.randrange(170))).isoformat(),
                    "anonymous": 0,
                    "text": "Calm and clear with an upset customer; the case closed the same day.",
                    "rating": None,
                    "source": None,
                }
            )
        if person.level is not Level.OPERATIONAL:
            continue
        feedback.append(
            {
                "kind": "customer",
                "recipient_id": person.id,
                "author_id": None,
                "anonymous": 0,
                "given_on": (start + dt.timedelta(days=rng.randrange(170))).isoformat(),
                "text": "",
                "rating": float(rng.choice((3, 4, 4, 5, 5))),
                "source": "import",
            }
        )
        for n in range(5):
            day = start + dt.timedelta(days=rng.randrange(170))
            tickets.append(
                {
                    "source": "zendesk",
                    "ticket_id": f"{person.id}-{n}",
                    "agent_id": person.id,
                    "subject": f"Case {n} of {person.name}",
                    "requester": f"customer{rng.randrange(10**6)}@example.com",
                    "channel": CHANNELS[n % 4],
                    "status": "solved",
                    "created_at": f"{day.isoformat()}T09:00:00+00:00",
                    "solved_at": f"{day.isoformat()}T11:00:00+00:00",
                    "day": day.isoformat(),
                    "rating": rng.choice(("good", "good", "good", "bad", "")),
                    "imported_at": now,
                }
            )
    with hub.atomic() as db:
        for table, rows in (
            ("training_completions", completions),
            ("training_assignments", assignments),
            ("feedback", feedback),
            ("quality_tickets", tickets),
        ):
            if db[table].exists():
                db.table(table).insert_all(rows, batch_size=500)
