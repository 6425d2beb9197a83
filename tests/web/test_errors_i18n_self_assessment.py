"""The self-assessment library's errors on a page, in the signed-in person's language.

alpha-01, alpha-02 and alpha-03 read Spanish, Danish and Swedish; the errors come from the
library (``corehub_self_assessment.reviews`` and ``.answers``) through the real pages, and
the command line still prints them in English.
"""

from __future__ import annotations

import html
import re
from typing import Any

import attrs
import pytest

from corehub.hub import Hub
from corehub.i18n import translator
from corehub.messages import M_, Message, Named
from corehub.models import Cycle
from corehub_self_assessment import reviews
from tests.web.conftest import GOOD_MANAGER, GOOD_SELF, as_form, field_value

PEOPLE = {"es": "alpha-01", "da": "alpha-02", "sv": "alpha-03"}
LANGS = sorted(PEOPLE)


@pytest.fixture
def localized(hub: Hub, org: dict[str, Any]) -> None:
    hub.people.save([attrs.evolve(org[p], locale=lang) for lang, p in PEOPLE.items()])
    hub.people.save([attrs.evolve(org["alpha-lead"], locale="en")])


def speaks(hub: Hub, person_id: str, lang: str) -> None:
    hub.people.save([attrs.evolve(hub.people.get(person_id), locale=lang)])


def text(page: Any) -> str:
    """What a person reads on the page: no tags, entities decoded, spaces collapsed."""
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", page.text, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def in_(hub: Hub, lang: str, message: Message) -> str:
    """``message`` as the catalogs put it in ``lang`` (without its field)."""
    translated = message.translated(translator(hub, lang))
    assert translated != message.translated(None), f"{message.msgid!r} has no {lang} translation"
    return translated


def self_url(cycle: Cycle, person_id: str) -> str:
    return f"/reviews/{cycle.id}/{person_id}/self"


def submit_self(me: Any, cycle: Cycle, person_id: str) -> None:
    url = self_url(cycle, person_id)
    version = field_value(me.get(url).text, "version")
    answer = me.post(url, {**as_form(GOOD_SELF), "version": version, "action": "submit"})
    assert answer.status_code == 302, answer.text


def submit_manager(lead: Any, cycle: Cycle, person_id: str) -> None:
    url = f"/reviews/{cycle.id}/{person_id}/manager"
    version = field_value(lead.get(url).text, "version")
    answer = lead.post(url, {**as_form(GOOD_MANAGER), "version": version, "action": "submit"})
    assert answer.status_code == 302, answer.text


# -- filling in the self-assessment --------------------------------------------------------

GOAL_WITHOUT_DUE_DATE = {
    "es": "Fecha límite del objetivo 1: un objetivo necesita una fecha límite",
    "da": "Frist for mål 1: et mål skal have en frist",
    "sv": "Slutdatum för mål 1: ett mål behöver ett slutdatum",
}


@pytest.mark.parametrize("lang", LANGS)
def test_required_answers_and_incomplete_goals(
    lang: str, localized: None, browser: Any, hub: Hub, cycle: Cycle
) -> None:
    person = PEOPLE[lang]
    me = browser(person)
    url = self_url(cycle, person)
    version = field_value(me.get(url).text, "version")
    answer = me.post(
        url,
        {
            "q-communication": "4",
            "q-goals_next-rows": "1",
            "q-goals_next-0-objective": "Better first-contact resolution",
            "version": version,
            "action": "submit",
        },
    )
    assert answer.status_code == 400
    page = text(answer)
    t = translator(hub, lang)
    # "required": the page's own wording, once per unanswered required question
    required = t.gettext("This question needs an answer before you submit.")
    assert required != "This question needs an answer before you submit."
    assert page.count(required) >= 5
    # goal problems next to the goal, with the goal's field named in the person's language
    assert GOAL_WITHOUT_DUE_DATE[lang] in page
    assert in_(hub, lang, M_("a goal needs a measurable result")) in page
    for english in (
        "needs an answer",
        "required",
        "a goal needs",
        "measurable result",
        "Goal 1",
        "was not submitted",
    ):
        assert english not in page, (lang, english)
    # saved as a draft all the same
    stored = reviews.find(hub, cycle.id, person, "self").review
    assert stored.status.value == "draft" and stored.answers["communication"] == 4


NOT_A_DATE = {
    "es": "'31/12/2026' no es una fecha (usa AAAA-MM-DD)",
    "da": "'31/12/2026' er ikke en dato (brug ÅÅÅÅ-MM-DD)",
    "sv": "'31/12/2026' är inte ett datum (använd ÅÅÅÅ-MM-DD)",
}


@pytest.mark.parametrize("lang", LANGS)
def test_a_goal_with_a_bad_date_is_not_saved(
    lang: str, localized: None, browser: Any, hub: Hub, cycle: Cycle
) -> None:
    person = PEOPLE[lang]
    me = browser(person)
    url = self_url(cycle, person)
    version = field_value(me.get(url).text, "version")
    answer = me.post(
        url,
        {
            "q-strengths": "Calm with upset customers.",
            "q-goals_next-rows": "1",
            "q-goals_next-0-objective": "Better first-contact resolution",
            "q-goals_next-0-result": "FCR at 75% or more",
            "q-goals_next-0-due": "31/12/2026",
            "version": version,
            "action": "save",
        },
    )
    assert answer.status_code == 400
    page = text(answer)
    assert NOT_A_DATE[lang] in page
    assert "is not a date" not in page and "use YYYY-MM-DD" not in page
    assert "web.goals_next" not in page  # the field, not the path, says where
    assert "Calm with upset customers." in page  # what was typed is kept
    assert "strengths" not in reviews.find(hub, cycle.id, person, "self").review.answers


@pytest.mark.parametrize("lang", LANGS)
def test_a_draft_saved_in_another_browser_meanwhile(
    lang: str, localized: None, browser: Any, hub: Hub, cycle: Cycle
) -> None:
    person = PEOPLE[lang]
    url = self_url(cycle, person)
    first, second = browser(person), browser(person)
    version = field_value(first.get(url).text, "version")
    assert field_value(second.get(url).text, "version") == version
    saved = first.post(url, {"q-strengths": "From the laptop", "version": version})
    assert saved.status_code == 302
    refused = second.post(url, {"q-strengths": "From the phone", "version": version})
    assert refused.status_code == 409
    page = text(refused)
    review = reviews.find(hub, cycle.id, person, "self").review
    expected = in_(
        hub,
        lang,
        M_(
            "%(review)s was saved elsewhere (another window or device) after you opened it; "
            "your changes were not saved so as not to overwrite that version. Reload it, then "
            "make your changes again.",
            review=reviews.describe(hub, review),
        ),
    )
    assert expected in page
    # the review it is about is named in the person's language too
    assert in_(hub, lang, reviews.describe(hub, review)) in expected
    assert "saved elsewhere" not in page and "self-assessment" not in page
    assert "From the phone" in page


# -- someone else's review, and the manager's turn ---------------------------------------

SOMEONE_ELSES = {
    # People are named by their names on a page (their ids are for the command line).
    "es": "Alpha Agent 1 no puede rellenar la autoevaluación de Alpha Agent 2: solo puede "
    "hacerlo Alpha Agent 2",
    "da": "Alpha Agent 2 kan ikke udfylde selvevalueringen for Alpha Agent 3: det kan kun "
    "Alpha Agent 3",
    "sv": "Alpha Agent 3 kan inte fylla i självskattningen för Alpha Agent 1: det kan bara "
    "Alpha Agent 1",
}
OTHER = {"es": "alpha-02", "da": "alpha-03", "sv": "alpha-01"}


@pytest.mark.parametrize("lang", LANGS)
def test_someone_elses_self_assessment_is_refused_in_my_language(
    lang: str, localized: None, browser: Any, cycle: Cycle
) -> None:
    me = browser(PEOPLE[lang])
    refused = me.get(self_url(cycle, OTHER[lang]))
    assert refused.status_code == 403
    page = text(refused)
    assert SOMEONE_ELSES[lang] in page
    assert "cannot fill in" not in page and "only alpha" not in page
    # releasing a review one did not write: refused in the same language
    release = me.post(f"/reviews/{cycle.id}/{OTHER[lang]}/release")
    assert release.status_code == 403
    assert "cannot release" not in text(release) and "(or HR)" not in text(release)


MANAGER_WAITS = {
    "es": "(20 de marzo de 2026)",
    "da": "(20. marts 2026)",
    "sv": "(20 mars 2026)",
}


@pytest.mark.parametrize("lang", LANGS)
def test_the_manager_review_waits_with_the_date_in_the_managers_language(
    lang: str, localized: None, browser: Any, hub: Hub, cycle: Cycle
) -> None:
    speaks(hub, "alpha-lead", lang)
    refused = browser("alpha-lead").get(f"/reviews/{cycle.id}/alpha-01/manager")
    assert refused.status_code == 403
    page = text(refused)
    expected = in_(
        hub,
        lang,
        M_(
            "the manager's review of %(person)s opens once their self-assessment is submitted "
            "or its due date (%(due)s) has passed",
            person=Named("alpha-01", "Alpha Agent 1"),
            due=cycle.due_for("self"),
        ),
    )
    assert expected in page and MANAGER_WAITS[lang] in expected
    assert "opens once" not in page and "2026-03-20" not in page


# -- the released review: reading, commenting, acknowledging -----------------------------

NOT_RELEASED = {
    "es": "la evaluación del responsable de Alpha Agent 1 aún no se ha entregado",
    "da": "lederens vurdering af Alpha Agent 2 er endnu ikke frigivet",
    "sv": "chefens bedömning av Alpha Agent 3 är inte delad än",
}
TOO_LONG = {
    "es": "un comentario puede tener como máximo 5000 caracteres (has escrito 5001)",
    "da": "en kommentar må højst have 5000 tegn (du skrev 5001)",
    "sv": "en kommentar får ha högst 5000 tecken (du skrev 5001)",
}


@pytest.mark.parametrize("lang", LANGS)
def test_comments_and_acknowledgement_errors(
    lang: str, localized: None, browser: Any, hub: Hub, cycle: Cycle
) -> None:
    person = PEOPLE[lang]
    me = browser(person)
    submit_self(me, cycle, person)
    lead = browser("alpha-lead")  # English
    submit_manager(lead, cycle, person)
    view = f"/reviews/{cycle.id}/{person}"

    # submitted, not released: the person reads why they do not see it yet
    page = text(me.get(view))
    assert NOT_RELEASED[lang] in page
    assert "not released yet" not in page and "your manager releases it" not in page

    assert lead.post(f"{view}/release").status_code == 302
    empty = me.post(f"{view}/comment", {"text": "   "})
    assert empty.status_code == 400
    assert in_(hub, lang, M_("a comment needs some text")) in text(empty)
    assert "needs some text" not in text(empty)

    too_long = me.post(f"{view}/comment", {"text": "x" * (reviews.MAX_COMMENT + 1)})
    assert too_long.status_code == 400
    assert TOO_LONG[lang] in text(too_long)
    assert "at most" not in text(too_long) and "given" not in text(too_long)
    assert reviews.comments(hub, reviews.find(hub, cycle.id, person, "manager").review) == []

    assert me.post(f"{view}/acknowledge").status_code == 302
    again = me.post(f"{view}/acknowledge")
    assert again.status_code == 400
    review = reviews.find(hub, cycle.id, person, "manager").review
    expected = in_(
        hub, lang, M_("you acknowledged %(review)s already", review=reviews.describe(hub, review))
    )
    assert expected in text(again)
    assert "you acknowledged" not in text(again) and "manager's review" not in text(again)


RELEASED_ON = {"es": "2 de marzo de 2026", "da": "2. marts 2026", "sv": "2 mars 2026"}


@pytest.mark.parametrize("lang", LANGS)
def test_releasing_twice_names_the_day_in_the_managers_language(
    lang: str, localized: None, browser: Any, hub: Hub, cycle: Cycle
) -> None:
    submit_self(browser("alpha-01"), cycle, "alpha-01")
    speaks(hub, "alpha-lead", lang)
    lead = browser("alpha-lead")
    submit_manager(lead, cycle, "alpha-01")
    assert lead.post(f"/reviews/{cycle.id}/alpha-01/release").status_code == 302
    again = lead.post(f"/reviews/{cycle.id}/alpha-01/release")
    assert again.status_code == 400
    page = text(again)
    assert RELEASED_ON[lang] in page
    assert "already released" not in page and "2026-03-02" not in page


CLOSED = {
    "es": "el ciclo '2026 H1' está cerrado; ya no se puede cambiar nada en él",
    "da": "runden '2026 H1' er lukket; intet i den kan ændres",
    "sv": "omgången '2026 H1' är stängd; inget i den kan ändras",
}


@pytest.mark.parametrize("lang", LANGS)
def test_a_closed_cycle(lang: str, localized: None, browser: Any, hub: Hub, cycle: Cycle) -> None:
    person = PEOPLE[lang]
    hub.cycles.close(cycle.id, force=True, reason="end of period")
    refused = browser(person).get(self_url(cycle, person))
    assert refused.status_code == 409
    page = text(refused)
    assert CLOSED[lang] in page
    assert "is closed" not in page and "nothing in it can change" not in page


# -- the command line keeps English ----------------------------------------------------


def test_the_command_line_prints_the_same_errors_in_english(
    localized: None, hub: Hub, cycle: Cycle, cli: Any
) -> None:
    # alpha-02 reads Danish pages; the terminal is English whoever acts.
    other = cli("--as", "alpha-02", "review", "submit", "--person", "alpha-01")
    assert other.exit_code != 0
    assert "alpha-02 cannot submit alpha-01's self-assessment: only alpha-01 can" in other.stderr
    assert "kan ikke indsende" not in other.output
    empty = cli("--as", "alpha-01", "review", "comment", "--person", "alpha-01", " ")
    assert empty.exit_code != 0
    assert "a comment needs some text" in empty.stderr
    assert "comentario" not in empty.output
    operator = cli("review", "submit", "--person", "alpha-01")
    assert operator.exit_code != 0
    assert (
        "to submit alpha-01's self-assessment, act as its author (pass --as alpha-01)"
        in operator.stderr
    )
