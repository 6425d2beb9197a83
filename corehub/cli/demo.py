"""``corehub demo``: build a demo help desk and run a review cycle in it."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from corehub.cli.cycles import print_report
from corehub.hub import Hub


def register(cli: click.Group) -> None:
    @cli.command()
    @click.argument(
        "directory", default="demo-workspace", type=click.Path(file_okay=False, path_type=Path)
    )
    @click.option("--force", is_flag=True, help="Replace DIRECTORY if it is not empty.")
    @click.option(
        "--jobs",
        "-j",
        type=click.IntRange(min=1),
        default=1,
        show_default=True,
        help="Worker processes for rendering the PDFs.",
    )
    @click.option("--no-render", is_flag=True, help="Do not render the packets and summaries.")
    @click.pass_context
    def demo(ctx: click.Context, directory: Path, force: bool, jobs: int, no_render: bool) -> None:
        """Build a demo help desk in DIRECTORY and run a full review cycle.

        About 40 people in Madrid, København and Stockholm; every installed plugin adds
        its sample data; the cycle is closed at the end, and every packet and the team
        summaries are rendered to PDF.
        """
        from corehub.demo import build_demo, close_demo

        result = build_demo(directory, echo=click.echo, force=force)
        try:
            click.echo()
            print_report(result.report)
            closed = close_demo(result)
            click.echo()
            click.echo(f"Closed cycle {closed.name!r}.")
            try_rescore(ctx, result.hub, closed.name)
            if not no_render:
                render_pdfs(result, jobs)
            click.echo(f"Explore it: corehub --workspace {directory} cycle status {closed.name!r}")
            if result.refused:
                left_out = ", ".join(plugin for plugin, _ in result.refused)
                click.echo(f"Demo data left out (refused, see above): {left_out}")
        finally:
            result.hub.close()


def try_rescore(ctx: click.Context, hub: Hub, cycle_name: str) -> None:
    """Run ``corehub review rescore`` on the closed demo cycle, as an operator would, and
    print what it answers: a closed cycle's scores stay as they were given, so it is
    refused. Nothing is shown when no installed plugin offers the command."""
    root = ctx.find_root().command
    review = root.commands.get("review") if isinstance(root, click.Group) else None
    rescore = review.commands.get("rescore") if isinstance(review, click.Group) else None
    if rescore is None:
        return
    from corehub.errors import CorehubError

    click.echo(f"Trying: corehub review rescore --cycle {cycle_name!r}")
    with click.Context(rescore, info_name="rescore", obj=hub) as sub:
        try:
            sub.invoke(rescore, cycle_name=cycle_name, dry_run=False, as_json=False)
        except CorehubError as exc:
            click.echo(f"  refused: {exc}")


def render_pdfs(result: Any, jobs: int) -> None:
    """Render the demo's PDFs with a progress bar, then say where they are."""
    from corehub.demo import render_demo

    bars: list[Any] = []

    def on_plan(total: int) -> None:
        bars.append(click.progressbar(length=total, label="Rendering PDFs", file=sys.stderr))
        bars[0].__enter__()

    try:
        run = render_demo(
            result, jobs=jobs, on_plan=on_plan, progress=lambda _o: bars and bars[0].update(1)
        )
    finally:
        if bars:
            bars[0].__exit__(None, None, None)
    click.echo(run.summary_line())
    click.echo(f"Packets and summaries: {run.folder}")
    if run.binder is not None:
        click.echo(f"All packets in one PDF: {run.binder}")
