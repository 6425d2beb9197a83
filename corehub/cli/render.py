"""``corehub render``: review packets, team summaries and binders as PDF."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

import click

from corehub.hub import Hub

VARIANT = click.Choice(["pdf/a-3b"], case_sensitive=False)


def default_folder(hub: Hub, cycle_name: str) -> Path:
    """``output/<cycle>`` in the workspace."""
    from corehub.render.documents import slug

    return hub.path("output") / slug(cycle_name)


def register(cli: click.Group) -> None:
    @cli.group()
    def render() -> None:
        """Render review packets, team summaries and calibration sheets to PDF."""

    @render.command()
    @click.option("--cycle", "cycle_name", required=True, metavar="CYCLE", help="Cycle name or id.")
    @click.option("--person", required=True, metavar="ID", help="Whose packet.")
    @click.option(
        "-o",
        "--output",
        type=click.Path(dir_okay=False, path_type=Path),
        help="PDF to write (default: output/<cycle>/<name>_<id>.pdf).",
    )
    @click.option(
        "--pdf-variant",
        "variant",
        type=VARIANT,
        help="pdf/a-3b: archival PDF with the packet's data attached as JSON.",
    )
    @click.option(
        "--locale",
        metavar="LANG",
        help="Language of the packet (en, es, da, sv); default: the person's, else the organization's.",
    )
    @click.pass_obj
    def packet(
        hub: Hub,
        cycle_name: str,
        person: str,
        output: Path | None,
        variant: str | None,
        locale: str | None,
    ) -> None:
        """Render one person's review packet."""
        from corehub.outputs import check_output
        from corehub.render import renderer_for
        from corehub.render.batch import ensure_writable_folder, packet_filename

        started = time.perf_counter()
        renderer = renderer_for(hub)
        report = renderer.packet_report(cycle_name, person, locale=locale)
        assert report.person is not None
        target = output or default_folder(hub, report.cycle.name) / packet_filename(report.person)
        check_output(hub, target)
        ensure_writable_folder(target.parent, hub)
        written = renderer.render(report, target, variant=variant)
        click.echo(f"Wrote {written} in {time.perf_counter() - started:.1f} s")

    @render.command()
    @click.option("--cycle", "cycle_name", required=True, metavar="CYCLE", help="Cycle name or id.")
    @click.option("--team", metavar="TEAM", help="One team's summary (default: all teams).")
    @click.option(
        "-o",
        "--output",
        type=click.Path(dir_okay=False, path_type=Path),
        help="PDF to write (default: output/<cycle>/summary[-<team>].pdf).",
    )
    @click.option("--pdf-variant", "variant", type=VARIANT, help="pdf/a-3b: archival PDF.")
    @click.option(
        "--locale",
        metavar="LANG",
        help="Language of the summary; default: the team manager's, else the organization's.",
    )
    @click.pass_obj
    def summary(
        hub: Hub,
        cycle_name: str,
        team: str | None,
        output: Path | None,
        variant: str | None,
        locale: str | None,
    ) -> None:
        """Render a manager's team summary."""
        from corehub.outputs import check_output
        from corehub.render import renderer_for
        from corehub.render.batch import ensure_writable_folder, summary_filename

        started = time.perf_counter()
        renderer = renderer_for(hub)
        report = renderer.summary_report(cycle_name, team, locale=locale)
        target = output or default_folder(hub, report.cycle.name) / summary_filename(team)
        check_output(hub, target)
        ensure_writable_folder(target.parent, hub)
        written = renderer.render(report, target, variant=variant)
        click.echo(f"Wrote {written} in {time.perf_counter() - started:.1f} s")

    @render.command()
    @click.option("--cycle", "cycle_name", required=True, metavar="CYCLE", help="Cycle name or id.")
    @click.option(
        "--scope",
        default="all",
        show_default=True,
        metavar="SCOPE",
        help="The calibration scope: all, team:T or level:L.",
    )
    @click.option(
        "-o",
        "--output",
        type=click.Path(dir_okay=False, path_type=Path),
        help="PDF to write (default: output/<cycle>/calibration-<scope>.pdf).",
    )
    @click.option("--pdf-variant", "variant", type=VARIANT, help="pdf/a-3b: archival PDF.")
    @click.option(
        "--locale",
        metavar="LANG",
        help="Language of the sheet; default: yours (--as), else the organization's.",
    )
    @click.pass_obj
    def calibration(
        hub: Hub,
        cycle_name: str,
        scope: str,
        output: Path | None,
        variant: str | None,
        locale: str | None,
    ) -> None:
        """Render the calibration sheet a facilitator prints for a session (HR, directors).

        Per rating level, how many overall ratings fell on it as given and after
        calibration; the managers side by side; every adjustment with its reason and who
        made it; the people in scope you may see, with room for notes.
        """
        from corehub.errors import CorehubError
        from corehub.outputs import check_output
        from corehub.render import renderer_for
        from corehub.render.batch import ensure_writable_folder
        from corehub.render.documents import slug

        started = time.perf_counter()
        renderer = renderer_for(hub)
        report = renderer.calibration_report(cycle_name, scope, locale=locale)
        gathered = renderer.gather(report)
        if not any(s.id != "calibration-header" for s in gathered.sections):
            raise CorehubError(
                "no installed plugin calibrates reviews, so there is no calibration sheet to "
                "render (see: corehub plugins)"
            )
        name = (
            "calibration.pdf"
            if report.scope == "all"
            else f"calibration-{slug(report.scope or '')}.pdf"
        )
        target = output or default_folder(hub, report.cycle.name) / name
        check_output(hub, target)
        ensure_writable_folder(target.parent, hub)
        written = renderer.write(renderer.render_html(gathered, variant=variant), target)
        click.echo(f"Wrote {written} in {time.perf_counter() - started:.1f} s")

    @render.command(name="cycle")
    @click.argument("cycle_name", metavar="CYCLE")
    @click.option(
        "--out",
        "folder",
        type=click.Path(file_okay=False, path_type=Path),
        help="Folder for the PDFs (default: output/<cycle>).",
    )
    @click.option("--team", metavar="TEAM", help="Only this team's packets and summary.")
    @click.option(
        "--jobs",
        "-j",
        type=click.IntRange(min=1),
        default=1,
        show_default=True,
        help="Worker processes.",
    )
    @click.option(
        "--recycle-after",
        type=click.IntRange(min=0),
        metavar="N",
        help="Replace each worker process with a fresh one after N documents "
        "(default 100; 0: never).",
    )
    @click.option(
        "--binder", is_flag=True, help="Also join the packets into one PDF, a bookmark per person."
    )
    @click.option("--force", is_flag=True, help="Render every PDF, even those that are up to date.")
    @click.option("--no-summaries", is_flag=True, help="Render the packets only.")
    @click.option("--pdf-variant", "variant", type=VARIANT, help="pdf/a-3b: archival PDFs.")
    @click.option(
        "--snapshot",
        type=click.Path(dir_okay=False, path_type=Path),
        metavar="FILE",
        help="Read this snapshot (corehub db snapshot), read-only, not the workspace database.",
    )
    @click.option(
        "--shard",
        metavar="I/N",
        help="Render only the I-th of N shares of the packets (needs --snapshot).",
    )
    @click.option(
        "--finish",
        is_flag=True,
        help="After every shard: render the summaries and join the binder from their packets.",
    )
    @click.pass_obj
    def cycle_command(
        hub: Hub,
        cycle_name: str,
        folder: Path | None,
        team: str | None,
        jobs: int,
        recycle_after: int | None,
        binder: bool,
        force: bool,
        no_summaries: bool,
        variant: str | None,
        snapshot: Path | None,
        shard: str | None,
        finish: bool,
    ) -> None:
        """Render every packet of CYCLE, the team summaries and (with --binder) a binder.

        Packets whose data, templates, stylesheets and plugins have not changed since they
        were last rendered are skipped; --force renders them all.

        \b
        On N machines, from one snapshot (see docs/rendering.md):
          corehub db snapshot cycle.db
          corehub render cycle CYCLE --snapshot cycle.db --shard I/N    (each machine)
          corehub render cycle CYCLE --snapshot cycle.db --finish --binder   (once, last)
        """
        from corehub import access
        from corehub.errors import CorehubError
        from corehub.render.batch import parse_shard, render_cycle

        share = parse_shard(shard) if shard is not None else None
        if share is not None:
            if finish:
                raise CorehubError("--shard and --finish go in separate runs: shards first")
            if binder:
                raise CorehubError(
                    "--binder joins every packet: add it to the --finish run, after the shards"
                )
            if snapshot is None:
                raise CorehubError(
                    "--shard needs --snapshot FILE: every shard must read the same copy of "
                    "the database (make one with 'corehub db snapshot FILE')"
                )
        if finish and no_summaries and not binder:
            raise CorehubError("--finish with --no-summaries and no --binder has nothing to do")
        if snapshot is not None:
            hub.use_snapshot(snapshot)
        cycle = hub.cycles.get(cycle_name)
        # Every packet and summary of the team (of everyone without --team): the team's
        # own managers see all its members, so one check covers both.
        access.require_see_team(hub, access.viewer(hub), team)
        folder = folder or default_folder(hub, cycle.name)
        bar: dict[str, Any] = {}

        def on_plan(total: int) -> None:
            if total > 1:
                bar["bar"] = click.progressbar(
                    length=total, label="Rendering", file=sys.stderr, show_pos=True, width=30
                )
                bar["bar"].__enter__()

        def progress(_outcome: Any) -> None:
            if "bar" in bar:
                bar["bar"].update(1)

        try:
            run = render_cycle(
                hub,
                cycle,
                folder,
                team=team,
                jobs=jobs,
                recycle_after=recycle_after,
                force=force,
                binder=binder,
                summaries=not no_summaries,
                variant=variant,
                progress=progress,
                on_plan=on_plan,
                shard=share,
                finish=finish,
            )
        finally:
            if "bar" in bar:
                bar["bar"].__exit__(None, None, None)
        if run.binder is not None:
            click.echo(f"Binder: {run.binder}")
        click.echo(run.summary_line())
