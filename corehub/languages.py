"""The languages corehub speaks and the spelling of a locale code.

The lowest of corehub's modules about languages: the workspace configuration checks its
``locale`` against :data:`LANGUAGES` without loading the translation machinery of
:mod:`corehub.i18n`, which holds both names too.
"""

from __future__ import annotations

import re

LANGUAGES = ("en", "es", "da", "sv")
"""The languages corehub and its plugins ship complete translations for."""

_LOCALE_CODE = re.compile(r"^[a-zA-Z]{2,3}([_-][a-zA-Z0-9]{2,8})*$")


def normalize(locale: str | None) -> str | None:
    """``es-mx`` / ``es_MX`` -> ``es_MX``; None or an empty string stays None."""
    if not locale:
        return None
    locale = locale.strip()
    if not _LOCALE_CODE.match(locale):
        return None
    parts = re.split(r"[_-]", locale)
    head = parts[0].lower()
    tail = [p.upper() if len(p) == 2 else p for p in parts[1:]]
    return "_".join([head, *tail])
