"""The calibration view reads rows and counts the database keeps (storage m007): through
every write they depend on, they hold what the reviews say, and the view's figures are
those worked out here from scratch, review by review, with ``statistics``."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter, defaultdict
from typing import Any

import attrs
import pytest
import sqlite_utils

from corehub.errors import NotFoundError
from corehub.loaders import search_words
from corehub.models import Level, Person
from corehub.testing import count_statements
from corehub_self_assessment import calibration, reviews, storage

RATED = (
    "communication",
    "active_listening",
    "complaint_handling",
    "problem_solving",
    "product_knowledge",
    "stress_handling",
    "knowledge_sharing",
    "teamwork",
)


@pytest.fixture
def org(hub, team, make_people, answers):
    """A calibrated cycle over two teams (alpha: three agents; beta: five), HR, every
    agent's self-assessment and manager review submitted, ratings spread so that some are
    at the edges; beta-04's self-assessment left as a draft (no gap for them), the leads'
    reviews too (not in the view)."""
    make_people(team="beta", agents=5, manager_id="boss")
    hub.people.save([Person(id="hr-1", name="Hana HR", team="HR")])
    hub.config = attrs.evolve(
        hub.config, organization=attrs.evolve(hub.config.organization, hr=["hr-1"])
    )
    hub.cycles.create(
        "2026 Cal",
        start=dt.date(2026, 1, 1),
        end=dt.date(2026, 6, 30),
        due={"self": dt.date(2026, 3, 1)},
        calibrate=True,
    )
    cycle = hub.cycles.open("2026 Cal").cycle
    ratings = {
        "alpha-01": 5,
        "alpha-02": 3,
        "alpha-03": 3,
        "beta-01": 3,
        "beta-02": 3,
        "beta-03": 1,
        "beta-04": 4,
        "beta-05": 3,
    }
    for person, value in ratings.items():
        if person != "beta-04":
            _submit(hub, cycle, person, "self", answers["self"], 4)
        _submit(hub, cycle, person, "manager", answers["manager"], value, _lead(person))
    return cycle


def _lead(person: str) -> str:
    return f"{person.split('-')[0]}-lead"


def _submit(
    hub: Any,
    cycle: Any,
    person: str,
    kind: str,
    base: dict[str, Any],
    value: int,
    author: str | None = None,
) -> None:
    mine = {**base, **{q: value for q in RATED}, "teamwork": max(1, value - 1)}
    reviews.save_draft(hub, cycle, person, kind, mine, actor=author or person)
    reviews.submit(hub, cycle, person, kind, actor=author or person)


def _from_scratch(hub: Any, cycle: Any, scope: str) -> dict[str, Any]:
    """The view's figures over ``scope``, from each member's reviews as the reviews library
    gives them (the stored scores, the calibrations), one by one."""
    overall: dict[str, float | None] = {}
    author_of: dict[str, str] = {}
    by_manager: dict[str, list[float]] = defaultdict(list)
    competencies: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    gaps: dict[str, list[float]] = defaultdict(list)
    first = None
    for person in hub.cycles.members(cycle):
        if not calibration.in_scope(person, scope):
            continue
        try:
            review = reviews.find(hub, cycle, person.id, "manager").review
        except NotFoundError:
            continue
        if review.status.value == "draft":
            continue
        first = review.id if first is None else min(first, review.id)
        score = calibration.calibrated_score(hub, review, reviews.given_score(hub, review))
        overall[person.id] = score.overall
        author_of[person.id] = review.author_id
        by_manager.setdefault(review.author_id, [])
        if score.overall is not None:
            by_manager[review.author_id].append(score.overall)
        for c, v in score.competencies.items():
            competencies[review.author_id][c].append(v)
        mine = reviews.find(hub, cycle, person.id, "self").review
        if mine.status.value != "draft" and score.overall is not None:
            own = reviews.given_score(hub, mine).overall
            if own is not None:
                gaps[person.team or "-"].append(round(score.overall - own, 2))
    values = [v for v in overall.values() if v is not None]
    mean = statistics.fmean(values) if values else None
    spread = statistics.pstdev(values) if len(values) > 1 else None
    edges = (
        {p for p, v in overall.items() if v is not None and abs((v - mean) / spread) >= 1.5}
        if spread
        else set()
    )

    def shares(v: list[float]) -> dict[str, float]:
        points = Counter(min(max(round(x), 1), 5) for x in v)
        return {str(p): round(points[p] / len(v), 3) if v else 0.0 for p in range(1, 6)}

    return {
        "reviewed": len(overall),
        "overall": {
            "n": len(values),
            "mean": round(mean, 2) if mean is not None else None,
            "spread": round(spread, 2) if spread is not None else 0.0 if values else None,
        },
        "managers": {
            m: (
                len(v),
                round(statistics.fmean(v), 2) if v else None,
                round(statistics.pstdev(v), 2) if len(v) > 1 else 0.0 if v else None,
                shares(v),
                {c: round(statistics.fmean(x), 2) for c, x in sorted(competencies[m].items())},
            )
            for m, v in by_manager.items()
        },
        "gaps": {t: (len(v), round(statistics.fmean(v), 2)) for t, v in gaps.items()},
        "edges": edges,
        "ratings": {p: (author_of[p], v) for p, v in overall.items()},
        "first": first,
    }


def _scopes(hub: Any, cycle: Any) -> list[str]:
    members = hub.cycles.members(cycle)
    teams = sorted({f"team:{p.team}" for p in members if p.team})
    return ["all", *teams, *sorted({f"level:{p.level}" for p in members})]


def _stored(hub: Any) -> tuple[set[tuple[Any, ...]], set[tuple[Any, ...]]]:
    rows = {
        tuple(r) for r in hub.db.execute(f"SELECT * FROM [{storage.CALIBRATION_ROWS}]").fetchall()
    }
    counts = {
        tuple(r) for r in hub.db.execute(f"SELECT * FROM [{storage.CALIBRATION_COUNTS}]").fetchall()
    }
    return rows, counts


def _recounted(hub: Any) -> tuple[set[tuple[Any, ...]], set[tuple[Any, ...]]]:
    """The rows worked out from scratch (the storage's own definition of one), and their
    counts per scope counted here."""
    rows = {
        tuple(r)
        for r in hub.db.execute(
            storage.CALIBRATION_ROW_SQL.format(where="true") + " ORDER BY r.id"
        ).fetchall()
    }
    counted: Counter[tuple[Any, ...]] = Counter()
    for _, cycle_id, _, author, team, level, _, overall, mine, _ in rows:
        for scope in ("all", f"team:{team}", f"level:{level}"):
            counted[(cycle_id, scope, "reviews", "")] += 1
            counted[(cycle_id, scope, "author", author)] += 1
            if overall is not None:
                counted[(cycle_id, scope, "value", overall)] += 1
                if mine is not None:
                    counted[(cycle_id, scope, "team", team or "-")] += 1
    return rows, {(*key, n) for key, n in counted.items()}


def _named(hub: Any) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """The names index of the calibration rows (storage m010, m011), and the same worked
    out from the rows and today's names: name and id folded as the people finder folds
    them, then again with the parts of words apart, each word after two spaces."""
    stored = hub.db.execute(
        f"SELECT rowid, named FROM [{storage.CALIBRATION_NAMES}] ORDER BY rowid"
    ).fetchall()
    expected = hub.db.execute(
        f"SELECT w.review_id, p.name, w.subject_id FROM [{storage.CALIBRATION_ROWS}] "
        "AS w JOIN people AS p ON p.id = w.subject_id ORDER BY w.review_id"
    ).fetchall()
    return [tuple(r) for r in stored], [
        (review, "".join(f"  {w}" for w in search_words(name, pid).split()))
        for review, name, pid in expected
    ]


def _check(hub: Any, cycle: Any) -> None:
    """What is stored is what the reviews say, and so is every scope's view."""
    assert _stored(hub) == _recounted(hub)
    stored, expected = _named(hub)
    assert stored == expected
    # the full-text index agrees with what it holds (FTS5's own check), and finds each
    hub.db.execute(
        f"INSERT INTO [{storage.CALIBRATION_NAMES}] ([{storage.CALIBRATION_NAMES}]) "
        "VALUES ('integrity-check')"
    )
    subjects = hub.db.execute(f"SELECT subject_id FROM [{storage.CALIBRATION_ROWS}]").fetchall()
    for (subject,) in subjects:
        for find in (hub.people.get(subject).name, subject):
            found = calibration.adjustable(hub, cycle, "all", actor="hr-1", find=find)
            assert subject in {r["person"] for r in found}, (find, subject)
    for scope in _scopes(hub, cycle):
        expected = _from_scratch(hub, cycle, scope)
        data = calibration.view(hub, cycle, scope, actor="hr-1")
        assert data["reviewed"] == expected["reviewed"], scope
        assert data["overall"] == expected["overall"], scope
        assert {
            m["manager"]: (m["n"], m["mean"], m["spread"], m["shares"], m["competencies"])
            for m in data["managers"]
        } == expected["managers"], scope
        assert {g["team"]: (g["n"], g["mean_gap"]) for g in data["gaps_by_team"]} == expected[
            "gaps"
        ], scope
        assert {e["person"] for e in data["edges"]} == expected["edges"], scope
        assert {r["person"]: (r["manager"], r["overall"]) for r in data["ratings"]} == expected[
            "ratings"
        ], scope
        assert data["totals"] == {
            "managers": len(expected["managers"]),
            "teams": len(expected["gaps"]),
            "edges": len(expected["edges"]),
        }, scope
        # the scale is the first review's of the scope
        assert (data["scale"] == [1, 2, 3, 4, 5]) is True, scope
        # the page leaves the competency means out, and nothing else
        lean = calibration.view(hub, cycle, scope, actor="hr-1", competencies=False)
        assert {k: v for k, v in lean.items() if k != "managers"} == {
            k: v for k, v in data.items() if k != "managers"
        }
        assert [{**m, "competencies": {}} for m in data["managers"]] == lean["managers"]


def test_the_counts_hold_through_every_write(hub, org, answers, clock):
    """Submission, adjustments, reopening, resubmission, release, a move of team and of
    level, a person leaving, a person joining the cycle, the cycle closing: after each,
    what is stored and every scope's view are what the reviews say."""
    cycle = org
    _check(hub, cycle)
    assert calibration.view(hub, cycle, "all", actor="hr-1")["edges"]
    calibration.open_session(hub, cycle, "all", actor="hr-1")
    # adjustments: an overall rating twice, and a competency to a fraction
    calibration.adjust(hub, cycle, "alpha-02", 4.5, reason="in line", actor="hr-1")
    calibration.adjust(hub, cycle, "alpha-02", 2.5, reason="again", actor="hr-1")
    calibration.adjust(
        hub, cycle, "beta-02", 3.25, reason="in line", competency="teamwork", actor="hr-1"
    )
    _check(hub, cycle)
    # a manager review reopened (out of the view) and submitted again with other ratings
    reviews.reopen(hub, cycle, "beta-01", "manager", reason="a typo", actor="beta-lead")
    _check(hub, cycle)
    _submit(hub, cycle, "beta-01", "manager", answers["manager"], 2, "beta-lead")
    _check(hub, cycle)
    # a self-assessment reopened (its gap goes) and submitted again
    reviews.reopen(hub, cycle, "alpha-03", "self", reason="asked to", actor="alpha-lead")
    _check(hub, cycle)
    _submit(hub, cycle, "alpha-03", "self", answers["self"], 2)
    _check(hub, cycle)
    # released once the session is closed
    calibration.close_session(hub, cycle, "all", actor="hr-1")
    reviews.release(hub, cycle, "alpha-01", actor="alpha-lead")
    _check(hub, cycle)
    # a person moves team, another changes level, a third leaves
    hub.people.save([attrs.evolve(hub.people.get("beta-05"), team="alpha")])
    hub.people.save([attrs.evolve(hub.people.get("beta-03"), level=Level.SUPERVISORY)])
    hub.people.set_leaving_date("alpha-01", clock.today())
    _check(hub, cycle)
    # someone joins the cycle and is reviewed
    hub.people.save([Person(id="beta-09", name="Beta Nine", team="beta", manager_id="beta-lead")])
    hub.cycles.open(cycle.name)
    _check(hub, cycle)
    _submit(hub, cycle, "beta-09", "self", answers["self"], 3)
    _submit(hub, cycle, "beta-09", "manager", answers["manager"], 5, "beta-lead")
    _check(hub, cycle)
    # whatever writes a cycle's members (here plain SQL): one leaves it, and comes back
    with hub.atomic() as db:
        db.execute(
            "DELETE FROM cycle_members WHERE cycle_id = ? AND person_id = 'beta-03'", [cycle.id]
        )
    _check(hub, cycle)
    assert "beta-03" not in calibration.view(hub, cycle, "all", actor="hr-1")["edges"]
    with hub.atomic() as db:
        db.execute(
            "INSERT INTO cycle_members VALUES (?, 'beta-03', '2026-03-02T09:00:00+00:00')",
            [cycle.id],
        )
    _check(hub, cycle)
    # a review deleted (whatever deletes one, here plain SQL): its row and its name go
    with hub.atomic() as db:
        db.execute(
            f"DELETE FROM [{storage.REVIEWS}] WHERE subject_id = 'alpha-03' AND kind = 'manager'"
        )
    _check(hub, cycle)
    assert not calibration.adjustable(hub, cycle, "all", actor="hr-1", find="alpha-03")
    # the cycle closes: frozen, but its view follows today's teams, as it always has
    hub.cycles.close(cycle.name, force=True, reason="the half-year is over")
    _check(hub, cycle)
    hub.people.save([attrs.evolve(hub.people.get("beta-02"), team="gamma")])
    _check(hub, cycle)
    assert calibration.view(hub, cycle, "team:gamma", actor="hr-1")["reviewed"] == 1
    # names: a person renamed (found by the new name, no longer by the old one), and
    # whatever renames or re-keys people (here plain SQL)
    hub.people.save([attrs.evolve(hub.people.get("beta-02"), name="Bérénice Ångström")])
    _check(hub, cycle)
    found = calibration.adjustable(hub, cycle, "all", actor="hr-1", find="berenice ANGS")
    assert [r["person"] for r in found] == ["beta-02"]
    with hub.atomic() as db:
        db.execute("UPDATE people SET name = 'Zed Zulu' WHERE id = 'beta-02'")
        db.execute("UPDATE people SET name = 'Yan Yu' WHERE id = 'alpha-02'")
        db.execute("UPDATE people SET team = 'alpha', name = 'Xu Xi' WHERE id = 'beta-01'")
    # found at once by the name in lower case, folded when corehub next opens the workspace
    found = calibration.adjustable(hub, cycle, "all", actor="hr-1", find="ZED")
    assert [r["person"] for r in found] == ["beta-02"]
    assert hub.refold_people() == 3
    _check(hub, cycle)
    assert not calibration.adjustable(hub, cycle, "all", actor="hr-1", find="berenice")
    found = calibration.adjustable(hub, cycle, "all", actor="hr-1", find="zed beta-02")
    assert [r["person"] for r in found] == ["beta-02"]


def test_a_workspace_from_before_the_counts_gets_them(hub, org):
    """An existing workspace (the reviews written before storage m007, m008 and m011) gets its
    rows, counts and names index when the migrations run, equal to those worked out from
    scratch, and kept in step afterwards."""
    cycle = org
    calibration.open_session(hub, cycle, "all", actor="hr-1")
    calibration.adjust(hub, cycle, "beta-03", 2.0, reason="in line", actor="hr-1")
    before = _stored(hub)
    names = _named(hub)[0]
    assert names
    db = hub.db
    for prefix in (storage.CALIBRATION_ROWS, storage.CALIBRATION_NAMES):
        for (name,) in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE ?",
            [f"{prefix}%"],
        ).fetchall():
            db.execute(f"DROP TRIGGER [{name}]")
    db.execute(f"DROP TABLE [{storage.CALIBRATION_NAMES}]")
    db.execute(f"DROP TABLE [{storage.CALIBRATION_ROWS}]")
    db.execute(f"DROP TABLE [{storage.CALIBRATION_COUNTS}]")
    db.execute(
        "DELETE FROM _sqlite_migrations WHERE migration_set = 'self_assessment' "
        "AND name IN ('m007_calibration_counts', 'm008_calibration_names', "
        "'m010_calibration_names_anywhere', 'm011_calibration_names_stored')"
    )
    assert db.execute(f"SELECT count(*) FROM [{storage.REVIEWS}]").fetchone()[0]
    storage.migrations.apply(sqlite_utils.Database(db.conn))
    assert _stored(hub) == before == _recounted(hub)
    assert _named(hub)[0] == names
    _check(hub, cycle)
    hub.people.save([attrs.evolve(hub.people.get("beta-03"), name="Beatriz Ñandú")])
    _check(hub, cycle)
    assert [
        r["person"] for r in calibration.adjustable(hub, cycle, actor="hr-1", find="nandu")
    ] == ["beta-03"]


def test_the_page_reads_the_counts_not_every_review(hub, org):
    """The view's statements never scan the reviews, and read the calibration rows only
    through an index by author, team or rating (a page's rows), never all of them."""
    plans: list[str] = []
    execute = hub.db.execute

    def explained(sql: str, params: Any = None) -> Any:
        if sql.lstrip().upper().startswith(("SELECT", "WITH")):
            plans.append(
                " / ".join(
                    row[3] for row in execute("EXPLAIN QUERY PLAN " + sql, params or []).fetchall()
                )
            )
        return execute(sql, params) if params is not None else execute(sql)

    hub.db.execute = explained  # type: ignore[method-assign]
    try:
        calibration.view(
            hub,
            org,
            "all",
            actor="hr-1",
            ratings=False,
            competencies=False,
            pages={n: (1, 2) for n in ("managers", "teams", "edges")},
        )
    finally:
        del hub.db.execute
    joined = "\n".join(plans)
    assert storage.CALIBRATION_COUNTS in joined
    assert f"SCAN {storage.REVIEWS}" not in joined and "SCAN r" not in joined
    for plan in plans:
        if storage.CALIBRATION_ROWS in plan:
            assert f"SCAN {storage.CALIBRATION_ROWS}" not in plan, plan
            assert "SCAN w" not in plan, plan


def test_a_review_written_costs_the_same_in_a_large_cycle(hub, org, answers):
    """Counting a review out of the cycle's counts (reopened) finds each count by its key:
    it reads as much with 5,000 other counts in the cycle (as many managers as in an
    organization of 60,000 people) as with none."""
    cycle = org

    def reopened(person: str) -> int:
        with count_statements(hub, unit=1) as ran:
            reviews.reopen(hub, cycle, person, "manager", reason="a typo", actor=_lead(person))
        return ran.steps

    small = reopened("beta-01")
    with hub.atomic() as db:
        db.conn.executemany(
            f"INSERT INTO [{storage.CALIBRATION_COUNTS}] VALUES (?, 'all', 'author', ?, 1)",
            [(cycle.id, f"manager-{n:05d}") for n in range(5000)],
        )
    large = reopened("beta-02")
    assert large < small + 1000, (small, large)
