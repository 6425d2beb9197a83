"""The Flask application: sign-in, security headers, core pages and the plugins' routes.

One Hub per request, made by ``hub_factory`` and closed when the request ends; the Hubs of
:func:`workspace_hub_factory` borrow their SQLite connection from a pool
(:mod:`corehub.web.pool`), so a request does not open the database again. Writes go through the library functions; :func:`write` wraps them in an
immediate transaction so concurrent requests wait for each other instead of failing.

:func:`create_app` builds the app: it asks the plugins for their routes, keeps what the
requests need in ``app.extensions["corehub"]`` and registers the module-level request
handlers (:func:`open_hub`, :func:`security_headers`, the error pages...) and blueprints.
The core's pages are module-level views on :data:`bp`, reading the request's Hub and person
with :func:`corehub.web.current_hub` and :func:`corehub.web.current_person`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs
import flask
import jinja2
from flask import Flask, abort, g, redirect, render_template, request, session, url_for
from flask.sessions import SecureCookieSessionInterface
from werkzeug.routing import BuildError

from corehub import access, i18n
from corehub.errors import (
    CorehubError,
    FrozenError,
    NotFoundError,
    PermissionDeniedError,
    ValidationError,
)
from corehub.folding import fold_id
from corehub.i18n import N_
from corehub.models import CycleStatus, ExtraTask, Route, TaskStatus
from corehub.web import (
    FormErrors,
    auth,
    csrf,
    current_hub,
    current_person,
    error_text,
    gettext,
    ngettext,
    sessions,
    throttle,
    tokens,
)
from corehub.web.pool import HubPool

if TYPE_CHECKING:
    from corehub.hub import Hub
    from corehub.models import Cycle, Person, Task

log = logging.getLogger("corehub.web")
HERE = Path(__file__).parent
FONTS = HERE.parent / "render" / "static" / "fonts"
CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)

PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "picture-in-picture",
        "publickey-credentials-get",
        "screen-wake-lock",
        "usb",
        "xr-spatial-tracking",
    )
)
"""No page of corehub uses a camera, a microphone, the location or any other device."""
HSTS = "max-age=31536000"
"""Sent over HTTPS only: browsers keep to HTTPS for this host for a year."""
STATE_CHANGING = frozenset({"POST", "PUT", "PATCH", "DELETE"})

MAX_REQUEST_BYTES = 2 * 1024 * 1024
"""The largest request a page takes, unless its plugin's Route says more (uploads)."""
FORM_SLACK = 256 * 1024
"""Room for a form's other fields and the multipart framing around an uploaded file."""

HubFactory = Callable[[], "Hub"]


def workspace_hub_factory(
    workspace: Path | str | None = None, *, plugins_dir: Path | str | None = None
) -> HubPool:
    """Hubs on one workspace sharing one plugin manager and reusing their connections
    (:class:`~corehub.web.pool.HubPool`); migrations are applied once, here."""
    from corehub.hub import Hub

    first = Hub.open(workspace, plugins_dir=plugins_dir)
    try:
        first.db  # noqa: B018 (opens, migrates and starts the plugins once)
        pm = first.pm
        config = attrs.evolve(
            first.config, database=attrs.evolve(first.config.database, auto_migrate=False)
        )
        folder = first.require_workspace()
    finally:
        first.close()
    return HubPool(folder, config=config, plugin_manager=pm)


@contextlib.contextmanager
def write(hub: Hub) -> Iterator[None]:
    """One immediate transaction around a request's writes (library calls nest inside it)."""
    db = hub.db
    db.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        if db.conn.in_transaction:
            db.conn.execute("ROLLBACK")
        raise
    else:
        db.conn.execute("COMMIT")


def form_text(name: str, limit: int = 20_000) -> str:
    """A posted text field, or a clear error when it is far too long."""
    value = request.form.get(name, "")
    if len(value) > limit:
        raise ValidationError(
            gettext("%(field)s: at most %(limit)s characters", field=name, limit=limit)
        )
    return value


def create_app(hub_factory: HubFactory, *, secure_cookies: bool = False) -> Flask:
    """The web app over the Hubs ``hub_factory`` makes (one per request)."""
    app = Flask("corehub.web", static_folder=str(HERE / "static"), static_url_path="/static")
    setup = hub_factory()
    try:
        setup.db  # noqa: B018 (migrates and starts the plugins before the first request)
        app.secret_key = tokens.secret_key(setup)
        routes: dict[str, Route] = setup.hook.register_routes.registry(what="web routes", hub=setup)
        from corehub.render.environment import LayeredLoader, template_roots

        loader = jinja2.ChoiceLoader(
            [LayeredLoader(template_roots(setup)), jinja2.FileSystemLoader(HERE / "templates")]
        )
        organization = setup.config.organization.name
        web = setup.config.web
        throttle_secret = app.secret_key
    finally:
        setup.close()
    if web.trusted_proxies:
        app.wsgi_app = TrustedProxies(app.wsgi_app, web.trusted_proxies)  # type: ignore[method-assign]
    app.config.update(
        SESSION_COOKIE_NAME="corehub_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=secure_cookies,
        PERMANENT_SESSION_LIFETIME=dt.timedelta(hours=web.session_hours),
        # The cookie is written only when the session changes. Refreshing it on every
        # response let a font or stylesheet answer, sent with the cookie of a moment ago,
        # overwrite a newer one: the message after a save was lost. The session's expiry is
        # kept on the server (``web_sessions``), so refreshing the cookie would add nothing.
        SESSION_REFRESH_EACH_REQUEST=False,
        MAX_CONTENT_LENGTH=MAX_REQUEST_BYTES,
        TEMPLATES_AUTO_RELOAD=False,
    )
    app.session_interface = PageSessions()
    app.jinja_options = {"autoescape": True, "trim_blocks": True, "lstrip_blocks": True}
    app.jinja_loader = loader
    # A plugin's labels are its own words: translated from its catalog (its blueprint's package).
    nav = sorted(
        [
            *((item, i18n.CORE_DOMAIN) for item in CORE_NAV),
            *((item, _domain(route)) for route in routes.values() for item in route.nav),
        ],
        key=lambda pair: (pair[0].order, pair[0].label),
    )
    task_endpoints = {k: v for r in routes.values() for k, v in r.task_endpoints.items()}
    task_labels = {k: v for r in routes.values() for k, v in r.task_labels.items()}
    task_domains = {
        k: _domain(r) for r in routes.values() for k in (*r.task_endpoints, *r.task_labels)
    }
    request_limits = {
        r.blueprint.name: r.max_request_bytes for r in routes.values() if r.max_request_bytes
    }
    app.extensions["corehub"] = {
        "task_endpoints": task_endpoints,
        "task_labels": task_labels,
        "task_domains": task_domains,
        "routes": routes,
    }

    # _(), ngettext(), {% trans %} and the date/number/percent/localized filters read the
    # translator activated for the request (a context variable: each waitress thread has its own).
    i18n.install(app.jinja_env)
    app.jinja_env.globals.update(
        csrf_field=csrf.field,
        organization=organization,
        cycle_status=cycle_status,
        links_by_email=bool(web.base_url),
        # a page without problems: the base template and the field macros write nothing
        form_errors=FormErrors(),
    )
    app.extensions["corehub"].update(
        web=web,
        hub_factory=hub_factory,
        throttle_secret=throttle_secret,
        nav=nav,
        request_limits=request_limits,
    )

    app.before_request(open_hub)
    app.teardown_request(close_hub)
    app.after_request(security_headers)
    app.context_processor(navigation)
    app.register_error_handler(CorehubError, corehub_error)
    app.register_error_handler(404, not_found)
    app.register_error_handler(405, not_allowed)
    app.register_error_handler(413, too_large)
    app.register_error_handler(500, server_error)
    app.register_blueprint(bp)
    for route in routes.values():
        app.register_blueprint(route.blueprint, url_prefix=route.url_prefix or None)
    return app


class TrustedProxies:
    """WSGI middleware: a request from one of ``trusted`` (the reverse proxy's addresses)
    gets its client address and scheme from the X-Forwarded-For/-Proto headers the proxy
    set; anyone else's headers are ignored, so a client reaching corehub directly cannot
    pretend to be someone else."""

    def __init__(self, app: Any, trusted: list[str]):
        from werkzeug.middleware.proxy_fix import ProxyFix

        self.app = app
        self.fixed = ProxyFix(app, x_for=1, x_proto=1)
        self.trusted = set(trusted)

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        if environ.get("REMOTE_ADDR") in self.trusted:
            return self.fixed(environ, start_response)
        return self.app(environ, start_response)


def _origin_of(url: str) -> str | None:
    """``scheme://host[:port]`` of ``url`` (lower case, default ports dropped), or None."""
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    default = {"http": 80, "https": 443}[parts.scheme]
    host = parts.hostname if ":" not in parts.hostname else f"[{parts.hostname}]"
    suffix = f":{port}" if port is not None and port != default else ""
    return f"{parts.scheme}://{host}{suffix}".lower()


def same_origin(base_url: str = "") -> bool:
    """Whether a state-changing request came from corehub's own pages.

    The browser's ``Origin`` header (else, when there is none, the ``Referer``) must be
    the origin the request was sent to, or that of ``[web] base_url``. A request with
    neither header is let through to the CSRF token check: browsers send ``Origin`` with
    every cross-site POST, so only a client that is not a browser (which cannot hold a
    signed-in person's cookie and token) sends neither.
    """
    claimed = request.headers.get("Origin")
    if claimed is None:
        referer = request.headers.get("Referer")
        if referer is None:
            return True
        claimed = referer
    origin = _origin_of(claimed)
    if origin is None:
        return False  # "null" (a sandboxed frame, a file) or something that is no origin
    own = {_origin_of(request.host_url)}
    if base_url:
        own.add(_origin_of(base_url))
    return origin in own


def _client_key(kind: str, value: str | None = None) -> str:
    """What a throttled attempt counts against: ``value`` (an email address), else the
    client's address, as a keyed hash."""
    secret = flask.current_app.extensions["corehub"]["throttle_secret"]
    who = value if value is not None else throttle.client_of(request.remote_addr)
    return throttle.key_hash(secret, f"{kind}:{who}")


def _too_many(seconds: int) -> Any:
    minutes = max(1, -(-seconds // 60))
    message = ngettext(
        "Too many attempts from here. Wait %(num)s minute and try again.",
        "Too many attempts from here. Wait %(num)s minutes and try again.",
        minutes,
    )
    page = render_template("corehub/web/sign_in.html", form_errors=FormErrors().add(None, message))
    return page, 429, {"Retry-After": str(seconds)}


def _mail_link_later(address: str, language: str) -> Callable[[], None]:
    """What runs once the page has been sent: the answer takes the same time whether or not
    the address belongs to anyone, and a slow mail server never holds the page up."""
    app = flask.current_app
    factory: HubFactory = app.extensions["corehub"]["hub_factory"]
    web = app.extensions["corehub"]["web"]

    def send() -> None:
        hub = factory()
        try:
            _mail_link(hub, address, web, language)
        finally:
            hub.close()

    return send


def _mail_link(hub: Hub, address: str, web: Any, language: str | None = None) -> None:
    """Mail a new link to the active person with ``address``, if there is one. Failures are
    logged, never shown: the page says the same whatever happened."""
    wanted = fold_id(address)  # compared as imports and the uniqueness of addresses do
    matches = [
        p
        for p in hub.people.named_by([address])  # by key: never everyone in the organization
        if p.active and p.email and fold_id(p.email) == wanted
    ]
    if len(matches) != 1:
        log.info("sign-in link asked for an address with %d active match(es)", len(matches))
        return
    try:
        [invitation] = tokens.invite(hub, matches, base_url=web.base_url, days=web.link_days)
        where = hub.hook.send_notification(
            hub=hub,
            notification=tokens.invitation_message(hub, invitation, fallback_locale=language),
        )
        log.info("sign-in link mailed to %s (%s)", matches[0].id, where)
    except Exception:
        log.exception("could not mail a sign-in link to %s", matches[0].id)


def request_locale(person: Person | None) -> str | None:
    """The language of this request's pages: the signed-in person's ``locale`` when corehub
    speaks it, else the first language of the browser's Accept-Language that it speaks, else
    None (the organization's language, which :func:`corehub.i18n.translator` falls
    back to). A person's own choice wins over the browser they happen to use."""
    if person is not None and _spoken(person.locale):
        return person.locale
    for value, quality in request.accept_languages:
        if quality > 0 and _spoken(value):
            return value
    return person.locale if person is not None else None


def _spoken(locale: str | None) -> bool:
    code = i18n.normalize(locale)
    return code is not None and code.split("_")[0] in i18n.LANGUAGES


def cycle_status(status: str) -> str:
    """A cycle's status word in the request's language."""
    from corehub.i18n import active

    t = active()
    words = {
        "draft": t.pgettext("cycle status", "draft"),
        "open": t.pgettext("cycle status", "open"),
        "closed": t.pgettext("cycle status", "closed"),
    }
    return words.get(str(status), str(status))


def render_error(status: int, message: str) -> Any:
    return render_template("corehub/web/error.html", status=status, message=message), status


from corehub.models import NavItem  # noqa: E402


def _domain(route: Route) -> str:
    """The gettext domain of a plugin's pages: the package its blueprint was made in."""
    return str(getattr(route.blueprint, "import_name", "")).partition(".")[0] or i18n.CORE_DOMAIN


CORE_NAV = (
    NavItem(label=N_("My tasks"), endpoint="corehub.tasks", roles=("employee",), order=0),
    NavItem(label=N_("My team"), endpoint="corehub.team", roles=("manager",), order=10),
    NavItem(label=N_("HR overview"), endpoint="corehub.hr", roles=("hr",), order=20),
)


def open_cycles(hub: Hub) -> list[Cycle]:
    return hub.cycles.list(status=CycleStatus.OPEN)


def managed_people(hub: Hub, manager_id: str) -> list[Person]:
    """Everyone below ``manager_id`` in the org chart (direct and further down)."""
    return sorted(hub.people.reports(manager_id, all_levels=True), key=lambda p: (p.team, p.name))


# -- what every request goes through (registered on the app by create_app) -----------


def _settings() -> dict[str, Any]:
    """What :func:`create_app` keeps for the app's requests (``app.extensions["corehub"]``)."""
    kept: dict[str, Any] = flask.current_app.extensions["corehub"]
    return kept


SUBRESOURCES = frozenset({"image", "font", "style", "script", "audio", "video", "track"})
"""What a browser names in ``Sec-Fetch-Dest`` for what a page loads, not a page itself."""


class PageSessions(SecureCookieSessionInterface):
    """Only a page writes the session cookie; what the page loads (an icon, a picture, a
    font, a stylesheet) never does.

    Such a request may be answered with a page (the "not found" page for /favicon.ico or
    a picture that is gone), which takes the message after a save out of the session: its
    cookie would arrive beside the one of the page the message is meant for, and the
    message would be lost. Browsers name what they load in ``Sec-Fetch-Dest``; a request
    without it (an older browser, a script) is treated as a page, as before.
    """

    def save_session(self, app: Flask, session: Any, response: Any) -> None:
        if request.headers.get("Sec-Fetch-Dest", "document").lower() in SUBRESOURCES:
            return
        super().save_session(app, session, response)


def open_hub() -> Any:
    """Before each request: the request's Hub, the signed-in person and their roles, the
    page language, a plugin's larger request limit, then the origin and CSRF checks."""
    settings = _settings()
    hub = settings["hub_factory"]()
    g.hub = hub
    g.person = sessions.person_for(hub, session.get(auth.SESSION_KEY))
    if g.person is None and (auth.SESSION_KEY in session or "person" in session):
        session.clear()  # an ended session, or a cookie from before server-side sessions
    g.roles = auth.roles_of(hub, g.person) if g.person else set()
    if g.person is not None:
        hub.actor = g.person.id
    g.translator = i18n.translator(hub, request_locale(g.person))
    g.i18n_token = i18n.enter(g.translator)
    limit = settings["request_limits"].get(request.blueprint or "")
    if limit is not None and g.person is not None:
        # A plugin's pages that take files: their own limit, set before the form is read.
        request.max_content_length = max(MAX_REQUEST_BYTES, int(limit(hub)) + FORM_SLACK)
    if request.method in STATE_CHANGING and not same_origin(settings["web"].base_url):
        return render_error(
            403,
            gettext(
                "This form was sent from another site, so corehub did not take it. Open "
                "corehub itself, reload the page and send it again."
            ),
        )
    if request.method == "POST" and not csrf.check():
        return render_error(
            400,
            gettext(
                "This form has expired or did not come from corehub. Go back, reload the "
                "page and send it again."
            ),
        )
    return None


def close_hub(_exc: BaseException | None) -> None:
    """After each request, whatever happened: leave the page language, close the Hub."""
    token = g.pop("i18n_token", None)
    if token is not None:
        i18n.leave(token)
    hub = g.pop("hub", None)
    if hub is not None:
        hub.close(failed=_exc is not None)


def security_headers(response: flask.Response) -> flask.Response:
    """The headers every answer carries (see docs/web.md, Security)."""
    response.headers["Content-Security-Policy"] = CSP
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["X-Content-Type-Options"] = "nosniff"
    # same-origin, not no-referrer: under no-referrer a browser sends "Origin: null"
    # with corehub's own forms, and the origin check could not tell them from a
    # forged one. Other sites still learn nothing of corehub's addresses.
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
    response.headers["Permissions-Policy"] = PERMISSIONS_POLICY
    if flask.current_app.config["SESSION_COOKIE_SECURE"] or request.is_secure:
        response.headers["Strict-Transport-Security"] = HSTS
    if request.endpoint != "static":
        response.headers["Cache-Control"] = "no-store"
        response.vary.add("Accept-Language")
        translator = g.get("translator")
        if translator is not None:
            response.headers["Content-Language"] = translator.language
    return response


def navigation() -> dict[str, Any]:
    """What every template sees: the signed-in person, their roles, the links they get."""
    roles = g.get("roles", set())
    return {
        "person": g.get("person"),
        "roles": roles,
        "nav": [
            {
                "label": i18n.active().gettext(item.label, domain=domain),
                "endpoint": item.endpoint,
            }
            for item, domain in _settings()["nav"]
            if set(item.roles) & roles
        ],
    }


def corehub_error(exc: CorehubError) -> Any:
    """A library error as an error page: refused 403, not found 404, frozen 409, else 400."""
    status = 400
    if isinstance(exc, PermissionDeniedError):
        status = 403
    elif isinstance(exc, NotFoundError):
        status = 404
    elif isinstance(exc, FrozenError):
        status = 409
    return render_error(status, error_text(exc))


def not_found(_exc: Any) -> Any:
    return render_error(404, gettext("There is no such page."))


def not_allowed(_exc: Any) -> Any:
    return render_error(405, gettext("This page does not take that kind of request."))


def too_large(_exc: Any) -> Any:
    return render_error(413, gettext("What you sent is too large."))


def server_error(_exc: Any) -> Any:
    return render_error(500, gettext("Something went wrong on our side; nothing was saved."))


# -- the core's pages -------------------------------------------------------------

bp = flask.Blueprint("corehub", __name__)
"""Sign-in, My tasks, My team, HR overview and the PDFs; views read the request's Hub and
person with :func:`corehub.web.current_hub` and :func:`corehub.web.current_person`."""


@bp.get("/")
def home() -> Any:
    if g.get("person") is None:
        return redirect(url_for("corehub.sign_in"))
    return redirect(url_for("corehub.tasks"))


@bp.get("/fonts/<name>")
def fonts(name: str) -> Any:
    if not name.endswith(".otf"):
        abort(404)
    return flask.send_from_directory(FONTS, name, max_age=86400)


@bp.get("/sign-in")
def sign_in() -> Any:
    return render_template("corehub/web/sign_in.html")


@bp.get("/sign-in/<token>")
def sign_in_link(token: str) -> Any:
    # The link only shows a button: mail scanners that follow links use nothing up.
    return render_template("corehub/web/sign_in_confirm.html", token=token)


@bp.post("/sign-in")
def sign_in_post() -> Any:
    hub = current_hub()
    token = request.form.get("token", "")
    try:
        with write(hub):
            person_id = tokens.redeem(hub, token)
            sid = sessions.start(hub, person_id, replacing=session.get(auth.SESSION_KEY))
    except PermissionDeniedError as exc:
        # A good link always works (it cannot be guessed); wrong ones are counted, and
        # past the limit the answer is 429 until the window has room again.
        wait = throttle.take(hub, "sign_in", _client_key("sign_in"))
        if wait is not None:
            return _too_many(wait)
        problems = FormErrors().add_error(exc)
        return render_template("corehub/web/sign_in.html", form_errors=problems), 403
    session.clear()
    session[auth.SESSION_KEY] = sid
    session.permanent = True
    csrf.token()
    log.info("signed in: %s", person_id)
    return redirect(url_for("corehub.tasks"))


@bp.post("/sign-in/email")
def sign_in_email() -> Any:
    """A new sign-in link mailed to whoever owns the address; the answer is the same,
    and as quick, whether or not it belongs to anyone, so the form tells nobody who
    works here."""
    hub = current_hub()
    web = _settings()["web"]
    if not web.base_url:
        abort(404)
    address = request.form.get("email", "").strip()
    if not address or "@" not in address or len(address) > 254:
        problems = FormErrors().add(
            "email", gettext("Enter the email address your organization has for you.")
        )
        return render_template("corehub/web/sign_in.html", form_errors=problems), 400
    wait = throttle.take(hub, "link_client", _client_key("link_client"))
    if wait is not None:
        return _too_many(wait)
    page = flask.make_response(render_template("corehub/web/sign_in.html", link_sent_to=address))
    allowed = all(
        throttle.take(hub, kind, _client_key("link_email", address)) is None
        for kind in ("link_email", "link_email_day")
    )
    if allowed:
        page.call_on_close(_mail_link_later(address, g.translator.locale))
    return page


@bp.post("/sign-out")
def sign_out() -> Any:
    sessions.end(current_hub(), session.get(auth.SESSION_KEY))
    session.clear()
    return render_template("corehub/web/sign_in.html", signed_out=True)


@bp.get("/tasks")
@auth.signed_in
def tasks() -> Any:
    hub = current_hub()
    me = current_person()
    today = hub.clock.today()
    endpoints = _settings()["task_endpoints"]
    labels = _settings()["task_labels"]
    domains = _settings()["task_domains"]
    groups = []
    for cycle in open_cycles(hub):
        rows = []
        mine = hub.cycles.tasks(cycle, assignee_id=me.id, viewer=me.id)
        # the names of the people the tasks are about, and what each of those tasks waits
        # for (hub.cycles.is_available), read for all of them in two queries
        ids = sorted({t.subject_id for t in mine})
        marks = ", ".join("?" for _ in ids)
        names = dict(
            hub.db.execute(f"SELECT id, name FROM people WHERE id IN ({marks})", ids).fetchall()
        )
        blocking: dict[str, set[str]] = {}
        for kind, subject_id in hub.db.execute(
            f"SELECT kind, subject_id FROM tasks WHERE cycle_id = ? AND subject_id IN ({marks}) "
            "AND status = 'open' AND due >= ?",
            [cycle.id, *ids, today.isoformat()],
        ):
            blocking.setdefault(subject_id, set()).add(kind)
        for task in mine:
            if task.status is TaskStatus.CANCELLED:
                continue
            available = not set(task.after) & blocking.get(task.subject_id, set())
            endpoint = endpoints.get(task.kind)
            rows.append(
                {
                    "label": g.translator.label(
                        task.title or labels.get(task.kind) or task.label,
                        domain=domains.get(task.kind),
                    ),
                    "kind": task.kind,
                    "about": names.get(task.subject_id, "") if task.subject_id != me.id else "",
                    "due": task.due,
                    "done": task.status is TaskStatus.DONE,
                    "overdue": task.is_overdue(today),
                    "waiting": task.status is TaskStatus.OPEN and not available,
                    "url": url_for(endpoint, cycle_id=cycle.id, person_id=task.subject_id)
                    if endpoint
                    else None,
                }
            )
        rows.sort(key=lambda r: (r["done"], r["due"]))
        groups.append({"cycle": cycle, "tasks": rows})
    return render_template(
        "corehub/web/tasks.html", groups=groups, others=_extra_tasks(hub, me, today), today=today
    )


def _extra_tasks(hub: Hub, me: Person, today: dt.date) -> list[dict[str, Any]]:
    """What plugins list for ``me`` outside the cycles (extra_tasks), under their headings,
    open first, soonest due first."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for found in hub.hook.extra_tasks(hub=hub, person=me, today=today):
        for task in found or []:
            if not isinstance(task, ExtraTask):
                raise TypeError(f"extra_tasks must return ExtraTask records, not {task!r}")
            heading = g.translator.label(task.group, domain=task.domain)
            url = None
            if task.endpoint:
                try:
                    url = url_for(task.endpoint, **task.values)
                except BuildError:  # the page's plugin is not serving: listed, not linked
                    url = None
            groups.setdefault(heading, []).append(
                {
                    "label": g.translator.label(task.title, domain=task.domain),
                    "about": task.about.get(g.translator.fallbacks),  # a name, never looked up
                    "due": task.due,
                    "done": task.done,
                    "overdue": not task.done and task.due < today,
                    "waiting": False,
                    "url": url,
                }
            )
    return [
        {"title": heading, "tasks": sorted(rows, key=lambda r: (r["done"], r["due"]))}
        for heading, rows in groups.items()
    ]


def _team_rows(hub: Hub, me: Person, cycle: Cycle, today: dt.date) -> dict[str, Any]:
    """One page of the people ``me`` manages in ``cycle``, with their task counts: the
    people, the page and the task columns are read in SQL, the tasks of this page only."""
    from corehub.cycles import _to_task
    from corehub.web import MANAGED_SQL as BELOW
    from corehub.web import page_of, people_from

    args = {"me": me.id, "cycle": cycle.id}
    members = (
        BELOW + "SELECT people.* FROM people JOIN below ON below.id = people.id "
        "JOIN cycle_members AS m ON m.person_id = people.id AND m.cycle_id = :cycle"
    )
    total = hub.db.execute(f"SELECT count(*) FROM ({members})", args).fetchone()[0]
    page = page_of(total, arg=f"people-{cycle.id}")
    people = people_from(
        hub,
        members + " ORDER BY people.team, people.name, people.id LIMIT :limit OFFSET :offset",
        {**args, "limit": page.limit, "offset": page.offset},
    )
    kinds = [
        row["kind"]
        for row in hub.db.query(
            # CROSS JOIN: from the people below to their tasks (tasks_subject), not through
            # every task of the cycle
            BELOW + "SELECT kind FROM below CROSS JOIN tasks ON tasks.subject_id = below.id "
            "WHERE tasks.cycle_id = :cycle AND status != 'cancelled' "
            "AND coalesce(private, 0) = 0 "
            "GROUP BY kind ORDER BY min(due), min(tasks.id)",
            args,
        )
    ]
    ids = [p.id for p in people]
    tasks: dict[str, list[Task]] = {}
    if ids:
        marks = ", ".join("?" for _ in ids)
        for row in hub.db.query(
            f"SELECT * FROM tasks WHERE cycle_id = ? AND subject_id IN ({marks}) ORDER BY due, id",
            [cycle.id, *ids],
        ):
            tasks.setdefault(row["subject_id"], []).append(_to_task(row))
    rows = []
    for person in people:
        mine = tasks.get(person.id, [])
        by_kind: dict[str, dict[str, int]] = {}
        waiting = False  # my review of them cannot be filled in yet
        for task in mine:
            if task.status is TaskStatus.CANCELLED or task.private:
                continue
            if task.assignee_id == me.id and task.kind == "manager":
                # as hub.cycles.is_available, from the person's tasks already read
                waiting = task.status is TaskStatus.OPEN and any(
                    other.kind in task.after
                    and other.status is TaskStatus.OPEN
                    and other.due >= today
                    for other in mine
                )
            counts = by_kind.setdefault(task.kind, {"done": 0, "open": 0, "overdue": 0})
            if task.status is TaskStatus.DONE:
                counts["done"] += 1
            elif task.is_overdue(today):
                counts["overdue"] += 1
            else:
                counts["open"] += 1
        rows.append({"person": person, "tasks": by_kind, "waiting": waiting})
    # the summaries of the teams on this page that the reader is one of the own managers of
    teams = sorted(t for t in {p.team for p in people if p.team} if access.may_see_team(hub, me, t))
    return {"cycle": cycle, "rows": rows, "kinds": kinds, "teams": teams, "page": page}


@bp.get("/team")
@auth.require_role("manager")
def team() -> Any:
    hub = current_hub()
    me = current_person()
    today = hub.clock.today()
    cycles = [_team_rows(hub, me, cycle, today) for cycle in open_cycles(hub)]
    all_kinds = {kind for entry in cycles for kind in entry["kinds"]}
    endpoints = _settings()["task_endpoints"]
    labels = _settings()["task_labels"]
    domains = _settings()["task_domains"]
    kind_labels = {
        kind: g.translator.label(
            labels.get(kind) or kind.replace("_", " ").capitalize(),
            domain=domains.get(kind),
        )
        for kind in all_kinds
    }
    return render_template(
        "corehub/web/team.html",
        cycles=cycles,
        kind_labels=kind_labels,
        review_endpoint=endpoints.get("manager"),
    )


@bp.get("/hr")
@auth.require_role("hr")
def hr() -> Any:
    hub = current_hub()
    from corehub.web import page_of

    reports = []
    for cycle in hub.cycles.list():
        if cycle.is_closed:
            continue
        # the page's teams, paged in SQL; totals for the whole cycle, the teams' rows for
        # this page only, all counted in SQL
        # the page asked for and the number of teams in one statement; a page past the
        # end (rare) is read again as the last one there is
        arg = f"teams-{cycle.id}"
        asked = page_of(sys.maxsize, arg=arg)
        total, names = hub.cycles.report_teams(cycle.id, offset=asked.offset, limit=asked.limit)
        page = page_of(total, arg=arg)
        if page.offset != asked.offset:
            _, names = hub.cycles.report_teams(cycle.id, offset=page.offset, limit=page.limit)
        report = hub.cycles.report(cycle.id, teams=names)
        reports.append({"report": report, "teams": list(report.by_team.items()), "page": page})
    return render_template("corehub/web/hr.html", reports=reports)


@bp.get("/packet/<int:cycle_id>/<person_id>.pdf")
@auth.signed_in
def packet(cycle_id: int, person_id: str) -> Any:
    hub = current_hub()
    if not access.may_see_person(hub, current_person(), person_id):
        raise PermissionDeniedError(
            gettext("A review packet is for the person, their managers and HR only.")
        )
    from corehub.render.documents import renderer_for

    renderer = renderer_for(hub)
    report = renderer.packet_report(hub.cycles.get(cycle_id), person_id)
    return send_pdf(renderer, report, f"packet-{person_id}.pdf")


@bp.get("/summary/<int:cycle_id>/<team>.pdf")
@auth.require_role("manager", "hr")
def summary(cycle_id: int, team: str) -> Any:
    hub = current_hub()
    me = current_person()
    members = hub.people.list(team=team)
    if not members:
        raise NotFoundError(gettext("There is no team named %(team)s.", team=team))
    if not access.may_see_team(hub, me, team):
        raise PermissionDeniedError(
            gettext("A team summary is for the team's own managers and HR only.")
        )
    from corehub.render.documents import renderer_for

    renderer = renderer_for(hub)
    report = renderer.summary_report(hub.cycles.get(cycle_id), team)
    return send_pdf(renderer, report, f"summary-{team}.pdf")


def send_pdf(renderer: Any, report: Any, filename: str) -> Any:
    from corehub.render.documents import slug

    name = slug(filename.removesuffix(".pdf")) + ".pdf"
    with tempfile.TemporaryDirectory(prefix="corehub-web-") as folder:
        data = renderer.render(report, Path(folder) / name).read_bytes()
    response = flask.make_response(data)
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
