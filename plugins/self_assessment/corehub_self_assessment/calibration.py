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
from collections import Counter, defaultdict
from decimal import Decimal, localcontext
from typing import TYPE_CHECKING, Any

import attrs

from corehub import access
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


def _require_may_adjust(hub: Hub, actor: str | None, person_id: str) -> None:
    """Nobody calibrates their own rating; a director calibrates only the people below
    them (HR and the operator: anyone). Checked before anything about the review is read,
    so a refusal says nothing about it."""
    person = hub.people.find(actor or hub.actor)
    if person is None:  # the operator at the terminal
        return
    who = access.viewer(hub, person)
    if who.id == person_id:
        raise PermissionDeniedError(
            M_(
                "%(actor)s cannot calibrate their own rating: HR or a director above them does",
                actor=who.actor,
            )
        )
    if not who.sees_everything and not access.manages(hub, who.id or "", person_id):
        raise PermissionDeniedError(
            M_(
                "%(actor)s cannot calibrate the rating of %(person)s: a director calibrates "
                "only the people below them, HR anyone's",
                actor=who.actor,
                person=person_id,
            )
        )


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
        _require_may_adjust(hub, actor, person_id)
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


def _sums(pairs: list[tuple[Any, int]]) -> tuple[int, int, int, int]:
    """How many values the (value, how many) pairs hold, and their exact sum and sum of
    squares as integers over ``2**shift`` and ``2**(2*shift)`` (every float is an integer
    over a power of two): ``(count, sum, squares, shift)``."""
    ratios = [(*float(value).as_integer_ratio(), n) for value, n in pairs]
    shift = max((d.bit_length() - 1 for _, d, _ in ratios), default=0)
    total = squares = count = 0
    for numerator, denominator, n in ratios:
        scaled = numerator << (shift - denominator.bit_length() + 1)
        total += scaled * n
        squares += scaled * scaled * n
        count += n
    return count, total, squares, shift


def _mean(pairs: list[tuple[Any, int]]) -> float:
    """``statistics.fmean`` of the values in (value, how many) pairs, without listing them:
    the exact sum rounded once (as ``fsum``; an integer division is correctly rounded),
    divided by the count."""
    count, total, _, shift = _sums(pairs)
    return (total / (1 << shift)) / count


def _spread(pairs: list[tuple[Any, int]]) -> float:
    """``statistics.pstdev`` of the values in (value, how many) pairs: the exact mean square
    deviation (as pstdev computes it), its square root rounded once."""
    count, total, squares, shift = _sums(pairs)
    deviation = count * squares - total * total  # over count**2 * 2**(2*shift)
    if not deviation:
        return 0.0
    with localcontext() as exact:
        exact.prec = 80
        return float((Decimal(deviation) / Decimal(count * count << 2 * shift)).sqrt())


def _stats(pairs: list[tuple[Any, int]]) -> dict[str, Any]:
    """Count, mean and spread (rounded to 2 places) of the values in (value, how many)
    pairs: the same figures as ``statistics`` gives over the values one by one."""
    n = sum(k for _, k in pairs)
    return {
        "n": n,
        "mean": round(_mean(pairs), 2) if n else None,
        "spread": round(_spread(pairs), 2) if n > 1 else 0.0 if n else None,
    }


_SCOPED_SQL = """
    WITH scoped AS (
        SELECT people.id, people.name, people.team FROM cycle_members JOIN people
        ON people.id = cycle_members.person_id WHERE cycle_id = :cycle{where}
    ),
    latest AS MATERIALIZED (
        SELECT review_id, what, calibrated FROM [{adjustments}] AS a WHERE cycle_id = :cycle
        AND id = (SELECT max(id) FROM [{adjustments}] AS b
                  WHERE b.review_id = a.review_id AND b.what = a.what)
    ),
"""
"""The people in scope (``scoped``) and the latest adjustment of each rating (``latest``):
the start of the view's and the edges' ``WITH``."""

_VIEW_SQL = (
    _SCOPED_SQL
    + """    manager AS MATERIALIZED (
        SELECT r.id, r.subject_id, r.author_id, coalesce(r.author_id, '') AS author, s.name,
               s.team, r.overall AS given,
               coalesce((SELECT calibrated FROM latest WHERE review_id = r.id
                   AND what = 'overall'), r.overall) AS overall,
               (SELECT o.overall FROM [{reviews}] AS o INDEXED BY [{reviews}_overall]
                WHERE o.cycle_id = :cycle AND o.kind = 'self' AND o.subject_id = r.subject_id
                AND o.status != 'draft') AS self,
               EXISTS (SELECT 1 FROM latest WHERE review_id = r.id) AS adjusted
        FROM [{reviews}] AS r INDEXED BY [{reviews}_overall]
        JOIN scoped AS s ON s.id = r.subject_id
        WHERE r.cycle_id = :cycle AND r.kind = 'manager' AND r.status != 'draft'
    )
"""
)
"""The calibration view's rows in SQL: the people in scope, the latest adjustment of each
rating, and each submitted manager review with its overall rating as calibrated so far
beside the person's self-assessment (worked out once per statement). The overall ratings
are read from the index of the cycle's reviews (storage m006), never from the rows that
carry a whole form copy each, nor parsed from each score."""

_PAGED = """
    , authors AS MATERIALIZED (
        SELECT DISTINCT author FROM manager ORDER BY author LIMIT :managers_per OFFSET (
            SELECT (min(max(:managers_page, 1), max(1, (count(DISTINCT author)
                + :managers_per - 1) / :managers_per)) - 1) * :managers_per FROM manager)
    ),
    gaps AS MATERIALIZED (
        SELECT coalesce(nullif(team, ''), '-') AS team, overall, self FROM manager
        WHERE overall IS NOT NULL AND self IS NOT NULL
    ),
    teams AS MATERIALIZED (
        SELECT DISTINCT team FROM gaps ORDER BY team LIMIT :teams_per OFFSET (
            SELECT (min(max(:teams_page, 1), max(1, (count(DISTINCT team)
                + :teams_per - 1) / :teams_per)) - 1) * :teams_per FROM gaps)
    ),
    rated AS MATERIALIZED (
        SELECT m.author, c.key, coalesce((SELECT calibrated FROM latest
            WHERE review_id = m.id AND what = c.key), c.value) AS rating
        FROM (SELECT * FROM manager WHERE author IN authors) AS m
        CROSS JOIN [{reviews}] AS r INDEXED BY [{reviews}_scores]
        ON r.cycle_id = :cycle AND r.status IN ({submitted})
        AND r.subject_id = m.subject_id AND r.kind = 'manager' AND r.id = m.id,
        json_each(CASE WHEN json_valid(r.score) THEN r.score END, '$.competencies') AS c
    )
    SELECT 'total', count(*), min(id), count(DISTINCT author), NULL, NULL FROM manager
    UNION ALL SELECT 'teams', count(DISTINCT team), NULL, NULL, NULL, NULL FROM gaps
    UNION ALL SELECT 'distinct', overall, count(*), NULL, NULL, NULL FROM manager
    WHERE overall IS NOT NULL GROUP BY overall
    UNION ALL SELECT 'name', a.author, people.name, NULL, NULL, NULL
    FROM authors AS a LEFT JOIN people ON people.id = a.author
    UNION ALL SELECT 'overall', author, overall, count(*), NULL, NULL
    FROM manager WHERE author IN authors AND overall IS NOT NULL GROUP BY 2, 3
    UNION ALL SELECT 'competency', author, key, sum(rating), count(*), 1 FROM rated
    GROUP BY 2, 3 HAVING min(rating = CAST(rating AS INTEGER))
    UNION ALL SELECT 'competency', author, key, rating, count(*), 0 FROM rated
    WHERE (author, key) IN (SELECT author, key FROM rated GROUP BY 1, 2
                            HAVING NOT min(rating = CAST(rating AS INTEGER)))
    GROUP BY 2, 3, 4
    UNION ALL SELECT 'gap', team, overall, self, count(*), NULL
    FROM gaps WHERE team IN teams GROUP BY 2, 3, 4
"""
"""The view's statement over every submitted manager review in scope (worked out once):
how many reviews (the first one's id, for the scale), managers and teams; the distinct
overall ratings with how many have each (the whole scope's mean, spread and edges come
from them); and what is listed of the managers (their names, their ratings grouped by
value, competency ratings summed up when they are whole numbers, else grouped by value) and of the teams (their gaps
grouped by value), a page of each (the page number clamped as a web page's is). Nothing
in it grows with the organization past the page, but the number of distinct ratings."""

_EDGES_SQL = (
    _SCOPED_SQL
    + """    far AS MATERIALIZED (
        SELECT * FROM (
            SELECT r.id, r.subject_id, r.author_id, r.overall AS given,
                   coalesce((SELECT calibrated FROM latest WHERE review_id = r.id
                       AND what = 'overall'), r.overall) AS overall
            FROM [{reviews}] AS r INDEXED BY [{reviews}_overall]
            WHERE r.cycle_id = :cycle AND r.kind = 'manager' AND r.status != 'draft'
        ) WHERE overall >= :high OR overall <= :low
    )
    SELECT f.subject_id, s.name, s.team, f.author_id, f.given, f.overall,
           (SELECT o.overall FROM [{reviews}] AS o INDEXED BY [{reviews}_overall]
            WHERE o.cycle_id = :cycle AND o.kind = 'self' AND o.subject_id = f.subject_id
            AND o.status != 'draft') AS self,
           EXISTS (SELECT 1 FROM latest WHERE review_id = f.id) AS adjusted
    FROM far AS f CROSS JOIN scoped AS s ON s.id = f.subject_id
    ORDER BY abs(f.overall - :mean) DESC, f.subject_id LIMIT :limit OFFSET :offset
"""
)
"""A page of the people at the edges, most distant from the mean first (the distance
orders them as their z does: the spread is positive): only the reviews rated beyond the
thresholds are joined to the people in scope."""

Pages = dict[str, tuple[int, int]]
"""``{list: (page number, rows per page)}`` for ``"managers"``, ``"teams"`` and ``"edges"``."""

ALL = 1 << 40
"""Rows per page that list every row."""


def view(
    hub: Hub,
    cycle: Cycle | str | int,
    scope: str = "all",
    *,
    actor: str | None = None,
    ratings: bool | None = True,
    pages: Pages | None = None,
) -> dict[str, Any]:
    """The calibration view of ``scope``: per manager the distribution of their overall and
    competency ratings (as calibrated so far), self-vs-manager gaps per team, the people at
    the edges, the sessions and the adjustments. For HR and directors.

    Two statements over the stored overall ratings: the totals, the distinct overall
    ratings (the whole scope's mean, spread and edges come from them) and the rows of what
    is listed, then the people at the edges. ``pages`` picks a page of each long list (a
    web page's; a number past the end gives the last page); without it every manager,
    team and person at the edges is listed; ``totals`` says how many there are.
    Each mean and spread equals ``statistics.fmean``/``pstdev`` over the ratings one by one,
    rounded to 2 places. ``ratings=False`` leaves out the list of every rated person
    (``"ratings"`` is then empty); ``None`` reads it only while a session over ``scope`` is
    open (when the page's form offers them)."""
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
    params: dict[str, Any] = {"cycle": the_cycle.id, "value": value}
    db = hub.db

    people = db.execute(
        "SELECT count(*) FROM cycle_members JOIN people ON people.id = cycle_members.person_id "
        f"WHERE cycle_id = :cycle{where[kind]}",
        params,
    ).fetchone()[0]
    wanted = {name: (1, ALL) for name in ("managers", "teams", "edges")} | (pages or {})
    figures = dict(params)
    for name in ("managers", "teams"):
        figures[f"{name}_page"], figures[f"{name}_per"] = wanted[name]
    reviewed = authors_total = teams_total = 0
    first = None
    distinct: list[tuple[float, int]] = []
    names: dict[str, str | None] = {}
    by_manager: dict[str, list[tuple[float, int]]] = defaultdict(list)
    comp_by_manager: dict[str, dict[str, list[tuple[float, int]]]] = defaultdict(
        lambda: defaultdict(list)
    )
    teams: dict[str, list[tuple[float, int]]] = defaultdict(list)
    listed = _PAGED.format(reviews=REVIEWS, submitted=submitted)
    for tag, *row in db.execute(head + listed, figures).fetchall():
        if tag == "total":
            reviewed, first, authors_total = row[:3]
        elif tag == "teams":
            teams_total = row[0]
        elif tag == "distinct":
            distinct.append((row[0], row[1]))
        elif tag == "name":
            names[row[0]] = row[1]
        elif tag == "overall":
            by_manager[row[0]].append((row[1], row[2]))
        elif tag == "competency":
            # a competency rated in whole numbers only comes summed up (exactly) as
            # (sum, count): the pairs (sum, 1) and (0, count - 1) have the same mean
            comp_by_manager[row[0]][row[1]].append((row[2], 1 if row[4] else row[3]))
            if row[4] and row[3] > 1:
                comp_by_manager[row[0]][row[1]].append((0, row[3] - 1))
        else:
            teams[row[0]].append((round(row[1] - row[2], 2), row[3]))
    low, high = 1, 5
    if first is not None:
        row = db.query(f"SELECT * FROM [{REVIEWS}] WHERE id = ?", [first])
        low, high = scale_range(to_stored(next(iter(row))).review)
    points = list(range(low, high + 1))
    # the ratings at the edges (1.5 spreads or more from the mean), found among the
    # distinct ratings; a page of their people is read next
    overall = _stats(distinct)
    z_of: dict[float, float] = {}
    edges_total = 0
    edge: dict[str, float | None] = {"mean": None, "high": None, "low": None}
    if overall["n"] > 1:
        mean, spread = _mean(distinct), _spread(distinct)
        if spread > 0:
            z_of = {v: (v - mean) / spread for v, _ in distinct}
            above = [v for v, z in z_of.items() if z >= 1.5]
            below = [v for v, z in z_of.items() if z <= -1.5]
            edge = {
                "mean": mean,
                "high": min(above) if above else None,
                "low": max(below) if below else None,
            }
            edges_total = sum(n for v, n in distinct if z_of[v] >= 1.5 or z_of[v] <= -1.5)
    totals = {"managers": authors_total, "teams": teams_total, "edges": edges_total}

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
    if edges_total:
        number, per = wanted["edges"]
        number = min(max(1, number), max(1, -(-edges_total // per)))
        far = _EDGES_SQL.format(where=where[kind], adjustments=ADJUSTMENTS, reviews=REVIEWS)
        for row in db.execute(
            far, params | edge | {"limit": per, "offset": (number - 1) * per}
        ).fetchall():
            found = plain(row)
            z = z_of[found["overall"]]
            edges.append({**found, "z": round(z, 2), "edge": "high" if z > 0 else "low"})
    managers = []
    for manager_id in sorted(names):
        values = sorted(by_manager.get(manager_id, []))
        counts: Counter[int] = Counter()
        for v, n in values:
            counts[min(max(round(v), low), high)] += n
        stats = _stats(values)
        managers.append(
            {
                "manager": manager_id,
                "name": names[manager_id] or manager_id,
                **stats,
                "shares": {
                    str(p): round(counts[p] / stats["n"], 3) if stats["n"] else 0.0 for p in points
                },
                "competencies": {
                    c: round(_mean(v), 2)
                    for c, v in sorted(comp_by_manager.get(manager_id, {}).items())
                },
            }
        )
    gaps = [
        {"team": team, "n": sum(n for _, n in v), "mean_gap": round(_mean(v), 2)}
        for team, v in sorted(teams.items())
    ]
    adjustments = [
        {
            "person": row["subject_id"],
            **{k: row[k] for k in ("what", "original", "calibrated", "by", "at", "reason")},
        }
        for row in db.query(
            f"SELECT a.* FROM [{ADJUSTMENTS}] AS a JOIN [{REVIEWS}] AS r ON r.id = a.review_id "
            f"JOIN people ON people.id = r.subject_id WHERE a.cycle_id = :cycle "
            f"AND r.kind = 'manager' AND r.status IN ({submitted}) AND EXISTS (SELECT 1 FROM "
            f"cycle_members WHERE cycle_id = :cycle AND person_id = people.id){where[kind]} "
            f"AND a.id = (SELECT max(id) FROM [{ADJUSTMENTS}] AS b WHERE b.review_id = "
            "a.review_id AND b.what = a.what) ORDER BY "
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
    columns = (
        "SELECT subject_id, name, team, author_id, given, overall, self, adjusted FROM manager"
    )
    rows = (
        [
            plain(row)
            for row in db.execute(head + columns + " ORDER BY author_id, subject_id", params)
        ]
        if ratings
        else []
    )
    return {
        "cycle": the_cycle.name,
        "scope": scope,
        "scale": points,
        "people": people,
        "reviewed": reviewed,
        "overall": overall,
        "managers": managers,
        "gaps_by_team": gaps,
        "edges": edges,
        "totals": totals,
        "sessions": held,
        "adjustments": adjustments,
        "ratings": rows,
    }


def _cycle(hub: Hub, cycle: Cycle | str | int) -> Cycle:
    return hub.cycles.get(cycle.id if isinstance(cycle, Cycle) else cycle)
