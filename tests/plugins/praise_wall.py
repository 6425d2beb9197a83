"""A one-file plugin, as an organization drops it into a workspace's plugins/ folder."""

import click

from corehub import hookimpl
from corehub.cli import pass_hub


@hookimpl
def register_commands(cli):
    @cli.command(name="praise-wall")
    @pass_hub
    def praise_wall(hub):
        """Print the organization's name on the praise wall."""
        click.echo(f"Praise wall of {hub.config.organization.name}")
