"""The web app reuses its SQLite connections from request to request, safely."""

from __future__ import annotations

import shutil
import sqlite3
import threading
from typing import Any

import pytest
from flask import Blueprint

from corehub import hookimpl
from corehub.errors import ValidationError
from corehub.hub import Hub
from corehub.models import Route
from corehub.web.app import create_app, write
from corehub.web.pool import HubPool


@pytest.fixture
def pool(hub: Hub, org: Any) -> Any:
    assert hub.workspace is not None
    made = HubPool(hub.workspace, config=hub.config, clock=hub.clock, plugin_manager=hub.pm)
    yield made
    made.close()


def test_requests_reuse_one_connection(pool: HubPool, app: Any, browser: Any) -> None:
    agent = browser("alpha-01")
    factory = app.extensions["corehub"]["hub_factory"]
    for _ in range(5):
        assert agent.get("/", follow_redirects=True).status_code == 200
    # sign-in and five pages, one after the other: one connection, waiting for the next
    assert factory.opened == 1
    assert factory.idle() == 1


def test_a_write_by_another_connection_is_seen_by_the_next_request(
    hub: Hub, browser: Any, cycle: Any
) -> None:
    agent = browser("alpha-01")
    assert "Alpha Renamed" not in agent.get("/", follow_redirects=True).text
    with hub.atomic() as db:  # the command line, in another process: its own connection
        db.execute("UPDATE people SET name = 'Alpha Renamed' WHERE id = 'alpha-01'")
    assert "Alpha Renamed" in agent.get("/", follow_redirects=True).text


def test_a_hub_from_the_pool_is_its_own(pool: HubPool) -> None:
    first = pool()
    first.actor = "alpha-01"
    first.cached("k", lambda: "first request's")
    first.close()
    second = pool()
    try:
        assert second.db is not None
        assert pool.opened == 1  # the same connection...
        assert second.actor != "alpha-01"  # ...not the same actor or cached values
        assert second.cached("k", lambda: "its own") == "its own"
    finally:
        second.close()


def test_a_failed_request_leaves_no_transaction(pool: HubPool) -> None:
    hub = pool()
    with pytest.raises(ValidationError), write(hub):
        hub.db.execute("UPDATE people SET name = 'Half' WHERE id = 'alpha-01'")
        raise ValidationError("no")
    hub.close()
    # a request that opened a transaction and never closed it (an error between BEGIN and
    # COMMIT that skipped its handler): the pool rolls it back before lending the connection
    hub = pool()
    hub.db.execute("BEGIN IMMEDIATE")
    hub.db.execute("UPDATE people SET name = 'Half' WHERE id = 'alpha-01'")
    conn = hub.db.conn
    hub.close()
    assert not conn.in_transaction
    again = pool()
    try:
        assert again.db.conn is conn
        assert not again.db.conn.in_transaction
        assert again.people.get("alpha-01").name != "Half"
        # and the write lock was let go: another connection writes at once
        other = sqlite3.connect(str(pool.path), timeout=0, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
        other.close()
    finally:
        again.close()


class Boom(Exception):
    pass


class FailingPage:
    """A plugin page that writes, then raises something the page code never handles."""

    @hookimpl
    def register_routes(self, hub: Hub) -> Route:
        bp = Blueprint("failing", __name__)

        @bp.route("/failing")
        def failing() -> str:
            from corehub.web import current_hub

            db = current_hub().db
            db.execute("BEGIN IMMEDIATE")
            db.execute("UPDATE people SET name = 'Half' WHERE id = 'alpha-01'")
            raise Boom()

        return Route(name="failing", blueprint=bp)


def test_a_request_that_raised_leaves_no_transaction_for_the_next(
    hub: Hub, hub_factory: Any, cycle: Any, register_plugin: Any
) -> None:
    register_plugin(FailingPage(), "failing-page")
    app = create_app(hub_factory)
    client = app.test_client()
    assert client.get("/failing").status_code == 500
    assert hub_factory.opened == 1
    # a request that raised gives its connection up: whatever it left unfinished (a
    # statement half read keeps an old state of the database) goes with it
    assert hub_factory.idle() == 0
    with hub.atomic() as db:  # not locked by the failed request
        db.execute("UPDATE people SET name = 'Alpha Later' WHERE id = 'alpha-01'")
    fresh = hub_factory()
    try:
        assert not fresh.db.conn.in_transaction
        assert fresh.people.get("alpha-01").name == "Alpha Later"
    finally:
        fresh.close()
    assert hub_factory.opened == 2


def test_a_request_s_temporary_tables_are_dropped_before_its_connection_is_lent(
    pool: HubPool,
) -> None:
    first = pool()
    conn = first.db.conn
    first.db.execute("CREATE TEMP TABLE mine AS SELECT id FROM people")
    first.close()
    second = pool()
    try:
        assert second.db.conn is conn
        assert second.db.execute("SELECT name FROM temp.sqlite_master").fetchall() == []
    finally:
        second.close()


def test_a_statement_left_unfinished_does_not_go_back_to_the_pool(hub: Hub, pool: HubPool) -> None:
    first = pool()
    first.db.execute("CREATE TEMP TABLE mine AS SELECT id FROM people")
    kept = first.db.conn.execute("SELECT id FROM people")  # read half, kept past its request
    kept.fetchone()
    conn = first.db.conn
    first.close()
    with hub.atomic() as db:
        db.execute("UPDATE people SET name = 'Alpha Later' WHERE id = 'alpha-01'")
    second = pool()
    try:
        assert second.db.conn is not conn
        assert second.people.get("alpha-01").name == "Alpha Later"
    finally:
        second.close()


def test_connections_cut_the_write_ahead_log_back(pool: HubPool) -> None:
    from corehub.storage.db import WAL_SIZE_LIMIT

    held = pool()
    try:
        limit = held.db.execute("PRAGMA journal_size_limit").fetchone()[0]
        assert limit == WAL_SIZE_LIMIT
    finally:
        held.close()


def test_threads_never_share_a_connection(pool: HubPool) -> None:
    held: list[int] = []
    lock = threading.Lock()
    all_holding = threading.Barrier(4, timeout=30)
    problems: list[BaseException] = []

    def request() -> None:
        try:
            hub = pool()
            try:
                hub.people.get("alpha-01")
                with lock:
                    held.append(id(hub.db.conn))
                all_holding.wait()  # four requests at once, each holding its connection
            finally:
                hub.close()
        except BaseException as exc:  # reported below
            problems.append(exc)

    threads = [threading.Thread(target=request) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert problems == []
    assert len(set(held)) == 4
    assert pool.idle() == 4
    # the next four take those four, none opens a fifth
    hubs = [pool() for _ in range(4)]
    assert {id(h.db.conn) for h in hubs} == set(held)
    for h in hubs:
        h.close()
    assert pool.opened == 4


def test_a_database_replaced_while_serving_is_refused_until_a_restart(
    hub: Hub, browser: Any, app: Any, tmp_path: Any, cycle: Any
) -> None:
    """A backup copied over the database while the server runs no longer agrees with the
    server's connections and the old file's write-ahead log: every page says to restart
    the server, never a mix of the two files."""
    agent = browser("alpha-01")
    factory = app.extensions["corehub"]["hub_factory"]
    assert agent.get("/", follow_redirects=True).status_code == 200
    path = hub.db_path
    backup = tmp_path / "backup.db"
    with sqlite3.connect(str(backup)) as copy:
        hub.db.conn.backup(copy)
    copy.close()
    with hub.atomic() as db:
        db.execute("UPDATE people SET name = 'After Backup' WHERE id = 'alpha-01'")
    assert "After Backup" in agent.get("/", follow_redirects=True).text
    hub.close()
    shutil.copyfile(backup, tmp_path / "restored.db")
    (tmp_path / "restored.db").replace(path)
    for _ in range(2):
        page = agent.get("/", follow_redirects=True)
        assert page.status_code >= 400
        assert "restart corehub serve" in page.text
        assert "After Backup" not in page.text
    assert factory.idle() == 0


def test_closing_the_pool_closes_its_connections(pool: HubPool) -> None:
    first, second = pool(), pool()
    conns = [first.db.conn, second.db.conn]
    first.close()
    pool.close()
    second.close()  # lent out while the server stopped: closed when it comes back
    assert pool.idle() == 0
    for conn in conns:
        with pytest.raises(sqlite3.ProgrammingError):
            conn.execute("SELECT 1")


def test_a_name_another_program_wrote_is_folded_by_the_next_request(pool: HubPool) -> None:
    """A request on a reused connection folds, as a newly opened workspace does, the names
    a program other than corehub wrote (the people finder then finds them by any accent)."""
    first = pool()
    assert first.db is not None
    first.close()
    plain = sqlite3.connect(pool.path)  # the sqlite3 shell, a repair script
    with plain:
        plain.execute("UPDATE people SET name = 'Zoë Ånberg' WHERE id = 'alpha-01'")
    plain.close()
    hub = pool()
    try:
        assert pool.opened == 1  # the same connection as the first request
        assert hub.db.execute("SELECT 1 FROM people_words WHERE stale LIMIT 1").fetchone() is None
        match = hub.people.finder(["zoe anberg"], include_inactive=False).match("zoe anberg")
        assert match.person is not None and match.person.id == "alpha-01"
    finally:
        hub.close()
