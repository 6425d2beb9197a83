"""``corehub db``: migrations, integrity checks and online backups."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import click

from corehub.cli.output import echo_json
from corehub.errors import CorehubError
from corehub.hub import Hub


def register(cli: click.Group) -> None:
    @cli.group()
    def db() -> None:
        """Look after the workspace database."""

    @db.command()
    @click.option("--list", "list_only", is_flag=True, help="Only list pending migrations.")
    @click.pass_obj
    def migrate(hub: Hub, list_only: bool) -> None:
        """Apply pending migrations (the core's and every plugin's)."""
        if list_only:
            pending = hub.pending_migrations()
            for migration_set, name in pending:
                click.echo(f"pending  {migration_set}: {name}")
            if not pending:
                click.echo("No pending migrations.")
            return
        applied = hub.migrate()
        for migration_set, name in applied:
            click.echo(f"applied  {migration_set}: {name}")
        click.echo(
            f"{len(applied)} migration(s) applied." if applied else "Database is up to date."
        )

    @db.command()
    @click.option("--json", "as_json", is_flag=True, help="Print JSON.")
    @click.pass_obj
    def check(hub: Hub, as_json: bool) -> None:
        """Check integrity, foreign keys and pending migrations; exit 1 on any problem."""
        conn = hub.db.conn
        integrity = [row[0] for row in conn.execute("PRAGMA integrity_check")]
        foreign = [
            f"{row[0]} row {row[1]} refers to a missing {row[2]} row"
            for row in conn.execute("PRAGMA foreign_key_check")
        ]
        pending = [f"{s}: {m}" for s, m in hub.pending_migrations()]
        problems = (
            ([] if integrity == ["ok"] else integrity)
            + foreign
            + [f"pending migration {p}" for p in pending]
        )
        if as_json:
            echo_json({"ok": not problems, "problems": problems, "database": str(hub.db_path)})
        else:
            for problem in problems:
                click.echo(f"problem: {problem}")
            click.echo(
                f"{hub.db_path}: " + ("ok" if not problems else f"{len(problems)} problem(s)")
            )
        if problems:
            raise click.exceptions.Exit(1)

    @db.command()
    @click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
    @click.pass_obj
    def backup(hub: Hub, path: Path) -> None:
        """Copy the live database to PATH with SQLite's online backup (safe while in use)."""
        if path.resolve() == hub.db_path.resolve():
            raise CorehubError("the backup cannot overwrite the live database")
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.part")
        tmp.unlink(missing_ok=True)
        target = sqlite3.connect(tmp)
        try:
            hub.db.conn.backup(target)
        finally:
            target.close()
        tmp.replace(path)
        click.echo(f"Backed up {hub.db_path} to {path}")
