"""Limits on sign-in attempts: wrong links tried, and links asked for by email.

Every attempt that counts is a row in ``web_attempts``: its kind, an HMAC of what it is
counted against (the client's address, an email address: never stored as they are) and
the time. A kind allows ``limit`` attempts per ``window``; rows older than a day are
deleted as new ones come. The table is shared by every thread and process serving the
workspace, so the limits hold however ``corehub serve`` is run.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from typing import TYPE_CHECKING

import attrs

if TYPE_CHECKING:
    from corehub.hub import Hub

TABLE = "web_attempts"
KEEP = dt.timedelta(days=1)


@attrs.frozen
class Limit:
    limit: int
    window: dt.timedelta

    @property
    def minutes(self) -> int:
        return int(self.window.total_seconds() // 60)


LIMITS = {
    # Wrong or used-up sign-in links sent from one client address.
    "sign_in": Limit(10, dt.timedelta(minutes=15)),
    # Links asked for on the sign-in page from one client address.
    "link_client": Limit(10, dt.timedelta(hours=1)),
    # Links asked for one email address, whoever asks.
    "link_email": Limit(3, dt.timedelta(hours=1)),
}


def key_hash(secret: bytes, value: str) -> str:
    """An HMAC of ``value`` (an address), so the table never holds it as it is."""
    return hmac.new(secret, value.strip().lower().encode("utf-8"), hashlib.sha256).hexdigest()


def exceeded(hub: Hub, kind: str, key: str) -> bool:
    """True when ``key`` already used up its ``kind`` attempts in the current window."""
    rule = LIMITS[kind]
    since = (hub.clock.now() - rule.window).isoformat()
    count = hub.db.execute(
        f"SELECT count(*) FROM {TABLE} WHERE kind = ? AND key_hash = ? AND at > ?",
        [kind, key, since],
    ).fetchone()[0]
    return bool(count >= rule.limit)


def record(hub: Hub, kind: str, key: str) -> None:
    """Count one attempt of ``kind`` against ``key``."""
    now = hub.clock.now()
    with hub.atomic() as db:
        db.table(TABLE).insert({"kind": kind, "key_hash": key, "at": now.isoformat()})
        db.execute(f"DELETE FROM {TABLE} WHERE at < ?", [(now - KEEP).isoformat()])
