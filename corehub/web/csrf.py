"""CSRF protection: every POST carries the session's token in a hidden ``csrf_token`` field."""

from __future__ import annotations

import hmac
import secrets

from markupsafe import Markup, escape

FIELD = "csrf_token"


def token() -> str:
    """The session's CSRF token (made on first use)."""
    from flask import session

    value = session.get(FIELD)
    if not value:
        value = secrets.token_urlsafe(32)
        session[FIELD] = value
    return str(value)


def field() -> Markup:
    """The hidden input every form includes: ``{{ csrf_field() }}``."""
    return Markup('<input type="hidden" name="{}" value="{}">').format(FIELD, escape(token()))


def check() -> bool:
    """Whether the current POST carries the session's token (compared in constant time)."""
    from flask import request, session

    expected = session.get(FIELD)
    sent = request.form.get(FIELD, "")
    return bool(expected) and hmac.compare_digest(str(expected), sent)
