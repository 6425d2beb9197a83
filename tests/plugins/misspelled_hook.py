"""A one-file plugin with a typo in a hook name: corehub must say so, not stay silent."""

from corehub import hookimpl


@hookimpl
def cycle_task(hub, cycle, person):
    return []
