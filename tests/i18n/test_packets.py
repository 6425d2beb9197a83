"""Packets, labels and reminders in the reader's language: en, es, da, sv."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import attrs
import pytest
from babel.messages.pofile import read_po
from pypdf import PdfReader

import corehub_self_assessment.plugin
from corehub.models import Form, Level, Person, Text
from corehub.render import render_packet
from corehub.render.i18n import translator
from corehub_self_assessment import reviews
from corehub_self_assessment.forms import load_form_file, shipped_form_files

ROOT = Path(__file__).resolve().parents[2]
LOCALE_DIRS = {
    "corehub": ROOT / "corehub" / "locale",
    "corehub_self_assessment": ROOT / "plugins/self_assessment/corehub_self_assessment/locale",
}
AGENT_FORM = next(p for p in shipped_form_files() if p.stem == "agent")
PROPER_NOUNS = {"corehub", "csat", "fcr", "alpha", "lead", "agent", "desk", "help", "test"}
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
    form = load_form_file(AGENT_FORM)
    labels = [form.title, form.description]
    for scale in form.scales.values():
        labels += [p.label for p in scale.points]
    for section, question in form.questions():
        labels += [section.title, section.description, question.text, question.help]
        labels += list(question.choices)
    for label in labels:
        found |= words(label.get(lang))
    return found


@pytest.fixture
def reviewed(hub, register_plugin, make_people):
    register_plugin(corehub_self_assessment.plugin, name="self_assessment")
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
    return cycle


def pdf_text(path: Path) -> str:
    return " ".join(page.extract_text() for page in PdfReader(str(path)).pages)


@pytest.mark.parametrize("lang", ["en", "es", "da", "sv"])
def test_packet_speaks_the_readers_language(hub, reviewed, tmp_path, lang):
    target = render_packet(hub, reviewed, "alpha-01", tmp_path / f"{lang}.pdf", locale=lang)
    text = pdf_text(target)
    flat = " ".join(text.split())
    assert PERIOD[lang] in flat  # dates in the language's own format
    assert FOOTER[lang] in flat
    assert load_form_file(AGENT_FORM).sections[0].title.get(lang) in flat  # "Serving customers"
    if lang == "en":
        return
    people = {w for p in hub.people.list() for w in words(f"{p.name} {p.role} {p.team}")}
    english = vocabulary("en") - vocabulary(lang) - PROPER_NOUNS - people  # HR data stays as is
    left = sorted(words(text) & english)
    assert not left, f"English left in the {lang} packet: {left}"


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


def test_shipped_agent_form_has_every_label_in_four_languages():
    form = load_form_file(AGENT_FORM)
    labels = [form.title, form.description]
    for scale in form.scales.values():
        labels += [p.label for p in scale.points]
    for section, question in form.questions():
        labels += [section.title, question.text, *question.choices]
        labels += [t for t in (section.description, question.help) if t]
    missing = [str(label) for label in labels if set(label.languages) != {"en", "es", "da", "sv"}]
    assert not missing


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
