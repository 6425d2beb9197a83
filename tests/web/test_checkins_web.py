"""Check-ins and new-hire reviews on the web: who sees and does what, forms and their errors,
and the pages in headless Chromium (axe-core, WCAG 2.1 AA).

Roles as in test_access_matrix.py, for the check-in of alpha-lead with alpha-01:

    person      alpha-01       the report
    peer        alpha-02       a colleague in the same team
    manager     alpha-lead     their manager (the other party)
    cross       beta-lead      another team's lead
    director    boss           above alpha-lead
    hr          hr-1           organization.hr
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs
import pytest

from corehub.models import Person

ROLES = {
    "person": "alpha-01",
    "peer": "alpha-02",
    "manager": "alpha-lead",
    "cross": "beta-lead",
    "director": "boss",
    "hr": "hr-1",
}
# what each role reaches of the check-in: None = refused, "meta" = date and actions, "all"
SEES = {
    "person": "all",
    "peer": None,
    "manager": "all",
    "cross": None,
    "director": "meta",
    "hr": "meta",
}
NOTE = "NOTE-BETWEEN-US-5X"
AGENDA = "AGENDA-ITEM-9K"


@pytest.fixture
def checkin(hub: Any, cycle: Any) -> int:
    from corehub_self_assessment import checkins

    made = checkins.create(hub, "alpha-01", "2026-03-04", agenda_items=[AGENDA], actor="alpha-lead")
    checkins.add_note(hub, made.id, NOTE, actor="alpha-01")
    checkins.add_action(
        hub, made.id, "Book the KCS course", owner="alpha-01", due="2026-03-20", actor="alpha-lead"
    )
    return made.id


@pytest.mark.parametrize("role", ROLES)
def test_a_checkin_page_by_role(browser, checkin, role):
    page = browser(ROLES[role]).get(f"/checkins/{checkin}")
    if SEES[role] is None:
        assert page.status_code == 403
        assert NOTE not in page.text and "Book the KCS course" not in page.text
        return
    assert page.status_code == 200
    assert "Book the KCS course" in page.text
    assert (NOTE in page.text) is (SEES[role] == "all")
    assert (AGENDA in page.text) is (SEES[role] == "all")


@pytest.mark.parametrize("role", ROLES)
def test_only_the_two_write_on_the_web(browser, hub, checkin, role):
    client = browser(ROLES[role])
    answer = client.post(f"/checkins/{checkin}/notes", {"text": f"by {role}"})
    allowed = role in ("person", "manager")
    assert answer.status_code == (302 if allowed else 403)
    stored = list(
        hub.db.query("SELECT 1 FROM self_assessment_checkin_notes WHERE text = ?", [f"by {role}"])
    )
    assert len(stored) == (1 if allowed else 0)
    action = next(iter(hub.db.query("SELECT id FROM self_assessment_checkin_actions")))["id"]
    done = client.post(f"/checkins/actions/{action}/done", {"done": "1"})
    assert done.status_code == (302 if allowed else 403)


def test_the_list_shows_my_checkins_and_my_reports_cadence(browser, hub, checkin):
    hub.config.settings["checkins"] = {"cadence_days": 14}
    hub.reload_settings()
    lead = browser("alpha-lead").get("/checkins/")
    assert lead.status_code == 200
    assert "Alpha Agent 1" in lead.text and "Plan a check-in" in lead.text
    assert f"/checkins/{checkin}" in lead.text
    agent = browser("alpha-01").get("/checkins/")
    assert "With my manager" in agent.text and "Plan a check-in" not in agent.text
    peer = browser("alpha-02").get("/checkins/")
    assert f"/checkins/{checkin}" not in peer.text


def test_planning_a_checkin_with_someone_not_your_report_shows_the_error_by_the_field(
    browser, hub, cycle
):
    lead = browser("alpha-lead")
    answer = lead.post("/checkins/new", {"person": "beta-01", "date": "2026-03-10"})
    assert answer.status_code == 403
    assert 'id="error-summary"' in answer.text
    assert 'id="new-person"' in answer.text and 'aria-invalid="true"' in answer.text
    assert "is not one of their reports" in answer.text
    empty = lead.post("/checkins/new", {"person": "", "date": ""})
    assert empty.status_code == 400 and empty.text.count('aria-invalid="true"') == 2
    assert list(hub.db.query("SELECT * FROM self_assessment_checkins")) == []
    ok = lead.post("/checkins/new", {"person": "alpha-02", "date": "2026-03-10", "agenda": "Hi"})
    assert ok.status_code == 302


def test_a_bad_action_shows_every_problem_by_its_field_and_keeps_what_was_typed(
    browser, hub, checkin
):
    lead = browser("alpha-lead")
    answer = lead.post(
        f"/checkins/{checkin}/actions",
        {"text": "Call the customer <b>back</b>", "owner": "boss", "due": "2026-03-01", "goal": ""},
    )
    assert answer.status_code == 400
    html = answer.text
    assert 'href="#action-owner"' in html and 'href="#action-due"' in html
    assert 'aria-describedby="action-owner-error"' in html
    assert 'aria-describedby="action-due-error"' in html
    assert "is before the check-in" in html
    assert 'value="Call the customer &lt;b&gt;back&lt;/b&gt;"' in html
    count = hub.db.execute("SELECT count(*) FROM self_assessment_checkin_actions").fetchone()[0]
    assert count == 1


def test_a_form_without_the_csrf_token_is_refused(browser, hub, checkin):
    lead = browser("alpha-lead")
    answer = lead.client.post(f"/checkins/{checkin}/notes", data={"text": "no token"})
    assert answer.status_code in (400, 403)
    assert not list(
        hub.db.query("SELECT 1 FROM self_assessment_checkin_notes WHERE text = 'no token'")
    )


def test_the_spanish_page_speaks_spanish(browser, hub, checkin):
    hub.people.save([attrs.evolve(hub.people.get("alpha-01"), locale="es")])
    page = browser("alpha-01").get(f"/checkins/{checkin}")
    assert "Reunión individual de Ana Lead y Alpha Agent 1" in page.text
    assert "Solo vosotros dos" not in page.text  # the notes explanation, in full:
    assert "Estas notas solo las leéis vosotros dos" in page.text


# -- new-hire reviews --------------------------------------------------------------------------


@pytest.fixture
def new_hire(hub: Any, cycle: Any) -> dict[str, int]:
    from corehub_self_assessment import newhire

    hub.config.settings["new_hire"] = {"days": [30]}
    hub.reload_settings()
    hub.people.save(
        [
            Person(
                id="new-1",
                name="Nora New",
                email="new-1@example.org",
                team="alpha",
                manager_id="alpha-lead",
                hire_date=hub.clock.today() - dt.timedelta(days=20),
            )
        ]
    )
    return {r.kind.value: r.id for r in newhire.stored(hub, person_id="new-1")}


def test_a_new_hire_fills_their_part_on_the_web(browser, hub, new_hire):
    me = browser("new-1")
    page = me.get(f"/checkins/new-hire/{new_hire['self']}")
    assert page.status_code == 200 and "What is going well so far?" in page.text
    missing = me.post(f"/checkins/new-hire/{new_hire['self']}", {"action": "submit"})
    assert missing.status_code == 400
    assert 'id="error-summary"' in missing.text and 'aria-invalid="true"' in missing.text
    done = me.post(
        f"/checkins/new-hire/{new_hire['self']}",
        {"action": "submit", "q-going_well": "Everyone <script>helps</script>"},
    )
    assert done.status_code == 302
    shown = me.get(f"/checkins/new-hire/{new_hire['self']}")
    assert "Everyone &lt;script&gt;helps&lt;/script&gt;" in shown.text
    # the manager sees it now; a colleague never does; the manager's draft is theirs
    assert browser("alpha-lead").get(f"/checkins/new-hire/{new_hire['self']}").status_code == 200
    assert browser("alpha-02").get(f"/checkins/new-hire/{new_hire['self']}").status_code == 403
    assert me.get(f"/checkins/new-hire/{new_hire['manager']}").status_code == 403


# -- in a real browser ---------------------------------------------------------------------------


def test_checkin_pages_meet_wcag_21_aa_with_and_without_errors(
    chromium, hub, server, checkin, new_hire, shots
):
    from playwright.sync_api import expect

    from tests.web.test_accessibility import AXE, violations
    from tests.web.test_browser import sign_in

    if not AXE.exists():
        pytest.skip("needs axe-core (make install fetches it)")
    axe = AXE.read_text(encoding="utf-8")
    problems: list[str] = []
    for who, lang in (("alpha-lead", "es"), ("alpha-01", "da"), ("hr-1", "sv")):
        hub.people.save([attrs.evolve(hub.people.get(who), locale=lang)])
        page = sign_in(chromium, hub, server, who)
        page.context.add_init_script(script=axe)
        for path in ("/checkins/", f"/checkins/{checkin}", "/tasks"):
            page.goto(f"{server}{path}")
            problems += violations(page)
        if who != "alpha-01":  # HR and a team's manager look the check-ins over
            page.goto(f"{server}/checkins/overview")
            problems += violations(page)
            page.screenshot(path=str(shots / f"checkins-overview-{lang}.png"), full_page=True)
        if who == "alpha-lead":
            page.goto(f"{server}/checkins/{checkin}")
            page.fill("#action-text", "Follow up")
            page.select_option("#action-owner", "alpha-lead")
            page.fill("#action-due", "2026-03-01")
            page.click("text=Añadir la acción")
            # the page with the errors, loaded (is_visible() would read the one before)
            expect(page.locator("#error-summary")).to_be_focused()
            problems += violations(page)
            page.screenshot(path=str(shots / "checkin-errors-es.png"), full_page=True)
            page.goto(f"{server}/checkins/new-hire/{new_hire['manager']}")
            page.click("button[value=submit]")
            expect(page.locator("#error-summary")).to_be_focused()
            problems += violations(page)
            page.screenshot(path=str(shots / "newhire-errors-es.png"), full_page=True)
            page.goto(f"{server}/checkins/")
            page.screenshot(path=str(shots / "checkins-es.png"), full_page=True)
            page.goto(f"{server}/tasks")
            page.screenshot(path=str(shots / "tasks-new-hire-es.png"), full_page=True)
            page.goto(f"{server}/checkins/{checkin}")
            page.click("text=Pasar al plan de desarrollo")
            assert page.locator("text=En el plan de desarrollo (acción n.º 1)").is_visible()
            problems += violations(page)
            page.screenshot(path=str(shots / "checkin-carried-es.png"), full_page=True)
    assert not problems, "\n".join(problems)


def test_a_taken_date_is_shown_by_the_date_field(browser, hub, checkin):
    lead = browser("alpha-lead")
    answer = lead.post("/checkins/new", {"person": "alpha-01", "date": "2026-03-04"})
    assert answer.status_code == 400
    assert 'aria-describedby="new-date-error"' in answer.text
    assert "there is already a check-in with Alpha Agent 1" in answer.text


def test_new_hire_parts_are_on_my_tasks_with_due_date_and_link(browser, hub, new_hire):
    """extra_tasks: the new hire's own part and their manager's part, each on its author's
    "My tasks", linking to the form; overdue once the due date passed; done when submitted."""
    mine = browser("new-1").get("/tasks").text
    assert "New-hire reviews" in mine
    section = mine.split("<h2>New-hire reviews</h2>", 1)[1].split("</section>", 1)[0]
    assert f'href="/checkins/new-hire/{new_hire["self"]}"' in section
    assert "New-hire review, 30 days: your part" in section
    assert f'href="/checkins/new-hire/{new_hire["manager"]}"' not in section
    assert "To do" in section and "Overdue" not in section
    lead = browser("alpha-lead").get("/tasks").text
    theirs = lead.split("<h2>New-hire reviews</h2>", 1)[1].split("</section>", 1)[0]
    assert f'href="/checkins/new-hire/{new_hire["manager"]}"' in theirs and "Nora New" in theirs
    assert "New-hire reviews" not in browser("alpha-02").get("/tasks").text
    hub.clock.advance(days=11)  # due on day 30 after the hire: overdue now
    late = browser("new-1").get("/tasks").text.split("<h2>New-hire reviews</h2>", 1)[1]
    assert 'class="overdue"' in late.split("</section>", 1)[0]
    done = browser("new-1").post(
        f"/checkins/new-hire/{new_hire['self']}",
        {"action": "submit", "q-going_well": "Fine"},
    )
    assert done.status_code == 302
    after = browser("new-1").get("/tasks").text.split("<h2>New-hire reviews</h2>", 1)[1]
    assert 'class="done"' in after.split("</section>", 1)[0]


def test_my_tasks_in_spanish_names_the_new_hire_part_in_spanish(browser, hub, new_hire):
    hub.people.save([attrs.evolve(hub.people.get("new-1"), locale="es")])
    page = browser("new-1").get("/tasks").text
    assert "Evaluaciones de nueva incorporación" in page
    assert "Evaluación de nueva incorporación, 30 días: tu parte" in page


# -- the overview --------------------------------------------------------------------------


def test_the_overview_pages_in_sql_overdue_first_and_keeps_the_team_filter(browser, hub, cycle):
    from corehub_self_assessment import checkins

    hub.config.settings["checkins"] = {"cadence_days": 14}
    hub._settings.clear()
    hub.people.save(
        [
            Person(id=f"big-{n:02d}", name=f"Big Agent {n:02d}", team="big", manager_id="boss")
            for n in range(60)
        ]
    )
    hub.clock.set("2026-01-05")
    checkins.create(hub, "big-42", "2026-01-05", actor="boss")
    hub.clock.set("2026-03-02")
    hr = browser("hr-1")
    first = hr.get("/checkins/overview?team=big")
    assert first.status_code == 200
    rows = first.text.split("<tbody>", 1)[1].split("</tbody>", 1)[0].split("<tr")[1:]
    assert len(rows) == 50  # one page
    assert "Big Agent 42" in rows[0] and 'class="overdue"' in rows[0] and "Overdue" in rows[0]
    assert 'href="/checkins/overview?team=big&amp;page=2"' in first.text
    second = hr.get("/checkins/overview?team=big&page=2").text
    assert second.split("<tbody>", 1)[1].count("<tr") == 10
    assert "Big Agent 42" not in second
    late = hr.get("/checkins/overview?team=big&overdue=1").text
    assert late.split("<tbody>", 1)[1].count("<tr") == 1
    # the check-ins page links to the overview for HR and a team's managers only
    link = 'href="/checkins/overview"'
    assert link in hr.get("/checkins/").text and link in browser("boss").get("/checkins/").text
    assert link not in browser("big-01").get("/checkins/").text
    # a team's own manager, without ?team=, gets their first team and may choose the others
    boss = browser("boss").get("/checkins/overview").text
    assert "<td>alpha</td>" in boss and "<td>big</td>" not in boss
    assert '<option value="big">' in boss and "All teams" not in boss


# -- carrying an action item into the development plan --------------------------------------

CARRY = {"person": 302, "peer": 403, "manager": 302, "cross": 403, "director": 403, "hr": 403}


@pytest.mark.parametrize("role", ROLES)
def test_the_two_carry_an_action_item_into_the_plan_with_a_button(browser, hub, checkin, role):
    from corehub_self_assessment import plans

    client = browser(ROLES[role])
    page = client.get(f"/checkins/{checkin}")
    button = 'action="/checkins/actions/1/plan"'
    assert (button in page.text) is (CARRY[role] == 302)
    answer = client.post("/checkins/actions/1/plan", {})
    assert answer.status_code == CARRY[role]
    carried = plans.show(hub, "alpha-01", actor="hr-1")["actions"]
    if CARRY[role] != 302:
        assert carried == []
        return
    assert [(a["text"], a["checkin_id"]) for a in carried] == [("Book the KCS course", checkin)]
    # linked both ways: the check-in names the plan action, the plan the check-in
    again = client.get(f"/checkins/{checkin}").text
    assert button not in again and "In the development plan (action #1)" in again
    assert 'href="/reviews/plan/alpha-01#actions"' in again
    plan = client.get("/reviews/plan/alpha-01").text
    assert f'href="/checkins/{checkin}#actions">From the check-in of' in plan
