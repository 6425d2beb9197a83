"""Opening the database, and helpers for tables that belong to a cycle."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import sqlite_utils

FROZEN_PREFIX = "corehub frozen: "
"""Errors raised by corehub's triggers start with this; the Hub turns them into FrozenError."""


def open_database(path: Path | str, *, busy_timeout_ms: int = 5000) -> sqlite_utils.Database:
    """Open (or create) a corehub database: WAL journal, foreign keys on, a busy timeout.

    ``":memory:"`` opens a private in-memory database (used by benchmarks).
    """
    import sqlite_utils

    if str(path) == ":memory:":
        db = sqlite_utils.Database(memory=True, execute_plugins=False)
    else:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(str(path), timeout=busy_timeout_ms / 1000, check_same_thread=False)
        db = sqlite_utils.Database(conn, execute_plugins=False)
        if db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            db.enable_wal()
    db.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
    db.execute("PRAGMA foreign_keys = ON")
    db.execute("PRAGMA synchronous = NORMAL")
    return db


def dumps(value: Any) -> str | None:
    """JSON text for a column, None for None. Keys are sorted so equal data compares equal."""
    if value is None:
        return None
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)


def loads(text: str | None) -> Any:
    return None if text is None else json.loads(text)


def freeze_with_cycle(
    db: sqlite_utils.Database, table: str, cycle_column: str = "cycle_id"
) -> None:
    """Refuse inserts, updates and deletes of ``table`` rows whose cycle is closed.

    Call it in a plugin migration for every table whose rows belong to a cycle: the
    database itself then guarantees that a closed cycle is frozen, whatever code runs.
    """
    message = f"{FROZEN_PREFIX}cycle is closed; {table} cannot change"
    for op, row in (("INSERT", "NEW"), ("UPDATE", "OLD"), ("DELETE", "OLD")):
        db.execute(
            f"""
            CREATE TRIGGER IF NOT EXISTS [{table}_frozen_{op.lower()}]
            BEFORE {op} ON [{table}]
            WHEN (SELECT status FROM cycles WHERE id = {row}.[{cycle_column}]) = 'closed'
            BEGIN
                SELECT RAISE(ABORT, '{message}');
            END
            """
        )
