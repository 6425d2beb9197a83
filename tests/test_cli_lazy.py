"""``corehub.cli.lazy_commands``: a plugin's commands are listed by ``corehub --help``
without importing the module that defines them, and work as eagerly added ones do."""

from __future__ import annotations

import sys
import textwrap

import click
import pytest

from corehub import hookimpl
from corehub.cli import lazy_commands

COMMANDS = textwrap.dedent(
    '''
    import click

    from corehub.cli import pass_hub


    def register(cli):
        @cli.group()
        def acme():
            """Acme's own commands: career ladders and HR exports.

            Longer help that the listing does not show.
            """

        @acme.command()
        @pass_hub
        def ladder(hub):
            """Print the ladder."""
            click.echo(f"ladder of {hub.config.organization.name}")

        people = cli.commands["people"]

        @people.command("acme-sync")
        def sync():
            """Send people to Acme's HR system."""
            click.echo("synced")
    '''
)


@pytest.fixture
def acme_module(tmp_path, monkeypatch):
    """A command module on sys.path, not imported yet; forgotten after the test."""
    name = f"acme_commands_{tmp_path.name.replace('-', '_')}"
    (tmp_path / f"{name}.py").write_text(COMMANDS, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    yield name
    sys.modules.pop(name, None)


def acme_plugin(module: str, summary: str = "Acme's own commands: career ladders and HR exports."):
    class Acme:
        @hookimpl
        def register_commands(self, cli: click.Group) -> None:
            lazy_commands(cli, f"{module}:register", {"acme": summary}, extends=("people",))

    return Acme()


def test_help_lists_a_lazy_command_without_importing_its_module(register_plugin, cli, acme_module):
    register_plugin(acme_plugin(acme_module), name="acme")
    listed = cli("--help")
    assert listed.exit_code == 0, listed.stderr
    assert "\n  acme " in listed.stdout
    assert "Acme's own commands: career ladders and HR exports." in listed.stdout
    assert acme_module not in sys.modules
    assert "Longer help" not in listed.stdout


def test_a_lazy_command_runs_and_shows_its_own_help(register_plugin, cli, hub, acme_module):
    register_plugin(acme_plugin(acme_module), name="acme")
    ran = cli("acme", "ladder")
    assert ran.exit_code == 0, ran.stderr
    assert ran.stdout == f"ladder of {hub.config.organization.name}\n"
    assert acme_module in sys.modules
    helped = cli("acme", "--help")
    assert "Longer help that the listing does not show." in helped.stdout
    assert "ladder" in helped.stdout


def test_a_core_group_it_extends_has_its_subcommand(register_plugin, cli, acme_module):
    """``extends=("people",)``: using ``corehub people`` loads the module that adds to it."""
    register_plugin(acme_plugin(acme_module), name="acme")
    listed = cli("people", "--help")
    assert "acme-sync" in listed.stdout and "invite" in listed.stdout
    ran = cli("people", "acme-sync")
    assert ran.exit_code == 0, ran.stderr
    assert ran.stdout == "synced\n"


def test_a_named_command_its_module_does_not_add_is_one_sentence(register_plugin, cli, acme_module):
    class Ghost:
        @hookimpl
        def register_commands(self, cli: click.Group) -> None:
            lazy_commands(cli, f"{acme_module}:register", {"ghost": "Never added."})

    register_plugin(Ghost(), name="ghost")
    assert "\n  ghost " in cli("--help").stdout
    result = cli("ghost")
    assert result.exit_code != 0
    assert f"command 'ghost' is named by {acme_module}:register" in result.stderr
    assert "Traceback" not in result.output


def test_any_other_click_group_gets_the_commands_at_once(acme_module):
    group = click.Group("corehub")
    group.add_command(click.Group("people"))
    lazy_commands(group, f"{acme_module}:register", {"acme": "Acme's own commands."})
    assert acme_module in sys.modules
    assert "acme" in group.commands
    assert "acme-sync" in group.commands["people"].commands  # type: ignore[attr-defined]


def test_a_plugin_adding_to_a_core_group_the_old_way_still_works(register_plugin, cli):
    """Plugins written before lazy commands read ``cli.commands["cycle"]`` while they
    register: they get the core's group, loaded for them."""

    class Old:
        @hookimpl
        def register_commands(self, cli: click.Group) -> None:
            cycle = cli.commands["cycle"]
            assert isinstance(cycle, click.Group)

            @cycle.command("hello")
            def hello() -> None:
                """Say hello."""
                click.echo("hello")

            @cli.command("old-cmd")
            def old() -> None:
                """An old-style command."""
                click.echo("old")

    register_plugin(Old(), name="old")
    assert cli("cycle", "hello").stdout == "hello\n"
    assert cli("old-cmd").stdout == "old\n"
    listed = cli("--help").stdout
    assert "\n  old-cmd " in listed and "\n  cycle " in listed
