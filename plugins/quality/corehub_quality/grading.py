"""Grading a sampled ticket: the fill-in file, drafts, submitting, the audit trail.

``corehub quality grade-file TASK`` writes a YAML file with the conversation (as
comments) and one blank answer per criterion; the grader fills it in and
``corehub quality grade FILE [--submit]`` saves a draft or submits. The grade keeps a
copy of the scorecard it was started with: editing the YAML later changes no grade.
A submitted grade is final; every save and the submission are in the audit trail.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs
import yaml

from corehub.errors import (
    FrozenError,
    NotFoundError,
    PermissionDeniedError,
    ValidationError,
)
from corehub.loaders import load_yaml
from corehub.messages import M_, Message
from corehub.models import Text
from corehub_quality import scorecards
from corehub_quality.tickets import ticket_label

if TYPE_CHECKING:
    from corehub import Hub
    from corehub.models import TicketScore


@attrs.frozen
class GradeResult:
    task: int
    ticket: str
    agent_id: str
    status: str
    score: float | None
    critical_failed: bool
    failed_criteria: tuple[str, ...]


def task_row(hub: Hub, task_id: int) -> dict[str, Any]:
    rows = list(
        hub.db.query(
            "SELECT k.id AS task_id, k.grader_id, k.due, k.status, k.ticket_row, t.source, "
            "t.ticket_id, t.agent_id, t.subject, t.channel, t.requester, t.conversation, "
            "t.rating, t.rating_comment, t.day FROM quality_tasks k "
            "JOIN quality_tickets t ON t.id = k.ticket_row WHERE k.id = ?",
            [task_id],
        )
    )
    if not rows:
        raise NotFoundError(
            f"no grading task {task_id}; `corehub quality status` and `corehub quality tasks` "
            "list them"
        )
    return rows[0]


def _grade_row(hub: Hub, task_id: int) -> dict[str, Any] | None:
    rows = list(hub.db.query("SELECT * FROM quality_grades WHERE task_id = ?", [task_id]))
    return rows[0] if rows else None


def check_grader(hub: Hub, task: Mapping[str, Any], actor: str | None = None) -> None:
    """The task's grader, HR or the administrator may grade; nobody grades their own ticket."""
    actor = actor or hub.actor
    if actor == task["agent_id"]:
        raise PermissionDeniedError(
            M_(
                "you cannot grade your own ticket (%(ticket)s); it was sampled for another grader",
                ticket=ticket_label(task),
            )
        )
    person = hub.people.find(actor)
    if person is None or actor == task["grader_id"] or actor in hub.config.organization.hr:
        return
    raise PermissionDeniedError(
        M_(
            "grading task %(task)s belongs to %(grader)s; only they, HR or the administrator "
            "may grade it",
            task=task["task_id"],
            grader=task["grader_id"],
        )
    )


def scorecard_for(hub: Hub, task: Mapping[str, Any]) -> dict[str, Any]:
    """The scorecard copy of the task's grade, or the current one for its channel."""
    grade = _grade_row(hub, task["task_id"])
    if grade is not None:
        card: dict[str, Any] = json.loads(grade["scorecard"])
        return card
    return scorecards.for_channel(hub, task["channel"])


def _comment_lines(text: str, prefix: str = "# ") -> list[str]:
    lines = []
    for line in str(text).splitlines() or [""]:
        lines.append((prefix + line).rstrip())
    return lines


def export_text(hub: Hub, task_id: int, *, locale: str = "en", actor: str | None = None) -> str:
    """The fill-in file of a grading task (answers already saved are filled in)."""
    task = task_row(hub, task_id)
    check_grader(hub, task, actor)
    card = scorecard_for(hub, task)
    grade = _grade_row(hub, task_id)
    answers = json.loads(grade["answers"]) if grade else {}
    comments = json.loads(grade["comments"]) if grade else {}
    return fillin_text(
        hub,
        task,
        card,
        {"task": task_id},
        answers,
        comments,
        locale=locale,
        command="corehub quality grade THIS_FILE",
    )


def fillin_text(
    hub: Hub,
    ticket: Mapping[str, Any],
    card: Mapping[str, Any],
    keys: Mapping[str, Any],
    answers: Mapping[str, Any],
    comments: Mapping[str, Any],
    *,
    locale: str,
    command: str,
) -> str:
    """A fill-in file: the conversation as comments, then ``keys`` and one line per criterion."""
    agent = hub.people.find(ticket["agent_id"])
    lines = [
        f"# Grade ticket {ticket_label(ticket)}: {ticket['subject']}",
        f"# Agent: {agent.name if agent else ticket['agent_id']}; channel: "
        f"{ticket['channel'] or '-'}; requester: {ticket['requester'] or '-'}; customer rating: "
        f"{ticket['rating'] or '-'}",
        f"# Scorecard: {Text.of(card['title']).get(locale)} (version {card['version']})",
        "# Answer every criterion: yes, no or na (does not apply), or a scale value;",
        "# a CRITICAL criterion answered no fails the whole ticket. Then run",
        f"#   {command}            (saves a draft)",
        f"#   {command} --submit   (submits; final)",
        "#",
        "# The conversation:",
    ]
    for message in json.loads(ticket["conversation"]):
        lines.append(f"# --- {message.get('author') or '?'} {message.get('at') or ''}".rstrip())
        lines.extend(_comment_lines(message.get("body", ""), "#   "))
    if ticket["rating_comment"]:
        lines.append(f"# Customer's comment: {ticket['rating_comment']}")
    lines.append("")
    lines.extend(f"{key}: {json.dumps(value)}" for key, value in keys.items())
    lines += [
        f"ticket: {json.dumps(ticket_label(ticket))}",
        f"scorecard: {card['id']}",
        f"scorecard_version: {card['version']}",
        "answers:",
    ]
    for category in card["categories"]:
        lines.append(f"  # == {Text.of(category['title']).get(locale)}")
        for criterion in category["criteria"]:
            if criterion["type"] == "yes_no":
                allowed = "yes / no / na"
            else:
                points = card["scales"][criterion["scale"]]["points"]
                allowed = ", ".join(
                    f"{p['value']} {Text.of(p['label']).get(locale)}" for p in points
                )
                allowed += ", na"
            flag = "CRITICAL: " if criterion["critical"] else ""
            lines.append(f"  # {flag}{Text.of(criterion['text']).get(locale)} ({allowed})")
            value = answers.get(criterion["id"], "")
            lines.append(f"  {criterion['id']}: {json.dumps(str(value)) if value != '' else ''}")
    lines.append("comments:  # optional, one per criterion, e.g.  tone: Too curt at the end.")
    for key, value in comments.items():
        lines.append(f"  {key}: {json.dumps(value, ensure_ascii=False)}")
    return "\n".join(lines).rstrip() + "\n"


def read_fillin(path: Path | str) -> dict[str, Any]:
    """The data of a filled-in file; problems name the file."""
    path = Path(path)
    try:
        data = load_yaml(path.read_text(encoding="utf-8"), source=path.name)
    except FileNotFoundError:
        raise ValidationError(f"{path}: no such file") from None
    except yaml.YAMLError as exc:
        raise ValidationError(f"{path.name}: not valid YAML: {exc}") from None
    if not isinstance(data, dict) or not {"task", "calibration"} & set(data):
        raise ValidationError(
            f"{path.name}: not a grading file (make one with `corehub quality grade-file TASK`)"
        )
    return data


def placed(problem: Message, prefix: str) -> Message:
    """``problem`` with ``prefix`` before its ``where`` (``grade.yaml, answers.`` + ``tone``)."""
    return M_(problem.msgid, where=f"{prefix}{problem.where or ''}", **problem.params)


def score(hub: Hub, card: Mapping[str, Any], answers: Mapping[str, Any]) -> TicketScore:
    result: TicketScore = hub.hook.score_ticket(hub=hub, scorecard=card, answers=answers)
    return result


def grade(
    hub: Hub,
    data: Mapping[str, Any],
    *,
    submit: bool = False,
    source: str = "file",
    actor: str | None = None,
) -> GradeResult:
    """Save (or submit) a grade from a fill-in file's data; nothing is written on a problem."""
    task_id = data.get("task")
    if isinstance(task_id, bool) or not isinstance(task_id, int):
        raise ValidationError(f"{source}: task: {task_id!r} is not a grading task number")
    ticket = str(data.get("ticket") or "")
    named = _sampled(hub, ticket) if ticket else None
    task = task_row(hub, task_id)
    if ticket and named is None:
        raise ValidationError(
            f"{source}: ticket {ticket!r} was not sampled for grading; only sampled tickets "
            "are graded (`corehub quality sample`)"
        )
    if ticket and ticket != ticket_label(task):
        raise ValidationError(
            f"{source}: task {task_id} grades ticket {ticket_label(task)}, not {ticket}"
        )
    check_grader(hub, task, actor)
    if task["status"] == "submitted":
        raise FrozenError(
            M_(
                "the grade of ticket %(ticket)s was submitted already; a submitted grade is final",
                ticket=ticket_label(task),
            )
        )
    card = scorecard_for(hub, task)
    version = data.get("scorecard_version", card["version"])
    if data.get("scorecard", card["id"]) != card["id"] or version != card["version"]:
        raise ValidationError(
            f"{source}: made for scorecard {data.get('scorecard')!r} version {version}, but "
            f"this grade uses {card['id']!r} version {card['version']}; make a new file with "
            "`corehub quality grade-file`"
        )
    answers = data.get("answers") or {}
    comments = data.get("comments") or {}
    if not isinstance(answers, dict) or not isinstance(comments, dict):
        raise ValidationError(f"{source}: answers and comments are mappings of criterion: value")
    answers = {k: ("" if v is None else str(v).strip().lower()) for k, v in answers.items()}
    comments = {str(k): str(v).strip() for k, v in comments.items() if v not in (None, "")}
    known = scorecards.criteria(card)
    problems = [
        placed(p, f"{source}, answers.")
        for p in scorecards.answer_problems(card, answers, complete=submit)
    ]
    problems += [
        M_(
            "not a criterion of scorecard %(card)r",
            where=f"{source}, comments.{k}",
            card=card["id"],
        )
        for k in comments
        if k not in known
    ]
    if problems:
        raise ValidationError(
            M_("%(source)s: nothing was saved; fix these problems:", source=source), problems
        )
    answers = {k: v for k, v in answers.items() if v != ""}
    result = score(hub, card, answers)
    now = hub.clock.now().isoformat()
    status = "submitted" if submit else "draft"
    before = _grade_row(hub, task_id)
    row = {
        "task_id": task_id,
        "ticket_row": task["ticket_row"],
        "agent_id": task["agent_id"],
        "grader_id": task["grader_id"],
        "scorecard_id": card["id"],
        "scorecard_version": card["version"],
        "scorecard": json.dumps(card, ensure_ascii=False, sort_keys=True),
        "answers": json.dumps(answers, sort_keys=True),
        "comments": json.dumps(comments, ensure_ascii=False, sort_keys=True),
        "score": result.score,
        "categories": json.dumps(result.categories, sort_keys=True),
        "critical_failed": int(result.critical_failed),
        "failed_criteria": json.dumps(list(result.failed_criteria)),
        "status": status,
        "day": hub.clock.today().isoformat() if submit else None,
        "saved_at": now,
        "submitted_at": now if submit else None,
    }
    with hub.atomic() as db:
        if before is None:
            db.table("quality_grades").insert(row)
        else:
            db.table("quality_grades").update(before["id"], row)
        db.table("quality_tasks").update(task_id, {"status": status})
        hub.audit.record(
            "quality.grade_submitted" if submit else "quality.grade_saved",
            "quality_grades",
            task_id,
            before={"answers": json.loads(before["answers"]), "score": before["score"]}
            if before
            else None,
            after={
                "ticket": ticket_label(task),
                "answers": answers,
                "comments": comments,
                "score": result.score,
                "critical_failed": result.critical_failed,
            },
        )
    return GradeResult(
        task=task_id,
        ticket=ticket_label(task),
        agent_id=task["agent_id"],
        status=status,
        score=result.score,
        critical_failed=result.critical_failed,
        failed_criteria=result.failed_criteria,
    )


def _sampled(hub: Hub, label: str) -> int | None:
    source, _colon, ticket_id = label.partition(":")
    rows = list(
        hub.db.query(
            "SELECT k.id FROM quality_tasks k JOIN quality_tickets t ON t.id = k.ticket_row "
            "WHERE t.source = ? AND t.ticket_id = ?",
            [source, ticket_id],
        )
    )
    return int(rows[0]["id"]) if rows else None
