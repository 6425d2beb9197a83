"""A pytest plugin for testing corehub plugins (installed with corehub; nothing to enable).

Fixtures:

- ``clock``: a :class:`~corehub.clock.FixedClock` at 2026-03-02 09:00 UTC; move it with
  ``clock.set("2026-04-01")`` or ``clock.advance(days=3)``.
- ``workspace``: a fresh workspace folder (``corehub init``) under ``tmp_path``.
- ``hub``: a Hub on that workspace with corehub's built-in defaults only: installed
  plugins are *not* loaded, so a test sees exactly the plugins it registers.
- ``register_plugin``: ``register_plugin(module_or_object, name="...")`` adds a plugin to
  ``hub`` (applying its migrations) and always removes it when the test ends.
- ``cli``: ``cli("people", "list", "--json")`` runs a command against ``hub`` and returns
  a result with ``exit_code``, ``stdout``, ``stderr`` and ``json()``.
- ``make_people``: ``make_people(team="alpha", agents=3)`` stores a supervisor and agents
  reporting to them; ``make_people(rows=[{...}])`` stores exactly the rows given.
- ``installed_plugin``: ``installed_plugin("self_assessment")`` loads an installed plugin
  by its entry point name (group ``corehub``) into ``hub``, like ``register_plugin``.
- :func:`count_statements`: ``with count_statements(hub) as ran:`` records the SQL
  statements the block runs (``len(ran)``, ``ran.statements``) and the database's work
  (``ran.steps``, thousands of SQLite virtual-machine steps): a test can check that a
  cost does not grow with the rows stored, without a clock.
- :func:`render_sections`: the HTML of the packet sections plugins contribute to a report.
- :func:`form_error_problems`: what is wrong with how a page shows a form's errors (the
  summary, its links, ``aria-invalid`` and ``aria-describedby``); empty when nothing is.
- ``web_client``: ``web_client("alpha-01")`` is a Flask test client of the web app on
  ``hub``, signed in as that person (``web_client()``: signed out); its ``post`` sends the
  form's CSRF token.

Also exported: :func:`run_cli`, :class:`CliResult`, :class:`StatementCount`,
:class:`WebClient` and :class:`~corehub.clock.FixedClock`.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import attrs
import pytest

from corehub.clock import FixedClock
from corehub.errors import NotFoundError
from corehub.hub import Hub
from corehub.models import Level, Person, Report
from corehub.plugins import make_plugin_manager

DEFAULT_NOW = "2026-03-02T09:00:00+00:00"


@attrs.frozen
class CliResult:
    """What a command did: its exit code and what it printed."""

    exit_code: int
    stdout: str
    stderr: str
    exception: BaseException | None = None

    @property
    def output(self) -> str:
        return self.stdout + self.stderr

    def json(self) -> Any:
        return json.loads(self.stdout)


def run_cli(hub: Hub, *args: str, input: str | None = None) -> CliResult:
    """Run ``corehub ARGS`` against ``hub`` as the console script would, without a subprocess."""
    from click.testing import CliRunner

    from corehub.cli import build_cli, run

    runner = CliRunner()
    cli = build_cli(hub)
    holder: dict[str, int] = {}

    def invoke() -> None:
        actor = hub.actor
        try:
            holder["code"] = run(cli, list(args), hub, debug="--debug" in args, close=False)
        finally:
            hub.actor = actor  # --as applies to this command only

    import click

    wrapper = click.Command("corehub-test", callback=invoke)
    result = runner.invoke(wrapper, [], input=input, catch_exceptions=True)
    code = holder.get("code", result.exit_code)
    exception = (
        result.exception
        if result.exception and not isinstance(result.exception, SystemExit)
        else None
    )
    return CliResult(
        exit_code=code if exception is None else 1,
        stdout=result.stdout,
        stderr=result.stderr,
        exception=exception,
    )


__all__ = [
    "CliResult",
    "FixedClock",
    "StatementCount",
    "WebClient",
    "count_statements",
    "form_error_problems",
    "render_sections",
    "run_cli",
]


class StatementCount:
    """What the database did inside a :func:`count_statements` block."""

    def __init__(self, unit: int = 1000) -> None:
        self.unit = unit
        """:attr:`steps` counts the virtual machine's steps in units of this many."""
        self.statements: list[str] = []
        """Each SQL statement run, in order, with its values as SQLite reports them. A
        statement reported again right after itself is listed once: SQLite reports the
        statement that fired a row trigger again for each row the trigger runs for, and
        those repeats are the rows' work, not statements of their own."""
        self.steps = 0
        """The virtual machine's steps, in :attr:`unit` (thousands, unless asked): the work
        of every statement, reading rows included, as a number that does not depend on the
        machine or its load."""

    def _ran(self, statement: str) -> None:
        if not self.statements or self.statements[-1] != statement:
            self.statements.append(statement)

    def _step(self) -> int:
        self.steps += 1
        return 0  # 0: go on

    def __len__(self) -> int:
        return len(self.statements)

    def __iter__(self) -> Iterator[str]:
        return iter(self.statements)

    def __repr__(self) -> str:
        return (
            f"<StatementCount {len(self.statements)} statements, {self.steps} x {self.unit} steps>"
        )


@contextlib.contextmanager
def count_statements(hub: Hub, *, unit: int = 1000) -> Iterator[StatementCount]:
    """Record what ``hub``'s database runs inside the block (opening it first if needed)::

        with count_statements(hub) as ran:
            import_completions(hub, path)
        assert len(ran) < 20               # statements, not one per row
        assert ran.steps <= before + 20    # nor reading every stored row

    ``ran.statements`` lists the statements themselves (to ask SQLite for a query's plan,
    say). ``unit=1`` counts every step, for a query small enough to take only a few
    thousand. Counting ends with the block, even when it raises.
    """
    conn = hub.db.conn
    count = StatementCount(unit)
    conn.set_trace_callback(count._ran)
    conn.set_progress_handler(count._step, unit)
    try:
        yield count
    finally:
        conn.set_trace_callback(None)
        conn.set_progress_handler(None, unit)


@pytest.fixture
def clock() -> FixedClock:
    """A clock standing at 2026-03-02 09:00 UTC until the test moves it."""
    return FixedClock(DEFAULT_NOW)


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """A fresh workspace folder with corehub.toml, its folders and a migrated database."""
    from corehub.workspace import init_workspace

    folder = tmp_path / "workspace"
    init_workspace(folder, organization="Test help desk").close()
    return folder


@pytest.fixture
def hub(workspace: Path, clock: FixedClock, monkeypatch: pytest.MonkeyPatch) -> Iterator[Hub]:
    """A Hub on ``workspace`` with only corehub's built-in plugins loaded."""
    for var in (
        "COREHUB_LOAD_PLUGINS",
        "COREHUB_DISABLE_PLUGINS",
        "COREHUB_TRACE_PLUGINS",
        "COREHUB_ACTOR",
    ):
        monkeypatch.delenv(var, raising=False)
    pm = make_plugin_manager(load_entry_points=False, env={})
    the_hub = Hub(workspace, clock=clock, plugin_manager=pm, actor="test-admin")
    yield the_hub
    the_hub.close()


@pytest.fixture
def register_plugin(hub: Hub) -> Iterator[Callable[..., Any]]:
    """Register a plugin on ``hub`` for the rest of the test; it is always unregistered."""
    registered: list[str] = []

    def register(plugin: Any, name: str | None = None) -> Any:
        plugin_name = name or getattr(plugin, "__name__", None) or type(plugin).__name__
        hub.pm.register_named(plugin, plugin_name)
        registered.append(plugin_name)
        try:
            hub.pm.check_and_drop_invalid(strict=True)
        except Exception:
            hub.pm.unregister_named(plugin_name)
            registered.remove(plugin_name)
            raise
        hub.reload_settings()
        hub.migrate()
        return plugin

    yield register
    for plugin_name in reversed(registered):
        hub.pm.unregister_named(plugin_name)
    hub.reload_settings()


@pytest.fixture
def cli(hub: Hub) -> Callable[..., CliResult]:
    """``cli("cycle", "status", "2026 H1")`` runs a corehub command against ``hub``."""

    def invoke(*args: str, input: str | None = None) -> CliResult:
        return run_cli(hub, *args, input=input)

    return invoke


@pytest.fixture
def make_people(hub: Hub) -> Callable[..., list[Person]]:
    """Store people: a team with a supervisor and agents, or exactly the rows given."""

    def make(
        *,
        team: str = "alpha",
        agents: int = 3,
        manager_id: str | None = None,
        rows: Sequence[dict[str, Any]] | None = None,
    ) -> list[Person]:
        if rows is not None:
            people = [hub.converter.structure(dict(row), Person) for row in rows]
        else:
            lead = Person(
                id=f"{team}-lead",
                name=f"{team.title()} Lead",
                email=f"{team}-lead@example.org",
                role="Team lead",
                level=Level.SUPERVISORY,
                team=team,
                manager_id=manager_id,
            )
            people = [lead] + [
                Person(
                    id=f"{team}-{n:02d}",
                    name=f"{team.title()} Agent {n}",
                    email=f"{team}-{n:02d}@example.org",
                    role="Service desk agent",
                    level=Level.OPERATIONAL,
                    team=team,
                    manager_id=lead.id,
                )
                for n in range(1, agents + 1)
            ]
        hub.people.save(people)
        return people

    return make


@pytest.fixture
def installed_plugin(register_plugin: Callable[..., Any]) -> Callable[[str], Any]:
    """``installed_plugin("feedback")``: load the installed plugin registered under that entry
    point name (group ``corehub``) into ``hub`` for the rest of the test, with its migrations
    applied; it is always unregistered. The plugin must be installed (``pip install -e .``)."""
    from importlib import metadata

    from corehub.plugins import ENTRY_POINT_GROUP, normalize_name

    def load(name: str) -> Any:
        wanted = normalize_name(name)
        found = [
            ep
            for ep in metadata.entry_points(group=ENTRY_POINT_GROUP)
            if normalize_name(ep.name) == wanted
        ]
        if not found:
            installed = sorted(ep.name for ep in metadata.entry_points(group=ENTRY_POINT_GROUP))
            raise NotFoundError(
                f"no installed corehub plugin {name!r} (installed: {', '.join(installed) or 'none'})"
            )
        return register_plugin(found[0].load(), name=found[0].name)

    return load


class WebClient:
    """A Flask test client of the web app: signs in by a personal link, and sends the CSRF
    token with every ``post``. ``client`` is the underlying :class:`flask.testing.FlaskClient`."""

    def __init__(self, app: Any, hub: Hub):
        self.client = app.test_client()
        self.hub = hub

    def sign_in(self, person_id: str) -> WebClient:
        """Sign in as ``person_id`` (an active person with an email address)."""
        from corehub.web import tokens

        [invitation] = tokens.invite(
            self.hub, [self.hub.people.get(person_id)], base_url="http://localhost"
        )
        token = invitation.url.rsplit("/", 1)[1]
        answer = self.post("/sign-in", {"token": token})
        if answer.status_code != 302:
            raise AssertionError(f"signing in as {person_id!r} failed: {answer.status_code}")
        return self

    def csrf(self) -> str:
        with self.client.session_transaction() as session:
            if "csrf_token" not in session:
                session["csrf_token"] = "t" * 43
            return str(session["csrf_token"])

    def get(self, path: str, **kwargs: Any) -> Any:
        return self.client.get(path, **kwargs)

    def post(self, path: str, data: dict[str, Any] | None = None, **kwargs: Any) -> Any:
        return self.client.post(path, data={**(data or {}), "csrf_token": self.csrf()}, **kwargs)


@pytest.fixture
def web_client(hub: Hub) -> Callable[..., WebClient]:
    """``web_client("alpha-01")``: the web app on ``hub`` (and the plugins registered on it),
    signed in as that person; ``web_client()`` is signed out. Each call is a new browser."""
    from corehub.web.app import create_app

    def factory() -> Hub:
        return Hub(hub.workspace, config=hub.config, clock=hub.clock, plugin_manager=hub.pm)

    apps: list[Any] = []

    def make(person_id: str | None = None) -> WebClient:
        if not apps:
            app = create_app(factory)
            app.testing = True
            apps.append(app)
        client = WebClient(apps[0], hub)
        return client.sign_in(person_id) if person_id else client

    return make


def render_sections(hub: Hub, report: Report, *, plugin: str | None = None) -> dict[str, str]:
    """Render the packet sections contributed to ``report`` (only ``plugin``'s when given,
    by its registered name) and return each section's HTML by section id: what a test reads
    to check a section's text and escaping without making a PDF. The sections are gathered
    and drawn in ``report.locale``'s language, as a rendered packet is."""
    from corehub import i18n
    from corehub.render.environment import build_environment
    from corehub.render.sections import gather_sections, render_section

    env = build_environment(hub)
    with i18n.activate(i18n.translator(hub, report.locale)):
        chosen = [d for d in gather_sections(hub, report) if plugin is None or d.plugin == plugin]
        data = hub.unstructure(report)
        return {d.section.id: str(render_section(hub, env, d, data)) for d in chosen}


def form_error_problems(page: str) -> list[str]:
    """What is wrong with the way ``page`` (the HTML of a form shown again with its errors)
    tells people about them; an empty list when nothing is. Checked:

    - one summary (``#error-summary``) that takes the focus (``tabindex="-1"`` and
      ``autofocus``), listing at least one problem, and no other ``role="alert"``;
    - each of its links leads to an element of the page: a field (``input``, ``select``,
      ``textarea``) that says ``aria-invalid="true"`` and is described (itself, or its
      ``fieldset`` or radio group) by a message shown on the page; or a ``form``, whose own
      message (``<id>-error``) is shown;
    - every message beside a field (``class="field-error"``) names a field that points to it.

    ::

        answer = web_client("alpha-01").post("/checkins/new", {"note": ""})
        assert answer.status_code == 400
        assert form_error_problems(answer.text) == []
    """
    from html.parser import HTMLParser

    class Page(HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.elements: dict[str, dict[str, Any]] = {}
            self.stack: list[dict[str, Any]] = []
            self.all: list[dict[str, Any]] = []
            self.summary_links: list[str] = []
            self.summaries: list[dict[str, Any]] = []
            self.alerts = 0
            self.texts: dict[str, list[str]] = {}

        def handle_starttag(self, tag: str, attrs_: list[tuple[str, str | None]]) -> None:
            found = {k: v or "" for k, v in attrs_}
            element = {"tag": tag, "attrs": found, "parents": list(self.stack)}
            self.all.append(element)
            if "id" in found:
                self.elements.setdefault(found["id"], element)
            if found.get("role") == "alert":
                self.alerts += 1
            if found.get("id") == "error-summary":
                self.summaries.append(element)
            if tag == "a" and any(p["attrs"].get("id") == "error-summary" for p in self.stack):
                self.summary_links.append(found.get("href", ""))
            if tag not in {"input", "br", "img", "meta", "link", "hr"}:
                self.stack.append(element)

        def handle_endtag(self, tag: str) -> None:
            for i in range(len(self.stack) - 1, -1, -1):
                if self.stack[i]["tag"] == tag:
                    del self.stack[i:]
                    break

        def handle_data(self, data: str) -> None:
            for element in self.stack:
                ident = element["attrs"].get("id")
                if ident:
                    self.texts.setdefault(ident, []).append(data)

    parsed = Page()
    parsed.feed(page)
    problems: list[str] = []

    def shown(ident: str) -> bool:
        return ident in parsed.elements and bool("".join(parsed.texts.get(ident, [])).strip())

    if len(parsed.summaries) != 1:
        problems.append(f"{len(parsed.summaries)} error summaries (#error-summary), not 1")
    else:
        box = parsed.summaries[0]["attrs"]
        if box.get("tabindex") != "-1" or "autofocus" not in box:
            problems.append("the error summary does not take the focus (tabindex=-1 autofocus)")
    if parsed.alerts > 0:
        problems.append(f'{parsed.alerts} role="alert" regions besides the summary')
    if parsed.summaries and not parsed.summary_links and not shown("error-summary"):
        problems.append("the error summary lists nothing")
    for href in parsed.summary_links:
        target = href.removeprefix("#")
        element = parsed.elements.get(target)
        if not href.startswith("#") or element is None:
            problems.append(f"the summary links to {href}, which is not on the page")
            continue
        if element["tag"] == "form":
            if not shown(f"{target}-error"):
                problems.append(f"form #{target} does not show its message (#{target}-error)")
            continue
        if element["tag"] not in {"input", "select", "textarea"}:
            problems.append(f"the summary links to a <{element['tag']}> (#{target}), not a field")
            continue
        if element["attrs"].get("aria-invalid") != "true":
            problems.append(f'#{target} does not say aria-invalid="true"')
        described = [
            ident
            for holder in [element, *element["parents"]]
            if holder is element
            or holder["tag"] == "fieldset"
            or holder["attrs"].get("role") == "radiogroup"
            for ident in holder["attrs"].get("aria-describedby", "").split()
        ]
        if not any(shown(ident) for ident in described):
            problems.append(f"#{target} is not described by a message shown on the page")
    described_anywhere = {
        ident
        for element in parsed.all
        for ident in element["attrs"].get("aria-describedby", "").split()
    }
    forms = {i for i, e in parsed.elements.items() if e["tag"] == "form"}
    for ident, element in parsed.elements.items():
        classes = element["attrs"].get("class", "").split()
        of_a_form = ident.removesuffix("-error") in forms  # a form's own message
        if "field-error" in classes and ident not in described_anywhere and not of_a_form:
            problems.append(f"the message #{ident} describes no field")
    for element in parsed.all:
        classes = element["attrs"].get("class", "").split()
        if "field-error" in classes and "id" not in element["attrs"]:
            problems.append("a message beside a field has no id, so no field can name it")
    return problems
