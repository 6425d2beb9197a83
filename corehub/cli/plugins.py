"""``corehub plugins``: what is installed, where it came from, which hooks it implements."""

from __future__ import annotations

import click

from corehub.cli.output import echo_json, echo_table
from corehub.hub import Hub


def register(cli: click.Group) -> None:
    @cli.command()
    @click.option(
        "--all", "show_all", is_flag=True, help="Include corehub's built-in default plugins."
    )
    @click.option(
        "--hooks",
        "by_hook",
        is_flag=True,
        help="List hooks with the plugins they call, in call order.",
    )
    @click.option("--json", "as_json", is_flag=True, help="Print JSON.")
    @click.pass_obj
    def plugins(hub: Hub, show_all: bool, by_hook: bool, as_json: bool) -> None:
        """List loaded plugins: name, distribution, entry point, version, hooks.

        The NAME column is what COREHUB_LOAD_PLUGINS, COREHUB_DISABLE_PLUGINS and
        [plugins] disabled accept (the distribution name works too).
        """
        pm = hub.pm
        if by_hook:
            order = {}
            for caller in sorted(pm.hook.__dict__.values(), key=lambda c: c.name):
                impls = [
                    i
                    for i in reversed(caller.get_hookimpls())
                    if show_all or pm.infos[i.plugin_name].source != "builtin"
                ]
                order[caller.name] = [i.plugin_name for i in impls]
            if as_json:
                echo_json(order)
            else:
                echo_table(
                    ((name, " -> ".join(names) or "-") for name, names in order.items()),
                    ("HOOK", "CALLED IN THIS ORDER"),
                )
            return
        infos = [i for i in pm.infos.values() if show_all or i.source != "builtin"]
        for info in infos:
            info.hooks = pm.hooks_of(info.name)
        if as_json:
            echo_json(
                {
                    "plugins": [
                        {
                            "name": i.name,
                            "source": i.source,
                            "distribution": i.distribution,
                            "version": i.version,
                            "entry_point": i.entry_point,
                            "module": i.module,
                            "hooks": i.hooks,
                        }
                        for i in infos
                    ],
                    "failed": [
                        {"name": f.name, "distribution": f.distribution, "error": f.error}
                        for f in pm.failures
                    ],
                }
            )
            return
        echo_table(
            (
                (
                    i.name,
                    i.distribution or f"({i.source})",
                    i.entry_point or i.module,
                    i.version or "",
                    len(i.hooks),
                )
                for i in infos
            ),
            ("NAME", "DISTRIBUTION", "ENTRY POINT", "VERSION", "HOOKS"),
            empty="No plugins loaded (corehub's built-in defaults: corehub plugins --all).",
        )
        if infos:
            import textwrap

            click.echo()
            width = max(len(i.name) for i in infos)
            for i in infos:
                lines = textwrap.wrap(", ".join(i.hooks) or "-", width=max(40, 98 - width))
                click.echo(f"{i.name.ljust(width)}  {lines[0]}")
                for line in lines[1:]:
                    click.echo(f"{'':{width}}  {line}")
        for failure in pm.failures:
            click.echo(f"FAILED {failure.name}: {failure.error}", err=True)
