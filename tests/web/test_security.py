"""Who may see and change what: a matrix of roles x routes, CSRF, headers, sign-in links."""

from __future__ import annotations

import os
import stat

import pytest

from corehub.web import tokens
from corehub_feedback import store
from corehub_self_assessment import reviews
from tests.web.conftest import GOOD_MANAGER, GOOD_SELF, as_form, field_value

MAIN_TAG = '<main id="main" tabindex="-1">'  # the page's content starts here

ACTORS = {
    "employee": "alpha-01",
    "peer": "alpha-02",
    "manager": "alpha-lead",
    "other manager": "beta-lead",
    "hr": "hr-1",
    "signed out": None,
}


@pytest.fixture
def reviewed(browser, cycle):
    """alpha-01 submitted their self-assessment; alpha-lead submitted (not released) theirs."""
    me = browser("alpha-01")
    url = f"/reviews/{cycle.id}/alpha-01/self"
    version = field_value(me.get(url).text, "version")
    assert (
        me.post(url, {**as_form(GOOD_SELF), "version": version, "action": "submit"}).status_code
        == 302
    )
    lead = browser("alpha-lead")
    url = f"/reviews/{cycle.id}/alpha-01/manager"
    version = field_value(lead.get(url).text, "version")
    data = {**as_form(GOOD_MANAGER), "private_note": "PRIVATE-NOTE-XYZ", "version": version}
    assert lead.post(url, {**data, "action": "submit"}).status_code == 302
    return cycle


# route -> expected status per actor (302 for signed out: sent to the sign-in page)
MATRIX = {
    "/reviews/{c}/alpha-01": dict(
        employee=200, peer=403, manager=200, **{"other manager": 403}, hr=200
    ),
    "/reviews/{c}/alpha-01/manager": dict(
        employee=403, peer=403, manager=302, **{"other manager": 403}, hr=302
    ),
    "/reviews/{c}/alpha-01/self": dict(
        employee=302, peer=403, manager=302, **{"other manager": 403}, hr=302
    ),
    "/packet/{c}/alpha-01.pdf": dict(
        employee=200, peer=403, manager=200, **{"other manager": 403}, hr=200
    ),
    "/team": dict(employee=403, peer=403, manager=200, **{"other manager": 200}, hr=403),
    "/hr": dict(employee=403, peer=403, manager=403, **{"other manager": 403}, hr=200),
    "/feedback/results?person=alpha-01": dict(
        employee=200, peer=403, manager=200, **{"other manager": 403}, hr=200
    ),
    "/tasks": dict(employee=200, peer=200, manager=200, **{"other manager": 200}, hr=200),
}


def test_roles_by_routes(browser, reviewed):
    clients = {role: browser(pid) for role, pid in ACTORS.items()}
    answers = {}
    for route, expected in MATRIX.items():
        path = route.format(c=reviewed.id)
        for role, client in clients.items():
            answer = client.get(path)
            answers[(route, role)] = answer.status_code
            want = expected.get(role, 302)
            assert answer.status_code == want, f"{role} GET {path}: {answer.status_code}"
            if role == "signed out":
                assert answer.headers["Location"].endswith("/sign-in")
            body = answer.get_data(as_text=True) if answer.mimetype == "text/html" else ""
            if role in ("employee", "peer", "other manager"):
                assert "PRIVATE-NOTE-XYZ" not in body
            if answer.status_code == 403:
                assert "Calm with upset customers" not in body
    # the employee sees their own self-assessment but not the unreleased manager review
    page = clients["employee"].get(f"/reviews/{reviewed.id}/alpha-01").text
    assert "Calm with upset customers" in page and "pilot a macro library" not in page
    # the manager and HR see both, and the private note
    for role in ("manager", "hr"):
        page = clients[role].get(f"/reviews/{reviewed.id}/alpha-01").text
        assert "pilot a macro library" in page and "PRIVATE-NOTE-XYZ" in page
    # a manager's team page lists their own people only
    assert "Alpha Agent 1" in clients["manager"].get("/team").text
    assert "Alpha Agent 1" not in clients["other manager"].get("/team").text
    assert "Beta Agent 1" in clients["other manager"].get("/team").text


@pytest.mark.parametrize("role", ["employee", "peer", "other manager"])
def test_only_the_author_or_hr_releases(browser, hub, reviewed, role):
    client = browser(ACTORS[role])
    answer = client.post(f"/reviews/{reviewed.id}/alpha-01/release")
    assert answer.status_code == 403
    assert reviews.find(hub, reviewed.id, "alpha-01", "manager").review.status.value == "submitted"


def test_hr_may_release_and_only_the_person_acknowledges(browser, hub, reviewed):
    assert browser("hr-1").post(f"/reviews/{reviewed.id}/alpha-01/release").status_code == 302
    for pid in ("alpha-02", "alpha-lead", "hr-1"):
        assert browser(pid).post(f"/reviews/{reviewed.id}/alpha-01/acknowledge").status_code == 403
    assert (
        browser("beta-lead")
        .post(f"/reviews/{reviewed.id}/alpha-01/comment", {"text": "hi"})
        .status_code
        == 403
    )
    assert reviews.find(hub, reviewed.id, "alpha-01", "manager").review.status.value == "released"


def test_nobody_sees_an_anonymous_author(browser, hub, cycle, clock):
    author = browser("alpha-02")
    sent = author.post(
        "/feedback/suggestion", {"text": "Quiet room for hard calls", "anonymous": "yes"}
    )
    assert sent.status_code == 302
    [row] = list(hub.db.query("SELECT * FROM feedback WHERE kind = 'suggestion'"))
    assert row["author_id"] is None and row["given_at"] is None
    clock.advance(days=1)  # listed from the next day
    for role, pid in ACTORS.items():
        if pid is None:
            continue
        page = browser(pid).get("/feedback/suggestions").text.split(MAIN_TAG)[1]
        assert "Quiet room for hard calls" in page
        assert "Anonymous" in page
        assert "Alpha Agent 2" not in page and "From me" not in page, role


def test_aggregates_under_the_threshold_never_appear(browser, hub, cycle, clock):
    # beta-lead manages five agents, alpha-lead three; the threshold is 5
    for n in range(1, 6):
        answer = browser(f"beta-{n:02d}").post(
            "/feedback/upward", {"rating": "2", "text": f"UPWARD-COMMENT-{n}", "cycle": cycle.id}
        )
        assert answer.status_code == 302
    for n in range(1, 4):
        answer = browser(f"alpha-{n:02d}").post(
            "/feedback/upward", {"rating": "2", "text": f"ALPHA-UPWARD-{n}", "cycle": cycle.id}
        )
        assert answer.status_code == 302
    for pid in ("beta-lead", "boss", "hr-1"):
        page = browser(pid).get("/feedback/results?person=beta-lead").text
        assert "UPWARD-COMMENT" not in page and "Results appear after 30 Jun 2026" in page
    clock.set("2026-07-01")  # upward feedback in 2026 H1 has closed
    for pid in ("alpha-lead", "boss", "hr-1"):
        page = browser(pid).get("/feedback/results?person=alpha-lead").text
        assert "ALPHA-UPWARD" not in page and "fewer than 5 answers" in page
    page = browser("beta-lead").get("/feedback/results?person=beta-lead").text
    assert "UPWARD-COMMENT-5" in page and "5 answers" in page
    # an agent cannot look at their manager's results
    assert browser("beta-01").get("/feedback/results?person=beta-lead").status_code == 403


def test_every_post_needs_the_csrf_token(browser, hub, cycle):
    me = browser("alpha-01")
    answer = me.client.post("/feedback/suggestion", data={"text": "no token"})
    assert answer.status_code == 400 and "did not come from corehub" in answer.text
    answer = me.client.post("/feedback/suggestion", data={"text": "bad", "csrf_token": "x" * 43})
    assert answer.status_code == 400
    assert not list(hub.db.query("SELECT * FROM feedback"))


def test_security_headers_and_cookie(browser, cycle):
    out = browser()
    page = out.get("/sign-in")
    csp = page.headers["Content-Security-Policy"]
    assert "script-src" not in csp and "default-src 'none'" in csp and "'unsafe-inline'" not in csp
    assert "frame-ancestors 'none'" in csp
    assert page.headers["X-Frame-Options"] == "DENY"
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    assert page.headers["Referrer-Policy"] == "same-origin"
    assert "<script" not in page.text and "style=" not in page.text
    [invitation] = tokens.invite(out.hub, [out.hub.people.get("alpha-01")], base_url="http://h")
    token = invitation.url.rsplit("/", 1)[1]
    out.get(f"/sign-in/{token}")
    answer = out.post("/sign-in", {"token": token})
    cookie = answer.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert out.get("/static/web.css").status_code == 200


def test_sign_in_links_are_single_use_and_expire(browser, hub, clock, cycle):
    person = hub.people.get("alpha-01")
    [invitation] = tokens.invite(hub, [person], base_url="http://h", days=2)
    token = invitation.url.rsplit("/", 1)[1]
    stored = [r["token_hash"] for r in hub.db.query("SELECT token_hash FROM sign_in_tokens")]
    assert token not in stored and tokens.token_hash(token) in stored  # kept hashed only
    first = browser()
    assert first.get(f"/sign-in/{token}").status_code == 200  # showing the link uses nothing
    assert first.post("/sign-in", {"token": token}).status_code == 302
    assert "My tasks" in first.get("/tasks").text
    again = browser()
    refused = again.post("/sign-in", {"token": token})
    assert refused.status_code == 403 and "not valid" in refused.text
    [late] = tokens.invite(hub, [person], base_url="http://h", days=2)
    clock.advance(days=3)
    assert browser().post("/sign-in", {"token": late.url.rsplit("/", 1)[1]}).status_code == 403
    assert browser().post("/sign-in", {"token": "guess"}).status_code == 403
    # three days on, the 12-hour session is over on the server, whatever the cookie says
    assert first.get("/tasks").status_code == 302
    # signing out ends the session
    second = browser("alpha-01")
    assert second.post("/sign-out").status_code == 200
    assert second.get("/tasks").status_code == 302


def test_a_deactivated_person_is_signed_out(browser, hub, cycle):
    import attrs

    me = browser("alpha-03")
    assert me.get("/tasks").status_code == 200
    hub.people.save([attrs.evolve(hub.people.get("alpha-03"), active=False)])
    assert me.get("/tasks").status_code == 302


def test_the_session_key_is_kept_private_in_the_workspace(hub, monkeypatch):
    monkeypatch.delenv(tokens.SECRET_KEY_ENV, raising=False)
    key = tokens.secret_key(hub)
    path = hub.workspace / tokens.SECRET_KEY_FILE
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert tokens.secret_key(hub) == key
    assert key.decode() not in (hub.workspace / "corehub.toml").read_text()
    os.chmod(path, 0o644)
    with pytest.raises(Exception, match="readable by others"):
        tokens.secret_key(hub)
    monkeypatch.setenv(tokens.SECRET_KEY_ENV, "k" * 40)
    assert tokens.secret_key(hub) == b"k" * 40


def test_invite_prints_links_or_sends_them(cli, hub, cycle):
    result = cli("people", "invite", "--team", "alpha", "--base-url", "https://desk.example.org")
    assert result.exit_code == 0, result.output
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 4 and all("https://desk.example.org/sign-in/" in line for line in lines)
    sent = cli("people", "invite", "--person", "alpha-01", "--send")
    assert sent.exit_code == 0, sent.output
    assert "/sign-in/" not in sent.stdout  # the link goes to the person only
    [eml] = list((hub.workspace / "outbox").glob("*.eml"))
    assert "/sign-in/" in eml.read_text()
    assert cli("people", "invite").exit_code != 0
    bad = cli("people", "invite", "--person", "alpha-01", "--base-url", "desk")
    assert bad.exit_code != 0 and "must start with http" in bad.output
    assert hub.db.execute("SELECT count(*) FROM sign_in_tokens").fetchone()[0] == 5


def test_feedback_forms_keep_what_was_typed_on_errors(browser, hub, cycle):
    me = browser("alpha-01")
    answer = me.post("/feedback/praise", {"to": "", "text": "You were great <3"})
    assert answer.status_code == 400
    assert "needs a recipient" in answer.text and "You were great &lt;3" in answer.text
    assert (
        me.post(
            "/feedback/praise", {"to": "alpha-02", "text": "Great", "tags": "teamwork"}
        ).status_code
        == 302
    )
    assert "Great" in browser("alpha-02").get("/feedback/").text


def test_a_suggestion_is_answered_with_its_reasoning(browser, hub, cycle):
    browser("alpha-01").post("/feedback/suggestion", {"text": "Macro library"})
    [item] = store.list_feedback(hub, kind="suggestion")
    agent = browser("alpha-02")
    assert "Send answer" not in agent.get("/feedback/suggestions").text
    assert agent.post(f"/feedback/suggestions/{item.id}/respond", {"text": "x"}).status_code == 403
    lead = browser("alpha-lead")
    bad = lead.post(
        f"/feedback/suggestions/{item.id}/respond", {"text": "Yes", "status": "implemented"}
    )
    assert bad.status_code == 400 and "cannot become implemented" in bad.text
    ok = lead.post(
        f"/feedback/suggestions/{item.id}/respond",
        {"text": "Looking into it", "status": "under_review"},
    )
    assert ok.status_code == 302
    page = browser("alpha-01").get("/feedback/suggestions").text
    assert "Looking into it" in page and "under review" in page


def test_peer_feedback_task(browser, hub, cycle):
    from corehub_feedback import peers

    peers.request_peers(
        hub,
        cycle=cycle.id,
        person="alpha-01",
        peers=["alpha-02", "alpha-03", "beta-02", "beta-03", "beta-04"],
    )
    peer = browser("alpha-02")
    assert f"/feedback/peer/{cycle.id}/alpha-01" in peer.get("/tasks").text
    assert browser("beta-01").get(f"/feedback/peer/{cycle.id}/alpha-01").status_code == 404
    empty = peer.post(f"/feedback/peer/{cycle.id}/alpha-01", {"rating": "4"})
    assert empty.status_code == 400 and "keep doing" in empty.text
    done = peer.post(f"/feedback/peer/{cycle.id}/alpha-01", {"rating": "4", "keep_doing": "Calm"})
    assert done.status_code == 302
    assert "already given" in peer.get(f"/feedback/peer/{cycle.id}/alpha-01").text
    # one answer is under the threshold: nothing shows, not even to the person
    results = browser("alpha-01").get("/feedback/results").text
    assert "Calm" not in results
    # the person sees how many were asked, never a count that moves with each answer
    assert "5 peers asked; results are shown from 5 answers." in results
    assert "1 of 5" not in results and "alpha-02" not in results
    # their manager sees how far the answers are
    lead = browser("alpha-lead").get("/feedback/results?person=alpha-01").text
    assert "1 of 5 peers have answered." in lead
    assert "4 more answers are needed before anything is shown." in lead


def test_tasks_show_due_dates_and_overdue_marks(browser, clock, cycle):
    me = browser("alpha-01")
    page = me.get("/tasks").text
    assert "To do" in page and "Overdue" not in page
    clock.set("2026-03-25")  # weeks later: the old session is over, sign in again
    assert "Overdue" in browser("alpha-01").get("/tasks").text
