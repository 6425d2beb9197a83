"""The web app's pages in the signed-in person's language: en, es, da, sv."""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path
from typing import Any

import attrs
import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from corehub.hub import Hub
from corehub.models import Cycle, Recommendation
from corehub_training_tracker import recommendations as recs
from corehub_training_tracker.training import Training

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = {
    "corehub": ROOT / "corehub",
    "corehub_self_assessment": ROOT / "plugins/self_assessment/corehub_self_assessment",
    "corehub_feedback": ROOT / "plugins/feedback/corehub_feedback",
    "corehub_training_tracker": ROOT / "plugins/training_tracker/corehub_training_tracker",
}
WEB_FILES = [("**/web/**.html", "jinja2"), ("**/web.py", "python"), ("web/**.py", "python")]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2), "N_": None}
WORD = re.compile(r"[^\W\d_]{3,}")
PEOPLE = {"es": "alpha-01", "da": "alpha-02", "sv": "alpha-03"}
KEPT = {"corehub", "pdf", "enps", "alpha", "beta", "agent", "lead", "ana", "test", "help", "desk"}
"""Product words, and the fixture's names (Alpha Agent 1, Ana Lead, Test help desk)."""


def words(text: str) -> set[str]:
    return {w.lower() for w in WORD.findall(re.sub(r"%\(\w+\)\w", " ", text))}


def web_msgids() -> set[str]:
    """Every English message marked in the web templates and web Python code."""
    found: set[str] = set()
    options = {"extensions": "jinja2.ext.do", "trim_blocks": "true", "lstrip_blocks": "true"}
    for folder in PACKAGES.values():
        for *_, message, _comments, _context in extract_from_dir(
            folder, WEB_FILES, {"**/web/**.html": options}, keywords=KEYWORDS
        ):
            found.update(message if isinstance(message, tuple) else (message,))
    return found


def translated_words(lang: str) -> set[str]:
    found: set[str] = set()
    for domain, folder in PACKAGES.items():
        with (folder / "locale" / lang / "LC_MESSAGES" / f"{domain}.po").open("rb") as handle:
            for message in read_po(handle):
                texts = message.string if isinstance(message.string, tuple) else (message.string,)
                for text in texts:
                    found |= words(text or "")
    return found


ENGLISH = set().union(*(words(m) for m in web_msgids()))


def visible_text(page: str) -> str:
    """The text a person reads: no tags, no hidden values; the page title included."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


@pytest.fixture
def localized(hub: Hub, org: dict[str, Any]) -> None:
    hub.people.save([attrs.evolve(org[p], locale=lang) for lang, p in PEOPLE.items()])
    hub.people.save([attrs.evolve(org["alpha-lead"], locale="en")])


def pages(cycle: Cycle, person_id: str) -> dict[str, str]:
    return {
        "my tasks": "/tasks",
        "self-assessment": f"/reviews/{cycle.id}/{person_id}/self",
        "reviews": "/reviews/",
        "feedback": "/feedback/",
        "my training": "/training/",
    }


def test_the_english_word_list_is_the_web_pages_words() -> None:
    # Guards the check below: an empty list would find nothing on any page.
    assert {"save", "draft", "sign", "praise", "tasks", "anonymously"} <= ENGLISH


@pytest.mark.parametrize("lang", sorted(PEOPLE))
def test_pages_come_in_the_persons_language(
    lang: str, localized: None, browser: Any, cycle: Cycle
) -> None:
    person_id = PEOPLE[lang]
    client = browser(person_id)
    english = ENGLISH - translated_words(lang) - KEPT
    for name, path in pages(cycle, person_id).items():
        page = client.get(path)
        assert page.status_code == 200, (name, page.text)
        assert f'<html lang="{lang}">' in page.text, name
        left = words(visible_text(page.text)) & english
        assert not left, f"{lang} {name}: English words left: {sorted(left)}"


EXPECTED = {
    "es": ["Mis tareas", "Mi autoevaluación", "Guardar borrador", "Cerrar sesión"],
    "da": ["Mine opgaver", "Min selvevaluering", "Gem kladde", "Log ud"],
    "sv": ["Mina uppgifter", "Min självskattning", "Spara utkast", "Logga ut"],
}


@pytest.mark.parametrize("lang", sorted(PEOPLE))
def test_key_words_are_translated_with_their_accents(
    lang: str, localized: None, browser: Any, cycle: Cycle
) -> None:
    client = browser(PEOPLE[lang])
    form = visible_text(client.get(f"/reviews/{cycle.id}/{PEOPLE[lang]}/self").text)
    for text in EXPECTED[lang]:
        assert text in form, (lang, text)
    # The form's own questions come in the person's language too (the shipped agent form).
    assert "Communication" not in form


def test_an_english_person_still_reads_english(
    localized: None, browser: Any, cycle: Cycle, hub: Hub
) -> None:
    hub.people.save([attrs.evolve(hub.people.get("alpha-01"), locale="en")])
    client = browser("alpha-01")
    tasks = client.get("/tasks").text
    assert '<html lang="en">' in tasks and "My tasks" in tasks and "Sign out" in tasks
    form = client.get(f"/reviews/{cycle.id}/alpha-01/self").text
    assert "My self-assessment" in form and "Save draft" in form


def test_flash_messages_and_errors_are_translated(
    localized: None, browser: Any, cycle: Cycle
) -> None:
    client = browser("alpha-01")  # Spanish
    answer = client.post(f"/reviews/{cycle.id}/alpha-01/self", {"action": "save", "version": "0"})
    assert answer.status_code == 302
    assert "Borrador guardado." in client.get(answer.headers["Location"]).text
    missing = client.get("/no-such-page")
    assert missing.status_code == 404 and "Esta página no existe." in missing.text
    refused = client.get("/hr")
    assert refused.status_code == 403 and "Esta página es solo para RR. HH." in refused.text


def test_a_signed_out_page_uses_the_organizations_language(
    hub: Hub, browser: Any, cycle: Cycle
) -> None:
    hub.config = attrs.evolve(
        hub.config, organization=attrs.evolve(hub.config.organization, locale="da")
    )
    page = browser(None).get("/sign-in").text
    assert '<html lang="da">' in page and "Log ind" in page


@pytest.mark.parametrize(
    ("accept", "lang", "word"),
    [
        ("sv-SE,sv;q=0.9,en;q=0.5", "sv", "Logga in"),
        ("es-MX", "es", "Iniciar sesión"),
        ("fr-FR, da;q=0.7", "da", "Log ind"),  # the first language corehub speaks
        ("fr-FR, *;q=0.5", "en", "Sign in"),  # none: the organization's
        ("sv;q=0, en", "en", "Sign in"),  # q=0 means "not Swedish"
    ],
)
def test_a_signed_out_page_speaks_the_browsers_language(
    browser: Any, cycle: Cycle, accept: str, lang: str, word: str
) -> None:
    page = browser(None).get("/sign-in", headers={"Accept-Language": accept})
    assert f'<html lang="{lang}">' in page.text and word in page.text
    assert page.headers["Content-Language"] == lang
    assert "Accept-Language" in page.headers["Vary"]


def test_a_sign_in_refusal_is_in_the_browsers_language(browser: Any, cycle: Cycle) -> None:
    client = browser(None)
    refused = client.post(
        "/sign-in", {"token": "not-a-token"}, headers={"Accept-Language": "es-ES,es;q=0.9"}
    )
    assert refused.status_code == 403
    assert "Este enlace de acceso no es válido" in refused.text
    assert "not valid" not in refused.text


def test_a_persons_own_language_wins_over_the_browsers(
    localized: None, browser: Any, cycle: Cycle, hub: Hub
) -> None:
    swedish = browser(PEOPLE["sv"]).get("/tasks", headers={"Accept-Language": "es"})
    assert '<html lang="sv">' in swedish.text and "Mina uppgifter" in swedish.text
    # Someone with no language of their own reads their browser's.
    hub.people.save([attrs.evolve(hub.people.get("beta-01"), locale=None)])
    page = browser("beta-01").get("/tasks", headers={"Accept-Language": "da-DK"})
    assert '<html lang="da">' in page.text and "Mine opgaver" in page.text


@pytest.fixture
def training(hub: Hub, localized: None, cycle: Cycle) -> Training:
    """For alpha-01..03 (es, da, sv): stress handling overdue and started, data protection
    completed with a score, evidence and a rating, a waiver, and a recommendation from a
    review; what the training pages show."""
    training = Training(hub)
    training.sync()
    agents = [PEOPLE[lang] for lang in sorted(PEOPLE)]
    training.assign(
        "stress-handling",
        [hub.people.get(pid) for pid in agents],
        due=dt.date(2026, 2, 15),
        assigned_on=dt.date(2026, 1, 10),
    )
    for pid in agents:
        training.start(pid, "stress-handling")
        training.complete(pid, "data-protection", dt.date(2026, 2, 20), score=91.5, evidence="C-42")
        operator, hub.actor = hub.actor, pid  # only the participant rates a course
        training.rate(pid, "data-protection", 4)
        hub.actor = operator
        training.waive(pid, "active-listening", "AL-7")
    recs.store(
        hub,
        [
            Recommendation(
                person_id=pid,
                course_id="clear-writing",
                competency="knowledge_sharing",
                reason="manager review: knowledge sharing rated 1 of 5",
            )
            for pid in agents
        ],
    )
    return training


@pytest.mark.parametrize("lang", sorted(PEOPLE))
def test_training_pages_come_in_the_persons_language(
    lang: str, training: Training, browser: Any, hub: Hub
) -> None:
    english = ENGLISH - translated_words(lang) - KEPT
    mine = browser(PEOPLE[lang]).get("/training/")
    assert mine.status_code == 200 and f'<html lang="{lang}">' in mine.text
    for section in ("todo", "recommended", "completed", "waived"):
        assert f'id="{section}"' in mine.text, (lang, section)
    left = words(visible_text(mine.text)) & english
    assert not left, f"{lang} my training: English words left: {sorted(left)}"
    # the manager reads the team's page (and a report's page) in their own language
    hub.people.save([attrs.evolve(hub.people.get("alpha-lead"), locale=lang)])
    lead = browser("alpha-lead")
    for name, path in {
        "team training": "/training/team",
        "a person's training": f"/training/people/{PEOPLE[lang]}",
    }.items():
        page = lead.get(path)
        assert page.status_code == 200 and f'<html lang="{lang}">' in page.text, name
        left = words(visible_text(page.text)) & english
        assert not left, f"{lang} {name}: English words left: {sorted(left)}"


TRAINING_EXPECTED = {
    "es": ["Mi formación", "Vencido", "Manejo del estrés", "sobre 5", "91,5"],
    "da": ["Mine kurser", "Forsinket", "dage forsinket", "ud af 5", "91,5"],
    "sv": ["Min utbildning", "Försenad", "dagar försenad", "av 5", "91,5"],
}


@pytest.mark.parametrize("lang", sorted(PEOPLE))
def test_training_words_numbers_and_flash_messages_are_translated(
    lang: str, training: Training, browser: Any
) -> None:
    client = browser(PEOPLE[lang])
    page = visible_text(client.get("/training/").text)
    for text in TRAINING_EXPECTED[lang]:
        assert text in page, (lang, text)
    assert "Handling stress" not in page and "Knowledge sharing" not in page  # course, competency
    base = f"/training/people/{PEOPLE[lang]}/courses"
    refused = client.post(f"{base}/stress-handling/complete", {"date": "", "score": "x"})
    assert refused.status_code == 400
    assert "give the day" not in refused.text and "is not a number" not in refused.text
    rated = client.post(f"{base}/data-protection/rate", {"rating": "5"})
    assert rated.status_code == 302
    after = visible_text(client.get(rated.headers["Location"]).text)
    assert FLASH[lang] in after and "Thank you" not in after, after


FLASH = {"es": "Gracias: has valorado", "da": "Tak: du har givet", "sv": "Tack: du har gett"}


def test_an_english_person_reads_english_training_pages(
    training: Training, browser: Any, hub: Hub
) -> None:
    hub.people.save([attrs.evolve(hub.people.get("alpha-01"), locale="en")])
    page = visible_text(browser("alpha-01").get("/training/").text)
    assert "My training" in page and "days late" in page and "Mark complete" in page
    assert "Manager review: Knowledge sharing rated 1 of 5" in page
    team = visible_text(browser("alpha-lead").get("/training/team").text)  # alpha-lead: en
    assert "Team training" in team and "Compliance" in team and "Recommended from reviews" in team
