"""corehub's web app (``corehub serve``): employees, managers and HR work a cycle in the browser.

Importing this package is cheap: Flask is imported by :mod:`corehub.web.app` only, which
the ``serve`` command (and tests) load. Views reach the request's Hub and the signed-in
person through :func:`current_hub` and :func:`current_person`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

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

        raise PermissionDeniedError("sign in first")
    return person
