"""Opening the database, and helpers for tables that belong to a cycle."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import time
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import cattrs

from corehub.errors import CorehubError

if TYPE_CHECKING:
    import sqlite_utils

T = TypeVar("T")
R = TypeVar("R")

FROZEN_PREFIX = "corehub frozen: "
"""Errors raised by corehub's triggers start with this; the Hub turns them into FrozenError."""


class DatabaseUnavailableError(CorehubError):
    """The workspace database is missing, damaged, or locked by another process."""


def open_database(
    path: Path | str,
    *,
    busy_timeout_ms: int = 5000,
    create: bool = False,
    read_only: bool = False,
) -> sqlite_utils.Database:
    """Open a corehub database: WAL journal, foreign keys on, a busy timeout.

    Only ``create=True`` (``corehub init``) makes a new database: a missing or empty file
    is an error, never a silent new empty database. A file that is not a SQLite database
    raises :class:`DatabaseUnavailableError`. ``":memory:"`` opens a private in-memory
    database (used by benchmarks). ``read_only=True`` opens a snapshot (``corehub db
    snapshot``) as an immutable file: nothing is written, and no journal, WAL or lock file
    is made beside it, so it may live on a read-only volume.
    """
    import sqlite_utils

    if str(path) == ":memory:":
        db = sqlite_utils.Database(memory=True, execute_plugins=False)
    else:
        path = Path(path)
        if create:
            path.parent.mkdir(parents=True, exist_ok=True)
        elif not path.is_file():
            raise DatabaseUnavailableError(
                f"database {path} not found: if it was moved or deleted, restore it from a "
                "backup or correct database.path in corehub.toml ('corehub init' creates a "
                "new workspace)"
            )
        elif path.stat().st_size == 0:
            raise DatabaseUnavailableError(
                f"database {path} is empty (0 bytes): it was truncated; restore it from a backup"
            )
        if read_only:
            return _open_snapshot(path)
        conn = sqlite3.connect(str(path), timeout=busy_timeout_ms / 1000, check_same_thread=False)
        db = sqlite_utils.Database(conn, execute_plugins=False)
        try:
            if db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                db.enable_wal()
        except sqlite3.OperationalError:
            conn.close()
            raise
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise DatabaseUnavailableError(damaged_message(path, exc)) from exc
    add_functions(db.conn)
    db.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
    db.execute("PRAGMA foreign_keys = ON")
    db.execute("PRAGMA synchronous = NORMAL")
    # a connection kept open (the web app's) would otherwise keep the write-ahead log at
    # the largest size one write made (a big import) until it closes
    db.execute(f"PRAGMA journal_size_limit = {WAL_SIZE_LIMIT}")
    return db


WAL_SIZE_LIMIT = 64 * 1024 * 1024
"""Bytes the write-ahead log is cut back to after a checkpoint (``journal_size_limit``)."""


def add_functions(conn: sqlite3.Connection) -> None:
    """The SQL functions corehub's triggers and indexes use, on a connection: every
    connection corehub opens has them (a write through a connection without them, such as
    the ``sqlite3`` shell, fails where a trigger needs one, and changes nothing).

    - ``corehub_fold_name(text)``: :func:`corehub.folding.fold_name`, the folding by which
      people are found by name (the calibration search indexes names folded with it).
    """
    from corehub.folding import FOLD_NAME_SQL, fold_name

    conn.create_function(FOLD_NAME_SQL, 1, fold_name, deterministic=True)


def _open_snapshot(path: Path) -> sqlite_utils.Database:
    """``path`` opened read-only and immutable (a snapshot never changes while it is read)."""
    import sqlite_utils

    if path.with_name(path.name + "-wal").exists():
        raise DatabaseUnavailableError(
            f"{path} has a write-ahead log beside it: it is a live database, not a snapshot; "
            "make one with 'corehub db snapshot FILE'"
        )
    uri = f"{path.resolve().as_uri()}?mode=ro&immutable=1"
    conn = sqlite3.connect(uri, uri=True, check_same_thread=False)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise DatabaseUnavailableError(
            f"snapshot {path} is damaged or not a corehub database ({exc}); "
            "make a new one with 'corehub db snapshot FILE'"
        ) from exc
    db = sqlite_utils.Database(conn, execute_plugins=False)
    add_functions(conn)
    db.execute("PRAGMA query_only = ON")
    db.execute("PRAGMA foreign_keys = ON")
    return db


LOCK_RETRIES = 2
"""Attempts after SQLite's own busy timeout ran out, with a growing pause between them."""


def is_locked(exc: BaseException) -> bool:
    """True for SQLite's "database is locked" (another connection holds the write lock)."""
    return isinstance(exc, sqlite3.OperationalError) and (
        "database is locked" in str(exc) or "database table is locked" in str(exc)
    )


def locked_message(path: Path | str) -> str:
    return (
        f"database {path} is locked: another corehub process is writing to it; "
        "try again when it has finished"
    )


def retry_when_locked(
    path: Path | str, action: Callable[[], T], *, retries: int = LOCK_RETRIES
) -> T:
    """``action()``; when the database stays locked past the busy timeout, try again.

    ``action`` runs up to ``retries`` more times, pausing 0.2 s, then 0.4 s; then
    :class:`DatabaseUnavailableError` says another corehub process is writing. Use it only
    for an action that is safe to repeat (taking the write lock, applying migrations,
    each in its own transaction).
    """
    for attempt in range(retries + 1):
        try:
            return action()
        except sqlite3.OperationalError as exc:
            if not is_locked(exc):
                raise
            if attempt == retries:
                raise DatabaseUnavailableError(locked_message(path)) from exc
            time.sleep(0.2 * 2**attempt)
    raise AssertionError("unreachable")


def damaged_message(path: Path | str, exc: BaseException) -> str:
    """One sentence for a database file SQLite cannot read."""
    return (
        f"database {path} is damaged or not a corehub database ({exc}); "
        "run 'corehub db check', and restore it from a backup"
    )


def dumps(value: Any) -> str | None:
    """JSON text for a column, None for None. Keys are sorted so equal data compares equal."""
    if value is None:
        return None
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)


def loads(text: str | None) -> Any:
    return None if text is None else json.loads(text)


def _row_bool(value: Any, _type: Any) -> bool:
    if isinstance(value, bool | int):
        return bool(value)
    raise ValueError(f"expected 0 or 1, got {value!r}")


def _row_datetime(value: Any, _type: Any) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value
    return dt.datetime.fromisoformat(value)  # as stored: corehub writes ISO 8601


def _make_row_converter() -> cattrs.Converter:
    from corehub.models.converter import make_converter

    conv = make_converter(forbid_extra_keys=False)
    conv.register_structure_hook(bool, _row_bool)  # SQLite stores booleans as 0 and 1
    conv.register_structure_hook(dt.datetime, _row_datetime)
    return conv


_row_converter: cattrs.Converter | None = None


def from_row(
    row: Mapping[str, Any],
    cls: type[R],
    *,
    columns: Mapping[str, str] | None = None,
    json_columns: Iterable[str] = (),
) -> R:
    """The record ``cls`` a database row holds, through corehub's cattrs converter.

    ``columns`` maps a column to the field it fills where their names differ
    (``{"start_date": "start"}``); ``json_columns`` hold JSON text (see :func:`dumps`). A
    column no field names is left out; a field with no column (or a NULL JSON column) takes
    its default. Booleans are read from SQLite's 0 and 1.
    """
    global _row_converter
    if _row_converter is None:
        _row_converter = _make_row_converter()
    data = dict(row)
    for column in json_columns:
        if data.get(column) is None:
            data.pop(column, None)
        else:
            data[column] = json.loads(data[column])
    for column, field in (columns or {}).items():
        if column in data:
            data[field] = data.pop(column)
    return _row_converter.structure(data, cls)


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
