"""The KCS web forms: a coach checks the articles sampled for them on the content standard,
and signs off a coachee's next level. Access on every route, errors beside the fields
(summary, aria-invalid), nothing half-written, text escaped."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs
import pytest

import corehub_quality.plugin
from corehub.hub import Hub
from tests.web.test_accessibility import axe_source  # noqa: F401 (the fixture)

CRITERIA = (
    "customer_words",
    "no_duplicate",
    "environment",
    "cause",
    "resolution",
    "links_valid",
    "audience",
)


@pytest.fixture
def checks(
    hub: Hub, org: dict[str, Any], register_plugin: Callable[..., Any], cli: Any, tmp_path: Path
) -> list[dict[str, Any]]:
    """alpha-01's three articles, sampled for a content-standard check."""
    register_plugin(corehub_quality.plugin, name="quality")
    hub.config = attrs.evolve(
        hub.config, settings={**hub.config.settings, "quality": {"coaches": ["alpha-lead"]}}
    )
    hub.reload_settings()
    path = tmp_path / "guide.csv"
    path.write_text(
        "Id,Title,Author,Section,Draft,Updated at\n"
        + "".join(f"{n},VPN case {n},alpha-01,KB,false,2026-02-1{n % 10}\n" for n in (1, 2, 3)),
        encoding="utf-8",
    )
    assert cli("quality", "import-articles", str(path)).exit_code == 0
    sampled = cli("quality", "sample-articles", "--period", "2026-02", "--per-author", "3")
    assert sampled.exit_code == 0, sampled.output
    from corehub_quality import articles

    return articles.list_checks(hub)


def _stored(hub: Hub, check_id: int) -> dict[str, Any]:
    return dict(
        next(iter(hub.db.query("SELECT * FROM quality_article_checks WHERE id = ?", [check_id])))
    )


def test_a_coach_checks_an_article_on_the_web(hub: Hub, checks: Any, browser: Any) -> None:
    check = checks[0]
    coach = browser(check["coach_id"])
    home = coach.get("/quality/").text
    assert f"/quality/articles/{check['id']}" in home and "Knowledge articles to check" in home
    page = coach.get(f"/quality/articles/{check['id']}")
    assert page.status_code == 200
    assert "The resolution is complete and correct" in page.text
    # an answer outside the scale (a forged form): refused beside its criterion, nothing kept
    forged = coach.post(
        f"/quality/articles/{check['id']}",
        {"a-customer_words": "maybe", "a-cause": "yes", "action": "save"},
    )
    assert forged.status_code == 400
    assert 'id="error-summary"' in forged.text
    assert "&#39;maybe&#39; is not yes, no or na" in forged.text
    assert 'href="#a-customer_words-yes"' in forged.text
    beside = forged.text.split('id="q-customer_words"', 1)[1].split('id="q-', 1)[0]
    assert 'aria-invalid="true"' in beside and 'aria-describedby="a-customer_words-error"' in (
        forged.text
    )
    assert json.loads(_stored(hub, check["id"])["answers"]) == {}
    # a draft, then a submission missing answers: refused, the draft unchanged
    draft = {f"a-{c}": "yes" for c in CRITERIA[:3]} | {"c-environment": "<b>Name the OS</b>"}
    assert (
        coach.post(f"/quality/articles/{check['id']}", {**draft, "action": "save"}).status_code
        == 302
    )
    early = coach.post(f"/quality/articles/{check['id']}", {**draft, "action": "submit"})
    assert early.status_code == 400
    assert "not answered (answer na where it does not apply)" in early.text
    stored = _stored(hub, check["id"])
    assert stored["status"] == "open" and len(json.loads(stored["answers"])) == 3
    page = coach.get(f"/quality/articles/{check['id']}").text
    assert "&lt;b&gt;Name the OS&lt;/b&gt;" in page and "<b>Name the OS</b>" not in page
    answers = {f"a-{c}": "yes" for c in CRITERIA} | {"a-audience": "no"}
    done = coach.post(f"/quality/articles/{check['id']}", {**answers, "action": "submit"})
    assert done.status_code == 302
    stored = _stored(hub, check["id"])
    assert stored["status"] == "submitted" and stored["score"] is not None
    again = coach.post(f"/quality/articles/{check['id']}", {**answers, "action": "submit"})
    assert again.status_code == 400 and "it is final" in again.text


def test_only_the_check_s_coach_and_hr_open_it(hub: Hub, checks: Any, browser: Any) -> None:
    check = checks[0]
    for person in ("alpha-01", "alpha-02", "beta-lead", "boss"):
        if person == check["coach_id"]:
            continue
        client = browser(person)
        assert client.get(f"/quality/articles/{check['id']}").status_code == 403, person
        posted = client.post(
            f"/quality/articles/{check['id']}", {"a-cause": "yes", "action": "save"}
        )
        assert posted.status_code == 403, person
    assert browser("hr-1").get(f"/quality/articles/{check['id']}").status_code == 200
    assert json.loads(_stored(hub, check["id"])["answers"]) == {}
    assert browser(check["coach_id"]).get("/quality/articles/99999").status_code == 404


@pytest.fixture
def coached(hub: Hub, org: dict[str, Any], cli: Any) -> Hub:
    """alpha-02 coaches alpha-01."""
    assert cli("training", "coach", "assign", "alpha-02", "--person", "alpha-01").exit_code == 0
    return hub


def _ready(hub: Hub) -> None:
    from corehub_training_tracker.training import Training

    training = Training(hub)
    for course in ("clear-writing", "kcs-basics"):
        training.complete("alpha-01", course, dt.date(2026, 2, 20))


def _levels(hub: Hub) -> list[dict[str, Any]]:
    return [dict(r) for r in hub.db.query("SELECT * FROM training_credential_levels")]


def test_a_coach_signs_off_a_level_on_the_web(coached: Hub, browser: Any) -> None:
    coach = browser("alpha-02")
    page = coach.get("/training/kcs/alpha-01").text
    assert "Sign off KCS Candidate" in page
    assert "once everything listed above is met" in page  # not ready: no form yet
    early = coach.post("/training/kcs/alpha-01/sign-off", {"level": "candidate", "note": "ok"})
    assert early.status_code == 400
    assert "alpha-01 cannot be signed off for candidate yet" in early.text
    assert "course kcs-basics is not completed (or has expired)" in early.text
    assert 'id="error-summary"' in early.text
    assert _levels(coached) == []
    _ready(coached)
    page = coach.get("/training/kcs/alpha-01").text
    assert 'action="/training/kcs/alpha-01/sign-off"' in page
    assert "ready for a coach's sign-off" in coach.get("/training/kcs").text  # coachees
    long = coach.post("/training/kcs/alpha-01/sign-off", {"level": "candidate", "note": "x" * 2001})
    assert long.status_code == 400 and 'aria-invalid="true"' in long.text
    assert 'href="#sign-off-note"' in long.text
    assert _levels(coached) == []
    done = coach.post(
        "/training/kcs/alpha-01/sign-off", {"level": "candidate", "note": "<i>Clear</i> titles"}
    )
    assert done.status_code == 302, done.text
    [level] = _levels(coached)
    assert (level["person_id"], level["level_id"], level["coach_id"]) == (
        "alpha-01",
        "candidate",
        "alpha-02",
    )
    shown = coach.get("/training/kcs/alpha-01").text
    assert "KCS Candidate since" in shown
    twice = coach.post("/training/kcs/alpha-01/sign-off", {"level": "candidate"})
    assert twice.status_code == 400 and "holds candidate already" in twice.text


@pytest.mark.parametrize("person", ["alpha-lead", "boss", "hr-1", "alpha-01", "beta-lead"])
def test_only_a_coach_signs_off(coached: Hub, browser: Any, person: str) -> None:
    _ready(coached)
    client = browser(person)
    answer = client.post("/training/kcs/alpha-01/sign-off", {"level": "candidate"})
    assert answer.status_code == 403, answer.text
    assert _levels(coached) == []
    if person != "beta-lead":  # beta-lead may not even see the page
        assert (
            'action="/training/kcs/alpha-01/sign-off"'
            not in client.get("/training/kcs/alpha-01").text
        )


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("es", "Aprobar Candidato KCS"),
        ("da", "Godkend KCS-kandidat"),
        ("sv", "Godkänn KCS-kandidat"),
    ],
)
def test_the_forms_speak_the_coach_s_language(
    coached: Hub, browser: Any, lang: str, said: str
) -> None:
    _ready(coached)
    person = coached.people.get("alpha-02")
    coached.people.save([attrs.evolve(person, locale=lang)])
    page = browser("alpha-02").get("/training/kcs/alpha-01").text
    assert said in page, page


# -- in a real browser: axe-core, focus on the error summary, two languages ------------------


@pytest.mark.parametrize("lang", ["en", "da"])
def test_the_kcs_forms_in_chromium_meet_wcag_21_aa(
    checks: Any,
    coached: Hub,
    server: str,
    chromium: Any,
    axe_source: str,  # noqa: F811
    shots: Path,
    lang: str,
) -> None:
    from playwright.sync_api import expect

    from tests.web.test_accessibility import signed_in, violations

    hub = coached
    check = checks[0]
    problems: list[str] = []
    page = signed_in(chromium, hub, server, check["coach_id"], lang, axe_source)
    page.goto(f"{server}/quality/articles/{check['id']}")
    problems += violations(page)
    page.locator("#a-customer_words-yes").check()
    page.locator("button[value=submit]").click()
    page.wait_for_load_state()
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    problems += violations(page)
    page.screenshot(path=shots / f"article-check-errors-{lang}.png", full_page=True)
    summary.locator("a").first.click()
    expect(page.locator("#a-no_duplicate-yes")).to_be_focused()
    _ready(hub)
    coach = signed_in(chromium, hub, server, "alpha-02", lang, axe_source)
    coach.goto(f"{server}/training/kcs/alpha-01")
    problems += violations(coach)
    coach.evaluate("document.querySelector('#sign-off-note').removeAttribute('maxlength')")
    coach.locator("#sign-off-note").fill("x" * 2001)
    coach.locator("#sign-off button[type=submit]").click()
    coach.wait_for_load_state()
    expect(coach.locator("#error-summary")).to_be_focused()
    problems += violations(coach)
    coach.screenshot(path=shots / f"sign-off-errors-{lang}.png", full_page=True)
    coach.locator("#sign-off-note").fill("Clear titles.")
    coach.locator("#sign-off button[type=submit]").click()
    coach.wait_for_load_state()
    problems += violations(coach)
    coach.screenshot(path=shots / f"signed-off-{lang}.png", full_page=True)
    assert _levels(hub) and _levels(hub)[0]["note"] == "Clear titles."
    assert not problems, "\n".join(problems)


def test_the_forms_need_the_csrf_token(hub: Hub, checks: Any, coached: Hub, browser: Any) -> None:
    _ready(coached)
    coach = browser("alpha-02")
    forged = coach.client.post("/training/kcs/alpha-01/sign-off", data={"level": "candidate"})
    assert forged.status_code in (400, 403)
    assert _levels(coached) == []
    check = checks[0]
    checker = browser(check["coach_id"])
    posted = checker.client.post(
        f"/quality/articles/{check['id']}", data={"a-cause": "yes", "action": "save"}
    )
    assert posted.status_code in (400, 403)
    assert json.loads(_stored(hub, check["id"])["answers"]) == {}
