"""corehub's web app (``corehub serve``): employees, managers and HR work a cycle in the browser.

Importing this package is cheap: Flask is imported by :mod:`corehub.web.app` only, which
the ``serve`` command (and tests) load. Views reach the request's Hub and the signed-in
person through :func:`current_hub` and :func:`current_person`; text they show people goes
through :func:`gettext` / :func:`ngettext` (the signed-in person's language, see
:mod:`corehub.i18n`).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from corehub.hub import Hub
    from corehub.models import Person

__all__ = [
    "MANAGED_SQL",
    "FormErrors",
    "Page",
    "current_hub",
    "current_person",
    "error_page",
    "error_text",
    "form_text",
    "gettext",
    "managed_people",
    "ngettext",
    "page_of",
    "people_from",
    "require_role",
    "signed_in",
    "translate",
    "write",
]

F = TypeVar("F", bound=Callable[..., Any])

if TYPE_CHECKING:
    from corehub.web.paging import Page, page_of


def __getattr__(name: str) -> Any:
    """``Page`` and ``page_of`` load on first use: the built-in web plugin, in this package,
    is loaded by every corehub run (``--help`` too), which builds no record class."""
    if name in ("Page", "page_of"):
        from corehub.web import paging

        value = getattr(paging, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def signed_in(view: F) -> F:
    """Decorate a plugin's view: people who are not signed in go to the sign-in page."""
    from corehub.web.auth import signed_in as _signed_in

    return _signed_in(view)


def require_role(*roles: str) -> Callable[[F], F]:
    """Decorate a view (under :func:`signed_in`) for people with one of ``roles``
    (``employee``, ``manager``, ``hr``); anyone else gets the "not allowed" page."""
    from corehub.web.auth import require_role as _require_role

    return _require_role(*roles)


@contextlib.contextmanager
def write(hub: Hub) -> Iterator[None]:
    """One immediate transaction around a request's writes: all of them land, or none.
    Library calls inside it nest as savepoints."""
    from corehub.web.app import write as _write

    with _write(hub):
        yield


def form_text(name: str, limit: int = 20_000) -> str:
    """The posted form field ``name`` (empty when absent), or a
    :class:`~corehub.errors.ValidationError` when it is longer than ``limit`` characters."""
    from corehub.web.app import form_text as _form_text

    return _form_text(name, limit)


def error_page(status: int, message: str) -> Any:
    """corehub's error page (in the site's frame) saying ``message``, as a view's return
    value with the HTTP ``status``: ``return error_page(404, gettext("No such course."))``."""
    from corehub.web.app import render_error

    return render_error(status, message)


def managed_people(hub: Hub, manager_id: str) -> list[Person]:
    """Everyone below ``manager_id`` in the org chart, direct and further down, sorted by
    team and name: ``hub.people.reports(manager_id, all_levels=True)``."""
    return sorted(
        hub.people.reports(manager_id, all_levels=True), key=lambda p: (p.team, p.name, p.id)
    )


MANAGED_SQL = """
WITH RECURSIVE below(id) AS (
    SELECT id FROM people WHERE manager_id = :me AND active = 1 AND id != :me
    UNION
    SELECT people.id FROM people JOIN below ON people.manager_id = below.id
    WHERE people.active = 1 AND people.id != :me
)
"""
"""A ``WITH`` clause naming ``below(id)``: the active people below ``:me`` in the org chart
at every level, the people :func:`managed_people` returns, for a page's query to join
instead of loading them all: ``MANAGED_SQL + "SELECT count(*) FROM below"``."""


def people_from(hub: Hub, sql: str, params: Any = ()) -> list[Person]:
    """The people a query on the ``people`` table returns (``SELECT * FROM people ...``),
    for a page that reads one page of people in SQL."""
    from corehub.loaders import from_row
    from corehub.models import Person

    return [from_row(row, Person) for row in hub.db.query(sql, params)]


def current_hub() -> Hub:
    """The Hub of the current request (one SQLite connection per request)."""
    from flask import g

    hub: Hub = g.hub
    return hub


def current_person() -> Person:
    """The signed-in person; views behind ``signed_in`` always have one."""
    from flask import g

    person: Person | None = g.get("person")
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


class FormErrors:
    """The problems of a submitted form, for the page that shows the form again.

    A problem belongs to a field (the ``id`` of its input: the summary links to it) or to
    the form as a whole (``None``). Give it to the template as ``form_errors``: corehub's base
    template then puts "Error:" before the page title and the summary of the problems at the
    top of ``<main>``, focused, each linking to its field; the macros of
    ``corehub/web/forms.html`` write each field's message and tie it to the field::

        errors = FormErrors()
        if not text:
            errors.add("praise-text", gettext("Say what they did."))
        try:
            ...
        except ValidationError as exc:
            errors.add_error(exc, {"text": "praise-text", "rating": "praise-rating-1"})
        if errors:
            return render_template("my/page.html", form_errors=errors), 400

    A label (``label="Praise"``) starts the line in the summary, for a page with several forms.
    """

    def __init__(self) -> None:
        self._items: list[tuple[str | None, str, str]] = []

    def add(self, field: str | None, message: str, *, label: str = "") -> FormErrors:
        """One problem of ``field`` (the input's id; None: the whole form), already in the
        reader's language."""
        if message:
            self._items.append((field or None, label, str(message)))
        return self

    def add_error(
        self,
        exc: BaseException,
        fields: Mapping[str, str] | Callable[[Any], str | None] | None = None,
        *,
        default: str | None = None,
        label: str = "",
        labels: Mapping[str, str] | None = None,
    ) -> FormErrors:
        """Every problem of a library error, in the request's language, each by its field.

        ``fields`` maps what a problem says it is about to the id of the input: a Message's
        ``where`` (or its first word: ``evidence big.pdf`` is about ``evidence``), else its
        msgid (for a library that names no field); or ``fields`` is a function of the
        problem (a Message or a str) giving the id or None. A problem matching none goes to
        ``default``, else to the form as a whole. A ValidationError's problems that are plain
        strings are details of its summary and go with it; its summary alone is kept on top
        when some of its problems belong to no field. ``labels`` names fields (by id) in the
        summary: "Tone: not answered" where the field itself says "not answered".
        """
        from corehub.errors import CorehubError, ValidationError
        from corehub.i18n import active
        from corehub.messages import Message, text_of

        t = active()
        fields = fields or {}

        def field_of(problem: Any) -> str | None:
            if callable(fields):
                return fields(problem) or default
            if isinstance(problem, Message):
                where = problem.where or ""
                for key in (where, where.split(" ", 1)[0], where.rsplit(".", 1)[-1]):
                    if key and key in fields:
                        return fields[key]
                if problem.msgid in fields:
                    return fields[problem.msgid]
            return default

        if isinstance(exc, ValidationError):
            summary = text_of(exc.summary, t)
            # plain strings are details of the summary ("tags are short words: 'bad!tag'")
            details = [str(p) for p in exc.problems if not isinstance(p, Message)]
            placed = [(field_of(p), text_of(p, t)) for p in exc.problems if isinstance(p, Message)]
            if details:
                self.add(field_of(exc.summary), f"{summary} {'; '.join(details)}", label=label)
            elif not placed:
                self.add(field_of(exc.summary), summary, label=label)
            elif any(f is None for f, _m in placed):
                self.add(None, summary, label=label)
            for field, message in placed:
                self.add(field, message, label=(labels or {}).get(field or "", label))
        elif isinstance(exc, CorehubError):
            message = exc.args[0] if exc.args else ""
            self.add(field_of(message), text_of(message, t), label=label)
        else:
            self.add(default, str(exc), label=label)
        return self

    def get(self, field: str) -> str:
        """The messages of ``field``, one after the other ("" when it has none)."""
        return " ".join(m for f, _label, m in self._items if f == field)

    def __contains__(self, field: object) -> bool:
        return any(f == field for f, _label, _m in self._items)

    def __bool__(self) -> bool:
        return bool(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self) -> Iterator[tuple[str | None, str]]:
        """(field id or None, the line of the summary) for each problem."""
        for field, label, message in self._items:
            yield field, f"{label}: {message}" if label else message

    def __repr__(self) -> str:
        return f"FormErrors({list(self)!r})"
