"""Default reminders (open cycle tasks) and delivery (SMTP or the outbox)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from corehub.builtin.render import task_label
from corehub.plugins import hookimpl

if TYPE_CHECKING:
    from corehub.hub import Hub
    from corehub.models import Notification, Reminder


@hookimpl
def extra_reminders(hub: Hub, today: dt.date) -> list[Reminder]:
    """Open, available cycle tasks of open cycles."""
    from corehub.models import CycleStatus, Reminder, TaskStatus

    reminders = []
    names = {p.id: p.name for p in hub.people.list(include_inactive=True)}
    for cycle in hub.cycles.list(status=CycleStatus.OPEN):
        for task in hub.cycles.tasks(cycle, status=TaskStatus.OPEN):
            if not hub.cycles.is_available(task, today):
                continue
            about = (
                names.get(task.subject_id, task.subject_id)
                if task.subject_id != task.assignee_id
                else ""
            )
            reminders.append(
                Reminder(
                    key=f"task:{task.id}",
                    person_id=task.assignee_id,
                    category="cycle",
                    title=task.title or task_label(task.kind),
                    due=task.due,
                    about=f"{about} ({cycle.name})" if about else cycle.name,
                    cycle_id=cycle.id,
                    escalate=not task.private,
                )
            )
    return reminders


@hookimpl(trylast=True)
def send_notification(hub: Hub, notification: Notification) -> str:
    """SMTP when ``[smtp] host`` is set, else an ``.eml`` file in the outbox folder."""
    from corehub.notify.delivery import send_smtp, write_outbox

    if hub.config.smtp.host:
        return send_smtp(hub, notification)
    return write_outbox(hub, notification)
