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


# -- the pairs the check-ins overview lists, kept by triggers ------------------------------

PAIRS = "self_assessment_checkin_pairs"
"""One row per manager and direct report in today's org chart (both active, the report's
manager set and not themselves): the two's names and the report's team, hire date and the
first leaving date of the two (``ends``), with their last check-in and the next one planned
as of the day in :data:`PAIRS_AS_OF`. Triggers on ``people`` and on the check-ins keep it in
the same transaction as each write; the overview decides at read time what depends on
today (overdue by the team's cadence, a leaving date passed, a check-in day passed since
the day the rows are as of)."""
PAIRS_AS_OF = "self_assessment_checkin_pairs_as_of"
"""One row: the day as of which the pairs' ``last`` and ``planned`` are kept."""

_AS_OF = f"(SELECT day FROM [{PAIRS_AS_OF}] WHERE id = 1)"
_LAST = (
    f"(SELECT max(c.day) FROM [{CHECKINS}] AS c WHERE c.manager_id = {{m}} "
    f"AND c.person_id = {{p}} AND c.day <= {_AS_OF})"
)
_PLANNED = (
    f"(SELECT min(c.day) FROM [{CHECKINS}] AS c WHERE c.manager_id = {{m}} "
    f"AND c.person_id = {{p}} AND c.day > {_AS_OF})"
)


def pairs_insert(where: str) -> str:
    """The statement that writes the pair rows of the reports ``where`` picks (over
    ``p``, the report, and ``m``, their manager)."""
    return f"""
    INSERT OR REPLACE INTO [{PAIRS}]
        (person_id, manager_id, team, person, manager, hire_date, ends, last, planned)
    SELECT p.id, m.id, p.team, p.name, m.name, p.hire_date,
        min(coalesce(p.leaving_date, m.leaving_date), coalesce(m.leaving_date, p.leaving_date)),
        {_LAST.format(m="m.id", p="p.id")}, {_PLANNED.format(m="m.id", p="p.id")}
    FROM people AS p JOIN people AS m ON m.id = p.manager_id
    WHERE p.active = 1 AND m.active = 1 AND p.id != m.id AND ({where})
    """


def pairs_met(where: str) -> str:
    """The statement that works ``last`` and ``planned`` out again for the pairs ``where``
    picks (over the pairs table)."""
    return f"""
    UPDATE [{PAIRS}] SET
        last = {_LAST.format(m=f"[{PAIRS}].manager_id", p=f"[{PAIRS}].person_id")},
        planned = {_PLANNED.format(m=f"[{PAIRS}].manager_id", p=f"[{PAIRS}].person_id")}
    WHERE {where}
    """


_ORDER = "last, {team}manager, manager_id, person, person_id, ends"


@migrations()
def m003_checkin_pairs(db: sqlite_utils.Database) -> None:
    """The pairs of the check-ins overview, kept by triggers (see :data:`PAIRS`), so that
    a page of the overview reads its rows from an index in its order: overdue first, then
    the pairs who never met, then the longest since the last check-in. Existing
    workspaces get their pairs as of today."""
    db.execute(
        f"""
        CREATE TABLE [{PAIRS}] (
            person_id TEXT PRIMARY KEY,
            manager_id TEXT NOT NULL,
            team TEXT NOT NULL,
            person TEXT NOT NULL,
            manager TEXT NOT NULL,
            hire_date TEXT,
            ends TEXT,
            last TEXT,
            planned TEXT
        )
        """
    )
    db.execute(
        f"CREATE TABLE [{PAIRS_AS_OF}] (id INTEGER PRIMARY KEY CHECK (id = 1), day TEXT NOT NULL)"
    )
    db.execute(f"INSERT INTO [{PAIRS_AS_OF}] (id, day) VALUES (1, date('now'))")
    # the page's order, for the pairs with no check-in planned (overdue or not) and the
    # ones with one planned; by team first for a team's page
    for name, condition in (("due", "planned IS NULL"), ("planned", "planned IS NOT NULL")):
        order = _ORDER.format(team="team, ")
        db.execute(f"CREATE INDEX [{PAIRS}_{name}] ON [{PAIRS}]({order}) WHERE {condition}")
        order = _ORDER.format(team="")
        db.execute(
            f"CREATE INDEX [{PAIRS}_team_{name}] ON [{PAIRS}](team, {order}) WHERE {condition}"
        )
    db.execute(f"CREATE INDEX [{PAIRS}_manager] ON [{PAIRS}](manager_id)")
    db.execute(f"CREATE INDEX [{PAIRS}_ends] ON [{PAIRS}](ends, team) WHERE ends IS NOT NULL")
    # the check-ins whose day passed between two days (the overview's corrections)
    db.execute(f"CREATE INDEX IF NOT EXISTS [{CHECKINS}_day] ON [{CHECKINS}](day)")
    db.execute(pairs_insert("1"))
    # a report's own row: their team, name, hire date, leaving date, manager, being active
    mine = ("id", "team", "manager_id", "hire_date", "leaving_date", "active")
    # their reports' rows: the manager's leaving date and being active
    theirs = ("id", "leaving_date", "active")
    changed = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in mine)
    as_manager = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in theirs)
    triggers = {
        "person_added": ("AFTER INSERT ON people", (
            f"DELETE FROM [{PAIRS}] WHERE person_id = NEW.id OR manager_id = NEW.id",
            pairs_insert("p.id = NEW.id OR p.manager_id = NEW.id"),
        )),
        "person_deleted": ("AFTER DELETE ON people", (
            f"DELETE FROM [{PAIRS}] WHERE person_id = OLD.id OR manager_id = OLD.id",
        )),
        "person_changed": (f"AFTER UPDATE OF {', '.join(mine)} ON people WHEN {changed}", (
            f"DELETE FROM [{PAIRS}] WHERE person_id IN (OLD.id, NEW.id)",
            pairs_insert("p.id = NEW.id"),
        )),
        "manager_changed": (f"AFTER UPDATE OF {', '.join(theirs)} ON people WHEN {as_manager}", (
            f"DELETE FROM [{PAIRS}] WHERE manager_id IN (OLD.id, NEW.id)",
            pairs_insert("p.manager_id IN (OLD.id, NEW.id)"),
        )),
        # a new name is written where it is shown (a rename of everyone stays cheap)
        "person_renamed": ("AFTER UPDATE OF name ON people WHEN OLD.name IS NOT NEW.name", (
            f"UPDATE [{PAIRS}] SET person = NEW.name WHERE person_id = NEW.id",
            f"UPDATE [{PAIRS}] SET manager = NEW.name WHERE manager_id = NEW.id",
        )),
        "checkin_added": (f"AFTER INSERT ON [{CHECKINS}]", (
            pairs_met("person_id = NEW.person_id AND manager_id = NEW.manager_id"),
        )),
        "checkin_removed": (f"AFTER DELETE ON [{CHECKINS}]", (
            pairs_met("person_id = OLD.person_id AND manager_id = OLD.manager_id"),
        )),
        "checkin_changed": (f"AFTER UPDATE OF day, manager_id, person_id ON [{CHECKINS}]", (
            pairs_met("person_id IN (OLD.person_id, NEW.person_id)"),
        )),
    }  # fmt: skip
    for name, (when, statements) in triggers.items():
        body = "".join(f"{statement.strip()};\n" for statement in statements)
        db.execute(f"CREATE TRIGGER [{PAIRS}_{name}] {when} BEGIN\n{body}END")


def advance_pairs(db: sqlite_utils.Database, today: str) -> None:
    """Keep the pairs' ``last`` and ``planned`` as of ``today`` (in the caller's
    transaction): only the pairs with a check-in on a day between the day they were kept
    as of and ``today`` change."""
    (as_of,) = db.execute(f"SELECT day FROM [{PAIRS_AS_OF}] WHERE id = 1").fetchone()
    if as_of == today:
        return
    low, high = sorted((as_of, today))
    db.execute(f"UPDATE [{PAIRS_AS_OF}] SET day = ? WHERE id = 1", [today])
    db.execute(
        pairs_met(
            f"person_id IN (SELECT person_id FROM [{CHECKINS}] WHERE day > :low AND day <= :high)"
        ),
        {"low": low, "high": high},
    )
