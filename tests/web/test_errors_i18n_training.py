"""The training tracker's errors on a page come in the signed-in person's language.

The library raises them in English (what ``corehub training ...`` prints); the pages show the
same errors in Spanish, Danish or Swedish: next to the field they are about, with dates in
the reader's style, course titles in the reader's language and without the command line's
advice.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import pickle
import re
from typing import Any

import attrs
import pytest

from corehub.errors import ValidationError
from corehub.hub import Hub
from corehub.i18n import translator
from corehub.models import Recommendation
from corehub_training_tracker import recommendations as recs
from corehub_training_tracker.training import Training

LANGS = ("es", "da", "sv")
STRESS = "stress-handling"
BASE = "/training/people/alpha-01/courses"

# What each page must say, by language (and the English it must no longer say).
SAID = {
    "future": {
        "es": "1 de abril de 2026 es una fecha futura",
        "da": "1. april 2026 ligger i fremtiden",
        "sv": "1 april 2026 ligger i framtiden",
    },
    "score": {
        "es": "150 debe estar entre 0 y 100",
        "da": "150 skal være mellem 0 og 100",
        "sv": "150 måste vara mellan 0 och 100",
    },
    "no date": {
        "es": "indica el día en que lo completaste",
        "da": "angiv den dag, du gennemførte det",
        "sv": "ange dagen då du genomförde den",
    },
    "prerequisite": {
        "es": "alpha-01 no había completado el requisito previo 'Escucha activa' a 1 de marzo "
        "de 2026",
        "da": "forudsætningen 'Aktiv lytning' var ikke gennemført af alpha-01 senest den "
        "1. marts 2026",
        "sv": "förkunskapskravet 'Aktivt lyssnande' var inte genomfört av alpha-01 senast den "
        "1 mars 2026",
    },
    "twice": {
        "es": "ya consta que alpha-01 completó 'Protección de datos en el servicio de soporte' "
        "el 20 de febrero de 2026",
        "da": "alpha-01 har allerede 'Databeskyttelse i supporten' registreret som gennemført "
        "den 20. februar 2026",
        "sv": "alpha-01 har redan 'Dataskydd i supporten' registrerad som genomförd den "
        "20 februari 2026",
    },
    "not open": {
        "es": "alpha-01 no tiene ninguna asignación abierta de 'Protección de datos en el "
        "servicio de soporte'",
        "da": "alpha-01 har ingen åben tildeling af 'Databeskyttelse i supporten'",
        "sv": "alpha-01 har ingen öppen tilldelning av 'Dataskydd i supporten'",
    },
    "too large": {
        "es": "supera los 0.001 MB permitidos",
        "da": "større end de tilladte 0.001 MB",
        "sv": "större än de tillåtna 0.001 MB",
    },
    "empty": {"es": "el archivo está vacío", "da": "filen er tom", "sv": "filen är tom"},
    "rating": {
        "es": "9 debe ser un número entero de 1 a 5",
        "da": "9 skal være et helt tal fra 1 til 5",
        "sv": "9 måste vara ett heltal från 1 till 5",
    },
    "comment": {
        "es": "tiene más de 2000 caracteres",
        "da": "længere end 2000 tegn",
        "sv": "längre än 2000 tecken",
    },
    "not completed": {
        "es": "alpha-01 todavía no ha completado 'Manejo del estrés en el servicio de soporte'",
        "da": "alpha-01 har endnu ikke gennemført 'Håndtering af stress i supporten'",
        "sv": "alpha-01 har inte genomfört 'Att hantera stress i supporten' ännu",
    },
    "past due": {
        "es": "la fecha límite 1 de enero de 2026 es anterior a la fecha de asignación "
        "2 de marzo de 2026; no se ha asignado nada",
        "da": "fristen 1. januar 2026 er før tildelingsdatoen 2. marts 2026; intet er tildelt",
        "sv": "sista datum 1 januari 2026 är före tilldelningsdatumet 2 mars 2026; inget har "
        "tilldelats",
    },
    "no reason": {
        "es": "indica por qué el curso no es necesario",
        "da": "skriv, hvorfor kurset ikke er nødvendigt",
        "sv": "skriv varför kursen inte behövs",
    },
    "already dismissed": {
        "es": "la recomendación n.º {id} ya está descartada",
        "da": "anbefaling nr. {id} er allerede afvist",
        "sv": "rekommendation nr {id} är redan avvisad",
    },
    "not accepted": {
        "es": "la recomendación n.º {id} no se ha aceptado: ya completado el 20 de febrero de "
        "2026, válido hasta el 20 de febrero de 2027; descártala",
        "da": "anbefaling nr. {id} blev ikke accepteret: allerede gennemført den 20. februar "
        "2026, gyldigt til 20. februar 2027; afvis den i stedet",
        "sv": "rekommendation nr {id} godkändes inte: redan genomförd den 20 februari 2026, "
        "giltig till 20 februari 2027; avvisa den i stället",
    },
    "not their manager": {
        "es": "alpha-lead no es responsable de beta-01: solo sus responsables o RR. HH. pueden "
        "hacerlo",
        "da": "alpha-lead er ikke leder for beta-01: kun vedkommendes ledere eller HR kan gøre "
        "dette",
        "sv": "alpha-lead är inte chef för beta-01: bara hens chefer eller HR får göra detta",
    },
    "rate for others": {
        "es": "alpha-lead solo puede valorar sus propios cursos",
        "da": "alpha-lead må kun bedømme sine egne kurser",
        "sv": "alpha-lead får bara betygsätta sina egna kurser",
    },
}
ENGLISH = {
    "future": "2026-04-01 is in the future",
    "score": "must be between 0 and 100",
    "no date": "give the day you completed it",
    "prerequisite": "was not completed by",
    "twice": "already has",
    "not open": "has no open assignment",
    "too large": "MB allowed",
    "empty": "the file is empty",
    "rating": "must be a whole number",
    "comment": "longer than 2000",
    "not completed": "has not completed",
    "past due": "is before the assignment date",
    "no reason": "say why the course is not needed",
    "already dismissed": "is already dismissed",
    "not accepted": "was not accepted",
    "not their manager": "does not manage",
    "rate for others": "may only rate courses",
}


@pytest.fixture
def tracked(hub: Hub, cycle: Any) -> Training:
    """Rules synced; alpha-01 overdue on stress handling and holding data protection
    (completed 2026-02-20); a pending recommendation each for alpha-01 and beta-01."""
    training = Training(hub)
    training.sync()
    training.assign(
        STRESS,
        [hub.people.get("alpha-01")],
        due=dt.date(2026, 2, 15),
        assigned_on=dt.date(2026, 1, 10),
    )
    training.complete("alpha-01", "data-protection", dt.date(2026, 2, 20))
    recs.store(
        hub,
        [
            Recommendation(
                person_id=pid,
                course_id="clear-writing",
                competency="knowledge_sharing",
                reason="manager review: knowledge sharing rated 1 of 5",
            )
            for pid in ("alpha-01", "beta-01")
        ],
    )
    return training


def speaks(hub: Hub, person_id: str, lang: str) -> None:
    hub.people.save([attrs.evolve(hub.people.get(person_id), locale=lang)])


def text(answer: Any) -> str:
    """What the person reads: the page without tags, entities decoded, spaces collapsed."""
    page = answer.get_data(as_text=True)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def field_error(answer: Any, form: str, field: str) -> str:
    found = re.search(rf'id="{form}-{field}-error"[^>]*>([^<]*)<', answer.get_data(as_text=True))
    assert found, f"no error next to {form} {field}"
    return html.unescape(found.group(1))


def says(answer: Any, lang: str, *what: str, **params: Any) -> None:
    """The page says each of ``what`` in ``lang`` and none of it in English."""
    page = text(answer)
    assert f'<html lang="{lang}">' in answer.get_data(as_text=True)
    for key in what:
        assert SAID[key][lang].format(**params) in page, (key, page[-1500:])
        assert ENGLISH[key] not in page, key


@pytest.mark.parametrize("lang", LANGS)
def test_completion_errors_next_to_their_fields(lang, hub, tracked, browser):
    speaks(hub, "alpha-01", lang)
    me = browser("alpha-01")
    key = f"complete-{STRESS}"
    answer = me.post(f"{BASE}/{STRESS}/complete", {"date": "2026-04-01", "score": "150"})
    assert answer.status_code == 400
    assert field_error(answer, key, "date") == SAID["future"][lang]
    assert field_error(answer, key, "score") == SAID["score"][lang]
    says(answer, lang, "future", "score")
    answer = me.post(f"{BASE}/{STRESS}/complete", {"date": ""})
    assert field_error(answer, key, "date") == SAID["no date"][lang]
    says(answer, lang, "no date")
    # the course by its title in the person's language, the command line's advice left out
    answer = me.post(f"{BASE}/complaint-handling/complete", {"date": "2026-03-01"})
    assert answer.status_code == 400
    assert field_error(answer, "complete-complaint-handling", "form") == SAID["prerequisite"][lang]
    says(answer, lang, "prerequisite")
    assert "--override" not in text(answer) and "active-listening" not in text(answer)
    answer = me.post(f"{BASE}/data-protection/complete", {"date": "2026-02-20"})
    assert answer.status_code == 400
    says(answer, lang, "twice")
    answer = me.post(f"{BASE}/data-protection/start")  # completed: nothing open to start
    assert answer.status_code == 400
    says(answer, lang, "not open")
    assert not tracked.completions(person_ids=["alpha-01"], course_id=STRESS)


@pytest.mark.parametrize("lang", LANGS)
def test_evidence_file_errors(lang, hub, tracked, browser):
    hub.config = attrs.evolve(
        hub.config,
        settings={**hub.config.settings, "training_tracker": {"max_evidence_mb": 0.001}},
    )
    speaks(hub, "alpha-01", lang)
    me = browser("alpha-01")
    url = f"{BASE}/{STRESS}/complete"
    big = {"date": "2026-03-01", "evidence_file": (io.BytesIO(b"x" * 2000), "big.pdf")}
    answer = me.post(url, big, content_type="multipart/form-data")
    assert answer.status_code == 400
    assert field_error(answer, f"complete-{STRESS}", "evidence_file") == SAID["too large"][lang]
    says(answer, lang, "too large")
    assert "max_evidence_mb" not in text(answer)
    empty = {"date": "2026-03-01", "evidence_file": (io.BytesIO(b""), "empty.pdf")}
    answer = me.post(url, empty, content_type="multipart/form-data")
    assert answer.status_code == 400
    assert field_error(answer, f"complete-{STRESS}", "evidence_file") == SAID["empty"][lang]
    says(answer, lang, "empty")
    assert not tracked.completions(person_ids=["alpha-01"], course_id=STRESS)


@pytest.mark.parametrize("lang", LANGS)
def test_rating_errors(lang, hub, tracked, browser):
    speaks(hub, "alpha-01", lang)
    me = browser("alpha-01")
    answer = me.post(f"{BASE}/data-protection/rate", {"rating": "9", "comment": "x" * 2001})
    assert answer.status_code == 400
    assert field_error(answer, "rate-data-protection", "rating") == SAID["rating"][lang]
    assert field_error(answer, "rate-data-protection", "comment") == SAID["comment"][lang]
    says(answer, lang, "rating", "comment")
    # a course not completed yet: no rating form for it, so said at the top of the page
    answer = me.post(f"{BASE}/{STRESS}/rate", {"rating": "4"})
    assert answer.status_code == 400
    says(answer, lang, "not completed")
    assert tracked.rating_by("alpha-01", "data-protection") is None


@pytest.mark.parametrize("lang", LANGS)
def test_recommendation_errors(lang, hub, tracked, browser):
    speaks(hub, "alpha-lead", lang)
    lead = browser("alpha-lead")
    [rec] = recs.listing(hub, person_id="alpha-01")
    url = f"/training/recommendations/{rec['id']}"
    answer = lead.post(f"{url}/accept", {"due": "2026-01-01"})
    assert answer.status_code == 400
    assert field_error(answer, f"accept-{rec['id']}", "form") == SAID["past due"][lang]
    says(answer, lang, "past due")
    answer = lead.post(f"{url}/dismiss", {"reason": "  "})
    assert answer.status_code == 400
    assert field_error(answer, f"dismiss-{rec['id']}", "reason") == SAID["no reason"][lang]
    says(answer, lang, "no reason")
    assert recs.get(hub, rec["id"])["status"] == "pending"
    # decided in another window meanwhile: said at the top of the page
    recs.dismiss(hub, rec["id"], reason="Writes well already")
    answer = lead.post(f"{url}/accept", {"due": "2026-06-15"})
    assert answer.status_code == 400
    says(answer, lang, "already dismissed", id=rec["id"])


@pytest.mark.parametrize("lang", LANGS)
def test_a_composed_error_is_translated_in_every_part(lang, hub, tracked, browser):
    """Accepting a course the person already holds: the reason inside the message and its
    dates are in the reader's language too."""
    row = hub.db.table(recs.TABLE).insert(
        {
            "person_id": "alpha-01",
            "course_id": "data-protection",
            "competency": "product_knowledge",
            "reason": "manager review: product knowledge rated 1 of 5",
            "status": "pending",
            "created_at": "2026-03-01T09:00:00+00:00",
        }
    )
    rec_id = row.last_pk
    speaks(hub, "alpha-lead", lang)
    answer = browser("alpha-lead").post(f"/training/recommendations/{rec_id}/accept", {})
    assert answer.status_code == 400
    assert field_error(answer, f"accept-{rec_id}", "form") == SAID["not accepted"][lang].format(
        id=rec_id
    )
    says(answer, lang, "not accepted", id=rec_id)
    assert "already completed" not in text(answer)


@pytest.mark.parametrize("lang", LANGS)
def test_acting_on_someone_elses_training(lang, hub, tracked, browser):
    speaks(hub, "alpha-lead", lang)
    lead = browser("alpha-lead")
    [beta] = recs.listing(hub, person_id="beta-01")
    answer = lead.post(f"/training/recommendations/{beta['id']}/accept", {"due": "2026-06-15"})
    assert answer.status_code == 403
    says(answer, lang, "not their manager")
    # a manager records their report's training, but only the person rates it
    answer = lead.post(f"{BASE}/data-protection/rate", {"rating": "5"})
    assert answer.status_code == 403
    says(answer, lang, "rate for others")
    assert recs.get(hub, beta["id"])["status"] == "pending"
    assert tracked.rating_by("alpha-01", "data-protection") is None


def test_the_command_line_still_prints_english(hub, tracked, cli):
    for person_id in ("alpha-01", "alpha-lead"):
        speaks(hub, person_id, "es")
    args = ("training", "complete", "--person", "alpha-01", "--course", "complaint-handling")
    result = cli("--as", "alpha-01", *args, "--date", "2026-03-01")
    assert result.exit_code == 1
    assert (
        "the completion of 'complaint-handling' by alpha-01 was not recorded:\n"
        "  - course: prerequisite 'active-listening' was not completed by alpha-01 on or before "
        "2026-03-01 (use --override --reason to record it anyway)"
    ) in result.stderr
    rate = ("training", "rate", "--person", "alpha-01", "--course", "data-protection")
    result = cli("--as", "alpha-lead", *rate, "--rating", "5")
    assert result.exit_code == 1
    assert "alpha-lead may only rate courses for themselves" in result.stderr
    assert "requisito" not in result.stderr and "valorar" not in result.stderr


def test_an_error_keeps_its_course_title_across_processes(hub, tracked):
    """Errors cross process boundaries (render --jobs): the course still shows as its id in
    English and as its title in the reader's language."""
    hub.actor = "alpha-01"  # only the participant rates a course
    with pytest.raises(ValidationError) as caught:
        tracked.rate("alpha-01", STRESS, 4)
    copy = pickle.loads(pickle.dumps(caught.value))
    assert str(copy) == str(caught.value)
    assert "alpha-01 has not completed 'stress-handling' yet" in str(copy)
    spanish = copy.localized(translator(hub, "es"))
    assert SAID["not completed"]["es"] in spanish
    assert "stress-handling" not in spanish
