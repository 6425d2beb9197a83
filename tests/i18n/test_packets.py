"""Packets, labels and reminders in the reader's language: en, es, da, sv."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import attrs
import pytest
from babel import Locale
from babel.messages.pofile import read_po
from pypdf import PdfReader

import corehub_feedback.plugin
import corehub_self_assessment.plugin
import corehub_training_tracker.plugin
from corehub.errors import ValidationError
from corehub.i18n import translator
from corehub.models import Form, Level, Person, Text
from corehub.render import render_packet, render_summary
from corehub_feedback import csat, store, suggestions
from corehub_feedback.kinds import BUILTIN_KINDS
from corehub_self_assessment import reviews
from corehub_self_assessment.forms import load_form_file, shipped_form_files
from corehub_training_tracker import catalogue
from corehub_training_tracker.training import Training

ROOT = Path(__file__).resolve().parents[2]
LOCALE_DIRS = {
    "corehub": ROOT / "corehub" / "locale",
    "corehub_self_assessment": ROOT / "plugins/self_assessment/corehub_self_assessment/locale",
    "corehub_training_tracker": ROOT / "plugins/training_tracker/corehub_training_tracker/locale",
    "corehub_feedback": ROOT / "plugins/feedback/corehub_feedback/locale",
}
AGENT_FORM = next(p for p in shipped_form_files() if p.stem == "agent")
FOUR = {"en", "es", "da", "sv"}
PROPER_NOUNS = {"corehub", "csat", "fcr", "alpha", "lead", "agent", "desk", "help", "test", "enps"}
"""Names in the fixture (Alpha Lead, Test help desk) and product words every language keeps."""
PERIOD = {
    "en": "1 Jan 2026 \u2013 30 Jun 2026",
    "es": "1 de enero de 2026 \u2013 30 de junio de 2026",
    "da": "1. januar 2026 \u2013 30. juni 2026",
    "sv": "1 januari 2026 \u2013 30 juni 2026",
}
FOOTER = {"en": "Page 2 of", "es": "Página 2 de", "da": "Side 2 af", "sv": "Sida 2 av"}
WORD = re.compile(r"[^\W\d_]{3,}")

ANSWERS = {
    "communication": 4,
    "active_listening": 5,
    "complaint_handling": 3,
    "problem_solving": 4,
    "product_knowledge": 3,
    "stress_handling": "n/a",
    "knowledge_sharing": 2,
    "teamwork": 4,
    "strengths": "Xyzzy.",
    "improvements": "Xyzzy.",
    "goals_next": [{"objective": "Xyzzy", "result": "75%", "due": "2026-12-31"}],
    "suggestions": "Xyzzy.",
}


def words(text: str) -> set[str]:
    return {w.lower() for w in WORD.findall(text)}


def vocabulary(lang: str) -> set[str]:
    """Every word of the catalogs and the agent form in ``lang`` (en: the msgids)."""
    found: set[str] = set()
    for domain, folder in LOCALE_DIRS.items():
        source = folder / ("es" if lang == "en" else lang) / "LC_MESSAGES" / f"{domain}.po"
        with source.open("rb") as handle:
            for message in read_po(handle):
                if not message.id:
                    continue
                texts = message.id if lang == "en" else message.string
                for text in texts if isinstance(texts, tuple | list) else (texts,):
                    found |= words(re.sub(r"%\(\w+\)\w", " ", text))
    for label in shipped_labels():
        found |= words(label.get(lang))
    months = Locale.parse(lang).months["format"]  # "30 may 2026" is Spanish for 30 May
    for width in ("abbreviated", "wide"):
        found |= words(" ".join(months[width].values()))
    return found


def form_labels(form: Form) -> list[Text]:
    labels = [form.title, form.description]
    for scale in form.scales.values():
        labels += [p.label for p in scale.points]
    for section, question in form.questions():
        labels += [section.title, section.description, question.text, question.help]
        labels += list(question.choices)
    return [label for label in labels if label]


def shipped_labels() -> list[Text]:
    """Every label of the shipped forms, courses and feedback kinds."""
    labels = [label for path in shipped_form_files() for label in form_labels(load_form_file(path))]
    for course in catalogue.shipped().courses.values():
        labels += [course.title, course.description]
    for kind in BUILTIN_KINDS:
        labels += [kind.label, kind.description]
    return labels


@pytest.fixture
def reviewed(hub, register_plugin, make_people, tmp_path):
    """alpha-01 in cycle 2026 H1 with something in every section of the three plugins: a
    released self-assessment and manager review, training done, expiring, overdue and
    recommended, praise and CSAT; a suggestion under review for the team summary."""
    register_plugin(corehub_self_assessment.plugin, name="self_assessment")
    register_plugin(corehub_training_tracker.plugin, name="training_tracker")
    register_plugin(corehub_feedback.plugin, name="feedback")
    director = Person(id="boss", name="Isabel", role="", level=Level.DIRECTIVE, team="Management")
    hub.people.save([director])
    make_people(team="alpha", agents=2, manager_id="boss")
    hub.cycles.create(
        "2026 H1",
        start=dt.date(2026, 1, 1),
        end=dt.date(2026, 6, 30),
        due={"self": dt.date(2026, 3, 20), "manager": dt.date(2026, 4, 10)},
    )
    cycle = hub.cycles.open("2026 H1").cycle
    reviews.save_draft(hub, cycle, "alpha-01", "self", ANSWERS, actor="alpha-01")
    reviews.submit(hub, cycle, "alpha-01", "self", actor="alpha-01")
    manager = {**ANSWERS, "overall": "met expectations", "suggestions_response": "Xyzzy."}
    del manager["suggestions"]
    reviews.save_draft(hub, cycle, "alpha-01", "manager", manager, actor="alpha-lead")
    reviews.submit(hub, cycle, "alpha-01", "manager", actor="alpha-lead")
    reviews.release(hub, cycle, "alpha-01", actor="alpha-lead")
    training = Training(hub)
    training.complete("alpha-01", "active-listening", dt.date(2026, 1, 15), score=91)
    training.complete("alpha-01", "data-protection", dt.date(2025, 3, 20))  # expires soon
    alpha = hub.people.get("alpha-01")
    training.assign(
        "clear-writing",
        [alpha],
        due=dt.date(2026, 2, 20),
        assigned_on=dt.date(2026, 1, 10),
        check_permission=False,
    )
    training.assign("stress-handling", [alpha], due=dt.date(2026, 5, 30), check_permission=False)
    store.give(hub, kind="praise", text="Xyzzy.", to="alpha-01", actor="alpha-02")
    sheet = tmp_path / "csat.csv"
    sheet.write_text(
        "ticket;agent;score;date\n"
        "1;alpha-01@example.org;5;2026-01-12\n2;alpha-01@example.org;4;2026-02-03\n"
        "3;alpha-01@example.org;2;2026-02-20\n4;alpha-02@example.org;4;2026-02-21\n",
        encoding="utf-8",
    )
    csat.import_csat(hub, sheet)
    idea = store.give(hub, kind="suggestion", text="Xyzzy.", actor="alpha-02")
    suggestions.respond(hub, idea.id, text="Xyzzy.", status="under_review", actor="alpha-lead")
    return cycle


def pdf_text(path: Path) -> str:
    return " ".join(page.extract_text() for page in PdfReader(str(path)).pages)


SECTIONS = {
    "en": ["Training", "Open and overdue", "Praise", "Customer satisfaction"],
    "es": ["Formación", "Pendientes y vencidos", "Reconocimientos", "Satisfacción del cliente"],
    "da": ["Kurser", "Åbne og forsinkede", "Ros", "Kundetilfredshed"],
    "sv": ["Utbildning", "Öppna och försenade", "Beröm", "Kundnöjdhet"],
}
"""Headings of the training and feedback sections of alpha-01's packet."""
PACKET_WORDS = {
    "en": ["Manager review: Knowledge sharing rated 2 of 5", "Clear written communication"],
    "es": [
        "Evaluación del responsable: Compartir conocimiento: valoración de 2 sobre 5",
        "Comunicación escrita clara",
    ],
    "da": [
        "Lederens vurdering: Videndeling: bedømmelse 2 ud af 5",
        "Klar skriftlig kommunikation",
    ],
    "sv": [
        "Chefens bedömning: Kunskapsdelning: bedömning 2 av 5",
        "Tydlig skriftlig kommunikation",
    ],
}
"""A recommendation's reason and a course title, in the reader's language."""
SUMMARY_WORDS = {
    "en": ["Training compliance", "Customer satisfaction by agent", "Under review"],
    "es": ["Cumplimiento de la formación obligatoria", "Satisfacción del cliente por agente"],
    "da": ["Overholdelse af kursuskrav", "Kundetilfredshed pr. medarbejder"],
    "sv": ["Efterlevnad av utbildningskrav", "Kundnöjdhet per medarbetare", "Under behandling"],
}


def english_left(hub, text: str, lang: str) -> list[str]:
    """Words of the English catalogs, forms, courses and kinds in ``text`` that ``lang``'s do
    not use (people's names, roles and teams are HR data and stay as they are)."""
    people = {w for p in hub.people.list() for w in words(f"{p.name} {p.role} {p.team}")}
    english = vocabulary("en") - vocabulary(lang) - PROPER_NOUNS - people
    return sorted(words(text) & english)


@pytest.mark.parametrize("lang", ["en", "es", "da", "sv"])
def test_packet_speaks_the_readers_language(hub, reviewed, tmp_path, lang):
    target = render_packet(hub, reviewed, "alpha-01", tmp_path / f"{lang}.pdf", locale=lang)
    text = pdf_text(target)
    flat = " ".join(text.split())
    assert PERIOD[lang] in flat  # dates in the language's own format
    assert FOOTER[lang] in flat
    assert load_form_file(AGENT_FORM).sections[0].title.get(lang) in flat  # "Serving customers"
    for heading in SECTIONS[lang] + PACKET_WORDS[lang]:  # the three plugins' sections are there
        assert heading in flat, heading
    if lang == "en":
        return
    left = english_left(hub, text, lang)
    assert not left, f"English left in the {lang} packet: {left}"


@pytest.mark.parametrize("lang", ["en", "es", "da", "sv"])
def test_team_summary_speaks_the_managers_language(hub, reviewed, tmp_path, lang):
    lead = hub.people.get("alpha-lead")
    hub.people.save([hub.converter.structure({**hub.unstructure(lead), "locale": lang}, Person)])
    text = pdf_text(render_summary(hub, reviewed, tmp_path / f"{lang}.pdf", team="alpha"))
    flat = " ".join(text.split())
    assert FOOTER[lang] in flat
    for heading in SUMMARY_WORDS[lang]:
        assert heading in flat, heading
    if lang == "en":
        return
    left = english_left(hub, text, lang)
    assert not left, f"English left in the {lang} summary: {left}"


def test_plural_forms_follow_the_count():
    sv = translator(None, "sv")
    assert sv.ngettext("%(n)s still open", "%(n)s still open", 1) % {"n": 1} == (
        "1 fortfarande öppen"
    )
    assert sv.ngettext("%(n)s still open", "%(n)s still open", 2) % {"n": 2} == (
        "2 fortfarande öppna"
    )
    es = translator(None, "es")
    assert es.ngettext("%(n)s overdue", "%(n)s overdue", 1) % {"n": 1} == "1 vencida"


def test_an_unknown_locale_asked_for_is_an_error_naming_the_languages(hub, reviewed, cli):
    with pytest.raises(ValidationError, match="use one of en, es, da, sv"):
        render_packet(hub, reviewed, "alpha-01", "x.pdf", locale="fr")
    with pytest.raises(ValidationError, match="'english'"):
        render_summary(hub, reviewed, "x.pdf", team="alpha", locale="english")
    result = cli("render", "packet", "--cycle", "2026 H1", "--person", "alpha-01", "--locale", "xx")
    assert result.exit_code != 0
    assert "unknown locale 'xx': use one of en, es, da, sv" in result.output


def test_person_locale_decides_and_falls_back_to_the_organization(hub, reviewed, tmp_path):
    from corehub.render import renderer_for

    renderer_report = renderer_for(hub)
    person = hub.people.get("alpha-01")
    hub.people.save([hub.converter.structure({**hub.unstructure(person), "locale": "sv"}, Person)])
    assert renderer_report.packet_report(reviewed, "alpha-01").locale == "sv"
    assert renderer_report.packet_report(reviewed, "alpha-01", locale="es").locale == "es"
    assert renderer_report.packet_report(reviewed, "alpha-02").locale == "en"  # the organization's
    text = pdf_text(render_packet(hub, reviewed, "alpha-01", tmp_path / "p.pdf"))
    assert "Självskattning och chefens bedömning" in " ".join(text.split())


def test_translator_falls_back_to_the_organizations_locale_then_english(hub, monkeypatch):
    danish = attrs.evolve(hub.config.organization, locale="da")
    monkeypatch.setattr(hub, "config", attrs.evolve(hub.config, organization=danish))
    french = translator(hub, "fr")  # no French catalog: the organization's Danish
    assert french.gettext("Signature") == "Underskrift"
    assert french.text(Text({"en": "Strong", "da": "Stærk"})) == "Stærk"
    assert french.text(Text({"en": "Strong", "sv": "Stark"})) == "Strong"  # then English
    mexican = translator(hub, "es-MX")  # a region falls back to its language
    assert mexican.gettext("Signature") == "Firma"
    assert mexican.date(dt.date(2026, 12, 4)) == "4 de diciembre de 2026"
    assert translator(hub, "sv").date(dt.date(2026, 12, 4)) == "4 december 2026"
    assert translator(hub, "da").date(dt.date(2026, 12, 4)) == "4. december 2026"
    assert translator(hub, "en").date(dt.date(2026, 12, 4)) == "4 Dec 2026"
    assert translator(hub, "da").number(3.25, 2) == "3,25"
    assert translator(hub, "en").number(3.25, 2) == "3.25"


def test_labels_take_a_string_or_a_mapping_and_survive_storage():
    from corehub.models import converter

    data = {
        "id": "f",
        "title": {"en": "Review", "es": "Evaluación"},
        "sections": [
            {
                "id": "s",
                "title": "Plain",
                "questions": [
                    {
                        "id": "q",
                        "text": "Q",
                        "type": "choice",
                        "choices": [{"en": "yes", "da": "ja"}],
                    }
                ],
            }
        ],
    }
    form = converter.structure(data, Form)
    assert form.title == "Review" and form.title.get("es") == "Evaluación"
    assert form.sections[0].title.get("da") == "Plain"  # a plain string is every language
    assert "yes" in form.sections[0].questions[0].choices  # answers still match the English
    stored = converter.structure(converter.unstructure(form), Form)  # a review's form copy
    assert stored == form
    assert stored.sections[0].questions[0].choices[0].get("da") == "ja"
    assert converter.unstructure(form)["sections"][0]["title"] == "Plain"


@pytest.mark.parametrize("path", shipped_form_files(), ids=lambda p: p.stem)
def test_shipped_forms_have_every_label_in_four_languages(path):
    labels = form_labels(load_form_file(path))
    assert len(labels) > 10
    missing = [str(label) for label in labels if set(label.languages) != FOUR]
    assert not missing


def test_shipped_courses_and_feedback_kinds_are_in_four_languages():
    courses = catalogue.shipped().courses
    labels = [text for c in courses.values() for text in (c.title, c.description)]
    labels += [text for k in BUILTIN_KINDS for text in (k.label, k.description)]
    missing = [str(label) for label in labels if set(label.languages) != FOUR]
    assert not missing
    assert courses["clear-writing"].title.get("da") == "Klar skriftlig kommunikation"


def test_training_reminders_in_the_recipients_language(hub, reviewed):
    from corehub.notify import collect, compose, plan

    Training(hub).sync()  # the data-protection certification is renewed before it lapses
    person = hub.people.get("alpha-01")
    hub.people.save([hub.converter.structure({**hub.unstructure(person), "locale": "da"}, Person)])
    today = dt.date(2026, 3, 19)
    digests = {d.recipient.id: d for d in plan(hub, today, collect(hub, today))}
    message = compose(hub, digests["alpha-01"], today)
    assert "Klar skriftlig kommunikation (kursus): 27 dage forsinket" in message.text
    assert "Forny: Databeskyttelse i supporten (certificeringen udløber)" in message.text


def test_reminder_digest_in_the_recipients_language(hub, reviewed):
    from corehub.notify import collect, compose, plan

    person = hub.people.get("alpha-02")
    hub.people.save([hub.converter.structure({**hub.unstructure(person), "locale": "es"}, Person)])
    today = dt.date(2026, 3, 25)
    digests = {d.recipient.id: d for d in plan(hub, today, collect(hub, today))}
    message = compose(hub, digests["alpha-02"], today)
    assert message.subject == "Recordatorio de corehub: 1 pendiente, 1 vencida"
    assert message.text.startswith("Hola, Alpha Agent 2:")
    assert "Autoevaluación (2026 H1): 5 días de retraso (vencía el 20 de marzo de 2026)" in (
        message.text
    )
    assert '<html lang="es">' in message.html
