"""What the core's services and the hook specifications see of the Hub.

corehub is built in floors, each importing only the floors below it::

    faces       corehub.cli, corehub.web, each plugin's cli.py and web.py
    hub         corehub.hub.Hub: builds the plugin manager, opens the database and
                composes the services (hub.people, hub.cycles, hub.audit)
    services    people, cycles, audit, access, keys, roles, tickets, outputs, i18n, ...
    contract    corehub.hookspecs
    context     this module: HubContext, the Hub as the floors below it see it
    records     corehub.models, corehub.config, corehub.clock, corehub.hookcalls

The Hub sits on top because it imports the services to compose them; a service that took
the Hub by its class would import it back, and so would a hook specification that names
it. They take a :class:`HubContext` instead: the workspace, its configuration, the clock,
the database and its transaction, the plugin manager and the hook relay, the actor.
:class:`corehub.Hub` is one (mypy checks it wherever the Hub is handed to a service), and
every hook still receives the Hub itself, services and all. A service that needs another
service imports that service's module (``People(hub).find(...)``), never reaches for it
through the Hub.

Plugins are above all of this: they type ``hub`` as ``corehub.Hub`` and keep calling
``hub.people.get(...)``. ``make lint`` forbids the floors below the Hub to import
:mod:`corehub.hub`, ``TYPE_CHECKING`` imports included.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    import cattrs
    import sqlite_utils

    from corehub.clock import Clock
    from corehub.config import Config
    from corehub.hookcalls import HookRelay, PluginManager

__all__ = ["HubContext"]


class HubContext(Protocol):
    """The Hub without its services: what corehub's services and hook specifications use.

    :class:`corehub.Hub` has every member here, with the same meaning (see its reference);
    it adds the services ``people``, ``cycles`` and ``audit`` and the ways to open,
    migrate and close a workspace.
    """

    @property
    def workspace(self) -> Path | None:
        """The workspace folder, or None before ``corehub init``."""

    @property
    def initialized(self) -> bool:
        """False when there is no workspace yet."""

    @property
    def config(self) -> Config:
        """The workspace configuration (``corehub.toml``)."""

    @property
    def clock(self) -> Clock:
        """The clock in the organization's timezone (a fixed one in tests)."""

    @property
    def converter(self) -> cattrs.Converter:
        """The cattrs converter of :mod:`corehub.models`."""

    @property
    def actor(self) -> str:
        """Who is acting: a person id, or ``cli:<user>`` for the operator at the terminal."""

    @property
    def snapshot(self) -> Path | None:
        """A read-only snapshot read instead of the workspace database, if any."""

    @property
    def pm(self) -> PluginManager:
        """The plugin manager."""

    @property
    def hook(self) -> HookRelay:
        """Call hooks with keywords: ``hub.hook.cycle_tasks(hub=hub, cycle=c, person=p)``."""

    @property
    def db(self) -> sqlite_utils.Database:
        """The database, opened (and migrated, if configured) on first use."""

    @property
    def db_path(self) -> Path:
        """The database file read: the workspace's, or the snapshot's."""

    @property
    def config_path(self) -> Path:
        """The workspace's ``corehub.toml``."""

    def atomic(self) -> AbstractContextManager[sqlite_utils.Database]:
        """One transaction (a savepoint when nested); writes to frozen records raise
        FrozenError."""

    def settings(self, name: str) -> Any:
        """The validated settings of plugin ``name``."""

    def path(self, kind: str) -> Path:
        """A workspace folder named in ``[paths]``."""

    def unstructure(self, value: Any) -> Any:
        """Plain data (dicts, lists, ISO strings) for templates, JSON and the database."""

    def require_workspace(self) -> Path:
        """The workspace folder; a clear error when there is none yet."""

    def pending_migrations(self) -> list[tuple[str, str]]:
        """(set, migration) pairs not yet applied."""
