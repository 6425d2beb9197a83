"""The tables of 1:1 check-ins and new-hire reviews (their own migration set).

- a check-in: a manager, one of their reports and a date;
- its agenda items and notes: written by either of the two, read by the two only;
- its action items: an owner (one of the two), a due date, done or not, maybe a goal;
- a new-hire review: one milestone (30, 60, 90 days after the hire date) of one person,
  a ``self`` and a ``manager`` part, each with a copy of its form.
"""

from __future__ import annotations

import sqlite_utils
from sqlite_utils.migrations import Migrations

from corehub.loaders import FROZEN_PREFIX

CHECKINS = "self_assessment_checkins"
AGENDA = "self_assessment_checkin_agenda"
NOTES = "self_assessment_checkin_notes"
ACTIONS = "self_assessment_checkin_actions"
NEW_HIRE = "self_assessment_new_hire_reviews"

migrations = Migrations("self_assessment_checkins")


@migrations()
def m001_checkins(db: sqlite_utils.Database) -> None:
    db.execute(
        f"""
        CREATE TABLE [{CHECKINS}] (
            id INTEGER PRIMARY KEY,
            manager_id TEXT NOT NULL REFERENCES people(id),
            person_id TEXT NOT NULL REFERENCES people(id),
            day TEXT NOT NULL,
            created_by TEXT NOT NULL,
            created_at TEXT NOT NULL,
            CHECK (manager_id != person_id),
            UNIQUE (manager_id, person_id, day)
        )
        """
    )
    db.execute(f"CREATE INDEX [{CHECKINS}_person] ON [{CHECKINS}](person_id, day)")
    for table in (AGENDA, NOTES):
        db.execute(
            f"""
            CREATE TABLE [{table}] (
                id INTEGER PRIMARY KEY,
                checkin_id INTEGER NOT NULL REFERENCES [{CHECKINS}](id),
                author_id TEXT NOT NULL REFERENCES people(id),
                text TEXT NOT NULL CHECK (length(trim(text)) > 0),
                created_at TEXT NOT NULL
            )
            """
        )
        db.execute(f"CREATE INDEX [{table}_checkin] ON [{table}](checkin_id)")
    db.execute(
        f"""
        CREATE TABLE [{ACTIONS}] (
            id INTEGER PRIMARY KEY,
            checkin_id INTEGER NOT NULL REFERENCES [{CHECKINS}](id),
            text TEXT NOT NULL CHECK (length(trim(text)) > 0),
            owner_id TEXT NOT NULL REFERENCES people(id),
            due TEXT NOT NULL,
            goal TEXT,
            created_by TEXT NOT NULL,
            created_at TEXT NOT NULL,
            done_at TEXT,
            done_by TEXT
        )
        """
    )
    db.execute(f"CREATE INDEX [{ACTIONS}_checkin] ON [{ACTIONS}](checkin_id)")
    db.execute(f"CREATE INDEX [{ACTIONS}_owner] ON [{ACTIONS}](owner_id, done_at)")
    db.execute(
        f"""
        CREATE TABLE [{NEW_HIRE}] (
            id INTEGER PRIMARY KEY,
            person_id TEXT NOT NULL REFERENCES people(id),
            day INTEGER NOT NULL CHECK (day > 0),
            due TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('self', 'manager')),
            author_id TEXT NOT NULL REFERENCES people(id),
            form_id TEXT NOT NULL,
            form TEXT NOT NULL,
            answers TEXT NOT NULL DEFAULT '{{}}',
            status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'submitted')),
            created_at TEXT NOT NULL,
            updated_at TEXT,
            submitted_at TEXT,
            UNIQUE (person_id, day, kind)
        )
        """
    )
    db.execute(f"CREATE INDEX [{NEW_HIRE}_author] ON [{NEW_HIRE}](author_id, status)")
    db.execute(
        f"""
        CREATE TRIGGER [{NEW_HIRE}_submitted_is_final]
        BEFORE UPDATE OF answers, form ON [{NEW_HIRE}]
        WHEN OLD.status != 'draft'
        BEGIN
            SELECT RAISE(ABORT, '{FROZEN_PREFIX}a submitted new-hire review cannot be edited');
        END
        """
    )


@migrations()
def m002_checkins_by_manager(db: sqlite_utils.Database) -> None:
    """A manager's own check-ins (their "Check-ins" page) without reading everyone's."""
    db.execute(f"CREATE INDEX IF NOT EXISTS [{CHECKINS}_manager] ON [{CHECKINS}](manager_id, day)")
