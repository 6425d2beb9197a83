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


COMPLIANCE_ROWS = "training_compliance_rows"
COMPLIANCE_COUNTS = "training_compliance_counts"
RECORDED_COUNTS = "training_recorded_counts"
PEOPLE_COUNTS = "training_people_counts"
HIRE_COUNTS = "training_hire_counts"
COMPLIANCE_ROW_SQL = """
    INSERT INTO [training_compliance_rows]
        (person_id, course_id, level, role, hire_date, recorded, through)
    SELECT k.person_id, k.course_id, s.level, s.role, coalesce(s.hire_date, ''),
           EXISTS (SELECT 1 FROM training_assignments AS a
                   WHERE a.person_id = k.person_id AND a.course_id = k.course_id)
           OR EXISTS (SELECT 1 FROM training_completions AS c
                      WHERE c.person_id = k.person_id AND c.course_id = k.course_id),
           k.through
    FROM training_compliance AS k JOIN people AS s ON s.id = k.person_id
    WHERE s.active = 1 AND {where}
"""
"""The counted row of each stored last day (m005) of an active person that ``{where}``
selects (``k``: the stored day, ``s``: the person)."""
_COMPLIANCE_TRIGGERS = (
    "counted",
    "uncounted",
    "day_added",
    "day_changed",
    "day_deleted",
    "person_added",
    "person_changed",
    "person_deleted",
)


def _rows_refreshed(person: str, course: str | None = None) -> str:
    """Count again the stored days of ``person`` (of ``course`` only, when given)."""
    rows = f"person_id = {person}" + (f" AND course_id = {course}" if course else "")
    days = f"k.person_id = {person}" + (f" AND k.course_id = {course}" if course else "")
    return (
        f"DELETE FROM [{COMPLIANCE_ROWS}] WHERE {rows};"
        + COMPLIANCE_ROW_SQL.format(where=days)
        + ";"
    )


def _counted(table: str, key: dict[str, str], change: str, when: str = "true") -> str:
    """Add ``change`` (1 or -1) to the count of ``table`` at ``key`` (column -> value) when
    ``when``; a count that reaches zero is deleted."""
    columns = ", ".join(key)
    match = " AND ".join(f"{column} = ({value})" for column, value in key.items())
    if change == "1":
        return (
            f"INSERT INTO [{table}] ({columns}, n) SELECT {', '.join(key.values())}, 1 "
            f"WHERE {when} ON CONFLICT ({columns}) DO UPDATE SET n = n + 1;"
        )
    return (
        f"UPDATE [{table}] SET n = n - 1 WHERE {match} AND {when};"
        f"DELETE FROM [{table}] WHERE {match} AND n = 0 AND {when};"
    )


def _person_counted(row: str, change: str) -> str:
    hire_date = f"coalesce({row}.hire_date, '')"
    level_role = {"level": f"{row}.level", "role": f"{row}.role"}
    return _counted(
        PEOPLE_COUNTS, level_role | {"hired": f"{hire_date} != ''"}, change, f"{row}.active = 1"
    ) + _counted(
        HIRE_COUNTS,
        {"hire_date": hire_date} | level_role,
        change,
        f"{row}.active = 1 AND {hire_date} != ''",
    )


def _row_counted(row: str, change: str) -> str:
    return _counted(
        COMPLIANCE_COUNTS,
        {
            "course_id": f"{row}.course_id",
            "level": f"{row}.level",
            "role": f"{row}.role",
            "hired": f"{row}.hire_date != ''",
            "recorded": f"{row}.recorded",
            "through": f"{row}.through",
        },
        change,
    ) + _counted(
        RECORDED_COUNTS,
        {
            "course_id": f"{row}.course_id",
            "hire_date": f"{row}.hire_date",
            "level": f"{row}.level",
            "role": f"{row}.role",
        },
        change,
        f"{row}.recorded AND {row}.hire_date != ''",
    )


@migrations()
def m008_compliance_counts(db: sqlite_utils.Database) -> None:
    # HR's team page totals each course over the whole organization. Those totals are
    # read from counts the database keeps, in the same transaction as every write they
    # depend on (a completion, an assignment or a waiver written or deleted, which
    # rewrites the stored last day of m005; a person joining, leaving, changing level,
    # role or hire date, or deleted), of active people only:
    # - people by level, role and whether they have a hire date; and by hire date;
    # - stored last days by course, level, role, hire date or not, course on record or
    #   not (an assignment or a completion of it) and the day itself; and those on record
    #   by course and hire date.
    # Whether a day is today or later and whether a hire is recent are decided when the
    # page is read, and the rules are applied then too (the catalogue is in files, not
    # here): changing a course file or a setting needs no recount. One row per stored day
    # of an active person keeps what it is counted under. Run again, it starts afresh.
    for name in _COMPLIANCE_TRIGGERS:
        db.execute(f"DROP TRIGGER IF EXISTS [{COMPLIANCE_ROWS}_{name}]")
    for table in (COMPLIANCE_ROWS, COMPLIANCE_COUNTS, RECORDED_COUNTS, PEOPLE_COUNTS, HIRE_COUNTS):
        db.execute(f"DROP TABLE IF EXISTS [{table}]")
    tables = {
        COMPLIANCE_ROWS: (
            "person_id TEXT NOT NULL, course_id TEXT NOT NULL, level TEXT NOT NULL, "
            "role TEXT NOT NULL, hire_date TEXT NOT NULL, recorded INTEGER NOT NULL, "
            "through TEXT NOT NULL",
            "person_id, course_id",
        ),
        COMPLIANCE_COUNTS: (
            "course_id TEXT NOT NULL, level TEXT NOT NULL, role TEXT NOT NULL, "
            "hired INTEGER NOT NULL, recorded INTEGER NOT NULL, through TEXT NOT NULL, "
            "n INTEGER NOT NULL",
            "course_id, level, role, hired, recorded, through",
        ),
        RECORDED_COUNTS: (
            "course_id TEXT NOT NULL, hire_date TEXT NOT NULL, level TEXT NOT NULL, "
            "role TEXT NOT NULL, n INTEGER NOT NULL",
            "course_id, hire_date, level, role",
        ),
        PEOPLE_COUNTS: (
            "level TEXT NOT NULL, role TEXT NOT NULL, hired INTEGER NOT NULL, n INTEGER NOT NULL",
            "level, role, hired",
        ),
        HIRE_COUNTS: (
            "hire_date TEXT NOT NULL, level TEXT NOT NULL, role TEXT NOT NULL, n INTEGER NOT NULL",
            "hire_date, level, role",
        ),
    }
    for table, (columns, key) in tables.items():
        db.execute(f"CREATE TABLE [{table}] ({columns}, PRIMARY KEY ({key})) WITHOUT ROWID")
    rows = f"[{COMPLIANCE_ROWS}]"
    triggers = [
        # the counts follow the rows
        ("counted", f"AFTER INSERT ON {rows}", _row_counted("NEW", "1")),
        ("uncounted", f"AFTER DELETE ON {rows}", _row_counted("OLD", "-1")),
        # the rows follow the stored days (rewritten whenever a completion or an
        # assignment is written or deleted) and the people
        (
            "day_added",
            "AFTER INSERT ON training_compliance",
            _rows_refreshed("NEW.person_id", "NEW.course_id"),
        ),
        (
            "day_changed",
            "AFTER UPDATE ON training_compliance",
            _rows_refreshed("OLD.person_id", "OLD.course_id")
            + _rows_refreshed("NEW.person_id", "NEW.course_id"),
        ),
        (
            "day_deleted",
            "AFTER DELETE ON training_compliance",
            f"DELETE FROM {rows} WHERE person_id = OLD.person_id AND course_id = OLD.course_id;",
        ),
        (
            "person_added",
            "AFTER INSERT ON people",
            _person_counted("NEW", "1") + _rows_refreshed("NEW.id"),
        ),
        (
            "person_changed",
            "AFTER UPDATE OF id, level, role, hire_date, active ON people "
            "WHEN OLD.id IS NOT NEW.id OR OLD.level IS NOT NEW.level "
            "OR OLD.role IS NOT NEW.role OR OLD.hire_date IS NOT NEW.hire_date "
            "OR OLD.active IS NOT NEW.active",
            _person_counted("OLD", "-1")
            + _person_counted("NEW", "1")
            + _rows_refreshed("OLD.id")
            + _rows_refreshed("NEW.id"),
        ),
        (
            "person_deleted",
            "AFTER DELETE ON people",
            _person_counted("OLD", "-1") + _rows_refreshed("OLD.id"),
        ),
    ]
    assert [name for name, _, _ in triggers] == list(_COMPLIANCE_TRIGGERS)
    # the people and stored days there are already
    db.execute(COMPLIANCE_ROW_SQL.format(where="true"))
    db.execute(
        f"INSERT INTO [{COMPLIANCE_COUNTS}] (course_id, level, role, hired, recorded, through, n) "
        f"SELECT course_id, level, role, hire_date != '', recorded, through, count(*) FROM {rows} "
        "GROUP BY 1, 2, 3, 4, 5, 6"
    )
    db.execute(
        f"INSERT INTO [{RECORDED_COUNTS}] (course_id, hire_date, level, role, n) "
        f"SELECT course_id, hire_date, level, role, count(*) FROM {rows} "
        "WHERE recorded AND hire_date != '' GROUP BY 1, 2, 3, 4"
    )
    db.execute(
        f"INSERT INTO [{PEOPLE_COUNTS}] (level, role, hired, n) SELECT level, role, "
        "coalesce(hire_date, '') != '', count(*) FROM people WHERE active = 1 GROUP BY 1, 2, 3"
    )
    db.execute(
        f"INSERT INTO [{HIRE_COUNTS}] (hire_date, level, role, n) SELECT hire_date, level, "
        "role, count(*) FROM people WHERE active = 1 AND coalesce(hire_date, '') != '' "
        "GROUP BY 1, 2, 3"
    )
    for name, event, body in triggers:
        db.execute(f"CREATE TRIGGER [{COMPLIANCE_ROWS}_{name}] {event} BEGIN {body} END")
