"""The organizations the benchmarks measure: one builder, every shipped plugin loaded.

``build(folder, size)`` writes a workspace of ``size`` people (directors, a supervisor per
team of 13, agents; names and languages of desks in Madrid, Copenhagen and Stockholm; 5%
hired during the cycle) and fills its cycle ``CYCLE`` with data in every installed plugin,
at the organization's size, then closes it:

- self-assessment: reviews in every state (submitted, released, acknowledged, commented
  on, left open), answers in each writer's language, scored by the installed scoring
  rule, one calibration session;
- training: completions imported from an LMS export (``import_completions``), the rules'
  assignments made by ``sync`` (inductions, overdue courses), a product update assigned
  to one desk, ratings of courses;
- feedback: praise, suggestions with answers, customer ratings imported from a CSAT
  export (``import_csat``), pulse, upward and peer answers;
- quality: KCS articles imported from a Guide export and checked by coaches, tickets
  imported from a Zendesk export (``import_tickets``) with conversations, CSAT and links
  to articles, monthly samples (``sampling.sample``) graded, a calibration, a dispute.

corehub's own import paths write what an organization imports (people, completions, CSAT,
tickets, articles); what people would enter one at a time (answers, grades, checks,
praise, pulse and upward answers) is written in bulk as the same rows the plugins write.
Building is setup, never what a benchmark measures: 1,000 people take about 15 s of CPU
(the plugins' demo code, entry by entry, took about 110 s); ``python benchmarks/orgs.py
1000 10000`` prints each step's time and the CPU seconds.

``kept(size)`` keeps a built organization in ``build/bench-orgs/`` and reuses it while
``ORG_FORMAT`` is unchanged (work on a copy). ``workspace(folder, size)`` builds one with
the next cycle (``NEXT``) planned as a draft, so ``cycle open`` runs in an organization's
second cycle: each new review starts with the goals set in the last one.
``organization(size)`` is a bare org chart of ``Person`` records (no workspace).

The same size always gives the same organization, so two runs compare the same data.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import random
import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs

from corehub import Hub
from corehub.clock import FixedClock
from corehub.models import Level, Person
from corehub.plugins import make_plugin_manager

TEAM_SIZE = 12
"""People in a team: a supervisor and their agents."""
TEAMS_PER_HEAD = 10
LOCALES = ("en", "es", "da", "sv")


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


# -- the organization the benchmarks measure -----------------------------------------------
#
# ``build`` writes a workspace the benchmarks measure: the people file goes through
# corehub's people import, the cycle is created and opened by the installed plugins, the
# tickets, KCS articles and customer ratings through the plugins' own importers, samples
# through the quality plugin's sampling; what users would otherwise enter one at a time
# (answers to reviews, grades, article checks, completions, praise, pulse and upward
# answers) is written in bulk: the same rows the plugins write, with scores computed by the
# installed scoring hooks and text from the demo's phrases in each writer's language.

ORG_FORMAT = 3
"""Raise when ``build`` changes: organizations kept in ``ORGS`` from before are rebuilt."""
ORGS = Path(__file__).resolve().parent.parent / "build" / "bench-orgs"
BUILD_CACHE_KIB = 512 * 1024
"""SQLite page cache of the building connection (KiB), at least; see ``build_cache_kib``."""


def build_cache_kib(size: int) -> int:
    """The building connection's page cache for ``size`` people: about 40 KiB a person
    (the working set of the build's long transactions; 3.8 GiB at 100,000 people).
    Smaller, a transaction that updates rows all over the organization (the reviews'
    answers, their tasks) spills and rewrites the same pages to the write-ahead log
    again and again: 50 GB written in half an hour at 100,000 people."""
    return max(BUILD_CACHE_KIB, size * 40)


ORG_TEAM = 13
"""People in a team of the built organization: a supervisor and twelve agents."""
CITIES = (("Madrid", "es"), ("København", "da"), ("Stockholm", "sv"))
FIRST = {
    "es": ["Lucía", "Javier", "María", "Carmen", "Pablo", "Sofía", "Diego", "Elena"],
    "da": ["Mette", "Søren", "Freja", "Anders", "Ida", "Mads", "Sofie", "Jens"],
    "sv": ["Åsa", "Erik", "Linnéa", "Johan", "Karin", "Oskar", "Elsa", "Björn"],
}
LAST = {
    "es": ["García Núñez", "Fernández", "López Ruiz", "Martínez", "Sánchez Gil", "Romero"],
    "da": ["Kjærgaard", "Jørgensen", "Nielsen", "Søndergaard", "Hansen", "Møller"],
    "sv": ["Lindqvist", "Åkerlund", "Johansson", "Öberg", "Nyström", "Bergström"],
}
CYCLE = ("2026 H2", dt.date(2026, 7, 1), dt.date(2026, 12, 31))
"""The cycle ``build`` fills and closes (the packets the render benchmark renders)."""
NEXT_CYCLE = ("2027 H1", dt.date(2027, 1, 1), dt.date(2027, 6, 30))
"""The next cycle, planned as a draft when ``build`` is asked for it (``cycle open``)."""
HR = "hr-0000"
"""The organization's HR partner (``[organization] hr`` in corehub.toml)."""
AFTER = "2027-01-04T09:00:00+00:00"
"""The day after the built cycle: what ``hub_for`` sees as today."""


def people_rows(n: int, *, seed: str | None = None) -> list[dict[str, str]]:
    """``n`` people: directors, one supervisor per team of about 13, agents; 5% hired
    during the cycle (induction, no review yet). Names and languages of three desks."""
    rng = random.Random(seed or f"org {n}")
    teams = max(3, round(n / ORG_TEAM))
    regions = max(1, round(teams / 12))

    def name(locale: str) -> str:
        return f"{rng.choice(FIRST[locale])} {rng.choice(LAST[locale])}"

    rows = [
        {
            "id": f"dir-{r:04d}",
            "name": "Isabel Fernández Ruiz" if r == 0 else name(CITIES[r % 3][1]),
            "role": "Service desk director",
            "level": "directive",
            "team": "Management",
            "manager_id": "" if r == 0 else "dir-0000",
            "hire_date": "2012-03-01",
            "locale": CITIES[r % 3][1],
        }
        for r in range(regions)
    ]
    rows.append(
        {
            "id": HR,
            "name": "Helena Öberg",
            "role": "People partner",
            "level": "directive",
            "team": "People",
            "manager_id": "dir-0000",
            "hire_date": "2014-05-05",
            "locale": "sv",
        }
    )
    team_names = []
    for t in range(teams):
        city, locale = CITIES[t % 3]
        team = city if t < 3 else f"{city} {t // 3 + 1}"
        team_names.append((team, locale))
        hired = dt.date(2013, 1, 7) + dt.timedelta(days=rng.randint(0, 2500))
        rows.append(
            {
                "id": f"sup-{t:04d}",
                "name": name(locale),
                "role": "Service desk supervisor",
                "level": "supervisory",
                "team": team,
                "manager_id": f"dir-{t % regions:04d}",
                "hire_date": hired.isoformat(),
                "locale": locale,
            }
        )
    agent = 0
    while len(rows) < n:
        team, locale = team_names[agent % teams]
        if rng.random() < 0.05:
            hired = dt.date(2026, 9, 14) + dt.timedelta(days=rng.randint(0, 80))
        else:
            hired = dt.date(2015, 1, 5) + dt.timedelta(days=rng.randint(0, 4000))
        rows.append(
            {
                "id": f"agt-{agent:05d}",
                "name": name(locale),
                "role": "Senior service desk agent" if agent % 11 == 0 else "Service desk agent",
                "level": "operational",
                "team": team,
                "manager_id": f"sup-{agent % teams:04d}",
                "hire_date": hired.isoformat(),
                "locale": locale,
            }
        )
        agent += 1
    for row in rows:
        row["email"] = f"{row['id']}@example.org"
    return rows


def hub_for(folder: Path, *, clock: FixedClock | None = None) -> Hub:
    """A Hub on ``folder`` with every installed plugin, loaded from its entry point."""
    pm = make_plugin_manager(env={})
    return Hub(folder, plugin_manager=pm, clock=clock or FixedClock(AFTER), actor="bench")


def build(
    folder: Path,
    size: int,
    *,
    next_cycle: bool = False,
    keep_open: bool = False,
    echo: Callable[[str], object] = print,
) -> dict[str, float]:
    """A workspace of ``size`` people in ``folder`` whose cycle ``CYCLE`` is filled in by
    every shipped plugin and closed; with ``next_cycle`` the next one is planned as a draft.

    With ``keep_open`` the cycle stays open (its open tasks too), as on a working day in
    the middle of it: what the web pages show (``bench_web`` can build its organizations
    with it). Returns the seconds each step took (``total`` too, and ``cpu``: the
    process's CPU seconds, which a loaded machine does not inflate). Each step writes what the plugin
    would write at that size: reviews in every state (submitted, released, acknowledged,
    commented, left open, calibrated), training (completions, assignments from the rules,
    overdue ones, ratings), feedback (praise, suggestions answered, CSAT, pulse, upward,
    peer), quality (tickets with conversations, samples, grades, a calibration, a dispute)
    and KCS articles checked by coaches.
    """
    from corehub.demo import DEMO_DUE, DEMO_TODAY
    from corehub.workspace import init_workspace

    times: dict[str, float] = {}
    started = last = time.perf_counter()
    cpu = time.process_time()

    def step(name: str) -> None:
        nonlocal last
        now = time.perf_counter()
        times[name] = now - last
        last = now
        if size >= 100_000:  # a build of hours says how far it is
            echo(f"    {name}: {times[name]:.0f} s ({time.strftime('%H:%M:%S')})")

    init_workspace(
        folder, organization="Nordlys & Sol Service Desk", locale="en", timezone="Europe/Madrid"
    ).close()
    config = folder / "corehub.toml"
    config.write_text(config.read_text().replace("hr = []", f'hr = ["{HR}"]', 1))
    imports = folder / "imports"
    imports.mkdir(exist_ok=True)
    people_file = imports / "people.csv"
    fields = ["id", "name", "email", "role", "level", "team", "manager_id", "hire_date", "locale"]
    with people_file.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, delimiter=";")
        writer.writeheader()
        writer.writerows(people_rows(size))
    name, start, end = CYCLE
    clock = FixedClock(start)
    hub = hub_for(folder, clock=clock)
    hub.migrate()
    # Setup only: a page cache large enough for the build's long transactions. With the
    # default 2 MB, importing 400,000 customer ratings (random ids, four indexes) spills
    # the same pages to the write-ahead log again and again: gigabytes written.
    hub.db.execute(f"PRAGMA cache_size = -{build_cache_kib(size)}")
    hub.people.import_csv(people_file)
    step("people")
    kinds = hub.cycles.task_kinds()
    due = {kind: day for kind, day in DEMO_DUE.items() if kind in kinds}
    hub.cycles.create(name, start=start, end=end, due=due, calibrate=True)
    cycle = hub.cycles.open(name).cycle
    step("cycle open")
    clock.set(DEMO_TODAY)
    plugins = {info.name for info in hub.pm.infos.values()}
    fillers: list[tuple[str, Callable[[Hub, Any], None]]] = [
        ("self_assessment", _reviews),
        ("training_tracker", _training),
        ("feedback", _feedback),
        ("quality", _quality),
    ]
    for plugin, fill in fillers:
        if plugin in plugins:
            fill(hub, cycle)
            step(plugin)
    if keep_open:
        _working_day(hub, cycle)
        step("working day")
    else:
        hub.cycles.close(name, force=True, reason="end of the cycle: open tasks cancelled")
    if next_cycle:
        clock.set(dt.datetime.fromisoformat(AFTER))
        upcoming, first, final = NEXT_CYCLE
        hub.cycles.create(upcoming, start=first, end=final)
    hub.close()
    step("close")
    times["total"] = time.perf_counter() - started
    times["cpu"] = time.process_time() - cpu
    echo(
        f"  built {size:,} people in {times['total']:.0f} s ("
        + ", ".join(f"{k} {v:.0f} s" for k, v in times.items() if k not in ("total", "cpu"))
        + f"; {times['cpu']:.0f} s of CPU)"
    )
    return times


def kept(
    size: int,
    *,
    next_cycle: bool = False,
    keep_open: bool = False,
    echo: Callable[[str], object] = print,
) -> Path:
    """The organization of ``size`` people kept in ``ORGS`` (built first if it is not
    there or was built by another ``ORG_FORMAT``); copy it before changing it. With
    ``next_cycle``, the one whose next cycle is planned (see ``workspace``); with
    ``keep_open``, the one whose cycle is still open (see ``build``)."""
    variant = "-next" if next_cycle else "-open" if keep_open else ""
    folder = ORGS / f"org-{size}{variant}-v{ORG_FORMAT}"
    if (folder / ".complete").is_file():
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    partial = folder.with_name(folder.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.parent.mkdir(parents=True, exist_ok=True)
    echo(f"  building the {size:,}-person organization (kept in {folder})")
    times = build(partial, size, next_cycle=next_cycle, keep_open=keep_open, echo=echo)
    (partial / ".complete").write_text(json.dumps(times) + "\n")
    partial.rename(folder)
    return folder


def workspace(folder: Path, size: int) -> Hub:
    """A workspace in ``folder``: ``build``'s organization with the next cycle planned as
    a draft named ``NEXT[0]``, ready to be opened (a copy of the one ``kept``)."""
    shutil.copytree(kept(size, next_cycle=True), folder)
    (folder / ".complete").unlink()
    return hub_for(folder)


NEXT = NEXT_CYCLE


def _reviews(hub: Hub, cycle: Any) -> None:
    """Most reviews submitted with answers in the writer's language and scored by the
    installed scoring rule; most manager reviews released, many acknowledged and some
    commented on; about one in ten left open. Then one calibration session."""
    from corehub.demo import DemoWriting
    from corehub.models import ReviewKind, ReviewStatus
    from corehub_self_assessment import demo, reviews, scoring

    rng = random.Random("self_assessment")
    words = DemoWriting(hub, "self_assessment words")
    now = hub.clock.now()
    stamp = now.isoformat()
    people = {p.id: p for p in hub.people.list()}
    stored = reviews.stored_reviews(hub, cycle)
    by_subject: dict[str, dict[ReviewKind, Any]] = {}
    for item in stored:
        by_subject.setdefault(item.review.subject_id, {})[item.review.kind] = item.review
    answers: list[tuple[str, str, int]] = []
    states: list[tuple[str, str, str, str | None, str | None, int]] = []
    comments: list[dict[str, Any]] = []
    done: list[tuple[str, str, str, str]] = []
    for subject in sorted(by_subject):
        person = people[subject]
        base = rng.uniform(2.6, 4.4)
        new_hire = person.hire_date is not None and person.hire_date > cycle.start
        own = by_subject[subject].get(ReviewKind.SELF)
        if own is not None and not new_hire and rng.random() < 0.9:
            bias = rng.choice([0.0, 0.4, 0.8])
            given = demo._answers(
                own.form, ReviewKind.SELF, rng, base, bias, words, subject, subject
            )
            scored, source = scoring.score_with_source(
                hub, attrs.evolve(own, answers=given, status=ReviewStatus.SUBMITTED)
            )
            answers.append((json.dumps(given, ensure_ascii=False), "", own.id))
            states.append(("submitted", _dump(hub, scored), json.dumps(source), None, None, own.id))
            done.append(("self", own.author_id, subject, stamp))
        review = by_subject[subject].get(ReviewKind.MANAGER)
        if review is None or new_hire or rng.random() < 0.12:
            continue
        author = review.author_id or ""
        given = demo._answers(
            review.form, ReviewKind.MANAGER, rng, base, 0.0, words, author, subject
        )
        if rng.random() < 0.35:  # an honest disagreement the packet shows
            rated = [k for k, v in given.items() if isinstance(v, int)]
            key = rng.choice(rated)
            given[key] = max(1, given[key] - 2)
        note = "" if words.rng.random() < 1 / 3 else words.pick(demo.NOTES, author)
        scored, source = scoring.score_with_source(
            hub, attrs.evolve(review, answers=given, status=ReviewStatus.SUBMITTED)
        )
        answers.append((json.dumps(given, ensure_ascii=False), note, review.id))
        done.append(("manager", author, subject, stamp))
        status, released, acknowledged = "submitted", None, None
        if rng.random() < 0.8:
            status, released = "released", stamp
            if rng.random() < 0.3:
                comments.append(
                    {
                        "review_id": review.id,
                        "cycle_id": cycle.id,
                        "author_id": subject,
                        "text": words.pick(demo.COMMENTS, subject),
                        "created_at": stamp,
                    }
                )
            if rng.random() < 0.65:
                status, acknowledged = "acknowledged", stamp
                done.append(("acknowledge", subject, subject, stamp))
        states.append(
            (status, _dump(hub, scored), json.dumps(source), released, acknowledged, review.id)
        )
    with hub.atomic() as db:
        db.conn.executemany(
            "UPDATE self_assessment_reviews SET answers = ?, private_note = ?, version = 1, "
            f"updated_at = '{stamp}' WHERE id = ?",
            answers,
        )
        db.conn.executemany(
            "UPDATE self_assessment_reviews SET status = ?, score = ?, score_source = ?, "
            f"submitted_at = '{stamp}', released_at = ?, acknowledged_at = ? WHERE id = ?",
            states,
        )
        db.conn.executemany(
            "UPDATE tasks SET status = 'done', completed_by = assignee_id, completed_at = ? "
            f"WHERE cycle_id = {cycle.id} AND kind = ? AND assignee_id = ? AND subject_id = ?",
            [(at, kind, who, subject) for kind, who, subject, at in done],
        )
        if comments:
            db.table("self_assessment_comments").insert_all(comments, batch_size=1000)
        demo._calibrate(hub, cycle)


def _dump(hub: Hub, value: Any) -> str:
    return json.dumps(hub.unstructure(value))


def _training(hub: Hub, cycle: Any) -> None:
    """Completions of the required courses imported from an LMS export (about 85% of each
    veteran's, data protection by most, some expired), then the rules' assignments made by
    ``sync`` (new hires' induction, what is missing, overdue where its due date passed);
    a product update assigned to one desk; about half the completions rated."""
    from corehub.demo import DemoWriting
    from corehub_training_tracker import demo
    from corehub_training_tracker.importer import import_completions
    from corehub_training_tracker.training import Training

    rng = random.Random("training_tracker")
    words = DemoWriting(hub, "training_tracker words")
    training = Training(hub)
    today = training.today
    people = hub.people.list()
    completed: list[tuple[str, str, dt.date]] = []
    required = training.required_of(people)  # what is on their record, read at once
    for person in people:
        if person.hire_date and person.hire_date >= today - dt.timedelta(days=90):
            continue  # new hires: their induction comes from the rules
        first = max(person.hire_date or dt.date(2015, 1, 1), dt.date(2024, 9, 1))
        courses = [c for c in required[person.id] if c not in {"induction"}]
        core = sorted((c for c in courses if c != "data-protection"), key=demo._prerequisites_first)
        days = sorted(demo._day_between(rng, first, dt.date(2026, 9, 30)) for _ in core)
        done: set[str] = set()
        for course_id, day in zip(core, days, strict=True):
            needs = set(training.catalogue.course(course_id).prerequisites)
            if rng.random() < 0.85 and needs <= done:
                completed.append((person.id, course_id, day))
                done.add(course_id)
        if "data-protection" in courses and rng.random() < 0.9:
            since = max(first, dt.date(2025, 9, 1))
            day = demo._day_between(rng, since, dt.date(2026, 10, 30))
            completed.append((person.id, "data-protection", day))
    path = hub.require_workspace() / "imports" / "lms-completions.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["person", "course", "completed_on", "score"])
        for person_id, course_id, day in completed:
            writer.writerow([person_id, course_id, day.isoformat(), rng.randint(68, 100)])
    import_completions(hub, path)
    madrid = [p for p in people if p.team == "Madrid" and p.level is Level.OPERATIONAL]
    if madrid:
        training.assign(
            "product-update",
            madrid,
            due=dt.date(2026, 11, 30),
            assigned_on=dt.date(2026, 9, 1),
            check_permission=False,
        )
    training.sync()
    ratings = []
    for person_id, course_id, day in completed:
        if rng.random() < 0.45:
            comments = demo.COMMENTS.get(course_id)
            ratings.append(
                {
                    "person_id": person_id,
                    "course_id": course_id,
                    "rating": rng.choices([2, 3, 4, 5], weights=[1, 3, 6, 4])[0],
                    "comment": words.pick(comments, person_id, about=course_id)
                    if comments and rng.random() < 0.4
                    else "",
                    "rated_on": (day + dt.timedelta(days=rng.randint(0, 20))).isoformat(),
                }
            )
    with hub.atomic() as db:
        db.table("training_feedback").insert_all(ratings, batch_size=2000)


def _feedback(hub: Hub, cycle: Any) -> None:
    """Praise for every other agent from a colleague, the demo's suggestions answered,
    customer ratings imported from a CSAT export (one to three a month per agent, who
    solves about five tickets a month), three months of pulse answers from 70% of
    people, upward answers from four in five reports of every manager, and peer feedback
    for a dozen agents."""
    from corehub.demo import DemoWriting
    from corehub_feedback import demo, peers, suggestions
    from corehub_feedback.csat import import_csat
    from corehub_feedback.store import give

    rng = random.Random("feedback")
    words = DemoWriting(hub, "feedback words")
    today = hub.clock.today()
    stamp = hub.clock.now().isoformat()
    people = hub.people.list()
    agents = [p for p in people if p.level is Level.OPERATIONAL]
    teams: dict[str, list[Person]] = {}
    for agent in agents:
        teams.setdefault(agent.team or "", []).append(agent)
    ids = iter(rng.sample(range(100_000_000, 1_000_000_000), 6 * len(people) + 100))
    rows: list[dict[str, Any]] = []
    for agent in agents[::2]:
        giver = rng.choice([p for p in teams[agent.team or ""] if p.id != agent.id] or agents)
        text, tag = words.pick(demo.PRAISE, giver.id, about=agent.team)
        rows.append(
            {
                "id": next(ids),
                "kind": "praise",
                "recipient_id": agent.id,
                "author_id": giver.id,
                "anonymous": 0,
                "given_on": (today - dt.timedelta(days=rng.randint(5, 150))).isoformat(),
                "given_at": stamp,
                "text": text,
                "tags": json.dumps([tag]),
            }
        )
    for month in (10, 11, 12):
        for person in people:
            if rng.random() < 0.7:
                day = dt.date(
                    2026, month, min(rng.randint(1, 20), today.day if month == 12 else 28)
                )
                rows.append(
                    {
                        "id": next(ids),
                        "kind": "pulse",
                        "anonymous": 1,
                        "given_on": day.isoformat(),
                        "text": "",
                        "rating": float(max(0, min(10, round(rng.gauss(7.6, 1.8))))),
                        "tags": "[]",
                        "cohort": person.team,
                    }
                )
    by_manager: dict[str, list[Person]] = {}
    for person in people:
        if person.manager_id:
            by_manager.setdefault(person.manager_id, []).append(person)
    upward_day = min(today, cycle.due_for("upward"))
    for manager_id, reports in sorted(by_manager.items()):
        answering = rng.sample(reports, max(min(5, len(reports)), round(0.8 * len(reports))))
        for report in answering:
            rows.append(
                {
                    "id": next(ids),
                    "kind": "upward",
                    "recipient_id": manager_id,
                    "anonymous": 1,
                    "given_on": upward_day.isoformat(),
                    "text": ""
                    if words.rng.random() < 0.25
                    else words.pick(demo.UPWARD, report.id, about=manager_id),
                    "rating": float(rng.randint(3, 5)),
                    "tags": "[]",
                    "cycle_id": cycle.id,
                }
            )
    with hub.atomic() as db:
        db.table("feedback").insert_all(rows, batch_size=2000)
    reviewer = next(p for p in people if p.id in by_manager)
    for n, steps in enumerate(demo.SUGGESTION_STEPS):
        author = agents[n * 3 % len(agents)]
        item = give(
            hub,
            kind="suggestion",
            text=words.phrases(demo.SUGGESTIONS, author.id)[n][0],
            anonymous=n % 2 == 1,
            actor=author.id,
            on=today - dt.timedelta(days=120 - 20 * n),
        )
        answers = words.phrases(demo.SUGGESTIONS, reviewer.id)[n][1]
        for status, answer in zip(steps, answers, strict=True):
            suggestions.respond(hub, item.id, status=status, text=answer, actor=reviewer.id)
    path = hub.require_workspace() / "imports" / "csat.csv"
    number = 100_000
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["ticket_id", "agent", "score", "comment", "date"])
        for agent in agents:
            skill = rng.uniform(3.6, 4.7)
            for month in range(7, 13):
                for _ in range(rng.randint(1, 3)):  # of about five tickets a month
                    day = dt.date(2026, month, rng.randint(1, 28))
                    if day > today:
                        continue
                    score = max(1, min(5, round(rng.gauss(skill, 0.9))))
                    number += 1
                    comment = demo._customer_comment(words, agent.id, score)
                    writer.writerow([f"CSAT-{number}", agent.id, score, comment, day.isoformat()])
    import_csat(hub, path)
    for n, agent in enumerate(agents[:12]):
        colleagues = [p.id for p in teams[agent.team or ""] if p.id != agent.id]
        if len(colleagues) < 5:
            continue
        chosen = rng.sample(colleagues, min(len(colleagues), 6 if n % 3 else 5))
        peer_due = cycle.due_for("peer")
        with demo._on_day(hub, peer_due - dt.timedelta(days=20)):
            peers.request_peers(
                hub, cycle=cycle.id, person=agent.id, peers=chosen, actor=agent.manager_id
            )
        for k, peer_id in enumerate(chosen[: len(chosen) if n % 4 else len(chosen) - 1]):
            with demo._on_day(hub, peer_due - dt.timedelta(days=k + 1)):
                peers.submit_peer(
                    hub,
                    cycle=cycle.id,
                    about=agent.id,
                    rating=rng.randint(3, 5),
                    keep_doing=words.pick(demo.KEEP, peer_id, about=agent.id),
                    improve=words.pick(demo.IMPROVE, peer_id, about=agent.id),
                    actor=peer_id,
                )


def _quality(hub: Hub, cycle: Any) -> None:
    """KCS articles imported from a Guide export, sampled and checked by coaches; tickets
    (with conversations, CSAT and links to the articles they were solved with) imported
    from a Zendesk export, two per agent sampled each month and graded (the newest few
    left open); one calibration session and one dispute."""
    from corehub_quality import articles, articles_demo, demo, grading, sampling, scorecards
    from corehub_quality.tickets import import_tickets

    stamp = hub.clock.now().isoformat()
    folder = hub.require_workspace() / "imports"
    rng = random.Random("kcs articles")
    guide = folder / "guide-articles.json"
    guide.write_text(json.dumps(articles_demo.export(hub, rng), ensure_ascii=False), "utf-8")
    articles.import_articles(hub, guide)
    articles.sample_checks(hub, "2026-Q4", per_author=6, seed=2026)
    card = scorecards.get(hub, articles.SCORECARD)
    card_text = json.dumps(card, ensure_ascii=False, sort_keys=True)
    people = {p.id: p for p in hub.people.list()}
    skill: dict[str, float] = {}
    checks = []
    for check in articles.list_checks(hub):
        author = people[check["author_id"]]
        senior = author.role.startswith("Senior")
        level = skill.setdefault(
            author.id, articles_demo.SENIOR_SKILL if senior else rng.uniform(0.6, 0.95)
        )
        answers = {
            qid: ("yes" if senior or criterion["critical"] or rng.random() < level else "no")
            for qid, criterion in scorecards.criteria(card).items()
        }
        result = hub.hook.score_ticket(hub=hub, scorecard=card, answers=answers)
        checks.append(
            (
                card_text,
                json.dumps(answers, sort_keys=True),
                result.score,
                int(result.critical_failed),
                check["id"],
            )
        )
    by_team: dict[str, list[str]] = {}
    for row in hub.db.query(
        "SELECT a.article_id, p.team FROM quality_articles a JOIN people p ON p.id = a.author_id "
        "WHERE a.state = 'published' ORDER BY a.article_id"
    ):
        by_team.setdefault(row["team"], []).append(row["article_id"])
    links = random.Random("kcs links")

    def link(ticket: dict[str, Any], agent: Any) -> None:
        pool = by_team.get(agent.team or "", [])
        if pool and links.random() < 0.45:
            ticket["linked_articles"] = sorted(links.sample(pool, links.choice((1, 1, 1, 2))))

    # written ticket by ticket (2.5 M tickets at 100,000 people): never held whole
    path = folder / "zendesk-tickets.json"
    demo.write_export(hub, random.Random("quality"), path, link)
    import_tickets(hub, path)
    for month in demo.MONTHS:
        sampling.sample(hub, f"2026-{month:02d}", per_agent=2, strategy="mixed", seed=2026 + month)
    tasks = list(
        hub.db.query(
            "SELECT k.id, k.grader_id, k.ticket_row, t.agent_id, t.channel FROM quality_tasks k "
            "JOIN quality_tickets t ON t.id = k.ticket_row ORDER BY k.id"
        )
    )
    cards: dict[str, dict[str, Any]] = {}
    grades = []
    skills: dict[str, float] = {}
    today = hub.clock.today().isoformat()
    for task in tasks[:-8]:  # the newest sample is not all graded yet
        level = skills.setdefault(task["agent_id"], rng.uniform(0.55, 0.95))
        if task["channel"] not in cards:
            cards[task["channel"]] = grading.scorecard_for(
                hub, {"task_id": task["id"], "channel": task["channel"]}
            )
        scorecard = cards[task["channel"]]
        answers = demo._answers(scorecard, level, rng, critical=rng.random() < 0.02)
        result = grading.score(hub, scorecard, answers)
        grades.append(
            {
                "task_id": task["id"],
                "ticket_row": task["ticket_row"],
                "agent_id": task["agent_id"],
                "grader_id": task["grader_id"],
                "scorecard_id": scorecard["id"],
                "scorecard_version": scorecard["version"],
                "scorecard": json.dumps(scorecard, ensure_ascii=False, sort_keys=True),
                "answers": json.dumps(answers, sort_keys=True),
                "comments": "{}",
                "score": result.score,
                "categories": json.dumps(result.categories, sort_keys=True),
                "critical_failed": int(result.critical_failed),
                "failed_criteria": json.dumps(list(result.failed_criteria)),
                "status": "submitted",
                "day": today,
                "saved_at": stamp,
                "submitted_at": stamp,
            }
        )
    with hub.atomic() as db:
        db.conn.executemany(
            "UPDATE quality_article_checks SET status = 'submitted', scorecard = ?, answers = ?, "
            f"score = ?, critical_failed = ?, day = '{today}', submitted_at = '{stamp}' "
            "WHERE id = ?",
            checks,
        )
        db.table("quality_grades").insert_all(grades, batch_size=1000)
        db.conn.executemany(
            "UPDATE quality_tasks SET status = 'submitted' WHERE id = ?",
            [(g["task_id"],) for g in grades],
        )
    demo._calibration(hub, rng)
    demo._dispute(hub)


def web_people(hub: Hub) -> dict[str, str]:
    """Whom the web benchmark signs in as: HR, a director over a region (the top one in a
    small organization), a supervisor, and an agent of theirs whose self-assessment is
    still to fill in: the first such agent whose director has a director above them, of a
    supervisor with their own self-assessment and a manager review still to fill in, where
    the organization has one."""
    row = hub.db.execute(
        "SELECT r.subject_id, p.manager_id, m.manager_id FROM self_assessment_reviews AS r "
        "JOIN people AS p ON p.id = r.subject_id JOIN people AS m ON m.id = p.manager_id "
        "JOIN people AS d ON d.id = m.manager_id WHERE r.kind = 'self' AND r.status = 'draft' "
        "AND m.level = 'supervisory' AND r.cycle_id = (SELECT id FROM cycles WHERE name = ?) "
        "ORDER BY coalesce(d.manager_id, '') = '', NOT EXISTS (SELECT 1 FROM "
        "self_assessment_reviews AS x WHERE x.cycle_id = r.cycle_id AND x.status = 'draft' "
        "AND x.kind = 'self' AND x.subject_id = m.id), NOT EXISTS (SELECT 1 FROM "
        "self_assessment_reviews AS y WHERE y.cycle_id = r.cycle_id AND y.status = 'draft' "
        "AND y.kind = 'manager' AND y.author_id = m.id), r.subject_id LIMIT 1",
        [CYCLE[0]],
    ).fetchone()
    agent, manager, director = row
    return {"hr": HR, "director": director, "manager": manager, "agent": agent}


def _working_day(hub: Hub, cycle: Any) -> None:
    """What an open cycle has in the middle of it, for the pages of the people
    ``web_people`` names: the supervisor's team asked for peer feedback about each other
    (the agent among those asked), a check-in of the supervisor with the agent, two of the
    tickets the supervisor grades still to grade, a quality calibration session the
    supervisor grades in and a dispute of a grade in their team, both still open."""
    from corehub_feedback import demo as feedback_demo
    from corehub_feedback import peers
    from corehub_quality import calibration, disputes, sampling
    from corehub_self_assessment import checkins

    who = web_people(hub)
    manager = who["manager"]
    checkins.create(
        hub,
        who["agent"],
        hub.clock.today() + dt.timedelta(days=3),
        agenda_items=["The queue after the holidays"],
        actor=manager,
    )
    with hub.atomic() as db:
        waiting = [
            row[0]
            for row in db.execute(
                "SELECT task_id FROM quality_grades WHERE grader_id = ? AND id NOT IN (SELECT "
                "grade_id FROM quality_disputes) ORDER BY id DESC LIMIT 2",
                [manager],
            ).fetchall()
        ]
        for task_id in waiting:
            db.execute("DELETE FROM quality_grades WHERE task_id = ?", [task_id])
            db.execute("UPDATE quality_tasks SET status = 'open' WHERE id = ?", [task_id])
    team = [
        row["id"]
        for row in hub.db.query(
            "SELECT id FROM people WHERE manager_id = ? AND active = 1 ORDER BY id", [manager]
        )
    ]
    asked = {
        row["subject_id"]
        for row in hub.db.query(
            "SELECT DISTINCT subject_id FROM tasks WHERE cycle_id = ? AND kind = 'peer'",
            [cycle.id],
        )
    }
    with feedback_demo._on_day(hub, cycle.due_for("peer") - dt.timedelta(days=20)):
        for n, person in enumerate(team):
            if person in asked or len(team) < 6:
                continue
            chosen = [team[(n + k) % len(team)] for k in range(1, 6)]
            peers.request_peers(hub, cycle=cycle.id, person=person, peers=chosen, actor=manager)
    graders = [g.id for g in sampling.graders(hub)]
    colleague = next((g for g in graders if g != manager), None)
    if manager in graders and colleague is not None:
        tickets = [
            f"{row['source']}:{row['ticket_id']}"
            for row in hub.db.query(
                "SELECT source, ticket_id FROM quality_tickets WHERE agent_id IN (SELECT id "
                "FROM people WHERE manager_id NOT IN (?, ?)) AND channel IN ('email', 'chat', "
                "'web') ORDER BY id LIMIT 5",
                [manager, colleague],
            )
        ]
        calibration.create(hub, "Working day written", tickets, [manager, colleague])
    grade = hub.db.execute(
        "SELECT g.id, g.agent_id FROM quality_grades AS g WHERE g.status = 'submitted' AND "
        "g.agent_id IN (SELECT id FROM people WHERE manager_id = ?) AND g.id NOT IN (SELECT "
        "grade_id FROM quality_disputes) ORDER BY g.agent_id != ?, g.id DESC LIMIT 1",
        [manager, who["agent"]],
    ).fetchone()
    if grade is not None:
        disputes.dispute(hub, grade[0], "The customer asked for this.", actor=grade[1])


def main(argv: list[str]) -> None:
    """``python benchmarks/orgs.py 1000 10000``: build organizations, print their steps' times."""
    import tempfile

    for size in [int(a) for a in argv] or [1_000]:
        with tempfile.TemporaryDirectory() as tmp:
            build(Path(tmp) / "org", size)


if __name__ == "__main__":
    main(sys.argv[1:])
