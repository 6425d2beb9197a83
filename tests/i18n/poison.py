"""Catalogs that would betray a lookup in the wrong domain.

:func:`poison_foreign_msgids` makes every catalog translate each message it does not use
itself (the messages only the other domains mark) as ``§<domain>§``. A page or packet that
shows a ``§`` took a word from a catalog that is not the one of the code or template that
asked for it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from babel.messages.pofile import read_po

from corehub import i18n

ROOT = Path(__file__).resolve().parents[2]
POTS = {
    "corehub": ROOT / "corehub/locale/corehub.pot",
    "corehub_self_assessment": ROOT
    / "plugins/self_assessment/corehub_self_assessment/locale/corehub_self_assessment.pot",
    "corehub_training_tracker": ROOT
    / "plugins/training_tracker/corehub_training_tracker/locale/corehub_training_tracker.pot",
    "corehub_feedback": ROOT / "plugins/feedback/corehub_feedback/locale/corehub_feedback.pot",
}
MARK = "\u00a7"


def catalog_keys(domain: str) -> set[Any]:
    """The keys a compiled catalog of ``domain`` has for the messages of its .pot."""
    keys: set[Any] = set()
    with POTS[domain].open("rb") as handle:
        for message in read_po(handle):
            if not message.id:
                continue
            ids = message.id if isinstance(message.id, tuple) else (message.id,)
            head = f"{message.context}\x04{ids[0]}" if message.context else ids[0]
            if len(ids) > 1:
                keys.update({(head, 0), (head, 1)})
            else:
                keys.add(head)
    return keys


def poison_foreign_msgids(monkeypatch: pytest.MonkeyPatch) -> None:
    own = {domain: catalog_keys(domain) for domain in POTS}
    real_load = i18n._load

    def load(folder: Path, domain: str, code: str) -> Any:
        loaded = real_load(folder, domain, code)
        if loaded is None or domain not in own:
            return loaded
        foreign = set().union(*(keys for d, keys in own.items() if d != domain)) - own[domain]
        for key in foreign:
            loaded._catalog[key] = f"{MARK}{domain}{MARK}"  # type: ignore[attr-defined]
        return loaded

    monkeypatch.setattr(i18n, "_load", load)
    monkeypatch.setattr(i18n, "_cache", {})
