"""``corehub plugin new``: start a plugin of your own."""

from __future__ import annotations

from pathlib import Path

import click

from corehub.hub import Hub


def register(cli: click.Group) -> None:
    @cli.group()
    def plugin() -> None:
        """Write plugins of your own."""

    @plugin.command()
    @click.argument("name")
    @click.option(
        "--dir",
        "parent",
        default=".",
        type=click.Path(file_okay=False, path_type=Path),
        help="Create the project in this folder (default: here).",
    )
    @click.pass_obj
    def new(hub: Hub, name: str, parent: Path) -> None:
        """Generate an installable plugin NAME (e.g. acme_forms) with a test suite.

        Creates corehub-NAME/ with pyproject.toml (the `corehub` entry point), the
        corehub_NAME package with an example hook and a template, tests using
        corehub's pytest fixtures, and a README.
        """
        from corehub.scaffold import create_plugin

        target = create_plugin(name, parent, hub)
        click.echo(f"Created {target}")
        click.echo(
            f"Next: pip install -e '{target}[test]' && pytest {target}   # then: corehub plugins"
        )
