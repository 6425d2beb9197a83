"""Commands named before they are imported: what keeps ``corehub --help`` fast.

The ``corehub`` group lists every command, the core's and every plugin's, with its short
help; a command module (and what it imports: the models, the services, a plugin's own
library) is imported only when one of its commands runs, when a command's own ``--help``
is asked for, or when code reads ``group.commands[name]``. A module is named with the
commands it adds and their summaries (the first paragraph of each command's help),
through :func:`corehub.cli.lazy_commands`; ``tests/test_cli_help.py`` checks each
summary against the command itself, so the two cannot drift apart.

``group.commands`` keeps working as click's mapping of name to command: reading an entry
loads the module behind it, and ``name in group.commands`` or iterating the names does
not. A plugin that adds a subcommand to a core group (``group.commands["cycle"]``) gets
the group, loaded for it.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator, Mapping, MutableMapping, Sequence
from typing import Any

import click

Loader = Callable[[click.Group], None]


class Lazy:
    """One module's commands: how to load them, their summaries, the groups it extends."""

    def __init__(
        self,
        register: str | Loader,
        summaries: Mapping[str, str],
        extends: Sequence[str],
    ) -> None:
        self.register = register
        self.summaries = dict(summaries)
        self.extends = tuple(extends)
        self.loaded = False

    def load(self, group: click.Group) -> None:
        if self.loaded:
            return
        self.loaded = True  # first: a module reading its own group back loads nothing twice
        try:
            register = self.register
            if isinstance(register, str):
                module_name, _, attribute = register.partition(":")
                register = getattr(importlib.import_module(module_name), attribute or "register")
            register(group)
        except BaseException:
            self.loaded = False  # a failed import is reported again, not as a missing command
            raise


class LazyCommands(MutableMapping[str, click.Command]):
    """``group.commands`` of a :class:`CommandGroup`: names known at once, commands loaded
    when read."""

    def __init__(self, group: CommandGroup, loaded: Mapping[str, click.Command]) -> None:
        self._group = group
        self._loaded: dict[str, click.Command] = dict(loaded)

    def __getitem__(self, name: str) -> click.Command:
        if name not in self._loaded:
            self._group._load(name)
        return self._loaded[name]

    def __setitem__(self, name: str, command: click.Command) -> None:
        self._loaded[name] = command
        self._group._added(name)

    def __delitem__(self, name: str) -> None:
        del self._loaded[name]

    def __iter__(self) -> Iterator[str]:
        # a snapshot: reading the commands while iterating loads some of them
        names = list(self._loaded)
        names += [n for n in self._group._pending if n not in self._loaded]
        return iter(names)

    def __len__(self) -> int:
        return len(set(self._loaded) | set(self._group._pending))

    def __contains__(self, name: object) -> bool:
        return name in self._loaded or name in self._group._pending

    def loaded(self, name: str) -> click.Command | None:
        """The command if it is loaded already; None (and nothing imported) otherwise."""
        return self._loaded.get(name)


class CommandGroup(click.Group):
    """A click group whose subcommands may be added lazily (see :meth:`add_lazy`)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pending: dict[str, Lazy] = {}
        """Names not loaded yet, to the module that adds them."""
        self._extensions: dict[str, list[Lazy]] = {}
        """Names of groups, to modules that add subcommands to them."""
        self._listing = False
        self._commands = LazyCommands(self, self.commands)
        self.commands = self._commands

    def add_lazy(
        self,
        register: str | Loader,
        summaries: Mapping[str, str],
        *,
        extends: Sequence[str] = (),
    ) -> None:
        """Name the commands ``register(group)`` adds, without importing it yet.

        ``register`` is ``"package.module:function"`` (or the function itself);
        ``summaries`` maps each command it adds to the first paragraph of that command's
        help, which ``corehub --help`` shows; ``extends`` names groups it adds subcommands
        to (``cycle`` for ``cycle calibrate``): loading one of them loads it too.
        """
        lazy = Lazy(register, summaries, extends)
        for name in lazy.summaries:
            self._pending[name] = lazy
        for name in lazy.extends:
            self._extensions.setdefault(name, []).append(lazy)
            if self._commands.loaded(name) is not None:
                lazy.load(self)

    def _load(self, name: str) -> None:
        lazy = self._pending.get(name)
        if lazy is None:
            return
        lazy.load(self)
        if self._commands.loaded(name) is None:
            self._pending.pop(name, None)
            where = lazy.register if isinstance(lazy.register, str) else lazy.register.__module__
            raise click.ClickException(
                f"command {name!r} is named by {where} but it does not add it; "
                "report this to the plugin's authors"
            )

    def _added(self, name: str) -> None:
        self._pending.pop(name, None)
        for lazy in self._extensions.get(name, ()):
            lazy.load(self)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if self._listing and self._commands.loaded(cmd_name) is None:
            lazy = self._pending.get(cmd_name)
            if lazy is not None:
                # the listing needs the summary only: a stand-in, nothing imported
                return click.Command(cmd_name, help=lazy.summaries[cmd_name])
        return super().get_command(ctx, cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        self._listing = True
        try:
            super().format_commands(ctx, formatter)
        finally:
            self._listing = False
