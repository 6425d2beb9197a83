"""The training pages: my training, a person's training, the team matrix and recommendations.

Who may see and change what (roles x routes), CSRF, escaping, and the forms as a person
uses them: errors next to the field with nothing lost, evidence files through the
library's store.
"""

from __future__ import annotations

import datetime as dt
import io
import re

import attrs
import pytest

from corehub.models import Recommendation
from corehub_training_tracker import recommendations as recs
from corehub_training_tracker.training import Training
from tests.web.test_security import ACTORS

MAIN_TAG = '<main id="main" tabindex="-1">'  # the page's content starts here

STRESS = "stress-handling"


@pytest.fixture
def trained(hub, cycle):
    """Rules synced; alpha-01 and beta-01 overdue on stress handling (due 2026-02-15);
    alpha-01 completed data protection with an evidence file; one pending recommendation
    each for alpha-01 and beta-01."""
    training = Training(hub)
    training.sync()
    for pid in ("alpha-01", "beta-01"):
        training.assign(
            STRESS,
            [hub.people.get(pid)],
            due=dt.date(2026, 2, 15),
            assigned_on=dt.date(2026, 1, 10),
        )
    source = hub.workspace.parent / "cert.pdf"
    source.write_bytes(b"%PDF-1.4 CERTIFICATE-BYTES")
    training.complete(
        "alpha-01",
        "data-protection",
        dt.date(2026, 2, 20),
        evidence="EVIDENCE-SECRET <b>cert 42</b>",
        evidence_file=source,
    )
    recs.store(
        hub,
        [
            Recommendation(
                person_id=pid,
                course_id="clear-writing",
                competency="knowledge_sharing",
                reason=f"manager review: knowledge sharing rated 1 of 5 ({pid})",
            )
            for pid in ("alpha-01", "beta-01")
        ],
    )
    return training


def evidence_url(hub, person_id="alpha-01", course_id="data-protection"):
    [completion] = Training(hub).completions(person_ids=[person_id], course_id=course_id)
    return f"/training/people/{person_id}/evidence/{completion.id}"


def main(page):
    """The page's content, without the navigation bar (which names the signed-in person)."""
    return page.get_data(as_text=True).split(MAIN_TAG, 1)[1]


# route -> expected status per actor (302 for signed out: sent to the sign-in page)
MATRIX = {
    "/training/": dict(employee=200, peer=200, manager=200, **{"other manager": 200}, hr=200),
    "/training/people/alpha-01": dict(
        employee=302, peer=403, manager=200, **{"other manager": 403}, hr=200
    ),
    "{evidence}": dict(employee=200, peer=403, manager=200, **{"other manager": 403}, hr=200),
    "/training/team": dict(employee=403, peer=403, manager=200, **{"other manager": 200}, hr=200),
    "/training/people/nobody-here": dict(
        employee=404, peer=404, manager=404, **{"other manager": 404}, hr=404
    ),
}


def test_training_roles_by_routes(browser, hub, trained):
    clients = {role: browser(pid) for role, pid in ACTORS.items()}
    for route, expected in MATRIX.items():
        path = route.format(evidence=evidence_url(hub))
        for role, client in clients.items():
            answer = client.get(path)
            want = expected.get(role, 302)
            assert answer.status_code == want, f"{role} GET {path}: {answer.status_code}"
            if role == "signed out":
                assert answer.headers["Location"].endswith("/sign-in")
            body = answer.get_data(as_text=True)
            if role in ("peer", "other manager", "signed out"):
                assert "EVIDENCE-SECRET" not in body and "CERTIFICATE-BYTES" not in body
    # the employee's own page sends them to "My training"
    answer = clients["employee"].get("/training/people/alpha-01")
    assert answer.headers["Location"].endswith("/training/")
    # My training is always the signed-in person's own: the peer sees theirs, not alpha-01's
    mine = main(clients["peer"].get("/training/"))
    assert "My training" in mine and "EVIDENCE-SECRET" not in mine
    assert "Handling stress at the desk" not in mine  # only alpha-01 has it
    own = main(clients["employee"].get("/training/"))
    assert "EVIDENCE-SECRET" in own and "Handling stress at the desk" in own
    # a manager's matrix lists their own people only; HR and the director see everyone
    alpha = main(clients["manager"].get("/training/team"))
    beta = main(clients["other manager"].get("/training/team"))
    assert "Alpha Agent 1" in alpha and "Beta Agent 1" not in alpha
    assert "Beta Agent 1" in beta and "Alpha Agent 1" not in beta
    for page in (
        main(clients["hr"].get("/training/team")),
        main(browser("boss").get("/training/team")),
    ):
        assert "Alpha Agent 1" in page and "Beta Agent 1" in page
    # the evidence file itself, as stored by the library
    download = clients["manager"].get(evidence_url(hub))
    assert download.data == b"%PDF-1.4 CERTIFICATE-BYTES"
    assert "attachment" in download.headers["Content-Disposition"]
    assert "cert.pdf" in download.headers["Content-Disposition"]


def test_navigation_shows_the_pages_each_role_may_use(browser, trained):
    agent = browser("alpha-01").get("/tasks").text
    assert 'href="/training/"' in agent and 'href="/training/team"' not in agent
    for pid in ("alpha-lead", "hr-1"):
        page = browser(pid).get("/tasks").text
        assert 'href="/training/"' in page and 'href="/training/team"' in page


@pytest.mark.parametrize(
    ("role", "want"), [("peer", 403), ("other manager", 403), ("signed out", 302)]
)
def test_others_cannot_change_someone_elses_training(browser, hub, trained, role, want):
    client = browser(ACTORS[role])
    base = "/training/people/alpha-01/courses"
    before = len(trained.completions(person_ids=["alpha-01"]))
    answers = [
        client.post(f"{base}/{STRESS}/start"),
        client.post(f"{base}/{STRESS}/complete", {"date": "2026-03-01", "evidence": "x"}),
        client.post(f"{base}/data-protection/rate", {"rating": "1"}),
    ]
    assert [a.status_code for a in answers] == [want] * 3
    for answer in answers:
        assert "EVIDENCE-SECRET" not in answer.get_data(as_text=True)
    assert len(trained.completions(person_ids=["alpha-01"])) == before
    assert trained.open_assignment("alpha-01", STRESS).started_on is None
    assert trained.rating_by("alpha-01", "data-protection") is None


def test_a_manager_records_for_their_report_but_only_the_person_rates(browser, hub, trained):
    lead = browser("alpha-lead")
    base = "/training/people/alpha-01/courses"
    answer = lead.post(f"{base}/{STRESS}/complete", {"date": "2026-03-01", "score": "80"})
    assert answer.status_code == 302
    assert answer.headers["Location"].endswith("/training/people/alpha-01")
    [done] = trained.completions(person_ids=["alpha-01"], course_id=STRESS)
    assert done.score == 80 and done.completed_on == dt.date(2026, 3, 1)
    assert trained.open_assignment("alpha-01", STRESS) is None
    assert lead.post(f"{base}/{STRESS}/rate", {"rating": "5"}).status_code == 403
    assert lead.post(f"{base}/{STRESS}/rate", {"rating": ""}).status_code == 403
    assert trained.rating_by("alpha-01", STRESS) is None
    # the manager's view of the person has no rating form and no rating
    whole = lead.get("/training/people/alpha-01").text
    assert '<span class="who">Ana Lead</span>' in whole  # signed in as the manager, still
    page = whole.split(MAIN_TAG, 1)[1]
    assert "Training: Alpha Agent 1" in page
    assert "Handling stress at the desk" in page and "Rate this course" not in page


def test_recommendations_are_decided_by_managers_of_the_person(browser, hub, trained):
    [alpha_rec] = recs.listing(hub, person_id="alpha-01")
    [beta_rec] = recs.listing(hub, person_id="beta-01")
    assert (
        browser("alpha-01").post(f"/training/recommendations/{alpha_rec['id']}/accept").status_code
        == 403
    )
    other = browser("beta-lead")
    assert other.post(f"/training/recommendations/{alpha_rec['id']}/accept").status_code == 403
    assert (
        other.post(
            f"/training/recommendations/{alpha_rec['id']}/dismiss", {"reason": "no"}
        ).status_code
        == 403
    )
    assert recs.get(hub, alpha_rec["id"])["status"] == "pending"
    # each manager sees the pending recommendations of their own people only
    alpha_page = main(browser("alpha-lead").get("/training/team"))
    assert "(alpha-01)" in alpha_page and "(beta-01)" not in alpha_page
    beta_page = main(other.get("/training/team"))
    assert "(beta-01)" in beta_page and "(alpha-01)" not in beta_page
    assert f"/training/recommendations/{beta_rec['id']}/accept" in beta_page


def test_every_training_post_needs_the_csrf_token(browser, hub, trained):
    me = browser("alpha-01")
    base = "/training/people/alpha-01/courses"
    [rec] = recs.listing(hub, person_id="alpha-01")
    lead = browser("alpha-lead")
    answers = [
        me.client.post(f"{base}/{STRESS}/start"),
        me.client.post(f"{base}/{STRESS}/complete", data={"date": "2026-03-01"}),
        me.client.post(
            f"{base}/data-protection/rate", data={"rating": "4", "csrf_token": "x" * 43}
        ),
        lead.client.post(f"/training/recommendations/{rec['id']}/accept", data={}),
        lead.client.post(f"/training/recommendations/{rec['id']}/dismiss", data={"reason": "r"}),
    ]
    for answer in answers:
        assert answer.status_code == 400 and "did not come from corehub" in answer.text
    assert trained.open_assignment("alpha-01", STRESS).started_on is None
    assert not trained.completions(person_ids=["alpha-01"], course_id=STRESS)
    assert trained.rating_by("alpha-01", "data-protection") is None
    assert recs.get(hub, rec["id"])["status"] == "pending"


def test_start_complete_with_evidence_file_and_rate(browser, hub, trained):
    me = browser("alpha-01")
    page = main(me.get("/training/"))
    row = page.split('id="course-stress-handling"')[1].split("</tr>")[0]
    assert "Overdue" in row and "15 days late" in row
    base = "/training/people/alpha-01/courses"
    assert me.post(f"{base}/{STRESS}/start").status_code == 302
    assert trained.open_assignment("alpha-01", STRESS).started_on == dt.date(2026, 3, 2)
    # the browser's file name is never a path: it lands in the evidence folder
    answer = me.post(
        f"{base}/{STRESS}/complete",
        {
            "date": "2026-03-01",
            "score": "91.5",
            "evidence": "Workshop with <i>Ana</i>",
            "evidence_file": (io.BytesIO(b"PNG-EVIDENCE"), "../../../etc/stress cert.png"),
        },
        content_type="multipart/form-data",
    )
    assert answer.status_code == 302, answer.text
    [done] = trained.completions(person_ids=["alpha-01"], course_id=STRESS)
    assert done.evidence_name == "stress cert.png" and done.score == 91.5
    stored = (hub.workspace / done.evidence_file).resolve()
    assert stored.is_relative_to((hub.workspace / "evidence" / "training").resolve())
    assert stored.read_bytes() == b"PNG-EVIDENCE" and stored.suffix == ".png"
    page = main(me.get("/training/"))
    assert "Workshop with &lt;i&gt;Ana&lt;/i&gt;" in page and "<i>Ana</i>" not in page
    assert "EVIDENCE-SECRET &lt;b&gt;cert 42&lt;/b&gt;" in page
    assert 'id="course-stress-handling"' not in page  # no longer to do
    done_row = page.split('id="done-stress-handling"')[1].split("</tr>")[0]
    assert "stress cert.png" in done_row and "91.5" in done_row and "Rate this course" in done_row
    assert me.get(evidence_url(hub, course_id=STRESS)).data == b"PNG-EVIDENCE"
    # rate it
    answer = me.post(f"{base}/{STRESS}/rate", {"rating": "4", "comment": "Good <b>role plays</b>"})
    assert answer.status_code == 302
    assert trained.rating_by("alpha-01", STRESS)["rating"] == 4
    assert trained.ratings()[STRESS] == (4.0, 1)
    done_row = main(me.get("/training/")).split('id="done-stress-handling"')[1].split("</tr>")[0]
    assert "You rated it 4 of 5" in done_row and "Good &lt;b&gt;role plays&lt;/b&gt;" in done_row
    assert 'value="4" checked' in done_row
    # the manager sees it in the matrix (same as the library's) and not overdue any more
    team = main(browser("alpha-lead").get("/training/team"))
    matrix = Training(hub).matrix([hub.people.get(p) for p in ("alpha-01", "alpha-02", "alpha-03")])
    states = [c.state for c in matrix.cells.values()]
    for state in set(states):
        assert team.count(f'class="cell state-{state}"') == states.count(state), state
    overdue = team.split('id="overdue"')[1].split("</section>")[0]
    assert "Alpha Agent 1" not in overdue


def test_completion_errors_are_shown_next_to_the_field_and_nothing_is_lost(browser, hub, trained):
    me = browser("alpha-01")
    url = f"/training/people/alpha-01/courses/{STRESS}/complete"
    text = "Certificate CH-<7> & notes"
    answer = me.post(url, {"date": "2026-04-01", "score": "abc", "evidence": text})
    assert answer.status_code == 400
    html = answer.text
    key = f"complete-{STRESS}"
    assert re.search(rf'id="{key}-score-error"[^>]*>&#39;abc&#39; is not a number', html)
    assert "Certificate CH-&lt;7&gt; &amp; notes</textarea>" in html
    assert 'value="abc"' in html and 'value="2026-04-01"' in html
    assert '<details class="complete" open>' in html
    # the library's own checks (a future date, a score out of range) land on their fields
    answer = me.post(url, {"date": "2026-04-01", "score": "150", "evidence": text})
    assert answer.status_code == 400
    assert re.search(rf'id="{key}-date-error"[^>]*>2026-04-01 is in the future', answer.text)
    assert re.search(rf'id="{key}-score-error"[^>]*>150 must be between 0 and 100', answer.text)
    answer = me.post(url, {"date": "", "evidence": text})
    assert re.search(rf'id="{key}-date-error"[^>]*>give the day you completed it', answer.text)
    # a prerequisite missing: said on the form (the course by its title, as the page names
    # it, where the command line names its id), without the command line's advice
    answer = me.post(
        "/training/people/alpha-01/courses/complaint-handling/complete", {"date": "2026-03-01"}
    )
    assert answer.status_code == 400
    assert re.search(
        r'id="complete-complaint-handling-form-error"[^>]*>'
        r"prerequisite &#39;Active listening&#39; was not completed by alpha-01",
        answer.text,
    )
    assert "--override" not in answer.text
    assert not trained.completions(person_ids=["alpha-01"], course_id=STRESS)
    assert not list((hub.workspace / "evidence" / "training").glob("alpha-01/stress*"))


def test_evidence_files_are_limited_as_the_library_limits_them(browser, hub, trained):
    hub.config = attrs.evolve(
        hub.config,
        settings={**hub.config.settings, "training_tracker": {"max_evidence_mb": 0.001}},
    )
    me = browser("alpha-01")
    url = f"/training/people/alpha-01/courses/{STRESS}/complete"
    page = main(me.get("/training/"))
    assert "up to 0.001 MB" in page
    answer = me.post(
        url,
        {
            "date": "2026-03-01",
            "evidence": "kept",
            "evidence_file": (io.BytesIO(b"x" * 2000), "big.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert answer.status_code == 400
    assert re.search(
        rf'id="complete-{STRESS}-evidence_file-error"[^>]*>larger than the 0.001 MB allowed',
        answer.text,
    )
    assert "kept</textarea>" in answer.text
    assert not trained.completions(person_ids=["alpha-01"], course_id=STRESS)
    assert not list((hub.workspace / "evidence" / "training").glob("alpha-01/stress*"))
    empty = me.post(
        url,
        {"date": "2026-03-01", "evidence_file": (io.BytesIO(b""), "empty.pdf")},
        content_type="multipart/form-data",
    )
    assert empty.status_code == 400 and "the file is empty" in empty.text


def test_evidence_up_to_the_training_limit_goes_through_the_web(browser, hub, trained):
    """The training pages take files up to max_evidence_mb (20 MB), above the web app's
    2 MB for every other page; a larger request is refused before it is read."""
    me = browser("alpha-01")
    url = f"/training/people/alpha-01/courses/{STRESS}/complete"
    too_big = me.post(
        url,
        {"date": "2026-03-01", "evidence_file": (io.BytesIO(b"x" * (21 * 1024 * 1024)), "a.pdf")},
        content_type="multipart/form-data",
    )
    assert too_big.status_code == 413
    assert "larger than the 20 MB this page accepts" in too_big.text
    assert not trained.completions(person_ids=["alpha-01"], course_id=STRESS)
    done = me.post(
        url,
        {
            "date": "2026-03-01",
            "evidence_file": (io.BytesIO(b"%PDF" + b"x" * (3 * 1024 * 1024)), "a.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert done.status_code == 302, done.text
    [completion] = trained.completions(person_ids=["alpha-01"], course_id=STRESS)
    assert completion.evidence_file
    elsewhere = me.post("/feedback/praise", {"text": "x" * (3 * 1024 * 1024)})
    assert elsewhere.status_code == 413  # other pages keep the 2 MB limit


def test_rating_errors_keep_the_comment(browser, hub, trained):
    me = browser("alpha-01")
    base = "/training/people/alpha-01/courses"
    answer = me.post(f"{base}/data-protection/rate", {"comment": "Too long <slides>"})
    assert answer.status_code == 400
    assert re.search(r'id="rate-data-protection-rating-error"[^>]*>choose 1 to 5', answer.text)
    assert "Too long &lt;slides&gt;</textarea>" in answer.text
    answer = me.post(f"{base}/data-protection/rate", {"rating": "4", "comment": "x" * 2001})
    assert re.search(r'id="rate-data-protection-comment-error"[^>]*>longer than 2000', answer.text)
    answer = me.post(f"{base}/{STRESS}/rate", {"rating": "4"})  # not completed yet
    assert answer.status_code == 400 and "has not completed" in answer.text
    assert trained.rating_by("alpha-01", "data-protection") is None


def test_accept_and_dismiss_recommendations(browser, hub, trained):
    lead = browser("alpha-lead")
    [rec] = recs.listing(hub, person_id="alpha-01")
    team = main(lead.get("/training/team"))
    assert 'value="2026-05-01"' in team  # default_due_days after today
    answer = lead.post(f"/training/recommendations/{rec['id']}/dismiss", {"reason": "  "})
    assert answer.status_code == 400
    assert re.search(
        rf'id="dismiss-{rec["id"]}-reason-error"[^>]*>say why the course is not needed', answer.text
    )
    answer = lead.post(f"/training/recommendations/{rec['id']}/accept", {"due": "31/13/2026"})
    assert answer.status_code == 400
    assert re.search(
        rf'id="accept-{rec["id"]}-due-error"[^>]*>&#39;31/13/2026&#39; is not', answer.text
    )
    assert 'value="31/13/2026"' in answer.text
    assert recs.get(hub, rec["id"])["status"] == "pending"
    answer = lead.post(f"/training/recommendations/{rec['id']}/accept", {"due": "2026-06-15"})
    assert answer.status_code == 302
    assigned = trained.open_assignment("alpha-01", "clear-writing")
    assert assigned.due == dt.date(2026, 6, 15) and assigned.source == "recommendation"
    assert "Clear written communication" in main(browser("alpha-01").get("/training/"))
    # dismissing the other one (by HR) keeps the reason
    [beta] = recs.listing(hub, person_id="beta-01")
    answer = browser("hr-1").post(
        f"/training/recommendations/{beta['id']}/dismiss", {"reason": "Already writes <well>"}
    )
    assert answer.status_code == 302
    assert recs.get(hub, beta["id"])["decision_reason"] == "Already writes <well>"
    assert "No pending recommendations." in main(browser("hr-1").get("/training/team"))


def test_team_filter_and_overdue_list(browser, hub, trained):
    hr = browser("hr-1")
    page = main(hr.get("/training/team"))
    overdue = page.split('id="overdue"')[1].split("</section>")[0]
    assert "Alpha Agent 1" in overdue and "Beta Agent 1" in overdue and "15 days" in overdue
    beta = main(hr.get("/training/team?team=beta"))
    assert "Beta Agent 1" in beta and "Alpha Agent 1" not in beta
    lead = main(browser("alpha-lead").get("/training/team?team=beta"))
    assert "Beta Agent 1" not in lead  # a filter never widens what a manager sees
