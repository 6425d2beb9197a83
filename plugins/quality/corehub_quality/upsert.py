"""Keeping an import's rows in step with their export: new rows added, changed rows updated."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any


def sync_rows(
    db: Any,
    table: str,
    *,
    key: str,
    where: dict[str, str],
    rows: Iterable[dict[str, Any]],
    compared: Sequence[str],
    now: str,
) -> tuple[int, int, int]:
    """Insert the rows of ``table`` not stored yet (by ``key`` among the stored rows matching
    ``where``), update those whose ``compared`` columns changed, leave the rest alone; each
    row written gets ``imported_at = now``. Returns (created, updated, unchanged). Run it
    inside the import's transaction.
    """
    clause = " AND ".join(f"{column} = ?" for column in where)
    existing = {
        r[key]: r for r in db.query(f"SELECT * FROM {table} WHERE {clause}", list(where.values()))
    }
    created = updated = unchanged = 0
    new_rows = []
    for row in rows:
        before = existing.get(row[key])
        if before is None:
            new_rows.append(row | {"imported_at": now})
            created += 1
        elif any(before[k] != row[k] for k in compared):
            db.table(table).update(before["id"], row | {"imported_at": now})
            updated += 1
        else:
            unchanged += 1
    db.table(table).insert_all(new_rows, batch_size=2000)
    return created, updated, unchanged
