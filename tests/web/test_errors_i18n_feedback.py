"""The feedback plugin's errors on its pages, in the signed-in person's language (es, da, sv).

The library raises them in English (the command line prints that); a page shows them
translated, without the command-line hints. Praise tags that name a competency read as the
competency's label, on the page and in the packet.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

import attrs
import pytest
from pypdf import PdfReader

from corehub.hub import Hub
from corehub.models import Cycle
from corehub.render import render_packet
from corehub_feedback import peers, store

PEOPLE = {"es": "alpha-01", "da": "alpha-02", "sv": "alpha-03"}
LANGS = sorted(PEOPLE)
ALERT = re.compile(r'<p class="(?:field-error|problem)"[^>]*>(.*?)</p>', re.S)
SUMMARY = re.compile(r'<div class="problem error-summary".*?</div>', re.S)
SUMMARY_ITEM = re.compile(r"<li>(?:<a href=\"#[^\"]*\">)?(.*?)(?:</a>)?</li>", re.S)


@pytest.fixture
def localized(hub: Hub, org: dict[str, Any]) -> None:
    """alpha-01 reads Spanish, alpha-02 Danish, alpha-03 Swedish."""
    hub.people.save([attrs.evolve(org[p], locale=lang) for lang, p in PEOPLE.items()])


def alerts(page: Any) -> str:
    """The error texts a page shows (in the summary on top and beside the fields), each
    once, unescaped."""
    found = [m for box in SUMMARY.findall(page.text) for m in SUMMARY_ITEM.findall(box)]
    found += ALERT.findall(page.text)
    return " | ".join(dict.fromkeys(html.unescape(m) for m in found))


def shows(page: Any, status: int, translated: str, english: str) -> None:
    said = alerts(page)
    assert page.status_code == status, (page.status_code, said or page.text)
    assert translated in said, said
    assert english not in page.text and english not in said, said


# -- praise, pulse and upward feedback (the feedback home page) ------------------------

HOME = {
    "es": {
        "empty": "falta el texto: escribe algo",
        "no recipient": "un reconocimiento necesita una persona destinataria",
        "to myself": "un reconocimiento no puede ser para ti",
        "unknown": "la persona destinataria 'nobody' no existe",
        "too long": "el texto tiene 2001 caracteres; el límite es 2000",
        "tags": "las etiquetas son palabras cortas en minúsculas (letras, dígitos, _ y -): "
        "'bad!tag'",
        "pulse missing": "la encuesta de pulso necesita una valoración de 0 a 10",
        "pulse range": "la valoración 11 no es un número entero de 0 a 10",
        "pulse word": "tu respuesta: 'lots' no es un número entero",
        "upward range": "la valoración 6 no es un número entero de 1 a 5",
        "upward empty": "la retroalimentación ascendente necesita una valoración (1-5), un texto "
        "o ambas cosas",
    },
    "da": {
        "empty": "teksten mangler: skriv noget",
        "no recipient": "ros skal have en modtager",
        "to myself": "du kan ikke give dig selv ros",
        "unknown": "modtageren 'nobody' findes ikke",
        "too long": "der er 2001 tegn i teksten; grænsen er 2000",
        "tags": "mærker er korte ord med små bogstaver (bogstaver, cifre, _ og -): 'bad!tag'",
        "pulse missing": "pulsmålingen skal have en bedømmelse fra 0 til 10",
        "pulse range": "bedømmelsen 11 er ikke et helt tal fra 0 til 10",
        "pulse word": "dit svar: 'lots' er ikke et helt tal",
        "upward range": "bedømmelsen 6 er ikke et helt tal fra 1 til 5",
        "upward empty": "opadgående feedback skal have en bedømmelse (1-5), en tekst eller "
        "begge dele",
    },
    "sv": {
        "empty": "texten saknas: skriv något",
        "no recipient": "beröm behöver en mottagare",
        "to myself": "du kan inte ge dig själv beröm",
        "unknown": "mottagaren 'nobody' finns inte",
        "too long": "texten har 2001 tecken; gränsen är 2000",
        "tags": "taggar är korta ord med små bokstäver (bokstäver, siffror, _ och -): 'bad!tag'",
        "pulse missing": "pulsmätningen behöver ett betyg från 0 till 10",
        "pulse range": "betyget 11 är inte ett heltal från 0 till 10",
        "pulse word": "ditt svar: 'lots' är inte ett heltal",
        "upward range": "betyget 6 är inte ett heltal från 1 till 5",
        "upward empty": "uppåtriktad återkoppling behöver ett betyg (1-5), en text eller båda",
    },
}
"""What the page says, by language and case."""


def home_cases(me: str, cycle: Cycle) -> dict[str, tuple[str, dict[str, str], str]]:
    """case -> (path, form, the English text the page must not show)."""
    upward = {"cycle": str(cycle.id)}
    return {
        "empty": ("/feedback/praise", {"to": "alpha-lead", "text": " "}, "is empty"),
        "no recipient": ("/feedback/praise", {"to": "", "text": "Great"}, "needs a recipient"),
        "to myself": ("/feedback/praise", {"to": me, "text": "Great"}, "to yourself"),
        "unknown": ("/feedback/praise", {"to": "nobody", "text": "Hi"}, "not a known person"),
        "too long": ("/feedback/praise", {"to": "alpha-lead", "text": "x" * 2001}, "the limit"),
        "tags": (
            "/feedback/praise",
            {"to": "alpha-lead", "text": "Great", "tags": "teamwork bad!tag"},
            "lowercase words",
        ),
        "pulse missing": ("/feedback/pulse", {"text": "ok"}, "needs a rating"),
        "pulse range": ("/feedback/pulse", {"rating": "11"}, "is not a whole number"),
        "pulse word": ("/feedback/pulse", {"rating": "lots"}, "is not a whole number"),
        "upward range": ("/feedback/upward", {**upward, "rating": "6"}, "is not a whole number"),
        "upward empty": ("/feedback/upward", upward, "a text, or both"),
    }


@pytest.mark.parametrize("lang", LANGS)
def test_praise_pulse_and_upward_errors_are_in_the_persons_language(
    lang: str, localized: None, browser: Any, cycle: Cycle, hub: Hub
) -> None:
    me = PEOPLE[lang]
    client = browser(me)
    for case, (path, form, english) in home_cases(me, cycle).items():
        page = client.post(path, form)
        assert f'<html lang="{lang}">' in page.text, case
        shows(page, 400, HOME[lang][case], english)
        # no command-line advice on a page
        assert "--to" not in alerts(page) and "max_text_length" not in alerts(page), case
    assert hub.db["feedback"].count == 0  # nothing was stored


def test_an_english_person_reads_the_english_text_without_the_command_line_hint(
    localized: None, browser: Any, cycle: Cycle
) -> None:
    page = browser("alpha-lead").post("/feedback/praise", {"to": "", "text": "Great"})
    assert page.status_code == 400
    assert alerts(page) == "praise feedback needs a recipient"


# -- suggestions ---------------------------------------------------------------------

SUGGESTIONS = {
    "es": {
        "not allowed": "{me} no puede responder a sugerencias: solo pueden hacerlo RR. HH., los "
        "responsables y las personas indicadas en settings.feedback.suggestion_reviewers",
        "no text": "falta la respuesta: escribe algo",
        "transition": "el estado de la sugerencia {id} es «nueva»; no puede pasar a «implantada»",
        "not a suggestion": "la retroalimentación {id} es la encuesta de pulso, no una sugerencia",
    },
    "da": {
        "not allowed": "{me} må ikke svare på forslag: det kan HR, ledere og de personer, der er "
        "nævnt i settings.feedback.suggestion_reviewers",
        "no text": "svaret mangler: skriv noget",
        "transition": "forslag {id} er nyt; det kan ikke blive gennemført",
        "not a suggestion": "feedback {id} er pulsmålingen, ikke et forslag",
    },
    "sv": {
        "not allowed": "{me} får inte svara på förslag: det kan HR, chefer och de personer som "
        "anges i settings.feedback.suggestion_reviewers",
        "no text": "svaret saknas: skriv något",
        "transition": "förslag {id} är nytt; det kan inte bli genomfört",
        "not a suggestion": "återkoppling {id} är pulsmätningen, inte ett förslag",
    },
}


@pytest.mark.parametrize("lang", LANGS)
def test_suggestion_answer_errors_are_in_the_persons_language(
    lang: str, localized: None, browser: Any, cycle: Cycle, hub: Hub, clock: Any
) -> None:
    me = PEOPLE[lang]
    idea = store.give(hub, kind="suggestion", text="A quiet room", anonymous=True, actor="beta-01")
    clock.advance(days=1)  # an anonymous suggestion can be answered from the next day
    expected = SUGGESTIONS[lang]
    respond = f"/feedback/suggestions/{idea.id}/respond"
    refused = browser(me).post(respond, {"text": "Yes", "status": "under_review"})
    shows(refused, 403, expected["not allowed"].format(me=me), "may not answer suggestions")
    # the team lead reviews suggestions, in the same language
    hub.people.save([attrs.evolve(hub.people.get("alpha-lead"), locale=lang)])
    lead = browser("alpha-lead")
    empty = lead.post(respond, {"text": " ", "status": "under_review"})
    shows(empty, 400, expected["no text"], "is empty")
    jump = lead.post(respond, {"text": "Done", "status": "implemented"})
    shows(jump, 400, expected["transition"].format(id=idea.id), "cannot become")
    assert "next:" not in alerts(jump)  # the command line's hint
    assert store.get(hub, idea.id).status == "new"


@pytest.mark.parametrize("lang", LANGS)
def test_errors_about_anonymous_feedback_never_name_its_author(
    lang: str, localized: None, browser: Any, cycle: Cycle, hub: Hub
) -> None:
    """Answering an anonymous pulse answer as if it were a suggestion: the error says what it
    is, in the reviewer's language, and nothing about who gave it."""
    store.give(hub, kind="pulse", rating=3, actor="alpha-02")
    [row] = hub.db.query("SELECT id FROM feedback WHERE kind = 'pulse'")
    hub.people.save([attrs.evolve(hub.people.get("alpha-lead"), locale=lang)])
    page = browser("alpha-lead").post(
        f"/feedback/suggestions/{row['id']}/respond", {"text": "Noted", "status": "under_review"}
    )
    expected = SUGGESTIONS[lang]["not a suggestion"].format(id=row["id"])
    shows(page, 400, expected, "not a suggestion")
    said = alerts(page)
    author = hub.people.get("alpha-02")
    assert author.id not in said and author.name not in said


# -- peer feedback and results -------------------------------------------------------

PEER = {
    "es": {
        "not asked": "no se te ha pedido retroalimentación de compañeros sobre Ana Lead en el "
        "ciclo '2026 H1'",
        "no text": "di qué debería seguir haciendo, qué podría mejorar, o ambas cosas",
        "range": "la valoración 9 no es un número entero de 1 a 5",
        "results": "{me} no puede ver la retroalimentación de beta-01: solo pueden verla esa "
        "persona, sus responsables y RR. HH.",
    },
    "da": {
        "not asked": "du er ikke blevet bedt om feedback som kollega om Ana Lead i runden "
        "'2026 H1'",
        "no text": "skriv, hvad personen skal blive ved med, hvad der kan forbedres, eller "
        "begge dele",
        "range": "bedømmelsen 9 er ikke et helt tal fra 1 til 5",
        "results": "{me} må ikke se feedbacken til beta-01: det kan kun personen selv, "
        "personens ledere og HR",
    },
    "sv": {
        "not asked": "du har inte blivit ombedd att ge återkoppling som kollega om Ana Lead i "
        "omgången '2026 H1'",
        "no text": "skriv vad personen bör fortsätta med, vad som kan bli bättre, eller båda",
        "range": "betyget 9 är inte ett heltal från 1 till 5",
        "results": "{me} får inte se återkopplingen till beta-01: det kan bara personen själv, "
        "personens chefer och HR",
    },
}


@pytest.mark.parametrize("lang", LANGS)
def test_peer_feedback_and_results_errors_are_in_the_persons_language(
    lang: str, localized: None, browser: Any, cycle: Cycle, hub: Hub
) -> None:
    me = PEOPLE[lang]
    expected = PEER[lang]
    peers.request_peers(
        hub, cycle=cycle.id, person="beta-01", peers=[*PEOPLE.values(), "beta-02", "beta-03"]
    )
    client = browser(me)
    not_asked = client.get(f"/feedback/peer/{cycle.id}/alpha-lead")
    shows(not_asked, 404, expected["not asked"], "not asked")
    form = f"/feedback/peer/{cycle.id}/beta-01"
    assert client.get(form).status_code == 200
    shows(client.post(form, {"rating": "4"}), 400, expected["no text"], "what to keep doing")
    shows(
        client.post(form, {"rating": "9", "keep_doing": "Calm"}),
        400,
        expected["range"],
        "is not a whole number",
    )
    results = client.get("/feedback/results?person=beta-01")
    shows(results, 403, expected["results"].format(me=me), "may not see")
    assert hub.db["feedback"].count == 0


# -- the command line stays English --------------------------------------------------


def test_the_command_line_prints_the_english_text_and_its_hint(
    localized: None, cycle: Cycle, cli: Any
) -> None:
    mine = cli("--as", "alpha-01", "feedback", "give", "--kind", "praise", "--to", "alpha-01")
    assert mine.exit_code == 1
    assert "praise feedback cannot be given to yourself" in mine.stderr
    assert "no puede ser para ti" not in mine.stderr
    nobody = cli("--as", "alpha-01", "feedback", "give", "--kind", "praise", "--text", "x")
    assert nobody.exit_code == 1
    assert "praise feedback needs a recipient (--to PERSON)" in nobody.stderr


# -- praise tags that name a competency ----------------------------------------------

LABELS = {
    "en": ("Active listening", "Teamwork"),
    "es": ("Escucha activa", "Trabajo en equipo"),
    "da": ("Aktiv lytning", "Samarbejde"),
    "sv": ("Aktivt lyssnande", "Samarbete"),
}
TAGS = ["Active-Listening", "teamwork", "night-shift"]
"""Two competencies (one typed in another spelling) and a tag of the giver's own."""


@pytest.mark.parametrize("lang", LANGS)
def test_competency_tags_read_as_the_competencys_label(
    lang: str, localized: None, browser: Any, cycle: Cycle, hub: Hub
) -> None:
    me = PEOPLE[lang]
    store.give(hub, kind="praise", to=me, text="Saved my shift", tags=TAGS, actor="beta-01")
    page = browser(me).get("/feedback/").text
    listening, teamwork = LABELS[lang]
    shown = re.findall(r'<span class="tag">(.*?)</span>', page)
    assert shown == [listening, teamwork, "night-shift"]


def test_an_english_reader_sees_the_english_labels(
    localized: None, browser: Any, cycle: Cycle, hub: Hub
) -> None:
    store.give(hub, kind="praise", to="alpha-lead", text="Thanks", tags=TAGS, actor="beta-01")
    page = browser("alpha-lead").get("/feedback/").text
    assert re.findall(r'<span class="tag">(.*?)</span>', page) == [*LABELS["en"], "night-shift"]


def pdf_text(path: Path) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(str(path)).pages)


@pytest.mark.parametrize("lang", ["en", *LANGS])
def test_the_packets_praise_section_names_competencies_in_its_language(
    lang: str, localized: None, cycle: Cycle, hub: Hub, tmp_path: Path
) -> None:
    store.give(hub, kind="praise", to="alpha-01", text="Saved my shift", tags=TAGS, actor="beta-01")
    text = pdf_text(render_packet(hub, cycle, "alpha-01", tmp_path / f"{lang}.pdf", locale=lang))
    listening, teamwork = LABELS[lang]
    assert f"{listening}, {teamwork}, night-shift" in text, text
    if lang != "en":
        assert "active-listening" not in text.lower() and "teamwork" not in text


ONCE = {
    "es": ("Ya has respondido la encuesta de pulso de este mes", "ya has respondido la encuesta"),
    "da": ("Du har besvaret denne måneds pulsmåling", "du har allerede besvaret denne måneds"),
    "sv": ("Du har svarat på månadens pulsmätning", "du har redan svarat på månadens"),
}
UPWARD_DONE = {
    "es": "Ya has dado tu retroalimentación sobre Ana Lead en este ciclo",
    "da": "Du har givet feedback om Ana Lead i denne runde",
    "sv": "Du har gett återkoppling om Ana Lead i den här omgången",
}


@pytest.mark.parametrize("lang", LANGS)
def test_a_survey_takes_one_answer_per_person_and_says_so(
    lang: str, localized: None, browser: Any, cycle: Cycle
) -> None:
    me = browser(PEOPLE[lang])
    assert 'action="/feedback/pulse"' in me.get("/feedback/").text
    assert me.post("/feedback/pulse", {"rating": "8"}).status_code == 302
    page = me.get("/feedback/").text
    thanks, refusal = ONCE[lang]
    assert thanks in html.unescape(page) and 'action="/feedback/pulse"' not in page
    again = me.post("/feedback/pulse", {"rating": "2"})  # an old tab, a second try
    shows(again, 400, refusal, "already answered")
    assert me.post("/feedback/upward", {"cycle": str(cycle.id), "rating": "4"}).status_code == 302
    page = html.unescape(me.get("/feedback/").text)
    assert UPWARD_DONE[lang] in page and 'action="/feedback/upward"' not in page
