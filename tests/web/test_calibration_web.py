"""The calibration page: HR and directors only; adjustments with a reason; release waits."""

from __future__ import annotations

import attrs

from corehub_self_assessment import calibration, reviews
from corehub_self_assessment.web import parse_answers
from tests.web.conftest import GOOD_MANAGER, GOOD_SELF, as_form


def _submitted(hub, cycle, person, rating):
    form = reviews.find(hub, cycle, person, "self").review.form
    mine = parse_answers(form, reviews.ReviewKind.SELF, as_form(GOOD_SELF))
    reviews.save_draft(hub, cycle, person, "self", mine, actor=person)
    reviews.submit(hub, cycle, person, "self", actor=person)
    posted = as_form({**GOOD_MANAGER, "communication": str(rating), "teamwork": str(rating)})
    answers = parse_answers(form, reviews.ReviewKind.MANAGER, posted)
    reviews.save_draft(hub, cycle, person, "manager", answers, actor="alpha-lead")
    reviews.submit(hub, cycle, person, "manager", actor="alpha-lead")


def test_calibration_page_and_adjustment(browser, hub, cycle):
    hub.cycles.set_calibrate(cycle, True)
    for person, rating in (("alpha-01", 5), ("alpha-02", 2)):
        _submitted(hub, cycle, person, rating)
    calibration.open_session(hub, cycle, "team:alpha", actor="hr-1")
    url = f"/reviews/calibration/{cycle.id}?scope=team:alpha"
    hr = browser("hr-1")
    page = hr.get(url)
    assert page.status_code == 200
    assert "Managers side by side" in page.text and "Alpha Agent 1" in page.text
    # a manager or an agent may not open it
    assert browser("alpha-lead").get(url).status_code == 403
    assert browser("alpha-01").get(url).status_code == 403
    # no reason: refused, nothing kept
    bad = hr.post(
        f"/reviews/calibration/{cycle.id}",
        {"scope": "team:alpha", "person": "alpha-02", "rating": "3", "reason": ""},
    )
    assert bad.status_code == 400 and "needs a --reason" in bad.text
    off_scale = hr.post(
        f"/reviews/calibration/{cycle.id}",
        {"scope": "team:alpha", "person": "alpha-02", "rating": "9", "reason": "x"},
    )
    assert off_scale.status_code == 400 and "1 to 5" in off_scale.text
    assert calibration.view(hub, cycle, "team:alpha", actor="hr-1")["adjustments"] == []
    ok = hr.post(
        f"/reviews/calibration/{cycle.id}",
        {
            "scope": "team:alpha",
            "person": "alpha-02",
            "rating": "3",
            "reason": "<b>Two</b> escalations were not hers",
        },
    )
    assert ok.status_code == 302
    page = hr.get(url).text
    assert "&lt;b&gt;Two&lt;/b&gt; escalations" in page and "<b>Two</b>" not in page
    # the adjustment names the person and who calibrated, and the rating in words
    made = page.split(">Adjustments</h2>", 1)[1].split("</table>", 1)[0]
    assert "Alpha Agent 2" in made and "Henrik HR" in made
    assert "<td>Overall</td>" in made and "<td>overall</td>" not in made
    hub.people.save([attrs.evolve(hub.people.get("hr-1"), locale="sv")])
    assert "<td>Totalt</td>" in hr.get(url).text  # in the reader's language
    # releasing waits for the session to close
    lead = browser("alpha-lead")
    refused = lead.post(f"/reviews/{cycle.id}/alpha-02/release", {})
    assert refused.status_code == 400
    assert "calibration session for team:alpha is open" in refused.text


def test_calibration_page_fits_a_laptop_screen(chromium, hub, server, cycle, shots):
    from tests.web.test_browser import sign_in

    hub.cycles.set_calibrate(cycle, True)
    for person, rating in (("alpha-01", 5), ("alpha-02", 2), ("alpha-03", 4)):
        _submitted(hub, cycle, person, rating)
    calibration.open_session(hub, cycle, "all", actor="hr-1")
    calibration.adjust(hub, cycle, "alpha-02", 3, reason="Escalations not hers", actor="hr-1")
    page = sign_in(chromium, hub, server, "hr-1")
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{server}/reviews/calibration/{cycle.id}?scope=all")
    assert "Managers side by side" in page.content()
    page.screenshot(path=str(shots / "calibration.png"), full_page=True)
    wider = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert wider == 0
