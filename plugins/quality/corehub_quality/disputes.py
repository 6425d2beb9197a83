"""The agent's side of a grade: seeing it, acknowledging it, disputing it.

An agent sees their own submitted grades (their manager, HR and the administrator see
them too). They acknowledge a grade, or dispute it with a reason; another grader (not
the one who graded it) or the agent's manager resolves the dispute with a reasoned
answer: the grade stands (``upheld``) or is changed (answers set anew, scored on the
grade's own scorecard copy). A grade of a ticket whose day lies in a closed cycle can no
longer be disputed. Every step is in the audit trail.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from corehub.errors import FrozenError, NotFoundError, PermissionDeniedError, ValidationError
from corehub.messages import M_, Message
from corehub.models import CycleStatus
from corehub_quality import scorecards
from corehub_quality.grading import placed, score
from corehub_quality.sampling import is_grader

if TYPE_CHECKING:
    from corehub import Hub

MAX_TEXT = 2000


def _grade(hub: Hub, grade_id: int) -> dict[str, Any]:
    rows = list(
        hub.db.query(
            "SELECT g.*, t.source, t.ticket_id, t.subject, t.day AS ticket_day FROM quality_grades g "
            "JOIN quality_tickets t ON t.id = g.ticket_row WHERE g.id = ? AND g.status = 'submitted'",
            [grade_id],
        )
    )
    if not rows:
        raise NotFoundError(f"no submitted grade {grade_id}; `corehub quality grades` lists them")
    return rows[0]


def _may_see(hub: Hub, actor: str, agent_id: str) -> bool:
    person = hub.people.find(actor)
    return (
        person is None
        or actor == agent_id
        or actor in hub.config.organization.hr
        or hub.people.manages(actor, agent_id)
    )


BELOW = """
WITH RECURSIVE below(id) AS (
    SELECT id FROM people WHERE manager_id = :actor
    UNION
    SELECT people.id FROM people JOIN below ON people.manager_id = below.id
)
"""
"""Everyone below ``:actor`` in today's org chart, active or not (``people.manages``)."""


def _grades_where(
    hub: Hub, actor: str, agent: str | None, other_agents: bool
) -> tuple[str, str, str, dict[str, Any]]:
    """The ``WITH`` prefix, the grades table (``quality_grades g``, with the index to read
    it by), the condition and the parameters of the submitted grades ``actor`` may see
    (:func:`_may_see` in SQL): everyone's for the operator and HR, else their own and those
    of the people below them."""
    where = ["g.status = 'submitted'"]
    params: dict[str, Any] = {"actor": actor, "agent": agent}
    prefix = ""
    if agent is not None:
        where.append("g.agent_id = :agent")
    if other_agents:
        where.append("g.agent_id != :actor")
    grades = "quality_grades g"
    if hub.people.find(actor) is not None and actor not in hub.config.organization.hr:
        prefix = BELOW
        where.append("g.agent_id IN (SELECT :actor UNION ALL SELECT id FROM below)")
        # their own and their people's grades, found agent by agent (not by walking every
        # grade of the organization newest first)
        grades += " INDEXED BY quality_grades_agent"
    elif agent is not None:
        # one agent's grades (HR's own list): found by the agent, however many others have
        grades += " INDEXED BY quality_grades_agent"
    return prefix, grades, " AND ".join(where), params


def count_grades(
    hub: Hub, *, actor: str | None = None, agent: str | None = None, other_agents: bool = False
) -> int:
    """How many grades :func:`list_grades` lists with the same arguments (counted in SQL)."""
    if other_agents:
        # everyone's but the actor's own, counted as all less their own: each count is read
        # from an index alone, where "agent is not the actor" reads every grade's row
        me = actor or hub.actor
        if agent is not None:
            return 0 if agent == me else count_grades(hub, actor=me, agent=agent)
        return count_grades(hub, actor=me) - count_grades(hub, actor=me, agent=me)
    prefix, grades, where, params = _grades_where(hub, actor or hub.actor, agent, other_agents)
    row = hub.db.execute(f"{prefix} SELECT count(*) FROM {grades} WHERE {where}", params)
    return int(row.fetchone()[0])


def list_grades(
    hub: Hub,
    *,
    actor: str | None = None,
    agent: str | None = None,
    other_agents: bool = False,
    limit: int | None = None,
    offset: int = 0,
) -> list[dict[str, Any]]:
    """Submitted grades the actor may see (an agent: their own), newest first; chosen in
    SQL. ``other_agents`` leaves out the actor's own grades; ``limit`` and ``offset`` give a
    page of them."""
    prefix, grades, where, params = _grades_where(hub, actor or hub.actor, agent, other_agents)
    page = " LIMIT :limit OFFSET :offset" if limit is not None else ""
    rows = hub.db.query(
        f"{prefix} SELECT g.id, g.agent_id, g.grader_id, g.score, g.critical_failed, "
        "g.failed_criteria, g.comments, g.day, g.acknowledged_at, t.source, t.ticket_id, "
        "t.subject, t.channel, (SELECT status FROM quality_disputes d WHERE d.grade_id = g.id "
        "ORDER BY d.id DESC LIMIT 1) AS dispute "
        f"FROM {grades} JOIN quality_tickets t ON t.id = g.ticket_row WHERE {where} "
        f"ORDER BY g.day DESC, g.id DESC{page}",
        {**params, "limit": limit, "offset": offset},
    )
    return [
        {
            "grade": r["id"],
            "ticket": f"{r['source']}:{r['ticket_id']}",
            "subject": r["subject"],
            "channel": r["channel"],
            "agent": r["agent_id"],
            "grader": r["grader_id"],
            "score": r["score"],
            "critical_failed": bool(r["critical_failed"]),
            "failed_criteria": json.loads(r["failed_criteria"]),
            "comments": json.loads(r["comments"]),
            "graded_on": r["day"],
            "acknowledged": r["acknowledged_at"] is not None,
            "dispute": r["dispute"],
        }
        for r in rows
    ]


def _check_open_period(hub: Hub, grade: Mapping[str, Any]) -> None:
    for cycle in hub.cycles.list(status=CycleStatus.CLOSED):
        if cycle.start.isoformat() <= (grade["ticket_day"] or "") <= cycle.end.isoformat():
            raise FrozenError(
                M_(
                    "ticket %(ticket)s belongs to cycle %(cycle)r, which is closed; its grades "
                    "can no longer be disputed",
                    ticket=f"{grade['source']}:{grade['ticket_id']}",
                    cycle=cycle.name,
                )
            )


def _own(hub: Hub, grade: Mapping[str, Any], actor: str, doing: Message) -> None:
    if actor != grade["agent_id"]:
        raise PermissionDeniedError(
            M_(
                "only %(agent)s, whose ticket was graded, may %(doing)s grade %(grade)s",
                agent=grade["agent_id"],
                doing=doing,
                grade=grade["id"],
            )
        )


def _text(value: str, what: str) -> str:
    text = value.strip()
    if not text:
        raise ValidationError(M_("say why, in a sentence or more", where=what))
    if len(text) > MAX_TEXT:
        raise ValidationError(M_("longer than %(limit)s characters", where=what, limit=MAX_TEXT))
    return text


def acknowledge(hub: Hub, grade_id: int, *, actor: str | None = None) -> None:
    actor = actor or hub.actor
    grade = _grade(hub, grade_id)
    _own(hub, grade, actor, M_("acknowledge"))
    if grade["acknowledged_at"]:
        return
    with hub.atomic() as db:
        db.table("quality_grades").update(
            grade_id, {"acknowledged_at": hub.clock.now().isoformat()}
        )
        hub.audit.record("quality.grade_acknowledged", "quality_grades", grade_id, actor=actor)


def dispute(hub: Hub, grade_id: int, reason: str, *, actor: str | None = None) -> int:
    """Open a dispute of a grade; returns its id."""
    actor = actor or hub.actor
    grade = _grade(hub, grade_id)
    _own(hub, grade, actor, M_("dispute"))
    text = _text(reason, "--reason")
    _check_open_period(hub, grade)
    if any(
        hub.db.query(
            "SELECT 1 FROM quality_disputes WHERE grade_id = ? AND status = 'open'", [grade_id]
        )
    ):
        raise ValidationError(
            M_("grade %(grade)s is disputed already; the dispute awaits an answer", grade=grade_id)
        )
    with hub.atomic() as db:
        dispute_id = int(
            db.table("quality_disputes")
            .insert(
                {
                    "grade_id": grade_id,
                    "agent_id": grade["agent_id"],
                    "reason": text,
                    "opened_at": hub.clock.now().isoformat(),
                    "status": "open",
                    "score_before": grade["score"],
                }
            )
            .last_pk
            or 0
        )
        hub.audit.record(
            "quality.grade_disputed",
            "quality_disputes",
            dispute_id,
            after={"grade": grade_id, "reason": text},
            actor=actor,
        )
    return dispute_id


def open_disputes(hub: Hub, *, actor: str | None = None) -> list[dict[str, Any]]:
    """Open disputes the actor may resolve (administrator and HR: all)."""
    actor = actor or hub.actor
    rows = hub.db.query(
        "SELECT d.*, g.grader_id, g.score, t.source, t.ticket_id FROM quality_disputes d "
        "JOIN quality_grades g ON g.id = d.grade_id JOIN quality_tickets t ON t.id = g.ticket_row "
        "WHERE d.status = 'open' ORDER BY d.id"
    )
    found = []
    for r in rows:
        try:
            _check_resolver(hub, r, actor)
        except PermissionDeniedError:
            continue
        found.append(
            {
                "dispute": r["id"],
                "grade": r["grade_id"],
                "ticket": f"{r['source']}:{r['ticket_id']}",
                "agent": r["agent_id"],
                "grader": r["grader_id"],
                "score": r["score"],
                "reason": r["reason"],
                "opened_at": r["opened_at"],
            }
        )
    return found


def _check_resolver(hub: Hub, row: Mapping[str, Any], actor: str) -> None:
    person = hub.people.find(actor)
    if person is None or actor in hub.config.organization.hr:
        return
    if actor in (row["agent_id"], row["grader_id"]):
        raise PermissionDeniedError(
            M_(
                "a dispute is resolved by another grader or the agent's manager, not by the "
                "agent or the grader who made the grade"
            )
        )
    if hub.people.manages(actor, row["agent_id"]) or is_grader(hub, actor):
        return
    raise PermissionDeniedError(
        M_(
            "only another grader or the manager of %(agent)s may resolve this dispute",
            agent=row["agent_id"],
        )
    )


def resolve(
    hub: Hub,
    dispute_id: int,
    answer: str,
    *,
    changes: Mapping[str, str] | None = None,
    actor: str | None = None,
) -> dict[str, Any]:
    """Answer a dispute: the grade stands, or ``changes`` (criterion -> answer) are made."""
    actor = actor or hub.actor
    rows = list(
        hub.db.query(
            "SELECT d.*, g.grader_id FROM quality_disputes d JOIN quality_grades g "
            "ON g.id = d.grade_id WHERE d.id = ?",
            [dispute_id],
        )
    )
    if not rows:
        raise NotFoundError(f"no dispute {dispute_id}; `corehub quality disputes` lists them")
    row = rows[0]
    if row["status"] != "open":
        raise FrozenError(
            M_(
                "dispute %(id)s was resolved already (%(status)s)",
                id=dispute_id,
                status=row["status"],
            )
        )
    _check_resolver(hub, row, actor)
    text = _text(answer, "--answer")
    grade = _grade(hub, row["grade_id"])
    _check_open_period(hub, grade)
    card = json.loads(grade["scorecard"])
    changes = {k: str(v).strip().lower() for k, v in (changes or {}).items()}
    answers = json.loads(grade["answers"]) | changes
    if changes:
        problems = [
            placed(p, "answers.") for p in scorecards.answer_problems(card, answers, complete=True)
        ]
        if problems:
            raise ValidationError(M_("nothing was changed; fix these problems:"), problems)
    result = score(hub, card, answers)
    status = "changed" if changes else "upheld"
    now = hub.clock.now().isoformat()
    with hub.atomic() as db:
        if changes:
            db.table("quality_grades").update(
                grade["id"],
                {
                    "answers": json.dumps(answers, sort_keys=True),
                    "score": result.score,
                    "categories": json.dumps(result.categories, sort_keys=True),
                    "critical_failed": int(result.critical_failed),
                    "failed_criteria": json.dumps(list(result.failed_criteria)),
                    "acknowledged_at": None,
                },
            )
        db.table("quality_disputes").update(
            dispute_id,
            {
                "status": status,
                "resolver_id": actor,
                "answer": text,
                "score_after": result.score if changes else grade["score"],
                "resolved_at": now,
            },
        )
        hub.audit.record(
            "quality.dispute_resolved",
            "quality_disputes",
            dispute_id,
            before={"answers": json.loads(grade["answers"]), "score": grade["score"]},
            after={"status": status, "answer": text, "answers": answers, "score": result.score},
            actor=actor,
            reason=text,
        )
    return {
        "dispute": dispute_id,
        "status": status,
        "score_before": grade["score"],
        "score_after": result.score if changes else grade["score"],
    }
