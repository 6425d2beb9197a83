"""Every shipped catalog is complete, compiled and in step with the strings in the code."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
CATALOGS = [("corehub", ROOT / "corehub" / "locale")] + [
    (folder.parent.name, folder)
    for folder in sorted(ROOT.glob("plugins/*/corehub_*/locale"))
    if folder.is_dir()
]
LANGUAGES = ("es", "da", "sv")
PO_FILES = [
    (domain, folder / lang / "LC_MESSAGES" / f"{domain}.po", lang)
    for domain, folder in CATALOGS
    for lang in LANGUAGES
]


def _po(path: Path, lang: str):
    with path.open("rb") as handle:
        return read_po(handle, locale=lang)


@pytest.mark.parametrize(("domain", "path", "lang"), PO_FILES, ids=lambda v: str(v)[-40:])
def test_every_message_is_translated_and_none_is_fuzzy(domain, path, lang):
    catalog = _po(path, lang)
    problems = []
    for message in catalog:
        if not message.id:
            continue
        if message.fuzzy:
            problems.append(f"fuzzy: {message.id!r}")
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if not all(strings):
            problems.append(f"untranslated: {message.id!r}")
    assert not problems, f"{path}: " + "; ".join(problems)


def _key(value):
    return tuple(value) if isinstance(value, list | tuple) else value


@pytest.mark.parametrize(("domain", "path", "lang"), PO_FILES, ids=lambda v: str(v)[-40:])
def test_compiled_catalog_matches_its_po(domain, path, lang):
    """The committed .mo is what `make compile-messages` makes of the .po."""
    source = {_key(m.id): _key(m.string) for m in _po(path, lang) if m.id}
    with path.with_suffix(".mo").open("rb") as handle:
        compiled = {_key(m.id): _key(m.string) for m in read_mo(handle) if m.id}
    assert compiled == source, f"{path.with_suffix('.mo')} is stale: run make compile-messages"


@pytest.mark.parametrize(("domain", "folder"), CATALOGS, ids=[d for d, _ in CATALOGS])
def test_catalog_holds_every_string_marked_in_the_code(domain, folder):
    """Extracting again finds no message missing from the .pot and the .po files."""
    from babel.messages.extract import extract_from_dir
    from babel.messages.frontend import parse_mapping_cfg

    with (ROOT / "babel.cfg").open() as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2)}
    keywords["N_"] = None
    keywords["M_"] = None
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(folder.parent), method_map, options_map, keywords=keywords
    ):
        found.add(message[0] if isinstance(message, tuple) else message)
    for lang in LANGUAGES:
        known = {
            m.id[0] if isinstance(m.id, tuple) else m.id
            for m in _po(folder / lang / "LC_MESSAGES" / f"{domain}.po", lang)
        }
        missing = sorted(found - known)
        assert not missing, f"{domain} {lang}: run make messages and translate: {missing}"
