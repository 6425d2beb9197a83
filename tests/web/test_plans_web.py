"""The development plan page: the person and their manager agree actions and goals in
forms that report every problem at once (error summary, each field marked), keep what
was typed, and write nothing on bad input; done items stay with their date."""

from __future__ import annotations

import re
from typing import Any

import pytest

from corehub_self_assessment import plans
from tests.web.test_accessibility import violations
from tests.web.test_browser import sign_in


def test_bad_input_is_marked_on_its_fields_and_nothing_is_written(browser, hub, cycle):
    lead = browser("alpha-lead")
    page = lead.post(
        "/reviews/plan/alpha-01/actions",
        data={"text": "Pair on <b>refunds</b>", "owner": "alpha-02", "due": "next week"},
    )
    assert page.status_code == 400
    html = page.text
    assert 'id="error-summary"' in html and "There are 2 problems" in html
    assert 'href="#action-owner"' in html and 'href="#action-due"' in html
    for field in ("action-owner", "action-due"):
        assert re.search(rf'id="{field}"[^>]*aria-invalid="true"', html), field
        assert f'id="{field}-error"' in html
    assert "neither alpha-01 nor their manager" in html
    # what was typed is kept, escaped
    assert "Pair on &lt;b&gt;refunds&lt;/b&gt;" in html and "<b>refunds</b>" not in html
    assert plans.show(hub, "alpha-01")["actions"] == []
    # a goal without an objective
    goal = lead.post("/reviews/plan/alpha-01/goals", data={"objective": " ", "due": "2026-13-01"})
    assert goal.status_code == 400
    assert re.search(r'id="goal-objective"[^>]*aria-invalid="true"', goal.text)
    assert re.search(r'id="goal-due"[^>]*aria-invalid="true"', goal.text)
    assert plans.show(hub, "alpha-01")["goals"] == []


def test_an_action_done_stays_with_its_date(browser, hub, cycle):
    me = browser("alpha-01")
    added = me.post(
        "/reviews/plan/alpha-01/actions",
        data={"text": "Read the VPN guide", "owner": "alpha-01", "due": ""},
    )
    assert added.status_code == 302
    page = me.get("/reviews/plan").text
    assert "Read the VPN guide" in page and "/reviews/plan/alpha-01/actions/1/done" in page
    future = me.post("/reviews/plan/alpha-01/actions/1/done", data={"on": "2030-01-01"})
    assert future.status_code == 400 and "in the future" in future.text
    assert re.search(r'id="action-done-1-on"[^>]*aria-invalid="true"', future.text)
    done = me.post("/reviews/plan/alpha-01/actions/1/done", data={"on": "2026-02-27"})
    assert done.status_code == 302
    page = me.get("/reviews/plan/alpha-01").text
    assert "Read the VPN guide" in page and "/actions/1/done" not in page
    assert plans.action(hub, 1)["done_on"] == "2026-02-27"
    # an action id of another person's plan under this person's address
    plans.add_action(hub, "alpha-02", "Someone else's", actor="alpha-02")
    assert (
        browser("alpha-lead")
        .post("/reviews/plan/alpha-01/actions/2/done", data={"on": "2026-03-01"})
        .status_code
        == 404
    )
    assert plans.action(hub, 2)["status"] == "open"


def test_a_manager_finds_their_people_s_plans(browser, cycle):
    page = browser("alpha-lead").get("/reviews/plan").text
    assert "/reviews/plan/alpha-01" in page and "/reviews/plan/beta-01" not in page


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_plan_page_in_a_browser_is_axe_clean_with_and_without_errors(
    chromium: Any, hub: Any, server: str, cycle: Any, shots: Any, lang: str
) -> None:
    import attrs
    from playwright.sync_api import expect

    from tests.web.test_accessibility import AXE

    if not AXE.exists():
        pytest.skip("needs axe-core (make install fetches it)")
    hub.people.save([attrs.evolve(hub.people.get("alpha-lead"), locale=lang)])
    plans.add_goal(
        hub, "alpha-01", "Handle refunds alone", result="No escalations", actor="alpha-01"
    )
    plans.add_action(hub, "alpha-01", "Shadow a senior agent", due="2026-04-30", actor="alpha-01")
    page = sign_in(chromium, hub, server, "alpha-lead")
    page.context.add_init_script(script=AXE.read_text(encoding="utf-8"))
    page.goto(f"{server}/reviews/plan/alpha-01")
    problems = violations(page)
    page.screenshot(path=str(shots / f"plan-{lang}.png"), full_page=True)
    page.fill("#action-text", "Book a coaching slot")
    page.fill("#action-due", "")
    page.evaluate("document.querySelector('#action-due').type = 'text'")
    page.fill("#action-due", "soon")
    page.locator("#actions form:not(.inline) button[type=submit]").click()
    page.wait_for_load_state()
    # autofocus happens after the page is drawn, not when it has loaded: wait for it
    expect(page.locator("#error-summary")).to_be_focused()
    assert page.locator("#action-due").get_attribute("aria-invalid") == "true"
    problems += violations(page)
    page.screenshot(path=str(shots / f"plan-errors-{lang}.png"), full_page=True)
    assert not problems, "\n".join(problems)
    assert len(plans.show(hub, "alpha-01")["actions"]) == 1
