"""Messages for people: English where they are made, the reader's language where shown.

Library code (corehub's and plugins') raises errors whose text a web page may show to an
employee in Madrid or Stockholm, while the command line shows the same error in English.
:func:`M_` makes such a text: a :class:`Message` is a ``str`` (the English text, so
``str(error)``, logs and the CLI work unchanged) that also remembers its msgid and
parameters, so the page can put it in the signed-in person's language::

    from corehub.messages import M_

    raise ValidationError(M_("a comment has at most %(limit)s characters", limit=2000))

    problems.append(M_("must be 1 to %(top)s", where="rating", top=5))
    # str(...) == "rating: must be 1 to 5"; .where == "rating"; translated: "debe ser de 1 a 5"

- ``where`` names the field (or path) a problem is about. The English text starts with it, as
  the command line has always printed problems; a page uses ``where`` to put the translated
  text next to the field, without the path.
- ``hint`` is advice for the command line only (``use --reason``): the English text ends with
  it in brackets, the translated text leaves it out.
- A parameter that is itself a :class:`Message` is translated too; a date is written in the
  reader's style (ISO in English, as the CLI prints, the long date elsewhere).

``M_`` is also the extraction keyword: ``make messages`` collects its first argument into
the catalog of the distribution that uses it, like ``_()`` and ``N_()``. A plain ``str``
still works anywhere a Message does; it is shown as it is, in every language.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any, Protocol


class Translates(Protocol):
    """What a Message needs to put itself in a language (a :class:`corehub.i18n.Translator`)."""

    def gettext(self, message: str) -> str: ...

    def date(self, value: Any, style: str = ...) -> str: ...


class Message(str):
    """A text for people: its English value, plus what it takes to translate it."""

    msgid: str
    params: Mapping[str, Any]
    where: str | None
    hint: str | None

    def __new__(
        cls, msgid: str, /, *, where: str | None = None, hint: str | None = None, **params: Any
    ) -> Message:
        _check_placeholders(msgid, params)
        english = _english(msgid, params)
        if where:
            english = f"{where}: {english}"
        if hint:
            english = f"{english} ({hint})"
        made = super().__new__(cls, english)
        made.msgid = msgid
        made.params = params
        made.where = where
        made.hint = hint
        return made

    def __reduce__(self) -> Any:
        # Errors cross process boundaries (render --jobs); rebuild from the parts, not the text.
        return (_rebuild, (self.msgid, self.where, self.hint, dict(self.params)))

    def translated(self, translator: Translates | None) -> str:
        """The text alone (no ``where``, no ``hint``) in ``translator``'s language."""
        if translator is None:
            return _english(self.msgid, self.params)
        try:
            return _fill(translator.gettext(self.msgid), self.params, translator)
        except (KeyError, ValueError, TypeError):
            # A translation with a broken placeholder must not hide the error it describes.
            return _english(self.msgid, self.params)

    def localized(self, translator: Translates | None) -> str:
        """The whole line in ``translator``'s language: ``where: text`` (the hint left out)."""
        text = self.translated(translator)
        return f"{self.where}: {text}" if self.where else text


class Named(Message):
    """A name inside a message: ``english`` on the command line (an id it takes, say),
    ``label`` (a :class:`corehub.models.Text` or a str) in the reader's language on a page::

        M_("%(course)r was not completed", course=Named(course.id, course.title))
        # CLI: "'data-protection' was not completed"; a Danish page: "'Databeskyttelse' ..."
    """

    label: Any

    def __new__(cls, english: str, label: Any = None) -> Named:
        made = super().__new__(cls, "%(name)s", name=english)
        assert isinstance(made, Named)
        made.label = english if label is None else label
        return made

    def __reduce__(self) -> Any:
        return (Named, (self.params["name"], self.label))

    def translated(self, translator: Translates | None) -> str:
        if translator is None:
            return str(self.params["name"])
        text = getattr(translator, "text", None)
        return str(text(self.label)) if text is not None else str(self.label)


def M_(
    msgid: str, /, *, where: str | None = None, hint: str | None = None, **params: Any
) -> Message:
    """A :class:`Message`: ``msgid`` %-formatted with ``params``; see the module's docs."""
    return Message(msgid, where=where, hint=hint, **params)


def N_(message: str) -> str:
    """Marks ``message`` for the catalog without translating it (translated where shown)."""
    return message


def localize(value: Any, translator: Translates | None) -> str:
    """``value`` in ``translator``'s language if it is a :class:`Message`; else as it is."""
    if isinstance(value, Message):
        return value.localized(translator)
    return "" if value is None else str(value)


def text_of(value: Any, translator: Translates | None) -> str:
    """Like :func:`localize` but without the ``where`` prefix of a Message (for a page that
    shows the text next to its field)."""
    if isinstance(value, Message):
        return value.translated(translator)
    return "" if value is None else str(value)


def _rebuild(msgid: str, where: str | None, hint: str | None, params: dict[str, Any]) -> Message:
    return Message(msgid, where=where, hint=hint, **params)


RESERVED = frozenset({"where", "hint"})
"""Keyword names :func:`M_` takes for itself; a msgid cannot use them as placeholders."""
_PLACEHOLDER = re.compile(r"(?<!%)(?:%%)*%\((\w+)\)")


def _check_placeholders(msgid: str, params: Mapping[str, Any]) -> None:
    """A placeholder without its value is a programming error: raise at once (where the
    message is made, so a test finds it), instead of showing people the raw msgid later."""
    for name in _PLACEHOLDER.findall(msgid):
        if name in RESERVED:
            raise TypeError(
                f"M_({msgid!r}): %({name})s is a placeholder, but {name!r} is M_'s own "
                f"argument ({'the field the message is about' if name == 'where' else 'a command-line hint'}); "
                f"name the parameter differently"
            )
        if name not in params:
            raise TypeError(f"M_({msgid!r}): no value for the placeholder %({name})s")


def _english(msgid: str, params: Mapping[str, Any]) -> str:
    """The English text; a stray % in the msgid must not hide the error it describes."""
    try:
        return _fill(msgid, params, None)
    except (KeyError, ValueError, TypeError):
        return msgid


def _fill(template: str, params: Mapping[str, Any], translator: Translates | None) -> str:
    # Always %-formatted, like templates' messages: a literal % is written %%.
    values = {
        name: _param(value, translator, as_text=f"%({name})s" in template)
        for name, value in params.items()
    }
    return template % values


def _param(value: Any, translator: Translates | None, *, as_text: bool = True) -> Any:
    if isinstance(value, Message):
        return value.localized(translator)
    if translator is not None and _is_text(value):
        text = getattr(translator, "text", None)
        return text(value) if text is not None else str(value)
    if isinstance(value, float) and translator is not None and as_text:  # not %(x).1f
        decimal = getattr(translator, "decimal", None)
        return decimal(value) if decimal is not None else value
    if isinstance(value, dt.date):  # a datetime too: the day is what people read
        if translator is None:
            day = value.date() if isinstance(value, dt.datetime) else value
            return day.isoformat()
        return translator.date(value, "message")
    return value


def _is_text(value: Any) -> bool:
    from corehub.models.text import Text

    return isinstance(value, Text) and bool(value.translations)
