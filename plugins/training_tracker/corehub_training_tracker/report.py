"""Report sections: a person's training in their packet; the team's compliance in summaries.

Context functions return plain data only (dicts, lists, text, numbers), computed as of
the day the report describes: the closing day of a closed cycle, else today.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from corehub import access
from corehub.forms import competency_label
from corehub.i18n import N_, Translator, translator
from corehub.models import AssignmentStatus, Person, Report, ReportKind, ReportSection
from corehub_training_tracker.recommendations import REVIEW_REASON

if TYPE_CHECKING:
    from corehub import Hub

STATUS_LABELS = {
    "assigned": N_("Assigned"),
    "in_progress": N_("In progress"),
    "overdue": N_("Overdue"),
    "completed": N_("Completed"),
    "expired": N_("Expired"),
    "waived": N_("Waived"),
    "expiring": N_("Expiring"),
    "missing": N_("Not assigned yet"),
}
MATRIX_MARKS = {
    "completed": N_("Done"),
    "expiring": N_("Expiring"),
    "expired": N_("Expired"),
    "assigned": N_("Open"),
    "in_progress": N_("Started"),
    "overdue": N_("Late"),
    "waived": N_("Waived"),
    "missing": N_("Missing"),
}
"""Short words for matrix cells (text, so every font and screen reader has them)."""
SOURCE_LABELS = {
    "manual": N_("Assigned by manager"),
    "recommendation": N_("From review"),
    "recertification": N_("Recertification"),
    "waiver": N_("Waiver"),
}
LEGEND = {
    "completed": N_("completed and valid"),
    "expiring": N_("valid, recertification due soon"),
    "expired": N_("certification lapsed"),
    "assigned": N_("assigned, not started"),
    "in_progress": N_("in progress"),
    "overdue": N_("past its due date"),
    "waived": N_("waived"),
    "missing": N_("required, not assigned yet"),
}


def sections(hub: Hub, report: Report) -> list[ReportSection]:
    _ = translator(hub, report.locale).gettext
    if report.kind is ReportKind.PACKET:
        return [
            ReportSection(
                id="training_tracker.person",
                title=_("Training"),
                template="corehub_training_tracker/person.html",
                context=person_context,
                order=400,
            )
        ]
    if report.kind is not ReportKind.SUMMARY:
        return []
    return [
        ReportSection(
            id="training_tracker.matrix",
            title=_("Training compliance"),
            template="corehub_training_tracker/matrix.html",
            context=matrix_context,
            order=400,
        ),
        ReportSection(
            id="training_tracker.overdue",
            title=_("Overdue training"),
            template="corehub_training_tracker/overdue.html",
            context=overdue_context,
            order=410,
        ),
    ]


OPEN_STATES = frozenset({"assigned", "in_progress", "overdue"})


def cell_date(state: str, due: Any, completed_on: Any, expires_on: Any) -> tuple[str, Any]:
    """What the date of a matrix cell is, and the date: ``("due", day)`` for open courses,
    ``("expires", day)`` / ``("expired", day)`` for completions that expire, ``("done", day)``
    for those that never do; ``("", None)`` for a waiver."""
    if state in OPEN_STATES:
        return ("due", due) if due else ("", None)
    if state == "waived":
        return ("", None)
    if expires_on:
        return ("expired" if state == "expired" else "expires", expires_on)
    return ("done", completed_on) if completed_on else ("", None)


DATE_WORDS = {
    "due": N_("due %(day)s"),
    "expires": N_("expires %(day)s"),
    "expired": N_("expired %(day)s"),
    "done": N_("done %(day)s"),
}
"""How a matrix cell says which date it shows."""


def _word(t: Translator, words: dict[str, str], key: str) -> str:
    """``words[key]`` (a marked message) in ``t``'s language."""
    return t.gettext(words[key])


def _source_label(source: str, t: Translator) -> str:
    """Why an assignment exists, in ``t``'s language."""
    if source.startswith("rule:"):
        return t.gettext("Required by a training rule")
    if source in SOURCE_LABELS:
        return t.gettext(SOURCE_LABELS[source])
    return source


_RATED = re.compile(r"^(?P<competency>[\w ]+) rated (?P<ratings>.+)$")
_RATING = re.compile(r"^(?P<value>\d+(?:\.\d+)?) of (?P<max>\d+)$")


def _recommendation_reason(reason: str, t: Translator) -> str:
    """The reason of a recommendation this plugin made from a manager review
    ("manager review: stress handling rated 1 of 5") in ``t``'s language; a reason written
    by another plugin is shown as it was written."""
    if not reason.startswith(REVIEW_REASON):
        return reason
    parts = []
    for part in reason[len(REVIEW_REASON) :].split("; "):
        rated = _RATED.match(part)
        if rated is None:
            return reason
        values = []
        for text in rated["ratings"].split(", "):
            rating = _RATING.match(text)
            if rating is None:
                return reason
            values.append(
                t.gettext("%(rating)s of %(max)s")
                % {
                    "rating": t.number(float(rating["value"]), 0 if "." not in text else 1),
                    "max": rating["max"],
                }
            )
        parts.append(
            t.gettext("%(competency)s rated %(ratings)s")
            % {
                "competency": competency_label(rated["competency"].replace(" ", "_"), t),
                "ratings": ", ".join(values),
            }
        )
    return t.gettext("Manager review: %(ratings)s") % {"ratings": "; ".join(parts)}


def person_context(hub: Hub, report: Report) -> dict[str, Any] | None:
    """Completed courses (dates, expiry), open and overdue assignments, recommendations."""
    from corehub_training_tracker import recommendations as recs
    from corehub_training_tracker.training import Training

    person = report.person
    if person is None:
        return None
    t = translator(hub, report.locale)
    training = Training(hub, as_of=hub.cycles.as_of(report.cycle))
    today = training.today
    titles = {cid: c.title for cid, c in training.catalogue.courses.items()}
    latest: dict[str, Any] = {}
    for completion in training.completions(person_ids=[person.id]):
        latest[completion.course_id] = completion
    completed = []
    for completion in sorted(latest.values(), key=lambda c: c.completed_on, reverse=True):
        if not completion.valid_on(today):
            state = "expired"
        elif training.covers(completion):
            state = "completed"
        else:
            state = "expiring"
        completed.append(
            {
                "course_id": completion.course_id,
                "title": titles.get(completion.course_id, completion.course_id),
                "completed_on": completion.completed_on.isoformat(),
                "score": completion.score,
                "expires_on": completion.expires_on.isoformat() if completion.expires_on else None,
                "state": state,
                "state_label": _word(t, STATUS_LABELS, state),
            }
        )
    open_rows = []
    for record in training.assignments(person_ids=[person.id], open_only=True):
        row = record.plain(today)
        open_rows.append(
            row
            | {
                "title": titles.get(record.course_id, record.course_id),
                "status_label": _word(t, STATUS_LABELS, row["status"]),
                "source_label": _source_label(record.source, t),
            }
        )
    open_rows.sort(key=lambda r: (r["status"] != "overdue", r["due"] or "9999"))
    waived = [
        record.plain(today) | {"title": titles.get(record.course_id, record.course_id)}
        for record in training.assignments(person_ids=[person.id])
        if record.waiver_in_effect(today)
    ]
    recommended = [
        {
            "title": row["course_title"],
            "reason": _recommendation_reason(str(row["reason"]), t),
            "status": row["status"],
        }
        for row in recs.listing(hub, cycle_id=report.cycle.id, status=None, person_id=person.id)
        if row["status"] != "dismissed"
    ]
    if not (completed or open_rows or recommended or waived):
        return None
    return {
        "as_of": today.isoformat(),
        "completed": completed,
        "open": open_rows,
        "overdue_count": sum(r["status"] == AssignmentStatus.OVERDUE.value for r in open_rows),
        "waived": waived,
        "recommended": recommended,
    }


def scope_people(hub: Hub, report: Report) -> list[Person]:
    if report.team is not None:
        return hub.people.list(team=report.team)
    if report.manager is not None:
        manager_id = report.manager.id
        return [p for p in hub.people.list() if hub.people.manages(manager_id, p.id)]
    return hub.people.list()


def matrix_context(hub: Hub, report: Report) -> dict[str, Any] | None:
    """People by required courses, each cell with its state and date; compliance per course."""
    from corehub_training_tracker.training import Training

    people = scope_people(hub, report)
    if not people:
        return None
    t = translator(hub, report.locale)
    training = Training(hub, as_of=hub.cycles.as_of(report.cycle))
    matrix = training.matrix(people)
    if not matrix.courses:
        return None
    plain = matrix.plain()
    for course in plain["courses"]:
        required = course["required"]
        course["percent"] = round(100 * course["compliant"] / required) if required else None
    for person in plain["people"]:
        for cell in person["cells"].values():
            if cell is None:
                continue
            cell["mark"] = _word(t, MATRIX_MARKS, cell["state"])
            cell["label"] = _word(t, STATUS_LABELS, cell["state"])
            kind, day = cell_date(
                cell["state"], cell["due"], cell["completed_on"], cell["expires_on"]
            )
            cell["date"] = day
            cell["date_text"] = (
                t.gettext(DATE_WORDS[kind]) % {"day": t.date(day, "numeric")} if kind else ""
            )
    # Compliance per course counts the whole team; the rows show whom the reader may see.
    plain["people"] = [p for p in plain["people"] if access.in_report(hub, report, p["id"])]
    legend = [
        {"state": state, "mark": _word(t, MATRIX_MARKS, state), "label": _word(t, LEGEND, state)}
        for state in MATRIX_MARKS
    ]
    return {"as_of": training.today.isoformat(), "legend": legend, **plain}


def overdue_context(hub: Hub, report: Report) -> dict[str, Any] | None:
    """Every overdue assignment of the people in the summary, most overdue first."""
    from corehub_training_tracker.training import Training

    people = {p.id: p for p in scope_people(hub, report)}
    if not people:
        return None
    t = translator(hub, report.locale)
    training = Training(hub, as_of=hub.cycles.as_of(report.cycle))
    today = training.today
    titles = {cid: c.title for cid, c in training.catalogue.courses.items()}
    rows = []
    for record in training.assignments(person_ids=list(people), open_only=True):
        if record.status(today) is not AssignmentStatus.OVERDUE:
            continue
        if not access.in_report(hub, report, record.person_id):
            continue
        person = people[record.person_id]
        rows.append(
            record.plain(today)
            | {
                "person_name": person.name,
                "team": person.team,
                "title": titles.get(record.course_id, record.course_id),
                "source_label": _source_label(record.source, t),
            }
        )
    rows.sort(key=lambda r: (-(r["days_overdue"] or 0), r["person_name"]))
    return {"as_of": today.isoformat(), "overdue": rows}
