"""compliance_totals (HR's team page: everyone but the reader) from the counts the database
keeps (m008): the same figures as the compliance matrix worked out cell by cell, and as
compliance_counts over the same people, on organizations full of edge cases (rules by
team, role and level, new-hire rules with and without a team, a course required by both
kinds, people without a hire date, hires yet to start, who has left), after every kind of
write (completions, assignments, waivers, sync, records deleted, people moving level, role,
team or hire date, leaving, coming back, deleted) and on several days with nothing written.
The counts kept are those a recount from scratch finds, and the migration finds on data
written before it."""

from __future__ import annotations

import contextlib
import datetime as dt
import random
import shutil
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corehub import Hub
from corehub.errors import CorehubError
from corehub.models import Level, Person
from corehub.testing import FixedClock
from corehub_training_tracker import migrations
from corehub_training_tracker.training import Training

RULES = """rules:
  - {id: beta-writing, course_id: clear-writing, teams: [beta]}
  - {id: leads-write, course_id: clear-writing, levels: [supervisory], roles: [Team lead]}
  - {id: beta-product, course_id: product-update, teams: [beta], new_hires_within_days: 10}
  - {id: leads-coaching, course_id: supervisor-coaching, roles: [Team lead]}
  - {id: leads-new-listen, course_id: moments-of-truth, roles: [Team lead],
     new_hires_within_days: 20}
  - {id: gamma-strain, course_id: stress-handling, teams: [gamma], levels: [operational]}
"""
COURSES = (
    "active-listening",
    "clear-writing",
    "complaint-handling",
    "data-protection",
    "induction",
    "moments-of-truth",
    "product-update",
    "stress-handling",
    "supervisor-coaching",
)
TEAMS = ("alpha", "beta", "gamma", "")
ROLES = ("Service desk agent", "Team lead", "")
KEPT = (
    migrations.COMPLIANCE_ROWS,
    migrations.COMPLIANCE_COUNTS,
    migrations.RECORDED_COUNTS,
    migrations.PEOPLE_COUNTS,
    migrations.HIRE_COUNTS,
)


@pytest.fixture
def fresh(tracker: Hub, workspace: Path, tmp_path: Path) -> Iterator[Callable[[dt.date], Hub]]:
    """``fresh(today)``: a new workspace with the training tracker and the rules above (one
    per hypothesis example: nothing carries over)."""
    template = tmp_path / "template.db"
    with contextlib.closing(sqlite3.connect(template)) as copy:
        tracker.db.conn.backup(copy)
    made: list[Hub] = []

    def make(today: dt.date) -> Hub:
        folder = Path(tempfile.mkdtemp(dir=tmp_path))
        (folder / "courses").mkdir()
        shutil.copy(workspace / "corehub.toml", folder / "corehub.toml")
        shutil.copy(template, folder / "corehub.db")
        (folder / "courses" / "rules.yaml").write_text(RULES, encoding="utf-8")
        hub = Hub(folder, clock=FixedClock(f"{today}T09:00:00+00:00"), plugin_manager=tracker.pm)
        hub.migrate()
        made.append(hub)
        return hub

    yield make
    for hub in made:
        hub.close()


def _people(rng: random.Random, today: dt.date) -> list[Person]:
    people = []
    for n in range(rng.randint(2, 10)):
        hired = rng.choice(
            [None, today, today + dt.timedelta(days=rng.randint(1, 30))]
            + [today - dt.timedelta(days=rng.randint(1, 400))] * 4
        )
        people.append(
            Person(
                id=f"p{n}",
                name=f"Person {n}",
                team=rng.choice(TEAMS),
                level=rng.choice(list(Level)),
                role=rng.choice(ROLES),
                hire_date=hired,
                active=rng.random() < 0.85,
            )
        )
    return people


def _records(hub: Hub, rng: random.Random, people: list[Person], today: dt.date) -> None:
    """Completions (current, expired, without expiry) and assignments in every state,
    written in bulk as an import or a sync writes them."""
    day = lambda lo, hi: today + dt.timedelta(days=rng.randint(lo, hi))  # noqa: E731
    stamp = f"{today}T08:00:00+00:00"
    completions, assignments = [], []
    open_pairs = set()
    for person in people:
        for _ in range(rng.randint(0, 4)):
            done = day(-500, 0)
            completions.append(
                {
                    "person_id": person.id,
                    "course_id": rng.choice(COURSES),
                    "completed_on": done.isoformat(),
                    "expires_on": rng.choice(
                        [None, (done + dt.timedelta(days=365)).isoformat(), day(-5, 5).isoformat()]
                    ),
                    "source": "manual",
                    "recorded_at": stamp,
                }
            )
        for _ in range(rng.randint(0, 3)):
            status = rng.choice(["assigned", "in_progress", "overdue", "waived", "expired"])
            course = rng.choice(COURSES)
            if status in ("assigned", "in_progress", "overdue"):
                if (person.id, course) in open_pairs:
                    continue
                open_pairs.add((person.id, course))
            row: dict[str, Any] = {
                "person_id": person.id,
                "course_id": course,
                "assigned_on": day(-300, 0).isoformat(),
                "due": day(-30, 60).isoformat(),
                "status": status,
                "source": "rule:x",
                "created_at": stamp,
            }
            if status == "waived":
                row["waived_reason"] = "exempt"
                row["waived_until"] = rng.choice([None, day(-10, 10).isoformat()])
            assignments.append(row)
    with hub.atomic() as db:
        db.table("training_completions").insert_all(completions)
        db.table("training_assignments").insert_all(assignments)


def _write(hub: Hub, rng: random.Random, today: dt.date) -> None:
    """One write of any kind the counts depend on."""
    training = Training(hub)
    ids = [row[0] for row in hub.db.execute("SELECT id FROM people ORDER BY id")]
    who = rng.choice(ids)
    course = rng.choice(COURSES)
    kind = rng.randrange(12)
    try:
        if kind == 0:
            training.complete(who, course, today - dt.timedelta(days=rng.randint(0, 400)))
        elif kind == 1:
            until = rng.choice([None, today, today + dt.timedelta(days=3)])
            training.waive(who, course, "on leave", until=until)
        elif kind == 2:
            training.assign(course, [hub.people.get(who)], due=today)
        elif kind == 3:
            training.sync()
        elif kind in (4, 5, 6, 7):
            person = hub.people.get(who)
            change = {
                4: {"team": rng.choice(TEAMS), "role": rng.choice(ROLES)},
                5: {"level": rng.choice(list(Level))},
                6: {"hire_date": rng.choice([None, today, today - dt.timedelta(days=200)])},
                7: {"active": not person.active},
            }[kind]
            hub.people.save([attrs.evolve(person, **change)])
        elif kind == 8:
            with hub.atomic() as db:
                db.execute(
                    "DELETE FROM training_completions WHERE id IN (SELECT id FROM "
                    "training_completions WHERE person_id = ? LIMIT 1)",
                    [who],
                )
        elif kind == 9:
            with hub.atomic() as db:
                db.execute("DELETE FROM training_assignments WHERE person_id = ?", [who])
        elif kind == 10:
            with hub.atomic() as db:
                db.execute(
                    "UPDATE training_completions SET expires_on = ? WHERE person_id = ?",
                    [today.isoformat(), who],
                )
        else:  # a person without records deleted (when nothing else names them)
            with contextlib.suppress(sqlite3.IntegrityError), hub.atomic() as db:
                db.execute(
                    "DELETE FROM people WHERE id = ? AND NOT EXISTS (SELECT 1 FROM "
                    "training_completions WHERE person_id = people.id) AND NOT EXISTS "
                    "(SELECT 1 FROM training_assignments WHERE person_id = people.id)",
                    [who],
                )
            hub.people.save(  # and someone new joins
                [Person(id=f"n{len(ids)}", name="New", role="Team lead", hire_date=today)]
            )
    except CorehubError:
        pass  # refused (not a known person, already waived...): nothing written


def _kept(hub: Hub) -> dict[str, list[tuple[Any, ...]]]:
    return {
        table: sorted(tuple(row) for row in hub.db.execute(f"SELECT * FROM [{table}]"))
        for table in KEPT
    }


def _recounted(hub: Hub) -> dict[str, list[tuple[Any, ...]]]:
    """The counts m008 keeps, counted from scratch: the people and the stored last days."""
    db = hub.db
    rows = sorted(
        tuple(row)
        for row in db.execute(
            "SELECT k.person_id, k.course_id, p.level, p.role, coalesce(p.hire_date, ''), "
            "(k.person_id, k.course_id) IN (SELECT person_id, course_id FROM "
            "training_assignments UNION SELECT person_id, course_id FROM training_completions), "
            "k.through FROM training_compliance AS k JOIN people AS p ON p.id = k.person_id "
            "WHERE p.active"
        )
    )
    grouped: dict[str, dict[tuple[Any, ...], int]] = {t: {} for t in KEPT[1:]}

    def add(table: str, key: tuple[Any, ...]) -> None:
        grouped[table][key] = grouped[table].get(key, 0) + 1

    for _, course, level, role, hire_date, recorded, through in rows:
        add(KEPT[1], (course, level, role, int(hire_date != ""), recorded, through))
        if recorded and hire_date:
            add(KEPT[2], (course, hire_date, level, role))
    for level, role, hire_date in db.execute(
        "SELECT level, role, coalesce(hire_date, '') FROM people WHERE active"
    ):
        add(KEPT[3], (level, role, int(hire_date != "")))
        if hire_date:
            add(KEPT[4], (hire_date, level, role))
    return {KEPT[0]: rows} | {
        table: sorted((*key, n) for key, n in counts.items()) for table, counts in grouped.items()
    }


def _cell_by_cell(training: Training, excluding: str | None) -> dict[str, tuple[int, int]]:
    """The figures of the matrix of every active person but ``excluding``."""
    people = [p for p in training.hub.people.list() if p.active and p.id != excluding]
    counts: dict[str, tuple[int, int]] = {}
    for (_, course_id), cell in training.matrix(people).cells.items():
        compliant, required = counts.get(course_id, (0, 0))
        counts[course_id] = (compliant + cell.compliant, required + 1)
    return counts


def _figures_agree(hub: Hub, rng: random.Random) -> None:
    for days in (0, 1, 12, 40, 400):  # nothing written: recent hires age, waivers end
        hub.clock.set(hub.clock.now() + dt.timedelta(days=days))  # type: ignore[attr-defined]
        training = Training(hub)
        ids = [row[0] for row in hub.db.execute("SELECT id FROM people")]
        for excluding in (None, rng.choice(ids)):
            totals = training.compliance_totals(excluding=excluding)
            assert totals == _cell_by_cell(training, excluding), (days, excluding)
            assert totals == training.compliance_counts(
                "SELECT * FROM people WHERE active = 1 AND id IS NOT :x", {"x": excluding}
            )


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(seed=st.integers(0, 2**32), offset=st.integers(0, 364), writes=st.integers(0, 12))
def test_the_totals_are_the_matrix_s_after_every_write_and_on_every_day(
    fresh: Callable[[dt.date], Hub], seed: int, offset: int, writes: int
) -> None:
    today = dt.date(2026, 1, 1) + dt.timedelta(days=offset)
    hub = fresh(today)
    rng = random.Random(seed)
    people = _people(rng, today)
    hub.people.save(people)
    _records(hub, rng, people, today)
    assert _kept(hub) == _recounted(hub)
    for _ in range(writes):
        _write(hub, rng, today)
        assert _kept(hub) == _recounted(hub)
    _figures_agree(hub, rng)


def test_the_migration_counts_what_is_there_already(fresh: Callable[[dt.date], Hub]) -> None:
    """m008 on a workspace written before it (its tables and triggers gone): the counts
    are those the triggers keep; run again, it starts afresh."""
    today = dt.date(2026, 3, 2)
    hub = fresh(today)
    rng = random.Random(8)
    newcomer = Person(id="z-new", name="Z", role="Team lead", team="beta", hire_date=today)
    people = [*_people(rng, today), newcomer]
    hub.people.save(people)
    _records(hub, rng, people, today)
    for _ in range(10):
        _write(hub, rng, today)
    kept = _kept(hub)
    assert kept[migrations.COMPLIANCE_COUNTS] and kept[migrations.HIRE_COUNTS]
    with hub.atomic() as db:
        for name in migrations._COMPLIANCE_TRIGGERS:
            db.execute(f"DROP TRIGGER [{migrations.COMPLIANCE_ROWS}_{name}]")
        for table in KEPT:
            db.execute(f"DROP TABLE [{table}]")
    with hub.atomic() as db:
        migrations.m008_compliance_counts(db)
    assert _kept(hub) == kept == _recounted(hub)
    with hub.atomic() as db:
        migrations.m008_compliance_counts(db)
    assert _kept(hub) == kept
    # and the triggers it made keep them
    Training(hub).complete("z-new", "product-update", today)
    assert _kept(hub) == _recounted(hub) != kept
    _figures_agree(hub, rng)


def test_a_course_file_changed_needs_no_recount(fresh: Callable[[dt.date], Hub]) -> None:
    """The rules are applied when the totals are read: other rules, other figures, from
    the same counts."""
    today = dt.date(2026, 6, 1)
    hub = fresh(today)
    rng = random.Random(3)
    people = _people(rng, today)
    hub.people.save(people)
    _records(hub, rng, people, today)
    before = Training(hub).compliance_totals()
    (hub.path("courses") / "rules.yaml").write_text(
        "rules:\n  - {id: all-write, course_id: clear-writing}\n"
        "  - {id: alpha-strain, course_id: stress-handling, teams: [alpha],"
        " new_hires_within_days: 400}\n",
        encoding="utf-8",
    )
    again = Hub(hub.require_workspace(), clock=hub.clock, plugin_manager=hub.pm)
    try:
        training = Training(again)
        after = training.compliance_totals()
        assert after != before
        assert after == _cell_by_cell(training, None)
    finally:
        again.close()
