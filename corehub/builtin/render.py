"""Default rendering: corehub's own report sections and the PDF engine (WeasyPrint).

Every implementation here is ``trylast`` and replaceable: a plugin returning a section
with the same id and ``replaces=True`` takes its place, and a plugin implementing
``render_pdf`` renders instead of WeasyPrint.

Sections:

- packet: ``cover`` (0), ``overview`` (100: the person's tasks in the cycle), ``signoff`` (900);
- summary: ``summary-header`` (0), ``completion`` (100: tasks per kind and per team),
  ``people`` (800: who is in the team).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from corehub.errors import NotFoundError
from corehub.i18n import N_, Translator, translator
from corehub.plugins import hookimpl

if TYPE_CHECKING:
    from corehub.hub import Hub
    from corehub.models import RenderedDocument, Report, ReportSection, Task

# The records are imported where they are used: loading this built-in plugin (as every
# corehub run does, --help included) builds no record class.

TASK_KINDS = {
    "self": N_("Self-assessment"),
    "manager": N_("Manager review"),
    "peer": N_("Peer review"),
    "upward": N_("Upward review"),
    "acknowledge": N_("Acknowledgement"),
    "signoff": N_("Sign-off"),
}
STATES = {
    "done": N_("done"),
    "open": N_("open"),
    "overdue": N_("overdue"),
    "cancelled": N_("cancelled"),
}
LEVELS = {
    "operational": N_("Operational"),
    "supervisory": N_("Supervisory"),
    "directive": N_("Directive"),
}


def task_label(kind: str, t: Translator | None = None) -> str:
    if kind in TASK_KINDS:
        return t.gettext(TASK_KINDS[kind]) if t is not None else TASK_KINDS[kind]
    return kind.replace("_", " ").capitalize()


def level_label(level: str, t: Translator) -> str:
    return t.gettext(LEVELS[level]) if level in LEVELS else level.capitalize()


@hookimpl(trylast=True)
def render_pdf(hub: Hub, html: str, target: Path, document: RenderedDocument | None) -> Path:
    """Render with WeasyPrint; only packaged assets can be fetched."""
    from corehub.render.pdf import default_render

    return default_render(hub, html, target, document)


@hookimpl(trylast=True)
def register_report_sections(hub: Hub, report: Report) -> list[ReportSection]:
    from corehub.models import ReportKind, ReportSection

    _ = translator(hub, report.locale).gettext
    if report.kind is ReportKind.PACKET:
        return [
            ReportSection(
                id="cover",
                title=_("Review packet"),
                template="corehub/sections/cover.html",
                context=cover_context,
                order=0,
            ),
            ReportSection(
                id="overview",
                title=_("The cycle at a glance"),
                template="corehub/sections/overview.html",
                context=overview_context,
                order=100,
            ),
            ReportSection(
                id="signoff",
                title=_("Sign-off"),
                template="corehub/sections/signoff.html",
                context=signoff_context,
                order=900,
            ),
        ]
    if report.kind is ReportKind.CALIBRATION:
        return [
            ReportSection(
                id="calibration-header",
                title=_("Calibration sheet"),
                template="corehub/sections/calibration_header.html",
                context=calibration_header_context,
                order=0,
            )
        ]
    if report.kind is not ReportKind.SUMMARY:
        return []
    return [
        ReportSection(
            id="summary-header",
            title=_("Team summary"),
            template="corehub/sections/summary_header.html",
            context=summary_header_context,
            order=0,
        ),
        ReportSection(
            id="completion",
            title=_("Completion of the cycle"),
            template="corehub/sections/completion.html",
            context=completion_context,
            order=100,
        ),
        ReportSection(
            id="people",
            title=_("People in the cycle"),
            template="corehub/sections/people.html",
            context=people_context,
            order=800,
        ),
    ]


# -- packet ---------------------------------------------------------------------------


def cover_context(hub: Hub, report: Report) -> dict[str, Any]:
    from corehub.render.documents import as_of

    person = report.person
    assert person is not None
    return {
        "organization": hub.config.organization.name,
        "as_of": as_of(hub, report.cycle),
        "level": level_label(person.level.value, translator(hub, report.locale)),
    }


def _names(hub: Hub, ids: set[str]) -> dict[str, str]:
    if not ids:
        return {}
    marks = ", ".join("?" for _ in ids)
    rows = hub.db.query(f"SELECT id, name FROM people WHERE id IN ({marks})", sorted(ids))
    return {row["id"]: row["name"] for row in rows}


def _state(task: Task, today: Any) -> str:
    from corehub.models import TaskStatus

    if task.status is TaskStatus.OPEN and task.is_overdue(today):
        return "overdue"
    return task.status.value


def overview_context(hub: Hub, report: Report) -> dict[str, Any]:
    from corehub.render.documents import as_of

    person = report.person
    assert person is not None
    today = as_of(hub, report.cycle)
    about = hub.cycles.tasks(report.cycle, subject_id=person.id)
    by_them = [
        t
        for t in hub.cycles.tasks(report.cycle, assignee_id=person.id)
        if t.subject_id != person.id
    ]
    names = _names(hub, {t.assignee_id for t in about} | {t.subject_id for t in by_them})
    tr = translator(hub, report.locale)

    def row(task: Task, who: str) -> dict[str, Any]:
        state = _state(task, today)
        return {
            "kind": task.kind,
            "label": task_label(task.kind, tr),
            "who": names.get(who, who),
            "due": task.due,
            "state": state,
            "state_label": tr.gettext(STATES[state]) if state in STATES else state,
            "completed": task.completed_at.date() if task.completed_at else None,
        }

    about_rows = [row(t, t.assignee_id) for t in about]
    states = Counter(r["state"] for r in about_rows)
    return {
        "as_of": today,
        "about": about_rows,
        "by_them": [row(t, t.subject_id) for t in by_them],
        "counts": {s: states.get(s, 0) for s in ("done", "open", "overdue", "cancelled")},
        "total": len(about_rows),
    }


def signoff_context(hub: Hub, report: Report) -> dict[str, Any]:
    person = report.person
    assert person is not None
    tr = translator(hub, report.locale)
    _ = tr.gettext
    signatories = [{"name": person.name, "role": tr.role(person.role) or _("Employee")}]
    if report.manager is not None:
        signatories.append(
            {"name": report.manager.name, "role": tr.role(report.manager.role) or _("Manager")}
        )
    return {"signatories": signatories}


# -- summary --------------------------------------------------------------------------


def _members(hub: Hub, report: Report) -> list[Any]:
    try:
        return hub.cycles.members(report.cycle, team=report.team)
    except NotFoundError:  # nobody of the team in the cycle: an empty summary
        return []


def _tasks_about(hub: Hub, report: Report, members: list[Any]) -> list[Task]:
    """The tasks about ``members``: read person by person for a team's summary, so its
    cost follows the team's size, not the organization's."""
    if report.team is None:
        return hub.cycles.tasks(report.cycle)
    return [task for p in members for task in hub.cycles.tasks(report.cycle, subject_id=p.id)]


def calibration_header_context(hub: Hub, report: Report) -> dict[str, Any]:
    from corehub.render.documents import as_of, scope_label

    reader = hub.people.find(report.viewer) if report.viewer else None
    return {
        "organization": hub.config.organization.name,
        "as_of": as_of(hub, report.cycle),
        "scope": scope_label(report.scope or "all", translator(hub, report.locale)),
        "reader": reader.name if reader else None,
    }


def summary_header_context(hub: Hub, report: Report) -> dict[str, Any]:
    from corehub.render.documents import as_of

    members = _members(hub, report)
    return {
        "organization": hub.config.organization.name,
        "as_of": as_of(hub, report.cycle),
        "people": len(members),
        "teams": sorted(
            {p.team or translator(hub, report.locale).gettext("(no team)") for p in members}
        ),
    }


def _counts_row(label: str, counts: Any) -> dict[str, Any]:
    total = counts.done + counts.open
    return {
        "label": label,
        "done": counts.done,
        "open": counts.open - counts.overdue,
        "overdue": counts.overdue,
        "cancelled": counts.cancelled,
        "total": total + counts.cancelled,
        "percent": round(100 * counts.done / (total + counts.cancelled))
        if total + counts.cancelled
        else None,
    }


def completion_context(hub: Hub, report: Report) -> dict[str, Any]:
    from corehub.cycles import StatusCounts
    from corehub.render.documents import as_of

    today = as_of(hub, report.cycle)
    if report.team is None:
        status = hub.cycles.report(report.cycle.id, today=today)
        by_kind = {kind: counts for kind, counts in status.by_kind.items()}
        by_team = status.by_team
        total = status.total
    else:
        tallies: dict[str, Counter[str]] = {}
        for task in _tasks_about(hub, report, _members(hub, report)):
            tally = tallies.setdefault(task.kind, Counter())
            state = _state(task, today)
            tally["open" if state == "overdue" else state] += 1
            tally["overdue"] += state == "overdue"
        by_kind = {
            kind: StatusCounts(
                **{f: tally.get(f, 0) for f in ("done", "open", "overdue", "cancelled")}
            )
            for kind, tally in sorted(tallies.items())
        }
        total = StatusCounts()
        for counts in by_kind.values():
            total = total.add(counts)
        by_team = {report.team: total}
    tr = translator(hub, report.locale)
    return {
        "as_of": today,
        "by_kind": [_counts_row(task_label(kind, tr), c) for kind, c in by_kind.items()],
        "by_team": [_counts_row(team, c) for team, c in by_team.items()],
        "total": _counts_row(tr.gettext("All tasks"), total),
    }


def people_context(hub: Hub, report: Report) -> dict[str, Any]:
    from corehub import access
    from corehub.models import TaskStatus
    from corehub.render.documents import as_of

    today = as_of(hub, report.cycle)
    members = _members(hub, report)
    ids = {p.id for p in members}
    done: Counter[str] = Counter()
    total: Counter[str] = Counter()
    cancelled: Counter[str] = Counter()
    for task in _tasks_about(hub, report, members):
        if task.subject_id in ids:
            total[task.subject_id] += 1
            done[task.subject_id] += task.status is TaskStatus.DONE
            cancelled[task.subject_id] += task.status is TaskStatus.CANCELLED
    managers = _names(hub, {p.manager_id for p in members if p.manager_id})
    tr = translator(hub, report.locale)
    return {
        "as_of": today,
        "people": [
            {
                "id": p.id,
                "name": p.name,
                "role": tr.role(p.role),
                "level": level_label(p.level.value, tr),
                "team": p.team,
                "manager": managers.get(p.manager_id or "", p.manager_id or ""),
                "hire_date": p.hire_date,
                "done": done[p.id],
                "tasks": total[p.id],
                "cancelled": cancelled[p.id],
            }
            for p in members
            if access.in_report(hub, report, p.id)  # rows: only people the reader may see
        ],
        "show_team": report.team is None,
        "not_shown": sum(not access.in_report(hub, report, p.id) for p in members),
    }
