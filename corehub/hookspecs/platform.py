"""Platform hooks: storage, settings, commands and start-up."""

from __future__ import annotations

from typing import TYPE_CHECKING

from corehub.hookspecs._markers import hookspec

if TYPE_CHECKING:
    import click
    from sqlite_utils.migrations import Migrations

    from corehub.context import HubContext as Hub
    from corehub.models import Cycle, Person, PluginSettings


@hookspec
def register_migrations(hub: Hub) -> Migrations | list[Migrations] | None:
    """Return the plugin's database migrations.

    :param hub: the Hub whose database is being migrated.
    :returns: one ``sqlite_utils.migrations.Migrations`` set (or a list of them), named
        after the plugin. Each migration runs in a transaction together with the record
        of it having run.

    Called when a Hub opens its database (if ``database.auto_migrate`` is on) and by
    ``corehub db migrate``. Migrations apply in registration order, the core's first.
    """


@hookspec
def register_settings(hub: Hub) -> PluginSettings | list[PluginSettings] | None:
    """Declare the plugin's settings, read from ``[settings.<name>]`` in corehub.toml.

    :param hub: the Hub being configured.
    :returns: a ``PluginSettings(name=..., cls=...)`` whose ``cls`` is an attrs class with
        a default for every field. The core validates the table through cattrs: an
        unknown or mistyped key is an error naming the key and the file.

    Called once, the first time ``hub.settings(name)`` is used.
    """


@hookspec
def register_commands(cli: click.Group) -> None:
    """Add commands to the ``corehub`` command line.

    :param cli: the top-level click group; call ``cli.command()`` / ``cli.group()`` on it.
        Inside a command, ``corehub.cli.pass_hub`` gives the Hub.
    :returns: nothing.

    Called once while the command line is built, before arguments are parsed.
    """


@hookspec
def startup(hub: Hub) -> None:
    """React to a Hub being ready: configuration read, plugins loaded, migrations applied.

    :param hub: the Hub that has just opened.
    :returns: nothing. Raise ``corehub.errors.CorehubError`` to refuse to start.

    Called once per Hub, the first time its database is used.
    """


@hookspec
def person_deactivated(hub: Hub, person: Person) -> None:
    """React to a person leaving the organization's active roster.

    :param hub: the Hub whose people changed.
    :param person: the person as stored now (``person.active`` is False).
    :returns: nothing.

    Called once per person, inside the transaction that deactivates them (a people import
    with ``--sync`` that no longer lists them, a row that marks them inactive, or their
    leaving date coming: ``corehub people leave``, ``corehub remind``), so what an
    implementation writes to the database commits or rolls back with the deactivation. The
    built-in ``corehub.web`` plugin ends the person's web sessions and unused sign-in links
    here: whoever leaves is signed out for good.
    """


@hookspec
def person_hired(hub: Hub, person: Person) -> None:
    """React to a person joining, or to their hire date being set or changed.

    :param hub: the Hub whose people changed.
    :param person: the person as stored now (``person.hire_date`` is set).
    :returns: nothing.

    Called once per person whose row now has a hire date it did not have before (a new
    person with a hire date, or a hire date added or changed by an import), inside the
    transaction that saves them, so what an implementation writes commits or rolls back
    with the import. The self_assessment plugin creates the person's new-hire reviews here.
    """


@hookspec
def extra_protected_paths(hub: Hub) -> list[str] | None:
    """Name files or folders of the workspace that hold the plugin's data.

    :param hub: the Hub whose workspace it is.
    :returns: paths relative to the workspace (a folder protects everything in it), or None.

    Called whenever a command is about to write a file an operator named (a PDF, a backup,
    an export): no such file may replace one of these paths or land inside one of them.
    """


@hookspec
def prepare_demo(hub: Hub, cycle: Cycle) -> None:
    """Fill the demo workspace with this plugin's sample data.

    :param hub: the Hub of a fresh demo workspace, with the demo organization imported.
    :param cycle: the demo review cycle, already opened (people enrolled, tasks created).
    :returns: nothing. Use ``hub.clock`` for dates and ``random.Random(hub.config.organization.name)``
        if you need randomness, so every demo run is the same.

    Called by ``corehub demo`` once per plugin, before the cycle is closed and rendered.
    """
