"""Plain data about a person's reviews as one actor may see them (for show, JSON and reports)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from corehub.errors import NotFoundError, PermissionDeniedError
from corehub.messages import M_
from corehub.models import Cycle, QuestionType, Review, ReviewKind, ReviewScore
from corehub_self_assessment import calibration, reviews
from corehub_self_assessment.answers import display_answer, questions_for
from corehub_self_assessment.scoring import competency_gaps, question_rows
from corehub_self_assessment.settings import NAME

if TYPE_CHECKING:
    from corehub import Hub


def review_data(hub: Hub, review: Review, *, actor: str | None = None) -> dict[str, Any]:
    """One visible review: answers per section (as typed and as read), scores, note if allowed."""
    result, source = reviews.given_scores(hub, [review])[review.id]
    calibrated = calibration.calibrated_score(hub, review, result)
    titles = {s.id: s.title for s in review.form.sections}
    sections: dict[str, dict[str, Any]] = {}
    for section, question in questions_for(review.form, review.kind):
        entry = sections.setdefault(
            section.id, {"id": section.id, "title": section.title, "questions": []}
        )
        value = review.answers.get(question.id)
        entry["questions"].append(
            {
                "id": question.id,
                "text": question.text,
                "type": QuestionType(question.type).value,
                "audience": str(question.audience),
                "competency": question.competency,
                "answer": value,
                "display": display_answer(review.form, question, value),
            }
        )
    data: dict[str, Any] = {
        "id": review.id,
        "kind": review.kind.value,
        "author": review.author_id,
        "status": review.status.value,
        "form": {"id": review.form.id, "title": review.form.title, "version": review.form.version},
        "submitted_at": review.submitted_at.isoformat() if review.submitted_at else None,
        "released_at": review.released_at.isoformat() if review.released_at else None,
        "score": score_data(calibrated, titles),
        "scored_by": source,
        "sections": list(sections.values()),
    }
    if calibrated is not result:
        data["calibrated"] = True
        if calibration.original_visible(hub, review, actor):
            data["calibration"] = {
                "given": score_data(result, titles),
                "adjustments": calibration.history(hub, review.id),
            }
    note = reviews.private_note(hub, review, actor=actor)
    if note is not None:
        data["private_note"] = note
    return data


def score_data(result: ReviewScore, titles: Mapping[str, str]) -> dict[str, Any]:
    return {
        "overall": _round(result.overall),
        "sections": [
            {
                "id": s.section_id,
                "title": titles.get(s.section_id, s.section_id),
                "score": _round(s.score),
                "rated": s.rated,
                "rateable": s.rateable,
            }
            for s in result.sections
        ],
        "competencies": {k: _round(v) for k, v in result.competencies.items()},
    }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def person_view(
    hub: Hub, cycle: Cycle, person_id: str, *, actor: str | None = None
) -> dict[str, Any]:
    """Everything about ``person_id``'s reviews in ``cycle`` that ``actor`` may see."""
    settings = hub.settings(NAME)
    person = hub.people.get(person_id)
    found: dict[str, Review] = {}
    hidden: dict[str, str] = {}
    for kind in (ReviewKind.SELF, ReviewKind.MANAGER):
        try:
            found[kind.value] = reviews.get(hub, cycle, person_id, kind, actor=actor)
        except NotFoundError:
            if kind is ReviewKind.SELF:
                raise
        except PermissionDeniedError as exc:
            # The Message itself (English as a str; a page can still translate it).
            hidden[kind.value] = exc.args[0] if exc.args else str(exc)
    if not found and not _concerned(hub, cycle, person_id, actor):
        raise PermissionDeniedError(
            M_(
                "%(actor)s may not see %(person)s's reviews",
                actor=actor or hub.actor,
                person=person_id,
            )
        )
    self_review, manager_review = found.get("self"), found.get("manager")
    data: dict[str, Any] = {
        "cycle": cycle.name,
        "person": {"id": person.id, "name": person.name, "role": person.role, "team": person.team},
        "reviews": {k: review_data(hub, r, actor=actor) for k, r in found.items()},
        "hidden": hidden,
        "comparison": [],
        "competency_gaps": [],
        "comments": [],
        "gap_threshold": settings.gap_threshold,
    }
    if self_review is not None and manager_review is not None:
        form = manager_review.form
        data["comparison"] = question_rows(
            form, self_review.answers, manager_review.answers, settings.gap_threshold
        )
        data["competency_gaps"] = [
            {
                "competency": g.key,
                "label": g.label,
                "self": _round(g.self_score),
                "manager": _round(g.manager_score),
                "gap": _round(g.gap),
                "flagged": g.flagged,
            }
            for g in competency_gaps(
                reviews.given_score(hub, self_review),
                calibration.calibrated_score(
                    hub, manager_review, reviews.given_score(hub, manager_review)
                ),
                settings.gap_threshold,
            )
        ]
    if manager_review is not None:
        data["comments"] = [
            {"author": c.author_id, "text": c.text, "at": c.created_at.isoformat()}
            for c in reviews.comments(hub, manager_review, actor=actor)
        ]
    return data


def _concerned(hub: Hub, cycle: Cycle, person_id: str, actor: str | None) -> bool:
    """Whether ``actor`` is the person, one of their reviewers, a manager above them, or HR."""
    stored = reviews.find(hub, cycle, person_id, ReviewKind.SELF)
    rel = reviews.relation(hub, stored.review, actor)
    authors = {s.review.author_id for s in reviews.stored_reviews(hub, cycle, person_id=person_id)}
    return rel.subject or rel.oversees or rel.actor in authors
