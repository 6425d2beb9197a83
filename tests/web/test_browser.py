"""End to end in headless Chromium (Debian's package, driven by Playwright): people use the
pages as they would, against the app served by waitress on 127.0.0.1."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from corehub.web import tokens


def sign_in(chromium: Any, hub: Any, server: str, person_id: str) -> Any:
    [invitation] = tokens.invite(hub, [hub.people.get(person_id)], base_url=server)
    page = chromium.new_context(
        accept_downloads=True, viewport={"width": 1200, "height": 900}
    ).new_page()
    page.goto(invitation.url)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    page.wait_for_url(f"{server}/tasks")
    return page


def test_a_review_from_self_assessment_to_packet(chromium, hub, server, cycle, shots):
    from playwright.sync_api import expect

    me = sign_in(chromium, hub, server, "alpha-01")
    me.screenshot(path=str(shots / "01-tasks.png"), full_page=True)
    me.locator(f"a[href='/reviews/{cycle.id}/alpha-01/self']").click()
    ratings = {
        "communication": "4",
        "active_listening": "5",
        "complaint_handling": "3",
        "problem_solving": "4",
        "product_knowledge": "3",
        "stress_handling": "n/a",
        "knowledge_sharing": "2",
    }
    for question, value in ratings.items():
        me.locator(f"input[name='q-{question}'][value='{value}']").check()
    me.fill("textarea[name='q-strengths']", "Calm with upset customers <b>always</b>.")
    # save a draft first: forgotten answers are marked, the rest stays
    me.get_by_role("button", name="Submit").click()
    me.wait_for_load_state()
    expect(me.get_by_text("saved as a draft, but not submitted")).to_be_visible()
    expect(me.locator("#q-teamwork .field-error")).to_be_visible()
    me.screenshot(path=str(shots / "02-self-errors.png"), full_page=True)
    assert me.locator("input[name='q-communication'][value='4']").is_checked()
    me.locator("input[name='q-teamwork'][value='4']").check()
    me.fill("textarea[name='q-improvements']", "Write more knowledge articles.")
    me.fill("input[name='q-goals_next-0-objective']", "Better first-contact resolution")
    me.fill("input[name='q-goals_next-0-result']", "FCR at 75% or more")
    me.fill("input[name='q-goals_next-0-due']", "2026-12-31")
    me.fill("textarea[name='q-suggestions']", "A shared macro library.")
    me.get_by_role("button", name="Submit").click()
    me.wait_for_load_state()
    expect(me.get_by_text("Submitted.")).to_be_visible()

    lead = sign_in(chromium, hub, server, "alpha-lead")
    lead.locator(f"a[href='/reviews/{cycle.id}/alpha-01/manager']").click()
    for question, value in {**ratings, "active_listening": "3", "teamwork": "4"}.items():
        lead.locator(f"input[name='q-{question}'][value='{value}']").check()
    lead.locator("input[name='q-overall'][value='met expectations']").check()
    lead.fill("textarea[name='q-strengths']", "Steady under pressure.")
    lead.fill("textarea[name='q-improvements']", "Share more.")
    lead.fill("input[name='q-goals_next-0-objective']", "Mentor a new agent")
    lead.fill("input[name='q-goals_next-0-result']", "New agent independent by June")
    lead.fill("input[name='q-goals_next-0-due']", "2026-06-30")
    lead.fill("textarea[name='private_note']", "PRIVATE: consider for senior role.")
    lead.screenshot(path=str(shots / "03-manager-side-by-side.png"), full_page=True)
    lead.get_by_role("button", name="Submit").click()
    lead.wait_for_load_state()
    expect(lead.get_by_text("Submitted.")).to_be_visible()
    lead.get_by_role("button", name="Release to Alpha Agent 1").click()
    lead.wait_for_load_state()
    expect(lead.get_by_text("Released.")).to_be_visible()

    me.goto(f"{server}/reviews/{cycle.id}/alpha-01")
    expect(me.get_by_text("Steady under pressure.")).to_be_visible()
    assert "PRIVATE" not in me.content()
    assert "&lt;b&gt;always&lt;/b&gt;" in me.content()
    me.fill("textarea[name='text']", "Thank you, agreed.")
    me.get_by_role("button", name="Add comment").click()
    me.wait_for_load_state()
    me.get_by_role("button", name="I have read my review").click()
    expect(me.get_by_text("Acknowledged.")).to_be_visible()
    me.screenshot(path=str(shots / "04-released-review.png"), full_page=True)
    with me.expect_download() as download:
        me.get_by_role("link", name="Download the packet (PDF)").click()
    pdf = Path(download.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF")
    (shots / "packet.pdf").write_bytes(pdf)


def test_an_anonymous_suggestion_is_answered(chromium, hub, server, cycle, shots, clock):
    from playwright.sync_api import expect

    me = sign_in(chromium, hub, server, "alpha-02")
    me.get_by_role("link", name="Feedback", exact=True).click()
    me.fill("#suggestion-text", "A quiet room for difficult calls.")
    me.get_by_label("Send it anonymously").check()
    me.screenshot(path=str(shots / "05-feedback.png"), full_page=True)
    me.get_by_role("button", name="Send suggestion").click()
    me.wait_for_load_state()
    expect(me.get_by_text("nobody can see it came from you")).to_be_visible()
    expect(me.get_by_text("It appears in Suggestions tomorrow")).to_be_visible()

    # listed from the next day, with the others of its day: not the moment it was sent
    lead = sign_in(chromium, hub, server, "alpha-lead")
    lead.get_by_role("link", name="Suggestions").click()
    lead.wait_for_url(f"{server}/feedback/suggestions")
    assert "A quiet room" not in lead.locator("main").inner_text()
    clock.advance(days=1)
    me = sign_in(chromium, hub, server, "alpha-02")
    lead = sign_in(chromium, hub, server, "alpha-lead")
    lead.get_by_role("link", name="Suggestions").click()
    lead.locator("textarea[name='text']").first.fill("Room 2.14 is yours from January.")
    lead.locator("select[name='status']").first.select_option("under_review")
    lead.get_by_role("button", name="Send answer").first.click()
    expect(lead.get_by_text("Answer sent.")).to_be_visible()

    me.get_by_role("link", name="Suggestions").click()
    # a click waits for the next page to start, not to be read: wait until it is loaded
    me.wait_for_url(f"{server}/feedback/suggestions")
    expect(me.locator("main")).to_contain_text("Room 2.14 is yours from January.")
    main = me.locator("main").inner_text()
    assert "Room 2.14 is yours from January." in main and "Anonymous" in main
    assert "Alpha Agent 2" not in main
    me.screenshot(path=str(shots / "06-suggestions.png"), full_page=True)


def test_withheld_results_say_when_they_appear(chromium, hub, server, cycle, shots, clock):
    from playwright.sync_api import expect

    from corehub_feedback import store

    agent = sign_in(chromium, hub, server, "beta-01")
    agent.get_by_role("link", name="Feedback", exact=True).click()
    expect(
        agent.get_by_text("Open until 30 Jun 2026; results appear the day after.")
    ).to_be_visible()
    for n in range(1, 6):
        store.give(hub, kind="upward", rating=4, text=f"Comment {n}", actor=f"beta-{n:02d}")
    lead = sign_in(chromium, hub, server, "beta-lead")
    lead.get_by_role("link", name="Feedback results").click()
    expect(lead.get_by_text("Results appear after 30 Jun 2026.")).to_have_count(2)  # peer, upward
    assert "Comment 1" not in lead.locator("main").inner_text()
    lead.screenshot(path=str(shots / "07-results-withheld.png"), full_page=True)
    clock.set("2026-07-01")
    lead = sign_in(chromium, hub, server, "beta-lead")
    lead.get_by_role("link", name="Feedback results").click()
    expect(lead.get_by_text("5 answers · average rating 4.0")).to_be_visible()
    lead.screenshot(path=str(shots / "08-results-shown.png"), full_page=True)


def test_pages_work_with_javascript_off(chromium, hub, server, cycle):
    from playwright.sync_api import expect

    [invitation] = tokens.invite(hub, [hub.people.get("alpha-03")], base_url=server)
    page = chromium.new_context(java_script_enabled=False).new_page()
    page.goto(invitation.url)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    page.locator(f"a[href='/reviews/{cycle.id}/alpha-03/self']").click()
    page.fill("textarea[name='q-strengths']", "Works without scripts")
    page.get_by_role("button", name="Save draft").click()
    page.wait_for_load_state()
    expect(page.get_by_text("Draft saved")).to_be_visible()
    assert page.locator("textarea[name='q-strengths']").input_value() == "Works without scripts"
