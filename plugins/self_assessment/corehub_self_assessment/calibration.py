"""Calibration: managers' ratings compared, and adjusted with a reason, before release.

A cycle created with ``--calibrate`` (or changed with ``corehub cycle settings C
--calibrate``) has a calibration step. HR and directors open a session for a scope (the
whole cycle, a team or a level), read the calibration view (per manager: how many
reviews, the mean, the spread and the share per scale point of their overall ratings,
their competency means; self-vs-manager gaps per team; the people at the edges), adjust
ratings (the original, the calibrated rating, who, when and why are kept, and an audit
event recorded), then close the session. A manager review is released only once a
closed session covers the person and none is open over them.

Every figure is read from the scores stored when the reviews were submitted.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter, defaultdict
from typing import TYPE_CHECKING, Any

import attrs

from corehub.errors import NotFoundError, PermissionDeniedError, ValidationError
from corehub.messages import M_
from corehub.models import Cycle, Level, Review, ReviewKind, ReviewScore, ReviewStatus
from corehub_self_assessment import calibration_scopes
from corehub_self_assessment.storage import ADJUSTMENTS, SESSIONS

if TYPE_CHECKING:
    from corehub import Hub

# where calibration stands (scopes, sessions, the release rule), read here too
in_scope = calibration_scopes.in_scope
parse_scope = calibration_scopes.parse_scope
release_refusal = calibration_scopes.release_refusal
scope_text = calibration_scopes.scope_text
sessions = calibration_scopes.sessions

OVERALL = "overall"
MAX_REASON = 2_000


# -- scopes and who calibrates ----------------------------------------------------


def may_calibrate(hub: Hub, actor: str | None = None) -> bool:
    """HR, directors, and the operator at the terminal."""
    who = actor or hub.actor
    person = hub.people.find(who)
    if person is None:
        return True
    return who in hub.config.organization.hr or person.level is Level.DIRECTIVE


def _require_calibrator(hub: Hub, actor: str | None) -> str:
    who = actor or hub.actor
    if not may_calibrate(hub, who):
        raise PermissionDeniedError(
            M_("%(actor)s cannot calibrate reviews: calibration is for HR and directors", actor=who)
        )
    return who


def _require_step(cycle: Cycle) -> None:
    if not cycle.calibrate:
        raise ValidationError(
            M_(
                "cycle %(name)r has no calibration step; turn it on with: corehub cycle "
                "settings %(quoted)s --calibrate",
                name=cycle.name,
                quoted=f'"{cycle.name}"',
            )
        )


# -- sessions -------------------------------------------------------------------


def _session(hub: Hub, cycle: Cycle, scope: str, status: str) -> dict[str, Any] | None:
    rows = list(
        hub.db.query(
            f"SELECT * FROM [{SESSIONS}] WHERE cycle_id = ? AND scope = ? AND status = ? "
            "ORDER BY id DESC LIMIT 1",
            [cycle.id, scope, status],
        )
    )
    return rows[0] if rows else None


def open_session(
    hub: Hub, cycle: Cycle | str | int, scope: str = "all", *, actor: str | None = None
) -> dict[str, Any]:
    """Open a calibration session over ``scope``: from now until it is closed, no manager
    review in it can be released."""
    scope = scope_text(*parse_scope(scope))
    with hub.atomic() as db:
        the_cycle = hub.cycles.ensure_writable(_cycle(hub, cycle))
        _require_step(the_cycle)
        who = _require_calibrator(hub, actor)
        if not any(in_scope(p, scope) for p in hub.cycles.members(the_cycle)):
            raise ValidationError(
                M_(
                    "nobody in cycle %(cycle)r is in scope %(scope)r",
                    cycle=the_cycle.name,
                    scope=scope,
                )
            )
        if _session(hub, the_cycle, scope, "open") is not None:
            raise ValidationError(
                M_(
                    "a calibration session for %(scope)s in cycle %(cycle)r is already open",
                    scope=scope,
                    cycle=the_cycle.name,
                )
            )
        now = hub.clock.now().isoformat()
        session_id = (
            db.table(SESSIONS)
            .insert(
                {
                    "cycle_id": the_cycle.id,
                    "scope": scope,
                    "status": "open",
                    "opened_by": who,
                    "opened_at": now,
                }
            )
            .last_pk
        )
        hub.audit.record(
            "calibration.opened",
            "calibration",
            int(session_id or 0),
            actor=who,
            cycle_id=the_cycle.id,
            after={"scope": scope},
        )
        return dict(db.table(SESSIONS).get(int(session_id or 0)))


def close_session(
    hub: Hub, cycle: Cycle | str | int, scope: str = "all", *, actor: str | None = None
) -> dict[str, Any]:
    """Close the open session over ``scope``: its manager reviews may then be released."""
    scope = scope_text(*parse_scope(scope))
    with hub.atomic() as db:
        the_cycle = hub.cycles.ensure_writable(_cycle(hub, cycle))
        _require_step(the_cycle)
        who = _require_calibrator(hub, actor)
        session = _session(hub, the_cycle, scope, "open")
        if session is None:
            raise NotFoundError(
                M_(
                    "no calibration session for %(scope)s is open in cycle %(cycle)r",
                    scope=scope,
                    cycle=the_cycle.name,
                )
            )
        now = hub.clock.now().isoformat()
        db.table(SESSIONS).update(
            session["id"], {"status": "closed", "closed_by": who, "closed_at": now}
        )
        adjusted = db.execute(
            f"SELECT COUNT(*) FROM [{ADJUSTMENTS}] WHERE session_id = ?", [session["id"]]
        ).fetchone()[0]
        hub.audit.record(
            "calibration.closed",
            "calibration",
            session["id"],
            actor=who,
            cycle_id=the_cycle.id,
            before={"status": "open"},
            after={"status": "closed", "scope": scope, "adjustments": adjusted},
        )
        return dict(db.table(SESSIONS).get(session["id"]))


def scale_range(review: Review) -> tuple[int, int]:
    scales = list(review.form.scales.values())
    if not scales:
        return 1, 5
    return min(s.min for s in scales), max(s.max for s in scales)


def adjust(
    hub: Hub,
    cycle: Cycle | str | int,
    person_id: str,
    rating: float,
    *,
    reason: str,
    competency: str | None = None,
    actor: str | None = None,
) -> dict[str, Any]:
    """Calibrate the overall rating (or one competency's) of a person's manager review.

    Kept: the rating before, the calibrated one, who, when and why; an audit event too.
    """
    from corehub_self_assessment import reviews

    reason = (reason or "").strip()
    what = competency or OVERALL
    with hub.atomic() as db:
        the_cycle = hub.cycles.ensure_writable(_cycle(hub, cycle))
        _require_step(the_cycle)
        who = _require_calibrator(hub, actor)
        stored = reviews.find(hub, the_cycle, person_id, ReviewKind.MANAGER)
        review = stored.review
        problems: list[str] = []
        if not reason:
            problems.append(M_("a calibration needs a --reason (it is kept in the audit trail)"))
        elif len(reason) > MAX_REASON:
            problems.append(M_("a reason has at most %(limit)s characters", limit=MAX_REASON))
        low, high = scale_range(review)
        if not isinstance(rating, int | float) or math.isnan(rating) or not low <= rating <= high:
            problems.append(
                M_(
                    "a calibrated rating is on the form's scale, %(low)s to %(high)s "
                    "(%(given)s given)",
                    low=low,
                    high=high,
                    given=rating,
                )
            )
        if review.status is ReviewStatus.DRAFT:
            problems.append(
                M_(
                    "the manager's review of %(person)s is not submitted yet; only submitted "
                    "reviews are calibrated",
                    person=person_id,
                )
            )
        given = reviews.given_score(hub, review)
        if competency and competency not in given.competencies:
            problems.append(
                M_(
                    "the manager's review of %(person)s has no rated competency %(competency)r",
                    person=person_id,
                    competency=competency,
                )
            )
        person = hub.people.get(person_id)
        session = next(
            (
                s
                for s in sessions(hub, the_cycle)
                if s["status"] == "open" and in_scope(person, s["scope"])
            ),
            None,
        )
        if session is None:
            problems.append(
                M_(
                    "no calibration session over %(person)s is open in cycle %(cycle)r; open "
                    "one with: corehub cycle calibrate open --cycle %(quoted)s",
                    person=person_id,
                    cycle=the_cycle.name,
                    quoted=f'"{the_cycle.name}"',
                )
            )
        if problems:
            raise ValidationError(
                M_("the rating of %(person)s was not calibrated:", person=person_id), problems
            )
        assert session is not None
        current = calibrations(hub, [review.id]).get(review.id, {}).get(what)
        if current is not None:
            original = current["calibrated"]
        elif what == OVERALL:
            original = given.overall
        else:
            original = given.competencies[what]
        row = {
            "session_id": session["id"],
            "cycle_id": the_cycle.id,
            "review_id": review.id,
            "subject_id": person_id,
            "what": what,
            "original": original,
            "calibrated": float(rating),
            "by": who,
            "at": hub.clock.now().isoformat(),
            "reason": reason,
        }
        adjustment_id = db.table(ADJUSTMENTS).insert(row).last_pk
        hub.audit.record(
            "review.calibrated",
            "review",
            review.id,
            actor=who,
            cycle_id=the_cycle.id,
            before={what: original},
            after={what: float(rating)},
            reason=reason,
        )
        return {"id": adjustment_id, **row}


def calibrations(hub: Hub, review_ids: list[int]) -> dict[int, dict[str, dict[str, Any]]]:
    """The latest adjustment of each rating (``overall`` or a competency), per review id."""
    found: dict[int, dict[str, dict[str, Any]]] = defaultdict(dict)
    for chunk in range(0, len(review_ids), 500):
        part = review_ids[chunk : chunk + 500]
        marks = ", ".join("?" * len(part))
        for row in hub.db.query(
            f"SELECT * FROM [{ADJUSTMENTS}] WHERE review_id IN ({marks}) ORDER BY id", part
        ):
            found[row["review_id"]][row["what"]] = row
    return dict(found)


def calibrated_score(hub: Hub, review: Review, score: ReviewScore) -> ReviewScore:
    """``score`` with the calibrated overall and competency ratings in place of the given
    ones (the same score when the review was not calibrated)."""
    changes = calibrations(hub, [review.id]).get(review.id) if review.id else None
    if not changes:
        return score
    return attrs.evolve(
        score,
        overall=changes[OVERALL]["calibrated"] if OVERALL in changes else score.overall,
        competencies={
            c: (changes[c]["calibrated"] if c in changes else v)
            for c, v in score.competencies.items()
        },
    )


def history(hub: Hub, review_id: int) -> list[dict[str, Any]]:
    """Every adjustment of one review, oldest first (the audit trail of its calibration)."""
    return [
        {k: row[k] for k in ("what", "original", "calibrated", "by", "at", "reason")}
        for row in hub.db.query(
            f"SELECT * FROM [{ADJUSTMENTS}] WHERE review_id = ? ORDER BY id", [review_id]
        )
    ]


def original_visible(hub: Hub, review: Review, actor: str | None = None) -> bool:
    """HR and the operator always see the rating before calibration (and the reasons);
    the person only when ``show_calibration_to_person`` is set; their managers do too."""
    from corehub_self_assessment import reviews
    from corehub_self_assessment.settings import NAME

    rel = reviews.relation(hub, review, actor)
    if rel.subject:
        return bool(hub.settings(NAME).show_calibration_to_person)
    return rel.oversees or rel.author


# -- the view ---------------------------------------------------------------------


def _stats(values: list[float]) -> dict[str, Any]:
    return {
        "n": len(values),
        "mean": round(statistics.fmean(values), 2) if values else None,
        "spread": round(statistics.pstdev(values), 2)
        if len(values) > 1
        else 0.0
        if values
        else None,
    }


def _expand(pairs: list[tuple[Any, int]]) -> list[Any]:
    """Values from (value, how many) pairs: statistics over them equal those over the rows
    (fsum and pstdev do not depend on the order)."""
    return [value for value, n in pairs for _ in range(n)]


_VIEW_SQL = """
    WITH scoped AS (
        SELECT people.id, people.name, people.team FROM cycle_members JOIN people
        ON people.id = cycle_members.person_id WHERE cycle_id = :cycle{where}
    ),
    latest AS MATERIALIZED (
        SELECT review_id, what, calibrated FROM [{adjustments}] AS a WHERE cycle_id = :cycle
        AND id = (SELECT max(id) FROM [{adjustments}] AS b
                  WHERE b.review_id = a.review_id AND b.what = a.what)
    ),
    rated AS (
        SELECT id, kind, subject_id, author_id, score, name, team, given,
               coalesce((SELECT calibrated FROM latest WHERE review_id = r.id
                   AND what = 'overall'), given) AS overall
        FROM (
            SELECT r.id, r.kind, r.subject_id, r.author_id, s.name, s.team,
                   CASE WHEN json_valid(r.score) THEN r.score END AS score,
                   CASE WHEN json_valid(r.score)
                        THEN CAST(json_extract(r.score, '$.overall') AS REAL) END AS given
            FROM [{reviews}] AS r INDEXED BY [{reviews}_scores]
            JOIN scoped AS s ON s.id = r.subject_id
            WHERE r.cycle_id = :cycle AND r.status IN ({submitted})
            AND r.kind = 'manager'
        ) AS r
    ),
    manager AS (
        SELECT m.*, (
            SELECT CASE WHEN json_valid(o.score)
                   THEN CAST(json_extract(o.score, '$.overall') AS REAL) END
            FROM [{reviews}] AS o INDEXED BY [{reviews}_scores]
            WHERE o.cycle_id = :cycle AND o.status IN ({submitted})
            AND o.subject_id = m.subject_id AND o.kind = 'self'
        ) AS self, EXISTS (SELECT 1 FROM latest WHERE review_id = m.id) AS adjusted
        FROM rated AS m WHERE m.kind = 'manager'
    )
"""
"""The calibration view's rows in SQL: the people in scope, the latest adjustment of each
rating, each submitted review with its overall rating as calibrated so far, and each
manager review beside the person's self-assessment. Reviews are read from the index of
their scores (storage m005), never from the rows that carry a whole form copy each."""


def view(
    hub: Hub,
    cycle: Cycle | str | int,
    scope: str = "all",
    *,
    actor: str | None = None,
    ratings: bool | None = True,
) -> dict[str, Any]:
    """The calibration view of ``scope``: per manager the distribution of their overall and
    competency ratings (as calibrated so far), self-vs-manager gaps per team, the people at
    the edges, the sessions and the adjustments. For HR and directors.

    Counted in SQL (GROUP BY manager and rating, team and gap, competency and rating): what
    reaches Python is one row per manager, team, competency and distinct rating, the people
    at the edges and the adjustments, whatever the number of reviews. ``ratings=False``
    leaves out the list of every rated person (``"ratings"`` is then empty); ``None`` reads
    it only while a session over ``scope`` is open (when the page's form offers them)."""
    from corehub_self_assessment.storage import REVIEWS, to_stored

    kind, value = parse_scope(scope)
    scope = scope_text(kind, value)
    the_cycle = _cycle(hub, cycle)
    _require_step(the_cycle)
    _require_calibrator(hub, actor)
    where = {"all": "", "team": " AND people.team = :value", "level": " AND people.level = :value"}
    submitted = ", ".join(f"'{s.value}'" for s in ReviewStatus if s is not ReviewStatus.DRAFT)
    head = _VIEW_SQL.format(
        where=where[kind], adjustments=ADJUSTMENTS, reviews=REVIEWS, submitted=submitted
    )
    params = {"cycle": the_cycle.id, "draft": ReviewStatus.DRAFT.value, "value": value}
    db = hub.db

    def query(sql: str) -> list[Any]:
        return db.execute(head + sql, params).fetchall()

    people = db.execute(
        "SELECT count(*) FROM cycle_members JOIN people ON people.id = cycle_members.person_id "
        f"WHERE cycle_id = :cycle{where[kind]}",
        params,
    ).fetchone()[0]
    reviewed, first = query("SELECT count(*), min(id) FROM manager")[0]
    low, high = 1, 5
    if first is not None:
        row = db.query(f"SELECT * FROM [{REVIEWS}] WHERE id = ?", [first])
        low, high = scale_range(to_stored(next(iter(row))).review)
    points = list(range(low, high + 1))
    by_manager: dict[str, list[tuple[float, int]]] = defaultdict(list)
    for author, overall, n in query(
        "SELECT coalesce(author_id, ''), overall, count(*) FROM manager "
        "WHERE overall IS NOT NULL GROUP BY 1, 2"
    ):
        by_manager[author].append((overall, n))
    comp_by_manager: dict[str, dict[str, list[tuple[float, int]]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for author, competency, rating, n in query(
        "SELECT coalesce(m.author_id, ''), c.key, coalesce((SELECT calibrated FROM latest "
        "WHERE review_id = m.id AND what = c.key), c.value), count(*) FROM manager AS m, "
        "json_each(m.score, '$.competencies') AS c GROUP BY 1, 2, 3"
    ):
        comp_by_manager[author][competency].append((rating, n))
    authors = sorted({a for (a,) in query("SELECT DISTINCT coalesce(author_id, '') FROM manager")})
    managers = []
    for manager_id in authors:
        values = _expand(sorted(by_manager.get(manager_id, [])))
        counts: Counter[int] = Counter()
        for v, n in by_manager.get(manager_id, []):
            counts[min(max(round(v), low), high)] += n
        found_manager = hub.people.find(manager_id)
        managers.append(
            {
                "manager": manager_id,
                "name": found_manager.name if found_manager else manager_id,
                **_stats(values),
                "shares": {
                    str(p): round(counts[p] / len(values), 3) if values else 0.0 for p in points
                },
                "competencies": {
                    c: round(statistics.fmean(_expand(v)), 2)
                    for c, v in sorted(comp_by_manager.get(manager_id, {}).items())
                },
            }
        )
    teams: dict[str, list[tuple[float, int]]] = defaultdict(list)
    for team, overall, mine, n in query(
        "SELECT team, overall, self, count(*) FROM manager WHERE overall IS NOT NULL "
        "AND self IS NOT NULL GROUP BY 1, 2, 3"
    ):
        teams[team or "-"].append((round(overall - mine, 2), n))
    gaps = [
        {
            "team": team,
            "n": sum(n for _, n in v),
            "mean_gap": round(statistics.fmean(_expand(v)), 2),
        }
        for team, v in sorted(teams.items())
    ]
    distinct = query(
        "SELECT overall, count(*) FROM manager WHERE overall IS NOT NULL GROUP BY overall"
    )
    overall_values = _expand(distinct)
    columns = (
        "SELECT subject_id, name, team, author_id, given, overall, self, adjusted FROM manager"
    )

    def plain(row: Any) -> dict[str, Any]:
        person, name, team, author, given, overall, mine, adjusted = row
        return {
            "person": person,
            "name": name,
            "team": team,
            "manager": author,
            "original": given,
            "overall": overall,
            "self": mine,
            "gap": None if overall is None or mine is None else round(overall - mine, 2),
            "adjusted": bool(adjusted),
        }

    edges: list[dict[str, Any]] = []
    if len(overall_values) > 1:
        mean = statistics.fmean(overall_values)
        spread = statistics.pstdev(overall_values)
        if spread > 0:
            # the ratings at the edges, found among the distinct ratings; then their rows
            z_of = {v: (v - mean) / spread for v, _ in distinct}
            above = [v for v, z in z_of.items() if z >= 1.5]
            below = [v for v, z in z_of.items() if z <= -1.5]
            for row in db.execute(
                head + columns + " WHERE overall >= :high OR overall <= :low ORDER BY subject_id",
                params
                | {"high": min(above) if above else None, "low": max(below) if below else None},
            ).fetchall():
                found = plain(row)
                z = z_of[found["overall"]]
                edges.append({**found, "z": round(z, 2), "edge": "high" if z > 0 else "low"})
            edges.sort(key=lambda r: -abs(r["z"]))
    adjustments = [
        {
            "person": row["subject_id"],
            **{k: row[k] for k in ("what", "original", "calibrated", "by", "at", "reason")},
        }
        for row in db.query(
            head + f", mine AS (SELECT id FROM manager) SELECT * FROM [{ADJUSTMENTS}] AS a "
            "WHERE a.cycle_id = :cycle AND a.review_id IN (SELECT id FROM mine) AND a.id = "
            f"(SELECT max(id) FROM [{ADJUSTMENTS}] AS b WHERE b.review_id = a.review_id "
            "AND b.what = a.what) ORDER BY "
            f"(SELECT min(id) FROM [{ADJUSTMENTS}] AS c WHERE c.review_id = a.review_id), "
            f"(SELECT min(id) FROM [{ADJUSTMENTS}] AS c WHERE c.review_id = a.review_id "
            "AND c.what = a.what)",
            params,
        )
    ]
    held = [
        {k: s[k] for k in ("scope", "status", "opened_by", "opened_at", "closed_at")}
        for s in sessions(hub, the_cycle)
    ]
    if ratings is None:
        ratings = any(s["status"] == "open" and s["scope"] == scope for s in held)
    rows = (
        [plain(row) for row in query(columns + " ORDER BY author_id, subject_id")]
        if ratings
        else []
    )
    return {
        "cycle": the_cycle.name,
        "scope": scope,
        "scale": points,
        "people": people,
        "reviewed": reviewed,
        "overall": _stats(overall_values),
        "managers": managers,
        "gaps_by_team": gaps,
        "edges": edges,
        "sessions": held,
        "adjustments": adjustments,
        "ratings": rows,
    }


def _cycle(hub: Hub, cycle: Cycle | str | int) -> Cycle:
    return hub.cycles.get(cycle.id if isinstance(cycle, Cycle) else cycle)
