"""The feedback plugin's tables.

``feedback`` holds every piece of feedback. Its ids are random, never sequential, and
the table has no autoincrement: neither the id nor the row order says when an
anonymous row was written. Anonymous rows hold no author and no time, only the day
(a CHECK constraint makes the database refuse anything else).
"""

from __future__ import annotations

import sqlite_utils
from sqlite_utils.migrations import Migrations

from corehub.loaders import freeze_with_cycle

migrations = Migrations("feedback")


@migrations()
def m001_feedback(db: sqlite_utils.Database) -> None:
    db.execute(
        """
        CREATE TABLE feedback (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL,
            recipient_id TEXT REFERENCES people(id),
            author_id TEXT REFERENCES people(id),
            anonymous INTEGER NOT NULL DEFAULT 0 CHECK (anonymous IN (0, 1)),
            given_on TEXT NOT NULL,
            given_at TEXT,
            text TEXT NOT NULL DEFAULT '',
            rating REAL,
            tags TEXT NOT NULL DEFAULT '[]',
            answers TEXT,
            cycle_id INTEGER REFERENCES cycles(id),
            cohort TEXT,
            status TEXT,
            source TEXT,
            source_key TEXT,
            CHECK (anonymous = 0 OR (author_id IS NULL AND given_at IS NULL AND source IS NULL)),
            UNIQUE (kind, source_key)
        )
        """
    )
    db.execute("CREATE INDEX feedback_recipient ON feedback(recipient_id, kind)")
    db.execute("CREATE INDEX feedback_kind_day ON feedback(kind, given_on)")
    db.execute(
        """
        CREATE TABLE feedback_responses (
            id INTEGER PRIMARY KEY,
            feedback_id INTEGER NOT NULL REFERENCES feedback(id),
            from_status TEXT NOT NULL,
            to_status TEXT NOT NULL,
            text TEXT NOT NULL,
            responder_id TEXT NOT NULL,
            responded_at TEXT NOT NULL
        )
        """
    )
    db.execute("CREATE INDEX feedback_responses_feedback ON feedback_responses(feedback_id)")
    freeze_with_cycle(db, "feedback")


@migrations()
def m002_answered(db: sqlite_utils.Database) -> None:
    # Who has answered a pulse month or an upward cycle, so nobody answers twice, without
    # saying which answer is whose: a keyed hash of (survey, period, person) and nothing
    # else. WITHOUT ROWID keeps the rows in hash order, so not even the order of writing is
    # stored; the answers themselves stay in `feedback`, with no author.
    db.execute("CREATE TABLE feedback_answered (token TEXT PRIMARY KEY) WITHOUT ROWID")


@migrations()
def m003_recipient_day(db: sqlite_utils.Database) -> None:
    # One person's ratings of a kind in a period (a packet's CSAT): found through the
    # person, not by reading every rating of the period. It replaces the (recipient, kind)
    # index it extends.
    db.execute("CREATE INDEX feedback_recipient_kind_day ON feedback(recipient_id, kind, given_on)")
    db.execute("DROP INDEX IF EXISTS feedback_recipient")


@migrations()
def m004_author_index(db: sqlite_utils.Database) -> None:
    # What a person gave (the praise on their Feedback page) is read by author, as what
    # they received is read by recipient. Anonymous rows have no author: nothing new is kept.
    db.execute("CREATE INDEX IF NOT EXISTS feedback_author ON feedback(author_id, kind)")
