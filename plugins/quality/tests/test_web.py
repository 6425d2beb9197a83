"""The quality pages: grading beside the conversation, disputes, calibration results."""

from __future__ import annotations

import re
from typing import Any

import pytest

from .conftest import set_settings
from .test_report import grade_all
from .test_scorecards import WRITTEN_ALL_YES


@pytest.fixture
def browser(imported: Any, cli: Any, web_client: Any) -> Any:
    hub = imported
    for person in hub.people.list():
        if not person.email:
            hub.people.save(
                [person.__class__(**{**person.__dict__, "email": f"{person.id}@x.org"})]
            )
    assert (
        cli("quality", "sample", "--period", "2026-02", "--per-agent", "2", "--seed", "4").exit_code
        == 0
    )
    return web_client


def _task(hub: Any, channel: str = "email") -> dict[str, Any]:
    return next(
        iter(
            hub.db.query(
                "SELECT k.id, k.grader_id, t.agent_id FROM quality_tasks k JOIN quality_tickets t "
                "ON t.id = k.ticket_row WHERE t.channel = ? ORDER BY k.id",
                [channel],
            )
        )
    )


def test_grading_on_the_web_beside_the_conversation(imported: Any, browser: Any) -> None:
    task = _task(imported)
    grader = browser(task["grader_id"])
    home = grader.get("/quality/").text
    assert f"/quality/task/{task['id']}" in home
    page = grader.get(f"/quality/task/{task['id']}")
    assert page.status_code == 200
    assert "Free of rude, disrespectful or unreliable language." in page.text
    draft = {f"a-{k}": v for k, v in WRITTEN_ALL_YES.items() if k != "clarity"}
    draft["c-tone"] = "Warm <b>and</b> clear"
    saved = grader.post(f"/quality/task/{task['id']}", {**draft, "action": "save"})
    assert saved.status_code == 302
    page = grader.get(f"/quality/task/{task['id']}").text
    assert "Warm &lt;b&gt;and&lt;/b&gt; clear" in page
    refused = grader.post(f"/quality/task/{task['id']}", {**draft, "action": "submit"})
    assert refused.status_code == 400
    beside = refused.text.split('id="q-clarity"', 1)[1].split('id="q-', 1)[0]
    assert "not answered (answer na where it does not apply)" in beside
    done = grader.post(
        f"/quality/task/{task['id']}", {**draft, "a-clarity": "5", "action": "submit"}
    )
    assert done.status_code == 302
    [row] = imported.db.query("SELECT status, score, comments FROM quality_grades")
    assert row["status"] == "submitted" and row["score"] == 100.0
    assert "Warm <b>and</b> clear" in row["comments"]


def test_errors_are_in_the_graders_language(imported: Any, browser: Any) -> None:
    import attrs

    task = _task(imported)
    grader = imported.people.get(task["grader_id"])
    imported.people.save([attrs.evolve(grader, locale="es")])
    page = browser(task["grader_id"]).post(
        f"/quality/task/{task['id']}", {"a-greeting": "yes", "action": "submit"}
    )
    assert page.status_code == 400
    beside = page.text.split('id="q-clarity"', 1)[1].split('id="q-', 1)[0]
    assert "sin responder (responde" in beside
    assert "Sin lenguaje grosero, irrespetuoso o poco fiable." in page.text
    agent = browser(task["agent_id"]).get(f"/quality/task/{task['id']}")
    assert agent.status_code == 403


def test_nobody_else_opens_a_grading_task(imported: Any, browser: Any) -> None:
    task = _task(imported)
    assert browser(task["agent_id"]).get(f"/quality/task/{task['id']}").status_code == 403
    other = "qa-1" if task["grader_id"] != "qa-1" else "alpha-lead"
    assert browser(other).get(f"/quality/task/{task['id']}").status_code == 403


def test_the_agent_disputes_and_the_manager_resolves_on_the_web(
    imported: Any, browser: Any
) -> None:
    grade_all(imported, lambda task, a: a | ({"greeting": "no"} if "greeting" in a else {}))
    grade = next(
        iter(
            imported.db.query(
                "SELECT id, agent_id, grader_id FROM quality_grades WHERE answers LIKE "
                '\'%"greeting": "no"%\' ORDER BY id'
            )
        )
    )
    agent = browser(grade["agent_id"])
    home = agent.get("/quality/").text
    assert f"grade-{grade['id']}" in home
    sent = agent.post(f"/quality/grade/{grade['id']}/dispute", {"reason": "I <did> greet."})
    assert sent.status_code == 302
    resolver_id = "qa-1" if grade["grader_id"] == "alpha-lead" else "alpha-lead"
    resolver = browser(resolver_id)
    home = resolver.get("/quality/").text
    assert "I &lt;did&gt; greet." in home
    [dispute_id] = re.findall(r"/quality/dispute/(\d+)", home)
    assert agent.get(f"/quality/dispute/{dispute_id}").status_code == 403
    page = resolver.get(f"/quality/dispute/{dispute_id}")
    assert page.status_code == 200
    done = resolver.post(
        f"/quality/dispute/{dispute_id}", {"a-greeting": "yes", "answer": "Right, corrected."}
    )
    assert done.status_code == 302
    [row] = imported.db.query("SELECT status, answer FROM quality_disputes")
    assert (row["status"], row["answer"]) == ("changed", "Right, corrected.")


def test_calibration_results_for_graders_only(imported: Any, browser: Any, cli: Any) -> None:
    set_settings(imported, graders=["qa-1"])
    assert (
        cli(
            "quality",
            "calibrate",
            "new",
            "nov",
            "--ticket",
            "zendesk:101",
            "--grader",
            "qa-1",
            "--grader",
            "alpha-lead",
        ).exit_code
        == 0
    )
    assert cli("quality", "calibrate", "close", "nov").exit_code == 0
    session = next(iter(imported.db.query("SELECT id FROM quality_calibrations")))["id"]
    page = browser("qa-1").get(f"/quality/calibration/{session}")
    assert page.status_code == 200 and "Krippendorff" in page.text
    assert browser("alpha-01").get(f"/quality/calibration/{session}").status_code == 403


def test_calibration_is_graded_blind_on_the_web(imported: Any, browser: Any, cli: Any) -> None:
    set_settings(imported, graders=["qa-1"])
    assert (
        cli(
            "quality",
            "calibrate",
            "new",
            "nov",
            "--ticket",
            "zendesk:101",
            "--grader",
            "qa-1",
            "--grader",
            "alpha-lead",
        ).exit_code
        == 0
    )
    qa = browser("qa-1")
    home = qa.get("/quality/").text
    url = "/quality/calibration/1/zendesk:101"
    assert url in home
    answers = {f"a-{k}": v for k, v in WRITTEN_ALL_YES.items()} | {"a-tone": "2"}
    done = qa.post(url, {**answers, "c-tone": "Curt.", "action": "submit"})
    assert done.status_code == 302
    lead = browser("alpha-lead")
    page = lead.get(url).text
    assert "Curt." not in page and 'value="2" checked' not in page  # blind
    assert url not in qa.get("/quality/").text  # submitted: nothing left to grade
    assert browser("alpha-01").get(url).status_code == 403
    early = qa.get("/quality/calibration/1")
    assert early.status_code == 403 and "once it is closed" in early.text


def test_every_quality_form_ties_its_errors_to_the_fields(
    imported: Any, browser: Any, cli: Any
) -> None:
    """Grading, a dispute, its resolution and a blind calibration grade sent with a mistake:
    the summary on top leads to the field, which is invalid and names its message."""
    import attrs

    from corehub.testing import form_error_problems

    task = _task(imported)
    grader = browser(task["grader_id"])
    graded = grader.post(f"/quality/task/{task['id']}", {"a-greeting": "yes", "action": "submit"})
    assert graded.status_code == 400
    assert form_error_problems(graded.text) == []
    assert 'href="#a-clarity-1"' in graded.text
    grade_all(imported, lambda task, a: a | ({"greeting": "no"} if "greeting" in a else {}))
    grade = next(
        iter(
            imported.db.query(
                "SELECT id, agent_id, grader_id FROM quality_grades WHERE answers LIKE "
                '\'%"greeting": "no"%\' ORDER BY id'
            )
        )
    )
    agent = browser(grade["agent_id"])
    empty = agent.post(f"/quality/grade/{grade['id']}/dispute", {"reason": " "})
    assert empty.status_code == 400
    assert form_error_problems(empty.text) == []
    assert f'href="#reason-{grade["id"]}"' in empty.text
    assert (
        agent.post(f"/quality/grade/{grade['id']}/dispute", {"reason": "I did greet."}).status_code
        == 302
    )
    resolver = browser("qa-1" if grade["grader_id"] == "alpha-lead" else "alpha-lead")
    [dispute_id] = re.findall(r"/quality/dispute/(\d+)", resolver.get("/quality/").text)
    # the team's graded conversations say the dispute's state in words, never its value
    lead = imported.people.get("alpha-lead")
    imported.people.save([attrs.evolve(lead, locale="es")])
    team = browser("alpha-lead").get("/quality/").text.split('id="team"', 1)[1]
    assert "pendiente de respuesta" in team and "<td>open</td>" not in team
    imported.people.save([lead])
    unexplained = resolver.post(f"/quality/dispute/{dispute_id}", {"a-greeting": "yes"})
    assert unexplained.status_code == 400
    assert form_error_problems(unexplained.text) == []
    assert 'href="#answer"' in unexplained.text
    set_settings(imported, graders=["qa-1"])
    made = cli(
        "quality", "calibrate", "new", "nov", "--ticket", "zendesk:101",
        "--grader", "qa-1", "--grader", "alpha-lead",
    )  # fmt: skip
    assert made.exit_code == 0
    blind = browser("qa-1").post(
        "/quality/calibration/1/zendesk:101", {"a-greeting": "maybe", "action": "submit"}
    )
    assert blind.status_code == 400
    assert form_error_problems(blind.text) == []
    assert 'href="#a-greeting-1"' in blind.text
