"""Text shown to people in several languages: form labels, course titles, feedback kinds.

In YAML (and in Python) a label is either a plain string, meaning "this text in every
language", or a mapping of language to text::

    label: Needs improvement
    label: {en: Needs improvement, es: Necesita mejorar, da: Skal forbedres, sv: Behöver förbättras}

:class:`Text` is a ``str`` (its value is the English text, else the first one given), so code
that treats a label as a string keeps working; ``text.get(locale)`` picks a language with a
fallback chain, and the converter stores a translated text as its mapping, so a review's copy
of its form keeps every language.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

SOURCE_LANGUAGE = "en"


class Text(str):
    """A ``str`` (the English text) that also knows its translations."""

    translations: dict[str, str]
    """Language code (``en``, ``es``, ``da``, ``sv``, or a regional ``es_MX``) -> text."""

    def __new__(
        cls,
        value: str | Mapping[str, str] = "",
        translations: Mapping[str, str] | None = None,
    ) -> Text:
        given = dict(translations or {})
        if isinstance(value, Mapping):
            given = {**value, **given}
            value = ""
        found = {_key(k): v for k, v in given.items()}
        for code, text in found.items():
            if not isinstance(text, str):
                raise ValueError(f"the {code!r} text must be text, got {text!r}")
        base = value or found.get(SOURCE_LANGUAGE) or next(iter(found.values()), "")
        made = super().__new__(cls, base)
        made.translations = found
        return made

    @classmethod
    def of(cls, value: Any) -> Text:
        """A Text from a plain string, a {language: text} mapping, or a Text."""
        if isinstance(value, Text):
            return value
        if isinstance(value, str):
            return cls(value)
        if isinstance(value, Mapping):
            if not value:
                raise ValueError("expected text or a mapping of language to text, got {}")
            for code in value:
                if not isinstance(code, str):
                    raise ValueError(f"{code!r} is not a language code")
            return cls(dict(value))
        raise ValueError(f"expected text or a mapping of language to text, got {value!r}")

    def get(self, locale: str | Iterable[str] | None = None, fallback: Iterable[str] = ()) -> str:
        """The text in the first of ``locale`` (a code or a chain), ``fallback``, English
        that it has; a regional code (``es_MX``) also tries its language (``es``). A plain
        string is the same in every language."""
        chain = [locale] if isinstance(locale, str) or locale is None else list(locale)
        chain.extend(fallback)
        chain.append(SOURCE_LANGUAGE)
        for code in chain:
            if not code:
                continue
            key = _key(code)
            for candidate in (key, key.split("_")[0]):
                if candidate in self.translations:
                    return self.translations[candidate]
        return str(self)

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(self.translations)

    def plain(self) -> str | dict[str, str]:
        """What is stored: the string itself, or the mapping when it has translations."""
        if not self.translations or set(self.translations) == {SOURCE_LANGUAGE}:
            return str(self)
        return dict(self.translations)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Text):
            return str.__eq__(self, other) and self.translations == other.translations
        return str.__eq__(self, other)

    def __ne__(self, other: object) -> bool:
        return not self == other

    __hash__ = str.__hash__

    def __repr__(self) -> str:
        if self.translations:
            return f"Text({self.translations!r})"
        return f"Text({str.__repr__(self)})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (Text, (str(self), dict(self.translations)))

    def __copy__(self) -> Text:
        return self

    def __deepcopy__(self, _memo: Any) -> Text:
        return self


def _key(code: str) -> str:
    parts = code.strip().replace("-", "_").split("_")
    return "_".join([parts[0].lower(), *(p.upper() if len(p) == 2 else p for p in parts[1:])])


def to_text(value: Any) -> Text:
    """The attrs converter of a Text field: a str, a {language: text} mapping, or a Text."""
    return Text.of(value)


EMPTY = Text("")
