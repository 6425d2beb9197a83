"""``corehub init`` and ``corehub info``."""

from __future__ import annotations

from pathlib import Path

import click

from corehub.cli.output import echo_fields, echo_json
from corehub.hub import Hub
from corehub.workspace import init_workspace as init_workspace  # its old home, for a release


def register(cli: click.Group) -> None:
    @cli.command()
    @click.argument("directory", required=False, type=click.Path(file_okay=False, path_type=Path))
    @click.option(
        "--name",
        "organization",
        default="My help desk",
        show_default=True,
        help="Organization name.",
    )
    @click.option(
        "--locale", default="en", show_default=True, help="Default language: en, es, da or sv."
    )
    @click.option(
        "--timezone", default="UTC", show_default=True, help="Time zone deciding what 'today' is."
    )
    @click.pass_obj
    def init(
        hub: Hub, directory: Path | None, organization: str, locale: str, timezone: str
    ) -> None:
        """Create a workspace in DIRECTORY (default: the --workspace folder, else here)."""
        folder = directory or hub.workspace or Path.cwd()
        created = init_workspace(
            folder, organization=organization, locale=locale, timezone=timezone
        )
        try:
            click.echo(f"Created corehub workspace {created.workspace}")
            click.echo(
                "Next: corehub people import people.csv   (columns: id, name, email, role, level,"
            )
            click.echo(
                "      team, manager_id, hire_date, locale); then corehub cycle create --help"
            )
        finally:
            created.close()

    @cli.command()
    @click.option("--json", "as_json", is_flag=True, help="Print JSON.")
    @click.pass_obj
    def info(hub: Hub, as_json: bool) -> None:
        """Describe the workspace: organization, database, plugins, people and cycles."""
        hub.require_workspace()
        warnings = hub.check_settings()
        db = hub.db
        data = {
            "workspace": str(hub.workspace),
            "organization": hub.config.organization.name,
            "locale": hub.config.organization.locale,
            "timezone": hub.config.organization.timezone,
            "database": str(hub.db_path),
            "schema": [f"{s}:{m}" for s, m in hub.pending_migrations()] or "up to date",
            "plugins": sorted(
                name for name, info in hub.pm.infos.items() if info.source != "builtin"
            ),
            "people": db.execute("SELECT count(*) FROM people WHERE active = 1").fetchone()[0],
            "cycles": {c.name: c.status.value for c in hub.cycles.list()},
            "warnings": warnings,
        }
        if as_json:
            echo_json(data)
            return
        echo_fields(data)
