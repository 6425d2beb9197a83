"""Web sessions that end on the server, throttled sign-in, and links asked for by email."""

from __future__ import annotations

import email
import re
from email import policy
from typing import Any

import attrs
import pytest

from corehub.config import Config
from corehub.errors import ValidationError
from corehub.hub import Hub
from corehub.models.converter import structure
from corehub.testing import run_cli
from corehub.web import tokens
from corehub.web.app import create_app
from tests.web.conftest import Browser

COOKIE = "corehub_session"


def replay(app: Any, hub: Hub, cookie: str) -> Browser:
    """A second browser holding a copy of someone's session cookie."""
    thief = Browser(app, hub)
    thief.client.set_cookie(COOKIE, cookie)
    return thief


def test_signing_out_ends_the_session_on_the_server(app, hub, browser, cycle):
    me = browser("alpha-01")
    cookie = me.client.get_cookie(COOKIE).value
    stored = [r["sid_hash"] for r in hub.db.query("SELECT sid_hash FROM web_sessions")]
    assert len(stored) == 1 and all(len(h) == 64 for h in stored)  # a hash, never the id
    assert replay(app, hub, cookie).get("/tasks").status_code == 200  # the copy works...
    assert me.post("/sign-out").status_code == 200
    # ...until the session is ended: a copy of the old cookie signs in nobody.
    assert replay(app, hub, cookie).get("/tasks").status_code == 302


def test_an_administrator_signs_a_person_out_everywhere(app, hub, browser, cycle):
    laptop, phone, colleague = browser("alpha-01"), browser("alpha-01"), browser("alpha-02")
    result = run_cli(hub, "people", "sign-out", "alpha-01")
    assert result.exit_code == 0, result.output
    assert "alpha-01: 2 web session(s) ended" in result.stdout
    assert laptop.get("/tasks").status_code == 302
    assert phone.get("/tasks").status_code == 302
    assert colleague.get("/tasks").status_code == 200
    events = list(hub.db.query("SELECT * FROM events WHERE action = 'web.signed_out'"))
    assert [e["entity_id"] for e in events] == ["alpha-01"]
    assert run_cli(hub, "people", "sign-out", "nobody").exit_code != 0


def test_a_session_ends_after_its_hours(app, hub, browser, clock, cycle):
    me = browser("alpha-01")
    clock.advance(hours=11)
    assert me.get("/tasks").status_code == 200
    clock.advance(hours=2)
    assert me.get("/tasks").status_code == 302


def test_wrong_links_from_one_address_are_throttled(app, hub, browser, clock, cycle):
    client = browser(None)
    for _ in range(10):
        assert client.post("/sign-in", {"token": "guess"}).status_code == 403
    [invitation] = tokens.invite(hub, [hub.people.get("alpha-01")], base_url="http://h")
    token = invitation.url.rsplit("/", 1)[1]
    refused = client.post("/sign-in", {"token": token})
    assert refused.status_code == 429  # even a good link waits: guessing gains nothing
    assert refused.headers["Retry-After"] == str(15 * 60)
    assert "Too many attempts from here. Wait 15 minutes" in refused.text
    other = Browser(app, hub)
    other.client.environ_base["REMOTE_ADDR"] = "10.0.0.7"  # another machine is not held up
    assert other.post("/sign-in", {"token": "guess"}).status_code == 403
    clock.advance(minutes=16)
    assert client.post("/sign-in", {"token": token}).status_code == 302
    stored = [r["key_hash"] for r in hub.db.query("SELECT key_hash FROM web_attempts")]
    assert not any("127.0.0.1" in k for k in stored)


def test_the_throttle_speaks_the_browsers_language(browser, cycle):
    client = browser(None)
    for _ in range(11):
        page = client.post("/sign-in", {"token": "x"}, headers={"Accept-Language": "da"})
    assert page.status_code == 429 and "For mange forsøg herfra" in page.text


# -- links by email ------------------------------------------------------------------------


@pytest.fixture
def mailing_app(hub: Hub, hub_factory, cycle) -> Any:
    web = attrs.evolve(hub.config.web, base_url="https://desk.example.org")
    hub.config = attrs.evolve(hub.config, web=web)
    made = create_app(hub_factory)
    made.testing = True
    return made


def outbox(hub: Hub) -> list[email.message.EmailMessage]:
    folder = hub.path("outbox")
    if not folder.is_dir():
        return []
    return [
        email.message_from_bytes(path.read_bytes(), policy=policy.default)
        for path in sorted(folder.glob("*.eml"))
    ]


def test_the_email_form_shows_only_with_a_base_url(app, browser, cycle):
    page = browser(None).get("/sign-in").text
    assert 'name="email"' not in page and "Ask your manager or HR" in page
    assert (
        browser(None).post("/sign-in/email", {"email": "alpha-01@example.org"}).status_code == 404
    )


def test_a_person_gets_a_new_link_by_email(mailing_app, hub, cycle):
    client = Browser(mailing_app, hub)
    client.client.environ_base["HTTP_HOST"] = "evil.example"  # a forged Host is never used
    assert 'name="email"' in client.get("/sign-in").text
    answer = client.post("/sign-in/email", {"email": "  Alpha-01@Example.org "})
    assert answer.status_code == 200 and "a sign-in link is on its way" in answer.text
    [message] = outbox(hub)
    assert message["To"] == "alpha-01@example.org"
    body = message.get_body(("plain",)).get_content()
    link = re.search(r"https://desk\.example\.org(/sign-in/\S+)", body)
    assert link and "evil.example" not in body
    assert "expires in 3 days" in body  # [web] link_days
    token = link.group(1).rsplit("/", 1)[1]
    fresh = Browser(mailing_app, hub)
    assert fresh.post("/sign-in", {"token": token}).status_code == 302
    assert fresh.get("/tasks").status_code == 200


def test_the_answer_never_tells_who_works_here(mailing_app, hub, cycle):
    known = Browser(mailing_app, hub).post("/sign-in/email", {"email": "alpha-01@example.org"})
    unknown = Browser(mailing_app, hub).post("/sign-in/email", {"email": "who@example.org"})
    assert known.status_code == unknown.status_code == 200

    def said(page: Any, address: str) -> str:
        text = page.text.replace(address, "ADDRESS")
        return re.sub(r'name="csrf_token" value="[^"]*"', "", text)

    assert said(known, "alpha-01@example.org") == said(unknown, "who@example.org")
    assert [m["To"] for m in outbox(hub)] == ["alpha-01@example.org"]


def test_links_by_email_are_limited_per_address_and_per_client(mailing_app, hub, cycle):
    client = Browser(mailing_app, hub)
    for _ in range(5):
        page = client.post("/sign-in/email", {"email": "alpha-02@example.org"})
        assert page.status_code == 200  # the same answer, but...
    assert len(outbox(hub)) == 3  # ...only three links an hour for one address
    for n in range(5):
        client.post("/sign-in/email", {"email": f"someone-{n}@example.org"})
    refused = client.post("/sign-in/email", {"email": "alpha-03@example.org"})
    assert refused.status_code == 429 and "Retry-After" in refused.headers
    assert len(outbox(hub)) == 3


def test_a_malformed_address_is_explained_in_the_page(mailing_app, hub, cycle):
    page = Browser(mailing_app, hub).post(
        "/sign-in/email", {"email": "no-at-sign"}, headers={"Accept-Language": "es"}
    )
    assert page.status_code == 400
    assert "Escribe la dirección de correo" in page.text
    assert outbox(hub) == []


def test_web_settings_are_checked_when_the_config_is_read():
    with pytest.raises(ValidationError, match=r"base_url 'desk\.example\.org' must start with"):
        structure({"web": {"base_url": "desk.example.org"}}, Config, source="corehub.toml")
    with pytest.raises(ValidationError, match="link_days must be 1 to 90"):
        structure({"web": {"link_days": 0}}, Config, source="corehub.toml")
    with pytest.raises(ValidationError, match=r"web\.typo: unknown key"):
        structure({"web": {"typo": 1}}, Config, source="corehub.toml")


def test_invitations_point_at_the_configured_address(hub, cycle):
    hub.config = attrs.evolve(
        hub.config, web=attrs.evolve(hub.config.web, base_url="https://desk.example.org/")
    )
    result = run_cli(hub, "people", "invite", "--person", "alpha-01")
    assert result.exit_code == 0, result.output
    assert "\thttps://desk.example.org/sign-in/" in result.stdout
