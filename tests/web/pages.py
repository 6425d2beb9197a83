"""Every page of the web app, as an agent, a manager and HR see it (for the checks that must
hold on all pages: translations, layout at phone width)."""

from __future__ import annotations

from typing import Any

from corehub.models import Cycle

NOT_PAGES = {
    "static",
    "corehub.fonts",
    "training_tracker.stylesheet",
    "corehub.packet",  # PDFs: checked as packets
    "corehub.summary",
    "corehub.sign_in_link",  # a one-time link, redirects once used
    "training_tracker.evidence",  # a file download
}
"""GET endpoints that are not HTML pages."""

VIEWERS = {"agent": "alpha-01", "manager": "alpha-lead", "hr": "hr-1"}


TYPED = (
    "Shadow a senior agent",
    "Book a coaching slot",
    "Handle refunds alone",
    "Queue load",
    "Book the KCS course",
    "agent",
    "zzz",
    "nobody-9",
)
"""What the pages' people type into plans and check-ins, and HR into the calibration form's
search or its address (shown as typed, in any language)."""


def prepare(hub: Any, cycle: Cycle) -> None:
    """What the pages need to have something to show: alpha-01's self-assessment submitted,
    alpha-01 asked for peer feedback on alpha-02, a calibration step, and a date when tasks are overdue."""
    from werkzeug.datastructures import MultiDict

    from corehub.models import ReviewKind
    from corehub_feedback import peers
    from corehub_self_assessment import reviews
    from corehub_self_assessment.web import parse_answers
    from tests.web.conftest import GOOD_SELF, as_form

    review = reviews.ensure_fillable(hub, cycle.id, "alpha-01", "self", actor="alpha-01")
    answers = parse_answers(review.form, ReviewKind.SELF, MultiDict(as_form(GOOD_SELF)))
    reviews.save_draft(hub, cycle.id, "alpha-01", "self", answers, actor="alpha-01")
    reviews.submit(hub, cycle.id, "alpha-01", "self", actor="alpha-01")
    peers.request_peers(
        hub,
        cycle=cycle.id,
        person="alpha-02",
        peers=["alpha-01", "alpha-03", "beta-01", "beta-02", "beta-03"],
    )
    hub.cycles.set_calibrate(cycle.id, True)  # the calibration page has a cycle to show
    from corehub_self_assessment import calibration

    calibration.open_session(hub, cycle.id, "all", actor="hr-1")  # and its form
    from corehub_self_assessment import plans

    action = plans.add_action(hub, "alpha-01", TYPED[0], actor="alpha-lead")
    plans.action_done(hub, action["id"], actor="alpha-01")
    plans.add_action(
        hub,
        "alpha-01",
        TYPED[1],
        owner="alpha-lead",
        due="2026-03-01",
        actor="alpha-lead",
    )
    plans.add_goal(hub, "alpha-01", TYPED[2], actor="alpha-01")
    hub.clock.set("2026-04-20")
    # a check-in of alpha-lead with alpha-01 (number 1), with an action item; alpha-01 is a
    # new hire with a 30-day review: their part is number 1, their manager's number 2
    import attrs

    from corehub_self_assessment import checkins

    checkins.create(hub, "alpha-01", "2026-04-20", agenda_items=[TYPED[3]], actor="alpha-lead")
    checkins.add_action(hub, 1, TYPED[4], owner="alpha-01", due="2026-04-30", actor="alpha-lead")
    hub.apply_settings("new_hire", {"days": [30]})
    hub.people.save([attrs.evolve(hub.people.get("alpha-01"), hire_date=hub.clock.today())])


def every_page(cycle: Cycle) -> dict[str, dict[str, str]]:
    """viewer -> {endpoint: path} for each page that viewer may open."""
    c = cycle.id
    common = {
        "corehub.home": "/",
        "corehub.tasks": "/tasks",
        "self_assessment.mine": "/reviews/",
        "feedback.home": "/feedback/",
        "feedback.pipeline": "/feedback/suggestions",
        "training_tracker.mine": "/training/",
        "training_tracker.kcs_mine": "/training/kcs",
        "self_assessment_checkins.mine": "/checkins/",
        "self_assessment_checkins.show": "/checkins/1",
        "self_assessment.plan_mine": "/reviews/plan",
    }
    return {
        "agent": {
            **common,
            "self_assessment.fill_self": f"/reviews/{c}/alpha-01/self",
            "self_assessment.view": f"/reviews/{c}/alpha-01",
            "feedback.peer": f"/feedback/peer/{c}/alpha-02",
            "training_tracker.person": "/training/people/alpha-01",
            "self_assessment_checkins.new_hire": "/checkins/new-hire/1",
        },
        "manager": {
            **common,
            "corehub.team": "/team",
            "self_assessment.fill_manager": f"/reviews/{c}/alpha-01/manager",
            "self_assessment.view": f"/reviews/{c}/alpha-01",
            "feedback.results_page": "/feedback/results",
            "training_tracker.team": "/training/team",
            "training_tracker.kcs_person": "/training/kcs/alpha-01",
            "training_tracker.person": "/training/people/alpha-01",
            "self_assessment_checkins.new_hire": "/checkins/new-hire/2",
            "self_assessment.plan_page": "/reviews/plan/alpha-01",
            "self_assessment_checkins.overview": "/checkins/overview?team=alpha",
        },
        "hr": {
            **common,
            "corehub.hr": "/hr",
            "self_assessment.calibration_page": f"/reviews/calibration/{c}",
            "self_assessment.view": f"/reviews/{c}/alpha-01",
            "feedback.results_page": "/feedback/results",
            "training_tracker.team": "/training/team",
            "training_tracker.person": "/training/people/alpha-01",
            "self_assessment.plan_page": "/reviews/plan/alpha-01",
            "self_assessment_checkins.overview": "/checkins/overview",
        },
    }


def uncovered(app: Any, cycle: Cycle) -> set[str]:
    """GET pages of the app that :func:`every_page` does not open (should be none)."""
    pages = {endpoint for paths in every_page(cycle).values() for endpoint in paths}
    pages.add("corehub.sign_in")
    endpoints = {
        rule.endpoint for rule in app.url_map.iter_rules() if "GET" in (rule.methods or ())
    }
    return endpoints - pages - NOT_PAGES
