"""Web sessions kept on the server, so that they can be ended.

Signing in makes a session: a random id in the (signed, HttpOnly) cookie and a row in
``web_sessions`` holding only its SHA-256 hash. Every request looks the row up, so a session
ends for good when the person signs out, when an administrator runs ``corehub people
sign-out`` (a lost laptop, a shared computer), when the person is deactivated, or when it
expires (``[web] session_hours``), whatever the browser still holds.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import sqlite3
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from corehub.hub import Hub
    from corehub.models import Person

TABLE = "web_sessions"
TOUCH_EVERY = dt.timedelta(minutes=5)
"""How stale ``last_seen_at`` may get before a request writes it again (reads stay reads)."""
KEEP_ENDED = dt.timedelta(days=30)
"""Ended and expired sessions are deleted this long after they stopped counting."""


def _hash(sid: str) -> str:
    return hashlib.sha256(sid.encode("utf-8")).hexdigest()


def start(hub: Hub, person_id: str, *, replacing: Any = None) -> str:
    """A new session for ``person_id``; returns its id (for the cookie only). The browser's
    previous session (``replacing``), whoever's it was, ends: a copy of the old cookie is
    worth nothing after signing in again."""
    sid = secrets.token_urlsafe(32)
    now = hub.clock.now()
    hours = hub.config.web.session_hours
    with hub.atomic() as db:
        end(hub, replacing)
        db.table(TABLE).insert(
            {
                "sid_hash": _hash(sid),
                "person_id": person_id,
                "created_at": now.isoformat(),
                "last_seen_at": now.isoformat(),
                "expires_at": (now + dt.timedelta(hours=hours)).isoformat(),
            }
        )
        cutoff = (now - KEEP_ENDED).isoformat()
        db.execute(
            f"DELETE FROM {TABLE} WHERE coalesce(ended_at, expires_at) < ?",
            [cutoff],
        )
    return sid


def person_for(hub: Hub, sid: Any) -> Person | None:
    """The active person whose live session ``sid`` is; None for anything else."""
    if not isinstance(sid, str) or not sid:
        return None
    rows = list(
        hub.db.query(
            f"SELECT * FROM {TABLE} WHERE sid_hash = ? AND ended_at IS NULL",
            [_hash(sid)],
        )
    )
    if not rows:
        return None
    row = rows[0]
    now = hub.clock.now()
    if dt.datetime.fromisoformat(row["expires_at"]) <= now:
        return None
    person = hub.people.find(row["person_id"])
    if person is None or not person.active or person.has_left(now.date()):
        return None
    if now - dt.datetime.fromisoformat(row["last_seen_at"]) >= TOUCH_EVERY:
        try:
            with hub.atomic() as db:
                db.execute(
                    f"UPDATE {TABLE} SET last_seen_at = ? WHERE id = ?",
                    [now.isoformat(), row["id"]],
                )
        except sqlite3.OperationalError:  # only bookkeeping: a busy database skips it
            pass
    return person


def end(hub: Hub, sid: Any) -> None:
    """End the session ``sid`` (signing out); an unknown or ended one is left as it is."""
    if not isinstance(sid, str) or not sid:
        return
    with hub.atomic() as db:
        db.execute(
            f"UPDATE {TABLE} SET ended_at = ?, ended_by = 'sign-out' "
            "WHERE sid_hash = ? AND ended_at IS NULL",
            [hub.clock.now().isoformat(), _hash(sid)],
        )


def end_everything(hub: Hub, person_ids: list[str], *, why: str) -> None:
    """End every session and cancel every unused sign-in link of ``person_ids`` (in the
    caller's transaction: deactivating people)."""
    now = hub.clock.now().isoformat()
    marks = ", ".join("?" for _ in person_ids)
    with hub.atomic() as db:
        db.execute(
            f"UPDATE {TABLE} SET ended_at = ?, ended_by = ? "
            f"WHERE person_id IN ({marks}) AND ended_at IS NULL",
            [now, why, *person_ids],
        )
        db.execute(
            f"UPDATE sign_in_tokens SET used_at = ? WHERE person_id IN ({marks}) "
            "AND used_at IS NULL",
            [now, *person_ids],
        )


def end_all(hub: Hub, person_id: str) -> int:
    """End every live session of ``person_id``; returns how many there were."""
    hub.people.get(person_id)
    now = hub.clock.now().isoformat()
    with hub.atomic() as db:
        ended = db.execute(
            f"UPDATE {TABLE} SET ended_at = ?, ended_by = ? "
            "WHERE person_id = ? AND ended_at IS NULL AND expires_at > ?",
            [now, hub.actor or "", person_id, now],
        ).rowcount
        if ended:
            hub.audit.record("web.signed_out", "people", person_id, after={"sessions": ended})
    return int(ended)


def live(hub: Hub, person_id: str) -> list[dict[str, Any]]:
    """The live sessions of ``person_id`` (when they started and were last seen)."""
    now = hub.clock.now().isoformat()
    return [
        {
            "created_at": r["created_at"],
            "last_seen_at": r["last_seen_at"],
            "expires_at": r["expires_at"],
        }
        for r in hub.db.query(
            f"SELECT * FROM {TABLE} WHERE person_id = ? AND ended_at IS NULL "
            "AND expires_at > ? ORDER BY created_at",
            [person_id, now],
        )
    ]
