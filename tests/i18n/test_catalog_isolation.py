"""One domain's catalog never changes another's words (core, self_assessment, training,
feedback): in packets and summaries in es, da and sv, and in every translator lookup."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from babel.messages.pofile import read_po

from corehub.i18n import translator
from corehub.render import render_packet, render_summary
from tests.i18n import test_packets
from tests.i18n.poison import MARK, POTS, poison_foreign_msgids
from tests.i18n.test_packets import pdf_text

reviewed = test_packets.reviewed  # the fixture: alpha-01 with something in every section

LANGS = ("es", "da", "sv")


def po_translations(domain: str, lang: str) -> dict[tuple[str | None, Any], str]:
    """(context, msgid or (singular, plural)) -> the translation (a plural's singular form)."""
    path = POTS[domain].parent / lang / "LC_MESSAGES" / f"{domain}.po"
    found: dict[tuple[str | None, Any], str] = {}
    with path.open("rb") as handle:
        for m in read_po(handle):
            string = m.string if isinstance(m.string, str) else m.string[0]
            if m.id and string:
                found[(m.context, m.id)] = string
    return found


def lookup(t: Any, context: str | None, msgid: Any, domain: str) -> str:
    if isinstance(msgid, tuple):
        return t.ngettext(msgid[0], msgid[1], 1, domain=domain)
    if context:
        return t.pgettext(context, msgid, domain=domain)
    return t.gettext(msgid, domain=domain)


@pytest.mark.parametrize("lang", LANGS)
def test_packets_and_summaries_take_no_word_from_another_catalog(
    hub, reviewed, tmp_path, monkeypatch, lang
):
    poison_foreign_msgids(monkeypatch)
    packet = pdf_text(render_packet(hub, reviewed, "alpha-01", tmp_path / "p.pdf", locale=lang))
    summary = pdf_text(render_summary(hub, reviewed, tmp_path / "s.pdf", team="alpha", locale=lang))
    assert MARK not in packet, packet[max(0, packet.find(MARK) - 80) :][:200]
    assert MARK not in summary, summary[max(0, summary.find(MARK) - 80) :][:200]


def test_the_poison_would_show_a_lookup_in_the_wrong_catalog(hub, reviewed, monkeypatch):
    """Guards the test above: a lookup of a core message in a plugin's domain is poisoned."""
    poison_foreign_msgids(monkeypatch)
    t = translator(hub, "sv")
    core_only = "Page %(page)s of %(pages)s"
    assert t.gettext(core_only) == "Sida %(page)s av %(pages)s"  # asked from here: the core
    assert t.gettext(core_only, domain="corehub_training_tracker") == (
        f"{MARK}corehub_training_tracker{MARK}"
    )


@pytest.mark.parametrize("lang", LANGS)
def test_a_message_two_catalogs_translate_differently_keeps_each_ones_words(hub, reviewed, lang):
    """Every English text that the core and a plugin translate differently reads as the
    core's words where the core asks, and as the plugin's where the plugin asks."""
    t = translator(hub, lang)
    core = po_translations("corehub", lang)
    clashes = 0
    for domain in POTS:
        if domain == "corehub":
            continue
        for (context, msgid), theirs in po_translations(domain, lang).items():
            ours = core.get((context, msgid))
            if ours is None or ours == theirs:
                continue
            clashes += 1
            assert lookup(t, context, msgid, "corehub") == ours, (domain, msgid)
            assert lookup(t, context, msgid, domain) == theirs, (domain, msgid)
    if lang == "sv":
        assert clashes  # "%(num)s overdue": an overdue task, an overdue course


def test_the_domain_is_the_one_of_the_asking_code(hub, reviewed):
    t = translator(hub, "sv")
    # asked from here (not a plugin), the core's words
    assert t.ngettext("%(num)s overdue", "%(num)s overdue", 1) == "%(num)s försenad"
    import corehub_training_tracker.web as training_web

    namespace = {"__name__": training_web.__name__, "t": t}
    exec("found = t.ngettext('%(num)s overdue', '%(num)s overdue', 1)", namespace)
    assert namespace["found"] == "%(num)s försenad kurs"


def test_every_catalog_path_is_known(hub, reviewed):
    """The poisoned domains are the ones the hub loads (a new plugin catalog is added here)."""
    from corehub.i18n import catalog_dirs

    assert {d for d, _ in catalog_dirs(hub)} == set(POTS)
    assert all(Path(p).is_file() for p in POTS.values())
