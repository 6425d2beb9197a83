"""The Hub: the one object every hook receives.

It holds the workspace configuration, the plugin manager, the SQLite database, the
converter and a clock, and gives access to the core's domain: people, cycles and
their tasks, and the audit trail.

The Hub is the composition root, on the top floor of the library: it imports the services
to compose them, and nothing below it imports this module. The services and the hook
specifications take a :class:`corehub.context.HubContext`, the Hub without its services,
which the Hub satisfies (see :mod:`corehub.context`).
"""

from __future__ import annotations

import contextlib
import getpass
import os
from collections.abc import Callable, Hashable, Iterator
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from corehub.config_file import CONFIG_FILE, PLUGINS_FOLDER, find_workspace, read_plugin_choices
from corehub.errors import ConfigError, FrozenError, ValidationError
from corehub.hookcalls import HookRelay, PluginManager
from corehub.plugins import make_plugin_manager, plugin_folders

if TYPE_CHECKING:
    import sqlite_utils
    from cattrs import Converter
    from sqlite_utils.migrations import Migrations

    from corehub.audit import AuditLog
    from corehub.clock import Clock
    from corehub.config import Config
    from corehub.cycles import Cycles
    from corehub.people import People

T = TypeVar("T")


class Hub:
    """corehub for one workspace.

    Build one with :meth:`Hub.open` (finds the workspace like the command line does), or
    directly with a workspace path. The database opens on first use, applying pending
    migrations (when ``database.auto_migrate`` is on) and calling the ``startup`` hook.

    ``corehub.toml`` is read and validated when the Hub is built: a file that is not valid
    raises :class:`~corehub.errors.ConfigError` naming it and every problem in it. With
    ``lazy_config=True`` (the command line's choice) it is read on first use of
    :attr:`config` instead, and building the Hub and its plugin manager reads only which
    plugins to load, so that ``corehub --help`` stays fast.
    """

    def __init__(
        self,
        workspace: Path | str | None,
        *,
        config: Config | None = None,
        clock: Clock | None = None,
        plugin_manager: PluginManager | None = None,
        plugins_dir: Path | str | None = None,
        load_entry_points: bool = True,
        actor: str | None = None,
        lazy_config: bool = False,
        database: sqlite_utils.Database | None = None,
        release_database: Callable[..., None] | None = None,
    ):
        self.workspace = Path(workspace).resolve() if workspace is not None else None
        self.initialized = self.workspace is not None and (self.workspace / CONFIG_FILE).is_file()
        """False when there is no workspace yet (``corehub init`` and ``--help`` still work)."""
        if config is not None and self.workspace is not None:
            self.initialized = True
        self._config = config
        if not lazy_config:
            self._config = self.config
        self._clock = clock
        self._plugin_manager = plugin_manager
        self._plugins_dir = Path(plugins_dir) if plugins_dir else None
        self._load_entry_points = load_entry_points
        self.actor = actor or os.environ.get("COREHUB_ACTOR") or _default_actor()
        """Who is acting: a person id, or ``cli:<user>`` for the operator at the terminal."""
        self._settings: dict[str, Any] = {}
        self._db: sqlite_utils.Database | None = database
        self._release_database = release_database
        """Given a ``database`` already open (the web app's connections, reused from request
        to request), :meth:`close` hands it to ``release_database(db, failed=...)`` instead
        of closing it."""
        self._started = database is None
        self._cached: dict[Hashable, Any] = {}
        self._cached_version: tuple[int, int, int] | None = None
        self.snapshot: Path | None = None
        """A read-only snapshot this Hub reads instead of the workspace database, if any
        (see :meth:`use_snapshot`)."""

    @classmethod
    def open(cls, workspace: Path | str | None = None, **kwargs: Any) -> Hub:
        """Open the workspace given, or found from ``COREHUB_WORKSPACE`` or the current folder."""
        hub = cls(find_workspace(workspace), **kwargs)
        hub.require_workspace()
        return hub

    # -- configuration -------------------------------------------------------------

    @property
    def config(self) -> Config:
        """The workspace's ``corehub.toml``, validated; defaults when there is no workspace."""
        if self._config is None:
            from corehub.config import Config, load_config

            if self.workspace is not None and self.initialized:
                self._config = load_config(self.workspace / CONFIG_FILE)
            else:
                self._config = Config()
        return self._config

    @config.setter
    def config(self, value: Config) -> None:
        self._config = value

    @property
    def clock(self) -> Clock:
        """What "now" and "today" are: the organization's time zone, unless a clock was given."""
        if self._clock is None:
            from corehub.clock import SystemClock

            self._clock = SystemClock(self.config.organization.timezone)
        return self._clock

    @clock.setter
    def clock(self, value: Clock) -> None:
        self._clock = value

    @cached_property
    def converter(self) -> Converter:
        """The cattrs converter of corehub's records (see :meth:`unstructure`)."""
        from corehub.models.converter import converter

        return converter

    # -- plugins -----------------------------------------------------------------

    @property
    def pm(self) -> PluginManager:
        """The plugin manager (built on first use from config and environment)."""
        if self._plugin_manager is None:
            disabled, _folder = self._plugin_choices()
            self._plugin_manager = make_plugin_manager(
                disabled=disabled,
                plugins_dirs=self.plugin_folders(),
                load_entry_points=self._load_entry_points,
            )
        return self._plugin_manager

    def plugin_folders(self) -> list[Path]:
        """The folders this Hub loads one-file plugins from (``--plugins-dir``, then
        ``[paths] plugins`` of the workspace), as :func:`corehub.plugins.plugin_folders` finds them."""
        _disabled, folder = self._plugin_choices()
        return plugin_folders(self.workspace, folder, self._plugins_dir)

    def _plugin_choices(self) -> tuple[list[str], str]:
        """``[plugins] disabled`` and ``[paths] plugins``: from the validated configuration
        once it is read, else from the file alone (or the defaults, with no workspace)."""
        if self._config is None:
            if self.workspace is None or not self.initialized:
                return [], PLUGINS_FOLDER
            choices = read_plugin_choices(self.workspace / CONFIG_FILE)
            if choices is not None:
                return choices
        return list(self.config.plugins.disabled), self.config.paths.plugins

    @property
    def hook(self) -> HookRelay:
        """Call hooks with keywords: ``hub.hook.cycle_tasks(hub=hub, cycle=c, person=p)``."""
        return HookRelay(self.pm)

    def settings(self, name: str) -> Any:
        """The validated settings of plugin ``name`` (``[settings.<name>]`` in corehub.toml)."""
        if name not in self._settings:
            from corehub.models.converter import structure

            specs = self.hook.register_settings.registry(what="settings", hub=self)
            spec = specs.get(name)
            if spec is None:
                raise ConfigError(f"no installed plugin declares settings named {name!r}")
            raw = self.config.settings.get(name, {})
            source = f"{self.config_path}, [settings.{name}]"
            try:
                self._settings[name] = structure(raw, spec.cls, source=source)
            except ValidationError as exc:
                raise ConfigError(str(exc)) from None
        return self._settings[name]

    def apply_settings(self, name: str, values: dict[str, Any]) -> Any:
        """Use ``values`` as ``[settings.<name>]`` for this Hub, as if corehub.toml said so,
        and return them validated. The file itself is not changed.

        ``values`` are checked against the class the plugin declares (``register_settings``)
        first: on a :class:`~corehub.errors.ConfigError` nothing has changed. A test or a
        demo sets a plugin's settings this way::

            hub.apply_settings("feedback", {"anonymity_threshold": 3})
        """
        import attrs

        from corehub.models.converter import structure

        specs = self.hook.register_settings.registry(what="settings", hub=self)
        spec = specs.get(name)
        if spec is None:
            raise ConfigError(f"no installed plugin declares settings named {name!r}")
        try:
            validated = structure(dict(values), spec.cls, source=f"[settings.{name}]")
        except ValidationError as exc:
            raise ConfigError(str(exc)) from None
        settings = {**self.config.settings, name: dict(values)}
        self.config = attrs.evolve(self.config, settings=settings)
        self._settings[name] = validated
        self._cached.clear()
        return validated

    def reload_settings(self, *, from_file: bool = False) -> None:
        """Forget the settings validated so far: the next :meth:`settings` call validates
        ``[settings.<name>]`` anew, with the plugins registered by then.

        ``from_file=True`` first reads the ``[settings.*]`` tables of the workspace's
        corehub.toml again (after someone edited it); when the file is not valid this raises
        :class:`~corehub.errors.ConfigError` naming it, and the settings in use stay as
        they were.
        """
        import attrs

        if from_file and self.workspace is not None and self.initialized:
            from corehub.config import load_config

            fresh = load_config(self.config_path)
            self.config = attrs.evolve(self.config, settings=fresh.settings)
        self._settings.clear()
        self._cached.clear()

    def check_settings(self) -> list[str]:
        """Validate every ``[settings.*]`` table; return warnings for tables no plugin claims."""
        specs = self.hook.register_settings.registry(what="settings", hub=self)
        for name in specs:
            self.settings(name)
        return [
            f"{self.config_path}: [settings.{name}] is ignored: no loaded plugin declares it"
            for name in self.config.settings
            if name not in specs
        ]

    # -- database ----------------------------------------------------------------

    @property
    def config_path(self) -> Path:
        return (self.workspace or Path.cwd()) / CONFIG_FILE

    def require_workspace(self) -> Path:
        """The workspace folder; a clear error when there is none yet."""
        if self.workspace is None or not self.initialized:
            where = f" at {self.workspace}" if self.workspace else ""
            raise ConfigError(
                f"no corehub workspace{where}: run 'corehub init DIR', or pass --workspace DIR"
            )
        return self.workspace

    @property
    def db_path(self) -> Path:
        """The database this Hub reads: the workspace's, or the snapshot it was given."""
        if self.snapshot is not None:
            return self.snapshot
        return self.require_workspace() / self.config.database.path

    def use_snapshot(self, path: Path | str) -> None:
        """Read ``path``, a snapshot made by ``corehub db snapshot``, instead of the workspace
        database: opened read-only and immutable, never migrated, never written.

        The workspace database, if it is open (``--as`` looked the person up in it), is
        closed. A snapshot with pending migrations (made by an older corehub or before a
        plugin was installed) is refused when it opens.
        """
        from corehub.outputs import same_file
        from corehub.storage.db import DatabaseUnavailableError

        path = Path(path)
        live = self.require_workspace() / self.config.database.path
        if same_file(path, live):
            raise DatabaseUnavailableError(
                f"{path} is the workspace's own database, not a snapshot; "
                "make one with 'corehub db snapshot FILE'"
            )
        self.close()
        self.snapshot = path

    @property
    def db(self) -> sqlite_utils.Database:
        """The database, opened (and migrated, if configured) on first use."""
        if self._db is None:
            self._open_database(create=False)
        elif not self._started:
            self._started = True  # a connection given open: migrated by whoever opened it
            from corehub.storage.db import retry_when_locked

            retry_when_locked(self.db_path, self.refold_people)
            self.hook.startup(hub=self)
        assert self._db is not None
        return self._db

    def create_database(self) -> sqlite_utils.Database:
        """Create the workspace database (``corehub init``); opening never creates one."""
        if self._db is None:
            self._open_database(create=True)
        assert self._db is not None
        return self._db

    def _open_database(self, *, create: bool) -> None:
        from corehub.storage.db import open_database, retry_when_locked

        if self.snapshot is not None:
            self._open_snapshot()
            return
        db = open_database(
            self.db_path, busy_timeout_ms=self.config.database.busy_timeout_ms, create=create
        )
        self._db = db
        if self.config.database.auto_migrate:
            retry_when_locked(self.db_path, self.migrate)
        retry_when_locked(self.db_path, self.refold_people)
        self.hook.startup(hub=self)

    def _open_snapshot(self) -> None:
        from corehub.storage.db import DatabaseUnavailableError, open_database

        assert self.snapshot is not None
        if not self.snapshot.is_file():
            raise DatabaseUnavailableError(
                f"snapshot {self.snapshot} not found: make one with "
                f"'corehub db snapshot {self.snapshot}'"
            )
        self._db = open_database(self.snapshot, read_only=True)
        pending = self.pending_migrations()
        if pending:
            self.close()
            names = ", ".join(f"{s}: {m}" for s, m in pending[:3])
            more = f" and {len(pending) - 3} more" if len(pending) > 3 else ""
            raise DatabaseUnavailableError(
                f"snapshot {self.snapshot} lacks migrations this corehub and its plugins need "
                f"({names}{more}); make a new snapshot with the same corehub and plugins"
            )
        self.hook.startup(hub=self)

    def migration_sets(self) -> list[Migrations]:
        """The core's migration set, then every plugin's, in registration order."""
        from corehub.storage.migrations import core_migrations

        sets = [core_migrations]
        for _plugin, result in self.hook.register_migrations.collect(hub=self):
            sets.extend(result if isinstance(result, list | tuple) else [result])
        return sets

    def pending_migrations(self) -> list[tuple[str, str]]:
        """(set, migration) pairs not yet applied."""
        db = self._db if self._db is not None else self.db
        return [(s.name, m.name) for s in self.migration_sets() for m in s.pending(db)]

    def migrate(self) -> list[tuple[str, str]]:
        """Apply pending migrations, each in one transaction with its record; return them."""
        db = self._db if self._db is not None else self.db
        applied: list[tuple[str, str]] = []
        for migration_set in self.migration_sets():
            pending = migration_set.pending(db)
            migration_set.apply(db)
            applied.extend((migration_set.name, m.name) for m in pending)
        return applied

    def refold_people(self) -> int:
        """Fold the names of the people another program (the ``sqlite3`` shell, a repair
        script) wrote since corehub last opened the workspace, so that the people finder
        and the calibration search find them as they find everyone (see
        :func:`corehub.people.refold`); returns how many. Runs each time corehub opens the
        workspace (every command, every web request); nothing to do (one indexed read)
        when nobody else wrote people."""
        import sqlite3

        from corehub.people import refold

        db = self._db if self._db is not None else self.db
        try:
            if not db.execute("SELECT 1 FROM people_words WHERE stale LIMIT 1").fetchone():
                return 0
        except sqlite3.OperationalError as exc:
            if "no such table" in str(exc):
                return 0  # the core migrations are not applied yet
            raise
        with self.atomic() as locked:
            return refold(locked)

    @contextlib.contextmanager
    def atomic(self) -> Iterator[sqlite_utils.Database]:
        """One transaction (a savepoint when nested). Writes to frozen records raise FrozenError.

        The outermost block takes the write lock when it starts (``BEGIN IMMEDIATE``, waiting
        up to the busy timeout): a transaction that read first and wrote later could fail at
        once with "database is locked" when another connection wrote in between.
        """
        import sqlite3

        from corehub.storage.db import FROZEN_PREFIX, retry_when_locked

        db = self.db
        try:
            if db.conn.in_transaction:
                with db.atomic():
                    yield db
            else:
                retry_when_locked(self.db_path, lambda: db.execute("BEGIN IMMEDIATE"))
                try:
                    yield db
                except BaseException:
                    if db.conn.in_transaction:
                        db.conn.execute("ROLLBACK")
                    raise
                else:
                    db.conn.execute("COMMIT")
        except sqlite3.IntegrityError as exc:
            message = str(exc)
            if message.startswith(FROZEN_PREFIX):
                raise FrozenError(message[len(FROZEN_PREFIX) :]) from None
            raise

    def close(self, *, failed: bool = False) -> None:
        """Close the database (a connection the Hub was given goes back to whoever gave
        it, or is closed with it when ``failed``: the work on it ended in an error)."""
        release, self._release_database = self._release_database, None
        if self._db is not None and release is not None:
            db, self._db = self._db, None
            release(db, failed=failed)
        elif self._db is not None:
            self._db.close()
            self._db = None
        self._started = True
        self._cached.clear()
        self._cached_version = None

    def cached(self, key: Hashable, make: Callable[[], T]) -> T:
        """What ``make()`` returns, made once while the database stays unchanged.

        The value is kept on this Hub under ``key`` until anything writes to the database
        (this Hub's connection or any other one), its settings change or it is closed; the
        next call after that makes it again. A figure about the whole organization that
        every team summary of a render run shows (a month's eNPS by team, the organization's
        suggestions) is read once per run this way, not once per document, so each summary
        costs what its team holds.

        ``key`` names the value and everything it depends on besides the database (the
        plugin, the dates, the language: ``("feedback.pulse", month, today)``). Treat the
        value as read-only: every caller gets the same object. Inside a transaction the
        value is made each time (it may read writes that are rolled back).
        """
        version = self._data_version()
        if version != self._cached_version:
            self._cached.clear()
            self._cached_version = version
        try:
            return self._cached[key]  # type: ignore[no-any-return]
        except KeyError:
            pass
        value = make()
        # Kept only when nothing was written while it was made, and outside a transaction:
        # a value read after this transaction's own writes would outlive their rollback.
        if self._data_version() == version and not self.db.conn.in_transaction:
            self._cached[key] = value
        return value

    def _data_version(self) -> tuple[int, int, int]:
        """Changes whenever the database does: ``PRAGMA data_version`` counts commits of
        other connections, ``total_changes`` the rows this connection wrote."""
        conn = self.db.conn
        (other,) = conn.execute("PRAGMA data_version").fetchone()
        return id(conn), int(other), conn.total_changes

    # -- domain ------------------------------------------------------------------

    @cached_property
    def people(self) -> People:
        from corehub.people import People

        return People(self)

    @cached_property
    def cycles(self) -> Cycles:
        from corehub.cycles import Cycles

        return Cycles(self)

    @cached_property
    def audit(self) -> AuditLog:
        from corehub.audit import AuditLog

        return AuditLog(self)

    def path(self, kind: str) -> Path:
        """A workspace folder named in ``[paths]``: templates, forms, courses, plugins, output."""
        folder: str = getattr(self.config.paths, kind)
        return self.require_workspace() / folder

    def unstructure(self, value: Any) -> Any:
        """Plain data (dicts, lists, ISO strings) for templates, JSON and the database."""
        return self.converter.unstructure(value)

    def __repr__(self) -> str:
        return f"<Hub {self.workspace}>"


def _default_actor() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except Exception:
        return "cli"
