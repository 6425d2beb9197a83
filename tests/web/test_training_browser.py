"""The training pages end to end in headless Chromium (Debian's package, driven by
Playwright), against the app served by waitress on 127.0.0.1."""

from __future__ import annotations

import datetime as dt

from corehub_training_tracker.training import Training
from tests.web.test_browser import sign_in


def test_an_agent_completes_a_course_with_evidence_and_the_manager_sees_it(
    chromium, hub, server, cycle, shots
):
    from playwright.sync_api import expect

    training = Training(hub)
    training.sync()
    training.assign(
        "stress-handling",
        [hub.people.get("alpha-01")],
        due=dt.date(2026, 2, 15),
        assigned_on=dt.date(2026, 1, 10),
    )
    me = sign_in(chromium, hub, server, "alpha-01")
    me.get_by_role("link", name="My training").click()
    me.wait_for_url(f"{server}/training/")
    overdue = me.locator("#course-stress-handling")
    assert "15 days late" in overdue.inner_text()
    me.screenshot(path=str(shots / "training-01-mine.png"), full_page=True)

    # a prerequisite missing: the server says so inside the form, which stays open
    row = me.locator("#course-complaint-handling")
    row.get_by_text("Mark complete").click()
    row.locator("textarea[name='evidence']").fill("Course in Madrid, certificate C-77")
    row.get_by_role("button", name="Save as completed").click()
    row = me.locator("#course-complaint-handling")
    expect(row.locator(".field-error")).to_be_visible()
    assert "prerequisite" in row.locator(".field-error").inner_text()
    assert row.locator("textarea[name='evidence']").input_value() == (
        "Course in Madrid, certificate C-77"
    )
    me.screenshot(path=str(shots / "training-02-error.png"), full_page=True)

    # "I've started", then complete with a date, a score, a text and a file
    me.locator("#course-active-listening").get_by_role("button", name="I've started").click()
    me.wait_for_load_state()
    expect(me.get_by_text("Active listening: marked as started.")).to_be_visible()
    row = me.locator("#course-active-listening")
    assert "started" in row.inner_text()
    row.get_by_text("Mark complete").click()
    row.locator("input[name='date']").fill("2026-02-27")
    row.locator("input[name='score']").fill("88")
    row.locator("textarea[name='evidence']").fill("Workshop with <b>role plays</b>")
    row.locator("input[type='file']").set_input_files(
        {"name": "certificate.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 cert"}
    )
    row.get_by_role("button", name="Save as completed").click()
    expect(me.get_by_text("Active listening: completed on 2026-02-27.")).to_be_visible()
    done = me.locator("#done-active-listening")
    assert "Workshop with <b>role plays</b>" in done.inner_text()  # shown as text, not markup
    expect(done.get_by_role("link", name="certificate.pdf")).to_be_visible()

    # rate it
    done.locator("input[name='rating'][value='5']").check()
    done.locator("textarea[name='comment']").fill("Practical and short.")
    done.get_by_role("button", name="Send rating").click()
    expect(me.get_by_text("Thank you: Active listening rated 5 of 5.")).to_be_visible()
    assert "You rated it 5 of 5" in me.locator("#done-active-listening").inner_text()
    me.screenshot(path=str(shots / "training-03-completed-rated.png"), full_page=True)
    [completion] = training.completions(person_ids=["alpha-01"], course_id="active-listening")
    assert completion.score == 88 and completion.evidence_name == "certificate.pdf"
    assert training.rating_by("alpha-01", "active-listening")["rating"] == 5

    # the manager sees it in the compliance matrix, and the person's evidence
    lead = sign_in(chromium, hub, server, "alpha-lead")
    lead.get_by_role("link", name="Team training").click()
    lead.wait_for_url(f"{server}/training/team")
    titles = lead.locator("table.matrix thead th").all_inner_texts()
    column = titles.index("Active listening")
    agent = lead.locator("table.matrix tbody tr", has_text="Alpha Agent 1")
    cell = agent.locator("th, td").nth(column)
    assert cell.inner_text().startswith("Done")
    assert "state-completed" in (cell.get_attribute("class") or "")
    assert "Alpha Agent 1" in lead.locator("#overdue").inner_text()  # stress handling
    lead.screenshot(path=str(shots / "training-04-team-matrix.png"), full_page=True)
    agent.get_by_role("link", name="Alpha Agent 1").click()
    expect(lead.get_by_text("Workshop with <b>role plays</b>")).to_be_visible()
    assert lead.locator(".who").inner_text() == "Ana Lead"
    assert lead.get_by_role("button", name="Send rating").count() == 0
    with lead.expect_download() as download:
        lead.get_by_role("link", name="certificate.pdf").click()
    assert download.value.suggested_filename == "certificate.pdf"
    lead.screenshot(path=str(shots / "training-05-person-for-manager.png"), full_page=True)
