"""The plugin's tables (migration set ``training_tracker``)."""

from __future__ import annotations

import sqlite_utils
from sqlite_utils.migrations import Migrations

migrations = Migrations("training_tracker")

OPEN_STATUSES = ("assigned", "in_progress", "overdue")


@migrations()
def m001_training_tables(db: sqlite_utils.Database) -> None:
    db.execute(
        """
        CREATE TABLE training_completions (
            id INTEGER PRIMARY KEY,
            person_id TEXT NOT NULL REFERENCES people(id),
            course_id TEXT NOT NULL,
            completed_on TEXT NOT NULL,
            score REAL CHECK (score IS NULL OR (score >= 0 AND score <= 100)),
            expires_on TEXT,
            evidence_text TEXT,
            evidence_file TEXT,
            evidence_name TEXT,
            source TEXT NOT NULL DEFAULT 'manual',
            override_reason TEXT,
            recorded_at TEXT NOT NULL,
            recorded_by TEXT,
            UNIQUE (person_id, course_id, completed_on)
        )
        """
    )
    db.execute(
        "CREATE INDEX training_completions_person ON training_completions(person_id, course_id)"
    )
    db.execute(
        """
        CREATE TABLE training_assignments (
            id INTEGER PRIMARY KEY,
            person_id TEXT NOT NULL REFERENCES people(id),
            course_id TEXT NOT NULL,
            assigned_on TEXT NOT NULL,
            due TEXT,
            status TEXT NOT NULL DEFAULT 'assigned' CHECK (status IN
                ('assigned', 'in_progress', 'completed', 'overdue', 'expired', 'waived')),
            source TEXT NOT NULL DEFAULT 'manual',
            started_on TEXT,
            completed_on TEXT,
            completion_id INTEGER REFERENCES training_completions(id),
            expires_on TEXT,
            waived_reason TEXT,
            waived_until TEXT,
            overdue_notified_at TEXT,
            created_at TEXT NOT NULL,
            created_by TEXT,
            CHECK (due IS NULL OR due >= assigned_on OR source != 'manual')
        )
        """
    )
    db.execute(
        "CREATE INDEX training_assignments_person ON training_assignments(person_id, course_id)"
    )
    db.execute(
        """
        CREATE UNIQUE INDEX training_assignments_one_open
        ON training_assignments(person_id, course_id)
        WHERE status IN ('assigned', 'in_progress', 'overdue')
        """
    )
    db.execute(
        """
        CREATE TABLE training_feedback (
            person_id TEXT NOT NULL REFERENCES people(id),
            course_id TEXT NOT NULL,
            rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
            comment TEXT NOT NULL DEFAULT '',
            rated_on TEXT NOT NULL,
            PRIMARY KEY (person_id, course_id)
        )
        """
    )
    db.execute(
        """
        CREATE TABLE training_recommendations (
            id INTEGER PRIMARY KEY,
            person_id TEXT NOT NULL REFERENCES people(id),
            course_id TEXT NOT NULL,
            competency TEXT,
            reason TEXT NOT NULL,
            review_id INTEGER,
            cycle_id INTEGER,
            status TEXT NOT NULL DEFAULT 'pending'
                CHECK (status IN ('pending', 'accepted', 'dismissed')),
            created_at TEXT NOT NULL,
            decided_at TEXT,
            decided_by TEXT,
            decision_reason TEXT,
            assignment_id INTEGER REFERENCES training_assignments(id),
            UNIQUE (person_id, course_id, review_id)
        )
        """
    )
    db.execute(
        "CREATE INDEX training_recommendations_cycle ON training_recommendations(cycle_id, status)"
    )


@migrations()
def m002_recommendations_completed(db: sqlite_utils.Database) -> None:
    """A recommendation settled by completing its course is ``completed``, not ``dismissed``
    (SQLite cannot change a CHECK constraint: the table is rebuilt with its rows)."""
    db.execute(
        """
        CREATE TABLE training_recommendations_new (
            id INTEGER PRIMARY KEY,
            person_id TEXT NOT NULL REFERENCES people(id),
            course_id TEXT NOT NULL,
            competency TEXT,
            reason TEXT NOT NULL,
            review_id INTEGER,
            cycle_id INTEGER,
            status TEXT NOT NULL DEFAULT 'pending'
                CHECK (status IN ('pending', 'accepted', 'dismissed', 'completed')),
            created_at TEXT NOT NULL,
            decided_at TEXT,
            decided_by TEXT,
            decision_reason TEXT,
            assignment_id INTEGER REFERENCES training_assignments(id),
            UNIQUE (person_id, course_id, review_id)
        )
        """
    )
    db.execute(
        "INSERT INTO training_recommendations_new SELECT id, person_id, course_id, competency,"
        " reason, review_id, cycle_id, CASE WHEN status = 'dismissed' AND id IN (SELECT"
        " CAST(entity_id AS INTEGER) FROM events WHERE entity = 'training_recommendation'"
        " AND action = 'training.recommendation_settled') THEN 'completed' ELSE status END, created_at,"
        " decided_at, decided_by, decision_reason, assignment_id FROM training_recommendations"
    )
    db.execute("DROP TABLE training_recommendations")
    db.execute("ALTER TABLE training_recommendations_new RENAME TO training_recommendations")
    db.execute(
        "CREATE INDEX training_recommendations_cycle ON training_recommendations(cycle_id, status)"
    )


@migrations()
def m003_credentials(db: sqlite_utils.Database) -> None:
    db.execute(
        """
        CREATE TABLE training_credential_levels (
            id INTEGER PRIMARY KEY,
            person_id TEXT NOT NULL REFERENCES people(id),
            credential_id TEXT NOT NULL,
            level_id TEXT NOT NULL,
            earned_on TEXT NOT NULL,
            coach_id TEXT NOT NULL REFERENCES people(id),
            note TEXT NOT NULL DEFAULT '',
            evidence TEXT NOT NULL DEFAULT '[]',
            UNIQUE (person_id, credential_id, level_id)
        )
        """
    )
    db.execute(
        """
        CREATE TABLE training_coaches (
            id INTEGER PRIMARY KEY,
            coach_id TEXT NOT NULL REFERENCES people(id),
            person_id TEXT REFERENCES people(id),
            team TEXT,
            assigned_on TEXT NOT NULL,
            assigned_by TEXT,
            CHECK ((person_id IS NULL) != (team IS NULL))
        )
        """
    )
    db.execute(
        """
        CREATE TABLE training_coaching_sessions (
            id INTEGER PRIMARY KEY,
            coach_id TEXT NOT NULL REFERENCES people(id),
            person_id TEXT NOT NULL REFERENCES people(id),
            day TEXT NOT NULL,
            notes TEXT NOT NULL,
            next_steps TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL
        )
        """
    )


@migrations()
def m004_compliance_indexes(db: sqlite_utils.Database) -> None:
    # The team page's compliance counts look up each person's latest completion of a course
    # and any waiver of it: from these indexes alone, without reading the rows. Its overdue
    # list reads the open assignments past their due date by due date.
    db.execute(
        "CREATE INDEX IF NOT EXISTS training_completions_latest "
        "ON training_completions(person_id, course_id, completed_on, id, expires_on)"
    )
    db.execute(
        "CREATE INDEX IF NOT EXISTS training_assignments_waived "
        "ON training_assignments(person_id, course_id, status, waived_until)"
    )
    db.execute(
        "CREATE INDEX IF NOT EXISTS training_assignments_open_due ON training_assignments(due, "
        "person_id) WHERE status IN ('assigned', 'in_progress', 'overdue') "
        "AND completed_on IS NULL"
    )


COMPLIANT_THROUGH_SQL = """
    INSERT OR REPLACE INTO training_compliance (person_id, course_id, through)
    SELECT {row}.person_id, {row}.course_id, max(
        coalesce((SELECT max(coalesce(a.waived_until, '9999-12-31'))
                  FROM training_assignments AS a WHERE a.person_id = {row}.person_id
                  AND a.course_id = {row}.course_id AND a.status = 'waived'), ''),
        coalesce((SELECT coalesce(date(c.expires_on, '-1 day'), '9999-12-31')
                  FROM training_completions AS c WHERE c.person_id = {row}.person_id
                  AND c.course_id = {row}.course_id
                  ORDER BY c.completed_on DESC, c.id DESC LIMIT 1), ''))
"""
"""Work out again the last day on which ``{row}``'s person is compliant with its course:
through a waiver's last day (any day without one), or the day before their latest
completion expires (any day if it does not); '' when neither."""


@migrations()
def m005_compliant_through(db: sqlite_utils.Database) -> None:
    # Compliance follows the calendar: a person is compliant with a course on a day up to
    # the last day of a waiver or of their latest completion's validity. That day is kept
    # per person and course (the database works it out again, in the same transaction,
    # whenever a completion or an assignment of theirs is written or deleted), so the
    # team page compares it with today's date instead of looking both up for every cell:
    # a figure that cannot go stale at midnight.
    db.execute(
        """
        CREATE TABLE IF NOT EXISTS training_compliance (
            person_id TEXT NOT NULL,
            course_id TEXT NOT NULL,
            through TEXT NOT NULL,
            PRIMARY KEY (person_id, course_id)
        ) WITHOUT ROWID
        """
    )
    for table in ("training_completions", "training_assignments"):
        for event, rows in (("INSERT", ("NEW",)), ("UPDATE", ("OLD", "NEW")), ("DELETE", ("OLD",))):
            body = ";\n".join(COMPLIANT_THROUGH_SQL.format(row=row) for row in rows)
            db.execute(
                f"""
                CREATE TRIGGER IF NOT EXISTS [{table}_compliance_{event.lower()}]
                AFTER {event} ON [{table}]
                BEGIN
                    {body};
                END
                """
            )
    db.execute(
        "INSERT OR REPLACE INTO training_compliance (person_id, course_id, through) "
        "SELECT person_id, course_id, '' FROM (SELECT person_id, course_id FROM "
        "training_completions UNION SELECT person_id, course_id FROM training_assignments)"
    )
    db.execute(COMPLIANT_THROUGH_SQL.format(row="k") + " FROM training_compliance AS k")


@migrations()
def m006_compliance_by_course(db: sqlite_utils.Database) -> None:
    # The team page's totals count, course by course, the people whose stored last
    # compliant day (m005) is today or later: a range of this index per course, whatever
    # the number of people and courses without a record.
    db.execute(
        "CREATE INDEX IF NOT EXISTS training_compliance_course "
        "ON training_compliance(course_id, through)"
    )


@migrations()
def m007_coaches_by_person_and_team(db: sqlite_utils.Database) -> None:
    # A person's coaches are those named for them and those of their team: the packet, the
    # team summary and every sign-off look them up by person and by team, from these two
    # indexes, whatever the number of coaching assignments in the organization.
    db.execute(
        "CREATE INDEX IF NOT EXISTS training_coaches_person ON training_coaches(person_id, coach_id)"
    )
    db.execute(
        "CREATE INDEX IF NOT EXISTS training_coaches_team ON training_coaches(team, coach_id)"
    )
