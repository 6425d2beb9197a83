"""From reviews to training: low manager ratings become course recommendations.

A submitted manager review asks every plugin (``recommend_training``) for courses; the
answers are stored as pending recommendations, listed for the manager, and become
assignments only when accepted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from corehub.errors import NotFoundError, PluginError, ValidationError
from corehub.messages import M_, N_
from corehub.models import Person, QuestionType, Recommendation, Review, ReviewKind, Scale
from corehub_training_tracker.training import RECOMMENDATIONS, Training

if TYPE_CHECKING:
    from corehub import Hub

TABLE = RECOMMENDATIONS
REVIEW_REASON = "manager review: "
"""How the reason of a recommendation made from a low manager rating starts (the packet
names the competency in the reader's language instead of this stored English text)."""
REFERENCE_SCALE = (1, 5)
"""``low_rating_threshold`` is read on a 1-5 scale and mapped proportionally onto others."""


@attrs.frozen
class LowRating:
    competency: str
    position: float
    """Where the mean rating sits on its scale: 0 = lowest point, 1 = highest."""
    described: str
    """e.g. ``2 of 5``."""


def low_ratings(hub: Hub, review: Review) -> list[LowRating]:
    """Competencies whose mean rating in ``review`` is at or below the threshold, lowest first."""
    from corehub_training_tracker.settings import settings

    config = settings(hub)
    found: dict[str, list[tuple[float, float, str]]] = {}
    for _section, question in review.form.questions():
        if question.type is not QuestionType.RATING or not question.competency:
            continue
        value = review.answers.get(question.id)
        if isinstance(value, bool) or not isinstance(value, int | float):
            continue  # not rated: never counted as low
        scale = review.form.scales.get(question.scale or "")
        if scale is None or scale.max == scale.min:
            continue
        position = (value - scale.min) / (scale.max - scale.min)
        limit = _threshold_position(
            scale, config.low_rating_threshold, config.low_rating_thresholds
        )
        found.setdefault(question.competency, []).append(
            (position, limit, f"{value:g} of {scale.max}")
        )
    result = []
    for competency, ratings in found.items():
        mean = sum(p for p, _, _ in ratings) / len(ratings)
        limit = min(lim for _, lim, _ in ratings)
        if mean <= limit + 1e-9:
            described = ", ".join(text for _, _, text in ratings)
            result.append(LowRating(competency=competency, position=mean, described=described))
    return sorted(result, key=lambda r: (r.position, r.competency))


def _threshold_position(scale: Scale, threshold: float, per_scale: dict[str, float]) -> float:
    if scale.id in per_scale:
        return (per_scale[scale.id] - scale.min) / (scale.max - scale.min)
    low, high = REFERENCE_SCALE
    return (threshold - low) / (high - low)


def recommend(hub: Hub, person: Person, review: Review) -> list[Recommendation]:
    """This plugin's answer to ``recommend_training``: courses building the low competencies."""
    if review.kind is not ReviewKind.MANAGER:
        return []
    training = Training(hub)
    chosen: dict[str, list[LowRating]] = {}
    for low in low_ratings(hub, review):
        for course in training.catalogue.courses.values():
            if low.competency not in course.competencies:
                continue
            if course.levels and person.level not in course.levels:
                continue
            if course.roles and person.role not in course.roles:
                continue
            if _held_or_open(training, person.id, course.id):
                continue
            chosen.setdefault(course.id, []).append(low)
    recommendations = []
    for course_id, lows in chosen.items():
        rated = "; ".join(f"{_words(low.competency)} rated {low.described}" for low in lows)
        recommendations.append(
            Recommendation(
                person_id=person.id,
                course_id=course_id,
                competency=lows[0].competency,
                reason=f"{REVIEW_REASON}{rated}",
                review_id=review.id,
            )
        )
    return recommendations


def _held_or_open(training: Training, person_id: str, course_id: str) -> bool:
    return training.open_assignment(person_id, course_id) is not None or training.covers(
        training.latest_completion(person_id, course_id)
    )


def _words(competency: str) -> str:
    return competency.replace("_", " ")


def store_from_review(hub: Hub, review: Review) -> list[int]:
    """Ask every plugin for recommendations on a submitted manager review; store them as pending.

    Idempotent: the same (person, course, review) is stored once, and a course already
    pending for the person (from an earlier review) is not stored again.
    """
    if review.kind is not ReviewKind.MANAGER:
        return []
    person = hub.people.get(review.subject_id)
    answers = hub.hook.recommend_training(hub=hub, person=person, review=review)
    return store(hub, [r for result in answers or [] for r in (result or [])], review=review)


def store(
    hub: Hub, recommendations: Iterable[Recommendation], *, review: Review | None = None
) -> list[int]:
    training = Training(hub)
    stored: list[int] = []
    now = hub.clock.now().isoformat()
    with hub.atomic() as db:
        for rec in recommendations:
            if rec.course_id not in training.catalogue.courses:
                raise PluginError(
                    f"a recommendation names unknown course {rec.course_id!r} "
                    f"for {rec.person_id!r}; add it to the catalogue first"
                )
            if review is not None and rec.person_id != review.subject_id:
                raise PluginError(
                    f"a recommendation for review #{review.id} names {rec.person_id!r}, "
                    f"not the person reviewed ({review.subject_id!r})"
                )
            if _held_or_open(training, rec.person_id, rec.course_id):
                continue
            pending = db.table(TABLE).count_where(
                "person_id = ? AND course_id = ? AND status = 'pending'",
                [rec.person_id, rec.course_id],
            )
            if pending:
                continue
            row = {
                "person_id": rec.person_id,
                "course_id": rec.course_id,
                "competency": rec.competency,
                "reason": rec.reason,
                "review_id": rec.review_id
                if rec.review_id is not None
                else (review.id if review else None),
                "cycle_id": review.cycle_id if review else None,
                "status": "pending",
                "created_at": now,
            }
            cycle_id = review.cycle_id if review else None
            cursor = db.execute(
                f"INSERT OR IGNORE INTO {TABLE} (person_id, course_id, competency, reason, review_id,"
                " cycle_id, status, created_at) VALUES (:person_id, :course_id, :competency, :reason,"
                " :review_id, :cycle_id, :status, :created_at)",
                row,
            )
            if cursor.rowcount:
                rec_id = int(cursor.lastrowid or 0)
                stored.append(rec_id)
                hub.audit.record(
                    "training.recommended",
                    "training_recommendation",
                    rec_id,
                    after=row,
                    cycle_id=cycle_id,
                )
    return stored


def listing(
    hub: Hub,
    *,
    cycle_id: int | None = None,
    status: str | None = "pending",
    manager_id: str | None = None,
    person_id: str | None = None,
    ids: Sequence[int] | None = None,
) -> list[dict[str, Any]]:
    """Recommendations as plain rows (with person and course names), oldest first; with
    ``ids``, only those (a page of a list chosen in SQL)."""
    where: list[str] = []
    params: list[Any] = []
    for column, value in (("cycle_id", cycle_id), ("status", status), ("person_id", person_id)):
        if value is not None:
            where.append(f"{column} = ?")
            params.append(value)
    if ids is not None:
        where.append(f"id IN ({', '.join('?' for _ in ids) or 'NULL'})")
        params += list(ids)
    rows = list(hub.db.table(TABLE).rows_where(" AND ".join(where) or None, params, order_by="id"))
    catalogue = Training(hub).catalogue
    result = []
    for row in rows:
        person = hub.people.find(row["person_id"])
        if manager_id is not None and not hub.people.manages(manager_id, row["person_id"]):
            continue
        course = catalogue.courses.get(row["course_id"])
        result.append(
            dict(row)
            | {
                "person_name": person.name if person else row["person_id"],
                "course_title": course.title if course else row["course_id"],
            }
        )
    return result


def get(hub: Hub, rec_id: int) -> dict[str, Any]:
    rows = list(hub.db.table(TABLE).rows_where("id = ?", [rec_id]))
    if not rows:
        raise NotFoundError(M_("no training recommendation #%(id)s", id=rec_id))
    return dict(rows[0])


def accept(hub: Hub, rec_id: int, *, due: dt.date | None = None) -> dict[str, Any]:
    """Turn a pending recommendation into an assignment (or link it to the open one)."""
    training = Training(hub)
    rec = _pending(hub, rec_id)
    person = training.person(rec["person_id"])
    training.require_may_manage(person)
    due = due or training.today + dt.timedelta(days=training.settings.default_due_days)
    with hub.atomic() as db:
        result = training.assign(
            rec["course_id"], [person], due=due, source="recommendation", check_permission=False
        )
        if result.created:
            assignment_id = result.created[0].id
        else:
            existing = training.open_assignment(person.id, rec["course_id"])
            if existing is None:
                raise ValidationError(
                    M_(
                        "recommendation #%(id)s was not accepted: %(why)s; dismiss it instead",
                        id=rec_id,
                        why=result.skipped.get(person.id),
                    )
                )
            assignment_id = existing.id
        changes = {
            "status": "accepted",
            "decided_at": hub.clock.now().isoformat(),
            "decided_by": hub.actor,
            "assignment_id": assignment_id,
        }
        db.table(TABLE).update(rec_id, changes)
        after = get(hub, rec_id)
        hub.audit.record(
            "training.recommendation_accepted",
            "training_recommendation",
            rec_id,
            before=rec,
            after=after,
            cycle_id=rec["cycle_id"],
        )
    return after


def dismiss(hub: Hub, rec_id: int, *, reason: str) -> dict[str, Any]:
    """Close a pending recommendation without an assignment; the reason is kept."""
    if not reason or not reason.strip():
        raise ValidationError(M_("dismissing a recommendation needs a reason", hint="--reason"))
    training = Training(hub)
    rec = _pending(hub, rec_id)
    training.require_may_manage(training.person(rec["person_id"]))
    with hub.atomic() as db:
        db.table(TABLE).update(
            rec_id,
            {
                "status": "dismissed",
                "decided_at": hub.clock.now().isoformat(),
                "decided_by": hub.actor,
                "decision_reason": reason.strip(),
            },
        )
        after = get(hub, rec_id)
        hub.audit.record(
            "training.recommendation_dismissed",
            "training_recommendation",
            rec_id,
            before=rec,
            after=after,
            cycle_id=rec["cycle_id"],
            reason=reason.strip(),
        )
    return after


def _pending(hub: Hub, rec_id: int) -> dict[str, Any]:
    rec = get(hub, rec_id)
    if rec["status"] != "pending":
        already = _ALREADY.get(rec["status"], N_("recommendation #%(id)s is already %(status)s"))
        raise ValidationError(M_(already, id=rec_id, status=rec["status"]))
    return rec


_ALREADY = {
    "accepted": N_("recommendation #%(id)s is already accepted"),
    "dismissed": N_("recommendation #%(id)s is already dismissed"),
    "completed": N_("recommendation #%(id)s is already done: its course was completed"),
}
"""What deciding a recommendation decided before says, by its status."""
