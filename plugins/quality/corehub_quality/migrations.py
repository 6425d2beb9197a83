"""The quality plugin's tables: tickets, samples, grading tasks and grades."""

from __future__ import annotations

import sqlite_utils
from sqlite_utils.migrations import Migrations

migrations = Migrations("quality")


@migrations()
def m001_quality(db: sqlite_utils.Database) -> None:
    db.execute(
        """
        CREATE TABLE quality_tickets (
            id INTEGER PRIMARY KEY,
            source TEXT NOT NULL,
            ticket_id TEXT NOT NULL,
            agent_id TEXT NOT NULL REFERENCES people(id),
            subject TEXT NOT NULL DEFAULT '',
            requester TEXT NOT NULL DEFAULT '',
            channel TEXT NOT NULL DEFAULT '',
            status TEXT NOT NULL DEFAULT '',
            created_at TEXT,
            solved_at TEXT,
            day TEXT,
            rating TEXT NOT NULL DEFAULT '',
            rating_comment TEXT NOT NULL DEFAULT '',
            conversation TEXT NOT NULL DEFAULT '[]',
            imported_at TEXT NOT NULL,
            UNIQUE (source, ticket_id)
        )
        """
    )
    db.execute("CREATE INDEX quality_tickets_agent_day ON quality_tickets(agent_id, day)")
    db.execute(
        """
        CREATE TABLE quality_samples (
            id INTEGER PRIMARY KEY,
            period TEXT NOT NULL,
            strategy TEXT NOT NULL,
            per_agent INTEGER NOT NULL,
            seed INTEGER NOT NULL,
            created_at TEXT NOT NULL,
            created_by TEXT
        )
        """
    )
    db.execute(
        """
        CREATE TABLE quality_tasks (
            id INTEGER PRIMARY KEY,
            sample_id INTEGER NOT NULL REFERENCES quality_samples(id),
            ticket_row INTEGER NOT NULL UNIQUE REFERENCES quality_tickets(id),
            grader_id TEXT NOT NULL REFERENCES people(id),
            due TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'draft', 'submitted'))
        )
        """
    )
    db.execute("CREATE INDEX quality_tasks_grader ON quality_tasks(grader_id, status)")
    db.execute(
        """
        CREATE TABLE quality_grades (
            id INTEGER PRIMARY KEY,
            task_id INTEGER NOT NULL UNIQUE REFERENCES quality_tasks(id),
            ticket_row INTEGER NOT NULL REFERENCES quality_tickets(id),
            agent_id TEXT NOT NULL REFERENCES people(id),
            grader_id TEXT NOT NULL REFERENCES people(id),
            scorecard_id TEXT NOT NULL,
            scorecard_version INTEGER NOT NULL,
            scorecard TEXT NOT NULL,
            answers TEXT NOT NULL,
            comments TEXT NOT NULL DEFAULT '{}',
            score REAL,
            categories TEXT NOT NULL DEFAULT '{}',
            critical_failed INTEGER NOT NULL DEFAULT 0,
            failed_criteria TEXT NOT NULL DEFAULT '[]',
            status TEXT NOT NULL CHECK (status IN ('draft', 'submitted')),
            day TEXT,
            saved_at TEXT NOT NULL,
            submitted_at TEXT
        )
        """
    )
    db.execute("CREATE INDEX quality_grades_agent ON quality_grades(agent_id, status)")


@migrations()
def m002_disputes(db: sqlite_utils.Database) -> None:
    db.execute("ALTER TABLE quality_grades ADD COLUMN acknowledged_at TEXT")
    db.execute(
        """
        CREATE TABLE quality_disputes (
            id INTEGER PRIMARY KEY,
            grade_id INTEGER NOT NULL REFERENCES quality_grades(id),
            agent_id TEXT NOT NULL REFERENCES people(id),
            reason TEXT NOT NULL,
            opened_at TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'upheld', 'changed')),
            resolver_id TEXT,
            answer TEXT,
            score_before REAL,
            score_after REAL,
            resolved_at TEXT
        )
        """
    )
    db.execute(
        "CREATE UNIQUE INDEX quality_disputes_one_open ON quality_disputes(grade_id) "
        "WHERE status = 'open'"
    )


@migrations()
def m003_calibration(db: sqlite_utils.Database) -> None:
    db.execute(
        """
        CREATE TABLE quality_calibrations (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
            graders TEXT NOT NULL,
            created_at TEXT NOT NULL,
            closed_at TEXT
        )
        """
    )
    db.execute(
        """
        CREATE TABLE quality_calibration_tickets (
            calibration_id INTEGER NOT NULL REFERENCES quality_calibrations(id),
            ticket_row INTEGER NOT NULL REFERENCES quality_tickets(id),
            scorecard TEXT NOT NULL,
            PRIMARY KEY (calibration_id, ticket_row)
        )
        """
    )
    db.execute(
        """
        CREATE TABLE quality_calibration_grades (
            calibration_id INTEGER NOT NULL REFERENCES quality_calibrations(id),
            ticket_row INTEGER NOT NULL REFERENCES quality_tickets(id),
            grader_id TEXT NOT NULL REFERENCES people(id),
            answers TEXT NOT NULL,
            comments TEXT NOT NULL DEFAULT '{}',
            status TEXT NOT NULL CHECK (status IN ('draft', 'submitted')),
            saved_at TEXT NOT NULL,
            PRIMARY KEY (calibration_id, ticket_row, grader_id)
        )
        """
    )


@migrations()
def m004_articles(db: sqlite_utils.Database) -> None:
    db.execute(
        """
        CREATE TABLE quality_articles (
            id INTEGER PRIMARY KEY,
            source TEXT NOT NULL,
            article_id TEXT NOT NULL,
            title TEXT NOT NULL,
            author_id TEXT NOT NULL REFERENCES people(id),
            state TEXT NOT NULL CHECK (state IN ('draft', 'published', 'archived')),
            locale TEXT NOT NULL DEFAULT '',
            labels TEXT NOT NULL DEFAULT '',
            created_at TEXT,
            updated_at TEXT,
            reuse INTEGER NOT NULL DEFAULT 0,
            imported_at TEXT NOT NULL,
            UNIQUE (source, article_id)
        )
        """
    )
    db.execute("CREATE INDEX quality_articles_author ON quality_articles(author_id)")
    db.execute(
        """
        CREATE TABLE quality_article_checks (
            id INTEGER PRIMARY KEY,
            article_row INTEGER NOT NULL UNIQUE REFERENCES quality_articles(id),
            author_id TEXT NOT NULL REFERENCES people(id),
            coach_id TEXT NOT NULL REFERENCES people(id),
            period TEXT NOT NULL,
            seed INTEGER NOT NULL,
            due TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'submitted')),
            scorecard TEXT,
            answers TEXT NOT NULL DEFAULT '{}',
            comments TEXT NOT NULL DEFAULT '{}',
            score REAL,
            critical_failed INTEGER NOT NULL DEFAULT 0,
            day TEXT,
            submitted_at TEXT
        )
        """
    )
    db.execute("CREATE INDEX quality_article_checks_author ON quality_article_checks(author_id)")


@migrations()
def m005_ticket_article_links(db: sqlite_utils.Database) -> None:
    # The knowledge articles a ticket was solved with, from the ticket export's link
    # column: one row per (ticket, link). A link is kept as the export wrote it and as
    # the (source, article id) it names, so it counts once the article is imported, in
    # whichever order the two exports arrive.
    db.execute("ALTER TABLE quality_tickets ADD COLUMN links TEXT NOT NULL DEFAULT '[]'")
    db.execute(
        """
        CREATE TABLE quality_ticket_links (
            ticket_row INTEGER NOT NULL REFERENCES quality_tickets(id),
            link TEXT NOT NULL,
            source TEXT,
            article_id TEXT NOT NULL,
            PRIMARY KEY (ticket_row, link)
        )
        """
    )
    db.execute("CREATE INDEX quality_ticket_links_article ON quality_ticket_links(article_id)")


@migrations()
def m006_grades_newest_first(db: sqlite_utils.Database) -> None:
    # The Quality page lists submitted grades newest first, a page at a time: read in the
    # order of this index, it stops at the page's last row instead of sorting every grade;
    # each row's latest dispute is found by its grade.
    db.execute(
        "CREATE INDEX IF NOT EXISTS quality_grades_newest ON quality_grades(status, day, id)"
    )
    db.execute(
        "CREATE INDEX IF NOT EXISTS quality_disputes_grade ON quality_disputes(grade_id, id)"
    )


@migrations()
def m007_article_checks_by_coach(db: sqlite_utils.Database) -> None:
    # The Quality page lists a coach's open article checks, soonest due first: found by the
    # coach and read in due order, however many checks the organization has.
    db.execute(
        "CREATE INDEX IF NOT EXISTS quality_article_checks_coach "
        "ON quality_article_checks(coach_id, status, due, id)"
    )


@migrations()
def m008_articles_by_id(db: sqlite_utils.Database) -> None:
    # A ticket export names articles by their id (with or without the knowledge base's
    # name): the import looks up only the ids it names, and linked tickets find their
    # article, through this index rather than a read of every article.
    db.execute(
        "CREATE INDEX IF NOT EXISTS quality_articles_article_id ON quality_articles(article_id)"
    )
