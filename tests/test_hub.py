"""The Hub: workspace, configuration, settings, storage, migrations and the audit trail."""

from __future__ import annotations

import datetime as dt
import sqlite3
import subprocess
import sys
import textwrap

import attrs
import pytest
from sqlite_utils.migrations import Migrations

from corehub import Hub, hookimpl
from corehub.config import find_workspace
from corehub.errors import ConfigError, FrozenError
from corehub.models import PluginSettings
from corehub.testing import run_cli


def set_config(workspace, text):
    (workspace / "corehub.toml").write_text(textwrap.dedent(text), encoding="utf-8")


def test_unknown_or_mistyped_config_keys_name_the_key_and_file(workspace):
    set_config(
        workspace,
        """
        [organization]
        name = "Acme"
        lokale = "es"

        [database]
        busy_timeout_ms = "soon"
        """,
    )
    with pytest.raises(ConfigError) as info:
        Hub(workspace)
    message = str(info.value)
    assert str(workspace / "corehub.toml") in message
    assert "organization.lokale: unknown key" in message
    assert "database.busy_timeout_ms: expected a whole number, got 'soon'" in message


def test_every_problem_of_the_config_comes_in_one_run(workspace):
    set_config(
        workspace,
        """
        [organization]
        colour = "red"
        locale = "xx"
        timezone = "Mars/Olympus"

        [web]
        base_url = "ftp://desk"
        link_days = 0
        """,
    )
    with pytest.raises(ConfigError) as info:
        Hub(workspace)
    message = str(info.value)
    assert "organization.colour: unknown key" in message
    # the checks of a table run even though the unknown key broke it
    assert "locale 'xx' is not a language corehub speaks: use one of en, es, da, sv" in message
    assert "timezone 'Mars/Olympus' is not a time zone" in message
    assert "base_url 'ftp://desk' must start with http:// or https://" in message
    assert "link_days must be 1 to 90, not 0" in message


def test_broken_toml_is_reported_with_the_file(workspace):
    set_config(workspace, "[organization\nname = 1\n")
    with pytest.raises(ConfigError, match=r"corehub.toml: not valid TOML"):
        Hub(workspace)


def test_workspace_is_found_from_flag_env_or_parents(workspace, monkeypatch, tmp_path):
    monkeypatch.delenv("COREHUB_WORKSPACE", raising=False)
    nested = workspace / "templates"
    assert find_workspace(cwd=nested) == workspace
    assert find_workspace(cwd=tmp_path) is None
    monkeypatch.setenv("COREHUB_WORKSPACE", str(workspace))
    assert find_workspace(cwd=tmp_path) == workspace
    assert find_workspace(tmp_path / "explicit") == tmp_path / "explicit"


def test_commands_without_a_workspace_say_how_to_make_one(tmp_path, monkeypatch):
    monkeypatch.delenv("COREHUB_WORKSPACE", raising=False)
    result = run_cli(Hub(tmp_path / "nowhere"), "people", "list")
    assert result.exit_code == 1
    assert "no corehub workspace at" in result.stderr and "corehub init" in result.stderr


@attrs.frozen
class ReminderSettings:
    days_before: int = 3
    copy_manager: bool = True


class SettingsPlugin:
    @hookimpl
    def register_settings(self, hub):
        return PluginSettings(name="reminders", cls=ReminderSettings)


def test_plugin_settings_are_validated_with_defaults(hub, register_plugin, workspace):
    register_plugin(SettingsPlugin(), name="reminders")
    assert hub.settings("reminders") == ReminderSettings()
    with open(workspace / "corehub.toml", "a", encoding="utf-8") as f:
        f.write(
            "\n[settings.reminders]\ndays_before = 7\ncopy_manger = false\n\n[settings.ghost]\nx = 1\n"
        )
    fresh = Hub(workspace, plugin_manager=hub.pm)
    with pytest.raises(ConfigError) as info:
        fresh.settings("reminders")
    assert "[settings.reminders]" in str(info.value) and "copy_manger: unknown key" in str(
        info.value
    )
    with pytest.raises(ConfigError, match="no installed plugin declares settings named 'nope'"):
        fresh.settings("nope")
    (workspace / "corehub.toml").write_text(
        (workspace / "corehub.toml")
        .read_text()
        .replace("copy_manger = false", "copy_manager = false")
    )
    fixed = Hub(workspace, plugin_manager=hub.pm)
    assert fixed.settings("reminders") == ReminderSettings(days_before=7, copy_manager=False)
    assert fixed.check_settings() == [
        f"{fixed.config_path}: [settings.ghost] is ignored: no loaded plugin declares it"
    ]


def test_database_runs_in_wal_mode_with_foreign_keys(hub):
    assert hub.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert hub.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    with pytest.raises(sqlite3.IntegrityError), hub.atomic() as db:
        db["cycle_members"].insert({"cycle_id": 99, "person_id": "nobody", "enrolled_at": "x"})


migrations = Migrations("notes")


@migrations()
def m001_notes(db):
    db["notes"].create({"id": int, "text": str}, pk="id")


@migrations()
def m002_broken(db):
    db["notes"].add_column("author", str)
    raise RuntimeError("half-way")


class NotesPlugin:
    def __init__(self):
        self.started = 0

    @hookimpl
    def register_migrations(self, hub):
        return migrations

    @hookimpl
    def startup(self, hub):
        self.started += 1


def test_a_failing_migration_leaves_nothing_half_applied(hub, register_plugin):
    with pytest.raises(RuntimeError, match="half-way"):
        register_plugin(NotesPlugin(), name="notes")
    columns = {c.name for c in hub.db["notes"].columns}
    assert columns == {"id", "text"}  # m001 committed with its record; m002 rolled back whole
    assert hub.pending_migrations() == [("notes", "m002_broken")]


def test_startup_runs_once_when_the_database_opens(workspace, clock):
    plugin = NotesPlugin()
    from corehub.plugins import make_plugin_manager

    pm = make_plugin_manager(load_entry_points=False, env={})
    pm.register(plugin, name="notes-startup")
    hub = Hub(workspace, plugin_manager=pm, clock=clock)
    with pytest.raises(RuntimeError):
        hub.db  # noqa: B018 - auto-migrate runs the broken migration
    hub.close()


def test_db_commands_migrate_check_and_backup(hub, cli, tmp_path, make_people):
    make_people(agents=1)
    assert "Database is up to date." in cli("db", "migrate").stdout
    assert "No pending migrations." in cli("db", "migrate", "--list").stdout
    check = cli("db", "check", "--json")
    assert check.exit_code == 0 and check.json()["ok"] is True
    backup = tmp_path / "backups" / "copy.db"
    assert cli("db", "backup", str(backup)).exit_code == 0
    copy = sqlite3.connect(backup)
    assert copy.execute("SELECT count(*) FROM people").fetchone()[0] == 2
    copy.close()
    refused = cli("db", "backup", str(hub.db_path))
    assert refused.exit_code == 1 and "is the live workspace database" in refused.stderr


def test_db_check_reports_broken_references(hub, cli, make_people):
    make_people(agents=1)
    hub.db.execute("PRAGMA foreign_keys = OFF")
    with hub.atomic() as db:
        db.execute("UPDATE people SET manager_id = 'ghost' WHERE id = 'alpha-01'")
    hub.db.execute("PRAGMA foreign_keys = ON")
    check = cli("db", "check")
    assert check.exit_code == 1 and "people row" in check.stdout and "1 problem(s)" in check.stdout


def test_audit_trail_is_append_only_and_anonymous_events_carry_no_author(hub, clock, cli):
    hub.audit.record("note.created", "note", 1, after={"text": "hi"})
    clock.advance(hours=3)
    hub.audit.record("feedback.received", "feedback", "x", actor=hub.audit.ANONYMOUS)
    named, anonymous = list(hub.audit.events())
    assert named.actor == "test-admin" and named.at == dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)
    assert anonymous.actor is None
    raw = hub.db.execute(
        "SELECT actor, at FROM events WHERE action = 'feedback.received'"
    ).fetchone()
    assert raw == (None, "2026-03-02")  # the day only: no time to correlate with
    with pytest.raises(FrozenError, match="audit trail cannot be changed"), hub.atomic() as db:
        db.execute("DELETE FROM events")
    with pytest.raises(FrozenError), hub.atomic() as db:
        db.execute("UPDATE events SET actor = 'someone'")
    listed = cli("audit", "--entity", "feedback", "--json").json()
    assert listed[0]["actor"] is None
    assert "(anonymous)" in cli("audit").stdout


def test_init_creates_a_workspace_and_refuses_to_overwrite(tmp_path, monkeypatch):
    monkeypatch.delenv("COREHUB_WORKSPACE", raising=False)
    target = tmp_path / "desk"
    result = run_cli(
        Hub(None),
        "init",
        str(target),
        "--name",
        'Nordlys "Sol"',
        "--locale",
        "da",
        "--timezone",
        "Europe/Copenhagen",
    )
    assert result.exit_code == 0, result.output
    hub = Hub(target)
    assert hub.config.organization.name == 'Nordlys "Sol"'
    assert hub.config.organization.timezone == "Europe/Copenhagen"
    assert all(
        (target / d).is_dir() for d in ("templates", "forms", "courses", "plugins", "output")
    )
    assert (target / "corehub.db").exists()
    again = run_cli(Hub(None), "init", str(target))
    assert again.exit_code == 1 and "already exists" in again.stderr
    bad_zone = run_cli(Hub(None), "init", str(tmp_path / "x"), "--timezone", "Mars/Olympus")
    assert bad_zone.exit_code == 1 and "unknown time zone" in bad_zone.stderr
    info = run_cli(hub, "info", "--json").json()
    assert info["organization"] == 'Nordlys "Sol"' and info["schema"] == "up to date"
    hub.close()


def test_help_is_fast_to_import_and_never_loads_weasyprint():
    code = "import sys; from corehub.cli import main\ntry:\n    main(['--help'])\nexcept SystemExit: pass\nprint('weasyprint' in sys.modules or 'flask' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={"COREHUB_LOAD_PLUGINS": "", "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("False")
    assert "corehub: evaluation cycles" in result.stdout


def test_errors_are_one_message_and_debug_shows_the_traceback(hub, cli):
    plain = cli("cycle", "open", "missing")
    assert plain.exit_code == 1
    assert plain.stderr.startswith("Error: no cycle named 'missing'")
    assert "Traceback" not in plain.stderr
    debug = cli("--debug", "cycle", "open", "missing")
    assert debug.exception is not None


def test_as_acts_for_one_command_and_is_audited(hub, cli, make_people):
    make_people(agents=1)
    result = cli(
        "--as",
        "alpha-lead",
        "cycle",
        "create",
        "H1",
        "--start",
        "2026-01-01",
        "--end",
        "2026-06-30",
    )
    assert result.exit_code == 0, result.output
    (created,) = [e for e in hub.audit.events(entity="cycle")]
    assert created.actor == "alpha-lead"
    assert hub.actor == "test-admin"


def test_init_workspace_is_a_library_function_refusing_before_writing(tmp_path):
    from corehub.errors import CorehubError
    from corehub.workspace import WORKSPACE_FOLDERS, init_workspace

    with pytest.raises(CorehubError, match="unknown time zone 'Mars/Olympus'"):
        init_workspace(tmp_path / "ws", timezone="Mars/Olympus")
    assert not (tmp_path / "ws").exists()
    hub = init_workspace(tmp_path / "ws", organization="Nordlys", timezone="Europe/Oslo")
    try:
        assert hub.initialized and hub.config.organization.name == "Nordlys"
        assert all((tmp_path / "ws" / kind).is_dir() for kind in WORKSPACE_FOLDERS)
        assert hub.people.list() == []
    finally:
        hub.close()
    with pytest.raises(CorehubError, match="this folder is a workspace already"):
        init_workspace(tmp_path / "ws")


def test_from_row_reads_a_stored_row_into_its_record():
    from corehub.models import Cycle, CycleStatus, Person
    from corehub.storage import from_row

    person = from_row(
        {"id": "a1", "name": "Ana", "level": "operational", "active": 0, "hire_date": None},
        Person,
    )
    assert person.active is False and person.hire_date is None and person.level.value
    cycle = from_row(
        {
            "id": 3,
            "name": "2026 H1",
            "start_date": "2026-01-01",
            "end_date": "2026-06-30",
            "scope": '["team:Nord"]',
            "due": '{"self": "2026-03-01"}',
            "status": "open",
            "created_at": "2026-01-02T09:00:00+00:00",
            "opened_at": None,
            "closed_at": None,
            "close_reason": None,
            "a_column_no_field_names": 1,
        },
        Cycle,
        columns={"start_date": "start", "end_date": "end"},
        json_columns=("scope", "due"),
    )
    assert cycle.start == dt.date(2026, 1, 1) and cycle.end == dt.date(2026, 6, 30)
    assert cycle.scope == ("team:Nord",) and cycle.due == {"self": dt.date(2026, 3, 1)}
    assert cycle.status is CycleStatus.OPEN and cycle.opened_at is None
    assert cycle.created_at == dt.datetime(2026, 1, 2, 9, tzinfo=dt.UTC)


def test_a_cached_value_is_made_once_while_the_database_is_unchanged(
    hub, workspace, register_plugin
):
    made: list[int] = []

    def count_people() -> int:
        made.append(1)
        return hub.db.execute("SELECT count(*) FROM people").fetchone()[0]

    def cached() -> int:
        return hub.cached(("test.people", "all"), count_people)

    assert (cached(), cached(), len(made)) == (0, 0, 1)
    assert hub.cached(("test.people", "other key"), lambda: 7) == 7

    # a write through this Hub's own connection
    hub.db["people"].insert({"id": "p1", "name": "Ana", "active": 1})
    assert (cached(), len(made)) == (1, 2)
    # a write committed by another connection (another process's Hub)
    other = Hub(workspace, plugin_manager=hub.pm)
    other.db["people"].insert({"id": "p2", "name": "Bo", "active": 1})
    other.close()
    assert (cached(), cached(), len(made)) == (2, 2, 3)
    # a rolled-back write counts as a change too: made again, never a stale value
    with pytest.raises(RuntimeError), hub.atomic() as db:
        db["people"].insert({"id": "p3", "name": "Cy", "active": 1})
        raise RuntimeError("undo")
    assert (cached(), len(made)) == (2, 4)
    # a value read inside a transaction, after its own write, is not kept past a rollback
    with pytest.raises(RuntimeError), hub.atomic() as db:
        db["people"].insert({"id": "p4", "name": "Di", "active": 1})
        assert cached() == 3
        raise RuntimeError("undo")
    assert (cached(), len(made)) == (2, 6)
    # settings changed, or the database closed and opened again
    register_plugin(SettingsPlugin(), name="reminders")
    hub.apply_settings("reminders", {"days_before": 3})
    assert (cached(), len(made)) == (2, 7)
    hub.close()
    assert (cached(), len(made)) == (2, 8)


def test_a_value_made_while_the_database_changes_is_not_kept(hub):
    def writes() -> int:
        hub.db["people"].insert({"id": f"p{hub.db['people'].count}", "name": "X", "active": 1})
        return hub.db.execute("SELECT count(*) FROM people").fetchone()[0]

    assert hub.cached("test.writes", writes) == 1
    assert hub.cached("test.writes", writes) == 2
