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
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import attrs
import pytest

from corehub.clock import FixedClock
from corehub.hub import Hub
from corehub.models import Level, Person
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
        hub._settings.clear()
        hub.migrate()
        return plugin

    yield register
    for plugin_name in reversed(registered):
        hub.pm.unregister_named(plugin_name)
    hub._settings.clear()


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
