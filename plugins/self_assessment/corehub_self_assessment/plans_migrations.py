"""The development plans' tables (their own migration set, ``self_assessment_plans``).

A plan is per person, not per cycle: goals added to it directly and the actions agreed
between the person and their manager. Nothing is ever deleted, and an action or goal
that is no longer open is kept as it was closed (done, with its date).
"""

from __future__ import annotations

import sqlite_utils
from sqlite_utils.migrations import Migrations

from corehub.loaders import FROZEN_PREFIX

GOALS = "self_assessment_plan_goals"
ACTIONS = "self_assessment_plan_actions"

migrations = Migrations("self_assessment_plans")


@migrations()
def m001_plans(db: sqlite_utils.Database) -> None:
    db.execute(
        f"""
        CREATE TABLE [{GOALS}] (
            id INTEGER PRIMARY KEY,
            person_id TEXT NOT NULL REFERENCES people(id),
            objective TEXT NOT NULL CHECK (length(trim(objective)) > 0),
            result TEXT NOT NULL DEFAULT '',
            due TEXT,
            status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'achieved')),
            outcome TEXT NOT NULL DEFAULT '',
            done_on TEXT,
            added_by TEXT NOT NULL,
            added_at TEXT NOT NULL,
            closed_by TEXT,
            closed_at TEXT
        )
        """
    )
    db.execute(
        f"""
        CREATE TABLE [{ACTIONS}] (
            id INTEGER PRIMARY KEY,
            person_id TEXT NOT NULL REFERENCES people(id),
            text TEXT NOT NULL CHECK (length(trim(text)) > 0),
            owner_id TEXT NOT NULL REFERENCES people(id),
            due TEXT,
            status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done')),
            done_on TEXT,
            added_by TEXT NOT NULL,
            added_at TEXT NOT NULL,
            changed_by TEXT,
            changed_at TEXT,
            closed_by TEXT,
            closed_at TEXT
        )
        """
    )
    for table in (GOALS, ACTIONS):
        db.execute(f"CREATE INDEX [{table}_person] ON [{table}](person_id, status)")
        db.execute(
            f"""
            CREATE TRIGGER [{table}_kept] BEFORE DELETE ON [{table}]
            BEGIN
                SELECT RAISE(ABORT, '{FROZEN_PREFIX}a development plan keeps its history');
            END
            """
        )
        db.execute(
            f"""
            CREATE TRIGGER [{table}_closed_is_final] BEFORE UPDATE ON [{table}]
            WHEN OLD.status != 'open'
            BEGIN
                SELECT RAISE(ABORT, '{FROZEN_PREFIX}a plan item marked done is kept as it was');
            END
            """
        )


@migrations()
def m002_from_checkin(db: sqlite_utils.Database) -> None:
    """An agreed action carried from a check-in's action item keeps the link (one plan
    action per check-in action item)."""
    db.execute(f"ALTER TABLE [{ACTIONS}] ADD COLUMN checkin_action_id INTEGER")
    db.execute(
        f"CREATE UNIQUE INDEX [{ACTIONS}_checkin_action] ON [{ACTIONS}](checkin_action_id) "
        "WHERE checkin_action_id IS NOT NULL"
    )
