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

import json
import math
from collections import Counter, defaultdict
from decimal import Decimal, localcontext
from typing import TYPE_CHECKING, Any

import attrs

from corehub import access
from corehub.errors import NotFoundError, PermissionDeniedError, ValidationError
from corehub.loaders import fold_name
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


def _viewer(hub: Hub, actor: str | None) -> access.Viewer:
    """Who acts: ``actor`` (a known, active person; anything else is refused), or the
    Hub's actor: a person, or the operator at the terminal."""
    return access.viewer(hub, None if actor in (None, hub.actor) else actor)


def may_calibrate(hub: Hub, actor: str | None = None) -> bool:
    """HR, directors, and the operator at the terminal."""
    return _calibrates(_viewer(hub, actor))


def _calibrates(who: access.Viewer) -> bool:
    return who.sees_everything or (who.person is not None and who.person.level is Level.DIRECTIVE)


def _require_calibrator(hub: Hub, actor: str | None) -> str:
    who = _viewer(hub, actor)
    if not _calibrates(who):
        raise PermissionDeniedError(
            M_(
                "%(actor)s cannot calibrate reviews: calibration is for HR and directors",
                actor=who.actor,
            )
        )
    return who.actor


def _require_may_adjust(hub: Hub, actor: str | None, person_id: str) -> None:
    """Nobody calibrates their own rating; a director calibrates only the people below
    them (HR and the operator: anyone). Checked before anything about the review is read,
    so a refusal says nothing about it."""
    who = _viewer(hub, actor)
    if who.person is None:  # the operator at the terminal
        return
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


def may_adjust(hub: Hub, actor: str | None, person_id: str) -> bool:
    """Whether ``actor`` may calibrate the rating of ``person_id`` (the rule :func:`adjust`
    applies: HR and directors, a director only the people below them, nobody their own)."""
    try:
        _require_calibrator(hub, actor)
        _require_may_adjust(hub, actor, person_id)
    except PermissionDeniedError:
        return False
    return True


# -- whose ratings a reader may calibrate -------------------------------------------

FIND_LIMIT = 100
"""The longest search for a person the calibration form takes (characters)."""
FIND_WORDS = 8
"""The words of a search that count (the first ones)."""


FIND_ANYWHERE = 3
"""A searched word this long or longer is found anywhere inside a word of a person's name
or id ("nez" finds Núñez); a shorter one only at the beginning of a word ("li" finds Li
Wei, not Julia): two letters inside words would find most of the organization."""


_IN_WORDS = frozenset("'\u2019.-_@+")  # ' and the typographic apostrophe


def search_terms(text: str) -> str | None:
    """``text`` as a full-text query of the calibration rows' names (storage m010): each
    word of it (up to :data:`FIND_WORDS`) must be found in the person's name or id, in any
    order: a word of :data:`FIND_ANYWHERE` letters or more anywhere inside a word ("nez"
    finds Núñez, "0123" finds agt-0123), a shorter one at the beginning of a word. Names
    and words are compared as corehub finds people by name (:func:`corehub.loaders.fold_name`:
    case, accents and letters such as ø, æ, ł and ß set aside, so "soren" finds Søren).
    None when ``text`` has no letter or digit. Every word is quoted, so nothing typed is
    read as query syntax."""
    # what names and ids are made of stays (O'Brien, agt-01, ana.ruiz@...); anything else
    # typed (quotes, brackets, stars) separates words, as it does nothing in a name
    kept = "".join(c if c.isalnum() or c in _IN_WORDS else " " for c in text[:FIND_LIMIT])
    words = [
        part
        for word in kept.split()
        if any(c.isalnum() for c in word)
        for part in fold_name(word).split()
    ]
    if not words:
        return None
    # the index holds each word after two spaces: "  l" and " li" begin a word
    return " ".join(
        '"' + w.rjust(FIND_ANYWHERE).replace('"', '""') + '"' for w in words[:FIND_WORDS]
    )


_BELOW_SQL = """
WITH RECURSIVE below(id) AS (
    SELECT id FROM people WHERE manager_id = :me AND id != :me
    UNION SELECT people.id FROM people JOIN below ON people.manager_id = below.id
    WHERE people.id != :me
)
"""
"""``below(id)``: everyone below ``:me`` in today's org chart at every level, whether
active or not, as :meth:`People.managed_among` walks it (upwards) for :func:`adjust`."""


def _adjustable(
    hub: Hub, cycle: Cycle | str | int, scope: str, actor: str | None, find: str | None
) -> tuple[str, dict[str, Any]] | None:
    """The calibration rows (``w``) of ``scope`` whose rating ``actor`` may calibrate, as
    SQL: ``WITH ... SELECT {columns} FROM ... AS w{join} WHERE ...`` (to be formatted with
    the columns and what is joined to the rows) and its parameters; only those whose name or id ``find`` finds when given.
    None when ``find`` finds nobody whatever the rows (it has no word)."""
    from corehub_self_assessment.storage import CALIBRATION_NAMES, CALIBRATION_ROWS

    kind, value = parse_scope(scope)
    the_cycle = _cycle(hub, cycle)
    _require_step(the_cycle)
    _require_calibrator(hub, actor)
    who = _viewer(hub, actor)
    params: dict[str, Any] = {"cycle": the_cycle.id, "value": value, "me": who.id or ""}
    where = (
        "w.cycle_id = :cycle"
        + {
            "all": "",
            "team": " AND w.team = :value",
            "level": " AND w.level = :value",
        }[kind]
    )
    prefix = found = ""
    if who.person is not None:  # nobody calibrates their own rating
        where += " AND w.subject_id != :me"
        if not who.sees_everything:  # a director: the people below them
            prefix = _BELOW_SQL
            where += " AND w.subject_id IN (SELECT id FROM below)"
            # their rows are read through the people below them, each looked up among
            # those found (not each pair of the two lists through the index)
            found = "+"
    if find is not None:
        terms = search_terms(find)
        if terms is None:
            return None
        params["terms"] = terms
        where += (
            f" AND {found}w.review_id IN (SELECT rowid FROM [{CALIBRATION_NAMES}] "
            f"WHERE [{CALIBRATION_NAMES}] MATCH :terms)"
        )
    return (
        f"{prefix} SELECT {{columns}} FROM [{CALIBRATION_ROWS}] AS w{{join}} WHERE {where}",
        params,
    )


def adjustable_count(
    hub: Hub,
    cycle: Cycle | str | int,
    scope: str = "all",
    *,
    actor: str | None = None,
    find: str | None = None,
    at_most: int | None = None,
) -> int:
    """How many people of ``scope`` (with a submitted manager review) ``actor`` may
    calibrate the rating of, as :func:`adjust` decides (HR: anyone but themselves; a
    director: the people below them); only those ``find`` finds (see
    :func:`search_terms`) when given. Counts no further than ``at_most`` when given."""
    query = _adjustable(hub, cycle, scope, actor, find)
    if query is None:
        return 0
    sql, params = query
    rows = sql.format(columns="1", join="") + (" LIMIT :at_most" if at_most is not None else "")
    return int(
        hub.db.execute(f"SELECT count(*) FROM ({rows})", params | {"at_most": at_most}).fetchone()[
            0
        ]
    )


def adjustable(
    hub: Hub,
    cycle: Cycle | str | int,
    scope: str = "all",
    *,
    actor: str | None = None,
    find: str | None = None,
    person: str | None = None,
    limit: int = -1,
    offset: int = 0,
) -> list[dict[str, Any]]:
    """The people :func:`adjustable_count` counts, by name and id, ``limit`` of them from
    ``offset`` (all by default), or only ``person`` when given (nobody when ``actor`` may
    not calibrate their rating): each one's id (``person``), ``name``, ``team``, manager
    (the review's author), overall rating as given (``original``) and as calibrated so far
    (``overall``), and whether any of their ratings was ``adjusted``."""
    query = _adjustable(hub, cycle, scope, actor, find)
    if query is None:
        return []
    sql, params = query
    if person is not None:
        sql += " AND w.subject_id = :person"
    columns = "w.subject_id, p.name, w.team, w.author, w.given, w.overall, w.adjusted"
    return [
        {
            "person": row[0],
            "name": row[1],
            "team": row[2],
            "manager": row[3],
            "original": row[4],
            "overall": row[5],
            "adjusted": bool(row[6]),
        }
        for row in hub.db.execute(
            sql.format(columns=columns, join=" JOIN people AS p ON p.id = w.subject_id")
            + " ORDER BY p.name, w.subject_id LIMIT :limit "
            "OFFSET :offset",
            params | {"person": person, "limit": limit, "offset": offset},
        ).fetchall()
    ]


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


def _mean(pairs: list[tuple[Any, int]], sums: tuple[int, int, int, int] | None = None) -> float:
    """``statistics.fmean`` of the values in (value, how many) pairs, without listing them:
    the exact sum rounded once (as ``fsum``; an integer division is correctly rounded),
    divided by the count. ``sums``: the pairs' :func:`_sums`, when already made."""
    count, total, _, shift = sums or _sums(pairs)
    return (total / (1 << shift)) / count


def _spread(pairs: list[tuple[Any, int]], sums: tuple[int, int, int, int] | None = None) -> float:
    """``statistics.pstdev`` of the values in (value, how many) pairs: the exact mean square
    deviation (as pstdev computes it), its square root rounded once."""
    count, total, squares, shift = sums or _sums(pairs)
    deviation = count * squares - total * total  # over count**2 * 2**(2*shift)
    if not deviation:
        return 0.0
    with localcontext() as exact:
        exact.prec = 80
        return float((Decimal(deviation) / Decimal(count * count << 2 * shift)).sqrt())


def _stats(pairs: list[tuple[Any, int]]) -> dict[str, Any]:
    """Count, mean and spread (rounded to 2 places) of the values in (value, how many)
    pairs: the same figures as ``statistics`` gives over the values one by one (the
    pairs are summed up once for both)."""
    sums = _sums(pairs)
    n = sums[0]
    return {
        "n": n,
        "mean": round(_mean(pairs, sums), 2) if n else None,
        "spread": round(_spread(pairs, sums), 2) if n > 1 else 0.0 if n else None,
    }


_ROWS_SQL = """
    SELECT {columns} FROM [{rows}] AS w WHERE w.cycle_id = :cycle{where}
"""
"""The calibration rows (storage m007: one per submitted manager review of a member, as
calibrated so far, kept by the database) of the cycle's scope."""

_COUNTED_SQL = """
    SELECT what, key, n FROM [{counts}] WHERE cycle_id = :cycle AND scope = :scope
    AND what IN ('reviews', 'value')
    UNION ALL SELECT what, count(*), NULL FROM [{counts}] WHERE cycle_id = :cycle
    AND scope = :scope AND what IN ('author', 'team') GROUP BY what
"""
"""The scope's totals from the counts kept beside the rows: how many reviews, each overall
rating with how many have it, how many managers and teams (a few hundred rows at most)."""

_LISTED_SQL = """
    SELECT key FROM [{counts}] WHERE cycle_id = :cycle AND scope = :scope AND what = :what
    ORDER BY key LIMIT :per OFFSET :offset
"""
"""A page of the scope's managers or teams (with a gap), in order."""

_PAGE_SQL = """
    SELECT 'name', p.id, p.name, NULL, NULL FROM people AS p
    WHERE p.id IN (SELECT value FROM json_each(:authors))
    UNION ALL SELECT 'overall', w.author, w.overall, count(*), NULL FROM [{rows}] AS w
    WHERE w.cycle_id = :cycle AND w.author IN (SELECT value FROM json_each(:authors))
    AND w.overall IS NOT NULL{where} GROUP BY 2, 3
    UNION ALL SELECT 'gap', coalesce(nullif(w.team, ''), '-'), w.overall, w.self, count(*)
    FROM [{rows}] AS w
    WHERE w.cycle_id = :cycle AND w.team IN (SELECT value FROM json_each(:teams))
    AND w.overall IS NOT NULL AND w.self IS NOT NULL{where} GROUP BY 2, 3, 4
"""
"""What is listed of a page of managers (their names, their overall ratings grouped by
value) and of a page of teams (their self-vs-manager gaps grouped by the two ratings)."""

_COMPETENCIES_SQL = """
    WITH rated AS MATERIALIZED (
        SELECT w.author, c.key, coalesce((SELECT a.calibrated FROM [{adjustments}] AS a
            WHERE a.review_id = w.review_id AND a.what = c.key ORDER BY a.id DESC LIMIT 1),
            c.value) AS rating
        FROM [{rows}] AS w
        CROSS JOIN [{reviews}] AS r INDEXED BY [{reviews}_scores]
        ON r.cycle_id = :cycle AND r.status IN ({submitted}) AND r.subject_id = w.subject_id
        AND r.kind = 'manager' AND r.id = w.review_id,
        json_each(CASE WHEN json_valid(r.score) THEN r.score END, '$.competencies') AS c
        WHERE w.cycle_id = :cycle AND w.author IN (SELECT value FROM json_each(:authors)){where}
    )
    SELECT author, key, sum(rating), count(*), 1 FROM rated
    GROUP BY 1, 2 HAVING min(rating = CAST(rating AS INTEGER))
    UNION ALL SELECT author, key, rating, count(*), 0 FROM rated
    WHERE (author, key) IN (SELECT author, key FROM rated GROUP BY 1, 2
                            HAVING NOT min(rating = CAST(rating AS INTEGER)))
    GROUP BY 1, 2, 3
"""
"""The competency ratings of a page of managers' reviews (as calibrated so far), summed up
when they are whole numbers, else grouped by value: read from each review's stored score."""

_EDGES_SQL = """
    SELECT f.subject_id, p.name, p.team, f.author, f.given, f.overall, f.self, f.adjusted
    FROM (SELECT * FROM [{rows}] AS w WHERE w.cycle_id = :cycle
          AND w.overall IN ({values}){where}
          ORDER BY abs(w.overall - :mean) DESC, w.subject_id LIMIT :limit OFFSET :offset) AS f
    JOIN people AS p ON p.id = f.subject_id
    ORDER BY abs(f.overall - :mean) DESC, f.subject_id
"""
"""A page of the people at the edges, most distant from the mean first (the distance
orders them as their z does: the spread is positive): only the rows with the ratings
the page reaches are read, from the index of the overall ratings."""


def _edges_window(
    distinct: list[tuple[float, int]], at_edge: list[float], mean: float, offset: int, per: int
) -> tuple[list[float], int]:
    """The overall ratings whose rows hold the page ``[offset, offset + per)`` of the
    people at the edges (ordered by their distance from the mean, then by person), and
    where the page starts among those rows: worked out from how many have each rating,
    so that only the page's ratings are read. Ratings equally far from the mean (one
    above, one below) are read together: their people interleave."""
    how_many = dict(distinct)
    by_distance: dict[float, list[float]] = defaultdict(list)
    for v in at_edge:
        by_distance[abs(v - mean)].append(v)
    values: list[float] = []
    skipped = seen = 0
    for distance in sorted(by_distance, reverse=True):
        group = by_distance[distance]
        n = sum(how_many[v] for v in group)
        if seen + n > offset and seen < offset + per:
            if not values:
                skipped = seen
            values += group
        seen += n
    return values, offset - skipped


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
    competencies: bool = True,
) -> dict[str, Any]:
    """The calibration view of ``scope``: per manager the distribution of their overall and
    competency ratings (as calibrated so far), self-vs-manager gaps per team, the people at
    the edges, the sessions and the adjustments. For HR and directors.

    Read from the calibration rows and their counts per scope (storage m007, kept by the
    database with every write they depend on): the totals and the distinct overall
    ratings (the whole scope's mean, spread and edges come from them) from the counts,
    then only the rows of what is listed. ``pages`` picks a page of each long list (a
    web page's; a number past the end gives the last page); without it every manager,
    team and person at the edges is listed; ``totals`` says how many there are.
    Each mean and spread equals ``statistics.fmean``/``pstdev`` over the ratings one by one,
    rounded to 2 places. ``ratings=False`` leaves out the list of every rated person
    (``"ratings"`` is then empty); ``None`` reads it only while a session over ``scope`` is
    open (when the page's form offers them). ``competencies=False`` leaves the managers'
    competency means out (each manager's ``"competencies"`` is then empty): the web page
    does not show them."""
    from corehub_self_assessment.storage import (
        CALIBRATION_COUNTS,
        CALIBRATION_ROWS,
        REVIEWS,
        to_stored,
    )

    kind, value = parse_scope(scope)
    scope = scope_text(kind, value)
    the_cycle = _cycle(hub, cycle)
    _require_step(the_cycle)
    _require_calibrator(hub, actor)
    where = {"all": "", "team": " AND people.team = :value", "level": " AND people.level = :value"}
    in_rows = {"all": "", "team": " AND w.team = :value", "level": " AND w.level = :value"}[kind]
    submitted = ", ".join(f"'{s.value}'" for s in ReviewStatus if s is not ReviewStatus.DRAFT)
    names_of = {"rows": CALIBRATION_ROWS, "counts": CALIBRATION_COUNTS, "where": in_rows}
    params: dict[str, Any] = {"cycle": the_cycle.id, "value": value, "scope": scope}
    db = hub.db

    people = db.execute(
        "SELECT count(*) FROM cycle_members WHERE cycle_id = :cycle"
        if kind == "all"
        else "SELECT count(*) FROM cycle_members JOIN people ON people.id = "
        f"cycle_members.person_id WHERE cycle_id = :cycle{where[kind]}",
        params,
    ).fetchone()[0]
    wanted = {name: (1, ALL) for name in ("managers", "teams", "edges")} | (pages or {})
    reviewed = authors_total = teams_total = 0
    distinct: list[tuple[float, int]] = []
    for what, key, n in db.execute(_COUNTED_SQL.format(**names_of), params).fetchall():
        if what == "reviews":
            reviewed = n
        elif what == "value":
            distinct.append((key, n))
        elif what == "author":
            authors_total = key
        else:
            teams_total = key
    distinct.sort()

    def listed(what: str, name: str, total: int) -> list[str]:
        number, per = wanted[name]
        number = min(max(1, number), max(1, -(-total // per)))
        return [
            row[0]
            for row in db.execute(
                _LISTED_SQL.format(**names_of),
                params | {"what": what, "per": per, "offset": (number - 1) * per},
            ).fetchall()
        ]

    authors = listed("author", "managers", authors_total) if authors_total else []
    team_names = listed("team", "teams", teams_total) if teams_total else []
    # a page's team "-" stands for the people without a team too, as the gaps name them
    teams_asked = team_names + ([""] if "-" in team_names else [])
    figures = params | {"authors": json.dumps(authors), "teams": json.dumps(teams_asked)}
    names: dict[str, str | None] = dict.fromkeys(authors)
    by_manager: dict[str, list[tuple[float, int]]] = defaultdict(list)
    comp_by_manager: dict[str, dict[str, list[tuple[float, int]]]] = defaultdict(
        lambda: defaultdict(list)
    )
    teams: dict[str, list[tuple[float, int]]] = defaultdict(list)
    if authors or team_names:
        for tag, *row in db.execute(_PAGE_SQL.format(**names_of), figures).fetchall():
            if tag == "name":
                names[row[0]] = row[1]
            elif tag == "overall":
                by_manager[row[0]].append((row[1], row[2]))
            else:
                teams[row[0]].append((round(row[1] - row[2], 2), row[3]))
    if competencies and authors:
        rated = _COMPETENCIES_SQL.format(
            **names_of, adjustments=ADJUSTMENTS, reviews=REVIEWS, submitted=submitted
        )
        for author, key, rating, n, whole in db.execute(rated, figures).fetchall():
            # a competency rated in whole numbers only comes summed up (exactly) as
            # (sum, count): the pairs (sum, 1) and (0, count - 1) have the same mean
            comp_by_manager[author][key].append((rating, 1 if whole else n))
            if whole and n > 1:
                comp_by_manager[author][key].append((0, n - 1))
    low, high = 1, 5
    first = (
        db.execute(_ROWS_SQL.format(**names_of, columns="min(w.review_id)"), params).fetchone()[0]
        if reviewed
        else None
    )
    if first is not None:
        row = db.query(f"SELECT * FROM [{REVIEWS}] WHERE id = ?", [first])
        low, high = scale_range(to_stored(next(iter(row))).review)
    points = list(range(low, high + 1))
    # the ratings at the edges (1.5 spreads or more from the mean), found among the
    # distinct ratings; a page of their people is read next
    overall = _stats(distinct)
    z_of: dict[float, float] = {}
    edges_total = 0
    mean = 0.0
    if overall["n"] > 1:
        sums = _sums(distinct)
        mean, spread = _mean(distinct, sums), _spread(distinct, sums)
        if spread > 0:
            z_of = {v: (v - mean) / spread for v, _ in distinct}
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
        at_edge = [v for v, z in z_of.items() if z >= 1.5 or z <= -1.5]
        reached, offset = _edges_window(distinct, at_edge, mean, (number - 1) * per, per)
        # the ratings bound as they are (not written out as text and read back)
        bound = {f"v{n}": v for n, v in enumerate(reached)}
        for row in db.execute(
            _EDGES_SQL.format(**names_of, values=", ".join(f":{k}" for k in bound)),
            params | bound | {"mean": mean, "limit": per, "offset": offset},
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
            "name": row["name"],
            "by_name": row["by_name"] or row["by"],
            **{k: row[k] for k in ("what", "original", "calibrated", "by", "at", "reason")},
        }
        for row in db.query(
            "SELECT a.*, people.name, (SELECT b.name FROM people AS b WHERE b.id = a.by) "
            f"AS by_name FROM [{ADJUSTMENTS}] AS a JOIN [{REVIEWS}] AS r ON r.id = a.review_id "
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
        "w.subject_id, (SELECT name FROM people WHERE id = w.subject_id), w.team, w.author, "
        "w.given, w.overall, w.self, w.adjusted"
    )
    rows = (
        [
            plain(row)
            for row in db.execute(
                _ROWS_SQL.format(**names_of, columns=columns) + " ORDER BY w.author, w.subject_id",
                params,
            )
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
