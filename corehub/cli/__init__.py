"""The ``corehub`` command line.

Commands print one clear line on stderr and exit non-zero on errors, with a traceback
only under ``--debug``. Listing and status commands take ``--json``. Plugins add
commands through the ``register_commands`` hook; inside a command, ``@pass_hub``
gives the Hub. Heavy libraries (WeasyPrint) are imported only by the commands that
need them, so ``corehub --help`` stays fast.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any

import click

from corehub.errors import CorehubError
from corehub.hub import Hub
from corehub.version import __version__

pass_hub = click.make_pass_decorator(Hub)
"""Decorator giving a command the Hub as its first argument."""

_PRESCAN = {
    "--workspace": "workspace",
    "-w": "workspace",
    "--plugins-dir": "plugins_dir",
    "--as": "actor",
}


def _prescan(args: Sequence[str]) -> dict[str, str]:
    """Read the global options that decide which plugins load, before click parses anything."""
    found: dict[str, str] = {}
    it = iter(args)
    for arg in it:
        if arg == "--":
            break
        name, eq, value = arg.partition("=")
        if name in _PRESCAN:
            if not eq:
                value = next(it, "")
            found[_PRESCAN[name]] = value
    return found


def _hub_for(args: Sequence[str]) -> Hub:
    from corehub.config import find_workspace

    pre = _prescan(args)
    return Hub(
        find_workspace(pre.get("workspace")),
        plugins_dir=pre.get("plugins_dir"),
        actor=pre.get("actor"),
    )


def build_cli(hub: Hub) -> click.Group:
    """The command-line group for ``hub``: core commands plus every plugin's."""
    from corehub.cli import (
        audit,
        cycles,
        db,
        demo,
        people,
        plugins,
        remind,
        render,
        scaffold,
        serve,
        workspace,
    )

    @click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
    @click.version_option(__version__, prog_name="corehub")
    @click.option(
        "-w",
        "--workspace",
        metavar="DIR",
        help="Workspace folder (default: $COREHUB_WORKSPACE, or the nearest folder with corehub.toml).",
    )
    @click.option(
        "--plugins-dir", metavar="DIR", help="Also load one-file plugins (*.py) from DIR."
    )
    @click.option(
        "--as", "actor", metavar="PERSON", help="Act as this person (recorded in the audit trail)."
    )
    @click.option("--debug", is_flag=True, help="Show tracebacks on errors.")
    @click.pass_context
    def cli(ctx: click.Context, actor: str | None, **_options: Any) -> None:
        """corehub: evaluation cycles, training and feedback for help desk teams.

        \b
        Start here:
          corehub init my-desk        create a workspace
          corehub people import FILE  bring in your people (CSV)
          corehub cycle create ...    plan a review cycle, then: corehub cycle open NAME
        """
        if actor:
            ctx.obj.actor = actor

    for module in (
        workspace,
        people,
        cycles,
        remind,
        audit,
        db,
        plugins,
        scaffold,
        demo,
        render,
        serve,
    ):
        module.register(cli)
    hub.hook.register_commands(cli=cli)
    return cli


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point of the ``corehub`` console script."""
    args = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args
    try:
        hub = _hub_for(args)
        cli = build_cli(hub)
        code = run(cli, args, hub, debug=debug)
    except CorehubError as exc:
        if debug:
            raise
        click.echo(f"Error: {exc}", err=True)
        code = exc.exit_code
    sys.exit(code)


def run(
    cli: click.Group, args: Sequence[str], hub: Hub, *, debug: bool = False, close: bool = True
) -> int:
    """Invoke ``cli`` with ``args``; turn corehub errors into one line on stderr and an exit code
    (with ``--json``: a JSON object on stderr, ``{"error": ..., "problems": [...]}``)."""
    as_json = "--json" in args
    try:
        with cli.make_context("corehub", list(args), obj=hub) as ctx:
            cli.invoke(ctx)
        return 0
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.ClickException as exc:
        if as_json:
            _json_error(exc.format_message(), [], exc.exit_code)
        else:
            exc.show()
        return exc.exit_code
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        return 1
    except CorehubError as exc:
        if debug:
            raise
        if as_json:
            problems = [str(p) for p in getattr(exc, "problems", [])]
            summary = str(getattr(exc, "summary", "")) if problems else str(exc)
            _json_error(summary or str(exc), problems, exc.exit_code)
        else:
            click.echo(f"Error: {exc}", err=True)
        return exc.exit_code
    except BrokenPipeError:
        return 0
    finally:
        if close:
            hub.close()


def _json_error(message: str, problems: list[str], exit_code: int) -> None:
    """An error as the JSON a program asked for with ``--json`` (on stderr: stdout only ever
    holds results)."""
    import json

    click.echo(
        json.dumps(
            {"error": message, "problems": problems, "exit_code": exit_code},
            indent=2,
            ensure_ascii=False,
        ),
        err=True,
    )
