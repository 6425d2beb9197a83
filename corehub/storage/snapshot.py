"""Snapshots: a consistent, read-only copy of the workspace database.

``corehub db snapshot PATH`` writes one; ``corehub render cycle --snapshot PATH`` reads it
(see :meth:`corehub.hub.Hub.use_snapshot`), so machines that each render a share of a
cycle's packets agree on who is in it, whatever changes in the workspace meanwhile.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from corehub.errors import CorehubError
from corehub.storage.db import is_locked

if TYPE_CHECKING:
    from corehub.context import HubContext


def write_snapshot(hub: HubContext, path: Path | str, *, replace: bool = False) -> int:
    """Copy the live database to ``path`` with ``VACUUM INTO``; return its size in bytes.

    The copy is one read transaction of the live database (consistent while others
    write), compacted, in rollback-journal mode (a single file, nothing beside it), written
    to a temporary name and renamed. ``path`` may not be the workspace's database or
    configuration, nor (without ``replace``) an existing file. A database with pending
    migrations is refused: a snapshot is never migrated.
    """
    from corehub.outputs import check_output, write_output

    path = Path(path)
    check_output(hub, path, database_ok=True)  # never the workspace's own files, nor a folder
    if path.exists() and not replace:
        raise CorehubError(f"{path} exists: choose a new name, or pass --force to replace it")
    source = hub.db
    pending = hub.pending_migrations()
    if pending:
        raise CorehubError(
            f"database {hub.db_path} has {len(pending)} pending migration(s): "
            "run 'corehub db migrate' before taking a snapshot"
        )
    with write_output(hub, path, overwrite=replace, database_ok=replace) as tmp:
        try:
            source.execute("VACUUM INTO ?", [str(tmp)])
        except sqlite3.OperationalError as exc:
            if is_locked(exc):
                raise
            raise CorehubError(f"cannot write snapshot {path}: {exc}") from None
        target = sqlite3.connect(tmp)
        try:
            target.execute("PRAGMA journal_mode = DELETE")
            ok = target.execute("PRAGMA quick_check").fetchone()[0]
        finally:
            target.close()
        if ok != "ok":
            raise CorehubError(f"cannot write snapshot {path}: the copy failed a check ({ok})")
        size = tmp.stat().st_size
    return size
