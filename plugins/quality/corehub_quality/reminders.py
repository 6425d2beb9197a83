"""What the quality plugin adds to ``corehub remind``.

- each open grading task reminds its grader, by its due date (late ones reach the
  grader's manager, as cycle tasks do);
- a submitted grade with a failed critical criterion tells the agent's manager at once:
  it is in the manager's next digest, due the day it was graded, and stays there for
  ``critical_notice_days``.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING

from corehub.i18n import N_
from corehub.models import Reminder
from corehub_quality.settings import settings_of

if TYPE_CHECKING:
    from corehub import Hub

CATEGORY = "quality"
GRADE_TITLE = N_("Grade a customer conversation")
CRITICAL_TITLE = N_("Critical failure in a graded customer conversation")


def reminders(hub: Hub, today: dt.date) -> list[Reminder]:
    people = {p.id: p for p in hub.people.list(include_inactive=True)}
    found = []
    for row in hub.db.query(
        "SELECT k.id, k.grader_id, k.due, t.source, t.ticket_id, t.agent_id FROM quality_tasks k "
        "JOIN quality_tickets t ON t.id = k.ticket_row WHERE k.status != 'submitted'"
    ):
        agent = people.get(row["agent_id"])
        found.append(
            Reminder(
                key=f"quality-task:{row['id']}",
                person_id=row["grader_id"],
                category=CATEGORY,
                title=GRADE_TITLE,
                about=f"{row['source']}:{row['ticket_id']} ({agent.name if agent else row['agent_id']})",
                due=dt.date.fromisoformat(row["due"]),
            )
        )
    since = today - dt.timedelta(days=settings_of(hub).critical_notice_days - 1)
    for row in hub.db.query(
        "SELECT g.id, g.agent_id, g.day, g.failed_criteria, t.source, t.ticket_id "
        "FROM quality_grades g JOIN quality_tickets t ON t.id = g.ticket_row "
        "WHERE g.status = 'submitted' AND g.critical_failed = 1 AND g.day >= ?",
        [since.isoformat()],
    ):
        agent = people.get(row["agent_id"])
        if agent is None or not agent.manager_id:
            continue
        failed = ", ".join(json.loads(row["failed_criteria"]))
        found.append(
            Reminder(
                key=f"quality-critical:{row['id']}",
                person_id=agent.manager_id,
                category=CATEGORY,
                title=CRITICAL_TITLE,
                about=f"{agent.name}: {row['source']}:{row['ticket_id']} ({failed})",
                due=dt.date.fromisoformat(row["day"]),
                escalate=False,
            )
        )
    return found
