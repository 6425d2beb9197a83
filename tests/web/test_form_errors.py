"""Every form of the web app shows its errors the same way (WCAG 2.1: 1.3.1, 3.3.1, 3.3.3,
4.1.2): the summary on top, focused, linking to each field; each field says it is invalid
and names its message. One case per form: each is sent with a mistake and the answer is
checked by :func:`corehub.testing.form_error_problems`. A test also lists the app's POST
routes, so a new form without a case here fails.

The quality plugin's forms are checked the same way in ``plugins/quality/tests/test_web.py``;
the browser tests (focus on the summary, a link focusing its field) are in
``test_accessibility.py``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import attrs
import pytest

from corehub.hub import Hub
from corehub.models import Cycle
from corehub.testing import form_error_problems
from corehub_feedback import peers, store
from corehub_self_assessment import calibration, reviews
from corehub_training_tracker import recommendations as recs
from corehub_training_tracker.recommendations import Recommendation
from corehub_training_tracker.training import Training
from tests.web.conftest import GOOD_MANAGER, GOOD_SELF, as_form

STRESS = "stress-handling"


def _released(hub: Hub, cycle: Cycle, person: str = "alpha-01") -> None:
    from corehub_self_assessment.web import parse_answers

    form = reviews.find(hub, cycle, person, "self").review.form
    mine = parse_answers(form, reviews.ReviewKind.SELF, as_form(GOOD_SELF))
    reviews.save_draft(hub, cycle, person, "self", mine, actor=person)
    reviews.submit(hub, cycle, person, "self", actor=person)
    theirs = parse_answers(form, reviews.ReviewKind.MANAGER, as_form(GOOD_MANAGER))
    reviews.save_draft(hub, cycle, person, "manager", theirs, actor="alpha-lead")
    reviews.submit(hub, cycle, person, "manager", actor="alpha-lead")


def _self_submitted(hub: Hub, cycle: Cycle) -> None:
    from corehub_self_assessment.web import parse_answers

    form = reviews.find(hub, cycle, "alpha-01", "self").review.form
    mine = parse_answers(form, reviews.ReviewKind.SELF, as_form(GOOD_SELF))
    reviews.save_draft(hub, cycle, "alpha-01", "self", mine, actor="alpha-01")
    reviews.submit(hub, cycle, "alpha-01", "self", actor="alpha-01")


def _version(page: str) -> str:
    found = re.search(r'name="version" value="(\d+)"', page)
    assert found, "no version field"
    return found.group(1)


@attrs.frozen
class Case:
    """One form sent with a mistake: who sends what where, and the field it is about."""

    who: str
    path: str
    data: dict[str, Any]
    field: str | None
    """The id of the input the summary must lead to (None: a problem of the whole form)."""
    status: int = 400
    setup: Callable[[Hub, Cycle], Any] | None = None


def _coached(hub: Hub, cycle: Cycle) -> None:
    from corehub_training_tracker.credentials import Credentials

    Credentials(Training(hub)).assign_coach("alpha-02", person_ids=["alpha-01"])


def _training(hub: Hub, cycle: Cycle) -> None:
    training = Training(hub)
    training.sync()
    training.assign(
        STRESS, [hub.people.get("alpha-01")], due=dt.date(2026, 4, 15), assigned_on=cycle.start
    )
    training.complete("alpha-01", "data-protection", dt.date(2026, 2, 20))
    recs.store(
        hub,
        [
            Recommendation(
                person_id="alpha-01",
                course_id="clear-writing",
                competency="knowledge_sharing",
                reason="manager review: knowledge sharing rated 1 of 5",
            )
        ],
    )


def _rec_id(hub: Hub) -> int:
    return int(recs.listing(hub, status="pending", person_id="alpha-01")[0]["id"])


def _suggestion(hub: Hub, cycle: Cycle) -> None:
    store.give(hub, kind="suggestion", text="A quiet room", actor="alpha-01")


def _calibrating(hub: Hub, cycle: Cycle) -> None:
    hub.cycles.set_calibrate(cycle, True)
    _released(hub, cycle)
    calibration.open_session(hub, cycle, "team:alpha", actor="hr-1")


def _calibrating_many(hub: Hub, cycle: Cycle) -> None:
    """More rated people than the calibration form lists (its person is then found by a
    search): 13 agents of a new lead with submitted manager reviews, and alpha-01's."""
    from corehub.models import Person

    hub.cycles.set_calibrate(cycle, True)
    _released(hub, cycle)
    hub.people.save(
        [
            Person(id="many-lead", name="Many Lead", team="many", manager_id="boss"),
            *(
                Person(id=f"many-{i:02d}", name=f"Many {i}", team="many", manager_id="many-lead")
                for i in range(13)
            ),
        ]
    )
    hub.cycles.open(cycle.name)
    with hub.atomic() as db:
        db.execute(
            "UPDATE self_assessment_reviews SET status = 'submitted', score = json_object("
            "'overall', 3, 'sections', json_array(), 'competencies', json_object()) "
            "WHERE cycle_id = ? AND kind = 'manager' AND subject_id LIKE 'many-%'",
            [cycle.id],
        )
    calibration.open_session(hub, cycle, "all", actor="hr-1")


def _checkin(hub: Hub, cycle: Cycle) -> None:
    """Check-ins of alpha-lead with alpha-01: number 1 today, number 2 over."""
    from corehub_self_assessment import checkins

    checkins.create(hub, "alpha-01", hub.clock.today(), actor="alpha-lead")
    checkins.create(hub, "alpha-01", cycle.start, actor="alpha-lead")  # number 2, over


def _carried(hub: Hub, cycle: Cycle) -> None:
    """Action item 1 of check-in 1, carried into alpha-01's plan already."""
    from corehub_self_assessment import checkins, plans

    _checkin(hub, cycle)
    today = hub.clock.today()
    checkins.add_action(hub, 1, "Call back", owner="alpha-01", due=today, actor="alpha-lead")
    plans.carry_checkin_action(hub, 1, actor="alpha-01")


def _plan_items(hub: Hub, cycle: Cycle) -> None:
    """alpha-01's development plan with an open action (1) and an open goal (1)."""
    from corehub_self_assessment import plans

    plans.add_action(hub, "alpha-01", "Read the VPN guide", actor="alpha-01")
    plans.add_goal(hub, "alpha-01", "Solve VPN tickets alone", actor="alpha-01")


def _new_hire(hub: Hub, cycle: Cycle) -> None:
    """new-1, hired 20 days ago: their part of the 30-day review is number 1, the manager's 2."""
    from corehub.models import Person

    hub.config.settings["new_hire"] = {"days": [30]}
    hub._settings.clear()
    hire = hub.clock.today() - dt.timedelta(days=20)
    new = Person(id="new-1", name="Nora New", team="alpha", manager_id="alpha-lead", hire_date=hire)
    hub.people.save([new])


CASES: dict[str, Case] = {
    "sign in (a used link)": Case("", "/sign-in", {"token": "no-such-link"}, None, 403),
    "self-assessment": Case("alpha-01", "/reviews/{cycle}/alpha-01/self", {}, "q-communication-1"),
    "manager review": Case(
        "alpha-lead",
        "/reviews/{cycle}/alpha-01/manager",
        {},
        "q-communication-1",
        setup=_self_submitted,
    ),
    "comment on a review": Case(
        "alpha-01",
        "/reviews/{cycle}/alpha-01/comment",
        {"text": "  "},
        "comment-text",
        setup=lambda hub, cycle: (
            _released(hub, cycle),
            reviews.release(hub, cycle, "alpha-01", actor="alpha-lead"),
        ),
    ),
    "calibration": Case(
        "hr-1",
        "/reviews/calibration/{cycle}",
        {"scope": "team:alpha", "person": "alpha-01", "rating": "3", "reason": ""},
        "calibrate-reason",
        setup=_calibrating,
    ),
    "calibration of someone found by a search": Case(
        "hr-1",
        "/reviews/calibration/{cycle}",
        {"scope": "all", "person": "alpha-01", "find": "alpha", "rating": "3", "reason": ""},
        "calibrate-reason",
        setup=_calibrating_many,
    ),
    "calibration of a review not submitted, after a search": Case(
        "hr-1",
        "/reviews/calibration/{cycle}",
        {"scope": "all", "person": "alpha-02", "find": "alpha", "rating": "3", "reason": "x"},
        "calibrate-person",
        setup=_calibrating_many,
    ),
    "praise": Case("alpha-01", "/feedback/praise", {"to": "", "text": "Great"}, "praise-to"),
    "praise text": Case("alpha-01", "/feedback/praise", {"to": "alpha-02"}, "praise-text"),
    "praise tags": Case(
        "alpha-01",
        "/feedback/praise",
        {"to": "alpha-02", "text": "Great", "tags": "bad!tag"},
        "praise-tags",
    ),
    "suggestion": Case("alpha-01", "/feedback/suggestion", {"text": " "}, "suggestion-text"),
    "pulse": Case("alpha-01", "/feedback/pulse", {"text": "Fine"}, "pulse-rating-0"),
    "upward": Case("alpha-01", "/feedback/upward", {"text": ""}, "upward-rating-1"),
    "answer to a suggestion": Case(
        "alpha-lead",
        "/feedback/suggestions/{suggestion}/respond",
        {"text": " "},
        "r{suggestion}-text",
        setup=_suggestion,
    ),
    "peer feedback": Case(
        "alpha-01",
        "/feedback/peer/{cycle}/beta-01",
        {"rating": "4"},
        "keep",
        setup=lambda hub, cycle: peers.request_peers(
            hub,
            cycle=cycle.id,
            person="beta-01",
            peers=["alpha-01", "alpha-02", "alpha-03", "beta-02", "beta-03"],
        ),
    ),
    "mark complete": Case(
        "alpha-01",
        f"/training/people/alpha-01/courses/{STRESS}/complete",
        {"date": "", "score": "lots"},
        f"complete-{STRESS}-date",
        setup=_training,
    ),
    "waive": Case(
        "alpha-lead",
        f"/training/people/alpha-01/courses/{STRESS}/waive",
        {"reason": ""},
        f"waive-{STRESS}-reason",
        setup=_training,
    ),
    "rate a course": Case(
        "alpha-01",
        "/training/people/alpha-01/courses/data-protection/rate",
        {"comment": "Useful"},
        "rate-data-protection-rating",
        setup=_training,
    ),
    "assign a course": Case("alpha-lead", "/training/assign", {}, "assign-course"),
    "accept a recommendation": Case(
        "alpha-lead",
        "/training/recommendations/{rec}/accept",
        {"due": "31/13/2026"},
        "accept-{rec}-due",
        setup=_training,
    ),
    "dismiss a recommendation": Case(
        "alpha-lead",
        "/training/recommendations/{rec}/dismiss",
        {"reason": ""},
        "dismiss-{rec}-reason",
        setup=_training,
    ),
    "plan a check-in": Case(
        "alpha-lead", "/checkins/new", {"person": "", "date": "2026-03-10"}, "new-person"
    ),
    "plan a check-in with someone else's report": Case(
        "alpha-lead",
        "/checkins/new",
        {"person": "beta-01", "date": "2026-03-10"},
        "new-person",
        403,
    ),
    "plan a check-in on no date": Case(
        "alpha-lead", "/checkins/new", {"person": "alpha-01", "date": "soon"}, "new-date"
    ),
    "plan a check-in on a taken date": Case(
        "alpha-lead",
        "/checkins/new",
        {"person": "alpha-01", "date": "{today}"},
        "new-date",
        setup=_checkin,
    ),
    "check-in agenda": Case(
        "alpha-01", "/checkins/1/agenda", {"text": " "}, "agenda-text", setup=_checkin
    ),
    "check-in agenda once it is over": Case(
        "alpha-01", "/checkins/2/agenda", {"text": "Late"}, None, setup=_checkin
    ),
    "check-in note": Case(
        "alpha-lead", "/checkins/1/notes", {"text": ""}, "note-text", setup=_checkin
    ),
    "check-in action item": Case(
        "alpha-lead",
        "/checkins/1/actions",
        {"text": "Call back", "owner": "alpha-01", "due": "2025-12-01"},
        "action-due",
        setup=_checkin,
    ),
    "check-in action item without text": Case(
        "alpha-lead",
        "/checkins/1/actions",
        {"text": "", "owner": "alpha-01", "due": "2026-02-01"},
        "action-text",
        setup=_checkin,
    ),
    "carry an action item into the plan twice": Case(
        "alpha-01", "/checkins/actions/1/plan", {}, None, setup=_carried
    ),
    "new-hire review (the person's part)": Case(
        "new-1", "/checkins/new-hire/1", {"action": "submit"}, "q-going_well-text", setup=_new_hire
    ),
    "new-hire review (the manager's part)": Case(
        "alpha-lead",
        "/checkins/new-hire/2",
        {"action": "submit"},
        "q-tools_and_procedures-1",
        setup=_new_hire,
    ),
    "coaching session": Case(
        "alpha-02",
        "/training/kcs/alpha-01/coaching",
        {"day": "2026-03-02", "notes": " "},
        "coaching-notes",
        setup=_coached,
    ),
    "development plan action without text": Case(
        "alpha-lead",
        "/reviews/plan/alpha-01/actions",
        {"text": " ", "owner": "alpha-01", "due": ""},
        "action-text",
    ),
    "development plan action owned by a stranger": Case(
        "alpha-lead",
        "/reviews/plan/alpha-01/actions",
        {"text": "Pair on refunds", "owner": "alpha-02", "due": "next week"},
        "action-owner",
    ),
    "development plan action done in the future": Case(
        "alpha-01",
        "/reviews/plan/alpha-01/actions/1/done",
        {"on": "2030-01-01"},
        "action-done-1-on",
        setup=_plan_items,
    ),
    "development plan goal without objective": Case(
        "alpha-lead",
        "/reviews/plan/alpha-01/goals",
        {"objective": " ", "result": "", "due": ""},
        "goal-objective",
    ),
    "development plan goal achieved on no date": Case(
        "alpha-01",
        "/reviews/plan/alpha-01/goals/1/done",
        {"outcome": "Done", "on": "someday"},
        "goal-done-1-on",
        setup=_plan_items,
    ),
}

BUTTONS_ONLY = {
    # forms of one button: nothing to get wrong but the state of what they act on,
    # which the error page explains (a review released already, a cycle closed)
    "corehub.sign_out",
    "self_assessment.release",
    "self_assessment.acknowledge",
    "quality.acknowledge",
    "self_assessment_checkins.action_done",
}
ELSEWHERE = {
    # checked with the other forms of their plugin (plugins/quality/tests/test_web.py), or
    # with a setting of their own (test_the_email_form_ties_its_error_to_the_address)
    "quality.grade",
    "quality.dispute",
    "quality.resolve",
    "quality.calibration_grade",
    "corehub.sign_in_email",
    # the KCS sign-off draws its errors from FormErrors, checked in test_kcs_forms.py
    "training_tracker.kcs_sign_off",
}


def _fill(text: str, ids: dict[str, Any]) -> str:
    return text.format(**ids)


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_form_sent_with_a_mistake_shows_its_errors_tied_to_the_fields(
    name: str, browser: Any, hub: Hub, cycle: Cycle
) -> None:
    case = CASES[name]
    if case.setup is not None:
        case.setup(hub, cycle)
    ids: dict[str, Any] = {"cycle": cycle.id}
    if "{suggestion}" in case.path:
        ids["suggestion"] = store.list_feedback(hub, actor="hr-1", kind="suggestion")[0].id
    if "{rec}" in case.path:
        ids["rec"] = _rec_id(hub)
    client = browser(case.who or None)
    data = {k: _fill(v, {"today": hub.clock.today()}) for k, v in case.data.items()}
    if "/reviews/" in case.path and case.path.endswith(("/self", "/manager")):
        page = client.get(_fill(case.path, ids)).get_data(as_text=True)
        data = {"action": "submit", "version": _version(page)}
    answer = client.post(_fill(case.path, ids), data)
    page = answer.get_data(as_text=True)
    assert answer.status_code == case.status, page[:2000]
    assert form_error_problems(page) == []
    assert re.search(r"<title>Error: ", page), "the title does not start with Error:"
    summary = page.split('id="error-summary"', 1)[1].split("</div>", 1)[0]
    if case.field is None:
        assert "<a href" not in summary
    else:
        assert f'href="#{_fill(case.field, ids)}"' in summary, summary


def test_the_email_form_ties_its_error_to_the_address(hub: Hub, cycle: Cycle) -> None:
    from corehub.web.app import create_app
    from tests.web.conftest import Browser

    web = attrs.evolve(hub.config.web, base_url="http://localhost")
    hub.config = attrs.evolve(hub.config, web=web)

    def factory() -> Hub:
        return Hub(hub.workspace, config=hub.config, clock=hub.clock, plugin_manager=hub.pm)

    app = create_app(factory)
    app.testing = True
    answer = Browser(app, hub).post("/sign-in/email", {"email": "not an address"})
    assert answer.status_code == 400
    assert form_error_problems(answer.text) == []
    assert 'href="#email"' in answer.text


def test_every_form_of_the_app_has_a_case(app: Any) -> None:
    posting = {
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if "POST" in (rule.methods or set()) and rule.endpoint != "static"
    }
    covered = {
        "corehub.sign_in_post",
        "self_assessment.fill_self",
        "self_assessment.fill_manager",
        "self_assessment.comment",
        "self_assessment.calibration_adjust",
        "feedback.praise",
        "feedback.suggestion",
        "feedback.pulse",
        "feedback.upward",
        "feedback.respond",
        "feedback.peer",
        "training_tracker.start",
        "training_tracker.complete",
        "training_tracker.waive",
        "training_tracker.rate",
        "training_tracker.assign",
        "training_tracker.accept",
        "training_tracker.dismiss",
        "training_tracker.kcs_log",
        "self_assessment_checkins.create",
        "self_assessment_checkins.add_agenda",
        "self_assessment_checkins.add_note",
        "self_assessment_checkins.add_action",
        "self_assessment_checkins.new_hire",
        "self_assessment_checkins.action_to_plan",
        "self_assessment.plan_add_action",
        "self_assessment.plan_action_done",
        "self_assessment.plan_add_goal",
        "self_assessment.plan_goal_done",
    }
    missing = sorted(posting - covered - BUTTONS_ONLY - ELSEWHERE)
    assert missing == [], f"forms without an error case in this file: {missing}"


def test_a_form_without_mistakes_has_no_summary(browser: Any, cycle: Cycle) -> None:
    page = browser("alpha-01").get("/feedback/").text
    assert 'id="error-summary"' not in page and "aria-invalid" not in page
    assert "<title>Error:" not in page


def test_form_error_problems_finds_what_is_missing() -> None:
    untied = (
        '<div class="problem error-summary" id="error-summary" tabindex="-1" autofocus>'
        '<ul><li><a href="#note">say something</a></li></ul></div>'
        '<p class="field-error" id="note-error">say something</p>'
        '<textarea id="note"></textarea><p role="alert">x</p>'
    )
    found = form_error_problems(untied)
    assert '#note does not say aria-invalid="true"' in found
    assert "#note is not described by a message shown on the page" in found
    assert "the message #note-error describes no field" in found
    assert '1 role="alert" regions besides the summary' in found
    assert "0 error summaries (#error-summary), not 1" in form_error_problems("<p>hi</p>")
    nowhere = untied.replace('href="#note"', 'href="#gone"')
    assert "the summary links to #gone, which is not on the page" in form_error_problems(nowhere)
