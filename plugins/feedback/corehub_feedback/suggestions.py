"""The suggestion pipeline: new -> under review -> accepted | declined | implemented.

Each change carries a response with the reasoning (seed 002: explain the reasoning
behind decisions). The author can read it; for anonymous suggestions, everyone can.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any

from corehub.errors import NotFoundError, PermissionDeniedError, ValidationError
from corehub.messages import M_
from corehub_feedback import access, kinds
from corehub_feedback.store import (
    HELD_BACK,
    Item,
    can_review_suggestions,
    clean_text,
    get,
    is_held_back,
    list_feedback,
)

if TYPE_CHECKING:
    from corehub import Hub

STATUSES = ("new", "under_review", "accepted", "declined", "implemented")
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "new": ("under_review",),
    "under_review": ("accepted", "declined", "implemented"),
    "accepted": ("implemented",),
    "declined": ("under_review",),
    "implemented": (),
}
"""Allowed next statuses. A declined suggestion may be taken up again."""

STATUS_WORDS = {
    "new": M_("new"),
    "under_review": M_("under review"),
    "accepted": M_("accepted"),
    "declined": M_("declined"),
    "implemented": M_("implemented"),
}
"""A status as errors name it (in the reader's language where shown)."""


def status_word(status: str) -> str:
    return STATUS_WORDS.get(status, status)


def parse_status(text: str) -> str:
    status = text.strip().lower().replace(" ", "_").replace("-", "_")
    if status not in STATUSES:
        raise ValidationError(
            M_(
                "unknown status %(status)r; statuses: %(statuses)s",
                status=text,
                statuses=", ".join(STATUSES),
            )
        )
    return status


def respond(
    hub: Hub,
    suggestion_id: int,
    *,
    text: str,
    status: str | None = None,
    actor: str | None = None,
) -> Item:
    """Move a suggestion to ``status`` (or just answer it) with a response text."""
    who = access.viewer(hub, actor)
    if not can_review_suggestions(hub, who):
        raise PermissionDeniedError(
            M_(
                "%(actor)s may not answer suggestions: HR, managers and the people named in "
                "%(setting)s can",
                actor=who.actor,
                setting="settings.feedback.suggestion_reviewers",
            )
        )
    body = clean_text(hub, text, M_("the response"), required=True)
    with hub.atomic() as db:
        item = get(hub, suggestion_id)
        if item.kind != kinds.SUGGESTION:
            raise ValidationError(
                M_(
                    "feedback %(id)s is %(kind)s, not a suggestion",
                    id=suggestion_id,
                    kind=kinds.kind_word(item.kind),
                )
            )
        if is_held_back(hub, item):
            # nobody has seen it yet: answering would show it before its day is over
            raise NotFoundError(M_("no feedback with id %(id)s", id=suggestion_id))
        current = item.status or "new"
        target = current if status is None else parse_status(status)
        if target != current and target not in TRANSITIONS[current]:
            allowed = ", ".join(TRANSITIONS[current]) or "none: it is final"
            raise ValidationError(
                M_(
                    "suggestion %(id)s is %(current)s; it cannot become %(target)s",
                    id=suggestion_id,
                    current=status_word(current),
                    target=status_word(target),
                    hint=f"next: {allowed}",
                )
            )
        now = hub.clock.now().isoformat()
        db.table("feedback").update(item.id, {"status": target})
        db.table("feedback_responses").insert(
            {
                "feedback_id": item.id,
                "from_status": current,
                "to_status": target,
                "text": body,
                "responder_id": who.actor,
                "responded_at": now,
            }
        )
        hub.audit.record(
            "suggestion.responded",
            "feedback",
            item.id,
            actor=who.actor,
            before={"status": current},
            after={"status": target},
        )
    return get(hub, suggestion_id)


def pipeline(hub: Hub, *, actor: str | None = None, status: str | None = None) -> list[Item]:
    """The suggestions the acting person may read, with their responses."""
    wanted = parse_status(status) if status else None
    return list_feedback(hub, actor=actor, kind=kinds.SUGGESTION, status=wanted)


def pipeline_page(
    hub: Hub,
    *,
    actor: str | None = None,
    status: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[Item], int]:
    """One page of :func:`pipeline` (newest first) and how many there are in all, chosen and
    counted in SQL by the rule of :func:`corehub_feedback.store.visible`: reviewers (and HR)
    read every suggestion, everyone else the anonymous ones and their own."""
    from corehub_feedback import store

    who = access.viewer(hub, actor)
    where = ["kind = ?", HELD_BACK]
    params: list[Any] = [kinds.SUGGESTION, hub.clock.today().isoformat()]
    if status:
        where.append("status = ?")
        params.append(parse_status(status))
    if not store.can_review_suggestions(hub, who):
        where.append("(anonymous = 1 OR author_id = ?)")
        params.append(who.id or "")
    condition = " AND ".join(where)
    total = hub.db.execute(f"SELECT count(*) FROM feedback WHERE {condition}", params)
    rows = hub.db.query(
        f"SELECT * FROM feedback WHERE {condition} ORDER BY given_on DESC, id LIMIT ? OFFSET ?",
        [*params, limit, offset],
    )
    shown = [item for item in map(store._to_item, rows) if store.visible(hub, who, item)]
    return store._with_responses(hub, shown), total.fetchone()[0]


def counts_by_status(hub: Hub) -> dict[str, int]:
    """How many suggestions are in each status (counts only; safe for everyone).

    Anonymous suggestions count from the day after they were given, as they are listed.
    """
    found = Counter(
        {
            row["status"]: row["n"]
            for row in hub.db.query(
                f"SELECT status, count(*) AS n FROM feedback WHERE kind = ? AND {HELD_BACK} "
                "GROUP BY status",
                [kinds.SUGGESTION, hub.clock.today().isoformat()],
            )
        }
    )
    return {status: found.get(status, 0) for status in STATUSES}
