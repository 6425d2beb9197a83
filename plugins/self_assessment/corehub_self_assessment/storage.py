"""The plugin's tables: one row per review (with its form copy), and comments on reviews."""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

import attrs
import sqlite_utils
from sqlite_utils.migrations import Migrations

from corehub.loaders import FOLD_NAME_SQL, FROZEN_PREFIX, freeze_with_cycle, loads
from corehub.models import Form, Review, ReviewKind, ReviewStatus, converter

REVIEWS = "self_assessment_reviews"
COMMENTS = "self_assessment_comments"
SESSIONS = "self_assessment_calibration_sessions"
ADJUSTMENTS = "self_assessment_calibrations"

migrations = Migrations("self_assessment")


@migrations()
def m001_reviews_and_comments(db: sqlite_utils.Database) -> None:
    db.execute(
        f"""
        CREATE TABLE [{REVIEWS}] (
            id INTEGER PRIMARY KEY,
            cycle_id INTEGER NOT NULL REFERENCES cycles(id),
            kind TEXT NOT NULL CHECK (kind IN ('self', 'manager')),
            subject_id TEXT NOT NULL REFERENCES people(id),
            author_id TEXT NOT NULL REFERENCES people(id),
            form_id TEXT NOT NULL,
            form TEXT NOT NULL,
            answers TEXT NOT NULL DEFAULT '{{}}',
            private_note TEXT NOT NULL DEFAULT '',
            status TEXT NOT NULL DEFAULT 'draft'
                CHECK (status IN ('draft', 'submitted', 'released', 'acknowledged')),
            score TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT,
            submitted_at TEXT,
            released_at TEXT,
            acknowledged_at TEXT,
            UNIQUE (cycle_id, kind, subject_id)
        )
        """
    )
    db.execute(f"CREATE INDEX [{REVIEWS}_author] ON [{REVIEWS}](author_id, status)")
    db.execute(f"CREATE INDEX [{REVIEWS}_subject] ON [{REVIEWS}](subject_id)")
    # A review that is no longer a draft keeps its answers: the only way back is a reopen,
    # which sets the status to draft first (and leaves an audit event).
    db.execute(
        f"""
        CREATE TRIGGER [{REVIEWS}_submitted_is_final]
        BEFORE UPDATE OF answers, private_note, form ON [{REVIEWS}]
        WHEN OLD.status != 'draft'
        BEGIN
            SELECT RAISE(ABORT, '{FROZEN_PREFIX}a submitted review cannot be edited; reopen it first');
        END
        """
    )
    db.execute(
        f"""
        CREATE TABLE [{COMMENTS}] (
            id INTEGER PRIMARY KEY,
            review_id INTEGER NOT NULL REFERENCES [{REVIEWS}](id),
            cycle_id INTEGER NOT NULL REFERENCES cycles(id),
            author_id TEXT NOT NULL REFERENCES people(id),
            text TEXT NOT NULL,
            created_at TEXT NOT NULL
        )
        """
    )
    db.execute(f"CREATE INDEX [{COMMENTS}_review] ON [{COMMENTS}](review_id)")
    for table in (REVIEWS, COMMENTS):
        freeze_with_cycle(db, table)


@migrations()
def m002_review_version(db: sqlite_utils.Database) -> None:
    # Counts saves of a draft, so two browsers saving the same draft cannot overwrite
    # each other unknowingly (see reviews.save_draft's expected_version).
    db.execute(f"ALTER TABLE [{REVIEWS}] ADD COLUMN version INTEGER NOT NULL DEFAULT 0")


@migrations()
def m003_score_source(db: sqlite_utils.Database) -> None:
    # What produced a submitted review's stored score (the scoring plugin and its version,
    # the form and its version, when): reading never recomputes a given score.
    db.execute(f"ALTER TABLE [{REVIEWS}] ADD COLUMN score_source TEXT")


@migrations()
def m004_calibration(db: sqlite_utils.Database) -> None:
    # Calibration sessions over a scope of a cycle, and each adjustment of a rating:
    # the rating before, the calibrated one, who, when and why (never edited).
    db.execute(
        f"""
        CREATE TABLE [{SESSIONS}] (
            id INTEGER PRIMARY KEY,
            cycle_id INTEGER NOT NULL REFERENCES cycles(id),
            scope TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('open', 'closed')),
            opened_by TEXT NOT NULL,
            opened_at TEXT NOT NULL,
            closed_by TEXT,
            closed_at TEXT
        )
        """
    )
    db.execute(
        f"CREATE UNIQUE INDEX [{SESSIONS}_one_open] ON [{SESSIONS}](cycle_id, scope) "
        "WHERE status = 'open'"
    )
    db.execute(
        f"""
        CREATE TABLE [{ADJUSTMENTS}] (
            id INTEGER PRIMARY KEY,
            session_id INTEGER NOT NULL REFERENCES [{SESSIONS}](id),
            cycle_id INTEGER NOT NULL REFERENCES cycles(id),
            review_id INTEGER NOT NULL REFERENCES [{REVIEWS}](id),
            subject_id TEXT NOT NULL,
            what TEXT NOT NULL,
            original REAL,
            calibrated REAL NOT NULL,
            by TEXT NOT NULL,
            at TEXT NOT NULL,
            reason TEXT NOT NULL CHECK (length(trim(reason)) > 0)
        )
        """
    )
    db.execute(f"CREATE INDEX [{ADJUSTMENTS}_review] ON [{ADJUSTMENTS}](review_id)")
    db.execute(
        f"""
        CREATE TRIGGER [{ADJUSTMENTS}_kept] BEFORE UPDATE ON [{ADJUSTMENTS}]
        BEGIN
            SELECT RAISE(ABORT, '{FROZEN_PREFIX}a calibration is kept as made; adjust again instead');
        END
        """
    )
    for table in (SESSIONS, ADJUSTMENTS):
        freeze_with_cycle(db, table)


@attrs.frozen(kw_only=True)
class StoredReview:
    """A review with what only this plugin keeps beside it (never handed out unchecked)."""

    review: Review
    private_note: str = ""
    acknowledged_at: dt.datetime | None = None
    updated_at: dt.datetime | None = None
    score: dict[str, Any] | None = None
    version: int = 0
    """How many times the draft was saved."""
    score_source: dict[str, Any] | None = None
    """What produced ``score``: ``plugin``, ``plugin_version``, ``form``, ``form_version``,
    ``scored_at``. None for a draft (and for scores stored before corehub kept it)."""


@attrs.frozen(kw_only=True)
class Comment:
    id: int
    review_id: int
    author_id: str
    text: str
    created_at: dt.datetime


@migrations()
def m005_scores_by_cycle(db: sqlite_utils.Database) -> None:
    # The calibration view reads every submitted review's score in a cycle: from this
    # index alone, never from rows that carry a whole form copy each.
    db.execute(
        f"CREATE INDEX IF NOT EXISTS [{REVIEWS}_scores] ON [{REVIEWS}]"
        "(cycle_id, status, subject_id, kind, author_id, score)"
    )


OVERALL_SQL = (
    "CASE WHEN json_valid({row}.score) THEN CAST(json_extract({row}.score, '$.overall') "
    "AS REAL) END"
)
"""A review's overall rating as stored in its score (NULL without a valid score)."""


@migrations()
def m006_overall_by_cycle(db: sqlite_utils.Database) -> None:
    # The calibration view counts, averages and pages a cycle's overall ratings: each is
    # kept in a column beside its score (kept in step by the database on every insert and
    # every change of the score, in the same transaction), and read from an index in the
    # order the view looks reviews up (a cycle's manager reviews; one person's self-review).
    db.execute(f"ALTER TABLE [{REVIEWS}] ADD COLUMN overall REAL")
    # filling the column in changes no rating: closed cycles' rows are written too
    db.execute(f"DROP TRIGGER IF EXISTS [{REVIEWS}_frozen_update]")
    db.execute(f"UPDATE [{REVIEWS}] SET overall = {OVERALL_SQL.format(row=REVIEWS)}")
    freeze_with_cycle(db, REVIEWS)
    for name, event in (("insert", "INSERT"), ("score", "UPDATE OF score")):
        db.execute(
            f"""
            CREATE TRIGGER IF NOT EXISTS [{REVIEWS}_overall_{name}]
            AFTER {event} ON [{REVIEWS}]
            BEGIN
                UPDATE [{REVIEWS}] SET overall = {OVERALL_SQL.format(row="NEW")}
                WHERE id = NEW.id;
            END
            """
        )
    db.execute(
        f"CREATE INDEX IF NOT EXISTS [{REVIEWS}_overall] ON [{REVIEWS}]"
        "(cycle_id, kind, subject_id, status, author_id, overall)"
    )


def _when(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


@functools.lru_cache(maxsize=64)
def form_from_json(text: str) -> Form:
    """The form a review keeps (its JSON copy taken when the cycle opened). Cached: a cycle
    has a few forms shared by every review, and a Form is immutable."""
    return converter.structure(loads(text), Form)


def to_stored(row: dict[str, Any]) -> StoredReview:
    review = Review(
        id=row["id"],
        cycle_id=row["cycle_id"],
        kind=ReviewKind(row["kind"]),
        subject_id=row["subject_id"],
        author_id=row["author_id"],
        form=form_from_json(row["form"]),
        answers=loads(row["answers"]) or {},
        status=ReviewStatus(row["status"]),
        submitted_at=_when(row["submitted_at"]),
        released_at=_when(row["released_at"]),
    )
    return StoredReview(
        review=review,
        private_note=row["private_note"] or "",
        acknowledged_at=_when(row["acknowledged_at"]),
        updated_at=_when(row["updated_at"]),
        score=loads(row["score"]),
        version=int(row.get("version") or 0),
        score_source=loads(row.get("score_source")),
    )


def to_comment(row: dict[str, Any]) -> Comment:
    return Comment(
        id=row["id"],
        review_id=row["review_id"],
        author_id=row["author_id"],
        text=row["text"],
        created_at=dt.datetime.fromisoformat(row["created_at"]),
    )


CALIBRATION_ROWS = "self_assessment_calibration_rows"
CALIBRATION_COUNTS = "self_assessment_calibration_counts"

CALIBRATION_ROW_SQL = f"""
    SELECT r.id, r.cycle_id, r.subject_id, coalesce(r.author_id, ''), p.team, p.level,
           {OVERALL_SQL.format(row="r")},
           coalesce((SELECT a.calibrated FROM [{ADJUSTMENTS}] AS a WHERE a.review_id = r.id
                     AND a.what = 'overall' ORDER BY a.id DESC LIMIT 1),
                    {OVERALL_SQL.format(row="r")}),
           (SELECT {OVERALL_SQL.format(row="o")} FROM [{REVIEWS}] AS o
            WHERE o.cycle_id = r.cycle_id AND o.kind = 'self' AND o.subject_id = r.subject_id
            AND o.status != 'draft'),
           EXISTS (SELECT 1 FROM [{ADJUSTMENTS}] AS a WHERE a.review_id = r.id)
    FROM [{REVIEWS}] AS r JOIN people AS p ON p.id = r.subject_id
    WHERE r.kind = 'manager' AND r.status != 'draft'
    AND EXISTS (SELECT 1 FROM cycle_members AS m WHERE m.cycle_id = r.cycle_id
                AND m.person_id = r.subject_id)
    AND {{where}}
"""
"""One submitted manager review of a cycle's member as the calibration view reads it,
worked out from scratch: its author, the person's team and level today, the overall
rating given, the overall rating as calibrated so far (the latest adjustment, else the
given one), the person's own overall rating when their self-assessment is submitted, and
whether any of its ratings was adjusted. ``{where}`` picks the reviews."""

_ROW_COLUMNS = (
    "review_id, cycle_id, subject_id, author, team, level, given, overall, self, adjusted"
)


def _refresh(where: str, *, cycle: str | None, subject: str) -> str:
    """The statements of a trigger that work the calibration rows of ``subject`` (in
    ``cycle``, or every cycle when None) out again from scratch."""
    in_cycle = f" AND cycle_id = {cycle}" if cycle else ""
    return f"""
        DELETE FROM [{CALIBRATION_ROWS}] WHERE subject_id = {subject}{in_cycle};
        INSERT INTO [{CALIBRATION_ROWS}] ({_ROW_COLUMNS})
        {CALIBRATION_ROW_SQL.format(where=where)};
    """


def _counted(row: str, step: str) -> str:
    """The statements of a trigger that count ``row`` of the calibration rows in (``step``
    +1) or out (-1) of its cycle's counts: in the whole cycle, its team's and its level's
    scope, how many reviews, each overall rating (as calibrated), each author, and each
    team with a self-vs-manager gap."""
    keys = f"""
        SELECT s.scope, k.what, k.key
        FROM (SELECT 'all' AS scope UNION ALL SELECT 'team:' || {row}.team
              UNION ALL SELECT 'level:' || {row}.level) AS s
        CROSS JOIN (SELECT 'reviews' AS what, '' AS key UNION ALL SELECT 'value', {row}.overall
              UNION ALL SELECT 'author', {row}.author
              UNION ALL SELECT 'team', CASE WHEN {row}.overall IS NOT NULL
                  AND {row}.self IS NOT NULL THEN coalesce(nullif({row}.team, ''), '-') END) AS k
        WHERE k.key IS NOT NULL
    """
    # Each statement finds its counts by their whole key, which costs the same whatever
    # the organization's size. (A row-value ``IN`` over the keys is searched by the cycle
    # alone: every count of the cycle was read for every review written, quadratic in
    # bulk: hours at 100,000 people.) A count that reaches zero goes: the only counts at
    # zero are the ones just counted out, so deleting the zeros among every combination
    # of this row's scopes, kinds and keys deletes exactly those.
    if step == "+1":
        return f"""
            INSERT INTO [{CALIBRATION_COUNTS}] (cycle_id, scope, what, key, n)
            SELECT {row}.cycle_id, scope, what, key, 1 FROM ({keys}) WHERE true
            ON CONFLICT (cycle_id, scope, what, key) DO UPDATE SET n = n + 1;
        """
    return f"""
        INSERT INTO [{CALIBRATION_COUNTS}] (cycle_id, scope, what, key, n)
        SELECT {row}.cycle_id, scope, what, key, 0 FROM ({keys}) WHERE true
        ON CONFLICT (cycle_id, scope, what, key) DO UPDATE SET n = n - 1;
        DELETE FROM [{CALIBRATION_COUNTS}]
        WHERE cycle_id = {row}.cycle_id
        AND scope IN ('all', 'team:' || {row}.team, 'level:' || {row}.level)
        AND what IN ('reviews', 'value', 'author', 'team')
        AND key IN ('', {row}.overall, {row}.author, coalesce(nullif({row}.team, ''), '-'))
        AND n <= 0;
    """


def _count_triggers() -> list[tuple[str, str, str]]:
    """The triggers (name, event, body) that keep the calibration counts in step with the
    calibration rows."""
    return [
        ("counted", f"AFTER INSERT ON [{CALIBRATION_ROWS}]", _counted("NEW", "+1")),
        ("uncounted", f"AFTER DELETE ON [{CALIBRATION_ROWS}]", _counted("OLD", "-1")),
        (
            "recounted",
            f"AFTER UPDATE ON [{CALIBRATION_ROWS}]",
            _counted("OLD", "-1") + _counted("NEW", "+1"),
        ),
    ]


@migrations()
def m007_calibration_counts(db: sqlite_utils.Database) -> None:
    # The calibration page shows a page of managers, teams and people at the edges and a
    # few totals: it reads them from one row per submitted manager review (as the view
    # computes it) and from the counts of those rows per scope (reviews, each overall
    # rating, each author, each team with a gap), both kept in step by the database in
    # the same transaction as every write they depend on: a review written, submitted,
    # reopened or deleted, a self-assessment submitted or reopened, an adjustment, a
    # person moving team or level, a cycle's members. Never frozen: a closed cycle's
    # view follows today's teams, as it did when it was worked out on every request.
    db.execute(
        f"""
        CREATE TABLE [{CALIBRATION_ROWS}] (
            review_id INTEGER PRIMARY KEY,
            cycle_id INTEGER NOT NULL,
            subject_id TEXT NOT NULL,
            author TEXT NOT NULL,
            team TEXT,
            level TEXT,
            given REAL,
            overall REAL,
            self REAL,
            adjusted INTEGER NOT NULL
        )
        """
    )
    for name, columns in (
        ("subject", "subject_id, cycle_id"),
        ("cycle", "cycle_id"),
        ("author", "cycle_id, author, overall, team, level"),
        ("team", "cycle_id, team, overall, self, level"),
        ("level", "cycle_id, level"),
        ("overall", "cycle_id, overall, team, level"),
    ):
        unique = "UNIQUE " if name == "subject" else ""
        db.execute(
            f"CREATE {unique}INDEX [{CALIBRATION_ROWS}_{name}] ON [{CALIBRATION_ROWS}]({columns})"
        )
    db.execute(
        f"""
        CREATE TABLE [{CALIBRATION_COUNTS}] (
            cycle_id INTEGER NOT NULL,
            scope TEXT NOT NULL,
            what TEXT NOT NULL,
            key NOT NULL,
            n INTEGER NOT NULL,
            PRIMARY KEY (cycle_id, scope, what, key)
        ) WITHOUT ROWID
        """
    )
    review = f"(SELECT {{}} FROM [{REVIEWS}] WHERE id = {{}}.review_id)"
    triggers = [
        # the counts follow the rows (which are only ever deleted and inserted)
        *_count_triggers(),
        # the rows follow what they are worked out from (a row is there only while its
        # review is submitted: where there is none, nothing needs working out)
        (
            "review_written",
            f"AFTER INSERT ON [{REVIEWS}] WHEN NEW.status != 'draft'",
            _refresh(
                "r.cycle_id = NEW.cycle_id AND r.subject_id = NEW.subject_id",
                cycle="NEW.cycle_id",
                subject="NEW.subject_id",
            ),
        ),
        (
            "review_changed",
            f"AFTER UPDATE OF status, score, kind, subject_id, author_id, cycle_id "
            f"ON [{REVIEWS}] WHEN NEW.status != 'draft' OR OLD.status != 'draft'",
            _refresh(
                "r.cycle_id = OLD.cycle_id AND r.subject_id = OLD.subject_id",
                cycle="OLD.cycle_id",
                subject="OLD.subject_id",
            )
            + _refresh(
                "r.cycle_id = NEW.cycle_id AND r.subject_id = NEW.subject_id",
                cycle="NEW.cycle_id",
                subject="NEW.subject_id",
            ),
        ),
        (
            "review_deleted",
            f"AFTER DELETE ON [{REVIEWS}]",
            _refresh(
                "r.cycle_id = OLD.cycle_id AND r.subject_id = OLD.subject_id",
                cycle="OLD.cycle_id",
                subject="OLD.subject_id",
            ),
        ),
        (
            "adjusted",
            f"AFTER INSERT ON [{ADJUSTMENTS}]",
            _refresh(
                "r.id = NEW.review_id",
                cycle=review.format("cycle_id", "NEW"),
                subject=review.format("subject_id", "NEW"),
            ),
        ),
        (
            "unadjusted",
            f"AFTER DELETE ON [{ADJUSTMENTS}]",
            _refresh(
                "r.id = OLD.review_id",
                cycle=review.format("cycle_id", "OLD"),
                subject=review.format("subject_id", "OLD"),
            ),
        ),
        (
            "person_moved",
            "AFTER UPDATE OF team, level, id ON people WHEN OLD.team IS NOT NEW.team "
            "OR OLD.level IS NOT NEW.level OR OLD.id IS NOT NEW.id",
            _refresh("r.subject_id = OLD.id", cycle=None, subject="OLD.id")
            + _refresh("r.subject_id = NEW.id", cycle=None, subject="NEW.id"),
        ),
        (
            "person_added",
            f"AFTER INSERT ON people WHEN EXISTS (SELECT 1 FROM [{REVIEWS}] "
            "WHERE subject_id = NEW.id)",
            _refresh("r.subject_id = NEW.id", cycle=None, subject="NEW.id"),
        ),
        (
            "person_deleted",
            "AFTER DELETE ON people",
            _refresh("r.subject_id = OLD.id", cycle=None, subject="OLD.id"),
        ),
        (
            "member_added",
            f"AFTER INSERT ON cycle_members WHEN EXISTS (SELECT 1 FROM [{REVIEWS}] "
            "WHERE cycle_id = NEW.cycle_id AND kind = 'manager' AND subject_id = NEW.person_id "
            "AND status != 'draft')",
            _refresh(
                "r.cycle_id = NEW.cycle_id AND r.subject_id = NEW.person_id",
                cycle="NEW.cycle_id",
                subject="NEW.person_id",
            ),
        ),
        (
            "member_changed",
            "AFTER UPDATE OF cycle_id, person_id ON cycle_members",
            _refresh(
                "r.cycle_id = OLD.cycle_id AND r.subject_id = OLD.person_id",
                cycle="OLD.cycle_id",
                subject="OLD.person_id",
            )
            + _refresh(
                "r.cycle_id = NEW.cycle_id AND r.subject_id = NEW.person_id",
                cycle="NEW.cycle_id",
                subject="NEW.person_id",
            ),
        ),
        (
            "member_removed",
            f"AFTER DELETE ON cycle_members WHEN EXISTS (SELECT 1 FROM [{CALIBRATION_ROWS}] "
            "WHERE subject_id = OLD.person_id AND cycle_id = OLD.cycle_id)",
            _refresh(
                "r.cycle_id = OLD.cycle_id AND r.subject_id = OLD.person_id",
                cycle="OLD.cycle_id",
                subject="OLD.person_id",
            ),
        ),
    ]
    for name, event, body in triggers:
        db.execute(f"CREATE TRIGGER [{CALIBRATION_ROWS}_{name}] {event} BEGIN {body} END")
    db.execute(
        f"INSERT INTO [{CALIBRATION_ROWS}] ({_ROW_COLUMNS}) "
        + CALIBRATION_ROW_SQL.format(where="true")
    )


CALIBRATION_NAMES = "self_assessment_calibration_names"
"""A full-text index of the calibration rows' people (storage m008): per row (by its review
id), the person's name and id, their words folded by SQLite's ``unicode61`` tokenizer (case
and accents set aside), for the calibration form's search."""

_NAMED_SQL = f"""
    INSERT INTO [{CALIBRATION_NAMES}] (rowid, named)
    SELECT w.review_id, p.name || ' ' || w.subject_id
    FROM {{rows}} JOIN people AS p ON p.id = w.subject_id WHERE {{where}};
"""
"""Index the name and id of the calibration rows ``{rows}`` (named ``w``) that ``{where}``
picks."""


@migrations()
def m008_calibration_names(db: sqlite_utils.Database) -> None:
    # The calibration form finds the people whose ratings the reader may calibrate by the
    # beginning of any word of their name or id, whatever the case and the accents: an
    # FTS5 index of the calibration rows (one per submitted manager review of a member,
    # storage m007), kept in step by the database with the rows and with people's names
    # in the same transaction as every write, so that a search reads the index, not every
    # name of the cycle. Keyed by the rows' review id (an INTEGER PRIMARY KEY, which
    # VACUUM and snapshots keep), not by the people's rowid (which they may renumber).
    db.execute(
        f"CREATE VIRTUAL TABLE [{CALIBRATION_NAMES}] USING fts5(named, "
        "tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2')"
    )
    new_row = _NAMED_SQL.format(
        rows="(SELECT NEW.review_id AS review_id, NEW.subject_id AS subject_id) AS w", where="true"
    )
    triggers = [
        ("named", f"AFTER INSERT ON [{CALIBRATION_ROWS}]", new_row),
        (
            "unnamed",
            f"AFTER DELETE ON [{CALIBRATION_ROWS}]",
            f"DELETE FROM [{CALIBRATION_NAMES}] WHERE rowid = OLD.review_id;",
        ),
        (
            "renamed",
            f"AFTER UPDATE OF review_id, subject_id ON [{CALIBRATION_ROWS}]",
            f"DELETE FROM [{CALIBRATION_NAMES}] WHERE rowid = OLD.review_id;" + new_row,
        ),
        (
            "person_renamed",
            "AFTER UPDATE OF name ON people WHEN OLD.name IS NOT NEW.name",
            f"DELETE FROM [{CALIBRATION_NAMES}] WHERE rowid IN "
            f"(SELECT review_id FROM [{CALIBRATION_ROWS}] WHERE subject_id = NEW.id);"
            + _NAMED_SQL.format(rows=f"[{CALIBRATION_ROWS}] AS w", where="w.subject_id = NEW.id"),
        ),
    ]
    for name, event, body in triggers:
        db.execute(f"CREATE TRIGGER [{CALIBRATION_NAMES}_{name}] {event} BEGIN {body} END")
    db.execute(_NAMED_SQL.format(rows=f"[{CALIBRATION_ROWS}] AS w", where="true"))


@migrations()
def m009_calibration_counts_by_key(db: sqlite_utils.Database) -> None:
    # The triggers that count a calibration row out of its cycle's counts (m007) found
    # the counts by the cycle alone: they are made again, finding them by their whole key.
    for name, event, body in _count_triggers():
        db.execute(f"DROP TRIGGER IF EXISTS [{CALIBRATION_ROWS}_{name}]")
        db.execute(f"CREATE TRIGGER [{CALIBRATION_ROWS}_{name}] {event} BEGIN {body} END")


_FOLDED_SQL = f"""
    INSERT INTO [{CALIBRATION_NAMES}] (rowid, named)
    SELECT w.review_id, '  ' || replace({FOLD_NAME_SQL}(p.name || ' ' || w.subject_id), ' ', '  ')
    FROM {{rows}} JOIN people AS p ON p.id = w.subject_id WHERE {{where}};
"""
"""Index the name and id of the calibration rows ``{rows}`` (named ``w``) that ``{where}``
picks, folded as corehub finds people by name (``corehub_fold_name``: case, accents and
letters such as ø, æ, ł and ß set aside), each word after two spaces, so that a search of
one or two letters is a trigram of the beginning of a word (see
:func:`corehub_self_assessment.calibration.search_terms`)."""


@migrations()
def m010_calibration_names_anywhere(db: sqlite_utils.Database) -> None:
    # The calibration search finds a person by any part of three letters or more of a word
    # of their name or id ("nez" finds Núñez), and by the beginning of a word for one or
    # two letters, with names folded as the people finder folds them (Søren is found by
    # "soren", Łukasz by "lukasz", Strauß by "strauss"). m008's index held words folded by
    # SQLite's unicode61 tokenizer, which leaves such letters as they are and finds
    # beginnings only: the index is made again, trigram-tokenized (SQLite 3.34 or later),
    # from the same rows and kept by the same triggers, folding with corehub_fold_name.
    _require_trigram()
    for name in ("named", "unnamed", "renamed", "person_renamed"):
        db.execute(f"DROP TRIGGER IF EXISTS [{CALIBRATION_NAMES}_{name}]")
    db.execute(f"DROP TABLE IF EXISTS [{CALIBRATION_NAMES}]")
    db.execute(
        f"CREATE VIRTUAL TABLE [{CALIBRATION_NAMES}] USING fts5(named, tokenize = 'trigram')"
    )
    new_row = _FOLDED_SQL.format(
        rows="(SELECT NEW.review_id AS review_id, NEW.subject_id AS subject_id) AS w", where="true"
    )
    triggers = [
        ("named", f"AFTER INSERT ON [{CALIBRATION_ROWS}]", new_row),
        (
            "unnamed",
            f"AFTER DELETE ON [{CALIBRATION_ROWS}]",
            f"DELETE FROM [{CALIBRATION_NAMES}] WHERE rowid = OLD.review_id;",
        ),
        (
            "renamed",
            f"AFTER UPDATE OF review_id, subject_id ON [{CALIBRATION_ROWS}]",
            f"DELETE FROM [{CALIBRATION_NAMES}] WHERE rowid = OLD.review_id;" + new_row,
        ),
        (
            "person_renamed",
            "AFTER UPDATE OF name ON people WHEN OLD.name IS NOT NEW.name",
            f"DELETE FROM [{CALIBRATION_NAMES}] WHERE rowid IN "
            f"(SELECT review_id FROM [{CALIBRATION_ROWS}] WHERE subject_id = NEW.id);"
            + _FOLDED_SQL.format(rows=f"[{CALIBRATION_ROWS}] AS w", where="w.subject_id = NEW.id"),
        ),
    ]
    for name, event, body in triggers:
        db.execute(f"CREATE TRIGGER [{CALIBRATION_NAMES}_{name}] {event} BEGIN {body} END")
    db.execute(_FOLDED_SQL.format(rows=f"[{CALIBRATION_ROWS}] AS w", where="true"))


TRIGRAM_SQLITE = (3, 34, 0)
"""The SQLite the calibration search needs: its index is FTS5 trigram-tokenized (m010)."""


def _require_trigram() -> None:
    import sqlite3

    from corehub.errors import ConfigError
    from corehub.messages import M_

    if sqlite3.sqlite_version_info < TRIGRAM_SQLITE:
        raise ConfigError(
            M_(
                "corehub needs SQLite %(needed)s or later for the calibration search; this "
                "Python has SQLite %(version)s: install a Python with a newer SQLite (see the "
                "install guide) and run the command again",
                needed=".".join(map(str, TRIGRAM_SQLITE[:2])),
                version=sqlite3.sqlite_version,
            )
        )


_WORDS_SQL = f"""
    INSERT INTO [{CALIBRATION_NAMES}] (rowid, named)
    SELECT w.review_id, '  ' || replace(pw.words, ' ', '  ')
    FROM {{rows}} JOIN people_words AS pw ON pw.person_id = w.subject_id WHERE {{where}};
"""
"""Index the words of the calibration rows ``{rows}`` (named ``w``) that ``{where}``
picks: their person's name and id as stored in ``people_words`` (core m013,
:func:`corehub.folding.search_words`), each word after two spaces, so that a search of one
or two letters is a trigram of the beginning of a word (see
:func:`corehub_self_assessment.calibration.search_terms`)."""


@migrations()
def m011_calibration_names_stored(db: sqlite_utils.Database) -> None:
    # m010's triggers folded names with corehub_fold_name, an SQL function only corehub's
    # connections have: another program that renamed a person or wrote a calibration row
    # failed. They now copy the words core m013 stores for every person (folded in Python,
    # with the parts of words after a hyphen, an apostrophe, a dot or an @ apart too: "ma"
    # finds Anne-Marie, "01" finds agt-01), and the index is made again from them.
    _require_trigram()
    for name in (
        "named",
        "unnamed",
        "renamed",
        "person_renamed",
        "person_worded",
        "person_reworded",
    ):
        db.execute(f"DROP TRIGGER IF EXISTS [{CALIBRATION_NAMES}_{name}]")
    new_row = _WORDS_SQL.format(
        rows="(SELECT NEW.review_id AS review_id, NEW.subject_id AS subject_id) AS w", where="true"
    )
    person = (
        f"DELETE FROM [{CALIBRATION_NAMES}] WHERE rowid IN "
        f"(SELECT review_id FROM [{CALIBRATION_ROWS}] WHERE subject_id = NEW.person_id);"
        + _WORDS_SQL.format(rows=f"[{CALIBRATION_ROWS}] AS w", where="w.subject_id = NEW.person_id")
    )
    triggers = [
        ("named", f"AFTER INSERT ON [{CALIBRATION_ROWS}]", new_row),
        (
            "unnamed",
            f"AFTER DELETE ON [{CALIBRATION_ROWS}]",
            f"DELETE FROM [{CALIBRATION_NAMES}] WHERE rowid = OLD.review_id;",
        ),
        (
            "renamed",
            f"AFTER UPDATE OF review_id, subject_id ON [{CALIBRATION_ROWS}]",
            f"DELETE FROM [{CALIBRATION_NAMES}] WHERE rowid = OLD.review_id;" + new_row,
        ),
        ("person_worded", "AFTER INSERT ON people_words", person),
        (
            "person_reworded",
            "AFTER UPDATE OF words ON people_words WHEN OLD.words IS NOT NEW.words",
            person,
        ),
    ]
    for name, event, body in triggers:
        db.execute(f"CREATE TRIGGER [{CALIBRATION_NAMES}_{name}] {event} BEGIN {body} END")
    db.execute(f"DELETE FROM [{CALIBRATION_NAMES}]")
    db.execute(_WORDS_SQL.format(rows=f"[{CALIBRATION_ROWS}] AS w", where="true"))
