"""An action named in an error ("holding a check-in", "rating a course") is slotted into a
sentence of the core's catalog: "for at %(doing)s skal corehub vide, hvem du er", "kun
%(person)s må %(doing)s" (Danish), "för att %(doing)s behöver corehub veta vem du är",
"bara %(person)s får %(doing)s" (Swedish). Those sentences already carry the infinitive
marker, so the action itself is a bare infinitive: "holde en 1:1-samtale", never
"at holde …" ("for at at holde"), and "hålla en avstämning", never "att hålla …"."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
# the calls that name an action for the access errors (corehub.access)
ACTION = re.compile(
    r"(?:require_person|require_self|_require_party)\((?:[^()]|\([^()]*\))*?M_\(\s*\"([^\"]+)\"",
    re.S,
)
MARKER = {"da": "at ", "sv": "att "}


def actions() -> set[str]:
    found: set[str] = set()
    for path in [*ROOT.glob("corehub/**/*.py"), *ROOT.glob("plugins/*/corehub_*/**/*.py")]:
        found.update(ACTION.findall(path.read_text(encoding="utf-8")))
    return found


def catalogs(lang: str) -> list[Path]:
    return [
        *ROOT.glob(f"corehub/locale/{lang}/LC_MESSAGES/*.po"),
        *ROOT.glob(f"plugins/*/corehub_*/locale/{lang}/LC_MESSAGES/*.po"),
    ]


def test_the_actions_are_found() -> None:
    named = actions()
    assert {"giving feedback", "holding a check-in", "rating a course"} <= named


@pytest.mark.parametrize("lang", sorted(MARKER))
def test_actions_are_bare_infinitives(lang: str) -> None:
    named = actions()
    wrong = []
    seen = set()
    for path in catalogs(lang):
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=lang)
        for message in catalog:
            if message.id in named and message.string:
                seen.add(message.id)
                if str(message.string).startswith(MARKER[lang]):
                    wrong.append(f"{path.relative_to(ROOT)}: {message.id!r} -> {message.string!r}")
    assert seen == named, f"actions without a {lang} translation: {sorted(named - seen)}"
    assert not wrong, "\n".join(wrong)
