"""corehub's web app (``corehub serve``): employees, managers and HR work a cycle in the browser.

Importing this package is cheap: Flask is imported by :mod:`corehub.web.app` only, which
the ``serve`` command (and tests) load. Views reach the request's Hub and the signed-in
person through :func:`current_hub` and :func:`current_person`; text they show people goes
through :func:`gettext` / :func:`ngettext` (the signed-in person's language, see
:mod:`corehub.i18n`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from corehub.hub import Hub
    from corehub.models import Person


def current_hub() -> Hub:
    """The Hub of the current request (one SQLite connection per request)."""
    from flask import g

    return g.hub


def current_person() -> Person:
    """The signed-in person; views behind ``signed_in`` always have one."""
    from flask import g

    person = g.get("person")
    if person is None:
        from corehub.errors import PermissionDeniedError

        raise PermissionDeniedError(gettext("Sign in first."))
    return person


def gettext(message: str, **variables: Any) -> str:
    """``message`` in the language of the current request, %-formatted with ``variables``."""
    from corehub.i18n import active

    text = active().gettext(message)
    return text % variables if variables else text


def ngettext(singular: str, plural: str, n: int, **variables: Any) -> str:
    """The singular or plural of a message for ``n`` in the request's language (``%(num)s``
    is ``n``)."""
    from corehub.i18n import active

    return active().ngettext(singular, plural, n) % {"num": n, **variables}


def translate(value: Any) -> str:
    """A :class:`corehub.messages.Message` in the request's language (its ``where: text`` line);
    a plain string as it is."""
    from corehub.i18n import active
    from corehub.messages import localize

    return localize(value, active())


def error_text(exc: BaseException) -> str:
    """What a page says about ``exc``, in the request's language: the message, and for a
    :class:`~corehub.errors.ValidationError` its problems after the summary. A Message's
    ``where`` (a field's name in the code) and its command-line hint are left out."""
    from corehub.errors import CorehubError, ValidationError
    from corehub.i18n import active
    from corehub.messages import text_of

    t = active()
    if isinstance(exc, ValidationError):
        problems = [text_of(p, t) for p in exc.problems]
        summary = text_of(exc.summary, t)
        return " ".join([summary, "; ".join(problems)]) if problems else summary
    if isinstance(exc, CorehubError):
        return text_of(exc.args[0], t) if exc.args else ""
    return str(exc)
