"""One word per concept in each language: every catalog, form and course file against the
terminology glossary of its language (docs/glossary/<lang>.yaml), and the register (tú, du)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
GLOSSARY = ROOT / "docs" / "glossary"
LANGUAGES = ("es", "da", "sv")
# the concepts every glossary names (issue #21)
CONCEPTS = {
    "review",
    "review cycle",
    "self-assessment",
    "manager review",
    "packet",
    "overdue",
    "due date",
    "completed",
    "rating",
    "evidence",
    "supervisor",
}
YAML_FILES = ("forms", "catalogue", "scorecards")
PLACEHOLDER = re.compile(r"%\(\w+\)[sdrf]|\{\w+\}")


def glossary(lang: str) -> dict[str, Any]:
    return dict(yaml.safe_load((GLOSSARY / f"{lang}.yaml").read_text(encoding="utf-8")))


def texts(lang: str) -> Iterator[tuple[str, str, str]]:
    """(where, English, translation) of every string shipped in ``lang``."""
    for po in sorted(ROOT.glob(f"corehub/locale/{lang}/LC_MESSAGES/*.po")) + sorted(
        ROOT.glob(f"plugins/*/corehub_*/locale/{lang}/LC_MESSAGES/*.po")
    ):
        with po.open("rb") as handle:
            catalog = read_po(handle, locale=lang)
        for message in catalog:
            if not message.id:
                continue
            ids = message.id if isinstance(message.id, tuple) else (message.id,)
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            for string in strings:
                yield f"{po.relative_to(ROOT)}: {ids[0]!r}", ids[-1], string
    for folder in YAML_FILES:
        for path in sorted(ROOT.glob(f"plugins/*/corehub_*/{folder}/*.yaml")):
            yield from _walk(
                yaml.safe_load(path.read_text(encoding="utf-8")), lang, str(path.relative_to(ROOT))
            )


def _walk(node: Any, lang: str, where: str) -> Iterator[tuple[str, str, str]]:
    if isinstance(node, dict):
        if isinstance(node.get(lang), str) and isinstance(node.get("en"), str):
            yield where, node["en"], node[lang]
        for key, value in node.items():
            yield from _walk(value, lang, f"{where}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _walk(value, lang, f"{where}[{i}]")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_glossary_names_one_term_for_each_concept(lang: str) -> None:
    terms = glossary(lang)["terms"]
    concepts = [t["concept"] for t in terms]
    assert set(concepts) >= CONCEPTS, CONCEPTS - set(concepts)
    assert len(concepts) == len(set(concepts)), "a concept is listed twice"
    assert all(t["term"] and t["avoid"] for t in terms)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_catalog_form_or_course_uses_a_variant_the_glossary_rules_out(lang: str) -> None:
    rules = [
        (t["concept"], t["term"], re.compile(pattern, re.I | re.M), t.get("only"))
        for t in glossary(lang)["terms"]
        for pattern in t["avoid"]
    ]
    problems = []
    for where, _english, text in texts(lang):
        for concept, term, pattern, only in rules:
            if only and not any(part in where for part in only):
                continue
            match = pattern.search(PLACEHOLDER.sub("", text))
            if match:
                problems.append(f"{where}: {match.group(0)!r} for {concept}; say {term!r}")
    assert not problems, f"{len(problems)} variant(s):\n" + "\n".join(problems)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_register_is_informal(lang: str) -> None:
    """Spanish says tú, Danish and Swedish du: no telltale of the formal register."""
    register = glossary(lang)["register"]
    flags = 0 if register.get("case") else re.I
    formal = [re.compile(p, flags) for p in register["avoid"]]
    your = [re.compile(p, re.I) for p in register.get("your", [])]
    informal = re.compile(r"\b(tu|tus|te|ti|tú|contigo)\b", re.I)
    problems = []
    for where, english, text in texts(lang):
        for pattern in formal:
            if match := pattern.search(text):
                problems.append(f"{where}: {match.group(0)!r} in {text!r}")
        if re.search(r"\byour\b", english, re.I) and not informal.search(text):
            for pattern in your:
                if match := pattern.search(text):
                    problems.append(f"{where}: {match.group(0)!r} for 'your' in {text!r}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_headings_that_differ_in_english_differ_in_translation(lang: str) -> None:
    """Sign-off and Signature head different parts of a packet: one word for both hides one."""
    pairs = [("Sign-off", "Signature")]
    found = {
        english: text
        for _where, english, text in texts(lang)
        if english in {"Sign-off", "Signature"}
    }
    for a, b in pairs:
        assert found.get(a) and found.get(b) and found[a] != found[b], (a, b, found)
