"""Limits on sign-in attempts: wrong links tried, and links asked for by email.

Every attempt that counts is a row in ``web_attempts``: its kind, an HMAC of what it is
counted against (the client's address, an email address: never stored as they are) and
the time. A kind allows ``limit`` attempts per ``window``; rows older than ``KEEP`` are
deleted as new ones come. The table is shared by every thread and process serving the
workspace, so the limits hold however ``corehub serve`` is run.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import ipaddress
import math
from typing import TYPE_CHECKING

import attrs

from corehub.folding import fold_id

if TYPE_CHECKING:
    from corehub.hub import Hub

TABLE = "web_attempts"
KEEP = dt.timedelta(days=2)


@attrs.frozen
class Limit:
    limit: int
    window: dt.timedelta


LIMITS = {
    # Wrong or used-up sign-in links sent from one client address (a good link always works).
    "sign_in": Limit(10, dt.timedelta(minutes=15)),
    # Links asked for on the sign-in page from one client address.
    "link_client": Limit(10, dt.timedelta(hours=1)),
    # Links mailed to one address, whoever asks: a few an hour, and a cap a day.
    "link_email": Limit(3, dt.timedelta(hours=1)),
    "link_email_day": Limit(6, dt.timedelta(days=1)),
}


def client_of(address: str | None) -> str:
    """What one client is: its IPv4 address, or its IPv6 /64 (one household or office
    network gets a /64 and can use any address in it)."""
    if not address:
        return "unknown"
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)


def key_hash(secret: bytes, value: str) -> str:
    """An HMAC of ``value`` (an address) under a key derived from ``secret``, so the table
    never holds an address as it is and its keys mean nothing elsewhere. An e-mail address
    is counted as the person it names is found (:func:`corehub.folding.fold_id`: any case
    and Unicode form), so writing it another way does not get more links."""
    key = hmac.new(secret, b"corehub web throttle", hashlib.sha256).digest()
    return hmac.new(key, fold_id(value).encode("utf-8"), hashlib.sha256).hexdigest()


def take(hub: Hub, kind: str, key: str) -> int | None:
    """Count one attempt of ``kind`` against ``key`` if the limit allows it and return None;
    else count nothing and return the seconds until the next attempt is allowed. The check
    and the count are one transaction, so concurrent requests cannot both squeeze through."""
    rule = LIMITS[kind]
    now = hub.clock.now()
    with hub.atomic() as db:
        recent = [
            dt.datetime.fromisoformat(row[0])
            for row in db.execute(
                f"SELECT at FROM {TABLE} WHERE kind = ? AND key_hash = ? AND at > ? ORDER BY at",
                [kind, key, (now - rule.window).isoformat()],
            ).fetchall()
        ]
        if len(recent) >= rule.limit:
            frees = recent[len(recent) - rule.limit] + rule.window
            return max(1, math.ceil((frees - now).total_seconds()))
        db.execute(
            f"INSERT INTO {TABLE} (kind, key_hash, at) VALUES (?, ?, ?)",
            [kind, key, now.isoformat()],
        )
        db.execute(f"DELETE FROM {TABLE} WHERE at < ?", [(now - KEEP).isoformat()])
    return None
