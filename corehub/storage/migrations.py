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


TASK_TEAM_ROWS = "task_team_rows"
TASK_TEAM_COUNTS = "task_team_counts"
NO_TEAM = "(no team)"
"""The team a task is counted under when its person is no member of its cycle, or has none."""

TEAM_OF = (
    "coalesce((SELECT nullif(p.team, '') FROM cycle_members AS m JOIN people AS p "
    "ON p.id = m.person_id WHERE m.cycle_id = {cycle} AND m.person_id = {subject}), "
    f"'{NO_TEAM}')"
)
"""The team the tasks about ``subject`` in ``cycle`` are counted under: the person's team
today when they are one of the cycle's members, else ``(no team)``."""

WAITS_UNTIL = (
    "CASE WHEN {t}.status = 'open' AND {t}.after IS NOT NULL AND {t}.after != '[]' THEN "
    "coalesce((SELECT max(b.due) FROM json_each({t}.after) AS a "
    "CROSS JOIN tasks AS b INDEXED BY tasks_cycle_subject_state "
    "ON b.cycle_id = {t}.cycle_id AND b.subject_id = {t}.subject_id AND b.kind = a.value "
    "WHERE b.status = 'open'), '') ELSE '' END"
)
"""Until which day the open task ``t`` waits: the latest due date of the open tasks about
the same person of a kind it comes after (``after``, a JSON list); '' when it waits for
none. It waits today while that day is today or later (an overdue task holds nobody up)."""

TASK_TEAM_ROW_SQL = f"""
    SELECT t.id, t.cycle_id, t.subject_id, {TEAM_OF.format(cycle="t.cycle_id", subject="t.subject_id")},
           t.kind, t.status, CASE WHEN t.status = 'open' THEN t.due ELSE '' END,
           {WAITS_UNTIL.format(t="t")}
    FROM tasks AS t {{indexed}} WHERE {{where}}
"""
"""One task as the HR overview counts it, worked out from scratch: its cycle and person,
the team it is counted under, its kind and status, and for an open task its due date and
until when it waits (both '' otherwise). ``{where}`` picks the tasks; ``{indexed}`` may
name the index to read them by (a person's tasks of a cycle: ``INDEXED BY tasks_subject``,
never the walk of the cycle's tasks the planner may prefer)."""

_TASK_ROW_COLUMNS = "task_id, cycle_id, subject_id, team, kind, status, due, waits"


def _tasks_refreshed(cycle: str, subject: str) -> str:
    """The statements of a trigger that work the rows of the tasks about ``subject`` in
    ``cycle`` out again: a row whose task is gone is deleted, the others are written
    where they differ (so only a change is counted)."""
    where = f"t.cycle_id = {cycle} AND t.subject_id = {subject}"
    changed = ", ".join(f"excluded.{c}" for c in _TASK_ROW_COLUMNS.split(", ")[1:])
    return f"""
        DELETE FROM [{TASK_TEAM_ROWS}] WHERE subject_id = {subject} AND cycle_id = {cycle}
        AND task_id NOT IN (SELECT t.id FROM tasks AS t WHERE {where});
        INSERT INTO [{TASK_TEAM_ROWS}] ({_TASK_ROW_COLUMNS})
        {TASK_TEAM_ROW_SQL.format(where=where, indexed="INDEXED BY tasks_subject")}
        ON CONFLICT (task_id) DO UPDATE SET ({_TASK_ROW_COLUMNS.removeprefix("task_id, ")})
            = ({changed})
        WHERE ({_TASK_ROW_COLUMNS.removeprefix("task_id, ")}) != ({changed});
    """


def _task_added(task: str) -> str:
    """The statements of a trigger that count a new task in: its own row, and the waiting
    of the other open tasks about the same person (it may be one they come after); any
    row of theirs whose task is gone (replaced) is deleted."""
    cycle, subject = f"{task}.cycle_id", f"{task}.subject_id"
    columns = _TASK_ROW_COLUMNS.removeprefix("task_id, ")
    changed = ", ".join(f"excluded.{c}" for c in columns.split(", "))
    r = f"[{TASK_TEAM_ROWS}]"
    waits = f"(SELECT {WAITS_UNTIL.format(t='t')} FROM tasks AS t WHERE t.id = {r}.task_id)"
    return f"""
        DELETE FROM [{TASK_TEAM_ROWS}] WHERE subject_id = {subject} AND cycle_id = {cycle}
        AND task_id NOT IN (SELECT t.id FROM tasks AS t INDEXED BY tasks_subject
                            WHERE t.cycle_id = {cycle} AND t.subject_id = {subject});
        INSERT INTO [{TASK_TEAM_ROWS}] ({_TASK_ROW_COLUMNS})
        {TASK_TEAM_ROW_SQL.format(where=f"t.id = {task}.id", indexed="")}
        ON CONFLICT (task_id) DO UPDATE SET ({columns}) = ({changed})
        WHERE ({columns}) != ({changed});
        UPDATE {r} SET waits = {waits}
        WHERE subject_id = {subject} AND cycle_id = {cycle} AND task_id != {task}.id
        AND status = 'open' AND waits != {waits};
    """


def _teams_refreshed(where: str) -> str:
    """The statement of a trigger that works the team of the task rows ``where`` picks
    out again (a person moved team, joined or left a cycle's members)."""
    team = TEAM_OF.format(
        cycle=f"[{TASK_TEAM_ROWS}].cycle_id", subject=f"[{TASK_TEAM_ROWS}].subject_id"
    )
    return f"UPDATE [{TASK_TEAM_ROWS}] SET team = {team} WHERE {where} AND team != {team};"


def _task_counted(row: str, step: str) -> str:
    """The statements of a trigger that count task row ``row`` in (``step`` +1) or out
    (-1): in its cycle's totals by kind, and in its team's row."""
    keys = (
        ("'all'", "''", f"{row}.kind"),
        ("'team'", f"{row}.team", "''"),
    )
    if step == "+1":
        values = ", ".join(
            f"({row}.cycle_id, {scope}, {team}, {kind}, {row}.status, {row}.due, {row}.waits, 1)"
            for scope, team, kind in keys
        )
        return f"""
            INSERT INTO [{TASK_TEAM_COUNTS}] (cycle_id, scope, team, kind, status, due, waits, n)
            VALUES {values}
            ON CONFLICT (cycle_id, scope, team, kind, status, due, waits) DO UPDATE SET n = n + 1;
        """
    out = ""
    for scope, team, kind in keys:
        match = (
            f"cycle_id = {row}.cycle_id AND scope = {scope} AND team = {team} AND kind = {kind} "
            f"AND status = {row}.status AND due = {row}.due AND waits = {row}.waits"
        )
        out += f"""
            UPDATE [{TASK_TEAM_COUNTS}] SET n = n - 1 WHERE {match};
            DELETE FROM [{TASK_TEAM_COUNTS}] WHERE {match} AND n <= 0;
        """
    return out


_TASK_TRIGGERS = (
    "counted",
    "uncounted",
    "recounted",
    "task_added",
    "task_changed",
    "task_moved",
    "task_deleted",
    "person_moved",
    "person_added",
    "person_deleted",
    "member_added",
    "member_changed",
    "member_removed",
)


def _member_counted(cycle: str, step: str) -> str:
    """The statements of a trigger that count a member of ``cycle`` in (``step`` +1) or
    out (-1)."""
    key = f"cycle_id = {cycle} AND scope = 'members'"
    if step == "+1":
        return f"""
            INSERT INTO [{TASK_TEAM_COUNTS}] (cycle_id, scope, team, kind, status, due, waits, n)
            VALUES ({cycle}, 'members', '', '', '', '', '', 1)
            ON CONFLICT (cycle_id, scope, team, kind, status, due, waits) DO UPDATE SET n = n + 1;
        """
    return f"""
        UPDATE [{TASK_TEAM_COUNTS}] SET n = n - 1 WHERE {key};
        DELETE FROM [{TASK_TEAM_COUNTS}] WHERE {key} AND n <= 0;
    """


@core_migrations()
def m011_task_counts_by_team(db: sqlite_utils.Database) -> None:
    # The HR overview shows a cycle's totals by kind and a page of its teams' counts: it
    # reads them from counts of the cycle's tasks per team (and per kind for the whole
    # cycle) by status, due date and until when they wait, and of its members (a member's
    # person always exists: the foreign key), kept in step by the database
    # in the same transaction as every write they depend on: a task added, done, reopened,
    # cancelled, moved or deleted, a person moving team, joining or leaving a cycle's
    # members. One row per task (the team it counts under, until when it waits) is kept
    # for that. Never frozen: a closed cycle's counts follow today's teams, as they did
    # when they were counted on every request. Overdue and waiting are decided at reading,
    # against the day asked for, from the due dates kept. Run again, it starts afresh.
    for name in _TASK_TRIGGERS:
        db.execute(f"DROP TRIGGER IF EXISTS [{TASK_TEAM_ROWS}_{name}]")
    db.execute(f"DROP TABLE IF EXISTS [{TASK_TEAM_COUNTS}]")
    db.execute(f"DROP TABLE IF EXISTS [{TASK_TEAM_ROWS}]")
    db.execute(
        f"""
        CREATE TABLE [{TASK_TEAM_ROWS}] (
            task_id INTEGER PRIMARY KEY,
            cycle_id INTEGER NOT NULL,
            subject_id TEXT NOT NULL,
            team TEXT NOT NULL,
            kind TEXT NOT NULL,
            status TEXT NOT NULL,
            due TEXT NOT NULL,
            waits TEXT NOT NULL
        )
        """
    )
    db.execute(
        f"CREATE INDEX [{TASK_TEAM_ROWS}_subject] ON [{TASK_TEAM_ROWS}](subject_id, cycle_id)"
    )
    db.execute(
        f"""
        CREATE TABLE [{TASK_TEAM_COUNTS}] (
            cycle_id INTEGER NOT NULL,
            scope TEXT NOT NULL CHECK (scope IN ('all', 'team', 'members')),
            team TEXT NOT NULL,
            kind TEXT NOT NULL,
            status TEXT NOT NULL,
            due TEXT NOT NULL,
            waits TEXT NOT NULL,
            n INTEGER NOT NULL,
            PRIMARY KEY (cycle_id, scope, team, kind, status, due, waits)
        ) WITHOUT ROWID
        """
    )
    rows = f"[{TASK_TEAM_ROWS}]"
    triggers = [
        # the counts follow the rows
        ("counted", f"AFTER INSERT ON {rows}", _task_counted("NEW", "+1")),
        ("uncounted", f"AFTER DELETE ON {rows}", _task_counted("OLD", "-1")),
        (
            "recounted",
            f"AFTER UPDATE ON {rows}",
            _task_counted("OLD", "-1") + _task_counted("NEW", "+1"),
        ),
        # the rows follow the tasks about one person in one cycle (a task's waiting hangs
        # on the others about the same person)
        ("task_added", "AFTER INSERT ON tasks", _task_added("NEW")),
        (
            "task_changed",
            "AFTER UPDATE OF status, due, kind, after, cycle_id, subject_id ON tasks "
            "WHEN OLD.cycle_id = NEW.cycle_id AND OLD.subject_id = NEW.subject_id",
            _tasks_refreshed("NEW.cycle_id", "NEW.subject_id"),
        ),
        (
            "task_moved",
            "AFTER UPDATE OF cycle_id, subject_id ON tasks "
            "WHEN OLD.cycle_id != NEW.cycle_id OR OLD.subject_id != NEW.subject_id",
            _tasks_refreshed("OLD.cycle_id", "OLD.subject_id")
            + _tasks_refreshed("NEW.cycle_id", "NEW.subject_id"),
        ),
        (
            "task_deleted",
            "AFTER DELETE ON tasks",
            _tasks_refreshed("OLD.cycle_id", "OLD.subject_id"),
        ),
        # and the teams follow the people and the cycles' members
        (
            "person_moved",
            "AFTER UPDATE OF team, id ON people WHEN OLD.team IS NOT NEW.team "
            "OR OLD.id IS NOT NEW.id",
            _teams_refreshed("subject_id IN (OLD.id, NEW.id)"),
        ),
        ("person_added", "AFTER INSERT ON people", _teams_refreshed("subject_id = NEW.id")),
        ("person_deleted", "AFTER DELETE ON people", _teams_refreshed("subject_id = OLD.id")),
        (
            "member_added",
            "AFTER INSERT ON cycle_members",
            _teams_refreshed("subject_id = NEW.person_id AND cycle_id = NEW.cycle_id")
            + _member_counted("NEW.cycle_id", "+1"),
        ),
        (
            "member_changed",
            "AFTER UPDATE OF cycle_id, person_id ON cycle_members",
            _teams_refreshed("subject_id = OLD.person_id AND cycle_id = OLD.cycle_id")
            + _teams_refreshed("subject_id = NEW.person_id AND cycle_id = NEW.cycle_id")
            + _member_counted("OLD.cycle_id", "-1")
            + _member_counted("NEW.cycle_id", "+1"),
        ),
        (
            "member_removed",
            "AFTER DELETE ON cycle_members",
            _teams_refreshed("subject_id = OLD.person_id AND cycle_id = OLD.cycle_id")
            + _member_counted("OLD.cycle_id", "-1"),
        ),
    ]
    assert [name for name, _, _ in triggers] == list(_TASK_TRIGGERS)
    for name, event, body in triggers:
        db.execute(f"CREATE TRIGGER [{TASK_TEAM_ROWS}_{name}] {event} BEGIN {body} END")
    # the tasks and members there are already (the tasks' counts follow their rows)
    db.execute(
        f"INSERT INTO {rows} ({_TASK_ROW_COLUMNS}) "
        + TASK_TEAM_ROW_SQL.format(where="true", indexed="")
    )
    db.execute(
        f"INSERT INTO [{TASK_TEAM_COUNTS}] (cycle_id, scope, team, kind, status, due, waits, n) "
        "SELECT cycle_id, 'members', '', '', '', '', '', count(*) FROM cycle_members "
        "GROUP BY cycle_id"
    )


@core_migrations()
def m012_people_match_folded(db: sqlite_utils.Database) -> None:
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


PEOPLE_WORDS_STALE = (
    "INSERT INTO people_words (person_id, words, stale) "
    "VALUES (NEW.id, lower(coalesce(NEW.name, '') || ' ' || NEW.id), 1) "
    "ON CONFLICT (person_id) DO UPDATE SET words = excluded.words, stale = 1;"
)
"""A person written by anything but ``People.save`` (the ``sqlite3`` shell, a repair
script): their words are their name and id in lower case (SQLite's ``lower``: ASCII
letters only) until corehub next opens the workspace and folds them (``stale``)."""


@core_migrations()
def m013_people_words(db: sqlite_utils.Database) -> None:
    # What people are found by, folded in Python (corehub.folding) and stored, so that the
    # triggers of the indexes built on it (the calibration search) only copy stored text
    # and any connection may write people, not only corehub's. A person written by another
    # program is marked stale by the triggers below and folded again when corehub next
    # opens the workspace (Hub.refold_people). The people finder's keys are made again too:
    # names fold their apostrophes alike (typed or typographic).
    from corehub.folding import search_words
    from corehub.people import match_keys

    db.execute(
        "CREATE TABLE people_words (person_id TEXT PRIMARY KEY, words TEXT NOT NULL, "
        "stale INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID"
    )
    db.execute("CREATE INDEX people_words_stale ON people_words(person_id) WHERE stale")
    db.execute(
        f"CREATE TRIGGER people_words_added AFTER INSERT ON people BEGIN {PEOPLE_WORDS_STALE} END"
    )
    db.execute(
        "CREATE TRIGGER people_words_changed AFTER UPDATE OF id, name, email ON people "
        "WHEN OLD.id IS NOT NEW.id OR OLD.name IS NOT NEW.name OR OLD.email IS NOT NEW.email "
        "BEGIN DELETE FROM people_words WHERE person_id = OLD.id AND OLD.id IS NOT NEW.id; "
        f"{PEOPLE_WORDS_STALE} END"
    )
    db.execute(
        "CREATE TRIGGER people_words_removed AFTER DELETE ON people "
        "BEGIN DELETE FROM people_words WHERE person_id = OLD.id; END"
    )
    db.execute("DELETE FROM people_match")
    people = list(db.query("SELECT id, email, name FROM people"))
    db.table("people_match").insert_all(
        (
            {"key": key, "person_id": r["id"]}
            for r in people
            for key in match_keys(r["id"], r["email"], r["name"])
        ),
        batch_size=2000,
        ignore=True,
    )
    db.table("people_words").insert_all(
        (
            {"person_id": r["id"], "words": search_words(r["name"], r["id"]), "stale": 0}
            for r in people
        ),
        batch_size=2000,
    )
