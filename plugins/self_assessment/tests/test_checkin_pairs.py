"""The check-ins overview reads stored pairs (checkins m003), kept by triggers.

Whatever is written (check-ins recorded, moved to another day or removed, people moving
team or manager, leaving, coming back, renamed, hired; the cadences changed) and whatever
today is, the overview's rows, their order, figures, counts and pages equal the ones
worked out from scratch from the people and the check-ins, as the overview did before it
had stored pairs.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from typing import Any

import attrs
import pytest
import sqlite_utils
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corehub.errors import CorehubError
from corehub.models import Level, Person
from corehub_self_assessment import checkins, checkins_overview, checkins_storage

BASE = dt.date(2026, 3, 2)  # the test clock's day
TEAMS = ("alpha", "beta", "gamma")

# The overview worked out from scratch: every pair of today's org chart, each figure a
# query over the check-ins (the overview's own query before the stored pairs).
_SCRATCH = """
WITH pairs AS (
    SELECT p.id AS person_id, p.name AS person, p.team AS team, p.hire_date AS hire_date,
           m.id AS manager_id, m.name AS manager, {cadence} AS cadence_days
    FROM people AS p JOIN people AS m ON m.id = p.manager_id
    WHERE p.active = 1 AND m.active = 1 AND p.id != m.id
      AND (p.leaving_date IS NULL OR p.leaving_date > :today)
      AND (m.leaving_date IS NULL OR m.leaving_date > :today)
),
met AS (
    SELECT pairs.*,
        (SELECT max(day) FROM self_assessment_checkins AS c WHERE c.manager_id = pairs.manager_id
            AND c.person_id = pairs.person_id AND c.day <= :today) AS last,
        (SELECT min(day) FROM self_assessment_checkins AS c WHERE c.manager_id = pairs.manager_id
            AND c.person_id = pairs.person_id AND c.day > :today) AS planned,
        (SELECT count(*) FROM self_assessment_checkins AS c WHERE c.manager_id = pairs.manager_id
            AND c.person_id = pairs.person_id AND c.day <= :today AND c.day > :since) AS held,
        (SELECT count(*) FROM self_assessment_checkin_actions AS a
            JOIN self_assessment_checkins AS c ON c.id = a.checkin_id
            WHERE c.manager_id = pairs.manager_id AND c.person_id = pairs.person_id
            AND a.done_at IS NULL) AS actions_open,
        (SELECT count(*) FROM self_assessment_checkin_actions AS a
            JOIN self_assessment_checkins AS c ON c.id = a.checkin_id
            WHERE c.manager_id = pairs.manager_id AND c.person_id = pairs.person_id
            AND a.done_at IS NULL AND a.due < :today) AS actions_late
    FROM pairs
),
due AS (
    SELECT met.*,
        CAST(julianday(:today) - julianday(last) AS INTEGER) AS days_since,
        CASE
            WHEN cadence_days IS NULL OR cadence_days <= 0 THEN NULL
            WHEN last IS NOT NULL THEN date(last, '+' || cadence_days || ' days')
            WHEN hire_date IS NOT NULL
                THEN max(date(hire_date, '+' || cadence_days || ' days'), :today)
            ELSE :today
        END AS next_due
    FROM met
)
SELECT *, (next_due IS NOT NULL AND next_due < :today AND planned IS NULL) AS overdue
FROM due ORDER BY overdue DESC, last IS NOT NULL, days_since DESC,
    team, manager, manager_id, person, person_id
"""

_KEYS = (
    "team", "manager_id", "manager", "person_id", "person", "last", "planned", "held",
    "actions_open", "actions_late", "days_since", "next_due", "cadence_days", "overdue",
)  # fmt: skip


def from_scratch(
    hub: Any, *, team: str | None = None, manager_id: str | None = None, overdue_only: bool = False
) -> list[dict[str, Any]]:
    settings_ = checkins.settings_of(hub)
    today = hub.clock.today()
    cadence = str(settings_.cadence_days)
    if settings_.teams:
        cases = "".join(f"WHEN '{t}' THEN {d} " for t, d in settings_.teams.items())
        cadence = f"CASE p.team {cases}ELSE {cadence} END"
    params = {"today": today.isoformat(), "since": (today - dt.timedelta(days=365)).isoformat()}
    rows = []
    for row in hub.db.query(_SCRATCH.format(cadence=cadence), params):
        if team is not None and row["team"] != team:
            continue
        if manager_id is not None and row["manager_id"] != manager_id:
            continue
        if overdue_only and not row["overdue"]:
            continue
        row["cadence_days"] = row["cadence_days"] or None
        row["overdue"] = bool(row["overdue"])
        rows.append({k: row[k] for k in _KEYS})
    return rows


def _read(hub: Any, **filters: Any) -> list[dict[str, Any]]:
    return [{k: r[k] for k in _KEYS} for r in checkins_overview.overview(hub, **filters)]


def check(hub: Any) -> None:
    """The overview (whole, filtered, counted and paged) equals the one from scratch."""
    for filters in (
        {},
        {"overdue_only": True},
        {"team": "alpha"},
        {"team": "gamma", "overdue_only": True},
        {"manager_id": "alpha-lead"},
    ):
        expected = from_scratch(hub, **filters)
        assert _read(hub, actor="hr-1", **filters) == expected, filters
        assert checkins_overview.count(hub, actor="hr-1", **filters) == len(expected), filters
    everyone = from_scratch(hub)
    for offset in (0, 3, 7):
        page = checkins_overview.overview(hub, limit=4, offset=offset, actor="hr-1")
        assert [{k: r[k] for k in _KEYS} for r in page] == everyone[offset : offset + 4]


def set_cadences(hub: Any, default: int, teams: dict[str, int]) -> None:
    """``[settings.checkins]`` as editing corehub.toml would say it."""
    hub.config.settings["checkins"] = {"cadence_days": default, "teams": teams}
    hub.reload_settings()


@pytest.fixture
def org(hub: Any, plugin: Any) -> Any:
    """Three teams under boss, a lead and four agents each, and HR."""
    hub.people.save(
        [
            Person(id="boss", name="Bo Boss", level=Level.DIRECTIVE, team="board"),
            Person(id="hr-1", name="Hilda HR", team="HR", manager_id="boss"),
            *(
                Person(id=f"{t}-lead", name=f"Lead {t}", level=Level.SUPERVISORY,
                       team=t, manager_id="boss")
                for t in TEAMS
            ),
            *(
                Person(id=f"{t}-{i:02d}", name=f"Agent {t} {i}", team=t,
                       manager_id=f"{t}-lead", hire_date=dt.date(2026, 1, 1 + 7 * i))
                for t in TEAMS
                for i in range(4)
            ),
        ]
    )  # fmt: skip
    hub.config = attrs.evolve(
        hub.config, organization=attrs.evolve(hub.config.organization, hr=("hr-1",))
    )
    set_cadences(hub, 14, {"beta": 7, "gamma": 0})
    return hub


def _hold(hub: Any, person_id: str, day: dt.date) -> None:
    person = hub.people.get(person_id)
    # refused when not someone's report today, or already a check-in that day
    with contextlib.suppress(CorehubError):
        checkins.create(hub, person_id, day, actor=person.manager_id)


def test_every_kind_of_pair_agrees_with_the_overview_from_scratch(org: Any, clock: Any) -> None:
    """Overdue (by the default and a team's own cadence), met within the cadence, never
    met (a newcomer's cadence from the hire date), a check-in planned, a team without a
    cadence, someone leaving, on many days before and after the check-ins."""
    hub = org
    for person, day in (
        ("alpha-00", "2026-01-10"),
        ("alpha-01", "2026-02-26"),
        ("alpha-02", "2026-01-20"),
        ("alpha-02", "2026-03-09"),
        ("beta-00", "2026-02-20"),
        ("beta-01", "2026-03-01"),
        ("gamma-00", "2025-06-01"),
        ("gamma-01", "2026-03-20"),
        ("gamma-01", "2026-04-02"),
    ):
        _hold(hub, person, dt.date.fromisoformat(day))
    hub.people.save([attrs.evolve(hub.people.get("beta-02"), leaving_date=dt.date(2026, 3, 10))])
    # action items: open, late (from 2026-02-01), done
    (alpha00,) = checkins.checkins_of(hub, person_id="alpha-00")
    for due in ("2026-02-01", "2026-03-20", "2026-03-25"):
        checkins.add_action(
            hub, alpha00.id, f"Do {due}", owner="alpha-00", due=due, actor="alpha-lead"
        )
    done = checkins.add_action(
        hub, alpha00.id, "Done", owner="alpha-00", due="2026-02-02", actor="alpha-lead"
    )
    checkins.set_done(hub, done, actor="alpha-00")
    check(hub)
    (first,) = checkins_overview.overview(hub, team="alpha", limit=1, actor="hr-1")
    assert (first["person_id"], first["actions_open"], first["actions_late"]) == ("alpha-00", 3, 1)
    overdue = [r["person_id"] for r in checkins_overview.overview(hub, actor="hr-1")]
    assert overdue[:2] == ["alpha-00", "beta-00"]
    for days in (-400, -40, -1, 1, 7, 8, 19, 31, 45, 400):
        clock.set((BASE + dt.timedelta(days=days)).isoformat())
        check(hub)
    clock.set(BASE.isoformat())
    _hold(hub, "gamma-02", BASE)  # the pairs kept as of today
    # a check-in moved to another day, one removed (as an operator would in the database)
    with hub.atomic() as db:
        db.execute(
            "UPDATE self_assessment_checkins SET day = '2026-02-27' WHERE person_id = 'alpha-00'"
        )
        db.execute("DELETE FROM self_assessment_checkins WHERE person_id = 'beta-00'")
    check(hub)
    # someone hired by mistake and deleted again
    hub.people.save([Person(id="oops", name="Oops", team="beta", manager_id="beta-lead")])
    check(hub)
    with hub.atomic() as db:
        for table in ("people_match", "self_assessment_new_hire_reviews"):
            db.execute(f"DELETE FROM [{table}] WHERE person_id = 'oops'")
        db.execute("DELETE FROM people WHERE id = 'oops'")
    check(hub)


def _ops() -> st.SearchStrategy[list[tuple[Any, ...]]]:
    people = st.sampled_from([f"{t}-{i:02d}" for t in TEAMS for i in range(5)] + ["alpha-lead"])
    managers = st.sampled_from(["boss", *(f"{t}-lead" for t in TEAMS), "alpha-01"])
    offset = st.integers(-60, 40)
    op = st.one_of(
        st.tuples(st.just("hold"), people, offset),
        st.tuples(st.just("remove"), st.integers(0, 20)),
        st.tuples(st.just("move day"), st.integers(0, 20), offset),
        st.tuples(st.just("team"), people, st.sampled_from(TEAMS)),
        st.tuples(st.just("manager"), people, managers),
        st.tuples(st.just("active"), st.sampled_from(["alpha-lead", "beta-00", "alpha-02"])),
        st.tuples(st.just("leaving"), people, st.none() | offset),
        st.tuples(st.just("rename"), st.sampled_from(["alpha-lead", "beta-01", "gamma-02"])),
        st.tuples(st.just("hire"), st.sampled_from(TEAMS), st.none() | offset),
        st.tuples(
            st.just("cadence"),
            st.sampled_from([0, 7, 14]),
            st.dictionaries(st.sampled_from(TEAMS), st.sampled_from([0, 3, 10, 30]), max_size=2),
        ),
        st.tuples(st.just("today"), offset),
    )
    return st.lists(op, min_size=1, max_size=8)


def _apply(hub: Any, clock: Any, op: tuple[Any, ...]) -> None:
    kind, *args = op
    today = hub.clock.today()
    ids = [r[0] for r in hub.db.execute("SELECT id FROM self_assessment_checkins ORDER BY id")]
    if kind == "hold":
        found = hub.people.find(args[0])
        if found is not None and found.manager_id:
            _hold(hub, args[0], today + dt.timedelta(days=args[1]))
    elif kind == "remove" and ids:
        gone = ids[args[0] % len(ids)]
        with hub.atomic() as db:
            db.execute("DELETE FROM self_assessment_checkin_agenda WHERE checkin_id = ?", [gone])
            db.execute("DELETE FROM self_assessment_checkins WHERE id = ?", [gone])
    elif kind == "move day" and ids:
        day = (today + dt.timedelta(days=args[1])).isoformat()
        with hub.atomic() as db:
            db.execute(
                "UPDATE OR IGNORE self_assessment_checkins SET day = ? WHERE id = ?",
                [day, ids[args[0] % len(ids)]],
            )
    elif kind in ("team", "manager", "leaving", "active", "rename"):
        person = hub.people.find(args[0])
        if person is None:
            return
        change: dict[str, Any] = {
            "team": lambda: {"team": args[1]},
            "manager": lambda: {"manager_id": args[1]},
            "leaving": lambda: {
                "leaving_date": None if args[1] is None else today + dt.timedelta(days=args[1])
            },
            "active": lambda: {"active": not person.active},
            "rename": lambda: {"name": person.name[::-1]},
        }[kind]()
        with contextlib.suppress(CorehubError):  # a manager of themselves, through others
            hub.people.save([attrs.evolve(person, **change)])
    elif kind == "hire":
        n = hub.db.execute("SELECT count(*) FROM people").fetchone()[0]
        hire = None if args[1] is None else today + dt.timedelta(days=args[1])
        with contextlib.suppress(CorehubError):  # their lead left
            hub.people.save(
                [Person(id=f"new-{n}", name=f"New {n}", team=args[0],
                        manager_id=f"{args[0]}-lead", hire_date=hire)]
            )  # fmt: skip
    elif kind == "cadence":
        set_cadences(hub, args[0], args[1])
    elif kind == "today":
        clock.set((BASE + dt.timedelta(days=args[0])).isoformat())


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=_ops())
def test_after_every_write_and_on_any_day_the_overview_is_the_one_from_scratch(
    org: Any, clock: Any, ops: list[tuple[Any, ...]]
) -> None:
    hub = org
    hub.db.execute("BEGIN")  # each example starts from the same organization
    try:
        for op in ops:
            _apply(hub, clock, op)
            check(hub)
    finally:
        hub.db.conn.rollback()
        clock.set(BASE.isoformat())
        set_cadences(hub, 14, {"beta": 7, "gamma": 0})


def test_a_workspace_from_before_the_stored_pairs_gets_them(org: Any, clock: Any) -> None:
    """An existing workspace (check-ins held before checkins m003) gets its pairs when the
    migration runs, as of the day it runs, and they are kept in step afterwards."""
    hub = org
    for person, day in (("alpha-00", "2026-01-10"), ("beta-01", "2026-03-20")):
        _hold(hub, person, dt.date.fromisoformat(day))
    db = hub.db
    for (name,) in db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE ?",
        [f"{checkins_storage.PAIRS}%"],
    ).fetchall():
        db.execute(f"DROP TRIGGER [{name}]")
    db.execute(f"DROP TABLE [{checkins_storage.PAIRS}]")
    db.execute(f"DROP TABLE [{checkins_storage.PAIRS_AS_OF}]")
    db.execute(
        "DELETE FROM _sqlite_migrations WHERE migration_set = 'self_assessment_checkins' "
        "AND name = 'm003_checkin_pairs'"
    )
    # written while the workspace had no stored pairs
    hub.db.execute(
        "INSERT INTO self_assessment_checkins (manager_id, person_id, day, created_by, "
        "created_at) VALUES ('gamma-lead', 'gamma-01', '2026-02-01', 'gamma-lead', '')"
    )
    hub.people.save([attrs.evolve(hub.people.get("alpha-01"), team="beta")])
    checkins_storage.migrations.apply(sqlite_utils.Database(db.conn))
    assert db.execute(f"SELECT count(*) FROM [{checkins_storage.PAIRS}]").fetchone()[0] == 16
    for days in (0, -50, 30):
        clock.set((BASE + dt.timedelta(days=days)).isoformat())
        check(hub)
    _hold(hub, "gamma-02", BASE + dt.timedelta(days=31))
    hub.people.save([attrs.evolve(hub.people.get("beta-lead"), active=False)])
    check(hub)
