"""Self-assessment, manager review, release, comments and acknowledgement in the browser."""

from __future__ import annotations

import pytest

from corehub import hookimpl
from corehub.messages import M_
from corehub.testing import form_error_problems
from corehub_self_assessment import reviews
from tests.web.conftest import GOOD_MANAGER, GOOD_SELF, as_form, field_value

SELF = "/reviews/{c}/alpha-01/self"


def test_the_form_is_drawn_from_its_definition(browser, cycle):
    page = browser("alpha-01").get(SELF.format(c=cycle.id))
    assert page.status_code == 200
    html = page.text
    assert "Communicates clearly and courteously" in html
    assert "4 Strong" in html and "5 Outstanding" in html and "Not rated" in html
    assert 'name="q-strengths"' in html and "<textarea" in html
    assert 'name="q-goals_next-0-objective"' in html
    assert 'type="date"' in html
    # manager-only questions are not asked in the self-assessment
    assert "q-overall" not in html


def test_save_draft_then_submit_with_errors_next_to_the_fields(browser, hub, cycle):
    me = browser("alpha-01")
    url = SELF.format(c=cycle.id)
    version = field_value(me.get(url).text, "version")
    partial = {
        "q-communication": "4",
        "q-strengths": "Calm <b>under</b> pressure",
        "version": version,
    }
    saved = me.post(url, {**partial, "action": "save"})
    assert saved.status_code == 302
    page = me.get(url).text
    assert "Draft saved" in page
    assert "Calm &lt;b&gt;under&lt;/b&gt; pressure" in page  # escaped, kept
    version = field_value(page, "version")
    answer = me.post(url, {**partial, "q-teamwork": "9", "version": version, "action": "submit"})
    assert answer.status_code == 400
    assert "9 is outside the scale" in answer.text
    # what was typed is still there, nothing half-saved
    assert "Calm &lt;b&gt;under&lt;/b&gt; pressure" in answer.text
    stored = reviews.find(hub, cycle.id, "alpha-01", "self").review
    assert stored.status.value == "draft" and "teamwork" not in stored.answers
    # required answers missing: saved as draft, not submitted, each error by its question
    version = field_value(me.get(url).text, "version")
    answer = me.post(url, {**partial, "version": version, "action": "submit"})
    assert answer.status_code == 400
    assert "saved as a draft, but not submitted" in answer.text
    assert answer.text.count("needs an answer before you submit") >= 5
    assert reviews.find(hub, cycle.id, "alpha-01", "self").review.status.value == "draft"


def test_two_browsers_saving_the_same_draft(browser, hub, cycle):
    url = SELF.format(c=cycle.id)
    first, second = browser("alpha-01"), browser("alpha-01")
    version = field_value(first.get(url).text, "version")
    assert field_value(second.get(url).text, "version") == version
    ok = first.post(url, {"q-strengths": "From the laptop", "version": version, "action": "save"})
    assert ok.status_code == 302
    refused = second.post(
        url, {"q-strengths": "From the phone", "version": version, "action": "save"}
    )
    assert refused.status_code == 409
    assert "was saved elsewhere" in refused.text
    assert "From the phone" in refused.text  # shown again so it can be copied
    stored = reviews.find(hub, cycle.id, "alpha-01", "self").review
    assert stored.answers["strengths"] == "From the laptop"


def submit_self(me, cycle):
    url = SELF.format(c=cycle.id)
    version = field_value(me.get(url).text, "version")
    answer = me.post(url, {**as_form(GOOD_SELF), "version": version, "action": "submit"})
    assert answer.status_code == 302, answer.text
    return answer


def test_the_whole_review_from_self_assessment_to_acknowledgement(browser, hub, cycle):
    me = browser("alpha-01")
    submit_self(me, cycle)
    assert "Submitted" in me.get(f"/reviews/{cycle.id}/alpha-01").text

    lead = browser("alpha-lead")
    tasks = lead.get("/tasks").text
    assert f"/reviews/{cycle.id}/alpha-01/manager" in tasks
    url = f"/reviews/{cycle.id}/alpha-01/manager"
    page = lead.get(url).text
    assert "Alpha Agent 1 (self)" in page and "Calm with upset customers." in page
    version = field_value(page, "version")
    answer = lead.post(
        url,
        {
            **as_form(GOOD_MANAGER),
            "private_note": "Watch the stress at peaks.",
            "version": version,
            "action": "submit",
        },
    )
    assert answer.status_code == 302, answer.text
    # not released: the person does not see it yet
    view = me.get(f"/reviews/{cycle.id}/alpha-01").text
    assert "not released yet" in view and "pilot a macro library" not in view
    assert lead.post(f"/reviews/{cycle.id}/alpha-01/release").status_code == 302

    view = me.get(f"/reviews/{cycle.id}/alpha-01").text
    assert "pilot a macro library" in view
    assert "Watch the stress" not in view  # the private note never reaches the person
    assert "Watch the stress" in lead.get(f"/reviews/{cycle.id}/alpha-01").text
    assert (
        me.post(f"/reviews/{cycle.id}/alpha-01/comment", {"text": "Thanks <3"}).status_code == 302
    )
    assert me.post(f"/reviews/{cycle.id}/alpha-01/acknowledge").status_code == 302
    view = me.get(f"/reviews/{cycle.id}/alpha-01").text
    assert "Thanks &lt;3" in view and "acknowledged" in view
    assert reviews.find(hub, cycle.id, "alpha-01", "manager").review.status.value == "acknowledged"

    packet = me.get(f"/packet/{cycle.id}/alpha-01.pdf")
    assert packet.status_code == 200
    assert packet.headers["Content-Type"] == "application/pdf"
    assert packet.data.startswith(b"%PDF")
    from io import BytesIO

    from pypdf import PdfReader

    text = "".join(page.extract_text() for page in PdfReader(BytesIO(packet.data)).pages)
    assert "Alpha Agent 1" in text
    assert "Watch the stress" not in text


def test_the_manager_review_waits_for_the_self_assessment(browser, cycle):
    lead = browser("alpha-lead")
    answer = lead.get(f"/reviews/{cycle.id}/alpha-01/manager")
    assert answer.status_code == 403
    assert "opens once their self-assessment is submitted" in answer.text


class TicketRule:
    """Another plugin's ``validate_review``: one Message naming a question, one about the
    review as a whole, and one plain string (the deprecated form)."""

    @hookimpl
    def validate_review(self, hub, review, form):
        if "ticket" in (review.answers.get("strengths") or ""):
            return []
        return [
            M_("name at least one ticket", where="strengths"),
            M_("ask your supervisor about the ticket log"),
            "plain string from an older plugin",
        ]


def question_block(page: str, name: str) -> str:
    start = page.index(f'id="{name}"')
    end = page.find('<div class="question', start)
    return page[start : end if end != -1 else len(page)]


def test_another_plugins_problems_show_by_their_where(browser, hub, cycle, register_plugin):
    register_plugin(TicketRule(), name="ticket_rule")
    me = browser("alpha-01")
    url = SELF.format(c=cycle.id)
    version = field_value(me.get(url).text, "version")
    answer = me.post(url, {**as_form(GOOD_SELF), "version": version, "action": "submit"})
    assert answer.status_code == 400
    page = answer.text
    assert "name at least one ticket" in question_block(page, "q-strengths")
    assert "name at least one ticket" not in question_block(page, "q-improvements")
    top = page[: page.index('id="q-')]
    assert "ask your supervisor about the ticket log" in top
    assert "plain string from an older plugin" in top
    assert reviews.find(hub, cycle.id, "alpha-01", "self").review.status.value == "draft"
    fixed = {**as_form(GOOD_SELF), "q-strengths": "Calm on ticket 4711."}
    version = field_value(me.get(url).text, "version")
    answer = me.post(url, {**fixed, "version": version, "action": "submit"})
    assert answer.status_code == 302, answer.text


def test_the_manager_form_shows_the_suggestions_it_asks_to_answer(browser, hub, cycle):
    me = browser("alpha-01")
    url = SELF.format(c=cycle.id)
    version = field_value(me.get(url).text, "version")
    mine = {**GOOD_SELF, "suggestions": "Macros for <resets>, please."}
    assert (
        me.post(url, {**as_form(mine), "version": version, "action": "submit"}).status_code == 302
    )
    page = browser("alpha-lead").get(f"/reviews/{cycle.id}/alpha-01/manager").text
    said = page.index("Macros for &lt;resets&gt;, please.")
    assert said < page.index('name="q-suggestions_response"')
    assert "Alpha Agent 1 was asked:" in page


def test_the_person_sees_the_managers_answer_labelled_as_the_managers(browser, hub, cycle):
    me = browser("alpha-01")
    submit_self(me, cycle)
    lead = browser("alpha-lead")
    url = f"/reviews/{cycle.id}/alpha-01/manager"
    version = field_value(lead.get(url).text, "version")
    sent = lead.post(url, {**as_form(GOOD_MANAGER), "version": version, "action": "submit"})
    assert sent.status_code == 302, sent.text
    assert lead.post(f"/reviews/{cycle.id}/alpha-01/release").status_code == 302
    page = me.get(f"/reviews/{cycle.id}/alpha-01").text
    row = page[: page.index("Your answer to the suggestions")]
    assert row[row.rindex("<td>") :].count("Answered by the manager") == 1


@pytest.fixture
def must_rate(hub, org):
    """The workspace's agent form says ``allow_na: false`` for communication (before the
    cycle opens, so the reviews copy it)."""
    from pathlib import Path

    import corehub_self_assessment

    shipped = Path(corehub_self_assessment.__file__).parent / "forms" / "agent.yaml"
    text = shipped.read_text(encoding="utf-8").replace(
        "      - id: communication\n", "      - id: communication\n        allow_na: false\n", 1
    )
    folder = hub.path("forms")
    folder.mkdir(exist_ok=True)
    (folder / "agent.yaml").write_text(text, encoding="utf-8")


def test_not_rated_is_offered_only_where_the_form_allows_it(must_rate, browser, hub, cycle):
    me = browser("alpha-01")
    url = SELF.format(c=cycle.id)
    page = me.get(url).text
    communication = question_block(page, "q-communication")
    assert 'value="n/a"' not in communication and "Not rated" not in communication
    assert 'value="n/a"' in question_block(page, "q-active_listening")  # allowed there
    # a forged "n/a" is refused, next to the question, and nothing is saved
    version = field_value(page, "version")
    forged = {**as_form(GOOD_SELF), "q-communication": "n/a", "version": version}
    answer = me.post(url, {**forged, "action": "submit"})
    assert answer.status_code == 400
    assert "n/a is not allowed" in question_block(answer.text, "q-communication")
    assert form_error_problems(answer.text) == []
    stored = reviews.find(hub, cycle.id, "alpha-01", "self").review
    assert stored.status.value == "draft" and "communication" not in stored.answers
    # its scale, in an error, offers no n/a either
    wrong = me.post(url, {**forged, "q-communication": "9", "action": "save"})
    assert "9 is outside the scale" in wrong.text and "or n/a" not in question_block(
        wrong.text, "q-communication"
    )


def test_the_fill_in_file_offers_n_a_only_where_the_form_allows_it(must_rate, cycle, cli):
    exported = cli("--as", "alpha-01", "review", "export")
    assert exported.exit_code == 0, exported.output
    text = exported.stdout
    communication = text[: text.index("communication:")].rsplit("# Scale:", 1)[1]
    listening = text[: text.index("active_listening:")].rsplit("# Scale:", 1)[1]
    assert "or n/a" not in communication and "or n/a" in listening
