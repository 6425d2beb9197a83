"""Web sessions that end on the server, throttled sign-in, and links asked for by email."""

from __future__ import annotations

import datetime as dt
import email
import re
import threading
from email import policy
from typing import Any

import attrs
import pytest

from corehub.config import Config
from corehub.errors import ValidationError
from corehub.hub import Hub
from corehub.models.converter import structure
from corehub.testing import run_cli
from corehub.web import sessions, throttle, tokens
from corehub.web.app import create_app
from tests.web.conftest import Browser

COOKIE = "corehub_session"


def replay(app: Any, hub: Hub, cookie: str) -> Browser:
    """A second browser holding a copy of someone's session cookie."""
    thief = Browser(app, hub)
    thief.client.set_cookie(COOKIE, cookie)
    return thief


def link_for(hub: Hub, person_id: str) -> str:
    [invitation] = tokens.invite(hub, [hub.people.get(person_id)], base_url="http://h")
    return invitation.url.rsplit("/", 1)[1]


def with_web(hub: Hub, hub_factory: Any, **settings: Any) -> Any:
    """The web app with ``[web]`` settings changed."""
    hub.config = attrs.evolve(hub.config, web=attrs.evolve(hub.config.web, **settings))
    made = create_app(hub_factory)
    made.testing = True
    return made


# -- sessions ------------------------------------------------------------------------------


def test_signing_out_ends_the_session_on_the_server(app, hub, browser, cycle):
    me = browser("alpha-01")
    cookie = me.client.get_cookie(COOKIE).value
    stored = [r["sid_hash"] for r in hub.db.query("SELECT sid_hash FROM web_sessions")]
    assert len(stored) == 1 and all(len(h) == 64 for h in stored)  # a hash, never the id
    assert replay(app, hub, cookie).get("/tasks").status_code == 200  # the copy works...
    assert me.post("/sign-out").status_code == 200
    # ...until the session is ended: a copy of the old cookie signs in nobody.
    assert replay(app, hub, cookie).get("/tasks").status_code == 302


def test_a_request_that_changes_nothing_leaves_the_cookie_alone(app, hub, browser, cycle):
    """A font, a stylesheet or a page still loading when a form is sent carries the cookie
    of a moment ago: its answer must not overwrite the newer cookie (with the message after
    the save) that the form's answer set."""
    me = browser("alpha-02")
    before = me.client.get_cookie(COOKIE).value
    for quiet in ("/tasks", "/fonts/Inter-Regular.otf", "/static/web.css"):
        assert "Set-Cookie" not in me.get(quiet).headers, quiet
    sent = me.post("/feedback/suggestion", {"text": "A quiet room for difficult calls."})
    assert sent.status_code == 302 and "Set-Cookie" in sent.headers  # the message, kept
    late = replay(app, hub, before).get("/fonts/Inter-Bold.otf")
    assert late.status_code == 200 and "Set-Cookie" not in late.headers
    assert "Suggestion sent." in me.get("/feedback/").get_data(as_text=True)


def test_a_missing_icon_or_picture_leaves_the_message_to_the_page(app, hub, browser, cycle):
    """A browser asks for /favicon.ico, and a page may name a picture or font that is gone,
    with the newest cookie, which may hold the message after a save. The "not found"
    answer is a page too (it shows messages): it must not take the message away from the
    page it is meant for, nor write the cookie at all."""
    me = browser("alpha-02")
    sent = me.post("/feedback/suggestion", {"text": "A quiet room for difficult calls."})
    assert sent.status_code == 302 and "Set-Cookie" in sent.headers
    for path, dest in (
        ("/favicon.ico", "image"),
        ("/fonts/Gone.otf", "font"),
        ("/static/gone.css", "style"),
    ):
        missing = me.get(path, headers={"Sec-Fetch-Dest": dest})
        assert missing.status_code == 404 and "Set-Cookie" not in missing.headers, path
    assert "Suggestion sent." in me.get("/feedback/").get_data(as_text=True)


def test_signing_in_again_ends_the_browsers_earlier_session(app, hub, browser, cycle):
    me = browser("alpha-01")
    old = me.client.get_cookie(COOKIE).value
    token = link_for(hub, "alpha-02")
    assert me.post("/sign-in", {"token": token}).status_code == 302
    assert "Alpha Agent 2" in me.get("/tasks").text or me.get("/tasks").status_code == 200
    assert replay(app, hub, old).get("/tasks").status_code == 302
    live = list(hub.db.query("SELECT person_id FROM web_sessions WHERE ended_at IS NULL"))
    assert [r["person_id"] for r in live] == ["alpha-02"]


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


def test_leaving_ends_sessions_and_links_for_good(app, hub, browser, cycle):
    me = browser("alpha-03")
    unused = link_for(hub, "alpha-03")
    hub.people.save([attrs.evolve(hub.people.get("alpha-03"), active=False)])
    assert me.get("/tasks").status_code == 302
    hub.people.save([attrs.evolve(hub.people.get("alpha-03"), active=True)])  # back again
    assert me.get("/tasks").status_code == 302  # the old session does not come back...
    assert browser(None).post("/sign-in", {"token": unused}).status_code == 403  # ...nor the link
    assert browser("alpha-03").get("/tasks").status_code == 200  # a new link works


def test_a_session_ends_after_its_hours(app, hub, browser, clock, cycle, hub_factory):
    me = browser("alpha-01")
    clock.advance(hours=11)
    assert me.get("/tasks").status_code == 200
    clock.advance(hours=2)
    assert me.get("/tasks").status_code == 302
    short = Browser(with_web(hub, hub_factory, session_hours=1), hub).sign_in("alpha-01")
    clock.advance(minutes=50)
    assert short.get("/tasks").status_code == 200
    clock.advance(minutes=20)
    assert short.get("/tasks").status_code == 302


def test_a_cookie_from_before_server_sessions_signs_in_nobody(app, hub, cycle):
    old = Browser(app, hub)
    with old.client.session_transaction() as session:
        session["person"] = "alpha-01"
    assert old.get("/tasks").status_code == 302
    with old.client.session_transaction() as session:
        assert "person" not in session  # and the stale key is gone


# -- throttling ----------------------------------------------------------------------------


def test_wrong_links_from_one_address_are_throttled(app, hub, browser, clock, cycle):
    client = browser(None)
    for _ in range(10):
        assert client.post("/sign-in", {"token": "guess"}).status_code == 403
        clock.advance(seconds=30)
    refused = client.post("/sign-in", {"token": "guess"})
    assert refused.status_code == 429
    # the oldest of the ten leaves the 15-minute window 15:00 - 5:00 = 10 minutes from now
    assert refused.headers["Retry-After"] == str(10 * 60)
    assert "Too many attempts from here. Wait 10 minutes" in refused.text
    # A good link still signs in: it cannot be guessed, and an office sharing one address
    # is never locked out by someone else's mistakes.
    assert client.post("/sign-in", {"token": link_for(hub, "alpha-01")}).status_code == 302
    other = Browser(app, hub)
    other.client.environ_base["REMOTE_ADDR"] = "10.0.0.7"  # another machine is not held up
    assert other.post("/sign-in", {"token": "guess"}).status_code == 403
    clock.advance(minutes=11)
    assert browser(None).post("/sign-in", {"token": "guess"}).status_code == 403
    secret = app.extensions["corehub"]["throttle_secret"]
    stored = {r["key_hash"] for r in hub.db.query("SELECT key_hash FROM web_attempts")}
    assert throttle.key_hash(secret, "sign_in:127.0.0.1") in stored  # keyed hashes only
    assert not any(k in stored for k in ("127.0.0.1", "sign_in:127.0.0.1"))


def test_the_throttle_speaks_the_browsers_language(browser, cycle):
    client = browser(None)
    for _ in range(11):
        page = client.post("/sign-in", {"token": "x"}, headers={"Accept-Language": "da"})
    assert page.status_code == 429 and "For mange forsøg herfra" in page.text


def attempts_from(app: Any, hub: Hub, remote: str, forwarded: str) -> list[int]:
    client = Browser(app, hub)
    client.client.environ_base["REMOTE_ADDR"] = remote
    return [
        client.post("/sign-in", {"token": "x"}, headers={"X-Forwarded-For": forwarded}).status_code
        for _ in range(11)
    ]


def test_forwarded_addresses_count_only_from_a_trusted_proxy(hub, hub_factory, cycle):
    app = create_app(hub_factory)
    # No proxy configured: a client inventing X-Forwarded-For is still itself.
    codes = [attempts_from(app, hub, "203.0.113.9", f"198.51.100.{n}")[-1] for n in range(2)]
    assert codes == [429, 429]
    proxied = with_web(hub, hub_factory, trusted_proxies=["127.0.0.1"])
    # Behind the proxy, each client it names is counted on its own...
    assert attempts_from(proxied, hub, "127.0.0.1", "198.51.100.1")[-1] == 429
    assert attempts_from(proxied, hub, "127.0.0.1", "198.51.100.2")[0] == 403
    # ...and a machine that is not the proxy cannot use the header to escape its count.
    assert attempts_from(proxied, hub, "203.0.113.50", "198.51.100.3")[-1] == 429
    assert attempts_from(proxied, hub, "203.0.113.50", "198.51.100.4")[0] == 429


def test_concurrent_requests_never_pass_the_limit_nor_lock_the_database(hub, cycle, monkeypatch):
    """Eight threads with their own connections, as waitress serves them."""
    monkeypatch.setitem(throttle.LIMITS, "link_email", throttle.Limit(100, dt.timedelta(hours=1)))
    hubs = [
        Hub(hub.workspace, config=hub.config, clock=hub.clock, plugin_manager=hub.pm)
        for _ in range(8)
    ]
    sid = sessions.start(hub, "alpha-01")
    hub.clock.advance(minutes=10)  # every lookup below wants to record last_seen_at
    allowed: list[bool] = []
    errors: list[BaseException] = []
    start = threading.Barrier(len(hubs))

    def work(mine: Hub) -> None:
        try:
            start.wait()
            for _ in range(40):
                assert sessions.person_for(mine, sid) is not None
                allowed.append(throttle.take(mine, "link_email", "k") is None)
        except BaseException as exc:
            errors.append(exc)
        finally:
            mine.close()

    threads = [threading.Thread(target=work, args=(h,)) for h in hubs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert allowed.count(True) == 100  # exactly the limit, of 320 tries


# -- links by email ------------------------------------------------------------------------


@pytest.fixture
def mailing_app(hub: Hub, hub_factory, cycle) -> Any:
    return with_web(hub, hub_factory, base_url="https://desk.example.org")


def outbox(hub: Hub) -> list[email.message.EmailMessage]:
    folder = hub.path("outbox")
    if not folder.is_dir():
        return []
    return [
        email.message_from_bytes(path.read_bytes(), policy=policy.default)
        for path in sorted(folder.glob("*.eml"))
    ]


def ask(app: Any, hub: Hub, address: str, client: Browser | None = None, **kwargs: Any) -> Any:
    """Ask for a link; the mail goes once the page has been sent (the response closed)."""
    answer = (client or Browser(app, hub)).post("/sign-in/email", {"email": address}, **kwargs)
    answer.close()
    return answer


def test_the_email_form_shows_only_with_a_base_url(app, browser, cycle):
    page = browser(None).get("/sign-in").text
    assert 'name="email"' not in page and "Ask your manager or HR" in page
    refused = browser(None).post("/sign-in/email", {"email": "alpha-01@example.org"})
    assert refused.status_code == 404


def test_a_person_gets_a_new_link_by_email(mailing_app, hub, cycle):
    client = Browser(mailing_app, hub)
    client.client.environ_base["HTTP_HOST"] = "evil.example"  # a forged Host is never used
    assert 'name="email"' in client.get("/sign-in").text
    answer = client.client.post(
        "/sign-in/email", data={"email": "  Alpha-01@Example.org ", "csrf_token": client.csrf()}
    )
    assert outbox(hub) == []  # nothing is sent while the page is being answered
    answer.close()
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


def test_the_address_is_looked_up_by_key_not_in_everyone(mailing_app, hub, cycle, monkeypatch):
    """The person a link is asked for is read by their address's key: the organization is
    never listed (a cost that would grow with it on every request); an address in another
    case still finds them, and a deactivated person gets nothing."""
    from corehub.people import People

    def everyone(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("listed everyone to find one address")

    monkeypatch.setattr(People, "list", everyone)
    ask(mailing_app, hub, "ALPHA-02@example.ORG")
    assert [m["To"] for m in outbox(hub)] == ["alpha-02@example.org"]
    hub.people.save([attrs.evolve(hub.people.get("alpha-03"), active=False)])
    ask(mailing_app, hub, "alpha-03@example.org")
    assert [m["To"] for m in outbox(hub)] == ["alpha-02@example.org"]


def test_the_address_is_compared_as_imports_compare_it(mailing_app, hub, cycle):
    """An address in another Unicode form (full-width letters, as some keyboards type
    them) is the person's address, as it is for the people finder and for the
    uniqueness of addresses."""
    ask(mailing_app, hub, " \uff21\uff2c\uff30\uff28\uff21-02@example.org")
    assert [m["To"] for m in outbox(hub)] == ["alpha-02@example.org"]


def test_the_answer_never_tells_who_works_here(mailing_app, hub, cycle):
    known = ask(mailing_app, hub, "alpha-01@example.org")
    unknown = ask(mailing_app, hub, "who@example.org")
    assert known.status_code == unknown.status_code == 200

    def said(page: Any, address: str) -> str:
        text = page.text.replace(address, "ADDRESS")
        return re.sub(r'name="csrf_token" value="[^"]*"', "", text)

    assert said(known, "alpha-01@example.org") == said(unknown, "who@example.org")
    assert [m["To"] for m in outbox(hub)] == ["alpha-01@example.org"]


def test_a_failing_mail_server_changes_nothing_in_the_answer(hub, hub_factory, cycle):
    hub.config = attrs.evolve(
        hub.config, smtp=attrs.evolve(hub.config.smtp, host="127.0.0.1", port=9, timeout_s=2)
    )
    app = with_web(hub, hub_factory, base_url="https://desk.example.org")
    answer = ask(app, hub, "alpha-01@example.org")
    assert answer.status_code == 200 and "a sign-in link is on its way" in answer.text


def test_links_by_email_are_limited_per_address_and_per_client(mailing_app, hub, clock, cycle):
    client = Browser(mailing_app, hub)
    for _ in range(5):
        assert ask(mailing_app, hub, "alpha-02@example.org", client).status_code == 200
    assert len(outbox(hub)) == 3  # the same answer, but only three links an hour...
    clock.advance(minutes=61)
    for _ in range(4):
        ask(mailing_app, hub, "alpha-02@example.org")
    assert len(outbox(hub)) == 6  # ...and six a day for one address
    for n in range(6):  # ten asked from this machine within the hour
        ask(mailing_app, hub, f"someone-{n}@example.org", client)
    refused = ask(mailing_app, hub, "alpha-03@example.org", client)
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    assert len(outbox(hub)) == 6


def test_an_address_written_another_way_counts_against_the_same_limit(mailing_app, hub, cycle):
    for written in ("alpha-02@example.org", "ALPHA-02@example.org", " alpha-02@EXAMPLE.org"):
        ask(mailing_app, hub, written)
    assert len(outbox(hub)) == 3
    # full-width letters name the same person, so they get no fourth link within the hour
    ask(mailing_app, hub, "\uff41\uff4c\uff50\uff48\uff41-02@example.org")
    assert len(outbox(hub)) == 3


def test_a_malformed_address_is_explained_in_the_page(mailing_app, hub, cycle):
    page = ask(mailing_app, hub, "no-at-sign", headers={"Accept-Language": "es"})
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


def test_spent_links_are_cleared_away(hub, clock, cycle):
    link_for(hub, "alpha-01")
    clock.advance(days=40)  # expired 33 days ago
    link_for(hub, "alpha-02")
    rows = list(hub.db.query("SELECT person_id FROM sign_in_tokens"))
    assert [r["person_id"] for r in rows] == ["alpha-02"]


@pytest.mark.parametrize(
    ("address", "client"),
    [
        ("192.0.2.7", "192.0.2.7"),
        ("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"),  # one network, any address in it
        ("2001:db8:1:2:ffff::1", "2001:db8:1:2::/64"),
        ("::ffff:192.0.2.7", "192.0.2.7"),
        (None, "unknown"),
    ],
)
def test_a_client_is_its_address_or_its_ipv6_network(address, client):
    assert throttle.client_of(address) == client


def test_a_link_asked_for_in_a_language_comes_in_that_language(mailing_app, hub, cycle):
    """Someone with no language of their own gets the mail in the page's language."""
    hub.people.save([attrs.evolve(hub.people.get("alpha-02"), locale=None)])
    ask(mailing_app, hub, "alpha-02@example.org", headers={"Accept-Language": "sv"})
    [message] = outbox(hub)
    assert message["Subject"].startswith("Din inloggningslänk till")


def _serve(hub: Hub, monkeypatch: pytest.MonkeyPatch, *args: str) -> Any:
    """Run `corehub serve ARGS` on a hub of its own, with waitress returning at once."""
    import waitress

    served: dict[str, Any] = {}
    monkeypatch.setattr(waitress, "serve", lambda app, **kw: served.update(kw))
    own = Hub(hub.workspace, config=hub.config, clock=hub.clock, plugin_manager=hub.pm)
    result = run_cli(own, "serve", *args)
    assert result.exit_code == 0, result.output
    return result, served


def test_invitations_point_where_serve_runs(hub, cycle, monkeypatch):
    before = run_cli(hub, "people", "invite", "--person", "alpha-01")
    assert "\thttp://127.0.0.1:8000/sign-in/" in before.stdout
    assert "Links point at http://127.0.0.1:8000 (the default of `corehub serve`" in before.stderr
    result, served = _serve(hub, monkeypatch, "--port", "8740")
    assert served["port"] == 8740
    assert "Sign-in links from `corehub people invite` use http://127.0.0.1:8740" in (result.stdout)
    after = run_cli(hub, "people", "invite", "--person", "alpha-01")
    assert after.exit_code == 0, after.output
    assert "\thttp://127.0.0.1:8740/sign-in/" in after.stdout
    assert "Links point at http://127.0.0.1:8740 (where `corehub serve` last ran" in after.stderr
    given = run_cli(
        hub, "people", "invite", "--person", "alpha-01", "--base-url", "https://x.example"
    )
    assert "\thttps://x.example/sign-in/" in given.stdout and "(--base-url)" in given.stderr


def test_serve_says_which_base_url_links_use_when_it_is_configured(hub, cycle, monkeypatch):
    hub.config = attrs.evolve(
        hub.config, web=attrs.evolve(hub.config.web, base_url="https://desk.example.org")
    )
    result, _ = _serve(hub, monkeypatch, "--port", "8740")
    assert "Sign-in links use [web] base_url: https://desk.example.org" in result.stdout
    invite = run_cli(hub, "people", "invite", "--person", "alpha-01")
    assert "\thttps://desk.example.org/sign-in/" in invite.stdout
    assert "([web] base_url in corehub.toml)" in invite.stderr


def test_serve_on_a_port_in_use_is_one_sentence(hub, cycle, monkeypatch):
    import waitress

    def busy(app, **kw):
        raise OSError(98, "Address already in use")

    monkeypatch.setattr(waitress, "serve", busy)
    own = Hub(hub.workspace, config=hub.config, clock=hub.clock, plugin_manager=hub.pm)
    result = run_cli(own, "serve", "--port", "8740")
    assert result.exit_code == 1
    assert "cannot serve on 127.0.0.1:8740: Address already in use" in result.stderr
    assert "Traceback" not in result.stderr
