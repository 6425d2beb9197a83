"""Text that does not fit a line wraps: nothing people wrote is cut off, no symbol is a box."""

from __future__ import annotations

import re
import shutil
import subprocess

import attrs
import pytest

from corehub_self_assessment import reviews

pytestmark = pytest.mark.skipif(
    shutil.which("pdftotext") is None or shutil.which("pdffonts") is None,
    reason="needs poppler-utils (make install)",
)

WORD = "".join(f"x{i:04d}" for i in range(400))  # 2,000 characters, no place to break
NAME = "Maximiliana " + "Wolfeschlegelsteinhausenbergerdorff" * 5 + " de la Concepción " * 4
URL = "https://help.example.org/knowledge-base/" + "articles/" * 12 + "reset?ref=" + "y" * 80
EMOJI = "Great quarter 🎉👍 ✓ ★ → ♞ ∮"


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture
def long_packet(hub, cycle, answers, cli, tmp_path):
    person = hub.people.get("alpha-01")
    hub.people.save([attrs.evolve(person, name=NAME[:200])])
    mine = answers["self"] | {"strengths": WORD, "improvements": f"See {URL} {EMOJI}"}
    reviews.save_draft(hub, cycle, "alpha-01", "self", mine, actor="alpha-01")
    reviews.submit(hub, cycle, "alpha-01", "self", actor="alpha-01")
    theirs = answers["manager"]
    reviews.save_draft(hub, cycle, "alpha-01", "manager", theirs, actor="alpha-lead")
    reviews.submit(hub, cycle, "alpha-01", "manager", actor="alpha-lead")
    reviews.release(hub, cycle, "alpha-01", actor="alpha-lead")
    reviews.comment(hub, cycle, "alpha-01", f"{WORD[:600]} {EMOJI}", actor="alpha-01")
    target = tmp_path / "packet.pdf"
    result = cli(
        "render", "packet", "--cycle", cycle.name, "--person", "alpha-01", "-o", str(target)
    )
    assert result.exit_code == 0, result.output
    return target


def test_long_words_names_and_urls_wrap_instead_of_being_cut(long_packet):
    # pdftotext drops what lies outside a page: a word running off the edge loses its end.
    text = subprocess.run(
        ["pdftotext", str(long_packet), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = squeeze(text)
    assert WORD in flat
    assert squeeze(NAME[:200]) in flat
    assert squeeze(URL) in flat
    first_page = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "1", str(long_packet), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert squeeze(NAME[:200]) in squeeze(first_page)  # the cover keeps the whole name


@pytest.fixture
def long_summary(long_packet, cycle, cli, tmp_path):
    target = tmp_path / "summary.pdf"
    result = cli("render", "summary", "--cycle", cycle.name, "--team", "alpha", "-o", str(target))
    assert result.exit_code == 0, result.output
    return target


@pytest.mark.parametrize("document", ["long_packet", "long_summary"])
def test_no_word_runs_past_the_margin_of_any_page(document, request):
    pdf = request.getfixturevalue(document)
    boxes = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = re.findall(r'<page width="([\d.]+)" height="[\d.]+">(.*?)</page>', boxes, flags=re.S)
    assert pages
    for number, (width, words) in enumerate(pages, start=1):
        limit = float(width) - 36  # every page keeps at least 12.7 mm of margin on the right
        for x_max, word in re.findall(
            r'<word xMin="[\d.]+" yMin="[\d.]+" xMax="([\d.]+)"[^>]*>(.*?)</word>', words
        ):
            assert float(x_max) <= limit, f"page {number}: {word[:40]!r} ends at {x_max} pt"


def test_emoji_and_symbols_are_drawn_with_fonts_that_have_them(long_packet):
    fonts = subprocess.run(
        ["pdffonts", str(long_packet)], capture_output=True, text=True, check=True
    ).stdout
    assert "Noto-Color-Emoji" in fonts
    assert "DejaVu-Sans" in fonts
