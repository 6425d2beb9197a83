"""Report sections: a person's training in their packet; the team's compliance in summaries.

Context functions return plain data only (dicts, lists, text, numbers), computed as of
the day the report describes: the closing day of a closed cycle, else today.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from corehub.models import AssignmentStatus, Person, Report, ReportKind, ReportSection

if TYPE_CHECKING:
    from corehub.hub import Hub

STATUS_LABELS = {
    "assigned": "Assigned",
    "in_progress": "In progress",
    "overdue": "Overdue",
    "completed": "Completed",
    "expired": "Expired",
    "waived": "Waived",
    "expiring": "Expiring",
    "missing": "Not assigned yet",
}
MATRIX_MARKS = {
    "completed": "Done",
    "expiring": "Expiring",
    "expired": "Expired",
    "assigned": "Open",
    "in_progress": "Started",
    "overdue": "Late",
    "waived": "Waived",
    "missing": "Missing",
}
"""Short words for matrix cells (text, so every font and screen reader has them)."""
LEGEND = {
    "completed": "completed and valid",
    "expiring": "valid, recertification due soon",
    "expired": "certification lapsed",
    "assigned": "assigned, not started",
    "in_progress": "in progress",
    "overdue": "past its due date",
    "waived": "waived",
    "missing": "required, not assigned yet",
}


def sections(hub: Hub, report: Report) -> list[ReportSection]:
    if report.kind is ReportKind.PACKET:
        return [
            ReportSection(
                id="training_tracker.person",
                title="Training",
                template="corehub_training_tracker/person.html",
                context=person_context,
                order=400,
            )
        ]
    return [
        ReportSection(
            id="training_tracker.matrix",
            title="Training compliance",
            template="corehub_training_tracker/matrix.html",
            context=matrix_context,
            order=400,
        ),
        ReportSection(
            id="training_tracker.overdue",
            title="Overdue training",
            template="corehub_training_tracker/overdue.html",
            context=overdue_context,
            order=410,
        ),
    ]


def _source_label(source: str) -> str:
    if source.startswith("rule:"):
        return "Required (rule " + source[5:] + ")"
    return {
        "manual": "Assigned by manager",
        "recommendation": "From review",
        "recertification": "Recertification",
        "waiver": "Waiver",
    }.get(source, source)


def person_context(hub: Hub, report: Report) -> dict[str, Any] | None:
    """Completed courses (dates, expiry), open and overdue assignments, recommendations."""
    from corehub_training_tracker import recommendations as recs
    from corehub_training_tracker.training import Training

    person = report.person
    if person is None:
        return None
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
                "state_label": STATUS_LABELS[state],
            }
        )
    open_rows = []
    for record in training.assignments(person_ids=[person.id], open_only=True):
        row = record.plain(today)
        open_rows.append(
            row
            | {
                "title": titles.get(record.course_id, record.course_id),
                "status_label": STATUS_LABELS[row["status"]],
                "source_label": _source_label(record.source),
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
            "reason": row["reason"],
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
            cell["mark"] = MATRIX_MARKS[cell["state"]]
            cell["label"] = STATUS_LABELS[cell["state"]]
            if cell["state"] in {"assigned", "in_progress", "overdue"}:
                cell["date"] = cell["due"]
            else:
                cell["date"] = cell["expires_on"] if cell["state"] != "waived" else None
    legend = [
        {"state": state, "mark": MATRIX_MARKS[state], "label": LEGEND[state]}
        for state in MATRIX_MARKS
    ]
    return {"as_of": training.today.isoformat(), "legend": legend, **plain}


def overdue_context(hub: Hub, report: Report) -> dict[str, Any] | None:
    """Every overdue assignment of the people in the summary, most overdue first."""
    from corehub_training_tracker.training import Training

    people = {p.id: p for p in scope_people(hub, report)}
    if not people:
        return None
    training = Training(hub, as_of=hub.cycles.as_of(report.cycle))
    today = training.today
    titles = {cid: c.title for cid, c in training.catalogue.courses.items()}
    rows = []
    for record in training.assignments(person_ids=list(people), open_only=True):
        if record.status(today) is not AssignmentStatus.OVERDUE:
            continue
        person = people[record.person_id]
        rows.append(
            record.plain(today)
            | {
                "person_name": person.name,
                "team": person.team,
                "title": titles.get(record.course_id, record.course_id),
                "source_label": _source_label(record.source),
            }
        )
    rows.sort(key=lambda r: (-(r["days_overdue"] or 0), r["person_name"]))
    return {"as_of": today.isoformat(), "overdue": rows}
