"""The ``corehub`` command line.

Commands print one clear line on stderr and exit non-zero on errors, with a traceback
only under ``--debug``. Listing and status commands take ``--json``. Plugins add
commands through the ``register_commands`` hook; inside a command, ``@pass_hub``
gives the Hub. Heavy libraries (WeasyPrint) are imported only by the commands that
need them, so ``corehub --help`` stays fast.

What a plugin's commands use from here: :data:`pass_hub`, and :func:`echo_table`,
:func:`echo_fields`, :func:`echo_json` to print. A command that writes wraps its writes in
``with hub.atomic():`` (one transaction: all of them land, or none), and raises a
:class:`corehub.errors.CorehubError` (or a subclass) for a fault: the command line prints
its one sentence and exits 1.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import click

from corehub.cli.lazy import CommandGroup, Lazy
from corehub.cli.output import echo_fields, echo_json, echo_table
from corehub.errors import CorehubError
from corehub.hub import Hub
from corehub.version import __version__

__all__ = ["echo_fields", "echo_json", "echo_table", "lazy_commands", "pass_hub"]

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
    from corehub.config_file import find_workspace

    pre = _prescan(args)
    return Hub(
        find_workspace(pre.get("workspace")),
        plugins_dir=pre.get("plugins_dir"),
        actor=pre.get("actor"),
        lazy_config=True,  # read when a command runs: see cli() below
    )


def resolve_actor(hub: Hub, actor: str) -> str:
    """The person ``--as PERSON`` names, checked once for every command, core or plugin.

    Every command then reads ``hub.actor``. A name that is no person of the workspace is
    refused before the command runs, so nothing is done (or recorded in the audit trail)
    in the name of a typo.
    """
    from corehub.errors import NotFoundError, ValidationError

    actor = actor.strip()
    if not actor:
        raise ValidationError("--as needs a person id, e.g. --as agt-mad-01")
    if not hub.initialized:
        return actor  # the command itself reports that there is no workspace
    if hub.people.find(actor) is not None:
        return actor
    import difflib

    from corehub.messages import M_

    known = [p.id for p in hub.people.list(include_inactive=True)]
    close = difflib.get_close_matches(actor, known, n=1)
    hint = f"did you mean {close[0]!r}?" if close else "see: corehub people list"
    raise NotFoundError(M_("--as %(id)r: no person with that id", id=actor, hint=hint))


CORE_COMMANDS: tuple[tuple[str, dict[str, str], tuple[str, ...]], ...] = (
    (
        "corehub.cli.workspace",
        {
            "init": "Create a workspace in DIRECTORY (default: the --workspace folder, else here).",
            "info": "Describe the workspace: organization, database, plugins, people and cycles.",
        },
        (),
    ),
    ("corehub.cli.people", {"people": "People: who is in the organization."}, ()),
    ("corehub.cli.cycles", {"cycle": "Evaluation cycles: create, open, status, close."}, ()),
    (
        "corehub.cli.remind",
        {"remind": "Remind people of what is due soon or overdue; escalate what is late."},
        (),
    ),
    (
        "corehub.cli.audit",
        {"audit": "Show who changed what, and when (oldest first). For HR and the operator only."},
        (),
    ),
    ("corehub.cli.db", {"db": "Look after the workspace database."}, ()),
    (
        "corehub.cli.plugins",
        {"plugins": "List loaded plugins: name, distribution, entry point, version, hooks."},
        (),
    ),
    ("corehub.cli.scaffold", {"plugin": "Write plugins of your own."}, ()),
    (
        "corehub.cli.demo",
        {"demo": "Build a demo help desk in DIRECTORY and run a full review cycle."},
        (),
    ),
    (
        "corehub.cli.render",
        {"render": "Render review packets, team summaries and calibration sheets to PDF."},
        (),
    ),
    (
        "corehub.cli.serve",
        {"serve": "Run the web app: sign-in links, tasks, reviews, feedback, team dashboards."},
        ("people",),  # corehub people invite
    ),
)
"""The core's command modules: (module, {command: first paragraph of its help}, groups it
adds subcommands to). Each module's ``register(cli)`` runs when one of its commands is
needed (see :mod:`corehub.cli.lazy`)."""


def lazy_commands(
    cli: click.Group,
    register: str | Callable[[click.Group], None],
    commands: Mapping[str, str],
    *,
    extends: Sequence[str] = (),
) -> None:
    """Add the commands ``register(cli)`` adds, importing it only when one of them is used.

    For a plugin's ``register_commands`` hook, so that ``corehub --help`` does not import
    the plugin's command module (nor what that imports)::

        @hookimpl
        def register_commands(cli):
            from corehub.cli import lazy_commands

            lazy_commands(
                cli,
                "corehub_acme_desk.commands:register",
                {"acme": "Acme's own commands: career ladders and HR exports."},
            )

    ``register`` is ``"package.module:function"`` (or the function); ``commands`` maps
    each top-level command it adds to the first paragraph of that command's help (what
    ``corehub --help`` shows); ``extends`` names corehub's groups it adds subcommands to
    (``("cycle",)`` for a ``corehub cycle ...`` command), so they are there when that group
    is used. Given any other click group (a test's ``click.Group()``), it registers the
    commands at once.
    """
    if isinstance(cli, CommandGroup):
        cli.add_lazy(register, commands, extends=extends)
        return
    Lazy(register, commands, extends).load(cli)


def build_cli(hub: Hub) -> click.Group:
    """The command-line group for ``hub``: core commands plus every plugin's."""

    @click.group(
        cls=CommandGroup,
        context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    )
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
    def cli(ctx: click.Context, /, actor: str | None, **_options: Any) -> None:
        """corehub: evaluation cycles, training and feedback for help desk teams.

        \b
        Start here:
          corehub init my-desk        create a workspace
          corehub people import FILE  bring in your people (CSV)
          corehub cycle create ...    plan a review cycle, then: corehub cycle open NAME
        """
        if ctx.invoked_subcommand is not None and not ctx.resilient_parsing:
            # Every command (and a command's --help) reads corehub.toml validated, so a
            # mistake in it is reported before anything runs; the listing above needs only
            # which plugins load.
            _ = ctx.obj.config
        if actor is not None and not ctx.resilient_parsing:
            ctx.obj.actor = resolve_actor(ctx.obj, actor)
            if ctx.obj.initialized and ctx.invoked_subcommand is not None:
                from corehub import access

                # --as names an active person: anything else would act as the operator.
                access.viewer(ctx.obj, ctx.obj.actor)

    for module, commands, extends in CORE_COMMANDS:
        lazy_commands(cli, f"{module}:register", commands, extends=extends)
    hub.hook.register_commands(cli=cli)
    return cli


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point of the ``corehub`` console script."""
    args = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args
    hub: Hub | None = None
    try:
        hub = _hub_for(args)
        cli = build_cli(hub)
        code = run(cli, args, hub, debug=debug)
    except (Exception, KeyboardInterrupt) as exc:
        if debug:
            raise
        code = report_fault(exc, hub)
    sys.exit(code)


INTERRUPTED = 130
"""Exit status after Ctrl-C (128 + SIGINT), as shells report it."""


def report_fault(exc: BaseException, hub: Hub | None) -> int:
    """Print ``exc`` as one line on stderr (what failed, naming the file or value, and what
    to do) and return the exit status. Every fault a command meets ends here, unless
    ``--debug`` asked for the traceback."""
    message = fault_message(exc, hub)
    if isinstance(exc, KeyboardInterrupt):
        click.echo(message, err=True)
        return INTERRUPTED
    if message is None:
        message = (
            f"unexpected {type(exc).__name__}: {exc}; this is a bug: run again with --debug "
            "and report the traceback"
        )
    click.echo(f"Error: {message}", err=True)
    return exc.exit_code if isinstance(exc, CorehubError) else 1


def fault_message(exc: BaseException, hub: Hub | None) -> str | None:
    """One sentence for a fault corehub knows (a CorehubError, a database, file or time-zone
    fault); None for anything else (a bug)."""
    if isinstance(exc, CorehubError):
        return str(exc)
    if isinstance(exc, KeyboardInterrupt):
        return "Interrupted: nothing was half-written."
    import sqlite3

    from corehub.outputs import describe_os_error
    from corehub.storage.db import damaged_message, is_locked, locked_message

    database: str = "the workspace database"
    if hub is not None and hub.initialized:
        database = str(hub.db_path)
    if isinstance(exc, sqlite3.OperationalError):
        text = str(exc)
        if is_locked(exc):
            return locked_message(database)
        if "readonly" in text or "read-only" in text:
            return (
                f"cannot write to database {database}: it (or its folder) is read-only; "
                "check its permissions, or work on a copy"
            )
        if "full" in text:
            return f"cannot write to database {database}: the disk is full; free some space"
        if "unable to open" in text:
            return (
                f"cannot open database {database}: check that it and its folder exist "
                "and that you may read and write them"
            )
        if "disk I/O" in text:
            return f"cannot read or write database {database}: a disk error ({text})"
    if isinstance(exc, sqlite3.DatabaseError):
        return damaged_message(database, exc)
    if isinstance(exc, OSError):
        return describe_os_error(exc)
    if isinstance(exc, UnicodeDecodeError):
        return (
            f"found text that is not UTF-8 (byte {exc.start}: {exc.reason}); "
            "save the file as UTF-8 and try again"
        )
    from zoneinfo import ZoneInfoNotFoundError

    if isinstance(exc, ZoneInfoNotFoundError):
        return f"unknown time zone ({exc}); use a name like Europe/Madrid"
    return None


def run(
    cli: click.Group, args: Sequence[str], hub: Hub, *, debug: bool = False, close: bool = True
) -> int:
    """Invoke ``cli`` with ``args``; turn every fault into one line on stderr and an exit code
    (with ``--json``: a JSON object on stderr, ``{"error": ..., "problems": [...]}``).

    Ctrl-C exits with 130; ``debug`` re-raises instead, so the traceback shows.
    """
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
    except BrokenPipeError:
        return 0
    except (Exception, KeyboardInterrupt) as exc:
        # A fault this function cannot put in a sentence is a bug: it goes up to main(),
        # which says so in one line (and to a test calling run(), as the exception).
        message = None if debug else fault_message(exc, hub)
        if message is None:
            raise
        if as_json and not isinstance(exc, KeyboardInterrupt):
            problems = [str(p) for p in getattr(exc, "problems", [])]
            summary = str(getattr(exc, "summary", "")) if problems else ""
            code = exc.exit_code if isinstance(exc, CorehubError) else 1
            _json_error(summary or message, problems, code)
            return code
        return report_fault(exc, hub)
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
