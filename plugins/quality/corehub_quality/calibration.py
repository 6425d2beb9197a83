"""Calibration: several graders grade the same tickets blind, then see where they differ.

A session names its tickets and its graders (at least two; never a grader's own
ticket). While it is open each grader sees only their own answers; once it is closed
the results show, per criterion, the agreement between graders (the share of agreeing
pairs, and Krippendorff's alpha: nominal for yes/no criteria, ordinal for scales, N/A
counted as no answer) and, per grader, how far their answers lie from the consensus
(the most common answer, the median on a scale). The QA lead sees which criteria are
read differently. Calibration grades never count towards anyone's quality score.
"""

from __future__ import annotations

import json
import statistics
from collections import Counter
from collections.abc import Iterable, Mapping
from itertools import combinations
from typing import TYPE_CHECKING, Any, Literal

from corehub.errors import FrozenError, NotFoundError, PermissionDeniedError, ValidationError
from corehub.messages import M_
from corehub.models import Text
from corehub_quality import scorecards
from corehub_quality.grading import fillin_text, placed
from corehub_quality.sampling import graders as all_graders
from corehub_quality.tickets import ticket_label

if TYPE_CHECKING:
    from corehub import Hub

ALPHA_MIN = 0.667
"""Below this alpha, agreement is too low to draw conclusions (Krippendorff's own bound)."""


def session(hub: Hub, name_or_id: str | int) -> dict[str, Any]:
    """A session by name or id, its graders as a list."""
    return _session(hub, name_or_id)


def check_grader(hub: Hub, session: Mapping[str, Any], actor: str | None) -> str:
    """The actor, if they grade in ``session``; else PermissionDeniedError."""
    return _grader(hub, session, actor)


def session_ticket(hub: Hub, session: Mapping[str, Any], label: str) -> dict[str, Any]:
    """The ticket ``label`` of ``session``, with the scorecard copy the session grades on."""
    return _session_ticket(hub, session, label)


def own_grade(
    hub: Hub, session: Mapping[str, Any], ticket: Mapping[str, Any], grader: str
) -> tuple[dict[str, Any], dict[str, Any], str | None]:
    """A grader's own answers, comments and status for one session ticket (never others')."""
    rows = list(
        hub.db.query(
            "SELECT answers, comments, status FROM quality_calibration_grades WHERE "
            "calibration_id = ? AND ticket_row = ? AND grader_id = ?",
            [session["id"], ticket["id"], grader],
        )
    )
    if not rows:
        return {}, {}, None
    return json.loads(rows[0]["answers"]), json.loads(rows[0]["comments"]), rows[0]["status"]


def to_grade(hub: Hub, grader: str) -> list[dict[str, Any]]:
    """Tickets of open sessions ``grader`` grades in and has not submitted yet."""
    found = []
    for row in hub.db.query(
        "SELECT c.id, c.name, c.graders, t.source, t.ticket_id, t.subject, g.status "
        "FROM quality_calibrations c JOIN quality_calibration_tickets k ON k.calibration_id = c.id "
        "JOIN quality_tickets t ON t.id = k.ticket_row LEFT JOIN quality_calibration_grades g "
        "ON g.calibration_id = c.id AND g.ticket_row = t.id AND g.grader_id = ? "
        "WHERE c.status = 'open' ORDER BY c.id, t.id",
        [grader],
    ):
        if grader in json.loads(row["graders"]) and row["status"] != "submitted":
            found.append(
                {
                    "session_id": row["id"],
                    "session": row["name"],
                    "ticket": f"{row['source']}:{row['ticket_id']}",
                    "subject": row["subject"],
                    "status": row["status"] or "open",
                }
            )
    return found


def _session(hub: Hub, name_or_id: str | int) -> dict[str, Any]:
    rows = list(
        hub.db.query(
            "SELECT * FROM quality_calibrations WHERE name = ? OR CAST(id AS TEXT) = ?",
            [str(name_or_id), str(name_or_id)],
        )
    )
    if not rows:
        raise NotFoundError(f"no calibration session {name_or_id!r}")
    session = rows[0]
    session["graders"] = json.loads(session["graders"])
    return session


def _ticket_rows(hub: Hub, labels: Iterable[str]) -> tuple[list[dict[str, Any]], list[str]]:
    found, problems = [], []
    for label in labels:
        source, _colon, ticket_id = label.partition(":")
        rows = list(
            hub.db.query(
                "SELECT * FROM quality_tickets WHERE source = ? AND ticket_id = ?",
                [source, ticket_id],
            )
        )
        if rows:
            found.append(rows[0])
        else:
            problems.append(
                f"--ticket {label}: no such imported ticket (use SOURCE:ID, e.g. zendesk:101)"
            )
    return found, problems


def create(hub: Hub, name: str, tickets: list[str], graders: list[str]) -> int:
    """Open a session; all problems are listed at once and nothing is written on any."""
    problems = []
    name = name.strip()
    if not name:
        problems.append("name: give the session a name, e.g. '2026-11 written'")
    elif any(hub.db.query("SELECT 1 FROM quality_calibrations WHERE name = ?", [name])):
        problems.append(f"name: a session {name!r} exists already")
    unique_graders = sorted(set(graders))
    if len(unique_graders) < 2:
        problems.append("--grader: name at least two graders")
    allowed = {g.id for g in all_graders(hub)}
    for grader in unique_graders:
        if grader not in allowed:
            problems.append(
                f"--grader {grader}: not a grader (the qa right in corehub.toml, or a team lead)"
            )
    rows, ticket_problems = _ticket_rows(hub, dict.fromkeys(tickets))
    problems += ticket_problems
    if not tickets:
        problems.append("--ticket: name at least one ticket")
    for row in rows:
        if row["agent_id"] in unique_graders:
            problems.append(
                f"--ticket {ticket_label(row)}: it is {row['agent_id']}'s own ticket, and they grade "
                "in this session"
            )
    if problems:
        raise ValidationError("cannot open the calibration session:", problems)
    with hub.atomic() as db:
        session_id = int(
            db.table("quality_calibrations")
            .insert(
                {
                    "name": name,
                    "status": "open",
                    "graders": json.dumps(unique_graders),
                    "created_at": hub.clock.now().isoformat(),
                }
            )
            .last_pk
            or 0
        )
        db.table("quality_calibration_tickets").insert_all(
            {
                "calibration_id": session_id,
                "ticket_row": row["id"],
                "scorecard": json.dumps(
                    scorecards.for_channel(hub, row["channel"]), sort_keys=True
                ),
            }
            for row in rows
        )
        hub.audit.record(
            "quality.calibration_opened",
            "quality_calibrations",
            session_id,
            after={
                "name": name,
                "tickets": [ticket_label(r) for r in rows],
                "graders": unique_graders,
            },
        )
    return session_id


def _session_ticket(hub: Hub, session: Mapping[str, Any], label: str) -> dict[str, Any]:
    source, _colon, ticket_id = label.partition(":")
    rows = list(
        hub.db.query(
            "SELECT t.*, c.scorecard FROM quality_calibration_tickets c JOIN quality_tickets t "
            "ON t.id = c.ticket_row WHERE c.calibration_id = ? AND t.source = ? AND t.ticket_id = ?",
            [session["id"], source, ticket_id],
        )
    )
    if not rows:
        raise ValidationError(
            M_(
                "ticket %(ticket)r is not in calibration session %(name)r",
                ticket=label,
                name=session["name"],
            )
        )
    return rows[0]


def _grader(hub: Hub, session: Mapping[str, Any], actor: str | None) -> str:
    actor = actor or hub.actor
    if actor not in session["graders"]:
        raise PermissionDeniedError(
            M_(
                "only the session's graders (%(graders)s) grade in %(name)r",
                graders=", ".join(session["graders"]),
                name=session["name"],
                hint="act as one with --as",
            )
        )
    return actor


def export_text(
    hub: Hub, session_ref: str, ticket: str, *, locale: str = "en", actor: str | None = None
) -> str:
    session = _session(hub, session_ref)
    grader = _grader(hub, session, actor)
    row = _session_ticket(hub, session, ticket)
    mine = list(
        hub.db.query(
            "SELECT answers, comments FROM quality_calibration_grades WHERE calibration_id = ? "
            "AND ticket_row = ? AND grader_id = ?",
            [session["id"], row["id"], grader],
        )
    )
    answers = json.loads(mine[0]["answers"]) if mine else {}
    comments = json.loads(mine[0]["comments"]) if mine else {}
    return fillin_text(
        hub,
        row,
        json.loads(row["scorecard"]),
        {"calibration": session["name"]},
        answers,
        comments,
        locale=locale,
        command="corehub quality calibrate grade THIS_FILE",
    )


def grade(
    hub: Hub, data: Mapping[str, Any], *, submit: bool, source: str, actor: str | None = None
) -> str:
    """Save or submit one grader's blind grade of one session ticket; returns the status."""
    session = _session(hub, str(data.get("calibration", "")))
    grader = _grader(hub, session, actor)
    if session["status"] != "open":
        raise FrozenError(M_("calibration session %(name)r is closed", name=session["name"]))
    row = _session_ticket(hub, session, str(data.get("ticket", "")))
    card = json.loads(row["scorecard"])
    answers = data.get("answers") or {}
    comments = data.get("comments") or {}
    if not isinstance(answers, dict) or not isinstance(comments, dict):
        raise ValidationError(f"{source}: answers and comments are mappings of criterion: value")
    answers = {k: ("" if v is None else str(v).strip().lower()) for k, v in answers.items()}
    problems = [
        placed(p, f"{source}, answers.")
        for p in scorecards.answer_problems(card, answers, complete=submit)
    ]
    if problems:
        raise ValidationError(
            M_("%(source)s: nothing was saved; fix these problems:", source=source), problems
        )
    key = {"calibration_id": session["id"], "ticket_row": row["id"], "grader_id": grader}
    existing = list(
        hub.db.query(
            "SELECT status FROM quality_calibration_grades WHERE calibration_id = ? AND "
            "ticket_row = ? AND grader_id = ?",
            [session["id"], row["id"], grader],
        )
    )
    if existing and existing[0]["status"] == "submitted":
        raise FrozenError(
            M_(
                "your grade of %(ticket)s in this session was submitted already",
                ticket=ticket_label(row),
            )
        )
    status = "submitted" if submit else "draft"
    with hub.atomic() as db:
        db.table("quality_calibration_grades").upsert(
            key
            | {
                "answers": json.dumps({k: v for k, v in answers.items() if v}, sort_keys=True),
                "comments": json.dumps({str(k): str(v) for k, v in comments.items() if v}),
                "status": status,
                "saved_at": hub.clock.now().isoformat(),
            },
            pk=("calibration_id", "ticket_row", "grader_id"),
        )
        hub.audit.record(
            f"quality.calibration_grade_{'submitted' if submit else 'saved'}",
            "quality_calibrations",
            session["id"],
            after={"ticket": ticket_label(row), "grader": grader},
            actor=grader,
        )
    return status


def close(hub: Hub, session_ref: str) -> None:
    session = _session(hub, session_ref)
    if session["status"] == "closed":
        return
    with hub.atomic() as db:
        db.table("quality_calibrations").update(
            session["id"], {"status": "closed", "closed_at": hub.clock.now().isoformat()}
        )
        hub.audit.record("quality.calibration_closed", "quality_calibrations", session["id"])


def _alpha(matrix: list[list[float | None]], level: Literal["nominal", "ordinal"]) -> float | None:
    import krippendorff
    import numpy as np

    data = np.array([[np.nan if v is None else v for v in row] for row in matrix], dtype=float)
    try:
        return round(
            float(krippendorff.alpha(reliability_data=data, level_of_measurement=level)), 3
        )
    except ValueError:
        return None  # one value only, or nothing pairable: alpha is not defined


def _value(criterion: Mapping[str, Any], answer: str | None) -> float | None:
    if answer in (None, "", "na"):
        return None
    if criterion["type"] == "yes_no":
        return 1.0 if answer == "yes" else 0.0
    return float(str(answer))


def _consensus(values: list[float], nominal: bool) -> float:
    if nominal:
        counts = Counter(values).most_common()
        return counts[0][0]
    return float(statistics.median(values))


def results(hub: Hub, session_ref: str, *, locale: str = "en") -> dict[str, Any]:
    """Agreement per criterion and each grader's distance from the consensus."""
    session = _session(hub, session_ref)
    if session["status"] != "closed":
        raise PermissionDeniedError(
            M_(
                "calibration session %(name)r is open: results show once it is closed, so that "
                "grading stays blind",
                name=session["name"],
                hint="corehub quality calibrate close",
            )
        )
    tickets = list(
        hub.db.query(
            "SELECT t.id, t.source, t.ticket_id, c.scorecard FROM quality_calibration_tickets c "
            "JOIN quality_tickets t ON t.id = c.ticket_row WHERE c.calibration_id = ? ORDER BY t.id",
            [session["id"]],
        )
    )
    answers: dict[tuple[int, str], dict[str, str]] = {}
    for given_row in hub.db.query(
        "SELECT ticket_row, grader_id, answers FROM quality_calibration_grades "
        "WHERE calibration_id = ? AND status = 'submitted'",
        [session["id"]],
    ):
        answers[(given_row["ticket_row"], given_row["grader_id"])] = json.loads(
            given_row["answers"]
        )
    graders = session["graders"]
    criteria: dict[str, dict[str, Any]] = {}
    for t in tickets:
        for qid, criterion in scorecards.criteria(json.loads(t["scorecard"])).items():
            criteria.setdefault(qid, criterion)
    distance: dict[str, list[float]] = {g: [] for g in graders}
    rows = []
    for qid, criterion in criteria.items():
        nominal = criterion["type"] == "yes_no"
        span = 1.0
        if not nominal:
            card = json.loads(next(t["scorecard"] for t in tickets))
            values = [p["value"] for p in card["scales"][criterion["scale"]]["points"]]
            span = float(max(values) - min(values)) or 1.0
        matrix: list[list[float | None]] = [
            [_value(criterion, answers.get((t["id"], g), {}).get(qid)) for t in tickets]
            for g in graders
        ]
        agree = pairs = 0
        units = 0
        per_grader: dict[str, list[float]] = {g: [] for g in graders}
        for column in range(len(tickets)):
            given = [
                (g, matrix[i][column])
                for i, g in enumerate(graders)
                if matrix[i][column] is not None
            ]
            if len(given) < 2:
                continue
            units += 1
            for (_a, x), (_b, y) in combinations(given, 2):
                pairs += 1
                agree += x == y
            consensus = _consensus([v for _g, v in given if v is not None], nominal)
            for g, v in given:
                assert v is not None
                per_grader[g].append(abs(v - consensus) / span)
        for g, values in per_grader.items():
            distance[g].extend(values)
        rows.append(
            {
                "criterion": qid,
                "text": Text.of(criterion["text"]).get(locale),
                "critical": criterion["critical"],
                "units": units,
                "agreement_pct": round(100 * agree / pairs) if pairs else None,
                "alpha": _alpha(matrix, "nominal" if nominal else "ordinal") if units else None,
                "distance": {
                    g: round(100 * sum(v) / len(v)) if v else None for g, v in per_grader.items()
                },
            }
        )
    rows.sort(key=lambda r: (r["agreement_pct"] is None, r["agreement_pct"] or 0, r["criterion"]))
    names = hub.people.names(graders)
    return {
        "session": session["name"],
        "tickets": [f"{t['source']}:{t['ticket_id']}" for t in tickets],
        "graders": [
            {
                "grader": g,
                "name": names.get(g, g),
                "graded": sum(1 for t in tickets if (t["id"], g) in answers),
                "distance_pct": round(100 * sum(distance[g]) / len(distance[g]))
                if distance[g]
                else None,
            }
            for g in graders
        ],
        "criteria": rows,
        "read_differently": [
            r["criterion"]
            for r in rows
            if (r["alpha"] is not None and r["alpha"] < ALPHA_MIN)
            or (r["alpha"] is None and r["agreement_pct"] is not None and r["agreement_pct"] < 100)
        ],
        "alpha_min": ALPHA_MIN,
    }
