"""``corehub db``: migrations, integrity checks and online backups."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from typing import TYPE_CHECKING

import click

from corehub.cli.output import echo_json
from corehub.errors import CorehubError
from corehub.hub import Hub
from corehub.storage.db import is_locked

if TYPE_CHECKING:
    import sqlite_utils


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
        problems = database_problems(hub)
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
    @click.argument("path", type=click.Path(path_type=Path))
    @click.option("--force", is_flag=True, help="Replace PATH if it exists (an older backup).")
    @click.pass_obj
    def backup(hub: Hub, path: Path, force: bool) -> None:
        """Copy the live database to PATH with SQLite's online backup (safe while in use)."""
        from corehub.outputs import write_output

        source = hub.db
        with write_output(hub, path, overwrite=force, database_ok=True) as tmp:
            target = sqlite3.connect(tmp)
            try:
                source.conn.backup(target)
            except sqlite3.OperationalError as exc:
                if is_locked(exc):
                    raise
                raise CorehubError(f"cannot write backup {path}: {exc}") from None
            finally:
                target.close()
        click.echo(f"Backed up {hub.db_path} to {path}")

    @db.command()
    @click.argument("path", type=click.Path(path_type=Path))
    @click.option("--force", is_flag=True, help="Replace PATH if it exists (an older snapshot).")
    @click.pass_obj
    def snapshot(hub: Hub, path: Path, force: bool) -> None:
        """Write a consistent, read-only copy of the database to PATH, for rendering elsewhere.

        Machines that each render one share (render cycle --snapshot PATH --shard I/N) all
        read this copy, so they agree on who is in the cycle while the workspace goes on.
        """
        from corehub import access
        from corehub.storage.snapshot import write_snapshot

        # A snapshot holds everyone's data: HR's and the operator's, as rendering a cycle is.
        access.require_see_team(hub, access.viewer(hub), None)
        started = time.perf_counter()
        size = write_snapshot(hub, path, replace=force)
        click.echo(
            f"Snapshot of {hub.db_path} written to {path} "
            f"({size / 1_048_576:.1f} MiB in {time.perf_counter() - started:.1f} s)"
        )


def database_problems(hub: Hub) -> list[str]:
    """What is wrong with the workspace database, read without changing it (no migrations).

    A missing, empty, damaged or truncated file is a problem reported here, not a crash.
    """
    from corehub.storage.db import DatabaseUnavailableError, damaged_message, open_database

    try:
        db = open_database(hub.db_path, busy_timeout_ms=hub.config.database.busy_timeout_ms)
    except DatabaseUnavailableError as exc:
        return [str(exc)]
    try:
        integrity = [row[0] for row in db.execute("PRAGMA integrity_check")]
        foreign = [
            f"{row[0]} row {row[1]} refers to a missing {row[2]} row"
            for row in db.execute("PRAGMA foreign_key_check")
        ]
        pending = [f"{s.name}: {m.name}" for s in hub.migration_sets() for m in s.pending(db)]
        shared = _shared_emails(db)
    except sqlite3.DatabaseError as exc:
        return [damaged_message(hub.db_path, exc)]
    finally:
        db.close()
    return (
        ([] if integrity == ["ok"] else integrity)
        + foreign
        + [f"pending migration {p}" for p in pending]
        + shared
    )


def _shared_emails(db: sqlite_utils.Database) -> list[str]:
    """People who share an e-mail address in any case or Unicode form: a save refuses the
    second one today, a workspace from before may hold both (imports then find neither
    by that address, and the sign-in link goes to neither)."""
    from corehub.people import shared_emails

    if "people_match" not in db.table_names():
        return []
    return [
        "people "
        + " and ".join(repr(person_id) for person_id, _ in owners)
        + " share one e-mail address ("
        + ", ".join(repr(email) for _, email in owners)
        + "): imports and sign-in links cannot tell them apart; give each their own "
        "address in the people file and import it"
        for _key, owners in shared_emails(db)
    ]
