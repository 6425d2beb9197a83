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

    It costs what writing the rows costs: the stored rows are found by a keyed lookup of
    these rows' keys only (through the table's unique ``where`` + ``key`` index), never by
    reading every stored row; new rows go in with ``insert_all``, changed ones with one
    prepared statement.
    """
    rows = list(rows)
    clause = " AND ".join(f"{column} = ?" for column in where)
    selected = ", ".join(dict.fromkeys(("id", key, *compared)))
    keys = [row[key] for row in rows]
    existing: dict[Any, dict[str, Any]] = {}
    for start in range(0, len(keys), KEYS_PER_QUERY):
        chunk = keys[start : start + KEYS_PER_QUERY]
        existing.update(
            (r[key], r)
            for r in db.query(
                f"SELECT {selected} FROM {table} WHERE {clause} AND {key} IN "
                f"({', '.join('?' * len(chunk))})",
                [*where.values(), *chunk],
            )
        )
    unchanged = 0
    new_rows = []
    changed: dict[tuple[str, ...], list[tuple[Any, ...]]] = {}
    for row in rows:
        before = existing.get(row[key])
        if before is None:
            new_rows.append(row | {"imported_at": now})
        elif any(before[k] != row[k] for k in compared):
            columns = (*row, "imported_at")
            changed.setdefault(columns, []).append((*row.values(), now, before["id"]))
        else:
            unchanged += 1
    for columns, values in changed.items():
        db.conn.executemany(
            f"UPDATE {table} SET {', '.join(f'{c} = ?' for c in columns)} WHERE id = ?", values
        )
    db.table(table).insert_all(new_rows, batch_size=2000)
    return len(new_rows), sum(len(v) for v in changed.values()), unchanged


KEYS_PER_QUERY = 500
"""Keys looked up per query (below SQLite's limit of bound values)."""
