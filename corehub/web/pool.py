"""The web app's database connections, reused from request to request.

Opening a connection costs a request several milliseconds: the PRAGMAs and SQL functions,
then, on its first statement, parsing the whole schema, and a cold page cache after that.
:class:`HubPool` keeps the connections its requests closed and lends them to the next ones:

- a connection is lent to one request at a time (whatever thread serves it), and comes back
  with no transaction open: a request that failed half-way is rolled back before the
  connection is lent again;
- no transaction is kept between requests, so what the command line or another server
  wrote (WAL) is seen by the next request;
- a request that raised gives its connection up (closed, not lent again: a statement it
  left unfinished would keep reading an old state of the database), and the temporary
  tables a request made are dropped before its connection is lent again;
- a database file replaced on disk while the server runs (a backup copied over it) is
  noticed by its file identity before a connection is lent: the server's connections and
  the old file's write-ahead log no longer agree with it, so every request answers with
  one sentence, "restart corehub serve", until it is restarted (restore a backup with the
  server stopped; a missing file is the usual clear error);
- each request still gets its own Hub: the actor, the settings and :meth:`Hub.cached` never
  pass from one request to another;
- :meth:`HubPool.close` closes every connection when the server stops.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import sqlite_utils

    from corehub.config import Config
    from corehub.hookcalls import PluginManager
    from corehub.hub import Hub

FileIdentity = tuple[int, int]


def file_identity(path: Path) -> FileIdentity | None:
    """The file at ``path`` (device and inode), None when there is none."""
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return stat.st_dev, stat.st_ino


class HubPool:
    """A Hub per request over one workspace, each on a connection lent from this pool.

    Calling the pool makes the request's Hub; closing that Hub gives its connection back.
    At most ``max_idle`` connections wait between requests (the server's threads); more
    are closed when they come back.
    """

    def __init__(
        self,
        workspace: Path,
        *,
        config: Config,
        plugin_manager: PluginManager,
        clock: Any = None,
        max_idle: int = 64,
    ):
        from corehub.hub import Hub

        self.workspace = workspace
        self._config = config
        self.plugin_manager = plugin_manager
        self._clock = clock
        self.max_idle = max_idle
        self.path = Hub(workspace, config=config, plugin_manager=plugin_manager).db_path
        self._lock = threading.Lock()
        self._idle: list[tuple[sqlite_utils.Database, FileIdentity | None]] = []
        self._identity: dict[int, FileIdentity | None] = {}
        """The file each lent connection opened (by ``id`` of the connection)."""
        self._served: FileIdentity | None = None
        """The database file this server opened first (a file replaced later is refused)."""
        self.opened = 0
        """Connections opened so far (the tests and the benchmarks read it)."""
        self.closed = False

    @property
    def config(self) -> Config:
        """The configuration each request's Hub gets."""
        return self._config

    @property
    def clock(self) -> Any:
        """The clock each request's Hub gets (None: the Hub's own)."""
        return self._clock

    def __call__(self) -> Hub:
        from corehub.hub import Hub

        db = self.acquire()
        return Hub(
            self.workspace,
            config=self.config,
            clock=self.clock,
            plugin_manager=self.plugin_manager,
            database=db,
            release_database=self.release,
        )

    def acquire(self) -> sqlite_utils.Database:
        """A connection no one else holds, on the file now at the database's path."""
        from corehub.storage.db import DatabaseUnavailableError, open_database

        current = file_identity(self.path)
        stale: list[sqlite_utils.Database] = []
        db = None
        with self._lock:
            if self._served is None:
                self._served = current
            replaced = current is not None and current != self._served
            if replaced:
                stale, self._idle = [db for db, _identity in self._idle], []
        if replaced:
            for old in stale:
                _close(old)
            raise DatabaseUnavailableError(
                f"the database {self.path} was replaced while corehub serve was running; "
                "restart corehub serve to open it (restore backups with the server stopped)"
            )
        with self._lock:
            while self._idle:
                candidate, identity = self._idle.pop()
                if identity == current and current is not None:
                    db = candidate
                    self._identity[id(db)] = identity
                    break
                stale.append(candidate)
        for old in stale:
            _close(old)
        if db is not None:
            return db
        db = open_database(self.path, busy_timeout_ms=self.config.database.busy_timeout_ms)
        with self._lock:
            self.opened += 1
            self._identity[id(db)] = current
        return db

    def release(self, db: sqlite_utils.Database, *, failed: bool = False) -> None:
        """Take back a connection: roll back what its request left open, drop the
        temporary tables it made, keep it for the next request (or close it when its
        request ``failed``, when the pool is full or closed, or the connection broken)."""
        with self._lock:
            identity = self._identity.pop(id(db), None)
        if failed:
            _close(db)
            return
        try:
            if db.conn.in_transaction:
                db.conn.execute("ROLLBACK")
            temporary = db.conn.execute(
                "SELECT name FROM temp.sqlite_master WHERE type = 'table'"
            ).fetchall()
            for (name,) in temporary:
                # fails ("database table is locked") while a statement is still being read
                db.conn.execute(f"DROP TABLE temp.[{name}]")
        except sqlite3.Error:
            _close(db)
            return
        with self._lock:
            if not self.closed and len(self._idle) < self.max_idle:
                self._idle.append((db, identity))
                return
        _close(db)

    def idle(self) -> int:
        """Connections waiting for a request."""
        with self._lock:
            return len(self._idle)

    def close(self) -> None:
        """Close the waiting connections; those lent out are closed when they come back."""
        with self._lock:
            self.closed = True
            idle, self._idle = self._idle, []
        for db, _identity in idle:
            _close(db)


def _close(db: sqlite_utils.Database) -> None:
    with contextlib.suppress(sqlite3.Error):  # a broken connection is gone anyway
        db.close()
