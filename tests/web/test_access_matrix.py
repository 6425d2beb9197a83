"""Who may see whom and act for whom, role by role, over the command line and the web.

The org chart of tests/web/conftest.py, plus alpha-04: in team alpha, but reporting to
beta-lead (a supervisor with one report in another team). For team alpha and its member
alpha-01 the roles are:

    person      alpha-01       the person
    peer        alpha-02       a colleague in the same team
    manager     alpha-lead     their manager, and the team's own manager (its lead)
    cross       beta-lead      manages one member of team alpha (alpha-04), nobody else there
    director    boss           above both leads
    hr          hr-1           organization.hr
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import attrs
import pytest

from corehub.models import Level, Person
from corehub_training_tracker.training import Training
from tests.web.conftest import GOOD_MANAGER, GOOD_SELF, as_form, field_value

ROLES = {
    "person": "alpha-01",
    "peer": "alpha-02",
    "manager": "alpha-lead",
    "cross": "beta-lead",
    "director": "boss",
    "hr": "hr-1",
}
NOTE = "PRIVATE-NOTE-7Q"


@pytest.fixture
def org(org: dict[str, Person], hub: Any) -> dict[str, Person]:
    """The conftest org chart plus alpha-04 (team alpha, managed by beta-lead)."""
    extra = Person(
        id="alpha-04",
        name="Alpha Agent 4",
        level=Level.OPERATIONAL,
        team="alpha",
        manager_id="beta-lead",
        email="alpha-04@example.org",
        role="Service desk agent",
    )
    # Team delta: its lead is an agent too (reviewed on the agent form, like the others).
    delta = [
        Person(
            id="delta-lead",
            name="Dora Lead",
            level=Level.OPERATIONAL,
            team="delta",
            manager_id="boss",
            email="delta-lead@example.org",
        ),
        Person(
            id="delta-01",
            name="Delta Agent 1",
            level=Level.OPERATIONAL,
            team="delta",
            manager_id="delta-lead",
            email="delta-01@example.org",
        ),
    ]
    hub.people.save([extra, *delta])
    return {**org, **{p.id: p for p in (extra, *delta)}}


def _run(cli: Any, role: str, *args: str) -> Any:
    return cli("--as", ROLES[role], *args)


# -- the rules themselves --------------------------------------------------------------


def test_the_team_s_own_managers_are_its_lead_and_those_above(hub, org):
    from corehub import access

    assert [p.id for p in access.team_leads(hub, "alpha")] == ["alpha-lead"]
    assert {p.id for p in access.team_managers(hub, "alpha")} == {"alpha-lead", "boss"}
    assert access.may_see_team(hub, "alpha-lead", "alpha")
    assert not access.may_see_team(hub, "beta-lead", "alpha")  # manages alpha-04 only
    assert access.may_see_team(hub, "hr-1", "alpha")
    assert not access.may_see_team(hub, "alpha-lead", None)  # every team: HR's
    # A team led from outside it (its people report to a supervisor in another team).
    outside = [
        Person(id="mgr-x", name="Xavier Manager", team="Management", manager_id="boss"),
        *(
            Person(id=f"gam-{i}", name=f"Gamma {i}", team="gamma", manager_id="mgr-x")
            for i in range(1, 4)
        ),
        Person(id="gam-9", name="Gamma 9", team="gamma", manager_id="beta-lead"),
    ]
    hub.people.save(outside)
    assert {p.id for p in access.team_managers(hub, "gamma")} == {"mgr-x", "boss"}
    assert not access.may_see_team(hub, "beta-lead", "gamma")


def test_the_same_answers_for_people_and_for_acting_as_them(hub, org):
    from corehub import access

    expected_see = {
        "person": True,
        "peer": False,
        "manager": True,
        "cross": False,
        "director": True,
        "hr": True,
    }
    for role, pid in ROLES.items():
        assert access.may_see_person(hub, pid, "alpha-01") is expected_see[role], role
        assert access.is_self(hub, pid, "alpha-01") is (role == "person"), role
    assert access.may_see_person(hub, "beta-lead", "alpha-04")
    assert not access.may_see_person(hub, "alpha-lead", "alpha-04")


# -- team summary: CLI (feedback summary --team, render summary) and web -------------------

SUMMARY = {
    "person": False,
    "peer": False,
    "manager": True,
    "cross": False,
    "director": True,
    "hr": True,
}


@pytest.mark.parametrize("role", ROLES)
def test_feedback_summary_of_a_team_by_role(cli, cycle, role):
    result = _run(cli, role, "feedback", "summary", "--team", "alpha", "--json")
    if SUMMARY[role]:
        assert result.exit_code == 0, result.stderr
        assert result.json()["team"] == "alpha"
    else:
        assert result.exit_code != 0
        assert "Traceback" not in result.stderr
        # --json asked: the refusal is a JSON error on stderr
        error = json.loads(result.stderr)
        assert "only the team's own managers and HR can" in error["error"]


@pytest.mark.parametrize("role", ROLES)
def test_render_summary_of_a_team_by_role(cli, cycle, role, tmp_path):
    target = tmp_path / f"summary-{role}.pdf"
    result = _run(
        cli, role, "render", "summary", "--cycle", cycle.name, "--team", "alpha", "-o", str(target)
    )
    if SUMMARY[role]:
        assert result.exit_code == 0, result.stderr
        assert target.read_bytes().startswith(b"%PDF")
    else:
        assert result.exit_code != 0 and not target.exists()
        assert result.stderr.count("\n") == 1
        assert "may not see team alpha" in result.stderr


@pytest.mark.parametrize("role", [r for r in ROLES if not SUMMARY[r]])
def test_render_cycle_of_a_team_is_refused_to_others(cli, cycle, role, tmp_path):
    """render cycle --team renders packets and the summary: the team's managers and HR
    only (rendering whole cycles as HR is covered by tests/render)."""
    result = _run(
        cli, role, "render", "cycle", cycle.name, "--team", "alpha", "--out", str(tmp_path)
    )
    assert result.exit_code != 0 and "may not see team alpha" in result.stderr
    assert not list(tmp_path.glob("*.pdf"))


@pytest.mark.parametrize("role", ROLES)
def test_web_team_summary_by_role(browser, cycle, role):
    answer = browser(ROLES[role]).get(f"/summary/{cycle.id}/alpha.pdf")
    assert answer.status_code == (200 if SUMMARY[role] else 403)


def test_the_team_page_links_only_summaries_one_may_open(browser, cycle):
    page = browser("beta-lead").get("/team").text
    assert f"/summary/{cycle.id}/beta.pdf" in page
    assert f"/summary/{cycle.id}/alpha.pdf" not in page  # beta-lead manages alpha-04 only
    assert f"/summary/{cycle.id}/alpha.pdf" in browser("alpha-lead").get("/team").text


def test_a_summary_shows_rows_only_about_people_the_reader_may_see(hub, cycle):
    """alpha-lead gets team alpha's summary, but alpha-04 (beta-lead's report) is not in
    its rows; the team's compliance still counts alpha-04."""
    from corehub.render import renderer_for

    Training(hub).sync()

    def matrix(actor: str) -> dict[str, Any]:
        hub.actor = actor
        renderer = renderer_for(hub)
        gathered = renderer.gather(renderer.summary_report(cycle, "alpha"))
        [section] = [s for s in gathered.sections if s.id == "training_tracker.matrix"]
        return dict(section.context)

    everyone, lead = matrix("hr-1"), matrix("alpha-lead")
    assert "alpha-04" in {p["id"] for p in everyone["people"]}
    assert {p["id"] for p in lead["people"]} == {"alpha-lead", "alpha-01", "alpha-02", "alpha-03"}
    assert [c["required"] for c in lead["courses"]] == [c["required"] for c in everyone["courses"]]


def _submit(browser: Any, cycle: Any, author: str, person: str, kind: str, **extra: str) -> None:
    client = browser(author)
    url = f"/reviews/{cycle.id}/{person}/{kind}"
    version = field_value(client.get(url).text, "version")
    answers = as_form(GOOD_SELF if kind == "self" else GOOD_MANAGER)
    data = {**answers, **extra, "version": version, "action": "submit"}
    assert client.post(url, data).status_code == 302


def _section(hub: Any, cycle: Any, actor: str, team: str, section_id: str) -> dict[str, Any]:
    from corehub.render import renderer_for

    hub.actor = actor
    renderer = renderer_for(hub)
    gathered = renderer.gather(renderer.summary_report(cycle, team))
    [section] = [s for s in gathered.sections if s.id == section_id]
    return dict(section.context)


def test_summary_rows_follow_the_reader_and_averages_count_everyone(browser, hub, cycle):
    """Team alpha read by its lead: alpha-04 (beta-lead's report) is counted in the
    team's figures but has no row; HR gets every row."""
    _submit(browser, cycle, "alpha-01", "alpha-01", "self")
    _submit(browser, cycle, "alpha-lead", "alpha-01", "manager")
    _submit(browser, cycle, "alpha-04", "alpha-04", "self")
    _submit(browser, cycle, "beta-lead", "alpha-04", "manager")
    lead = _section(hub, cycle, "alpha-lead", "alpha", "self_assessment.heatmap")
    everyone = _section(hub, cycle, "hr-1", "alpha", "self_assessment.heatmap")
    assert [p["name"] for p in lead["people"]] == ["Alpha Agent 1"]
    assert [p["name"] for p in everyone["people"]] == ["Alpha Agent 1", "Alpha Agent 4"]
    assert lead["averages"] == everyone["averages"]
    people = _section(hub, cycle, "alpha-lead", "alpha", "people")
    assert "alpha-04" not in {p["id"] for p in people["people"]}
    assert people["not_shown"] == 1  # the page says one more person is counted
    assert "alpha-04" in {
        p["id"] for p in _section(hub, cycle, "boss", "alpha", "people")["people"]
    }


def test_a_lead_does_not_read_their_own_unreleased_review_in_their_team_summary(
    browser, hub, cycle
):
    _submit(browser, cycle, "delta-lead", "delta-lead", "self")
    _submit(browser, cycle, "boss", "delta-lead", "manager")  # submitted, not released
    _submit(browser, cycle, "delta-01", "delta-01", "self")
    _submit(browser, cycle, "delta-lead", "delta-01", "manager")
    lead = _section(hub, cycle, "delta-lead", "delta", "self_assessment.heatmap")
    assert [p["name"] for p in lead["people"]] == ["Delta Agent 1"]
    boss = _section(hub, cycle, "boss", "delta", "self_assessment.heatmap")
    assert [p["name"] for p in boss["people"]] == ["Delta Agent 1", "Dora Lead"]
    hub.actor = "boss"
    from corehub_self_assessment import reviews

    reviews.release(hub, cycle.id, "delta-lead", actor="boss")
    lead = _section(hub, cycle, "delta-lead", "delta", "self_assessment.heatmap")
    assert [p["name"] for p in lead["people"]] == ["Delta Agent 1", "Dora Lead"]


# -- per-person data ----------------------------------------------------------------------

PERSON_PAGES = {
    # alpha-04 is in team alpha but reports to beta-lead: their data follows beta-lead.
    "alpha-04": {
        "person": False,
        "peer": False,
        "manager": False,
        "cross": True,
        "director": True,
        "hr": True,
    },
    "alpha-01": {
        "person": True,
        "peer": False,
        "manager": True,
        "cross": False,
        "director": True,
        "hr": True,
    },
}


@pytest.mark.parametrize("subject", PERSON_PAGES)
@pytest.mark.parametrize("role", ROLES)
def test_per_person_data_by_role(browser, cli, cycle, role, subject):
    allowed = PERSON_PAGES[subject][role]
    client = browser(ROLES[role])
    assert client.get(f"/packet/{cycle.id}/{subject}.pdf").status_code == (200 if allowed else 403)
    own_page = role == "person" and subject == ROLES["person"]  # sent on to "My training"
    assert client.get(f"/training/people/{subject}").status_code == (
        (302 if own_page else 200) if allowed else 403
    )
    assert client.get(f"/feedback/results?person={subject}").status_code == (
        200 if allowed else 403
    )
    for args in (
        ("feedback", "summary", "--person", subject, "--json"),
        ("training", "status", "--person", subject, "--json"),
    ):
        result = _run(cli, role, *args)
        assert (result.exit_code == 0) is allowed, (args, result.stderr)


@pytest.mark.parametrize("role", ROLES)
def test_listings_with_as_show_only_people_one_may_see(cli, cycle, role):
    result = _run(cli, role, "training", "matrix", "--json")
    assert result.exit_code == 0, result.stderr
    shown = {p["id"] for p in result.json()["people"]}
    if role in ("director", "hr"):
        assert "alpha-01" in shown and "alpha-04" in shown
    else:
        assert ("alpha-01" in shown) is (role in ("person", "manager"))
        assert ("alpha-04" in shown) is (role == "cross")
    tasks = _run(cli, role, "cycle", "tasks", cycle.name, "--json").json()
    about = {t["subject_id"] for t in tasks}
    assert ("alpha-01" in about) is PERSON_PAGES["alpha-01"][role]


def test_as_must_name_an_active_person(cli, cycle):
    result = cli("--as", "nobody-here", "training", "matrix")
    assert result.exit_code != 0
    assert "--as 'nobody-here': no person with that id" in result.stderr
    assert result.stderr.count("\n") == 1


@pytest.mark.parametrize("role", ROLES)
def test_the_audit_trail_is_hr_s(cli, cycle, role):
    result = _run(cli, role, "audit", "--json")
    assert (result.exit_code == 0) is (role == "hr"), result.stderr


@pytest.mark.parametrize("role", ROLES)
def test_a_snapshot_of_the_database_is_hr_s(cli, cycle, role, tmp_path):
    target = tmp_path / "cycle.db"
    result = _run(cli, role, "db", "snapshot", str(target))
    assert (result.exit_code == 0) is (role == "hr"), result.stderr
    assert target.exists() is (role == "hr")


@pytest.mark.parametrize("role", [r for r in ROLES if r != "hr"])
def test_a_shard_of_a_cycle_is_refused_to_all_but_hr(cli, cycle, role, tmp_path):
    """Every shard renders packets of the whole organization (HR rendering shards is
    covered by tests/render/test_shard.py)."""
    snapshot = tmp_path / "cycle.db"
    assert cli("db", "snapshot", str(snapshot)).exit_code == 0
    out = tmp_path / "out"
    result = _run(
        cli, role, "render", "cycle", cycle.name, "--snapshot", str(snapshot), "--shard", "1/2",
        "--out", str(out),
    )  # fmt: skip
    assert result.exit_code != 0
    assert "may not see every team: only HR can" in result.stderr
    assert not out.exists() or not list(out.iterdir())


# -- what only the person may do: rate a course --------------------------------------------


@pytest.fixture
def completed(hub, cycle):
    training = Training(hub)
    training.complete("alpha-01", "data-protection", dt.date(2026, 2, 20))
    hub.actor = "alpha-01"
    training.rate("alpha-01", "data-protection", 5, "clear")
    hub.actor = "test-admin"
    return training


@pytest.mark.parametrize("role", ROLES)
def test_only_the_person_rates_their_course_on_the_command_line(cli, completed, role):
    args = ("training", "rate", "--person", "alpha-01", "--course", "data-protection")
    result = _run(cli, role, *args, "--rating", "1")
    assert (result.exit_code == 0) is (role == "person"), result.stderr
    rating = completed.rating_by("alpha-01", "data-protection")
    assert rating is not None
    assert rating["rating"] == (1 if role == "person" else 5)


def test_the_operator_cannot_rate_for_anyone(cli, completed):
    args = ("training", "rate", "--person", "alpha-01", "--course", "data-protection")
    result = cli(*args, "--rating", "2")
    assert result.exit_code != 0 and "pass --as alpha-01" in result.stderr
    assert completed.rating_by("alpha-01", "data-protection")["rating"] == 5


@pytest.mark.parametrize("role", ROLES)
def test_only_the_person_rates_their_course_on_the_web(browser, completed, role):
    answer = browser(ROLES[role]).post(
        "/training/people/alpha-01/courses/data-protection/rate", {"rating": "2"}
    )
    if role == "person":
        assert answer.status_code == 302
    else:
        assert answer.status_code == 403
    expected = 2 if role == "person" else 5
    assert completed.rating_by("alpha-01", "data-protection")["rating"] == expected


# -- private notes and a change of manager between cycles ----------------------------------


@pytest.fixture
def moved(browser, hub, cycle):
    """In cycle 2026 H1 alpha-lead reviewed alpha-01 with a private note; the cycle closed;
    then alpha-01 moved to beta-lead (team beta)."""
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
    data = {**as_form(GOOD_MANAGER), "private_note": NOTE, "version": version}
    assert lead.post(url, {**data, "action": "submit"}).status_code == 302
    hub.cycles.close(cycle.name, force=True, reason="end of the half year")
    person = hub.people.get("alpha-01")
    hub.people.save([attrs.evolve(person, manager_id="beta-lead", team="beta")])
    return cycle


AFTER_THE_MOVE = {
    # role: (sees the past packet, sees the note)
    "person": (True, False),
    "peer": (False, False),
    "manager": (False, True),  # alpha-lead, the manager at the time and the note's author
    "cross": (True, False),  # beta-lead, the manager now
    "director": (True, False),
    "hr": (True, True),
}


@pytest.mark.parametrize("role", ROLES)
def test_a_private_note_stays_with_its_author_and_hr_after_a_move(browser, cli, moved, role):
    packet, note = AFTER_THE_MOVE[role]
    client = browser(ROLES[role])
    assert client.get(f"/packet/{moved.id}/alpha-01.pdf").status_code == (200 if packet else 403)
    page = client.get(f"/reviews/{moved.id}/alpha-01")
    assert (NOTE in page.text) is note, page.status_code
    shown = _run(
        cli, role, "review", "show", "--cycle", moved.name, "--person", "alpha-01", "--json"
    )
    assert (NOTE in shown.stdout) is note, shown.stderr


def test_the_new_manager_sees_the_past_review_but_not_the_note(cli, moved):
    shown = _run(
        cli, "cross", "review", "show", "--cycle", moved.name, "--person", "alpha-01", "--json"
    )
    assert shown.exit_code == 0, shown.stderr
    manager = shown.json()["reviews"]["manager"]
    assert manager["status"] == "submitted" and "private_note" not in manager
    old = _run(
        cli, "manager", "review", "show", "--cycle", moved.name, "--person", "alpha-01", "--json"
    )
    assert old.json()["reviews"]["manager"]["private_note"] == NOTE
    assert "self" not in old.json()["reviews"]  # the self-assessment follows today's chart


# -- web: origin, HSTS, Permissions-Policy ---------------------------------------------------


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({"Origin": "http://localhost"}, 302),
        ({"Origin": "http://evil.example"}, 403),
        ({"Origin": "null"}, 403),
        ({"Origin": "https://localhost"}, 403),  # another scheme is another origin
        ({"Origin": "http://localhost:8080"}, 403),
        ({"Referer": "http://localhost/feedback/"}, 302),
        ({"Referer": "http://evil.example/feedback/"}, 403),
        ({"Origin": "http://evil.example", "Referer": "http://localhost/"}, 403),
        ({}, 302),  # neither header: left to the CSRF token
    ],
)
def test_a_state_changing_request_from_another_origin_is_refused(
    browser, hub, cycle, headers, status
):
    me = browser("alpha-01")
    answer = me.post("/feedback/suggestion", {"text": "Origin check"}, headers=headers)
    assert answer.status_code == status
    saved = list(hub.db.query("SELECT id FROM feedback WHERE text = 'Origin check'"))
    assert len(saved) == (1 if status == 302 else 0)


def test_every_method_that_changes_state_is_checked(browser, cycle):
    me = browser("alpha-01")
    for method in ("put", "patch", "delete"):
        answer = getattr(me.client, method)("/feedback/", headers={"Origin": "http://evil.example"})
        assert answer.status_code == 403, method


def test_base_url_is_an_origin_of_its_own(hub_factory, hub, cycle, browser):
    from corehub.web.app import create_app

    web = attrs.evolve(hub.config.web, base_url="https://desk.example.org")
    hub.config = attrs.evolve(hub.config, web=web)
    app = create_app(hub_factory)
    app.testing = True
    client = app.test_client()
    answer = client.post(
        "/sign-in", data={"token": "x"}, headers={"Origin": "https://desk.example.org"}
    )
    assert answer.status_code != 403 or "another site" not in answer.text
    refused = client.post(
        "/sign-in", data={"token": "x"}, headers={"Origin": "https://other.example.org"}
    )
    assert refused.status_code == 403 and "another site" in refused.text


def test_permissions_policy_everywhere_and_hsts_only_over_https(app, hub_factory, browser, cycle):
    from corehub.web.app import create_app

    client = app.test_client()
    for path in ("/sign-in", "/static/corehub.css", "/no-such-page"):
        answer = client.get(path)
        assert "camera=()" in answer.headers["Permissions-Policy"], path
        assert "geolocation=()" in answer.headers["Permissions-Policy"], path
        assert "Strict-Transport-Security" not in answer.headers, path
    # behind a proxy the app does not trust, X-Forwarded-Proto changes nothing
    plain = client.get("/sign-in", headers={"X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" not in plain.headers
    secure = create_app(hub_factory, secure_cookies=True).test_client()
    assert secure.get("/sign-in").headers["Strict-Transport-Security"].startswith("max-age=")
    over_https = client.get("/sign-in", base_url="https://localhost")
    assert "max-age=" in over_https.headers["Strict-Transport-Security"]


def test_a_trusted_proxy_saying_https_gets_hsts(hub, hub_factory, cycle):
    from corehub.web.app import create_app

    web = attrs.evolve(hub.config.web, trusted_proxies=["127.0.0.1"])
    hub.config = attrs.evolve(hub.config, web=web)
    client = create_app(hub_factory).test_client()
    via_proxy = client.get(
        "/sign-in",
        headers={"X-Forwarded-Proto": "https"},
        environ_base={"REMOTE_ADDR": "127.0.0.1"},
    )
    assert "Strict-Transport-Security" in via_proxy.headers
    direct = client.get(
        "/sign-in",
        headers={"X-Forwarded-Proto": "https"},
        environ_base={"REMOTE_ADDR": "10.1.2.3"},
    )
    assert "Strict-Transport-Security" not in direct.headers


def test_a_real_browser_posting_from_another_site_is_refused(chromium, hub, server, cycle, shots):
    """Chromium sends Origin on a cross-site form POST; corehub's own forms still work."""
    from playwright.sync_api import expect

    from corehub.web import tokens

    [invitation] = tokens.invite(hub, [hub.people.get("alpha-01")], base_url=server)
    context = chromium.new_context()
    page = context.new_page()
    page.goto(invitation.url)
    page.click("button[type=submit]")
    page.wait_for_url(f"{server}/tasks")  # corehub's own form: accepted
    evil = "http://evil.example/"
    page.route(
        evil,
        lambda route: route.fulfill(
            content_type="text/html",
            body=(
                f'<form method="post" action="{server}/feedback/suggestion">'
                '<input name="text" value="FORGED-7Q"><button>go</button></form>'
            ),
        ),
    )
    page.goto(evil)
    with page.expect_response(f"{server}/feedback/suggestion") as answer:
        page.click("button")
    assert answer.value.status == 403
    # the answer has arrived, not necessarily been shown: wait for the page to say it
    expect(page.locator("body")).to_contain_text("sent from another site")
    page.screenshot(path=shots / "cross-site-post-refused.png")
    assert not list(hub.db.query("SELECT id FROM feedback WHERE text = 'FORGED-7Q'"))
    context.close()


@pytest.mark.parametrize("role", ROLES)
def test_every_team_s_progress_is_for_hr(cli, cycle, role):
    result = _run(cli, role, "cycle", "status", cycle.name, "--json")
    assert (result.exit_code == 0) is (role == "hr"), result.stderr
    if result.exit_code:
        assert "may not see every team: only HR can" in result.stderr


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("es", "Este formulario se envió desde otro sitio"),
        ("da", "Formularen blev sendt fra et andet websted"),
        ("sv", "Formuläret skickades från en annan webbplats"),
    ],
)
def test_the_refusal_speaks_the_reader_s_language(browser, cycle, lang, said):
    answer = browser().client.post(
        "/sign-in",
        data={"token": "x"},
        headers={"Origin": "http://evil.example", "Accept-Language": lang},
    )
    assert answer.status_code == 403 and said in answer.text


# -- development plans: seen like the person's data, changed by the person and their manager

PLAN_EDIT = {
    "person": True,
    "peer": False,
    "manager": True,
    "cross": False,
    "director": False,
    "hr": False,
}


@pytest.mark.parametrize("role", ROLES)
def test_a_development_plan_by_role(browser, cli, hub, cycle, role):
    from corehub_self_assessment import plans

    plans.add_action(hub, "alpha-01", "Shadow-SECRET-ACTION", actor="alpha-01")
    sees = PERSON_PAGES["alpha-01"][role]
    client = browser(ROLES[role])
    page = client.get("/reviews/plan/alpha-01")
    assert page.status_code == (200 if sees else 403)
    assert ("Shadow-SECRET-ACTION" in page.text) is sees
    assert ('action="/reviews/plan/alpha-01/actions"' in page.text) is PLAN_EDIT[role]
    shown = _run(cli, role, "plan", "show", "--person", "alpha-01", "--json")
    assert (shown.exit_code == 0) is sees, shown.stderr
    posted = client.post("/reviews/plan/alpha-01/actions", data={"text": "By " + role})
    assert posted.status_code == (302 if PLAN_EDIT[role] else 403)
    done = client.post("/reviews/plan/alpha-01/actions/1/done", data={"on": "2026-03-01"})
    assert done.status_code == (302 if PLAN_EDIT[role] else 403 if sees else 404)
    added = _run(cli, role, "plan", "goal", "add", "--person", "alpha-01", "--objective", "G")
    assert (added.exit_code == 0) is PLAN_EDIT[role], added.stderr
    texts = [a["text"] for a in plans.show(hub, "alpha-01")["actions"]]
    assert texts == ["Shadow-SECRET-ACTION"] + (["By " + role] if PLAN_EDIT[role] else [])
    assert (plans.action(hub, 1)["status"] == "done") is PLAN_EDIT[role]


# -- the calibration sheet: HR and directors; rows only about people the reader may see


@pytest.mark.parametrize("role", ROLES)
def test_the_calibration_sheet_by_role(cli, hub, cycle, role, tmp_path):
    from corehub_self_assessment import calibration

    on = cli("cycle", "settings", cycle.name, "--calibrate")
    assert on.exit_code == 0, on.stderr
    calibration.open_session(hub, cycle.name, "all")
    target = tmp_path / f"sheet-{role}.pdf"
    result = _run(cli, role, "render", "calibration", "--cycle", cycle.name, "-o", str(target))
    allowed = role in ("director", "hr")
    assert (result.exit_code == 0) is allowed, result.stderr
    assert target.exists() is allowed
    if not allowed:
        assert "calibration is for HR and directors" in result.stderr


# -- the calibration form's search: HR and directors; only the people they may calibrate

CALIBRATE_FINDS = {
    # whom each role's search finds among the rated people (None: the page is refused)
    "person": None,
    "peer": None,
    "manager": None,
    "cross": None,
    "director": {
        *(f"alpha-0{i}" for i in range(1, 5)),
        *(f"beta-0{i}" for i in range(1, 6)),
        "alpha-lead",
        "beta-lead",
        "delta-lead",
        "delta-01",
    },
    "hr": {
        *(f"alpha-0{i}" for i in range(1, 5)),
        *(f"beta-0{i}" for i in range(1, 6)),
        "alpha-lead",
        "beta-lead",
        "delta-lead",
        "delta-01",
        "far-01",
    },
}


@pytest.mark.parametrize("role", ROLES)
def test_the_calibration_search_by_role(browser, hub, org, cycle, role, monkeypatch):
    """The search finds only whom the reader may calibrate, says nothing (not even how
    many) about anyone else, never offers the form for them, and an adjustment posted for
    them is refused; everyone else gets no page at all."""
    from corehub_self_assessment import calibration, web_calibration

    monkeypatch.setattr(web_calibration, "SELECT_AT_MOST", 0)  # a search, however few
    hub.cycles.set_calibrate(cycle, True)
    hub.people.save(
        [
            Person(id="boss-2", name="Other Director", level=Level.DIRECTIVE, team="Board"),
            Person(id="far-01", name="Agent Far", team="far", manager_id="boss-2"),
        ]
    )
    hub.cycles.open(cycle.name)
    with hub.atomic() as db:
        db.execute(
            "UPDATE self_assessment_reviews SET status = 'submitted', score = json_object("
            "'overall', 3, 'sections', json_array(), 'competencies', json_object()) "
            "WHERE cycle_id = ? AND kind = 'manager'",
            [cycle.id],
        )
    calibration.open_session(hub, cycle, "all", actor="hr-1")
    client = browser(ROLES[role])
    base = f"/reviews/calibration/{cycle.id}"
    expected = CALIBRATE_FINDS[role]
    if expected is None:
        for path in (f"{base}?find=a", f"{base}?person=alpha-01"):
            assert client.get(path).status_code == 403
        posted = client.post(base, {"person": "alpha-01", "rating": "5", "reason": "mine?"})
        assert posted.status_code == 403
        return
    found: set[str] = set()
    for find in ("agent", "lead", "director", "far", "hr", "a", "b", "d", "o"):
        page = client.get(f"{base}?find={find}").text
        found |= set(re.findall(r'<span class="muted small">([^<]+)</span></td>', page))
    assert found == expected
    # someone they may not calibrate: the same page as a search for nobody
    for outside in ("far-01", "boss", "hr-1", "boss-2") if role == "director" else ("hr-1",):
        them = client.get(f"{base}?find={outside}").text.replace(outside, "X")
        nobody = client.get(f"{base}?find=qqqq").text.replace("qqqq", "X")
        assert them == nobody, outside
        chosen = client.get(f"{base}?person={outside}").text.replace(outside, "X")
        unknown = client.get(f"{base}?person=qqqq").text.replace("qqqq", "X")
        assert chosen == unknown and 'id="calibrate-chosen"' not in chosen, outside
        posted = client.post(base, {"person": outside, "rating": "5", "reason": "not mine"})
        assert posted.status_code == 403, outside
    assert calibration.view(hub, cycle, "all", actor="hr-1")["adjustments"] == []


# -- KCS: a coach's sign-off, an article's content-standard check, leaving dates --------------

# alpha-02 (the peer) coaches alpha-01: only a coach signs off, whatever their rank.
SIGN_OFF = {
    "person": False,
    "peer": True,
    "manager": False,
    "cross": False,
    "director": False,
    "hr": False,
}


@pytest.fixture
def kcs_ready(hub, org, cli):
    """alpha-02 coaches alpha-01, who completed the KCS Candidate courses."""
    assert cli("training", "coach", "assign", "alpha-02", "--person", "alpha-01").exit_code == 0
    training = Training(hub)
    for course in ("clear-writing", "kcs-basics"):
        training.complete("alpha-01", course, dt.date(2026, 2, 20))
    return hub


def _levels_signed(hub: Any) -> int:
    return hub.db.table("training_credential_levels").count


@pytest.mark.parametrize("role", ROLES)
def test_sign_off_on_the_web_by_role(browser, kcs_ready, role):
    answer = browser(ROLES[role]).post("/training/kcs/alpha-01/sign-off", {"level": "candidate"})
    assert answer.status_code == (302 if SIGN_OFF[role] else 403), answer.text
    assert _levels_signed(kcs_ready) == (1 if SIGN_OFF[role] else 0)


@pytest.mark.parametrize("role", ROLES)
def test_sign_off_on_the_command_line_by_role(cli, kcs_ready, role):
    result = _run(cli, role, "training", "sign-off", "alpha-01", "candidate")
    assert (result.exit_code == 0) is SIGN_OFF[role], result.stderr
    assert _levels_signed(kcs_ready) == (1 if SIGN_OFF[role] else 0)


@pytest.fixture
def article_check(hub, org, cli, register_plugin, tmp_path):
    """One article of alpha-01's, sampled for alpha-lead (the only coach named)."""
    import corehub_quality.plugin

    register_plugin(corehub_quality.plugin, name="quality")
    hub.apply_settings("quality", {"coaches": ["alpha-lead"]})
    path = tmp_path / "guide.csv"
    path.write_text(
        "Id,Title,Author,Section,Draft,Updated at\n1,VPN,alpha-01,KB,false,2026-02-10\n",
        encoding="utf-8",
    )
    assert cli("quality", "import-articles", str(path)).exit_code == 0
    assert cli("quality", "sample-articles", "--period", "2026-02").exit_code == 0
    from corehub_quality import articles

    [check] = articles.list_checks(hub)
    return check


@pytest.mark.parametrize("role", ROLES)
def test_an_article_check_is_its_coach_s_and_hr_s(article_check, browser, cli, role):
    allowed = ROLES[role] in (article_check["coach_id"], "hr-1")
    client = browser(ROLES[role])
    url = f"/quality/articles/{article_check['id']}"
    assert client.get(url).status_code == (200 if allowed else 403)
    assert client.post(url, {"a-cause": "yes", "action": "save"}).status_code == (
        302 if allowed else 403
    )
    check = str(article_check["id"])
    result = _run(cli, role, "quality", "check-article", check, "--set", "cause=no")
    assert (result.exit_code == 0) is allowed, result.stderr


@pytest.mark.parametrize("role", ROLES)
def test_leaving_dates_are_hr_s(cli, cycle, role):
    result = _run(cli, role, "people", "leave", "alpha-03", "--on", "2026-06-30")
    assert (result.exit_code == 0) is (role == "hr"), result.stderr


# -- the check-ins overview: a team's own managers and HR; never the notes ------------------

# who may look over team alpha's check-ins: its lead and the director above, and HR
OVERVIEW_TEAM = {
    "person": False,
    "peer": False,
    "manager": True,
    "cross": False,
    "director": True,
    "hr": True,
}
# and every team at once: HR only (a manager without ?team= gets their own team)
OVERVIEW_ALL = {"person": 403, "peer": 403, "manager": 200, "cross": 200, "director": 200}


@pytest.mark.parametrize("role", ROLES)
def test_the_checkins_overview_by_role(browser, cli, hub, cycle, role):
    from corehub_self_assessment import checkins

    made = checkins.create(
        hub, "alpha-01", "2026-02-20", agenda_items=["AGENDA-7T"], actor="alpha-lead"
    )
    checkins.add_note(hub, made.id, NOTE, actor="alpha-01")
    checkins.add_action(
        hub, made.id, "ACTION-TEXT-3R", owner="alpha-01", due="2026-02-25", actor="alpha-lead"
    )
    client = browser(ROLES[role])
    page = client.get("/checkins/overview?team=alpha")
    assert page.status_code == (200 if OVERVIEW_TEAM[role] else 403)
    assert ("<td>Alpha Agent 1</td>" in page.text) is OVERVIEW_TEAM[role]
    everyone = client.get("/checkins/overview")
    assert everyone.status_code == OVERVIEW_ALL.get(role, 200)
    shown = _run(cli, role, "checkin", "overview", "--team", "alpha", "--json")
    assert (shown.exit_code == 0) is OVERVIEW_TEAM[role], shown.stderr
    listed = _run(cli, role, "checkin", "list", "--team", "alpha", "--json")
    assert (listed.exit_code == 0) is OVERVIEW_TEAM[role], listed.stderr
    every = _run(cli, role, "checkin", "overview", "--json")
    assert (every.exit_code == 0) is (role == "hr"), every.stderr
    # that they met, when, and how many actions are open; never what was said
    for text in (page.text, everyone.text, shown.stdout, listed.stdout, every.stdout):
        assert NOTE not in text and "AGENDA-7T" not in text and "ACTION-TEXT-3R" not in text
    if OVERVIEW_TEAM[role]:
        row = next(r for r in json.loads(shown.stdout) if r["person_id"] == "alpha-01")
        assert row["last"] == "2026-02-20" and row["actions_open"] == 1
        assert row["actions_late"] == 1 and row["manager_id"] == "alpha-lead"
        assert [r["person_id"] for r in json.loads(listed.stdout)] == ["alpha-01"]
