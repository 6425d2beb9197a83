"""Two headings that differ in English stay different in every language.

A reader tells the parts of a packet apart by their headings: "Sign-off" (the section)
and "Signature" (the line to sign on) must not both become "Underskrift". The packet and
the team summary are drawn in English and in each language from the same data; the
headings (h1-h6, table and list headers, legends, the labels under the signature lines)
are paired by position, and two different English headings may not read the same.
"""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from corehub.render.documents import renderer_for
from tests.i18n.test_packets import reviewed  # noqa: F401 (a fixture)

HEADING_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6", "th", "dt", "legend", "caption"}
HEADING_CLASSES = {"signoff-line", "cover-kicker", "section-title"}


class Headings(HTMLParser):
    """The text of every heading of a document, in order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.open: list[tuple[str, bool]] = []
        self.parts: list[list[str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = set((dict(attrs).get("class") or "").split())
        heading = tag in HEADING_TAGS or bool(classes & HEADING_CLASSES)
        if tag in {"br", "img", "meta", "link", "hr", "input", "col"}:
            return
        self.open.append((tag, heading))
        if heading:
            self.parts.append([])

    def handle_endtag(self, tag: str) -> None:
        while self.open:
            name, heading = self.open.pop()
            if heading:
                self.found.append(" ".join("".join(self.parts.pop()).split()))
            if name == tag:
                break

    def handle_data(self, data: str) -> None:
        if self.parts:
            self.parts[-1].append(data)


def headings(hub, cycle, lang: str, kind: str) -> list[str]:
    renderer = renderer_for(hub)
    report = (
        renderer.packet_report(cycle, "alpha-01", locale=lang)
        if kind == "packet"
        else renderer.summary_report(cycle, "alpha", locale=lang)
    )
    parser = Headings()
    parser.feed(renderer.render_html(renderer.gather(report)).body_html)
    return parser.found


def collapsed(english: list[str], translated: list[str]) -> list[str]:
    """Pairs of different English headings that read the same in the translation."""
    assert len(english) == len(translated), "the documents differ in their headings"
    seen: dict[str, str] = {}
    found = []
    for source, text in zip(english, translated, strict=True):
        if not text:
            continue
        first = seen.setdefault(text, source)
        if first != source:
            found.append(f"{first!r} and {source!r} both read {text!r}")
    return sorted(set(found))


@pytest.mark.parametrize("kind", ["packet", "summary"])
@pytest.mark.parametrize("lang", ["es", "da", "sv"])
def test_distinct_headings_stay_distinct_in_every_language(hub, reviewed, lang, kind):  # noqa: F811
    english = headings(hub, reviewed, "en", kind)
    assert "Sign-off" in english or kind == "summary"
    assert "Signature" in english or kind == "summary"
    assert len(english) > 20
    assert collapsed(english, headings(hub, reviewed, lang, kind)) == []


def test_a_collapse_is_found():
    english = ["Sign-off", "Signature", "Date", "Sign-off"]
    assert collapsed(english, ["Underskrift", "Underskrift", "Dato", "Underskrift"]) == [
        "'Sign-off' and 'Signature' both read 'Underskrift'"
    ]
