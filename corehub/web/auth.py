"""Who is signed in and what they may do: roles come from the org chart and config."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from corehub.hub import Hub
    from corehub.models import Person

F = TypeVar("F", bound=Callable[..., Any])
SESSION_KEY = "sid"
"""The session cookie's key holding the session id (see :mod:`corehub.web.sessions`)."""


def roles_of(hub: Hub, person: Person) -> set[str]:
    """``employee`` for everyone; ``manager`` with reports; ``hr`` when named in organization.hr."""
    found = {"employee"}
    has_reports = hub.db.execute(  # one indexed look-up on every request
        "SELECT 1 FROM people WHERE manager_id = ? AND active = 1 LIMIT 1", [person.id]
    ).fetchone()
    if has_reports:
        found.add("manager")
    if person.id in hub.config.organization.hr:
        found.add("hr")
    return found


def signed_in(view: F) -> F:
    """Send people who are not signed in to the sign-in page."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from flask import g, redirect, url_for

        if g.get("person") is None:
            return redirect(url_for("corehub.sign_in"))
        return view(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def require_role(*roles: str) -> Callable[[F], F]:
    """Refuse (403) signed-in people with none of ``roles``."""

    def decorate(view: F) -> F:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            from flask import g

            from corehub.errors import PermissionDeniedError
            from corehub.web import gettext

            if not set(roles) & g.roles:
                names = {"employee": gettext("employees"), "manager": gettext("managers")}
                names["hr"] = gettext("HR")
                who = [names.get(r, r) for r in roles]
                if len(who) > 1:
                    who = [gettext("%(some)s or %(last)s", some=", ".join(who[:-1]), last=who[-1])]
                raise PermissionDeniedError(gettext("This page is for %(who)s only.", who=who[0]))
            return view(*args, **kwargs)

        return signed_in(wrapper)  # type: ignore[return-value]

    return decorate
