"""The audit trail: every state change, who made it and what it was before and after."""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs


@attrs.frozen(kw_only=True)
class Event:
    """One recorded change. ``actor`` is None for anonymous actions (anonymous feedback)."""

    id: int
    at: dt.datetime
    action: str
    """What happened, e.g. ``cycle.opened``, ``review.reopened``, ``person.updated``."""
    entity: str
    """The kind of record changed, e.g. ``cycle``, ``person``, ``review``."""
    entity_id: str
    actor: str | None = None
    cycle_id: int | None = None
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None
    reason: str | None = None
