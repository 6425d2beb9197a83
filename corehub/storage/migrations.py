"""The core's own migration set (``corehub``). Plugins bring theirs via ``register_migrations``."""

from __future__ import annotations

import sqlite_utils
from sqlite_utils.migrations import Migrations

from corehub.storage.db import FROZEN_PREFIX, freeze_with_cycle

core_migrations = Migrations("corehub")


@core_migrations()
def m001_people_cycles_tasks_events(db: sqlite_utils.Database) -> None:
    db.execute(
        """
        CREATE TABLE people (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            email TEXT NOT NULL DEFAULT '',
            role TEXT NOT NULL DEFAULT '',
            level TEXT NOT NULL DEFAULT 'operational'
                CHECK (level IN ('operational', 'supervisory', 'directive')),
            team TEXT NOT NULL DEFAULT '',
            manager_id TEXT REFERENCES people(id) DEFERRABLE INITIALLY DEFERRED,
            hire_date TEXT,
            locale TEXT,
            active INTEGER NOT NULL DEFAULT 1,
            updated_at TEXT
        )
        """
    )
    db.execute("CREATE INDEX people_team ON people(team)")
    db.execute("CREATE INDEX people_manager ON people(manager_id)")
    db.execute(
        """
        CREATE TABLE cycles (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            start_date TEXT NOT NULL,
            end_date TEXT NOT NULL,
            scope TEXT NOT NULL,
            due TEXT NOT NULL DEFAULT '{}',
            status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'open', 'closed')),
            created_at TEXT,
            opened_at TEXT,
            closed_at TEXT,
            close_reason TEXT
        )
        """
    )
    db.execute(
        f"""
        CREATE TRIGGER cycles_frozen_update BEFORE UPDATE ON cycles
        WHEN OLD.status = 'closed'
        BEGIN SELECT RAISE(ABORT, '{FROZEN_PREFIX}cycle is closed'); END
        """
    )
    db.execute(
        f"""
        CREATE TRIGGER cycles_frozen_delete BEFORE DELETE ON cycles
        WHEN OLD.status != 'draft'
        BEGIN SELECT RAISE(ABORT, '{FROZEN_PREFIX}only a draft cycle can be deleted'); END
        """
    )
    db.execute(
        """
        CREATE TABLE cycle_members (
            cycle_id INTEGER NOT NULL REFERENCES cycles(id),
            person_id TEXT NOT NULL REFERENCES people(id),
            enrolled_at TEXT NOT NULL,
            PRIMARY KEY (cycle_id, person_id)
        )
        """
    )
    db.execute(
        """
        CREATE TABLE tasks (
            id INTEGER PRIMARY KEY,
            cycle_id INTEGER NOT NULL REFERENCES cycles(id),
            kind TEXT NOT NULL,
            assignee_id TEXT NOT NULL REFERENCES people(id),
            subject_id TEXT NOT NULL REFERENCES people(id),
            due TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'cancelled')),
            plugin TEXT NOT NULL DEFAULT '',
            after TEXT NOT NULL DEFAULT '[]',
            created_at TEXT,
            completed_at TEXT,
            completed_by TEXT,
            UNIQUE (cycle_id, kind, assignee_id, subject_id)
        )
        """
    )
    db.execute("CREATE INDEX tasks_assignee ON tasks(assignee_id, status)")
    db.execute("CREATE INDEX tasks_subject ON tasks(cycle_id, subject_id)")
    for table in ("cycle_members", "tasks"):
        freeze_with_cycle(db, table)
    db.execute(
        """
        CREATE TABLE events (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            actor TEXT,
            action TEXT NOT NULL,
            entity TEXT NOT NULL,
            entity_id TEXT NOT NULL,
            cycle_id INTEGER,
            before TEXT,
            after TEXT,
            reason TEXT
        )
        """
    )
    db.execute("CREATE INDEX events_entity ON events(entity, entity_id)")
    for op in ("UPDATE", "DELETE"):
        db.execute(
            f"""
            CREATE TRIGGER events_append_only_{op.lower()} BEFORE {op} ON events
            BEGIN SELECT RAISE(ABORT, '{FROZEN_PREFIX}the audit trail cannot be changed'); END
            """
        )


@core_migrations()
def m002_task_titles_and_privacy(db: sqlite_utils.Database) -> None:
    db.execute("ALTER TABLE tasks ADD COLUMN title TEXT NOT NULL DEFAULT ''")
    db.execute("ALTER TABLE tasks ADD COLUMN private INTEGER NOT NULL DEFAULT 0")


@core_migrations()
def m003_notifications_sent(db: sqlite_utils.Database) -> None:
    db.execute(
        """
        CREATE TABLE notifications_sent (
            id INTEGER PRIMARY KEY,
            day TEXT NOT NULL,
            recipient_id TEXT NOT NULL,
            digest_hash TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('sent', 'failed')),
            channel TEXT,
            error TEXT,
            at TEXT NOT NULL
        )
        """
    )
    db.execute(
        "CREATE INDEX notifications_sent_day ON notifications_sent(day, recipient_id, digest_hash)"
    )


@core_migrations()
def m004_sign_in_tokens(db: sqlite_utils.Database) -> None:
    db.execute(
        """
        CREATE TABLE sign_in_tokens (
            id INTEGER PRIMARY KEY,
            person_id TEXT NOT NULL REFERENCES people(id),
            token_hash TEXT NOT NULL UNIQUE,
            created_at TEXT NOT NULL,
            expires_at TEXT NOT NULL,
            used_at TEXT,
            created_by TEXT
        )
        """
    )
    db.execute("CREATE INDEX sign_in_tokens_person ON sign_in_tokens(person_id)")


@core_migrations()
def m005_web_sessions_and_attempts(db: sqlite_utils.Database) -> None:
    # A web session is a row: signing out, `corehub people sign-out` or deactivating a
    # person ends it on the server, whatever the browser still holds. Only a hash of the
    # session id is stored.
    db.execute(
        """
        CREATE TABLE web_sessions (
            id INTEGER PRIMARY KEY,
            sid_hash TEXT NOT NULL UNIQUE,
            person_id TEXT NOT NULL REFERENCES people(id),
            created_at TEXT NOT NULL,
            last_seen_at TEXT NOT NULL,
            expires_at TEXT NOT NULL,
            ended_at TEXT,
            ended_by TEXT
        )
        """
    )
    db.execute("CREATE INDEX web_sessions_person ON web_sessions(person_id)")
    # Sign-in attempts that count against a limit (a wrong link, a link asked for by
    # email), keyed by a hash of the client address or of the email address.
    db.execute(
        """
        CREATE TABLE web_attempts (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL,
            key_hash TEXT NOT NULL,
            at TEXT NOT NULL
        )
        """
    )
    db.execute("CREATE INDEX web_attempts_lookup ON web_attempts(kind, key_hash, at)")
    db.execute("CREATE INDEX web_attempts_at ON web_attempts(at)")


@core_migrations()
def m006_cycle_calibration_step(db: sqlite_utils.Database) -> None:
    # A cycle with a calibration step: manager reviews are compared (and adjusted) before
    # any can be released. Reviews plugins enforce it.
    db.execute("ALTER TABLE cycles ADD COLUMN calibrate INTEGER NOT NULL DEFAULT 0")


@core_migrations()
def m007_people_leaving_date(db: sqlite_utils.Database) -> None:
    # The day a person leaves (HR's export or `corehub people leave`): coverage stops
    # counting them from that day, and they are deactivated on it.
    db.execute("ALTER TABLE people ADD COLUMN leaving_date TEXT")


@core_migrations()
def m008_tasks_by_cycle_and_assignee(db: sqlite_utils.Database) -> None:
    # "My tasks" reads one person's tasks of a cycle: by this index, not by going through
    # every task of the cycle (tasks_subject leads with cycle_id only for this query).
    db.execute(
        "CREATE INDEX IF NOT EXISTS tasks_cycle_assignee ON tasks(cycle_id, assignee_id, due)"
    )


@core_migrations()
def m009_tasks_by_cycle_and_state(db: sqlite_utils.Database) -> None:
    # The HR overview's totals count a cycle's tasks by status, kind and due date, and look
    # for open tasks that wait for another about the same person: from these two indexes,
    # without reading the tasks themselves.
    db.execute(
        "CREATE INDEX IF NOT EXISTS tasks_cycle_state "
        "ON tasks(cycle_id, status, kind, due, subject_id, after)"
    )
    db.execute(
        "CREATE INDEX IF NOT EXISTS tasks_cycle_subject_state "
        "ON tasks(cycle_id, subject_id, kind, status, due)"
    )


@core_migrations()
def m010_people_match_keys(db: sqlite_utils.Database) -> None:
    # Imports name people the way exports do: an id or e-mail address in any case, or a
    # full name with its spaces as typed. Each person's keys (case-folded id and e-mail,
    # case-folded name with its spaces collapsed) are kept here by ``People.save``, so an
    # import looks up the people its file names instead of reading everyone.
    from corehub.people import match_keys

    db.execute(
        "CREATE TABLE IF NOT EXISTS people_match ("
        "key TEXT NOT NULL, person_id TEXT NOT NULL REFERENCES people(id), "
        "PRIMARY KEY (key, person_id)) WITHOUT ROWID"
    )
    db.execute("CREATE INDEX IF NOT EXISTS people_match_person ON people_match(person_id)")
    rows = (
        {"key": key, "person_id": r["id"]}
        for r in db.query("SELECT id, email, name FROM people")
        for key in match_keys(r["id"], r["email"], r["name"])
    )
    db.table("people_match").insert_all(rows, batch_size=2000, ignore=True)


@core_migrations()
def m011_people_match_folded(db: sqlite_utils.Database) -> None:
    # Names are matched without their accents (an export that writes Nunez finds Núñez), and
    # ids, e-mail addresses and names whatever their Unicode form: every person's keys are
    # made again with today's ``match_keys``.
    from corehub.people import match_keys

    db.execute("DELETE FROM people_match")
    rows = (
        {"key": key, "person_id": r["id"]}
        for r in db.query("SELECT id, email, name FROM people")
        for key in match_keys(r["id"], r["email"], r["name"])
    )
    db.table("people_match").insert_all(rows, batch_size=2000, ignore=True)
