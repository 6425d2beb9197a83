"""``corehub demo``: build a demo help desk and run a review cycle in it."""

from __future__ import annotations

from pathlib import Path

import click

from corehub.cli.cycles import print_report
from corehub.hub import Hub


def register(cli: click.Group) -> None:
    @cli.command()
    @click.argument(
        "directory", default="demo-workspace", type=click.Path(file_okay=False, path_type=Path)
    )
    @click.option("--force", is_flag=True, help="Replace DIRECTORY if it is not empty.")
    @click.pass_obj
    def demo(hub: Hub, directory: Path, force: bool) -> None:
        """Build a demo help desk in DIRECTORY and run a full review cycle.

        About 40 people in Madrid, København and Stockholm; every installed plugin adds
        its sample data; the cycle is closed at the end.
        """
        from corehub.demo import build_demo, close_demo

        result = build_demo(directory, echo=click.echo, force=force)
        try:
            click.echo()
            print_report(result.report)
            closed = close_demo(result)
            click.echo()
            click.echo(f"Closed cycle {closed.name!r}.")
            click.echo(f"Explore it: corehub --workspace {directory} cycle status {closed.name!r}")
        finally:
            result.hub.close()
