"""No English left on the pages of a Spanish, Danish or Swedish reader.

Every page each role opens is read in es, da and sv, with a review submitted, a manager's
review in progress, peer feedback asked for and tasks overdue, and fails on:

- a text (or an ``aria-label``, ``title``, ``placeholder``) that is an English msgid of
  the catalogs which the language translates: a string shown without ``_()``;
- a status or other stored value shown raw (``in progress``, ``under_review``, ``draft``)
  instead of in the reader's words;
- any word of the English catalogs, forms and courses that the language's own never use
  (what people typed, their names, teams and roles, stays as written).
"""

from __future__ import annotations

import functools
import html
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import attrs
import pytest
from babel.messages.pofile import read_po

from corehub.hub import Hub
from corehub.models import AssignmentStatus, Cycle, CycleStatus, ReviewStatus, TaskStatus
from tests.i18n.test_packets import PROPER_NOUNS, shipped_labels, words
from tests.web.conftest import GOOD_MANAGER, GOOD_SELF
from tests.web.pages import TYPED, VIEWERS, every_page, prepare
from tests.web.test_accessibility import (
    ZENDESK,
    graded,  # noqa: F401 (a fixture: the quality pages)
)

ROOT = Path(__file__).resolve().parents[2]
CATALOGS = [
    ROOT / "corehub" / "locale",
    *sorted(ROOT.glob("plugins/*/corehub_*/locale")),
]
STORED_VALUES = {
    *(s.value for s in ReviewStatus),
    *(s.value for s in TaskStatus),
    *(s.value for s in AssignmentStatus),
    *(s.value for s in CycleStatus),
    "in progress",
    "under_review",
    "under review",
    "accepted",
    "declined",
    "implemented",
}
"""Values corehub and its plugins store, which a page must put in the reader's words."""
SHOWN = {"aria-label", "title", "placeholder", "alt"}
PLACEHOLDER = re.compile(r"%\(\w+\)\w|%\w")


def messages(lang: str) -> tuple[set[str], set[str]]:
    """(English msgids ``lang`` translates differently, every word ``lang``'s catalogs use)."""
    english: set[str] = set()
    native: set[str] = set()
    for folder in CATALOGS:
        for po in folder.glob(f"{lang}/LC_MESSAGES/*.po"):
            with po.open("rb") as handle:
                for message in read_po(handle):
                    if not message.id:
                        continue
                    ids = message.id if isinstance(message.id, tuple | list) else (message.id,)
                    strs = (
                        message.string
                        if isinstance(message.string, tuple | list)
                        else (message.string,)
                    )
                    for text in strs:
                        native |= words(PLACEHOLDER.sub(" ", text or ""))
                    if any(s and s != i for s, i in zip(strs, ids, strict=False)):
                        english |= {i for i in ids if not PLACEHOLDER.search(i)}
    for label in shipped_labels():
        native |= words(label.get(lang))
    return english, native


@functools.cache
def english_words() -> frozenset[str]:
    found: set[str] = set()
    for folder in CATALOGS:
        for po in folder.glob("es/LC_MESSAGES/*.po"):
            with po.open("rb") as handle:
                for message in read_po(handle):
                    ids = message.id if isinstance(message.id, tuple | list) else (message.id,)
                    for text in ids:
                        found |= words(PLACEHOLDER.sub(" ", text or ""))
    for label in shipped_labels():
        found |= words(label.get("en"))
    return frozenset(found)


class Texts(HTMLParser):
    """The texts a page shows: text nodes (outside scripts and styles) and the attributes
    read out or shown (aria-label, title, placeholder, alt)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs_: list[tuple[str, str | None]]) -> None:
        if tag in {"script", "style"}:
            self.skip += 1
        for name, value in attrs_:
            if name in SHOWN and value:
                self.found.append(" ".join(value.split()))

    def handle_endtag(self, tag: str) -> None:
        if tag in {"script", "style"}:
            self.skip -= 1

    def handle_data(self, data: str) -> None:
        text = " ".join(data.split())
        if text and not self.skip:
            self.found.append(text)


def left_in(page: str, english: set[str], native: set[str], typed: set[str]) -> list[str]:
    """What ``page`` shows in English: ``english`` are the msgids the language translates,
    ``native`` the words it uses, ``typed`` what people typed (words and whole texts)."""
    parser = Texts()
    parser.feed(page)
    problems = []
    foreign = english_words() - native - PROPER_NOUNS - typed
    for text in parser.found:
        if text in typed:  # a name, a team, a role as typed
            continue
        if text in english:
            problems.append(f"untranslated: {text!r}")
            continue
        low = text.casefold()
        for value in STORED_VALUES:
            shown = value.casefold()
            raw = re.search(rf"(?<![\w-]){re.escape(shown)}(?![\w-])", low)
            if raw and shown not in native and not set(words(shown)) <= typed:
                problems.append(f"a stored value shown raw ({value!r}): {text!r}")
        left = sorted(words(text) & foreign)
        if left:
            problems.append(f"English words {left}: {text!r}")
    return problems


@pytest.mark.parametrize("lang", ["es", "da", "sv"])
def test_no_page_shows_english_to_a_reader_of_another_language(
    lang: str,
    graded: Any,  # noqa: F811
    hub: Hub,
    browser: Any,
    cycle: Cycle,
) -> None:
    from corehub_self_assessment import reviews
    from corehub_self_assessment.web import parse_answers
    from tests.web.conftest import as_form

    prepare(hub, cycle)
    # the manager's review of alpha-01 in progress (a draft with answers)
    form = reviews.find(hub, cycle.id, "alpha-01", "manager").review.form
    theirs = parse_answers(form, reviews.ReviewKind.MANAGER, as_form(GOOD_MANAGER))
    reviews.save_draft(hub, cycle.id, "alpha-01", "manager", theirs, actor="alpha-lead")
    people = {p.id for p in hub.people.list()}
    hub.people.save([attrs.evolve(hub.people.get(p), locale=lang) for p in people])
    translated, native = messages(lang)
    # what people typed: the answers, and the plans and check-in that tests.web.pages makes
    typed_texts = (*GOOD_SELF.values(), *GOOD_MANAGER.values(), *TYPED)
    typed = {w for text in typed_texts for w in words(str(text))}
    typed |= {w for p in hub.people.list() for w in words(f"{p.name} {p.role} {p.team}")}
    typed |= {t for p in hub.people.list() for t in (p.name, p.role, p.team) if t}
    # and what customers typed: the subjects of the tickets the quality pages show
    typed |= {w for row in ZENDESK.splitlines()[1:] for w in words(row.split(",")[1])}
    problems = []
    opened = {VIEWERS[v]: list(pages.values()) for v, pages in every_page(cycle).items()}
    grader = graded["grader_id"]
    opened.setdefault(grader, []).extend(["/quality/", f"/quality/task/{graded['id']}"])
    opened["alpha-01"].append("/quality/")
    for viewer, paths in opened.items():
        client = browser(viewer)
        for path in paths:
            page = client.get(path, follow_redirects=True)
            assert page.status_code == 200, (viewer, path)
            problems += [
                f"{viewer} {path}: {p}"
                for p in left_in(html.unescape(page.text), translated, native, typed)
            ]
    signed_out = browser(None).get("/sign-in", headers={"Accept-Language": lang}).text
    problems += [f"/sign-in: {p}" for p in left_in(signed_out, translated, native, typed)]
    assert problems == [], "\n".join(sorted(set(problems)))


def test_the_check_finds_a_raw_status_and_an_untranslated_string() -> None:
    translated, native = messages("es")
    page = "<p>La evaluación de mi responsable in progress</p><button>Save draft</button>"
    found = left_in(page, translated, native, set())
    assert (
        "a stored value shown raw ('in progress'): 'La evaluación de mi responsable in progress'"
        in found
    )
    assert "untranslated: 'Save draft'" in found
