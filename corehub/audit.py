"""The audit trail: an append-only ``events`` table of every state change."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

from corehub.models import Event
from corehub.storage.db import dumps, loads

if TYPE_CHECKING:
    from corehub.context import HubContext

_ANONYMOUS = object()


class AuditLog:
    """``hub.audit``: record and read events. Rows can never be updated or deleted."""

    ANONYMOUS = _ANONYMOUS
    """Pass as ``actor`` for an action whose author must not be stored (anonymous feedback)."""

    def __init__(self, hub: HubContext):
        self.hub = hub

    def record(
        self,
        action: str,
        entity: str,
        entity_id: str | int,
        *,
        before: Any = None,
        after: Any = None,
        actor: Any = None,
        cycle_id: int | None = None,
        reason: str | None = None,
    ) -> None:
        """Append an event. ``actor`` defaults to ``hub.actor``; ``AuditLog.ANONYMOUS`` stores none.

        ``before``/``after`` may be attrs records or plain data; they are stored as JSON.
        Anonymous events are stamped with the day only, never the time.
        """
        self.hub.db.table("events").insert(
            self._row(
                action,
                entity,
                entity_id,
                before=before,
                after=after,
                actor=actor,
                cycle_id=cycle_id,
                reason=reason,
            )
        )

    def record_many(self, events: Iterable[Mapping[str, Any]]) -> None:
        """Append many events with one ``insert_all``, in the order given: each a mapping of
        :meth:`record`'s arguments (``action``, ``entity``, ``entity_id`` and any of
        ``before``, ``after``, ``actor``, ``cycle_id``, ``reason``). For an import that
        records an event per row written, at the cost of writing the rows."""
        self.hub.db.table("events").insert_all(
            (self._row(**event) for event in events), batch_size=500
        )

    def _row(
        self,
        action: str,
        entity: str,
        entity_id: str | int,
        *,
        before: Any = None,
        after: Any = None,
        actor: Any = None,
        cycle_id: int | None = None,
        reason: str | None = None,
    ) -> dict[str, Any]:
        anonymous = actor is _ANONYMOUS
        now = self.hub.clock.now()
        at = now.date().isoformat() if anonymous else now.isoformat()
        return {
            "at": at,
            "actor": None if anonymous else (actor or self.hub.actor),
            "action": action,
            "entity": entity,
            "entity_id": str(entity_id),
            "cycle_id": cycle_id,
            "before": dumps(self.hub.unstructure(before)) if before is not None else None,
            "after": dumps(self.hub.unstructure(after)) if after is not None else None,
            "reason": reason,
        }

    def events(
        self,
        *,
        entity: str | None = None,
        entity_id: str | int | None = None,
        action: str | None = None,
        cycle_id: int | None = None,
    ) -> Iterator[Event]:
        """Events matching every filter given, oldest first."""
        where, params = [], []
        for column, value in (("entity", entity), ("action", action), ("cycle_id", cycle_id)):
            if value is not None:
                where.append(f"{column} = ?")
                params.append(value)
        if entity_id is not None:
            where.append("entity_id = ?")
            params.append(str(entity_id))
        for row in self.hub.db.table("events").rows_where(
            " AND ".join(where) or None, params, order_by="id"
        ):
            yield Event(
                id=row["id"],
                at=_parse_at(row["at"]),
                action=row["action"],
                entity=row["entity"],
                entity_id=row["entity_id"],
                actor=row["actor"],
                cycle_id=row["cycle_id"],
                before=loads(row["before"]),
                after=loads(row["after"]),
                reason=row["reason"],
            )


def _parse_at(text: str) -> dt.datetime:

    if "T" not in text:
        day = dt.date.fromisoformat(text)
        return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)
    return dt.datetime.fromisoformat(text)
