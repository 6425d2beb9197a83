"""Fixtures for the web app: the three plugins, an org chart with two teams, an open cycle."""

from __future__ import annotations

import datetime as dt
import os
import re
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest

import corehub_feedback.plugin
import corehub_self_assessment.plugin
import corehub_training_tracker.plugin
from corehub.hub import Hub
from corehub.models import Cycle, Level, Person
from corehub.web import tokens

GOOD_SELF = {
    "communication": "4",
    "active_listening": "5",
    "complaint_handling": "3",
    "problem_solving": "4",
    "product_knowledge": "3",
    "stress_handling": "n/a",
    "knowledge_sharing": "2",
    "teamwork": "4",
    "strengths": "Calm with upset customers.",
    "improvements": "Write more knowledge articles.",
    "goals_next-rows": "1",
    "goals_next-0-objective": "Better first-contact resolution",
    "goals_next-0-result": "FCR at 75% or more",
    "goals_next-0-due": "2026-12-31",
    "suggestions": "A shared macro library for password resets.",
}


def as_form(answers: dict[str, str]) -> dict[str, str]:
    """Answers keyed like the page's fields (``q-<question>``)."""
    return {f"q-{k}": v for k, v in answers.items()}


GOOD_MANAGER = {
    **{k: v for k, v in GOOD_SELF.items() if k != "suggestions"},
    "active_listening": "3",
    "knowledge_sharing": "1",
    "overall": "met expectations",
    "suggestions_response": "We will pilot a macro library next quarter.",
}


@pytest.fixture
def org(hub: Hub, register_plugin: Callable[..., Any]) -> dict[str, Person]:
    """boss (director) > alpha-lead > alpha-01..03; boss > beta-lead > beta-01..05; hr-1 (HR)."""
    register_plugin(corehub_self_assessment.plugin, name="self_assessment")
    register_plugin(corehub_feedback.plugin, name="feedback")
    register_plugin(corehub_training_tracker.plugin, name="training_tracker")
    organization = attrs.evolve(hub.config.organization, hr=["hr-1"])
    hub.config = attrs.evolve(hub.config, organization=organization)
    people = [
        Person(
            id="boss",
            name="Isabel Director",
            level=Level.DIRECTIVE,
            team="Management",
            email="boss@example.org",
        ),
        Person(
            id="hr-1", name="Henrik HR", level=Level.DIRECTIVE, team="HR", email="hr-1@example.org"
        ),
        Person(
            id="alpha-lead",
            name="Ana Lead",
            level=Level.SUPERVISORY,
            team="alpha",
            manager_id="boss",
            email="alpha-lead@example.org",
            role="Team lead",
        ),
        Person(
            id="beta-lead",
            name="Bo Lead",
            level=Level.SUPERVISORY,
            team="beta",
            manager_id="boss",
            email="beta-lead@example.org",
            role="Team lead",
        ),
    ]
    for team, lead, n in (("alpha", "alpha-lead", 3), ("beta", "beta-lead", 5)):
        people += [
            Person(
                id=f"{team}-{i:02d}",
                name=f"{team.title()} Agent {i}",
                level=Level.OPERATIONAL,
                team=team,
                manager_id=lead,
                email=f"{team}-{i:02d}@example.org",
                role="Service desk agent",
            )
            for i in range(1, n + 1)
        ]
    hub.people.save(people)
    return {p.id: p for p in people}


@pytest.fixture
def cycle(hub: Hub, org: dict[str, Person]) -> Cycle:
    """Cycle "2026 H1", opened on 2026-03-02: self due 03-20, manager due 04-10."""
    hub.cycles.create(
        "2026 H1",
        start=dt.date(2026, 1, 1),
        end=dt.date(2026, 6, 30),
        due={"self": dt.date(2026, 3, 20), "manager": dt.date(2026, 4, 10)},
    )
    return hub.cycles.open("2026 H1").cycle


@pytest.fixture
def hub_factory(hub: Hub) -> Iterator[Callable[[], Hub]]:
    """The request Hubs, on connections reused from request to request as when serving;
    with the test Hub's configuration and clock of the moment (tests change them)."""
    from corehub.web.pool import HubPool

    class TestPool(HubPool):
        @property
        def config(self) -> Any:
            return hub.config

        @property
        def clock(self) -> Any:
            return hub.clock

    assert hub.workspace is not None
    pool = TestPool(hub.workspace, config=hub.config, plugin_manager=hub.pm)
    yield pool
    pool.close()


@pytest.fixture
def app(hub_factory: Callable[[], Hub], cycle: Cycle) -> Any:
    from corehub.web.app import create_app

    flask_app = create_app(hub_factory)
    flask_app.testing = True
    return flask_app


class Browser:
    """A Flask test client that signs in by link and sends the CSRF token with every form."""

    def __init__(self, app: Any, hub: Hub):
        self.client = app.test_client()
        self.hub = hub

    def sign_in(self, person_id: str) -> Browser:
        [invitation] = tokens.invite(
            self.hub, [self.hub.people.get(person_id)], base_url="http://localhost"
        )
        path = invitation.url.removeprefix("http://localhost")
        page = self.client.get(path)
        assert page.status_code == 200
        token = path.rsplit("/", 1)[1]
        answer = self.post("/sign-in", {"token": token})
        assert answer.status_code == 302, answer.text
        return self

    def csrf(self) -> str:
        with self.client.session_transaction() as session:
            if "csrf_token" not in session:
                session["csrf_token"] = "t" * 43
            return str(session["csrf_token"])

    def get(self, path: str, **kwargs: Any) -> Any:
        return self.client.get(path, **kwargs)

    def post(self, path: str, data: dict[str, Any] | None = None, **kwargs: Any) -> Any:
        return self.client.post(path, data={**(data or {}), "csrf_token": self.csrf()}, **kwargs)


@pytest.fixture
def browser(app: Any, hub: Hub) -> Callable[[str | None], Browser]:
    """``browser("alpha-01")``: a client signed in as that person (None: signed out)."""

    def make(person_id: str | None = None) -> Browser:
        b = Browser(app, hub)
        return b.sign_in(person_id) if person_id else b

    return make


def field_value(html: str, name: str) -> str:
    match = re.search(rf'name="{re.escape(name)}" value="([^"]*)"', html)
    assert match, f"no field {name!r} in the page"
    return match.group(1)


CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def server(app: Any) -> Iterator[str]:
    """The app on a free loopback port, in a thread running waitress."""
    import waitress.server
    from waitress import wasyncore

    srv = waitress.server.create_server(app, host="127.0.0.1", port=0, threads=4)
    stopping = threading.Event()

    def serve() -> None:
        # One short poll at a time, so the loop notices the stop and ends before the
        # sockets close: closing them under a running select() makes it fail (EBADF).
        while not stopping.is_set():
            wasyncore.loop(timeout=0.05, map=srv._map, count=1)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{srv.effective_port}"
    stopping.set()
    thread.join(timeout=5)
    srv.task_dispatcher.shutdown()
    wasyncore.close_all(srv._map)


@pytest.fixture
def chromium() -> Iterator[Any]:
    """Headless Chromium (Debian's package) driven by Playwright.

    Outside CI a machine without them skips the browser tests; in CI (where `make test`
    installs both) their absence is a failure, never a silent skip.
    """
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: make test installs Debian's chromium")
        pytest.skip("needs Debian's chromium (make test installs it)")
    if os.environ.get("CI"):
        from playwright import sync_api
    else:
        sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    """Where browser tests save screenshots (``COREHUB_SCREENSHOTS`` to keep them)."""
    folder = Path(os.environ.get("COREHUB_SCREENSHOTS", tmp_path / "screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder
