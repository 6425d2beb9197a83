"""Report sections: the packet's ratings, strengths and areas, goals, suggestions and sign-off;
the team summary's score distribution and competency heat map.

A packet is handed to the person reviewed, so it shows only what they may see: their
submitted self-assessment and, once released, their manager's review. The manager's
private note never appears in any report.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from corehub import access
from corehub.errors import NotFoundError
from corehub.forms import competency_label
from corehub.i18n import translator
from corehub.models import (
    Person,
    QuestionType,
    Report,
    ReportKind,
    ReportSection,
    Review,
    ReviewKind,
    ReviewStatus,
)
from corehub_self_assessment import calibration, reviews
from corehub_self_assessment.answers import display_answer
from corehub_self_assessment.scoring import competency_gaps, question_rows
from corehub_self_assessment.settings import NAME

if TYPE_CHECKING:
    from corehub import Hub

T = "corehub_self_assessment/"


def sections(hub: Hub, report: Report) -> list[ReportSection]:
    _ = translator(hub, report.locale).gettext
    if report.kind is ReportKind.PACKET:
        return [
            ReportSection(
                id="self_assessment.ratings",
                title=_("Self-assessment and manager review"),
                template=T + "ratings.html",
                context=ratings_context,
                order=200,
            ),
            ReportSection(
                id="self_assessment.strengths",
                title=_("Strengths and areas to improve"),
                template=T + "strengths.html",
                context=strengths_context,
                order=250,
            ),
            ReportSection(
                id="self_assessment.goals",
                title=_("Goals"),
                template=T + "goals.html",
                context=goals_context,
                order=300,
            ),
            ReportSection(
                id="self_assessment.suggestions",
                title=_("Suggestions to improve the help desk"),
                template=T + "suggestions.html",
                context=suggestions_context,
                order=350,
            ),
            ReportSection(
                id="self_assessment.signoff",
                title=_("Comments and acknowledgement"),
                template=T + "signoff.html",
                context=signoff_context,
                order=900,
            ),
        ]
    return [
        ReportSection(
            id="self_assessment.distribution",
            title=_("Review scores"),
            template=T + "distribution.html",
            context=distribution_context,
            order=200,
        ),
        ReportSection(
            id="self_assessment.heatmap",
            title=_("Competencies (manager ratings)"),
            template=T + "heatmap.html",
            context=heatmap_context,
            order=210,
        ),
    ]


# -- what the person may see --------------------------------------------------------------


def packet_reviews(hub: Hub, report: Report) -> tuple[Review | None, Review | None]:
    """The submitted self-assessment and the released manager review of the packet's person."""
    person = report.person
    if person is None:
        return None, None
    found: list[Review | None] = []
    for kind, visible in (
        (ReviewKind.SELF, (ReviewStatus.SUBMITTED, *reviews.VISIBLE_TO_SUBJECT)),
        (ReviewKind.MANAGER, reviews.VISIBLE_TO_SUBJECT),
    ):
        try:
            review = reviews.find(hub, report.cycle, person.id, kind).review
        except NotFoundError:
            review = None
        found.append(review if review is not None and review.status in visible else None)
    return found[0], found[1]


def _scale_range(review: Review) -> tuple[int, int]:
    scales = list(review.form.scales.values())
    if not scales:
        return 1, 5
    return min(s.min for s in scales), max(s.max for s in scales)


def _calibrated_from(hub: Hub, review: Review | None, report: Report) -> float | None:
    """The manager's overall rating as given, when it was calibrated and the packet may say
    so: only with ``show_calibration_to_person`` (the packet is the person's document)."""
    if review is None or not hub.settings(NAME).show_calibration_to_person:
        return None
    given = reviews.given_score(hub, review)
    calibrated = calibration.calibrated_score(hub, review, given)
    return None if calibrated is given else _r(given.overall)


def _manager_status(hub: Hub, report: Report) -> str:
    person = report.person
    assert person is not None
    try:
        review = reviews.find(hub, report.cycle, person.id, ReviewKind.MANAGER).review
    except NotFoundError:
        return "none"
    return "released" if review.status in reviews.VISIBLE_TO_SUBJECT else "pending"


def ratings_context(hub: Hub, report: Report) -> dict[str, Any] | None:
    self_review, manager_review = packet_reviews(hub, report)
    if self_review is None and manager_review is None:
        return None
    settings = hub.settings(NAME)
    base = manager_review or self_review
    assert base is not None
    self_score = reviews.given_score(hub, self_review) if self_review else None
    manager_score = (
        calibration.calibrated_score(hub, manager_review, reviews.given_score(hub, manager_review))
        if manager_review
        else None
    )
    low, high = _scale_range(base)
    titles = {s.id: s.title for s in base.form.sections}
    either = manager_score or self_score
    section_ids = [s.section_id for s in either.sections] if either is not None else []
    section_rows = []
    for section_id in section_ids:
        mine = next(
            (
                s.score
                for s in (self_score.sections if self_score else ())
                if s.section_id == section_id
            ),
            None,
        )
        theirs = next(
            (
                s.score
                for s in (manager_score.sections if manager_score else ())
                if s.section_id == section_id
            ),
            None,
        )
        section_rows.append(
            {"title": titles.get(section_id, section_id), "self": _r(mine), "manager": _r(theirs)}
        )
    t = translator(hub, report.locale)
    gaps = competency_gaps(self_score, manager_score, settings.gap_threshold, t)
    return {
        "scale_min": low,
        "scale_max": high,
        "gap_threshold": settings.gap_threshold,
        "scale": [
            {"value": p.value, "label": t.text(p.label)}
            for s in base.form.scales.values()
            for p in s.points
        ][:10],
        "overall": {
            "self": _r(self_score.overall) if self_score else None,
            "manager": _r(manager_score.overall) if manager_score else None,
        },
        "calibrated_from": _calibrated_from(hub, manager_review, report),
        "sections": section_rows,
        "competencies": [
            {
                "label": g.label,
                "self": _r(g.self_score),
                "manager": _r(g.manager_score),
                "gap": _r(g.gap),
                "flagged": g.flagged,
            }
            for g in gaps
        ],
        "questions": question_rows(
            base.form,
            self_review.answers if self_review else None,
            manager_review.answers if manager_review else None,
            settings.gap_threshold,
            t,
        ),
        "has_self": self_review is not None,
        "has_manager": manager_review is not None,
        "manager_status": _manager_status(hub, report),
        "flagged": [g.label for g in gaps if g.flagged],
    }


def _r(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def _is_suggestion(question: Any) -> bool:
    return "suggestion" in question.id


def _text_rows(
    self_review: Review | None, manager_review: Review | None, wanted: Any, t: Any = None
) -> list[dict[str, Any]]:
    base = manager_review or self_review
    assert base is not None
    rows = []
    for section, question in base.form.questions():
        if not wanted(question):
            continue
        mine = self_review.answers.get(question.id) if self_review else None
        theirs = manager_review.answers.get(question.id) if manager_review else None
        if mine is None and theirs is None:
            continue
        rows.append(
            {
                "section": section.title,
                "question": question.text,
                "self": display_answer(base.form, question, mine, t) if mine is not None else None,
                "manager": display_answer(base.form, question, theirs, t)
                if theirs is not None
                else None,
            }
        )
    return rows


def strengths_context(hub: Hub, report: Report) -> dict[str, Any] | None:
    self_review, manager_review = packet_reviews(hub, report)
    if self_review is None and manager_review is None:
        return None
    rows = _text_rows(
        self_review,
        manager_review,
        lambda q: (
            QuestionType(q.type) in (QuestionType.TEXT, QuestionType.CHOICE)
            and not _is_suggestion(q)
        ),
        translator(hub, report.locale),
    )
    if not rows:
        return None
    return {"rows": rows, "manager_status": _manager_status(hub, report)}


def goals_context(hub: Hub, report: Report) -> dict[str, Any] | None:
    self_review, manager_review = packet_reviews(hub, report)
    if self_review is None and manager_review is None:
        return None
    last: dict[str, dict[str, Any]] = {}
    next_goals: dict[str, list[dict[str, Any]]] = {}
    for who, review in (("self", self_review), ("manager", manager_review)):
        if review is None:
            continue
        for _, question in review.form.questions():
            if QuestionType(question.type) is not QuestionType.GOALS:
                continue
            for goal in review.answers.get(question.id) or []:
                if question.review_of:
                    key = goal.get("objective", "")
                    entry = last.setdefault(
                        key,
                        {
                            "objective": key,
                            "result": goal.get("result"),
                            "due": goal.get("due"),
                            "self": None,
                            "manager": None,
                        },
                    )
                    entry[who] = goal.get("outcome")
                else:
                    next_goals.setdefault(who, []).append(
                        {
                            "objective": goal.get("objective"),
                            "result": goal.get("result"),
                            "due": goal.get("due"),
                        }
                    )
    agreed = next_goals.get("manager") or next_goals.get("self") or []
    if not last and not agreed:
        return None
    return {
        "last": list(last.values()),
        "next": agreed,
        "next_from": "manager" if next_goals.get("manager") else "self",
        "proposed_by_self": next_goals.get("self", []) if next_goals.get("manager") else [],
    }


def suggestions_context(hub: Hub, report: Report) -> dict[str, Any] | None:
    self_review, manager_review = packet_reviews(hub, report)
    if self_review is None and manager_review is None:
        return None
    rows = _text_rows(self_review, manager_review, _is_suggestion, translator(hub, report.locale))
    if not rows:
        return None
    return {"rows": rows}


def signoff_context(hub: Hub, report: Report) -> dict[str, Any] | None:
    person = report.person
    if person is None:
        return None
    try:
        stored = reviews.find(hub, report.cycle, person.id, ReviewKind.MANAGER)
    except NotFoundError:
        return None
    review = stored.review
    released = review.status in reviews.VISIBLE_TO_SUBJECT
    written = reviews.comments(hub, review, actor=person.id) if released else []
    names = hub.people.names([review.author_id or "", *(c.author_id for c in written)])
    comments = [
        {
            "author": names.get(c.author_id, c.author_id),
            "text": c.text,
            "at": c.created_at.date().isoformat(),
        }
        for c in written
    ]
    return {
        "manager": names.get(review.author_id or "", review.author_id),
        "submitted": review.submitted_at.date().isoformat()
        if review.submitted_at and released
        else None,
        "released": review.released_at.date().isoformat() if review.released_at else None,
        "acknowledged": stored.acknowledged_at.date().isoformat()
        if stored.acknowledged_at
        else None,
        "comments": comments,
    }


# -- team summary ---------------------------------------------------------------------------


def summary_people(hub: Hub, report: Report) -> list[Person]:
    """The cycle's people in the summary: the team, or everyone the manager manages."""
    if report.team is not None:
        try:
            return hub.cycles.members(report.cycle, team=report.team)
        except NotFoundError:  # nobody of the team in the cycle
            return []
    members = hub.cycles.members(report.cycle)
    if report.manager is not None:
        manager = report.manager
        return [p for p in members if p.id != manager.id and hub.people.manages(manager.id, p.id)]
    return list(members)


def _manager_reviews(hub: Hub, report: Report) -> list[tuple[Person, Review | None]]:
    rows: list[tuple[Person, Review | None]] = []
    for person in summary_people(hub, report):
        try:
            review: Review | None = reviews.find(
                hub, report.cycle, person.id, ReviewKind.MANAGER
            ).review
        except NotFoundError:
            continue
        rows.append(
            (person, review if review and review.status is not ReviewStatus.DRAFT else None)
        )
    return rows


def distribution_context(hub: Hub, report: Report) -> dict[str, Any] | None:
    rows = _manager_reviews(hub, report)
    if not rows:
        return None
    overall: list[float] = []
    self_overall: list[float] = []
    for person, review in rows:
        if review is not None:
            value = calibration.calibrated_score(
                hub, review, reviews.given_score(hub, review)
            ).overall
            if value is not None:
                overall.append(value)
        try:
            mine = reviews.find(hub, report.cycle, person.id, ReviewKind.SELF).review
        except NotFoundError:
            continue
        if mine.status is not ReviewStatus.DRAFT:
            value = reviews.given_score(hub, mine).overall
            if value is not None:
                self_overall.append(value)
    reviewed = [r for _, r in rows if r is not None]
    low, high = _scale_range(reviewed[0]) if reviewed else (1, 5)
    t = translator(hub, report.locale)
    labels = [
        t.gettext("%(low)s to %(high)s") % {"low": v, "high": t.number(v + 0.9, 1)}
        if v < high
        else str(v)
        for v in range(low, high + 1)
    ]
    counts = [0] * len(labels)
    for value in overall:
        index = min(int(value) - low, len(counts) - 1)
        counts[max(index, 0)] += 1
    bins = [{"label": label, "count": count} for label, count in zip(labels, counts, strict=True)]
    return {
        "people": len(rows),
        "reviewed": len(overall),
        "pending": len(rows) - len(reviewed),
        "closed": report.cycle.is_closed,
        "bins": bins,
        "mean_manager": _r(sum(overall) / len(overall)) if overall else None,
        "mean_self": _r(sum(self_overall) / len(self_overall)) if self_overall else None,
        "self_count": len(self_overall),
    }


def heatmap_context(hub: Hub, report: Report) -> dict[str, Any] | None:
    settings = hub.settings(NAME)
    rows = _manager_reviews(hub, report)
    given = reviews.given_scores(hub, [r for _, r in rows if r is not None])
    scored = [
        (p, calibration.calibrated_score(hub, r, given[r.id][0]), r)
        for p, r in rows
        if r is not None
    ]
    if not scored:
        return None
    competencies = sorted({c for _, s, _ in scored for c in s.competencies})
    low, high = _scale_range(scored[0][2])
    people: list[dict[str, Any]] = []
    for person, result, review in sorted(scored, key=lambda item: item[0].name):
        cells = []
        for competency in competencies:
            value = result.competencies.get(competency)
            cells.append(
                {"value": _r(value), "low": value is not None and value <= settings.low_rating}
            )
        people.append(
            {
                "id": person.id,
                # A row as the reader may see that review: a lead reading their own
                # team's summary sees their own review only once it is released.
                "shown": access.in_report(hub, report, person.id)
                and (report.viewer is None or reviews.can_see(hub, review, report.viewer)),
                "name": person.name,
                "team": person.team,
                "cells": cells,
            }
        )
    averages = []
    for i, _ in enumerate(competencies):
        values = [p["cells"][i]["value"] for p in people if p["cells"][i]["value"] is not None]
        averages.append(_r(sum(values) / len(values)) if values else None)
    # The averages count the whole team; the rows show whom the reader may see.
    people = [
        {k: v for k, v in row.items() if k not in ("id", "shown")} for row in people if row["shown"]
    ]
    return {
        "competencies": [
            {"id": c, "label": competency_label(c, translator(hub, report.locale))}
            for c in competencies
        ],
        "people": people,
        "averages": averages,
        "scale_min": low,
        "scale_max": high,
        "low_rating": settings.low_rating,
        "not_reviewed": [
            p.name for p, r in rows if r is None and access.in_report(hub, report, p.id)
        ],
    }
